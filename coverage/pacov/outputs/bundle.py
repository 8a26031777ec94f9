"""What ``pacov report`` writes beyond the tables: the shipped scenarios run once, and their layers.

A layers folder may hold ``scenarios/*.toml``; the GeoPackage and the HTML report show them
against ``baseline.toml`` (first when present), as ``make scenarios`` does.
"""

from pathlib import Path

from pacov.outputs.gis_layers import coverage_layers, scenario_layers
from pacov.scenarios.run import run
from pacov.scenarios.scenario_file import load_scenario, unique_names

BASELINE = "baseline.toml"


def shipped_scenarios(layers_dir):
    """Scenario files of a layers folder, the baseline first."""
    paths = sorted((Path(layers_dir) / "scenarios").glob("*.toml"))
    return sorted(paths, key=lambda p: p.name != BASELINE)


def run_shipped(layers_dir):
    """Results of every shipped scenario (none when the folder has no scenarios)."""
    return [run(sc) for sc in unique_names([load_scenario(p) for p in shipped_scenarios(layers_dir)])]


def report_layers(report, results, zone_field="landscape"):
    """The report's GeoPackage layers: coverage (ranges split by ``zone_field`` where they have it) and scenarios."""
    field = zone_field if zone_field in report.result.parts.columns else None
    layers = coverage_layers(report.result, field)
    if results:
        layers.update(scenario_layers(results))
    layers.update(report.layers)
    return layers
