"""Turn point-only sites into circles of their reported area, as UNEP-WCMC and wdpar do.

WDPA holds some sites as a point with REP_AREA (km²) only. A circle of that area around the point
is the accepted stand-in; a point with no reported area has no area to count and is dropped. A
MultiPoint shares its area equally among its points. Runs in an equal-area CRS in metres.
"""

import numpy as np
import shapely

from pacov.cleaning import cleanlog
from pacov.cleaning.project import fold_into_world

SEGMENTS_PER_QUARTER = 32


def points_to_circles(sites):
    """Return (sites with point geometries replaced by circles, log); ``geometry_source`` says which."""
    is_point = sites.geom_type.isin(["Point", "MultiPoint"])
    if not is_point.any():
        return sites.assign(geometry_source="polygon"), cleanlog.empty()
    no_area = is_point & ~(sites["REP_AREA"] > 0)
    points = sites[is_point & ~no_area]
    n_points = shapely.get_num_geometries(points.geometry.to_numpy())
    area_m2 = points["REP_AREA"].to_numpy() * 1e6 / n_points
    radius = np.sqrt(area_m2 / _polygon_circle_ratio())
    out = sites[~no_area].assign(geometry_source=np.where(is_point[~no_area], "point", "polygon"))
    circles = shapely.buffer(points.geometry.to_numpy(), radius, quad_segs=SEGMENTS_PER_QUARTER)
    out.loc[points.index, out.geometry.name] = fold_into_world(circles, sites.crs)  # a circle over a map's edge
    log = cleanlog.combine(
        [
            cleanlog.entries(sites[no_area], "points", "dropped", "point site without REP_AREA: no area to count"),
            cleanlog.entries(
                points,
                "points",
                "changed",
                [f"point site drawn as a circle of REP_AREA {a:g} km²" for a in points["REP_AREA"]],
            ),
        ]
    )
    return out, log


def _polygon_circle_ratio():
    """Area of the buffer polygon of radius 1 (a regular polygon, slightly less than π)."""
    n = 4 * SEGMENTS_PER_QUARTER
    return n / 2 * np.sin(2 * np.pi / n)
