"""Overlay species ranges with flattened protected areas: protected hectares and shares.

All inputs are in one equal-area CRS in metres (see project.py); areas are reported in hectares.
The protected area of a range is the sum of its intersections with the flattened (disjoint)
sites, so the breakdowns by site, designation and category add up exactly to that total.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from pacov.engine.flatten import SITE_GEOMETRY
from pacov.engine.ranges import dissolve
from pacov.engine.subdivide import subdivide_all
from pacov.runner import SERIAL, split, split_by_cost

M2_PER_HA = 1e4
SITE_FIELDS = ["WDPAID", "NAME", "DESIG_ENG", "IUCN_CAT", "STATUS_YR"]


class RangeOverlay:
    """Ranges dissolved by ``keys`` and cut into small pieces once, for any number of overlays."""

    def __init__(self, parts, keys=("sci_name",), runner=SERIAL):
        self.keys = list(keys)
        self.runner = runner
        self.parts = parts
        self.ranges = dissolve(parts, self.keys, runner)
        self.geoms = self.ranges.geometry.to_numpy()
        self.range_ha = shapely.area(self.geoms) / M2_PER_HA
        slices = split(len(self.geoms), runner)
        chunks = runner.map(subdivide_all, [self.geoms[s] for s in slices])
        pieces = np.concatenate([c[0] for c in chunks])
        owner = np.concatenate([c[1] + s.start for c, s in zip(chunks, slices)])
        # along a Hilbert curve, so that a chunk of pieces is compact and meets few targets
        order = (
            np.argsort(gpd.GeoSeries(pieces).hilbert_distance().to_numpy(), kind="stable")
            if len(pieces) > 1
            else np.arange(len(pieces))
        )
        self.pieces, self.owner = pieces[order], owner[order]

    def areas(self, targets):
        """Pairs (i: range, j: target, ha) of overlapping ranges and targets (an array of geometries).

        An STRtree pairs pieces with targets; a target wholly inside a piece counts its own area with
        no overlay at all. The targets must be disjoint (flattened) for the pairs to add up.
        """
        p, j, area = self._map(piece_areas, targets)
        pairs = pd.DataFrame({"i": self.owner[p], "j": j, "ha": area / M2_PER_HA})
        pairs = pairs.groupby(["i", "j"], as_index=False, sort=True)["ha"].sum()
        return pairs[pairs["ha"] > 0].reset_index(drop=True)

    def protected(self, targets):
        """Hectares of each range inside the union of ``targets``, which may overlap (a Series by range index).

        The species totals need no flattening: each small piece is intersected with the targets over
        it and only those parts are unioned, so a hectare under three sites counts once, as with
        PostGIS's per-range ``ST_Union``, without any range-sized union.
        """
        p, area = self._map(piece_union_areas, targets)
        return pd.Series(area / M2_PER_HA).groupby(self.owner[p]).sum()

    def _map(self, func, targets):
        """``func`` over chunks of pieces, each chunk with the targets near it; its columns concatenated.

        The first column a chunk returns is a piece index within the chunk: it comes back global.
        """
        targets = np.asarray(targets, dtype=object)
        near_piece, near_target = shapely.STRtree(shapely.envelope(targets)).query(shapely.envelope(self.pieces))
        order = np.argsort(near_piece, kind="stable")
        near_piece, near_target = near_piece[order], near_target[order]
        costs = overlay_costs(
            near_piece, near_target, shapely.get_num_coordinates(self.pieces), shapely.get_num_coordinates(targets)
        )
        slices = split_by_cost(costs, self.runner)
        bounds = np.searchsorted(near_piece, [s.start for s in slices] + [len(self.pieces)])
        tasks = []
        for part, a, b in zip(slices, bounds[:-1], bounds[1:]):  # each chunk travels with just the targets near it
            near = np.unique(near_target[a:b])
            tasks.append((self.pieces[part], targets[near], near))
        results = self.runner.map(func, tasks)
        first = np.concatenate([r[0] + s.start for r, s in zip(results, slices)])
        return (first, *(np.concatenate(column) for column in list(zip(*results))[1:]))


def overlay_costs(near_piece, near_target, piece_vertices, target_vertices):
    """A rough cost of each piece's overlay from its pairs with the targets whose boxes meet it: targets
    near it × their vertices (the unions of deep stacks grow with both), plus its own vertices."""
    n = len(piece_vertices)
    vertices = np.bincount(near_piece, np.asarray(target_vertices)[near_target], minlength=n)
    return np.bincount(near_piece, minlength=n) * vertices + np.asarray(piece_vertices)


def piece_areas(task):
    """(piece, target, m²) for every overlapping pair (a task); a target inside a piece needs no overlay.

    ``task`` is (pieces, nearby targets, their indices among all targets).
    """
    pieces, targets, index = task
    p, j, area = _piece_areas(pieces, targets)
    return p, index[j], area


def _piece_areas(pieces, targets):
    tree = shapely.STRtree(targets)
    p, j = tree.query(pieces, predicate="intersects")
    return p, j, shapely.area(_parts(pieces, targets, tree, p, j))


def _parts(pieces, targets, tree, p, j):
    """The part of each target ``j`` inside piece ``p``: a target inside its piece needs no overlay."""
    inside_p, inside_j = tree.query(pieces, predicate="contains")
    contained = np.isin(p * len(targets) + j, inside_p * len(targets) + inside_j)
    parts = np.empty(len(p), dtype=object)
    parts[contained] = targets[j[contained]]
    parts[~contained] = shapely.intersection(pieces[p[~contained]], targets[j[~contained]])
    return parts


def piece_union_areas(task):
    """(piece, m² of it inside the union of the nearby targets) for each piece a target meets (a task).

    A piece inside a target is wholly protected, with no overlay; a piece met by one target needs
    one intersection; only a piece under several targets needs a union, of its parts inside them
    (small, as pieces are). Each part is cut once.
    """
    pieces, targets, _ = task
    tree = shapely.STRtree(targets)
    p, j = tree.query(pieces, predicate="intersects")
    order = np.lexsort((j, p))  # by piece, then target: the tree's own order depends on the chunk's targets
    p, j = p[order], j[order]
    hit = np.flatnonzero(np.bincount(p, minlength=len(pieces)))
    whole = np.zeros(len(pieces), dtype=bool)
    whole[tree.query(pieces, predicate="within")[0]] = True
    p, j = p[~whole[p]], j[~whole[p]]
    area = shapely.area(parts := _parts(pieces, targets, tree, p, j))
    met = np.bincount(p, minlength=len(pieces))
    single = met[p] == 1
    out = union_areas(parts[~single], p[~single], len(pieces))  # float even with no part: bincount's is int
    out += np.bincount(p[single], weights=area[single], minlength=len(pieces))
    out[whole] = shapely.area(pieces[whole])
    return hit, out[hit]


def union_areas(parts, owner, count):
    """The area of the union of each owner's parts: ``count`` areas, from ``owner`` (sorted, one per part).

    Parts that meet no other part of their owner add their own area; each group of touching parts is
    unioned pairwise, as a balanced tree (every union stays small until the last), all groups at once.
    Measured on the regional benchmark's pieces: 2.8x faster than one ``union_all`` per piece (GEOS's
    cascaded union), the same areas to 1e-14.
    """
    if not len(parts):
        return np.zeros(count)
    a, b = shapely.STRtree(parts).query(parts)  # boxes only: the predicate is for same-owner pairs alone
    keep = (owner[a] == owner[b]) & (a < b)
    a, b = a[keep], b[keep]
    meet = shapely.intersects(parts[a], parts[b])  # 9x faster than the tree's predicate on every box pair
    a, b = a[meet], b[meet]
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(len(parts), len(parts)))
    _, label = connected_components(graph, directed=False)  # labels never join two owners
    order = np.argsort(label, kind="stable")
    group = np.cumsum(np.diff(label[order], prepend=-1) > 0) - 1
    first = np.flatnonzero(np.diff(group, prepend=-1))
    return np.bincount(owner[order][first], weights=group_union_areas(parts[order], group), minlength=count)


def group_union_areas(geoms, group):
    """The area of the union of each run of ``geoms`` with the same ``group`` (0, 1, 2… in order).

    Level by level, neighbours are unioned in pairs. A group's last pair is never unioned:
    area(a ∪ b) = area(a) + area(b) − area(a ∩ b), and GEOS clips an intersection to the pair's common
    box, which makes it the cheaper overlay (18% less time on the regional benchmark's unions).
    """
    areas = np.zeros(group[-1] + 1 if len(group) else 0)
    while len(group):
        start = np.flatnonzero(np.diff(group, prepend=-1))
        run = np.cumsum(np.diff(group, prepend=-1) > 0) - 1
        size = np.diff(np.append(start, len(group)))[run]
        rank = np.arange(len(group)) - start[run]
        alone = size == 1
        areas[group[alone]] = shapely.area(geoms[alone])
        last = np.flatnonzero((size == 2) & (rank == 0))
        both = shapely.intersection(geoms[last], geoms[last + 1])
        areas[group[last]] = shapely.area(geoms[last]) + shapely.area(geoms[last + 1]) - shapely.area(both)
        left = np.flatnonzero((size > 2) & (rank % 2 == 0) & (rank + 1 < size))
        geoms = geoms.copy()
        geoms[left] = shapely.union(geoms[left], geoms[left + 1])
        keep = (size > 2) & (rank % 2 == 0)
        geoms, group = geoms[keep], group[keep]
    return areas


def coverage_table(overlay, protected_by_range):
    """range_ha, protected_ha and share per range of ``overlay`` from protected hectares per range index."""
    protected = protected_by_range.reindex(range(len(overlay.ranges)), fill_value=0.0).to_numpy()
    return share_table(
        overlay.ranges[overlay.keys].rename(columns={"sci_name": "species"}), overlay.range_ha, protected
    )


def share_table(keys, range_ha, protected_ha):
    """The species table: the ranges' ``keys`` with range_ha, protected_ha and protected_share."""
    table = keys.copy()
    table["range_ha"] = np.asarray(range_ha, dtype=float)
    table["protected_ha"] = np.asarray(protected_ha, dtype=float)
    table["protected_share"] = np.where(table["range_ha"] > 0, table["protected_ha"] / table["range_ha"], 0.0)
    return table.reset_index(drop=True)


def species_coverage(parts, sites, by=(), overlay=None):
    """Per species (and per value of each field in ``by``): range_ha, protected_ha, protected_share."""
    overlay = overlay or RangeOverlay(parts, ["sci_name", *by])
    pairs = overlay.areas(sites.geometry.to_numpy())
    return coverage_table(overlay, pairs.groupby("i")["ha"].sum())


def site_coverage(parts, sites, overlay=None, unique=None):
    """Per species and site: the site's area, the range inside it, and its unique (flattened) share.

    ``range_in_site_ha`` counts the range inside the whole site, overlaps included; ``unique_ha``
    counts only what this site adds once higher-priority sites have taken theirs. ``unique``: the
    overlay's pairs for the flattened sites, when the caller has them already.
    """
    overlay = overlay or RangeOverlay(parts)
    whole = sites[SITE_GEOMETRY].to_numpy() if SITE_GEOMETRY in sites else sites.geometry.to_numpy()
    gross = overlay.areas(whole).rename(columns={"ha": "range_in_site_ha"})
    unique = overlay.areas(sites.geometry.to_numpy()) if unique is None else unique
    unique = unique.rename(columns={"ha": "unique_ha"})
    table = gross.merge(unique, on=["i", "j"], how="left").fillna({"unique_ha": 0.0})
    site_rows = sites.iloc[table["j"]].reset_index(drop=True)
    out = pd.DataFrame({"species": overlay.ranges["sci_name"].to_numpy()[table["i"]]})
    parcel = ["WDPA_PID"] if "WDPA_PID" in sites.columns else []  # a site (WDPAID) may be several parcels
    for field in [SITE_FIELDS[0], *parcel, *SITE_FIELDS[1:]]:
        out[field] = site_rows[field].to_numpy()
    out["site_ha"] = shapely.area(whole[table["j"]]) / M2_PER_HA
    out["range_in_site_ha"] = table["range_in_site_ha"].to_numpy()
    out["unique_ha"] = table["unique_ha"].to_numpy()
    out["share_of_range"] = out["unique_ha"] / overlay.range_ha[table["i"].to_numpy()]
    return out.sort_values(
        ["species", "unique_ha", "WDPAID"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def group_coverage(by_site, field):
    """Sum the unique protected hectares of ``site_coverage`` rows by a site field (designation, category…)."""
    grouped = by_site.groupby(["species", field], as_index=False, sort=True).agg(
        protected_ha=("unique_ha", "sum"), share_of_range=("share_of_range", "sum"), sites=("WDPAID", "nunique")
    )
    return grouped.sort_values(["species", "protected_ha"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )
