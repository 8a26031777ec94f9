"""The bounded Dijkstra of analyses/bestpaths.py against brute force: dense Floyd–Warshall in numpy on
random graphs (links of random lengths, touching pairs at 0, several components), and the whole of
ProtConn (pruned links, one pass for every distance) against every pair's ground distance and
scipy's dense Dijkstra on random subsets of a field of sites."""

import math

import numpy as np
import pytest
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import Polygon, box

from conftest import KM
from pacov.analyses.bestpaths import beaten, candidates, eca_sums
from pacov.analyses.connectivity import MAX_COST, protconn
from pacov.analyses.hubs import Hubs, _hub_beats
from test_connectivity import clean, ground_distances


def random_links(rng, n, radius, touching=0.05):
    """Links among n random points in a 100 × 100 square: each pair within ``radius``, its length the
    points' distance less a random part (sites have extent), some touching (0)."""
    xy = rng.uniform(0, 100, (n, 2))
    i, j = np.triu_indices(n, 1)
    d = np.hypot(*(xy[i] - xy[j]).T)
    keep = d < radius
    i, j, d = i[keep], j[keep], d[keep] * rng.uniform(0.3, 1.0, keep.sum())
    d[rng.uniform(size=len(d)) < touching] = 0.0
    return xy, i, j, d


def floyd_warshall(n, i, j, d):
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    np.minimum.at(dist, (i, j), d)
    np.minimum.at(dist, (j, i), d)
    for k in range(n):
        np.minimum(dist, dist[:, k, None] + dist[None, k, :], out=dist)
    return dist


@pytest.mark.parametrize("seed, touching", [(1, 0.05), (2, 0.05), (3, 0.05), (4, 0.4), (5, 0.0)])
def test_eca_sums_match_floyd_warshall(seed, touching):
    """Also where many sites touch (groups of them are searched as one node) and where none do."""
    rng = np.random.default_rng(seed)
    n = 120
    _, i, j, d = random_links(rng, n, 12.0, touching)
    areas = rng.uniform(1, 10, n)
    ks = np.array([0.02, 0.1, 0.5])  # paths up to 460, 92 and 18 units count
    dist = floyd_warshall(n, i, j, d)
    expected = [areas @ np.where(k * dist <= MAX_COST, np.exp(-k * dist), 0.0) @ areas for k in ks]
    assert eca_sums(n, i, j, d, areas, ks, MAX_COST) == pytest.approx(expected, rel=1e-12)


def test_eca_sums_of_lone_nodes_are_their_squared_areas():
    areas = np.array([2.0, 3.0, 5.0])
    none = np.array([], dtype=int)
    assert eca_sums(3, none, none, np.array([]), areas, [1.0], MAX_COST) == pytest.approx([4 + 9 + 25])


@pytest.mark.parametrize("spacing", [5.0, 20.0])
def test_hub_paths_are_the_shortest_paths_rounded_up(spacing):
    """Each hub's row is its Floyd–Warshall row within the limit, never below it, within float32's rounding."""
    rng = np.random.default_rng(8)
    n, limit = 120, 40.0
    xy, i, j, d = random_links(rng, n, 12.0)
    hubs = Hubs.over(n, (i, j, d), xy, spacing, limit)
    dist = floyd_warshall(n, i, j, d)
    linked = np.flatnonzero(np.bincount(np.r_[i, j], minlength=n))
    cells = {tuple(c) for c in ((xy[linked] - xy[linked].min(axis=0)) // spacing).astype(int)}
    hub_nodes = [int(np.flatnonzero(hubs.table[:, h] == 0)[0]) for h in range(hubs.table.shape[1])]
    assert len(hub_nodes) == len(cells) == (hubs.grid >= 0).sum()  # one hub per occupied cell
    assert set(hub_nodes) <= set(linked.tolist())
    want = np.where(dist[hub_nodes].T <= limit, dist[hub_nodes].T, np.inf)
    got = hubs.table.astype(float)
    assert (np.isinf(got) == np.isinf(want)).all()
    finite = np.isfinite(want)
    assert (got[finite] >= want[finite]).all()
    assert got[finite] == pytest.approx(want[finite], rel=2e-6)


def test_a_pair_a_hub_beats_has_a_path_no_longer_than_its_gap():
    """Sound (every pair ruled out has a Floyd–Warshall path within its gap) and of use (it rules out many)."""
    rng = np.random.default_rng(9)
    n, limit = 120, 60.0
    xy, i, j, d = random_links(rng, n, 12.0)
    hubs = Hubs.over(n, (i, j, d), xy, 10.0, limit)
    dist = floyd_warshall(n, i, j, d)
    beaten = total = 0
    for a, b in zip(*np.triu_indices(n, 1)):
        gap = 0.9 * math.hypot(*(xy[a] - xy[b]))  # gaps a little under the straight line, as bounds are
        middle = (xy[a] + xy[b]) / 2
        if _hub_beats(a, b, middle[0], middle[1], gap, hubs.origin, hubs.spacing, hubs.grid, hubs.table):
            assert dist[a, b] <= gap
            beaten += 1
        total += 1
    assert beaten > 0.1 * total


@pytest.mark.parametrize("cap", [1, 256])
@pytest.mark.parametrize("spacing, inner", [(None, 0.0), (3.0, 0.0), (15.0, 0.0), (3.0, 8.0)])
def test_candidates_match_brute_force(cap, spacing, inner):
    """Pairs j > i whose lower bound (centres apart less both radii, over kmax) is within the limit and
    below the path over the links (Floyd–Warshall, inf beyond the limit); cap 1 forces the reruns. A pair's
    path comes back exact, or inf where the search stopped before reaching it (past the pair's bound).
    With hubs, the pairs a path through a hub beats are never searched for, and the same pairs come back."""
    rng = np.random.default_rng(5)
    n, kmax, limit = 90, 1.02, 30.0
    xy, i, j, d = random_links(rng, n, 10.0)
    radius = rng.uniform(0, 3, n)
    dist = floyd_warshall(n, i, j, d)
    path = np.where(dist <= limit, dist, np.inf)
    gap = (np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) - radius[:, None] - radius[None, :]) / kmax
    apart = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) / kmax
    rows = np.arange(0, n, 2)
    want = {
        (r, c): path[r, c]
        for r in rows
        for c in range(r + 1, n)
        if gap[r, c] <= limit and gap[r, c] < path[r, c] and apart[r, c] >= inner
    }
    hubs = Hubs.over(n, (i, j, d), xy, spacing, limit) if spacing else None  # the same pairs, fewer searched
    r, c, best = candidates(n, (i, j, d), xy, radius, kmax, limit, rows, cap=cap, hubs=hubs, inner=inner)
    got = dict(zip(zip(r.tolist(), c.tolist()), best.tolist()))
    assert len(r) == len(got) == len(want) > 0 and got.keys() == want.keys()
    exact = [pair for pair in want if np.isfinite(got[pair])]
    assert [got[pair] for pair in exact] == pytest.approx([want[pair] for pair in exact], rel=1e-12)
    assert len(exact) > 0


def blob(rng, x, y):
    """A noisy, concave site of 3-9 km radius around (x, y) km."""
    t = np.sort(rng.uniform(0, 2 * np.pi, 30))
    r = rng.uniform(3, 9) * KM * rng.uniform(0.5, 1.0, 30)
    return Polygon(np.c_[x * KM + r * np.cos(t), y * KM + r * np.sin(t)]).buffer(0)


@pytest.mark.parametrize("seed", [11, 12])
def test_protconn_matches_brute_force_on_random_subsets(seed):
    """A random 45 of 150 sites scattered over 300 km × 300 km, at 10, 30 and 100 km: ProtConn (pruned
    links, one pass for all three) against every pair's ground distance and scipy's dense Dijkstra."""
    rng = np.random.default_rng(seed)
    field = [blob(rng, *rng.uniform(0, 300, 2)) for _ in range(150)]
    subset = [field[k] for k in rng.choice(150, 45, replace=False)]
    flat = clean(subset)
    g = flat.geometry.to_numpy()
    areas = shapely.area(g)
    d = ground_distances(g)
    region = box(-20 * KM, -20 * KM, 320 * KM, 320 * KM)
    table = protconn(flat, [("r", region)], [10 * KM, 30 * KM, 100 * KM])
    for median, got in zip([10, 30, 100], table["eca_ha"]):
        k = math.log(2) / (median * KM)
        cost = np.where(k * d <= MAX_COST, np.maximum(k * d, 1e-300), 0.0)
        np.fill_diagonal(cost, 0.0)
        best = dijkstra(csr_matrix(cost), directed=False)
        p = np.where(best <= MAX_COST, np.exp(-best), 0.0)
        assert got == pytest.approx(math.sqrt(areas @ p @ areas) / 1e4, rel=1e-7)


def test_beaten_links_are_those_a_shorter_path_beats():
    """A link is dropped where Floyd–Warshall finds a strictly shorter path; dropping them all at once
    leaves every shortest path's length as it was."""
    rng = np.random.default_rng(9)
    n = 100
    _, i, j, d = random_links(rng, n, 15.0)
    dist = floyd_warshall(n, i, j, d)
    drop = beaten(n, i, j, d)
    assert drop.tolist() == (dist[i, j] < d).tolist() and 0 < drop.sum() < len(d)
    assert np.array_equal(floyd_warshall(n, i[~drop], j[~drop], d[~drop]), dist)


def test_the_kernels_agree_run_as_plain_python():
    """numba's compiled kernels are invisible to coverage and to a debugger: run this file's graph cases once more
    with NUMBA_DISABLE_JIT=1 (the same functions as plain Python), in a subprocess that coverage measures."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", __file__,
         "-k", "floyd or lone or candidates or beaten or hub"],
        env={**os.environ, "NUMBA_DISABLE_JIT": "1"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0 and "18 passed" in done.stdout, done.stdout[-2000:]
