"""The report's GBF Target 3 table (analyses/gbf.py): 3.1 (PA, OECM, both), KBA coverage, ProtConn at
the study's distances and the SPI, by year of designation, today, and under each of the study's scenarios.

Measured in the report's CRS against the study's region, from the same clean sites as every other table,
so that 3.1 today and the national indicator are one figure read two ways.
"""

from pathlib import Path

from pacov.analyses.gbf import OBSERVED, TARGETS, coverage_targets, gbf_target3
from pacov.outputs.gbf_layers import gbf_layers
from pacov.reading.read import split_source
from pacov.scenarios.gbf_states import study_from

TITLE = (
    "GBF Target 3: headline indicator 3.1 (protected areas and OECMs, apart and together: a hectare under "
    "both counts once), KBA coverage, ProtConn and the Species Protection Index, by STATUS_YR, today "
    f"(year empty, scenario '{OBSERVED}') and under each scenario"
)


def gbf_table(study, result, scenarios):
    """((title, table), GeoPackage layers) for a loaded Study and its CoverageResult; ``scenarios``: the
    report's ScenarioResults in the same CRS, today's baseline first (it is the observed state, so it is not
    repeated). The layers (gbf_layers.py) are the table's geometry: the sites 3.1 counts, each KBA's share."""
    measured = study_from(
        result,
        study.region,
        study.kba,
        study.distances_m,
        study.protected,
        study.ranges,
        name=lambda p: shown(study, p),
    )
    states = [(r.name, r.final_sites, f"scenario {r.scenario.path.name}") for r in scenarios[1:]]
    return (TITLE, gbf_target3(result.whole, measured, states)), gbf_layers(result.whole, measured, states)


def shown(study, source):
    """A layer as the ``source`` column names it: relative to the study file, so tables carry no local paths."""
    path, layer = split_source(source)
    try:
        name = Path(path).resolve().relative_to(study.path.parent.resolve()).as_posix()
    except ValueError:
        name = Path(path).name
    return f"{name}:{layer}" if layer else name


def gbf_targets(report):
    """The chart's target lines: the study's targets as shares of its land (GBF Target 3's 30% if none)."""
    return coverage_targets(report.indicator["targets"]) or TARGETS
