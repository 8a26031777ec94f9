"""Connectivity of protected areas: ECA and ProtConn (Saura et al. 2017, 2018), and each site's dECA.

Nodes are flattened protected areas clipped to a region (a country, a species' range), weighted by
their area. Two nodes at edge-to-edge distance d are linked with probability p = exp(−k·d), where
k = ln 2 / (median dispersal distance), so p = 0.5 at the median. The best path between two nodes
(p*, the maximum product of link probabilities) is a shortest path on −ln p = k·d, found with
Dijkstra. ECA = √(Σ_i Σ_j a_i a_j p*_ij), the area of one patch that would be as well connected as
the whole network; ProtConn = 100·ECA / A_region (percent). Distances d are on the ground
(ground.py), whatever the analysis CRS.

Cost: probabilities below LINK_FLOOR count as 0, for links and paths alike. Links therefore come
only from an STRtree ``dwithin`` query at the distance where p reaches the floor, pruned to those a
shortest path can use, and Dijkstra stops there (bestpaths.py: every distance in one pass, sources
in parallel, memory growing with the links, never with n²). site_importance, meant for a few hundred
sites, solves each connected component on its own with scipy.sparse.csgraph, rows in blocks.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from pacov.analyses.bestpaths import beaten, candidates, eca_sums
from pacov.analyses.ground import Plane, nearest_lines, on_threads, paired
from pacov.analyses.hubs import Hubs
from pacov.cleaning.repair import polygonal_part
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import M2_PER_HA
from pacov.engine.ranges import dissolve
from pacov.errors import PacovError
from pacov.stages import stage

LINK_FLOOR = 1e-4  # p below this counts as no link (and p* below it as no path)
MAX_COST = -math.log(LINK_FLOOR)  # the same floor on the −ln p scale
ZERO_COST = np.finfo(float).tiny  # touching sites (d = 0, p = 1): scipy drops explicit zero weights
ROWS_PER_BLOCK = 512  # rows of p* held at once (site_importance)
SOURCES_PER_BAND_BLOCK = 4096  # sources whose candidate pairs (with_shortcuts) are held at once
EXACT_TO = 1e-6  # metres in the plane: edge_distance's nearest points are exact to this
NEAR_FACTOR = 2.0  # pruned links: found directly within this many nearest-neighbour distances
BAND_FACTOR = 3.0  # pruned links: each band of far pairs reaches this many times further than the last
HUB_SPACING = 1.0  # a band's hubs (hubs.Hubs) lie this many times its inner distance apart


def decay(median_m):
    """k in p = exp(−k·d): ln 2 over the median dispersal distance."""
    return math.log(2) / median_m


def link_cutoff(median_m):
    """The distance (m) where p falls to LINK_FLOOR: links are only sought within it."""
    return MAX_COST / decay(median_m)


def check_distances(distances):
    """Dispersal distances as positive floats (numpy numbers too, as Python callers pass them); anything
    else, ``True`` included, is an error saying what to give."""
    out = []
    for d in distances:
        if isinstance(d, bool | np.bool_) or not (isinstance(d, numbers.Real) and math.isfinite(d) and d > 0):
            raise PacovError(f"--distance {d}: a median dispersal distance must be a positive number of metres")
        out.append(float(d))
    if not out:
        raise PacovError("give at least one --distance METRES (median dispersal distance)")
    return out


def clip_to_region(geoms, region):
    """The polygonal part of each geometry inside ``region`` (a valid polygonal geometry)."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), shapely.Polygon(), dtype=object)
    shapely.prepare(region)
    hit = shapely.intersects(region, geoms)
    inside = hit & shapely.contains(region, geoms)
    out[inside] = geoms[inside]
    border = hit & ~inside
    out[border] = polygonal_part(shapely.intersection(geoms[border], region))
    return out


def edge_distance(geoms, hulls, i, j, plane):
    """Edge-to-edge distance on the ground (m) of each pair (geoms[i], geoms[j]), all in ``plane``, in
    chunks of pairs on threads (GEOS releases the GIL).

    The shortest line between convex hulls is the pair's shortest line itself when both of its end
    points lie on the polygons (as they do for most pairs): only the other pairs pay for GEOS's full
    vertex-by-vertex shortest line (or an intersects test, for sites that touch). The line's ends are
    the pair's nearest points, and the geodesic between them its distance (ground.Plane).
    """

    def chunk(part):
        a, b = i[part], j[part]
        lines = shapely.shortest_line(hulls[a], hulls[b])
        on_a = shapely.distance(shapely.get_point(lines, 0), geoms[a]) <= EXACT_TO / 2
        on_b = shapely.distance(shapely.get_point(lines, -1), geoms[b]) <= EXACT_TO / 2
        slow = np.flatnonzero(~(on_a & on_b))
        touching = shapely.intersects(geoms[a[slow]], geoms[b[slow]])
        apart = slow[~touching]
        lines[apart] = nearest_lines(geoms[a[apart]], geoms[b[apart]], lines[apart])
        d = plane.lengths(lines)
        d[slow[touching]] = 0.0
        return d

    return on_threads(chunk, len(i)).astype(float)


@dataclass
class Links:
    """Links among ``n`` nodes: pairs i < j and their edge-to-edge distance (m)."""

    n: int
    i: np.ndarray
    j: np.ndarray
    d: np.ndarray

    @classmethod
    def within(cls, geoms, cutoff_m, crs, prune=False, name="the sites"):
        """Every pair of ``geoms`` (in ``crs``) at most ``cutoff_m`` apart on the ground: an STRtree
        ``dwithin`` query on the convex hulls in a conformal plane (never all pairs), within the
        plane distance that no such pair exceeds, then the ground distance of each pair found.

        With ``prune``, only the pairs that can lie on a shortest path (see ``with_shortcuts``): the
        same p* for every pair of nodes, and so the same ECA, from far fewer links.
        """
        with stage("  links: conformal plane"):
            plane = Plane.around(geoms, crs, cutoff_m, name)
            geoms = plane.project(geoms)
            hulls = on_threads(lambda part: shapely.convex_hull(geoms[part]), len(geoms))
            tree = shapely.STRtree(hulls)
        reach = plane.reach(cutoff_m)
        near = min(reach, near_radius(tree, hulls)) if prune else reach
        with stage(f"  links: pairs within {near / 1000:,.0f} km"):
            i, j = tree.query(hulls, predicate="dwithin", distance=near)
            keep = i < j
            i, j = i[keep], j[keep]
            d = edge_distance(geoms, hulls, i, j, plane)
            keep = d <= cutoff_m
            links = cls(len(geoms), i[keep], j[keep], d[keep])
            if prune:
                links = links.unbeaten()
        return links.with_shortcuts(geoms, hulls, plane, plane.lower(near), cutoff_m) if near < reach else links

    def unbeaten(self):
        """These links less those that a path over the others beats (bestpaths.beaten): every p* stays."""
        drop = beaten(self.n, self.i, self.j, self.d)
        return Links(self.n, self.i[~drop], self.j[~drop], self.d[~drop])

    def with_shortcuts(self, geoms, hulls, plane, near_m, cutoff_m):
        """These (near) links plus each longer pair, up to ``cutoff_m``, shorter than every path found.

        Link cost is proportional to distance at any dispersal distance, so a pair whose edge-to-edge
        distance is no less than some path between them (site interiors cost nothing) never lies on
        a shortest path: dropping it leaves every p* unchanged. Far pairs are taken in bands of
        distance, each BAND_FACTOR times as far as the last, so that the links of one band shorten the paths that
        rule out the next. Per band and block of rows, Dijkstra (limited to the band's outer
        distance, bestpaths.candidates) gives the path lengths over the links so far; a cheap lower
        bound on each pair's distance (centres apart less both hull radii, then the hull distance)
        rules most pairs out before any exact distance. Links only ever shorten paths, so no pair needs
        a second look. Bounds are taken in ``plane`` and divided by its largest scale: lower bounds on
        the ground.
        """
        n = self.n
        centre = np.full((n, 2), np.nan)  # an empty site stays NaN: never a candidate
        solid = ~shapely.is_empty(hulls)
        centre[solid] = shapely.get_coordinates(shapely.centroid(hulls[solid]))
        coords, owner = shapely.get_coordinates(hulls, return_index=True)
        radius = np.zeros(n)
        np.maximum.at(radius, owner, np.hypot(*(coords - centre[owner]).T))
        found = [(self.i, self.j, self.d)]
        inner = near_m
        while inner < cutoff_m:
            outer = min(BAND_FACTOR * inner, cutoff_m) if inner > 0 else cutoff_m
            links = tuple(np.concatenate(parts) for parts in zip(*found))
            with stage(f"  links: band to {outer / 1000:,.0f} km"):
                found += self.band(geoms, hulls, plane, links, (centre, radius), (inner, outer), cutoff_m)
            inner = outer
        i, j, d = (np.concatenate(parts) for parts in zip(*found))
        return Links(n, i, j, d).unbeaten()  # a far link can beat near ones that were kept before it

    def band(self, geoms, hulls, plane, links, bounds, band, cutoff_m):
        """The links of one band of ``with_shortcuts`` (pairs whose lower bound lies in ``band``)."""
        n, (inner, outer), found = self.n, band, []
        hubs = Hubs.over(n, links, bounds[0], HUB_SPACING * inner, outer) if inner > 0 else None
        for start in range(0, n, SOURCES_PER_BAND_BLOCK):
            rows = np.arange(start, min(start + SOURCES_PER_BAND_BLOCK, n))
            r, c, best = candidates(n, links, *bounds, plane.kmax, outer, rows, hubs=hubs, inner=inner)
            hull_d = plane.lower(paired(shapely.distance, hulls[r], hulls[c]))
            keep = (hull_d > inner) & (hull_d <= outer) & (hull_d < best)  # this band's pairs only
            r, c, best = r[keep], c[keep], best[keep]
            d = edge_distance(geoms, hulls, r, c, plane)
            keep = (d < best) & (d <= cutoff_m)
            found.append((r[keep], c[keep], d[keep]))
        return found

    def costs(self, median_m):
        """The sparse graph of −ln p = k·d over the links p ≥ LINK_FLOOR, at one median distance."""
        k = decay(median_m)
        cost = k * self.d
        keep = cost <= MAX_COST
        weight = np.maximum(cost[keep], ZERO_COST)
        return coo_matrix((weight, (self.i[keep], self.j[keep])), shape=(self.n, self.n)).tocsr()


def near_radius(tree, hulls):
    """The distance within which links are found directly when pruning: twice the 90th percentile of
    each site's nearest-neighbour distance (a speed setting only: the result does not depend on it)."""
    if len(hulls) < 2:
        return 0.0
    _, nearest = tree.query_nearest(hulls, exclusive=True, return_distance=True, all_matches=False)
    return NEAR_FACTOR * float(np.quantile(nearest, 0.9))


def component_sum(graph, areas):
    """Σ_i Σ_j a_i a_j p*_ij over one connected component (graph and areas restricted to it)."""
    if len(areas) == 1:
        return float(areas[0] ** 2)
    total = 0.0
    for start in range(0, len(areas), ROWS_PER_BLOCK):
        rows = np.arange(start, min(start + ROWS_PER_BLOCK, len(areas)))
        cost = dijkstra(graph, directed=False, indices=rows, limit=MAX_COST)
        total += float(areas[rows] @ np.exp(-cost) @ areas)
    return total


def components(graph):
    """Node indices of each connected component of the link graph."""
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def eca_areas(areas, links, distances):
    """ECA (m²) at each median dispersal distance: √(Σ_i Σ_j a_i a_j p*_ij), all distances in one pass
    of Dijkstra bounded by the largest one's cutoff (bestpaths.eca_sums)."""
    sums = eca_sums(len(areas), links.i, links.j, links.d, areas, [decay(m) for m in distances], MAX_COST)
    return np.sqrt(np.maximum(sums, 0.0))


def protconn_row(areas, eca_m2, median_m, region_m2):
    """ECA and Saura's fractions for one region at one median dispersal distance.

    prot: protected share of the region; protconn: protected and connected; protunconn = prot −
    protconn; unprotected = 100 − prot (all percent). ProtConn_Trans does not apply: nodes are
    clipped to the region, so no protected area outside it serves as a stepping stone.
    """
    prot = 100 * areas.sum() / region_m2
    protconn = 100 * eca_m2 / region_m2
    return {
        "distance_m": median_m,
        "region_ha": region_m2 / M2_PER_HA,
        "protected_ha": areas.sum() / M2_PER_HA,
        "eca_ha": eca_m2 / M2_PER_HA,
        "prot": prot,
        "protconn": protconn,
        "protunconn": prot - protconn,
        "unprotected": 100 - prot,
    }


@dataclass
class Network:
    """The nodes of one region: clipped site geometries, their areas (m²) and the region's area."""

    name: str
    sites: object  # GeoDataFrame of the sites with a part inside the region, clipped to it
    areas: np.ndarray
    region_m2: float


def network(sites, name, region):
    """The protected areas of ``sites`` (flattened, equal-area CRS) that lie in ``region``, clipped."""
    region_m2 = shapely.area(region)
    if not region_m2 > 0:
        raise PacovError(f"region {name}: has no area; give a polygon layer")
    clipped = clip_to_region(sites.geometry.to_numpy(), region)
    keep = shapely.area(clipped) > 0
    inside = sites[keep].copy()
    inside[inside.geometry.name] = clipped[keep]
    return Network(name, inside.reset_index(drop=True), shapely.area(clipped[keep]), region_m2)


def protconn(sites, regions, distances, key="region"):
    """ProtConn of ``sites`` in each region at each median dispersal distance (m).

    ``sites``: flattened protected areas in an equal-area CRS (clean.clean_protected_areas);
    ``regions``: (name, polygonal geometry) pairs in the same CRS. One row per region and distance;
    ``key`` names the region column ("region", or "species" when regions are ranges).
    """
    distances = check_distances(distances)
    rows = []
    for name, region in regions:
        net = network(sites, name, region)
        geoms = net.sites.geometry.to_numpy()
        links = Links.within(geoms, link_cutoff(max(distances)), sites.crs, prune=True, name=f"{key} {name}")
        for median_m, eca_m2 in zip(distances, eca_areas(net.areas, links, distances)):
            rows.append({key: name, **protconn_row(net.areas, eca_m2, median_m, net.region_m2)})
    return pd.DataFrame(rows)


def site_importance(net, median_m, label_field="NAME"):
    """dECA per node (a site, or one parcel of it): the percentage of the network's ECA lost without it.

    Removing a site changes paths only inside its own component, so only that component is solved
    again; a stepping stone scores more than its area alone would give it. Costs one component
    solve per site: meant for national networks of up to a few hundred sites.
    """
    links = Links.within(net.sites.geometry.to_numpy(), link_cutoff(median_m), net.sites.crs)
    graph = links.costs(median_m)
    parts = components(graph)
    sums = [component_sum(graph[nodes][:, nodes], net.areas[nodes]) for nodes in parts]
    total = sum(sums)
    eca = math.sqrt(total)
    loss = np.zeros(len(net.areas))
    for nodes, own in zip(parts, sums):
        for k, node in enumerate(nodes):
            rest = np.delete(nodes, k)
            without = component_sum(graph[rest][:, rest], net.areas[rest]) if len(rest) else 0.0
            # the rest of a component may fall apart: component_sum on it still gives its Σ a a p*
            loss[node] = 100 * (eca - math.sqrt(total - own + without)) / eca
    parcel = ["WDPA_PID"] if "WDPA_PID" in net.sites.columns else []  # a site (WDPAID) may be several parcels
    table = pd.DataFrame(
        {
            "region": net.name,
            "distance_m": median_m,
            **{field: net.sites[field].to_numpy() for field in ["WDPAID", *parcel]},
            "name": net.sites[label_field].to_numpy() if label_field in net.sites.columns else "",
            "area_ha": net.areas / M2_PER_HA,
            "deca": loss,
        }
    )
    # most important first; the index stays the node (the row of net.sites), which is what maps need
    return table.rename_axis("node").sort_values("deca", ascending=False, kind="stable")


def range_protconn(sites, parts, distances):
    """ProtConn of an unflattened site layer within each species' range (``parts``, one CRS).

    What ``scenario compare --distance`` adds per scenario: the protected and connected share of
    each range, after the scenario's operations.
    """
    flat, _ = erase_overlaps(sites)
    regions = [(row.sci_name, row.geometry) for row in dissolve(parts).itertuples()]
    return protconn(flat, regions, distances, key="species")


def protconn_columns(table, distances):
    """``protconn_<km>km`` columns (one per distance) of a ``range_protconn`` table, one row per species."""
    wide = table.pivot(index="species", columns="distance_m", values="protconn")
    return wide[list(distances)].rename(columns=lambda d: f"protconn_{d / 1000:g}km")
