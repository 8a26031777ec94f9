"""How big a layer is, from its metadata alone: features, vertices, and whether it can be read in parts.

This is what the choice of path (engine/path_choice.py) weighs before anything is read. A GeoParquet
file's footer gives its rows and the uncompressed size of its WKB column (16 bytes per 2-D vertex,
so that size counts the vertices); for other formats OGR gives the feature count and the file's size
stands in for the vertices, at what a vertex takes in that format.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from pacov.errors import PacovError
from pacov.reading.geoparquet import GeoParquet
from pacov.reading.read import split_source

WKB_VERTEX = 16  # two doubles
TEXT_VERTEX = 36  # GeoJSON, GML, KML: "[70.1234567, 45.1234567]," and the like
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
TEXT_SUFFIXES = (".geojson", ".json", ".gml", ".kml")


@dataclass(frozen=True)
class LayerSize:
    """A layer's feature count and vertices (estimated), and whether it is GeoParquet (readable in parts)."""

    features: int
    vertices: int
    geoparquet: bool


def layer_size(source):
    """The size of one source, or None where its metadata cannot be read (reading it will say why)."""
    path, layer = split_source(source)
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            return parquet_size(path)
        features = pyogrio.read_info(str(path), layer=layer)["features"] if path.suffix.lower() != ".zip" else 0
        return LayerSize(max(0, int(features)), stored_vertices(path), False)
    except Exception:  # any file the metadata cannot be read from: reading the layer names the fault
        return None


def parquet_size(path):
    """Rows and vertices from a GeoParquet footer (not GeoParquet: read in memory, vertices from its size)."""
    try:
        file = GeoParquet(path, str(path))
    except PacovError:
        return LayerSize(0, path.stat().st_size // WKB_VERTEX, False)
    meta = file.file.metadata
    column = next((k for k in range(meta.num_columns) if meta.schema.column(k).path.split(".")[0] == file.column), None)
    if column is None:  # metadata naming a column the file lacks: reading it will say so
        return None
    wkb = sum(meta.row_group(g).column(column).total_uncompressed_size for g in range(meta.num_row_groups))
    return LayerSize(meta.num_rows, wkb // WKB_VERTEX, True)


def stored_vertices(path):
    """Vertices the layer's stored bytes stand for: a file, a folder (FileGDB), or what a zip holds uncompressed."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) // WKB_VERTEX
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size // vertex_bytes(Path(info.filename)) for info in archive.infolist())
    return path.stat().st_size // vertex_bytes(path)


def vertex_bytes(path):
    return TEXT_VERTEX if path.suffix.lower() in TEXT_SUFFIXES else WKB_VERTEX
