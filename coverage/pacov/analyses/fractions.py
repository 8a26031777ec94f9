"""Exact cell coverage fractions of a polygon on a raster grid, window by window.

Cells near the boundary get the exact share of their area inside the polygon (as exactextract
computes it); the others are wholly in or out, decided by their centre. Near the boundary means
touched by the boundary line or next to such a cell, so no partly covered cell is missed.
"""

import math

import numpy as np
import rasterio.features
import rasterio.windows
import shapely

BLOCK_ROWS = 512


def polygon_window(geom, transform, height, width):
    """The raster window (clipped to the grid, one cell of margin) covering ``geom``'s bounds, or None if outside.

    Computed from the bounds' corners in pixel space with a true floor and ceiling: rasterio's
    ``round_offsets``/``round_lengths`` add tolerances that can drop the last row or column.
    """
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    cols, rows = ~transform @ (np.array([minx, maxx, minx, maxx]), np.array([miny, miny, maxy, maxy]))
    row0, col0 = max(0, math.floor(rows.min()) - 1), max(0, math.floor(cols.min()) - 1)
    row1, col1 = min(height, math.ceil(rows.max()) + 1), min(width, math.ceil(cols.max()) + 1)
    if row1 <= row0 or col1 <= col0:
        return None
    return rasterio.windows.Window(col0, row0, col1 - col0, row1 - row0)


def blocks(window, rows=BLOCK_ROWS):
    """Split a window into horizontal blocks so large rasters are never read whole."""
    for start in range(0, int(window.height), rows):
        yield rasterio.windows.Window(
            window.col_off, window.row_off + start, window.width, min(rows, int(window.height) - start)
        )


def fractions(geom, transform, window):
    """Fraction (0–1) of each cell of ``window`` covered by ``geom`` (same CRS as the grid)."""
    shape = (int(window.height), int(window.width))
    local = rasterio.windows.transform(window, transform)
    inside = rasterio.features.rasterize(
        [geom], out_shape=shape, transform=local, all_touched=False, dtype="uint8"
    ).astype(float)
    edge = rasterio.features.rasterize(
        [geom.boundary], out_shape=shape, transform=local, all_touched=True, dtype="uint8"
    ).astype(bool)
    near = edge.copy()
    near[1:, :] |= edge[:-1, :]
    near[:-1, :] |= edge[1:, :]
    near[:, 1:] |= near[:, :-1].copy()
    near[:, :-1] |= near[:, 1:].copy()
    rows, cols = np.nonzero(near)
    if len(rows):
        cells = cell_polygons(local, rows, cols)
        shapely.prepare(geom)
        inside[rows, cols] = shapely.area(shapely.intersection(cells, geom)) / shapely.area(cells)
    return inside


def cell_polygons(transform, rows, cols):
    """The cells at ``rows``, ``cols`` as polygons through their four corners: right on a rotated grid too."""
    corners = [transform @ (cols + dc, rows + dr) for dc, dr in ((0, 0), (1, 0), (1, 1), (0, 1))]
    return shapely.polygons(np.stack([np.stack(xy, axis=-1) for xy in corners], axis=1))


def footprint(transform, height, width):
    """The grid's outline: the polygon through its four corners (a bounding box would grow a rotated grid)."""
    return shapely.Polygon([transform @ corner for corner in ((0, 0), (width, 0), (width, height), (0, height))])


def band_area_m2(lat, width, ellipsoid):
    """Signed area (m²) between the equator and latitude ``lat`` (radians) over ``width`` radians of longitude.

    Cells of a geographic grid are bounded by parallels, not geodesics: the exact ellipsoidal band
    formula, A(φ) = b²·Δλ/2 · (sin φ / (1 − e² sin² φ) + atanh(e sin φ) / e).
    """
    a, inverse_f = ellipsoid.semi_major_metre, ellipsoid.inverse_flattening
    f = 1 / inverse_f if inverse_f else 0.0
    b, e = a * (1 - f), math.sqrt(f * (2 - f))
    sin = np.sin(lat)
    if e == 0:
        return a * a * width * sin
    return b * b * width / 2 * (sin / (1 - e * e * sin * sin) + np.arctanh(e * sin) / e)


def cell_areas_km2(crs, transform, window):
    """True area of each cell of ``window`` in km² (bands between parallels for geographic grids; planar
    cells corrected by the projection's areal scale otherwise)."""
    import pyproj

    shape = (int(window.height), int(window.width))
    local = rasterio.windows.transform(window, transform)
    if crs.is_geographic:
        to_radians = crs.axis_info[0].unit_conversion_factor  # degrees (or grads) to radians
        x0, _ = local @ (0, 0)
        x1, _ = local @ (1, 0)
        lat = np.array([(local @ (0, row))[1] for row in range(shape[0] + 1)]) * to_radians
        band = band_area_m2(lat, abs(x1 - x0) * to_radians, crs.ellipsoid)
        return np.repeat(np.abs(np.diff(band))[:, None] / 1e6, shape[1], axis=1)
    planar = abs(local.a * local.e - local.b * local.d)
    cols, rows = np.meshgrid(np.arange(shape[1]) + 0.5, np.arange(shape[0]) + 0.5)
    x, y = local @ (cols, rows)
    lon, lat = pyproj.Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True).transform(x, y)
    scale = pyproj.Proj(crs).get_factors(lon, lat).areal_scale
    factor = pyproj.CRS(crs).axis_info[0].unit_conversion_factor
    return planar * factor**2 / np.asarray(scale) / 1e6
