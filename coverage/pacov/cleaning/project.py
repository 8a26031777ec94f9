"""Project to an equal-area CRS, so that areas are true areas and never square degrees.

The default is a Lambert azimuthal equal-area projection on the WGS 84 ellipsoid centred on the
data (exactly equal-area, low shape distortion near the centre); data spanning more than a
continent goes to EASE-Grid 2.0 global (EPSG:6933), also equal-area on the ellipsoid. Layers that
are all in one equal-area CRS already are computed in it, as PostGIS would: no reprojection, no
needless approximation. Edges are densified before projecting because a straight edge in one CRS
is a curve in another.

Repair comes after projecting, since moving vertices can make a valid ring touch or cross itself;
densifying before it only inserts points (densify.py), so an invalid polygon keeps every lobe.
"""

import functools
import warnings

import geopandas as gpd
import numpy as np
import pyproj
import shapely
import shapely.affinity
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertAzimuthalEqualAreaConversion

from pacov.cleaning.coordinates import SLACK_DEGREES, check_coordinates
from pacov.cleaning.densify import densify
from pacov.cleaning.repair import repair
from pacov.errors import PacovError
from pacov.runner import SERIAL, split_by_cost

GLOBAL_EQUAL_AREA = "EPSG:6933"
DENSIFY_DEGREES = 0.05
DENSIFY_METRES = 5000.0
CHUNK = 5000


def require_crs(gdf, label, assume_crs=None):
    """Return ``gdf`` with a CRS its coordinates fit (checked once, when a layer is read).

    The CRS is the layer's own; ``assume_crs`` stands in when the layer has none, or when it says
    degrees while its coordinates cannot be degrees (metres in a GeoJSON, a wrong .prj).
    """
    if gdf.crs is None:
        if assume_crs is None:
            raise PacovError(
                f"{label}: has no coordinate reference system; add one (e.g. a .prj file) "
                "or pass --assume-crs EPSG:4326"
            )
        gdf = gdf.set_crs(assume_crs)
    elif assume_crs is not None and gdf.crs.is_geographic and not _fits_degrees(gdf):
        gdf = gdf.set_crs(assume_crs, allow_override=True)
    check_coordinates(gdf, label)
    return gdf


def _fits_degrees(gdf):
    west, south, east, north = gdf.total_bounds
    slack = SLACK_DEGREES
    return (
        not len(gdf)
        or np.isnan(west)
        or (max(abs(west), abs(east)) <= 180 + slack and max(abs(south), abs(north)) <= 90 + slack)
    )


def auto_equal_area_crs(*frames):
    """An equal-area CRS suited to the joint extent of ``frames`` (each with a CRS).

    When every frame is already in one equal-area CRS, that CRS: the data are used in place. Else
    longitudes are taken on the circle, so data on both sides of 180° are one compact extent: a
    Lambert azimuthal equal-area centred on the data, polar when a geometry holds a pole and every
    geometry lies in that pole's hemisphere, and for other data a cylindrical equal-area whose edge (its 180th meridian) lies in the widest gap of
    the data: EPSG:6933 when that gap holds 180°. See docs/areas-on-earth.md.
    """
    own = {gdf.crs for gdf in frames if len(gdf)}
    if len(own) == 1 and is_equal_area(next(iter(own))):
        return pyproj.CRS(next(iter(own)))
    boxes = np.concatenate([degree_boxes(gdf) for gdf in frames if len(gdf)] or [np.zeros((0, 4))])
    if not len(boxes):
        return pyproj.CRS(GLOBAL_EQUAL_AREA)
    poles = {pole for gdf in frames if len(gdf) for pole in held_poles(gdf)}
    (centre_lon, width), south, north = occupied_arc(boxes[:, 0], boxes[:, 2]), boxes[:, 1].min(), boxes[:, 3].max()
    pole = next(iter(poles)) if len(poles) == 1 else None
    if pole is not None and (south >= 0 if pole > 0 else north <= 0):  # a polar map, far from its antipode
        return laea(pole, round(centre_lon, 1))
    if not poles and width <= 120 and north - south <= 90:
        return laea(round((south + north) / 2, 1), round(centre_lon, 1))
    lon_0 = round(centre_lon, 1)
    if width >= 360 or abs(lon_0) <= (360 - width) / 2:  # no gap, or the widest one holds 180°
        return pyproj.CRS(GLOBAL_EQUAL_AREA)
    return pyproj.CRS(f"+proj=cea +lat_ts=30 +lon_0={lon_0:g} +datum=WGS84 +units=m +no_defs +type=crs")


def laea(lat, lon):
    conversion = LambertAzimuthalEqualAreaConversion(latitude_natural_origin=lat, longitude_natural_origin=lon)
    return ProjectedCRS(conversion=conversion, geodetic_crs=pyproj.CRS("EPSG:4326"), name=f"pacov LAEA {lat:g} {lon:g}")


def degree_boxes(gdf):
    """(west, south, east, north) in degrees per part of each geometry; east < west for one that crosses 180°.

    Parts, since a multipolygon split at 180° has bounds round the whole globe. A projected layer's
    boxes come from nine points of each geometry's bounds, their longitudes unwrapped around the centre's:
    enough to place the data on the globe, which is all they are for.
    """
    geoms = gdf.geometry.to_numpy()
    bounds = shapely.bounds(geoms)
    if gdf.crs.is_geographic:  # only a geometry wider than 180° may be parts on both sides of 180°
        wide = bounds[:, 2] - bounds[:, 0] > 180
        bounds = np.concatenate([bounds[~wide], shapely.bounds(shapely.get_parts(geoms[wide]))])
    bounds = bounds[~np.isnan(bounds).any(axis=1)]
    if gdf.crs.is_geographic or not len(bounds):
        return bounds
    inset = [1e-9, 0.5, 1 - 1e-9]  # a map's own edge (x at ±180°) would wrap to the wrong side
    fx, fy = np.meshgrid(inset, inset)
    x = bounds[:, [0]] + (bounds[:, [2]] - bounds[:, [0]]) * fx.ravel()
    y = bounds[:, [1]] + (bounds[:, [3]] - bounds[:, [1]]) * fy.ravel()
    lon, lat = pyproj.Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True).transform(x, y)
    lon, lat = (np.where(np.isfinite(v), v, np.nan) for v in (np.asarray(lon), np.asarray(lat)))
    off = (lon - lon[:, [4]] + 180) % 360 - 180  # relative to the centre point, within ±180
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a part outside the CRS's domain: no box
        west, east = lon[:, 4] + np.nanmin(off, axis=1), lon[:, 4] + np.nanmax(off, axis=1)
        boxes = np.column_stack([west, np.nanmin(lat, axis=1), east, np.nanmax(lat, axis=1)])
    spans = east - west >= 360
    boxes[:, 0] = np.where(spans, -180, (west + 180) % 360 - 180)
    boxes[:, 2] = np.where(spans, 180, (east + 180) % 360 - 180)
    return boxes[~np.isnan(boxes).any(axis=1)]


def held_poles(gdf):
    """The poles (90, -90) that a geometry of ``gdf`` holds: degree boxes reaching ±90, or containing the
    pole in a projected layer (where a cylindrical map would tear them apart)."""
    geoms = gdf.geometry.to_numpy()
    if gdf.crs.is_geographic:
        bounds = shapely.bounds(geoms)
        return [lat for lat, side in ((90, 3), (-90, 1)) if (np.abs(bounds[:, side] - lat) <= SLACK_DEGREES).any()]
    to_layer = pyproj.Transformer.from_crs("EPSG:4326", gdf.crs, always_xy=True)
    held = []
    for lat in (90, -90):
        x, y = to_layer.transform(0.0, lat, errcheck=False)
        if np.isfinite([x, y]).all() and shapely.contains_xy(geoms, x, y).any():
            held.append(lat)
    return held


def occupied_arc(west, east, step=0.1):
    """(centre longitude, width in degrees) of the smallest arc of the circle holding every [west, east].

    Longitudes go into bins of ``step`` degrees; the widest run of empty bins, going round, is the gap.
    """
    n = round(360 / step)
    west, east = np.asarray(west, float), np.asarray(east, float)
    start = np.floor((west + 180) / step).astype(int) % n
    stop = (np.ceil((east + 180) / step).astype(int) - 1) % n  # a box ending on a bin's edge stops before it
    crossing = east < west  # runs from start to the last bin, and on from bin 0 to stop
    stop = np.where(crossing, stop, np.maximum(stop, start))
    marks = np.zeros(n + 1, int)
    np.add.at(marks, start, 1)
    np.add.at(marks, np.where(crossing, n, stop + 1), -1)
    np.add.at(marks, np.zeros(crossing.sum(), int), 1)
    np.add.at(marks, stop[crossing] + 1, -1)
    full = np.cumsum(marks)[:n] > 0
    if full.all():
        return 0.0, 360.0
    empty = np.concatenate([~full, ~full])  # twice round, so a gap through bin 0 is one run
    runs = np.diff(np.concatenate([[0], empty.astype(int), [0]]))
    begins, ends = np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)
    k = np.argmax(np.minimum(ends - begins, n))
    gap = min(ends[k] - begins[k], n)
    width = (n - gap) * step
    first = ends[k] % n  # the first occupied bin after the gap
    return (first * step - 180 + width / 2 + 180) % 360 - 180, width


def is_equal_area(crs):
    """True when ``crs`` preserves area (by its projection method's name)."""
    crs = pyproj.CRS(crs)
    if not crs.is_projected:
        return False
    method = crs.coordinate_operation.method_name.lower() if crs.coordinate_operation else ""
    return any(word in method for word in ("equal area", "equal-area", "mollweide", "sinusoidal", "eckert iv"))


def has_long_edge(geoms, step):
    """Which geometries have an edge longer than ``step``: only those need densifying.

    Checking is ~12× cheaper than segmentize, which rebuilds every geometry even when it adds nothing
    (WDPA boundaries are mostly densely digitised already).
    """
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    delta = np.diff(coords, axis=0)
    squared = delta[:, 0] * delta[:, 0] + delta[:, 1] * delta[:, 1]  # half the time of hypot
    long = (owner[1:] == owner[:-1]) & (squared > step * step)  # ring-to-ring jumps only cost a needless densify
    out = np.zeros(len(geoms), dtype=bool)
    out[owner[1:][long]] = True
    return out


def project_chunk(geoms, step, source, target):
    """(projected, repaired) for one chunk: densify, project, repair (a task: CRSs travel as WKT)."""
    if source != target:
        geoms = geoms.copy()
        long = np.flatnonzero(has_long_edge(geoms, step))
        geoms[long] = densify(geoms[long], step)  # inserts points only: an invalid ring keeps every lobe
        geoms = reproject(geoms, source, target)
    geoms, invalid = repair(geoms)
    return fold_into_world(geoms, target), invalid


def reproject(geoms, source, target):
    """``geoms`` from CRS ``source`` to ``target``. Onto a cylindrical map, longitudes stay continuous
    through each geometry (PROJ's +over), so one that crosses the map's edge comes out whole and
    :func:`fold_into_world` can wrap it, instead of a polygon torn across the whole map."""
    width = world_width(target)
    if width is None:
        transformer = pyproj.Transformer.from_crs(source, target, always_xy=True)
        return shapely.transform(geoms, transformer.transform, interleaved=False)
    source = pyproj.CRS(source)
    if source.is_projected:  # its plane is continuous: its longitudes are made so too
        to_degrees = pyproj.Transformer.from_crs(source, "EPSG:4326", always_xy=True)
        geoms = unwrap_longitudes(shapely.transform(geoms, to_degrees.transform, interleaved=False))
        source = pyproj.CRS("EPSG:4326")
    transformer = pyproj.Transformer.from_crs(source, unwrapped(target), always_xy=True)
    return shapely.transform(geoms, transformer.transform, interleaved=False)


def unwrap_longitudes(geoms):
    """Longitudes made continuous through each geometry (no jump of 360° between neighbouring vertices)."""
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if not len(coords):
        return geoms
    step = np.diff(coords[:, 0])
    shift = -360.0 * np.round(step / 360)  # exactly 0, or ±360 where a step jumps across ±180
    shift[owner[1:] != owner[:-1]] = 0.0
    total = np.concatenate([[0.0], np.cumsum(shift)])
    owners, first = np.unique(owner, return_index=True)
    total -= total[first[np.searchsorted(owners, owner)]]
    # a ring round a pole cannot be unwrapped (it would not close): such a geometry keeps its longitudes
    ends = np.append(np.flatnonzero(owner[1:] != owner[:-1]), len(owner) - 1)
    keep = np.isin(owner, owners[total[ends] != 0])
    coords[~keep, 0] += total[~keep]
    return shapely.set_coordinates(geoms.copy(), coords)


@functools.lru_cache(maxsize=8)
def _cylindrical(wkt):
    """(the CRS with +over, its world width in metres) for a cylindrical CRS given as WKT, else None."""
    crs = pyproj.CRS(wkt)
    method = crs.coordinate_operation.method_name.lower() if crs.is_projected and crs.coordinate_operation else ""
    if "cylindrical" not in method:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a cea CRS loses nothing in a PROJ string
        over = pyproj.CRS(crs.to_proj4().replace("+type=crs", "") + " +over")
    to_map = pyproj.Transformer.from_crs("EPSG:4326", over, always_xy=True)
    return over, 4 * abs(to_map.transform(90.0, 0.0)[0] - to_map.transform(0.0, 0.0)[0])


def world_width(crs):
    """The east–west width in metres of a cylindrical map (its 360° of longitude), or None for another CRS."""
    found = _cylindrical(pyproj.CRS(crs).to_wkt())
    return None if found is None else found[1]


def unwrapped(crs):
    """A cylindrical CRS whose longitudes run on past its edge (+over): x beyond the map, not wrapped."""
    return _cylindrical(pyproj.CRS(crs).to_wkt())[0]


def fold_into_world(geoms, crs):
    """Parts past a cylindrical map's east or west edge moved one world width back onto the map, which is
    exact (such a map is the same at every longitude): a circle drawn at 179.98°E keeps its whole area in
    the right place. Other CRSs have no edge to cross: ``geoms`` unchanged."""
    width = world_width(crs)
    if width is None or not len(geoms):
        return geoms
    half = width / 2
    bounds = shapely.bounds(geoms)
    over = np.flatnonzero((bounds[:, 0] < -half) | (bounds[:, 2] > half))
    if not len(over):
        return geoms
    out = geoms.copy()
    for k in over:
        low, high = bounds[k, 1] - 1, bounds[k, 3] + 1
        pieces = [
            shapely.affinity.translate(
                shapely.intersection(geoms[k], shapely.box(s * width - half, low, s * width + half, high)), -s * width
            )
            for s in (-1, 0, 1)
        ]
        out[k] = shapely.union_all(pieces)
    return out


def to_equal_area(gdf, crs, runner=SERIAL):
    """Project to the equal-area ``crs`` with valid polygons (see :func:`project_and_repair`)."""
    return project_and_repair(gdf, crs, runner)[0]


def project_and_repair(gdf, crs, runner=SERIAL):
    """(layer in the equal-area ``crs`` with valid geometry, mask of rows whose geometry was repaired).

    Densifies edges in the source CRS first. Works in chunks so that only one chunk's densified copy
    exists beside the result: at continental scale the geometries are gigabytes.
    """
    crs = pyproj.CRS(crs)
    if not is_equal_area(crs):
        raise PacovError(
            f"CRS '{crs.name}' is not equal-area; areas in it would be wrong — "
            "choose an equal-area CRS (e.g. EPSG:6933) or leave --crs unset"
        )
    step = DENSIFY_DEGREES if gdf.crs.is_geographic else DENSIFY_METRES
    source = gdf.geometry.to_numpy()
    projected = np.empty(len(source), dtype=object)
    repaired = np.zeros(len(source), dtype=bool)
    slices = split_by_cost(shapely.get_num_coordinates(source), runner, CHUNK)  # cost grows with vertices
    same = gdf.crs == crs  # already equal-area: repaired in place, never densified or moved
    wkt = (crs.to_wkt(),) * 2 if same else (gdf.crs.to_wkt(), crs.to_wkt())
    results = runner.map(project_chunk, [source[s] for s in slices], step=step, source=wkt[0], target=wkt[1])
    for part, (geoms, fixed) in zip(slices, results):
        projected[part], repaired[part] = geoms, fixed
    geometry = gpd.GeoSeries(projected, index=gdf.index, crs=crs, name=gdf.geometry.name)
    return gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=geometry, crs=crs), repaired
