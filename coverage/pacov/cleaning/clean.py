"""The protected-area cleaning pipeline: the composition of the cleaning verbs, in wdpar's order.

1. read the schema (wdpa.normalize): one set of field names, typed values;
2. keep legal statuses (status.filter_status): Proposed sites are not protection yet; then keep
   the site type asked for (site_type.filter_site_type: PAs, OECMs, or all);
3. drop UNESCO-MAB Biosphere Reserves (mab.drop_mab): their outer zones are not protected;
4. check geometry types (geometry_types.check_types): lines are errors, empties are dropped;
5. densify, project to an equal-area CRS and repair (project.project_and_repair), so areas are
   true and overlay is reliable. Repair comes last because moving vertices can make a valid ring
   touch itself; densifying only inserts points (densify.densify), never rebuilding a polygon as GEOS
   densify does with buffer(0), which silently drops a lobe of a bow-tie. Repair is the only step
   here that meets invalid input: every later step (circles, flatten's union/difference/clip,
   subdivide's clip, which repairs its own output) runs on valid geometry;
6. draw point-only sites as circles of REP_AREA (points.points_to_circles): buffers are valid;
7. flatten overlaps by priority (flatten.erase_overlaps) so no hectare counts twice.
Coordinates were checked against their CRS when the layer was read (project.require_crs).
Every site dropped or changed is logged with the step and the reason.
"""

from dataclasses import dataclass

from pacov.cleaning import cleanlog
from pacov.cleaning.geometry_types import check_types
from pacov.cleaning.mab import drop_mab
from pacov.cleaning.points import points_to_circles
from pacov.cleaning.project import project_and_repair
from pacov.cleaning.site_type import filter_site_type
from pacov.cleaning.status import BASELINE_STATUSES, filter_status
from pacov.engine.flatten import erase_overlaps
from pacov.reading import wdpa
from pacov.runner import SERIAL
from pacov.stages import stage


@dataclass(frozen=True)
class CleanOptions:
    """Choices a planner may change; the defaults follow UNEP-WCMC's coverage method."""

    statuses: tuple | None = BASELINE_STATUSES  # None: every status (data-quality checks)
    as_of: int | None = None
    exclude_mab: bool = True
    flatten: bool = True
    site_type: str = "all"  # 'pa', 'oecm' or 'all' (GBF 3.1 counts both)


EVERY_SITE = CleanOptions(statuses=None, exclude_mab=False, flatten=False)  # data-quality checks: nothing dropped


def clean_protected_areas(raw, crs, label="protected areas", options=CleanOptions(), runner=SERIAL):
    """Return (clean sites in the equal-area ``crs``, cleaning log) from a raw WDPA-schema layer.

    ``runner`` (see pacov.runner) runs the heavy steps in chunks, here or on a Dask cluster.
    """
    sites, log_read = wdpa.normalize(raw, label)
    logs = [log_read]
    sites, log = filter_status(sites, options.statuses, options.as_of)
    logs.append(log)
    sites, log = filter_site_type(sites, options.site_type)
    logs.append(log)
    if options.exclude_mab:
        sites, log = drop_mab(sites)
        logs.append(log)
    sites, log = check_types(sites, label, allow_points=True)
    logs.append(log)
    with stage("  repair and project"):
        sites, invalid = project_and_repair(sites, crs, runner)
    collapsed = sites.geometry.is_empty  # a polygon repaired to a point or line: no area to count
    logs.append(
        cleanlog.entries(sites[invalid & ~collapsed], "repair", "changed", "invalid geometry repaired (make_valid)")
    )
    logs.append(cleanlog.entries(sites[collapsed], "repair", "dropped", "no area left after repair"))
    sites, log = points_to_circles(sites[~collapsed])
    logs.append(log)
    if options.flatten:
        with stage("  flatten overlaps"):
            sites, log = erase_overlaps(sites, runner)
        logs.append(log)
    return sites, cleanlog.combine(logs)
