"""Reading GeoParquet by row groups: CRS from the metadata as the specification says, clear errors."""

import json

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import pytest
import shapely

from conftest import sites, square
from pacov.errors import PacovError
from pacov.reading.geoparquet import GeoParquet
from pacov.reading.read import read_layer


def with_geo(path, table, change):
    geo = json.loads(table.schema.metadata[b"geo"])
    change(geo["columns"]["geometry"])
    pq.write_table(table.replace_schema_metadata({b"geo": json.dumps(geo).encode()}), path)
    return path


@pytest.fixture
def table(tmp_path):
    frame = sites([{"WDPAID": k, "geometry": square(10 * k, 0, 5)} for k in range(1, 8)])
    frame.to_parquet(tmp_path / "s.parquet", row_group_size=2)
    return pq.read_table(tmp_path / "s.parquet")


def test_row_groups_in_chunks_and_read_back(tmp_path, table):
    whole = GeoParquet(with_geo(tmp_path / "a.parquet", table, lambda c: None), "sites")
    assert pq.ParquetFile(whole.path).num_row_groups == 1 and whole.groups(3) is None  # 7 rows > 2 × 3
    pq.write_table(table, tmp_path / "b.parquet", row_group_size=2)
    file = GeoParquet(tmp_path / "b.parquet", "sites")
    assert file.groups(4) == [[0, 1], [2, 3]] and file.groups(3) == [[0], [1], [2, 3]]  # groups of 2, 2, 2, 1 rows
    frame = file.read([1])
    assert frame["WDPAID"].tolist() == [3, 4] and frame.crs == pyproj.CRS("EPSG:6933")
    assert frame.index.tolist() == [2, 3]  # numbered by place in the file, as when read whole
    assert shapely.area(frame.geometry.to_numpy()).tolist() == [25e6, 25e6]
    assert file.read([0], first=10).index.tolist() == [10, 11]


def test_crs_absent_is_crs84_and_null_is_unknown(tmp_path, table):
    absent = GeoParquet(with_geo(tmp_path / "a.parquet", table, lambda c: c.pop("crs")), "sites")
    assert absent.crs == pyproj.CRS("OGC:CRS84")
    null = GeoParquet(with_geo(tmp_path / "n.parquet", table, lambda c: c.update(crs=None)), "sites")
    assert null.crs is None and null.read([0]).crs is None


def test_not_geoparquet_wrong_encoding_and_bad_wkb(tmp_path, table):
    pq.write_table(pa.table({"x": [1]}), tmp_path / "plain.parquet")
    with pytest.raises(PacovError, match="sites: --out-of-core reads GeoParquet.*ogr2ogr"):
        GeoParquet(tmp_path / "plain.parquet", "sites")
    with pytest.raises(PacovError, match="encoded as point; write it as WKB"):
        GeoParquet(with_geo(tmp_path / "e.parquet", table, lambda c: c.update(encoding="point")), "sites")
    broken = table.set_column(table.schema.get_field_index("geometry"), "geometry", pa.array([b"\x01\x03"] * 7))
    file = GeoParquet(with_geo(tmp_path / "w.parquet", broken, lambda c: None), "sites")
    with pytest.raises(PacovError, match="sites: a geometry cannot be read"):
        file.read([0])


def test_read_all_in_batches_equals_geopandas(tmp_path, table):
    path = with_geo(tmp_path / "a.parquet", table, lambda c: None)
    expected = gpd.read_parquet(path)
    got = GeoParquet(path, "sites").read_all(rows=3)  # batches of 3, 3 and 1 rows
    assert got.index.tolist() == list(range(7)) and got.crs == expected.crs
    assert got["WDPAID"].tolist() == expected["WDPAID"].tolist()
    assert shapely.equals(got.geometry.to_numpy(), expected.geometry.to_numpy()).all()
    assert list(GeoParquet(path, "sites").read_all(columns=["WDPAID"], rows=2).columns) == ["WDPAID", "geometry"]
    empty = with_geo(tmp_path / "e.parquet", table.slice(0, 0), lambda c: None)
    assert len(GeoParquet(empty, "sites").read_all()) == 0


def test_read_layer_takes_geoarrow_encoding_through_geopandas(tmp_path):
    frame = sites([{"WDPAID": k, "geometry": square(10 * k, 0, 5)} for k in range(1, 4)])
    frame.to_parquet(tmp_path / "g.parquet", geometry_encoding="geoarrow")
    with pytest.raises(PacovError, match="encoded as"):
        GeoParquet(tmp_path / "g.parquet", "sites")
    got = read_layer(tmp_path / "g.parquet", "protected areas")
    assert got["WDPAID"].tolist() == [1, 2, 3] and shapely.area(got.geometry.to_numpy()).tolist() == [25e6] * 3
