"""The inputs of the GBF Target 3 table (analyses/gbf.py) from files: the study, and each scenario's sites.

Kept apart from the builder so that it takes GeoDataFrames and results only (the report passes
its own); this module is what ``pacov gbf`` reads its files with.
"""

from pacov.analyses import gbf
from pacov.analyses.connectivity import check_distances
from pacov.cleaning.polygons import prepare_polygons
from pacov.cleaning.project import require_crs
from pacov.embedded import EMBEDDED_STUDY, embedded_study
from pacov.engine.clip import outline_shape
from pacov.errors import PacovError
from pacov.reading.read import read_layer
from pacov.scenarios.run import run


def study_from(result, region=None, kba=None, distances=(), protected="", ranges="", assume_crs=None, name=str):
    """A :class:`gbf.Study` for a coverage run (engine.analysis.CoverageResult): the land outline
    (``region``, else the embedded study's), the KBAs if given, and what each indicator's figures come
    from (each layer as ``name`` writes it: the report names them relative to its study file)."""
    if region is None:
        if not EMBEDDED_STUDY.is_file():
            raise PacovError(f"no --region given and the embedded study {EMBEDDED_STUDY} is not present; give --region")
        region = embedded_study().region
    land = outline_shape(read_layer(region, "region"), result.crs, f"region {region}")
    kbas = None
    if kba:
        label = f"KBAs {kba}"
        kbas = prepare_polygons(require_crs(read_layer(kba, "KBAs"), label, assume_crs), result.crs, label)
    protected, land_source = name(protected), f"land {name(region)}"
    sources = {
        gbf.COVERAGE: f"{protected}; {land_source}",
        gbf.KBA: f"{protected}; KBAs {name(kba) if kba else 'none'}",
        gbf.PROTCONN: f"{protected}; {land_source}",
        gbf.SPI: f"{protected}; ranges {name(ranges)}",
    }
    distances = tuple(check_distances(distances)) if distances else ()
    return gbf.Study(land, result.parts, result.species, kbas, distances, sources)


def scenario_states(paths, crs):
    """(name, sites after the scenario's operations, source) for each scenario file, in ``crs``."""
    states = []
    for path in paths:
        result = run(path, crs=crs)
        states.append((result.name, result.final_sites, f"scenario {path}"))
    return states
