"""Repair invalid geometry the way PostGIS's ST_MakeValid does, keeping only the polygonal part.

Invalid rings (bow-ties, self-touching rings, spikes) make GEOS overlay fail or give wrong areas.
Repairing with the 'linework' method keeps every enclosed area, and dropping the lines and points
that repair can leave behind keeps the layer areal. Repair must come before any GEOS operation
that rebuilds geometry (densify, clip, precision): those quietly run buffer(0) on an invalid polygon
and can drop a whole lobe of a bow-tie.
"""

import numpy as np
import shapely

POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def polygonal_part(geoms):
    """The polygons of each geometry: collections reduced to their polygons, anything else empty.

    Applied to repaired geometry, where a point or line is what is left of a polygon that collapsed:
    it has no area, and must not pass for a point site (which would be drawn as a circle).
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero(types == shapely.GeometryType.GEOMETRYCOLLECTION):
        parts = shapely.get_parts(geoms[i])
        parts = parts[np.isin(shapely.get_type_id(parts), POLYGONAL)]
        out[i] = shapely.union_all(parts) if len(parts) else shapely.Polygon()
    out[~np.isin(types, POLYGONAL + (shapely.GeometryType.GEOMETRYCOLLECTION,))] = shapely.Polygon()
    return out


def repair(geoms):
    """(valid geometries, which were invalid) for an array of geometries (a task)."""
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = polygonal_part(shapely.make_valid(geoms[invalid]))
    return geoms, invalid
