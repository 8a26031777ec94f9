"""Least-cost corridors between neighbouring protected areas over a resistance surface.

Cost-distance is scikit-image's ``MCP_Geometric``: a step between two cells costs its length (m)
times the mean resistance of the two cells, so a path's cost is resistance × metres (reported in km:
a cost of 1 km is one kilometre at resistance 1). From each area's cells the accumulated cost to
every cell is found once; the least cost L between areas A and B is the cheapest B cell from A, and
the corridor is the band of cells with cost-from-A + cost-from-B ≤ (1 + tolerance)·L (McRae's
"least-cost corridor"), less the cells of A and B themselves. Its protected share is measured on
the vector corridor (the band's cells as polygons) against the union of all flattened sites, so a
stepping stone in the middle of a corridor counts.

Which pairs: the flattened sites inside a species' range, each with its ``neighbours`` nearest others
at most ``max_distance`` apart edge to edge (an STRtree query, never all pairs). Sites that touch
need no corridor and are left out. A site with no other that near still gets a row with its nearest
other, saying there is no passable path within ``max_distance``, as does a pair that barriers part:
nothing is dropped in silence. The resistance grid is cut to the range's bounds widened by
``max_distance``, which keeps each cost surface small.
"""

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import rasterio
import rasterio.features
import rasterio.warp
import shapely
from affine import Affine
from skimage.graph import MCP_Geometric

from pacov.analyses.connectivity import Links, network
from pacov.analyses.corridor_defaults import MAX_DISTANCE_M, NEIGHBOURS, TOLERANCE
from pacov.analyses.ground import Plane
from pacov.engine.overlay import M2_PER_HA
from pacov.errors import PacovError

NO_PATH = "no passable path"
OFF_GRID = "a site lies off the resistance grid or on barrier cells"


@dataclass
class Grid:
    """Resistance on square cells of ``cell`` metres in an equal-area CRS; ``inf`` is impassable."""

    resistance: np.ndarray
    transform: Affine
    crs: pyproj.CRS
    cell: float

    def window(self, bounds):
        """The part of the grid inside ``bounds`` (x0, y0, x1, y1), whole cells."""
        t = self.transform  # north up: no rotation terms
        rows, cols = self.resistance.shape
        c0, c1 = (max(int(np.floor((bounds[0] - t.c) / t.a)), 0), min(int(np.ceil((bounds[2] - t.c) / t.a)), cols))
        r0, r1 = (max(int(np.floor((bounds[3] - t.f) / t.e)), 0), min(int(np.ceil((bounds[1] - t.f) / t.e)), rows))
        if r1 <= r0 or c1 <= c0:
            return None
        shifted = Affine(t.a, 0, t.c + c0 * t.a, 0, t.e, t.f + r0 * t.e)
        return Grid(self.resistance[r0:r1, c0:c1], shifted, self.crs, self.cell)


def impassable(values, nodata):
    """Resistance as float64 with nodata, NaN and values ≤ 0 set to inf (MCP's barrier)."""
    values = values.astype("float64")
    bad = ~np.isfinite(values) | (values <= 0)
    if nodata is not None:
        bad |= values == nodata
    values[bad] = np.inf
    return values


def read_resistance(path, crs):
    """The resistance raster ``path`` on square cells in ``crs`` (metres).

    A raster already in ``crs`` with square cells is used as is; any other is warped at its own cell
    size in metres, taking the minimum of the source cells in each new cell: values stay source
    values (classes stay classes) and a valley one cell wide is never lost between cell centres.
    """
    crs = pyproj.CRS(crs)
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise PacovError(f"resistance {path}: the raster has no CRS; give it one (gdal_edit.py -a_srs)")
            values, nodata, transform, src_crs = src.read(1), src.nodata, src.transform, pyproj.CRS(src.crs)
            width, height, bounds = src.width, src.height, src.bounds
    except rasterio.errors.RasterioIOError as exc:
        raise PacovError(f"resistance {path}: not a readable raster ({str(exc).splitlines()[0]})") from None
    values = impassable(values, nodata)
    if src_crs == crs and transform.a == -transform.e and transform.b == transform.d == 0:
        return Grid(values, transform, crs, abs(transform.a))
    dst_transform, dst_width, dst_height = rasterio.warp.calculate_default_transform(
        src_crs, crs, width, height, *bounds
    )
    cell = max(abs(dst_transform.a), abs(dst_transform.e))
    dst_transform, dst_width, dst_height = rasterio.warp.calculate_default_transform(
        src_crs, crs, width, height, *bounds, resolution=cell
    )
    target = np.full((dst_height, dst_width), np.nan)
    rasterio.warp.reproject(
        np.where(np.isinf(values), np.nan, values),
        target,
        src_transform=transform,
        src_crs=src_crs,
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=crs,
        dst_nodata=np.nan,
        resampling=rasterio.warp.Resampling.min,
    )
    return Grid(impassable(target, None), dst_transform, crs, cell)


def site_cells(geoms, grid):
    """(rows, cols) of the cells of each site: centres inside it, or the cell of a point on it
    when the site is smaller than a cell; empty when it lies off the grid."""
    shape = grid.resistance.shape
    labels = rasterio.features.rasterize(
        ((g, k + 1) for k, g in enumerate(geoms)), out_shape=shape, transform=grid.transform, fill=0, dtype="int32"
    )
    flat = labels.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(len(geoms) + 2))
    cells = []
    for k, geom in enumerate(geoms):
        idx = order[bounds[k + 1] : bounds[k + 2]]
        rows, cols = np.unravel_index(idx, shape)
        if not len(idx):
            point = shapely.point_on_surface(geom)
            r, c = rasterio.transform.rowcol(grid.transform, point.x, point.y)
            inside = 0 <= r < shape[0] and 0 <= c < shape[1]
            rows, cols = (np.array([r]), np.array([c])) if inside else (np.array([], int), np.array([], int))
        keep = np.isfinite(grid.resistance[rows, cols])
        cells.append((rows[keep], cols[keep]))
    return cells, labels


def pairs(geoms, crs, neighbours, max_distance):
    """(i, j, edge distance on the ground) of each site's ``neighbours`` nearest others within
    ``max_distance``, i < j, and the sites with no other within ``max_distance`` (touching ones included)."""
    links = Links.within(geoms, max_distance, crs)
    lonely = np.setdiff1d(np.arange(len(geoms)), np.r_[links.i, links.j])
    apart = links.d > 0
    i, j, d = links.i[apart], links.j[apart], links.d[apart]
    both = pd.DataFrame({"site": np.r_[i, j], "other": np.r_[j, i], "d": np.r_[d, d]})
    near = both.sort_values(["site", "d", "other"], kind="stable").groupby("site").head(neighbours)
    chosen = pd.DataFrame({"i": near[["site", "other"]].min(axis=1), "j": near[["site", "other"]].max(axis=1)})
    chosen = chosen.drop_duplicates().merge(pd.DataFrame({"i": i, "j": j, "d": d}), on=["i", "j"])
    found = chosen.sort_values(["i", "j"]).to_numpy().T if len(chosen) else (np.array([]),) * 3
    return (*found, lonely)


def out_of_reach(geoms, crs, lonely):
    """(i, j, edge distance on the ground) from each site of ``lonely`` to its nearest other, i < j: the
    pairs that --max-distance rules out, so that they still get a row. Nearest in a conformal plane
    (ground.Plane), which keeps the order of distances but for second-order differences."""
    if len(geoms) < 2 or not len(lonely):
        return []
    plane = Plane.around(geoms, crs, 0.0)
    flat = plane.project(geoms)
    tree = shapely.STRtree(flat)
    k, other = tree.query_nearest(flat[lonely], exclusive=True, all_matches=False)
    d = plane.lengths(shapely.shortest_line(flat[lonely[k]], flat[other]))
    found = {(min(a, b), max(a, b)): gap for a, b, gap in zip(lonely[k], other, d)}
    return [(a, b, gap) for (a, b), gap in sorted(found.items())]


def path_length(path, cell):
    """Length (m) of a traceback path through cell centres."""
    steps = np.diff(np.asarray(path, dtype="float64"), axis=0)
    return float(np.hypot(steps[:, 0], steps[:, 1]).sum() * cell)


def band_polygon(band, grid):
    """The cells of a boolean band as one (multi)polygon."""
    shapes = rasterio.features.shapes(band.astype("uint8"), mask=band, transform=grid.transform)
    return shapely.union_all([shapely.geometry.shape(geom) for geom, _ in shapes])


def species_corridors(net, all_sites, grid, neighbours=NEIGHBOURS, max_distance=MAX_DISTANCE_M, tolerance=TOLERANCE):
    """Corridors among the sites of one network (connectivity.network); rows and their polygons.

    A pair with no path gets a row too, saying why (NO_PATH): barriers between them, a site off the
    grid or on barrier cells, or each site's nearest other farther than ``max_distance``.
    """
    geoms = net.sites.geometry.to_numpy()
    i, j, d, lonely = pairs(geoms, net.sites.crs, neighbours, max_distance)
    out = [
        pair_row(net, a, b, gap, f"{NO_PATH}: farther apart than --max-distance")
        for a, b, gap in out_of_reach(geoms, net.sites.crs, lonely)
    ]
    if not len(i):
        return out
    i, j = i.astype(int), j.astype(int)
    x0, y0, x1, y1 = shapely.total_bounds(geoms[np.r_[i, j]])
    part = grid.window((x0 - max_distance, y0 - max_distance, x1 + max_distance, y1 + max_distance))
    if part is None:
        return out + [pair_row(net, a, b, gap, f"{NO_PATH}: {OFF_GRID}") for a, b, gap in zip(i, j, d)]
    cells, labels = site_cells(geoms, part)
    protected = shapely.union_all(all_sites)
    mcp = MCP_Geometric(part.resistance, sampling=(part.cell, part.cell))
    costs = {}
    for k in np.unique(np.r_[i, j]):
        if len(cells[k][0]):
            costs[k] = mcp.find_costs(list(zip(*cells[k])))[0].copy()  # MCP reuses its array
    for a in np.unique(i):
        if a in costs:
            mcp.find_costs(list(zip(*cells[a])))  # the traceback needs A's search
        for b, gap in zip(j[i == a], d[i == a]):
            if a not in costs or b not in costs:
                out.append(pair_row(net, a, b, gap, f"{NO_PATH}: {OFF_GRID}"))
                continue
            reached = costs[a][cells[b]]
            if not np.isfinite(reached).any():
                out.append(pair_row(net, a, b, gap, f"{NO_PATH}: barriers (nodata or resistance <= 0) part them"))
                continue
            end = int(np.argmin(reached))
            least = float(reached[end])
            length = path_length(mcp.traceback((cells[b][0][end], cells[b][1][end])), part.cell)
            band = (costs[a] + costs[b] <= least * (1 + tolerance)) & (labels != a + 1) & (labels != b + 1)
            corridor = band_polygon(band, part) if band.any() else shapely.Polygon()
            out.append(pair_row(net, a, b, gap, "", length, least, corridor, protected))
    return sorted(out, key=lambda row: (row["from_id"], row["to_id"]))


def pair_row(net, a, b, gap, path, length=np.nan, least=np.nan, corridor=None, protected=None):
    """One row of the table: sites ``a`` and ``b`` of ``net``, their corridor, or ``path`` saying why none."""
    corridor = shapely.Polygon() if corridor is None else corridor
    area = shapely.area(corridor)
    covered = shapely.area(shapely.intersection(corridor, protected)) if area else 0.0
    names = net.sites["NAME"] if "NAME" in net.sites else pd.Series([""] * len(net.sites))
    return {
        "species": net.name,
        "from_id": net.sites["WDPAID"].iat[a],
        "from_name": names.iat[a],
        "to_id": net.sites["WDPAID"].iat[b],
        "to_name": names.iat[b],
        "gap_km": gap / 1000,
        "length_km": length / 1000,
        "cost_km": least / 1000,
        "corridor_ha": area / M2_PER_HA,
        "protected_ha": covered / M2_PER_HA,
        "protected_share": covered / area if area else float("nan"),
        "path": path or "least cost",
        "geometry": corridor,
    }


def corridors(sites, regions, grid, neighbours=NEIGHBOURS, max_distance=MAX_DISTANCE_M, tolerance=TOLERANCE):
    """Least-cost corridors between neighbouring sites in each region (species' range).

    ``sites``: flattened protected areas in ``grid.crs`` (equal-area); ``regions``: (species,
    polygonal geometry) pairs. A GeoDataFrame with one row per corridor: the two sites, their gap
    (edge to edge, km), the least-cost path's length (km, cell centre to cell centre) and cost
    (resistance × km), the corridor's area and its protected area (ha) and share (0-1; NaN for
    sites one cell apart, which leave no corridor cell between them).
    """
    if not (neighbours >= 1 and max_distance > 0 and tolerance >= 0):
        raise PacovError("--neighbours must be at least 1, --max-distance positive and --tolerance not negative")
    rows = []
    for name, region in regions:
        net = network(sites, name, region)
        rows += species_corridors(net, sites.geometry.to_numpy(), grid, neighbours, max_distance, tolerance)
    columns = ["species", "from_id", "from_name", "to_id", "to_name", "gap_km", "length_km", "cost_km"]
    columns += ["corridor_ha", "protected_ha", "protected_share", "path", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=grid.crs)
