"""Raster-weighted coverage: the share of a surface's weight (density, suitability, habitat) protected.

"About 70% of the country's big cats live in protected zones" is about animals, not hectares. The polygons
are reprojected to the raster's CRS (the weights are never resampled), each cell counts by the exact
fraction of it that a polygon covers, nodata cells count for nothing, and the raster is read window
by window. Values are per cell (counts) by default; ``per_area`` multiplies them by each cell's true
area in km² (needed for densities per km² and for geographic grids, whose cells shrink northwards).
"""

import re

import numpy as np
import pandas as pd
import pyproj
import rasterio
import shapely
from rasterio.errors import RasterioIOError

from pacov.analyses.fractions import blocks, cell_areas_km2, footprint, fractions, polygon_window
from pacov.engine.ranges import dissolve
from pacov.errors import PacovError

DENSIFY_M = 1000.0
NUMBER = r"[-+]?\d+(?:\.\d+)?"


def parse_habitat(text):
    """``"1800<=elev<=4500"``, ``"elev>=1800"`` or ``"elev<=4500"`` → (low, high); None where open."""
    compact = text.replace(" ", "")
    both = re.fullmatch(rf"({NUMBER})<=([A-Za-z_]\w*)<=({NUMBER})", compact)
    if both:
        return float(both.group(1)), float(both.group(3))
    one = re.fullmatch(rf"([A-Za-z_]\w*)(<=|>=)({NUMBER})", compact)
    if one:
        return (float(one.group(3)), None) if one.group(2) == ">=" else (None, float(one.group(3)))
    raise PacovError(f"--habitat '{text}': write LOW<=name<=HIGH, name>=LOW or name<=HIGH (e.g. 1800<=elev<=4500)")


def to_raster_crs(geoms, crs_from, crs_to):
    """Densify in the equal-area CRS, then reproject to the raster's CRS."""
    import geopandas as gpd

    series = gpd.GeoSeries(shapely.segmentize(np.asarray(geoms, dtype=object), DENSIFY_M), crs=crs_from)
    return series.to_crs(crs_to).to_numpy()


def weighted_sum(src, geom, band, habitat, per_area, label):
    """Σ value × covered fraction (× cell area) over the cells ``geom`` touches."""
    window = polygon_window(geom, src.transform, src.height, src.width)
    if window is None:
        return 0.0
    total = 0.0
    crs = pyproj.CRS(src.crs)
    scale, offset = scaling(src, band)
    for block in blocks(window):
        values = np.ma.masked_invalid(src.read(band, window=block, masked=True).astype(float))  # NaN = nodata
        values = values * scale + offset  # the physical value, as GDAL defines a band's scale and offset
        if habitat is not None:
            low, high = habitat
            ok = np.ones(values.shape, bool) if low is None else values >= low
            ok &= True if high is None else values <= high
            values = np.ma.masked_array(ok.astype(float), mask=np.ma.getmaskarray(values))
        elif (values.filled(0) < 0).any():
            raise PacovError(f"{label}: band {band} has negative values; weights must be zero or more")
        weight = values.filled(0.0) * fractions(geom, src.transform, block)
        if per_area or habitat is not None:
            weight *= cell_areas_km2(crs, src.transform, block)
        total += float(weight.sum())
    return total


def scaling(src, band):
    """The band's (scale, offset): GDAL's physical value is stored value × scale + offset."""
    scale, offset = src.scales[band - 1], src.offsets[band - 1]
    return (1.0 if scale is None else float(scale)), (0.0 if offset is None else float(offset))


def unit_of(habitat, per_area, scale=1.0, offset=0.0):
    """What the weights are measured in, for the table (the raster's own unit is not known)."""
    if habitat is not None:
        unit = "km² of habitat"
    else:
        unit = "value × km²" if per_area else "sum of cell values"
    if (scale, offset) != (1.0, 0.0):
        shift = f" {'−' if offset < 0 else '+'} {abs(offset):g}"
        unit += f" (value = stored × {scale:g}{shift}, the band's scale and offset)"
    return unit


def check_grid(src, habitat, per_area, label):
    """A rotated geographic grid has no exact cell areas here: refused when the weights need them."""
    rotated = src.transform.b != 0 or src.transform.d != 0
    if rotated and src.crs.is_geographic and (per_area or habitat is not None):
        raise PacovError(
            f"{label}: a rotated grid in degrees has no exact cell areas; warp it north-up "
            "(gdalwarp) or into a projected CRS, or drop --per-area and --habitat"
        )


def raster_coverage(path, sites, parts=None, band=1, habitat=None, per_area=False, by=()):
    """Per species (and value of each ``by`` field of ``parts``; or for the whole raster without ranges):
    weight_total, weight_protected, share, unit, and whether the range lies inside the raster.

    ``sites`` are flattened protected areas and ``parts`` range parts, both in one equal-area CRS. A range
    outside the raster has no weight to measure: its figures are missing, not 0.
    """
    label = f"raster {path}"
    try:
        src = rasterio.open(path)
    except RasterioIOError as exc:
        raise PacovError(f"{label}: not a readable raster ({str(exc).splitlines()[0]})") from exc
    with src:
        if src.crs is None:
            raise PacovError(f"{label}: has no coordinate reference system; add one (e.g. with gdal_edit -a_srs)")
        if not 1 <= band <= src.count:
            raise PacovError(f"{label}: no band {band}; it has {src.count}")
        check_grid(src, habitat, per_area, label)
        union = shapely.union_all(sites.geometry.to_numpy())
        outline = footprint(src.transform, src.height, src.width)
        if parts is None:
            (protected,) = to_raster_crs([union], sites.crs, src.crs)
            keys = pd.DataFrame({"species": [None]})
            regions = [(outline, shapely.intersection(protected, outline))]
        else:
            ranges = dissolve(parts, ["sci_name", *by])
            geoms = ranges.geometry.to_numpy()
            inside = to_raster_crs(shapely.intersection(geoms, union), parts.crs, src.crs)
            keys = pd.DataFrame(ranges.drop(columns=ranges.geometry.name)).rename(columns={"sci_name": "species"})
            regions = list(zip(to_raster_crs(geoms, parts.crs, src.crs), inside))
        rows = []
        for whole, inside in regions:
            where = (
                "inside"
                if shapely.covers(outline, whole)
                else ("partly outside" if shapely.intersects(outline, whole) else "outside the raster")
            )
            total, protected, share = np.nan, np.nan, np.nan
            if where != "outside the raster":
                total = weighted_sum(src, whole, band, habitat, per_area, label)
                protected = weighted_sum(src, inside, band, habitat, per_area, label)
                share = protected / total if total > 0 else 0.0
            rows.append(
                {
                    "weight_total": total,
                    "weight_protected": protected,
                    "share": share,
                    "unit": unit_of(habitat, per_area, *scaling(src, band)),
                    "raster": where,
                }
            )
    return pd.concat([keys.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
