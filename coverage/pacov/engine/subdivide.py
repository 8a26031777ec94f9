"""Cut large polygons into small pieces (PostGIS's ST_Subdivide) so each overlay touches few vertices.

A species range of thousands of vertices intersected with each of thousands of protected areas
costs the range's size every time; split once into pieces of at most ``max_vertices`` vertices,
each protected area meets only the few pieces around it. Halves are cut with the fast rectangle
clip; the rare invalid piece it leaves is repaired, so the pieces still add up to the whole.
All the geometries of one level are halved together and checked for validity in one vectorised
call (shapely's scalar ``is_valid`` holds the GIL and was most of the time).
"""

import numpy as np
import shapely

from pacov.cleaning.repair import polygonal_part

MAX_VERTICES = 256


def halve(geoms):
    """Each geometry cut across its longer side into two halves: (halves, index of each half's source)."""
    halves = np.empty(2 * len(geoms), dtype=object)
    for k, (geom, (xmin, ymin, xmax, ymax)) in enumerate(zip(geoms, shapely.bounds(geoms))):
        if xmax - xmin >= ymax - ymin:
            mid = (xmin + xmax) / 2
            rects = (xmin, ymin, mid, ymax), (mid, ymin, xmax, ymax)
        else:
            mid = (ymin + ymax) / 2
            rects = (xmin, ymin, xmax, mid), (xmin, mid, xmax, ymax)
        halves[2 * k] = shapely.clip_by_rect(geom, *rects[0])
        halves[2 * k + 1] = shapely.clip_by_rect(geom, *rects[1])
    invalid = ~shapely.is_valid(halves)
    halves[invalid] = polygonal_part(shapely.make_valid(halves[invalid]))
    return halves, np.repeat(np.arange(len(geoms)), 2)


def subdivide_all(geoms, max_vertices=MAX_VERTICES):
    """(pieces, owner index) for an array of polygonal geometries; pieces are grouped by owner."""
    pending, owner = np.asarray(geoms, dtype=object), np.arange(len(geoms))
    pieces, owners = [np.empty(0, dtype=object)], [np.empty(0, dtype=int)]
    while len(pending):
        keep = ~shapely.is_empty(pending)
        pending, owner = pending[keep], owner[keep]
        small = shapely.get_num_coordinates(pending) <= max_vertices
        pieces.append(pending[small])
        owners.append(owner[small])
        pending, source = halve(pending[~small])
        owner = owner[~small][source]
    pieces, owners = np.concatenate(pieces), np.concatenate(owners)
    order = np.argsort(owners, kind="stable")
    return pieces[order], owners[order]
