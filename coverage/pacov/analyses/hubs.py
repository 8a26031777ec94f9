"""Upper bounds on path lengths from a grid of hub nodes, so that far pairs need no search (bestpaths)."""

import math
from dataclasses import dataclass

import numba
import numpy as np

from pacov.analyses.searches import _scratch, _search, adjacency, chunks, local_order

MAX_HUBS = 512  # hubs of a band's path bounds (Hubs): a table of 4 bytes × nodes × hubs
ROUND_UP = 1.0 + 2.0**-20  # a path length times this, cast to float32, is never below the length


@dataclass
class Hubs:
    """Path lengths from a grid of hub nodes to every node: an upper bound on any path, with no search.

    D(s, t) ≤ D(s, h) + D(h, t) for every hub h. Through a hub near the middle of a far pair the bound
    is close to the pair's real path, which in a network of stepping stones is far shorter than its
    gap: the pair is beaten with no search from s (``candidates``). Lengths are float32 rounded up, so
    a bound is never below the path it bounds.
    """

    origin: np.ndarray  # (x, y) of the grid's lower left corner
    spacing: float
    grid: np.ndarray  # (rows, columns): each cell's hub (a column of table), -1 where none
    table: np.ndarray  # (n, hubs) float32: path length from each hub to each node, inf past the limit

    @classmethod
    def none(cls):
        return cls(np.zeros(2), 1.0, np.full((0, 0), -1, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))

    @classmethod
    def over(cls, n, links, centre, spacing, limit, most=MAX_HUBS):
        """Hubs on a grid of ``spacing`` (widened to hold at most ``most`` cells): in each cell, the
        linked node nearest its middle; paths from each up to ``limit``."""
        i, j, d = links
        linked = np.zeros(n, dtype=bool)
        linked[i], linked[j] = True, True
        nodes = np.flatnonzero(linked & np.isfinite(centre[:, 0]))
        if not len(nodes):
            return cls.none()
        origin = centre[nodes].min(axis=0)
        extent = centre[nodes].max(axis=0) - origin
        spacing = max(spacing, math.sqrt(max(extent[0] * extent[1], 0.0) / most), float(extent.max()) / most, 1e-9)
        shape = (extent // spacing).astype(np.int64) + 1
        cell = ((centre[nodes] - origin) // spacing).astype(np.int64)
        off = np.hypot(*(centre[nodes] - origin - (cell + 0.5) * spacing).T)
        key = cell[:, 1] * shape[0] + cell[:, 0]
        order = np.lexsort((off, key))
        first = order[np.r_[True, np.diff(key[order]) > 0]]
        grid = np.full((shape[1], shape[0]), -1, dtype=np.int64)
        grid[cell[first, 1], cell[first, 0]] = np.arange(len(first))
        perm, rank = local_order(n, i, j)
        indptr, neighbour, weight = adjacency(n, rank[i], rank[j], d)
        table = _hub_table(indptr, neighbour, weight, rank[nodes[first]], perm, limit, chunks(len(first)))
        return cls(origin, spacing, grid, table)


@numba.njit(cache=True, parallel=True)
def _hub_table(indptr, neighbour, weight, hubs, perm, limit, n_chunks):
    n = len(indptr) - 1
    table = np.full((n, len(hubs)), np.inf, dtype=np.float32)
    for c in numba.prange(n_chunks):
        dist, seen, order, heap_d, heap_v = _scratch(n, len(neighbour))
        no_goals, no_gaps = np.zeros(0, dtype=np.int64), np.zeros(0)  # search to the limit
        for h in range(c, len(hubs), n_chunks):
            settled = _search(
                hubs[h], indptr, neighbour, weight, limit, dist, seen, h + 1, heap_d, heap_v, order, no_goals, no_gaps
            )
            for q in range(settled):
                v = order[q]
                table[perm[v], h] = np.float32(dist[v] * ROUND_UP)  # float32 errs by < 2^-24: never below
    return table


@numba.njit(cache=True, inline="always")
def _hub_beats(a, b, x, y, gap, origin, spacing, grid, table):
    """Whether a path from a to b through a hub is no longer than ``gap``: the hub of the cell of (x, y)
    first (the pair's middle: most often the one), then those of the 8 cells around it."""
    cx, cy = int((x - origin[0]) // spacing), int((y - origin[1]) // spacing)
    if 0 <= cy < grid.shape[0] and 0 <= cx < grid.shape[1] and grid[cy, cx] >= 0:
        h = grid[cy, cx]
        if np.float64(table[a, h]) + np.float64(table[b, h]) <= gap:
            return True
    for gy in range(max(cy - 1, 0), min(cy + 2, grid.shape[0])):
        for gx in range(max(cx - 1, 0), min(cx + 2, grid.shape[1])):
            h = grid[gy, gx]
            own = gy == cy and gx == cx  # tried first, above
            if h >= 0 and not own and np.float64(table[a, h]) + np.float64(table[b, h]) <= gap:
                return True
    return False
