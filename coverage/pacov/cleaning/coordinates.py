"""Check that a layer's coordinates can be in its CRS, so a wrong CRS is an error and never a number.

GeoJSON is WGS 84 by definition, so metres written into one are read as degrees; a shapefile's .prj
can say degrees over metres; projected coordinates beyond a projection's domain invert to inf. Each
gives a wrong area or a GEOS failure later. The checks look at each feature's bounds only (cheap at
any scale), and at its vertices only where a corner of its box cannot be inverted.
"""

import numpy as np
import pyproj
import shapely

from pacov.errors import PacovError
from pacov.reading.fields import feature

CHUNK = 2000  # coordinates of this many features at a time (20,000 WDPA-like sites: 0.85 GB)
SLACK_DEGREES = 1e-6  # ~0.1 m: exports that round ±180/±90 a hair outward are not wrong data


def check_coordinates(gdf, label):
    """Raise a one-line error naming the first feature whose coordinates its CRS cannot hold."""
    geoms = gdf.geometry.to_numpy()
    for start in range(0, len(geoms), CHUNK):
        chunk = geoms[start : start + CHUNK]
        coords, owner = shapely.get_coordinates(chunk, return_index=True)
        bad = ~np.isfinite(coords).all(axis=1)
        if bad.any():
            i = start + owner[np.argmax(bad)]
            raise PacovError(
                f"{label}: {feature(gdf, i)} has a coordinate that is not a finite number (NaN or infinity); "
                "fix or remove that feature"
            )
    bounds = shapely.bounds(geoms)
    present = ~np.isnan(bounds).any(axis=1)
    if not present.any():
        return
    if gdf.crs.is_geographic:
        _check_degrees(gdf, bounds, present, label)
    else:
        _check_invertible(gdf, geoms, bounds, present, label)


def _check_degrees(gdf, bounds, present, label):
    outside = present & (
        (np.abs(bounds[:, [0, 2]]) > 180 + SLACK_DEGREES).any(axis=1)
        | (np.abs(bounds[:, [1, 3]]) > 90 + SLACK_DEGREES).any(axis=1)
    )
    if not outside.any():
        return
    i = int(np.argmax(outside))
    x0, y0, x1, y1 = bounds[i]
    extent = np.nanmax(np.abs(bounds[present]))
    cause = (
        "these look like metres of a projected CRS, but the file says degrees"
        if extent > 1000
        else "longitudes must lie within ±180 and latitudes within ±90"
    )
    raise PacovError(
        f"{label}: {feature(gdf, i)} reaches x {x0:.6g}…{x1:.6g}, y {y0:.6g}…{y1:.6g}, outside the degrees of its "
        f"CRS {gdf.crs.name}; {cause}: correct the file's CRS (.prj), or pass --assume-crs with the CRS "
        "the coordinates are really in"
    )


def _check_invertible(gdf, geoms, bounds, present, label):
    """Far outside the CRS's area of use (by more than its own size), or not invertible: refused."""
    to_geo = pyproj.Transformer.from_crs(gdf.crs, gdf.crs.geodetic_crs, always_xy=True)
    outside = present & _far_outside_area_of_use(gdf.crs, bounds)
    corners = bounds[:, [0, 1, 2, 1, 2, 3, 0, 3]].reshape(-1, 4, 2)
    lon, lat = to_geo.transform(corners[..., 0], corners[..., 1], errcheck=False)
    suspect = np.flatnonzero(present & ~outside & ~(np.isfinite(lon) & np.isfinite(lat)).all(axis=1))
    for i in suspect:  # a box corner may lie outside the domain while every vertex is inside
        xy = shapely.get_coordinates(geoms[i])
        lon, lat = to_geo.transform(xy[:, 0], xy[:, 1], errcheck=False)
        outside[i] = not (np.isfinite(lon) & np.isfinite(lat)).all()
    if outside.any():
        i = int(np.argmax(outside))
        x0, y0, x1, y1 = bounds[i]
        raise PacovError(
            f"{label}: {feature(gdf, i)} reaches x {x0:.6g}…{x1:.6g}, y {y0:.6g}…{y1:.6g}, outside where its "
            f"CRS {gdf.crs.name} is defined (the coordinates cannot be turned into longitude and latitude); "
            "correct the file's CRS (.prj), or pass --assume-crs with the CRS the coordinates are really in"
        )


def _far_outside_area_of_use(crs, bounds):
    """Boxes beyond the CRS's area of use widened by its own width and height on every side."""
    area = crs.area_of_use
    if area is None:
        return np.zeros(len(bounds), dtype=bool)
    from_geo = pyproj.Transformer.from_crs(crs.geodetic_crs, crs, always_xy=True)
    x0, y0, x1, y1 = from_geo.transform_bounds(*area.bounds, densify_pts=21, errcheck=False)
    if not np.isfinite([x0, y0, x1, y1]).all():
        return np.zeros(len(bounds), dtype=bool)
    w, h = x1 - x0, y1 - y0
    with np.errstate(invalid="ignore"):
        return (bounds[:, 0] < x0 - w) | (bounds[:, 2] > x1 + w) | (bounds[:, 1] < y0 - h) | (bounds[:, 3] > y1 + h)
