"""Read a vector layer from any OGR source, including Protected Planet's zip of zipped shapefiles.

A source is written ``PATH`` or ``PATH:LAYER`` (GeoPackage, FileGDB and other multi-layer formats).
Files are only ever opened for reading.
"""

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from pacov.errors import PacovError
from pacov.reading.geoparquet import GeoParquet

VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".gml", ".kml", ".parquet", ".geoparquet")


def split_source(source):
    """Split ``PATH[:LAYER]`` into (Path, layer or None); a path that exists as written wins."""
    text = str(source)
    if Path(text).exists() or ":" not in text:
        return Path(text), None
    path, layer = text.rsplit(":", 1)
    return Path(path), (layer or None)


def read_layer(source, role="layer", columns=None):
    """Read one vector source into a GeoDataFrame with its CRS; ``role`` names it in errors."""
    path, layer = split_source(source)
    if not path.exists():
        raise PacovError(f"{role} {path}: file not found; check the path")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise PacovError(f"{role} {path}: is a folder; give a vector file (GeoPackage, Shapefile, GeoJSON, …)")
    if path.suffix.lower() == ".parquet" or path.suffix.lower() == ".geoparquet":
        return _read_parquet(path, role, columns)
    if path.suffix.lower() == ".zip":
        return _read_zip(path, layer, role, columns)
    return _read_ogr(str(path), layer, f"{role} {path}", columns)


def _read_ogr(path, layer, label, columns):
    if layer is not None:
        try:
            names = [row[0] for row in pyogrio.list_layers(path)]
        except (DataSourceError, DataLayerError) as exc:
            raise PacovError(f"{label}: not a readable vector file ({_first_line(exc)})") from exc
        if layer not in names:
            raise PacovError(f"{label}: no layer '{layer}'; layers there: {', '.join(names)}")
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, columns=columns, use_arrow=False)
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise PacovError(f"{label}: not a readable vector file ({_first_line(exc)})") from exc
    except shapely.errors.ShapelyError as exc:
        raise PacovError(
            f"{label}: {_unbuildable(path, layer)} ({_first_line(exc)}); "
            "fix that feature's rings (each must be closed, with at least 4 points)"
        ) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None or "geometry" not in gdf:
        raise PacovError(f"{label}: has no geometry column; give a vector layer, not a table")
    return gdf


def _read_parquet(path, role, columns):
    """WKB GeoParquet batch by batch (GeoParquet.read_all says why); other encodings through geopandas."""
    try:
        file = GeoParquet(path, f"{role} {path}")
    except PacovError:  # not WKB GeoParquet: geopandas reads GeoArrow encodings, or says why it cannot
        file = None
    try:
        if file is not None:
            return file.read_all(columns)
        return gpd.read_parquet(path, columns=None if columns is None else [*columns, "geometry"])
    except PacovError:
        raise
    except Exception as exc:  # pyarrow raises many types for a bad file
        raise PacovError(f"{role} {path}: not a readable GeoParquet file ({_first_line(exc)})") from exc


def _read_zip(path, layer, role, columns):
    """Read every vector file inside a zip, descending one level into nested zips, and stack them.

    Protected Planet ships a country as ``WDPA_…_shp.zip`` holding ``…_shp_0.zip`` … ``…_shp_2.zip``,
    each with a polygon and a point shapefile: all of them together are the dataset.
    """
    try:
        with zipfile.ZipFile(path) as outer:
            members = outer.namelist()
            inner_zips = [m for m in members if m.lower().endswith(".zip")]
            sources = [f"/vsizip/{path}/{m}" for m in members if m.lower().endswith(VECTOR_SUFFIXES)]
            for inner in inner_zips:
                with zipfile.ZipFile(outer.open(inner)) as nested:
                    sources += [
                        f"/vsizip/{{/vsizip/{path}/{inner}}}/{m}"  # braces: GDAL reads a one-file zip as that file
                        for m in nested.namelist()
                        if m.lower().endswith(VECTOR_SUFFIXES)
                    ]
    except zipfile.BadZipFile as exc:
        raise PacovError(f"{role} {path}: not a valid zip archive ({exc})") from exc
    if not sources:
        raise PacovError(f"{role} {path}: the zip holds no vector file (.shp, .gpkg, .geojson, …)")
    frames = [_read_ogr(src, layer, f"{role} {path}", columns) for src in sorted(sources)]
    crs = frames[0].crs
    frames = [f.to_crs(crs) if f.crs is not None and f.crs != crs else f for f in frames if len(f)]
    if not frames:
        return gpd.GeoDataFrame(geometry=[], crs=crs)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)


def _unbuildable(path, layer):
    """Name the first feature whose geometry GEOS cannot build (e.g. an unclosed ring)."""
    _, _, wkb, _ = pyogrio.raw.read(path, layer=layer, read_geometry=True)[:4]
    built = shapely.from_wkb(wkb, on_invalid="ignore")
    bad = [i for i, (raw, geom) in enumerate(zip(wkb, built)) if raw is not None and geom is None]
    return f"feature {bad[0] + 1} has a geometry that cannot be built" if bad else "a geometry cannot be built"


def _first_line(exc):
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
