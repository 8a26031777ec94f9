"""Project to an equal-area CRS, so that areas are true areas and never square degrees.

The default is a Lambert azimuthal equal-area projection on the WGS 84 ellipsoid centred on the
data (exactly equal-area, low shape distortion near the centre); data spanning more than a
continent goes to EASE-Grid 2.0 global (EPSG:6933), also equal-area on the ellipsoid. Layers that
are all in one equal-area CRS already are computed in it, as PostGIS would: no reprojection, no
needless approximation. Edges are densified before projecting because a straight edge in one CRS
is a curve in another.

The order inside a chunk matters (see clean.py): repair in the source CRS before densifying, since
GEOS densify rebuilds an invalid polygon and can drop a lobe of it; repair again after projecting,
since moving vertices can make a valid ring touch or cross itself.
"""

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertAzimuthalEqualAreaConversion

from pacov.cleaning.coordinates import SLACK_DEGREES, check_coordinates
from pacov.cleaning.repair import repair
from pacov.errors import PacovError
from pacov.runner import SERIAL, split

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

    When every frame is already in one equal-area CRS, that CRS: the data are used in place.
    """
    own = {gdf.crs for gdf in frames if len(gdf)}
    if len(own) == 1 and is_equal_area(next(iter(own))):
        return pyproj.CRS(next(iter(own)))
    west, south, east, north = 180.0, 90.0, -180.0, -90.0
    for gdf in frames:
        if len(gdf) == 0:
            continue
        bounds = gdf.total_bounds
        if not gdf.crs.is_geographic:
            to_geo = pyproj.Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
            bounds = to_geo.transform_bounds(*bounds, densify_pts=21)
        west, south = min(west, bounds[0]), min(south, bounds[1])
        east, north = max(east, bounds[2]), max(north, bounds[3])
    if west > east or east - west > 120 or north - south > 90:
        return pyproj.CRS(GLOBAL_EQUAL_AREA)
    centre_lon, centre_lat = round((west + east) / 2, 1), round((south + north) / 2, 1)
    conversion = LambertAzimuthalEqualAreaConversion(
        latitude_natural_origin=centre_lat, longitude_natural_origin=centre_lon
    )
    return ProjectedCRS(
        conversion=conversion, geodetic_crs=pyproj.CRS("EPSG:4326"), name=f"pacov LAEA {centre_lat:g} {centre_lon:g}"
    )


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
    edges = np.hypot(*np.diff(coords, axis=0).T)
    long = (owner[1:] == owner[:-1]) & (edges > step)  # ring-to-ring jumps only cost a needless densify
    out = np.zeros(len(geoms), dtype=bool)
    out[owner[1:][long]] = True
    return out


def project_chunk(geoms, step, source, target):
    """(projected, repaired) for one chunk: repair, densify, project, repair (a task: CRSs travel as WKT)."""
    geoms = geoms.copy()
    repaired = np.zeros(len(geoms), dtype=bool)
    if source != target:
        long = np.flatnonzero(has_long_edge(geoms, step))
        geoms[long], repaired[long] = repair(geoms[long])  # before densify, which would drop lobes
        geoms[long] = shapely.segmentize(geoms[long], step)
        transformer = pyproj.Transformer.from_crs(source, target, always_xy=True)
        geoms = shapely.transform(geoms, transformer.transform, interleaved=False)
    geoms, invalid = repair(geoms)
    return geoms, repaired | invalid


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
    slices = split(len(source), runner, CHUNK)
    same = gdf.crs == crs  # already equal-area: repaired in place, never densified or moved
    wkt = (crs.to_wkt(),) * 2 if same else (gdf.crs.to_wkt(), crs.to_wkt())
    results = runner.map(project_chunk, [source[s] for s in slices], step=step, source=wkt[0], target=wkt[1])
    for part, (geoms, fixed) in zip(slices, results):
        projected[part], repaired[part] = geoms, fixed
    geometry = gpd.GeoSeries(projected, index=gdf.index, crs=crs, name=gdf.geometry.name)
    return gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=geometry, crs=crs), repaired
