"""Reading real files in every format planners bring, including Protected Planet's nested zips."""

import zipfile

import pytest

from conftest import sites, square
from pacov.errors import PacovError
from pacov.reading.read import read_layer, split_source


def layer():
    return sites(
        [
            {"WDPAID": 1, "NAME": "Іле Алатауы", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "geometry": square(20, 0, 10)},
        ]
    )


@pytest.mark.parametrize(
    "suffix,driver", [(".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".shp", "ESRI Shapefile"), (".fgb", "FlatGeobuf")]
)
def test_reads_ogr_formats(tmp_path, suffix, driver):
    path = tmp_path / f"pa{suffix}"
    layer().to_file(path, driver=driver)
    out = read_layer(path).sort_values("WDPAID")  # FlatGeobuf's spatial index may reorder features
    assert list(out["WDPAID"]) == [1, 2] and out.crs == layer().crs
    assert out["NAME"].iloc[0] == "Іле Алатауы"


def test_reads_geoparquet(tmp_path):
    layer().to_parquet(tmp_path / "pa.parquet")
    assert len(read_layer(tmp_path / "pa.parquet")) == 2


def test_gpkg_layer_by_name_and_unknown_layer_lists_the_others(tmp_path):
    path = tmp_path / "many.gpkg"
    layer().to_file(path, layer="parks")
    layer().iloc[:1].to_file(path, layer="reserves")
    assert len(read_layer(f"{path}:reserves")) == 1
    with pytest.raises(PacovError, match="no layer 'zakazniks'; layers there: parks, reserves"):
        read_layer(f"{path}:zakazniks", "protected areas")


def test_protected_planet_zip_of_zipped_shapefile_parts(tmp_path):
    """WDPA_…_shp.zip holds …_shp_0.zip … _shp_2.zip, each with polygons and points."""
    outer = tmp_path / "WDPA_Nov2025_Public_KAZ_shp.zip"
    whole = sites([{"WDPAID": i, "geometry": square(i * 20, 0, 10)} for i in range(1, 7)])
    with zipfile.ZipFile(outer, "w") as out:
        for part in range(3):
            folder = tmp_path / f"part{part}"
            folder.mkdir()
            name = "WDPA_Nov2025_Public_KAZ_shp-polygons"
            whole.iloc[part * 2 : part * 2 + 2].to_file(folder / f"{name}.shp")
            inner = tmp_path / f"WDPA_Nov2025_Public_KAZ_shp_{part}.zip"
            with zipfile.ZipFile(inner, "w") as zin:
                for f in folder.iterdir():
                    zin.write(f, f.name)
            out.write(inner, inner.name)
        out.writestr("WDPA_sources_Nov2025.csv", "a,b\n1,2\n")
    read = read_layer(outer)
    assert sorted(read["WDPAID"]) == [1, 2, 3, 4, 5, 6]


def test_zipped_single_shapefile(tmp_path):
    layer().to_file(tmp_path / "pa.shp")
    with zipfile.ZipFile(tmp_path / "pa.zip", "w") as z:
        for f in tmp_path.glob("pa.*"):
            if f.suffix != ".zip":
                z.write(f, f.name)
    assert len(read_layer(tmp_path / "pa.zip")) == 2


@pytest.mark.parametrize(
    "content,expected",
    [
        (None, "file not found"),
        (b"name,area\nx,1\n", "not a readable vector file|has no geometry"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not a readable vector file"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, content, expected):
    path = tmp_path / ("missing.gpkg" if content is None else "bad.csv")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PacovError, match=expected) as info:
        read_layer(path, "ranges")
    assert str(info.value).startswith(f"ranges {path}")
    assert "\n" not in str(info.value)


def test_split_source_keeps_existing_paths_with_colons(tmp_path):
    odd = tmp_path / "a:b.geojson"
    layer().to_file(odd, driver="GeoJSON")
    assert split_source(str(odd)) == (odd, None)
    assert split_source(f"{tmp_path}/x.gpkg:parks") == (tmp_path / "x.gpkg", "parks")


def test_protected_planet_zip_holding_a_single_inner_zip(tmp_path):
    """Issue 16 item 16: an outer zip with one inner zip (polygons and points shapefiles): all 3 sites read
    (GDAL takes a one-file zip for the file itself; the /vsizip/{…} form reads inside it)."""
    from shapely.geometry import Point

    folder = tmp_path / "part0"
    folder.mkdir()
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}, {"WDPAID": 2, "geometry": square(20, 0, 10)}]).to_file(
        folder / "WDPA_KAZ_shp-polygons.shp"
    )
    sites([{"WDPAID": 3, "REP_AREA": 5.0, "geometry": Point(50_000, 0)}]).to_file(folder / "WDPA_KAZ_shp-points.shp")
    inner = tmp_path / "WDPA_KAZ_shp_0.zip"
    with zipfile.ZipFile(inner, "w") as zin:
        for f in folder.iterdir():
            zin.write(f, f.name)
    with zipfile.ZipFile(tmp_path / "WDPA_KAZ_shp.zip", "w") as out:
        out.write(inner, inner.name)
    assert sorted(read_layer(tmp_path / "WDPA_KAZ_shp.zip")["WDPAID"]) == [1, 2, 3]
