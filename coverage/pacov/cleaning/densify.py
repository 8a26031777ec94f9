"""Densify polygon edges before projecting: a straight edge in one CRS is a curve in another.

GEOS's densify (``shapely.segmentize``) rebuilds every polygon it touches, checks its validity and
runs buffer(0) on an invalid one, which can drop a lobe of a bow-tie; so pacov had to check and
repair first. On a WDPA-like layer that cost 1.6 s for 73 added vertices (74 sites with a long edge,
1.9 M vertices), more than the projection. Here points are only inserted along the long edges, where
GEOS puts them, in the rings as they are: an invalid polygon stays as it was, for the one repair
after projecting.
"""

import numpy as np
import shapely

from pacov.cleaning.repair import POLYGONAL


def densify(geoms, step):
    """``geoms`` with points inserted so that no polygon edge is longer than ``step``; other types as they are."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, POLYGONAL) & ~shapely.is_empty(geoms)
    if not polygonal.any():
        return out
    kind, coords, offsets = shapely.to_ragged_array(geoms[polygonal])
    if kind == shapely.GeometryType.MULTIPOLYGON:
        offsets = without_empty_parts(*offsets)
    coords, rings = densify_rings(coords, offsets[0], step)
    dense = shapely.from_ragged_array(kind, coords, (rings, *offsets[1:]))
    single = types[polygonal] == shapely.GeometryType.POLYGON  # mixed layers come back as multipolygons
    dense[single] = shapely.get_geometry(dense[single], 0)
    out[polygonal] = dense
    return out


def without_empty_parts(rings, polygons, geometries):
    """Ragged multipolygon offsets without the parts that have no ring (``MULTIPOLYGON (((…)), EMPTY)``,
    as GDAL reads a GeoJSON part ``[]``): shapely.from_ragged_array crashes the process on such a part,
    as GEOS densify does. An empty part holds no area; the geometries keep their other parts."""
    count = np.diff(polygons)  # rings of each part
    if count.all():
        return rings, polygons, geometries
    keep = count > 0
    owner = np.repeat(np.arange(len(geometries) - 1), np.diff(geometries))
    parts = np.bincount(owner[keep], minlength=len(geometries) - 1)  # each geometry is non-empty: >= 1
    polygons = np.concatenate([[0], np.cumsum(count[keep])]).astype(polygons.dtype)
    return rings, polygons, np.concatenate([[0], np.cumsum(parts)]).astype(geometries.dtype)


def densify_rings(coords, rings, step):
    """(coordinates, ring offsets) with ``ceil(length / step) - 1`` evenly spaced points inside each
    edge longer than ``step``, at GEOS's positions: start + (j · length / count) / length · (end − start)."""
    ring = np.repeat(np.arange(len(rings) - 1), np.diff(rings))
    delta = np.diff(coords, axis=0)
    length = np.sqrt(delta[:, 0] * delta[:, 0] + delta[:, 1] * delta[:, 1])
    edge = np.append((ring[1:] == ring[:-1]) & (length > step), False)  # the edge from each vertex
    length = np.append(length, 0.0)
    count = np.where(edge, np.ceil(length / step), 1.0)
    added = (count - 1).astype(np.int64)
    before = np.concatenate([[0], np.cumsum(added)])
    out = np.empty((len(coords) + before[-1], 2))
    out[np.arange(len(coords)) + before[:-1]] = coords
    source = np.repeat(np.arange(len(coords)), added)
    j = np.arange(len(source)) - before[source] + 1
    fraction = (j * (length[source] / count[source])) / length[source]
    out[source + before[source] + j] = coords[source] + fraction[:, None] * delta[source]
    return out, rings + before[rings]
