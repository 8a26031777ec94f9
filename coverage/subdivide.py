"""Cut large polygons into small pieces (PostGIS's ST_Subdivide) so each overlay touches few vertices.

A species range of thousands of vertices intersected with each of thousands of protected areas
costs the range's size every time; split once into pieces of at most ``max_vertices`` vertices,
each protected area meets only the few pieces around it. Halves are cut with the fast rectangle
clip; the rare invalid piece it leaves is repaired, so the pieces still add up to the whole.
"""

import numpy as np
import shapely

from .repair import polygonal_part

MAX_VERTICES = 256


def subdivide(geom, max_vertices=MAX_VERTICES):
    """Pieces of ``geom`` (a polygonal geometry) with at most about ``max_vertices`` vertices each."""
    pending, done = [geom], []
    while pending:
        part = pending.pop()
        if part.is_empty:
            continue
        if shapely.get_num_coordinates(part) <= max_vertices:
            done.append(part)
            continue
        xmin, ymin, xmax, ymax = part.bounds
        if xmax - xmin >= ymax - ymin:
            mid = (xmin + xmax) / 2
            halves = [(xmin, ymin, mid, ymax), (mid, ymin, xmax, ymax)]
        else:
            mid = (ymin + ymax) / 2
            halves = [(xmin, ymin, xmax, mid), (xmin, mid, xmax, ymax)]
        for rect in halves:
            half = shapely.clip_by_rect(part, *rect)
            if not half.is_valid:
                half = polygonal_part(np.array([shapely.make_valid(half)], dtype=object))[0]
            pending.append(half)
    return done


def subdivide_all(geoms, max_vertices=MAX_VERTICES):
    """(pieces, owner index) for an array of polygonal geometries."""
    pieces, owners = [], []
    for index, geom in enumerate(geoms):
        parts = subdivide(geom, max_vertices)
        pieces += parts
        owners += [index] * len(parts)
    return np.array(pieces, dtype=object), np.array(owners, dtype=int)
