"""Repair invalid geometry the way PostGIS's ST_MakeValid does, keeping only the polygonal part.

Invalid rings (bow-ties, self-touching rings, spikes) make GEOS overlay fail or give wrong areas.
Repairing with the 'linework' method keeps every enclosed area, and dropping the lines and points
that repair can leave behind keeps the layer areal.
"""

import numpy as np
import shapely

POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def polygonal_part(geoms):
    """The polygons of each geometry (collections reduced to their polygons; others become empty)."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero(types == shapely.GeometryType.GEOMETRYCOLLECTION):
        parts = shapely.get_parts(geoms[i])
        parts = parts[np.isin(shapely.get_type_id(parts), POLYGONAL)]
        out[i] = shapely.union_all(parts) if len(parts) else shapely.Polygon()
    lines_or_points = ~np.isin(types, POLYGONAL + (shapely.GeometryType.GEOMETRYCOLLECTION,
                                                     shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT))
    out[lines_or_points] = shapely.Polygon()
    return out


def repair_geometry(gdf):
    """Return (copy with valid polygonal geometry, boolean mask of rows that were invalid)."""
    geoms = gdf.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = polygonal_part(shapely.make_valid(geoms[invalid]))
    out = gdf.copy()
    out.geometry = geoms
    return out, invalid
