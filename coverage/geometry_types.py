"""Check geometry types before any arithmetic: polygons count, points are placeholders, lines are errors."""

import numpy as np
import shapely

from . import cleanlog
from .errors import PacovError

POINTS = ("Point", "MultiPoint")
POLYGONS = ("Polygon", "MultiPolygon")


def check_types(gdf, label, allow_points=True, id_field=None):
    """Return (gdf without empty geometries, log); a line or other non-areal feature is an error."""
    gdf = gdf.copy()
    geoms = gdf.geometry.to_numpy()
    with_z = shapely.has_z(geoms)
    if with_z.any():  # only these get new 2-D copies: copying every geometry costs gigabytes at scale
        geoms = geoms.copy()
        geoms[with_z] = shapely.force_2d(geoms[with_z])
        gdf.geometry = geoms
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    allowed = POLYGONS + (POINTS if allow_points else ()) + ("GeometryCollection",)
    types = gdf.geometry.geom_type
    bad = ~empty & ~types.isin(allowed)
    if bad.any():
        index = gdf.index[bad][0]
        which = f"{id_field} {gdf.at[index, id_field]}" if id_field else f"feature {index}"
        kinds = "polygons or points" if allow_points else "polygons"
        raise PacovError(f"{label}: {which} is a {types[index]}; only {kinds} can hold area — "
                         "remove it or convert it to a polygon")
    coords, owner = shapely.get_coordinates(gdf.geometry.to_numpy(), return_index=True)
    nonfinite = ~np.isfinite(coords).all(axis=1)
    if nonfinite.any():
        index = gdf.index[owner[nonfinite][0]]
        which = f"{id_field} {gdf.at[index, id_field]}" if id_field else f"feature {index}"
        raise PacovError(f"{label}: {which} has a coordinate that is not a finite number (NaN or infinity); "
                         "fix or remove that vertex")
    log = cleanlog.entries(gdf[empty], "geometry", "dropped", "empty or null geometry") if "WDPAID" in gdf \
        else cleanlog.empty()
    return gdf[~empty].copy(), log
