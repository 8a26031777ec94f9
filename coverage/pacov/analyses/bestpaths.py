"""Best paths for ProtConn: Σ_i Σ_j a_i a_j p*_ij at several dispersal distances in one pass, and the
pairs that a band of Links.with_shortcuts must measure, by Dijkstra bounded by the cutoff (numba).

Why not scipy.sparse.csgraph.dijkstra: it returns a dense row of n distances per source and runs on
one core. At 50,000 sites and a 100 km median (a cutoff of 1,329 km, some 10,000 nodes reached from
each source) that is about 20 ms a source, a quarter of an hour in all. Here each source's search
stops at the cutoff and touches only the nodes it reaches (marked with the source's stamp, never
reset), each settled node is folded into the sums at once (no row of n is ever held: memory is the
links plus a few arrays of n per thread), and sources run in parallel threads.

Edge weights are edge-to-edge distances in metres (0 for touching sites, whose interiors cost
nothing); at a median m, p = exp(−k_m·d) and a path counts while k_m·D ≤ MAX_COST (p* ≥ the floor).
"""

import math

import numba
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from pacov.analyses.hubs import Hubs, _hub_beats
from pacov.analyses.searches import _scratch, _search, adjacency, chunks, local_order


@numba.njit(cache=True, parallel=True)
def _eca_sums(indptr, neighbour, weight, areas, ks, max_cost, n_chunks):
    n = len(areas)
    limit = max_cost / ks.min()
    partial = np.zeros((n_chunks, len(ks)))
    for c in numba.prange(n_chunks):
        dist, seen, order, heap_d, heap_v = _scratch(n, len(neighbour))
        no_goals, no_gaps = np.zeros(0, dtype=np.int64), np.zeros(0)  # search to the limit
        for s in range(c, n, n_chunks):
            settled = _search(
                s, indptr, neighbour, weight, limit, dist, seen, s + 1, heap_d, heap_v, order, no_goals, no_gaps
            )
            row = np.zeros(len(ks))
            for t in range(settled):  # each settled node read once for every distance
                v = order[t]
                for m in range(len(ks)):
                    cost = ks[m] * dist[v]
                    if cost <= max_cost:
                        row[m] += areas[v] * math.exp(-cost)
            for m in range(len(ks)):
                partial[c, m] += areas[s] * row[m]
    return partial


def eca_sums(n, i, j, d, areas, ks, max_cost):
    """Σ_i Σ_j a_i a_j p*_ij for each k in ``ks`` (one pass; k·D ≤ max_cost counts) over links (i, j, d)."""
    if not n:
        return np.zeros(len(ks))
    n, i, j, d, areas = merged_touching(n, i, j, d, np.asarray(areas, dtype=np.float64))
    perm, rank = local_order(n, i, j)
    indptr, neighbour, weight = adjacency(n, rank[i], rank[j], d)
    ks = np.asarray(ks, dtype=np.float64)
    areas = areas[perm]
    parts = _eca_sums(indptr, neighbour, weight, areas, ks, max_cost, chunks(n))
    return parts.sum(axis=0)


def merged_touching(n, i, j, d, areas):
    """(n, i, j, d, areas) with each group of touching sites (linked at d = 0) as one node of their areas.

    Interiors and touching edges cost nothing, so every site of a group has p* = 1 to the others and
    the same best paths to the rest: Σ a_i a_j p*_ij over the group's sites is that of one node of
    their summed area, and one search serves the whole group.
    """
    touching = d == 0
    if not touching.any():
        return n, i, j, d, areas
    graph = coo_matrix((np.ones(touching.sum()), (i[touching], j[touching])), shape=(n, n))
    n, group = connected_components(graph, directed=False)
    a, b = group[i[~touching]], group[j[~touching]]
    apart = a != b  # a link inside a group is never shorter than the group's own zero
    return n, a[apart], b[apart], d[~touching][apart], np.bincount(group, weights=areas, minlength=n)


@numba.njit(cache=True, parallel=True)
def _candidates(
    indptr,
    neighbour,
    weight,
    centre,
    radius,
    kmax,
    inner,
    limit,
    rows,
    original,
    cap,
    n_chunks,
    by_x,
    hub_origin,
    hub_spacing,
    hub_grid,
    hub_table,
):
    n = len(radius)
    xs = centre[by_x, 0]
    widest = radius.max() if n else 0.0
    found = np.full((len(rows), cap), -1, dtype=np.int64)
    best = np.empty((len(rows), cap))
    count = np.zeros(len(rows), dtype=np.int64)
    for c in numba.prange(n_chunks):
        dist, seen, order, heap_d, heap_v = _scratch(n, len(neighbour))
        near, near_gap = np.empty(n, dtype=np.int64), np.empty(n)  # the pairs' other nodes and bounds
        for r in range(c, len(rows), n_chunks):
            s = rows[r]
            if not np.isfinite(centre[s, 0]):
                continue
            reach = limit * kmax + radius[s] + widest  # no pair farther apart in x has its bound within limit
            first = np.searchsorted(xs, centre[s, 0] - reach)
            last = np.searchsorted(xs, centre[s, 0] + reach, side="right")
            k = 0
            for q in range(first, last):
                t = by_x[q]
                if original[t] <= original[s]:  # each pair once, i < j as the caller numbers them
                    continue
                apart = math.hypot(centre[s, 0] - centre[t, 0], centre[s, 1] - centre[t, 1]) / kmax
                if apart < inner:  # its hulls are closer than inner: the caller's earlier bands had it
                    continue
                gap = apart - (radius[s] + radius[t]) / kmax
                if gap > limit or _hub_beats(
                    original[s],
                    original[t],
                    (centre[s, 0] + centre[t, 0]) / 2,
                    (centre[s, 1] + centre[t, 1]) / 2,
                    gap,
                    hub_origin,
                    hub_spacing,
                    hub_grid,
                    hub_table,
                ):  # a pair that a path through a hub beats is no goal: no search needs to reach it
                    continue
                near[k], near_gap[k] = t, gap
                k += 1
            if k == 0:
                continue
            by_gap = np.argsort(-near_gap[:k])
            goals, goal_gap = near[:k][by_gap], near_gap[:k][by_gap]
            _search(s, indptr, neighbour, weight, limit, dist, seen, r + 1, heap_d, heap_v, order, goals, goal_gap)
            for q in range(k):
                t, gap = goals[q], goal_gap[q]
                path = dist[t] if seen[t] == -(r + 1) else np.inf  # unsettled: no path within its gap
                if gap < path:
                    m = count[r]
                    if m < cap:
                        found[r, m] = t
                        best[r, m] = path
                    count[r] = m + 1
    return found, best, count


def candidates(n, links, centre, radius, kmax, limit, rows, cap=256, hubs=None, inner=0.0):
    """(i, j, path) of each pair i in ``rows``, j > i, that a path over ``links`` (i, j, d) within ``limit``
    does not already beat: the lower bound on its distance (centres apart less both radii, over kmax)
    is at most ``limit`` and below the path. The path is exact, or inf where there is none within the
    limit or the search from i stopped before reaching j (once past j's bound: a path that long cannot
    beat the pair, so the search need not find it). An empty site (centre NaN) is never one.

    Stopping there, not at ``limit``, is what makes the far bands cheap: in a network of stepping
    stones the path to a pair's far end is much shorter than their gap (continental, 399 km band:
    75 s of searches to the limit, 22 s with the stop). ``hubs`` (Hubs over the same links) rule out, with
    no search, the pairs that a path through a hub beats: the same pairs come back. Pairs whose centres
    lie less than ``inner`` apart (over kmax; their hulls are closer still) are left out: a band of
    Links.with_shortcuts wants only pairs beyond its inner distance."""
    i, j, d = links
    hubs = hubs or Hubs.none()
    perm, rank = local_order(n, i, j)
    indptr, neighbour, weight = adjacency(n, rank[i], rank[j], d)
    rows = np.asarray(rows, dtype=np.int64)
    at, size = centre[perm], radius[perm]
    solid = np.flatnonzero(np.isfinite(at[:, 0]))
    by_x = solid[np.argsort(at[solid, 0], kind="stable")]  # the pairs are sought in a strip of x
    found, best, count = _candidates(
        indptr,
        neighbour,
        weight,
        at,
        size,
        kmax,
        inner,
        limit,
        rank[rows],
        perm,
        cap,
        chunks(len(rows)),
        by_x,
        hubs.origin,
        hubs.spacing,
        hubs.grid,
        hubs.table,
    )
    over = count > cap
    held = found >= 0
    held[over] = False
    r, col = np.nonzero(held)
    out = (rows[r], perm[found[r, col]], best[r, col])
    if over.any():  # a few crowded rows: again, with room for all their pairs
        more = candidates(n, links, centre, radius, kmax, limit, rows[over], int(count.max()), hubs, inner)
        out = tuple(np.r_[a, b] for a, b in zip(out, more))
    return out


@numba.njit(cache=True, parallel=True)
def _beaten(indptr, neighbour, weight, n_chunks):
    n = len(indptr) - 1
    beaten = np.zeros(len(neighbour), dtype=np.bool_)
    for c in numba.prange(n_chunks):
        dist, seen, order, heap_d, heap_v = _scratch(n, len(neighbour))
        no_goals, no_gaps = np.zeros(0, dtype=np.int64), np.zeros(0)  # search to the limit
        for s in range(c, n, n_chunks):
            if indptr[s] == indptr[s + 1]:
                continue
            limit = weight[indptr[s] : indptr[s + 1]].max()
            _search(s, indptr, neighbour, weight, limit, dist, seen, s + 1, heap_d, heap_v, order, no_goals, no_gaps)
            for e in range(indptr[s], indptr[s + 1]):
                beaten[e] = dist[neighbour[e]] < weight[e]
    return beaten


def beaten(n, i, j, d):
    """Which links (i, j, d) some path over the others beats, strictly: no shortest path uses one, so
    dropping them all at once leaves every shortest path's length unchanged."""
    if not len(i):
        return np.zeros(0, dtype=bool)
    _, rank = local_order(n, i, j)
    indptr, neighbour, weight, ids = adjacency(n, rank[i], rank[j], d, ids=True)
    out = np.zeros(len(i), dtype=bool)
    out[ids[_beaten(indptr, neighbour, weight, chunks(n))]] = True
    return out
