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
from dataclasses import dataclass

import numba
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, reverse_cuthill_mckee

CHUNKS_PER_THREAD = 4  # sources are dealt round-robin to this many chunks per thread (load balance)
MAX_HUBS = 512  # hubs of a band's path bounds (Hubs): a table of 4 bytes × nodes × hubs
ROUND_UP = 1.0 + 2.0**-20  # a path length times this, cast to float32, is never below the length


def adjacency(n, i, j, d, ids=False):
    """CSR arrays (indptr, neighbour, weight) of the undirected links (i, j, d) among ``n`` nodes, and
    with ``ids`` the link each entry comes from."""
    src, dst, w = np.r_[i, j], np.r_[j, i], np.r_[d, d].astype(np.float64)
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    csr = (indptr, dst[order].astype(np.int64), w[order])
    return (*csr, order % max(len(i), 1)) if ids else csr


def local_order(n, i, j):
    """(perm, rank): nodes renumbered by reverse Cuthill–McKee (rank[node] is its new number, perm the
    inverse), so that linked nodes lie near each other in memory: the searches' random accesses then
    mostly hit the cache (about 2× faster on 50,000 sites in generation order)."""
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)).tocsr()
    perm = reverse_cuthill_mckee(graph + graph.T, symmetric_mode=True)
    rank = np.empty(n, dtype=np.int64)
    rank[perm] = np.arange(n)
    return perm, rank


def chunks(n):
    return max(1, min(n, CHUNKS_PER_THREAD * numba.get_num_threads()))


@numba.njit(cache=True, inline="always")
def _push(heap_d, heap_v, size, dist, node):
    """Add (dist, node) to the 4-ary min-heap of ``size`` entries; the new size. Four children a node
    halve the depth of a binary heap: 139 ns a settled node against 216 (continental, 100 km)."""
    k = size
    while k > 0:
        parent = (k - 1) >> 2
        if heap_d[parent] <= dist:
            break
        heap_d[k], heap_v[k] = heap_d[parent], heap_v[parent]
        k = parent
    heap_d[k], heap_v[k] = dist, node
    return size + 1


@numba.njit(cache=True, inline="always")
def _pop(heap_d, heap_v, size):
    """(dist, node, new size): the least entry of the 4-ary heap, taken out."""
    dist, node = heap_d[0], heap_v[0]
    size -= 1
    last_d, last_v = heap_d[size], heap_v[size]
    k = 0
    while True:
        child = 4 * k + 1
        if child >= size:
            break
        best, best_d = child, heap_d[child]
        end = min(child + 4, size)
        for c in range(child + 1, end):
            if heap_d[c] < best_d:
                best, best_d = c, heap_d[c]
        if last_d <= best_d:
            break
        heap_d[k], heap_v[k] = best_d, heap_v[best]
        k = best
    heap_d[k], heap_v[k] = last_d, last_v
    return dist, node, size


@numba.njit(cache=True)
def _search(source, indptr, neighbour, weight, limit, dist, seen, stamp, heap_d, heap_v, order, goals, goal_gap):
    """Dijkstra from ``source`` up to ``limit``: fills ``dist`` for the nodes it settles (marked
    seen == stamp) and lists them in ``order``, nearest first; returns how many.

    With ``goals`` (nodes, by ``goal_gap`` descending; none: search to ``limit``) it stops once every
    goal is settled, or once it has passed the gap of every goal not settled: the caller only asks
    whether a goal's path is shorter than its gap, and a path past the gap is not.
    """
    dist[source] = 0.0
    seen[source] = stamp
    size = _push(heap_d, heap_v, 0, 0.0, source)
    settled, g = 0, 0
    while size > 0:
        d, v, size = _pop(heap_d, heap_v, size)
        if d > dist[v] or seen[v] == -stamp:
            continue
        if len(goals) and d > goal_gap[g]:
            break
        seen[v] = -stamp  # settled
        order[settled] = v
        settled += 1
        while g < len(goals) and seen[goals[g]] == -stamp:
            g += 1
        if len(goals) and g == len(goals):
            break
        for e in range(indptr[v], indptr[v + 1]):
            u = neighbour[e]
            nd = d + weight[e]
            if seen[u] != -stamp and nd <= limit and (seen[u] != stamp or nd < dist[u]):
                dist[u] = nd
                seen[u] = stamp
                size = _push(heap_d, heap_v, size, nd, u)
    return settled


@numba.njit(cache=True, inline="always")
def _scratch(n, links):
    """One thread's working arrays for _search: distances, visit stamps, the settled order and the heap."""
    return (
        np.empty(n),
        np.zeros(n, dtype=np.int64),
        np.empty(n, dtype=np.int64),
        np.empty(links + 1),
        np.empty(links + 1, dtype=np.int64),
    )


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
            for m in range(len(ks)):
                row = 0.0
                for t in range(settled):
                    cost = ks[m] * dist[order[t]]
                    if cost <= max_cost:
                        row += areas[order[t]] * math.exp(-cost)
                partial[c, m] += areas[s] * row
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
            if h >= 0 and np.float64(table[a, h]) + np.float64(table[b, h]) <= gap:
                return True
    return False


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
