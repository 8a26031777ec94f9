"""A corpus of bad inputs, made here, run through the real CLI.

Each case ends in a correct answer, or in one line on stderr naming the file, layer, feature or
field and what to do, with exit code 1 (2 for a bad command line) — never a traceback.
"""

import json
import os

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from conftest import EQUAL_AREA, ranges, run_pacov, sites, square

KM = 1000.0


@pytest.fixture
def rng(tmp_path):
    """Range A: 50 km × 50 km at the origin of EPSG:6933 (250,000 ha)."""
    path = tmp_path / "ranges.gpkg"
    ranges([{"sci_name": "A", "geometry": square(0, 0, 50)}]).to_file(path)
    return path


def cover(protected, ranges_path, *extra):
    done = run_pacov(
        "coverage", "--protected", protected, "--ranges", ranges_path, "--crs", EQUAL_AREA, "--format", "json", *extra
    )
    assert "Traceback" not in done.stderr
    return done


def answer(done):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[0]["protected_ha"]


def refused(done, *words):
    assert done.returncode == 1, (done.stdout, done.stderr)
    line = done.stderr.strip()
    assert line.startswith("pacov: error: ") and "\n" not in line
    for word in words:
        assert word in line, line
    return line


def geojson(path, coordinates, kind="Polygon", crs="urn:ogc:def:crs:EPSG::6933"):
    """A hand-written GeoJSON file: the only way to make rings that shapely would refuse to build."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": crs}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"WDPAID": 7, "NAME": "x", "STATUS": "Designated"},
                        "geometry": {"type": kind, "coordinates": coordinates},
                    }
                ],
            }
        )
    )
    return path


def test_missing_truncated_table_and_image_files(tmp_path, rng):
    refused(cover(tmp_path / "nope.gpkg", rng), "nope.gpkg", "file not found")
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    data = (tmp_path / "pa.gpkg").read_bytes()
    (tmp_path / "cut.gpkg").write_bytes(data[: len(data) // 3])
    refused(cover(tmp_path / "cut.gpkg", rng), "cut.gpkg", "not a readable vector file")
    (tmp_path / "table.csv").write_text("WDPAID,NAME,STATUS\n1,a,Designated\n")
    refused(cover(tmp_path / "table.csv", rng), "table.csv", "no geometry column")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    refused(cover(tmp_path / "photo.png", rng), "photo.png", "not a readable vector file")
    refused(cover(f"{tmp_path / 'pa.gpkg'}:parks", rng), "no layer 'parks'", "layers there: pa")


def test_crs_missing_geographic_and_projected(tmp_path, rng):
    layer = sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}])
    layer.to_file(tmp_path / "nocrs.shp")
    os.remove(tmp_path / "nocrs.prj")
    refused(cover(tmp_path / "nocrs.shp", rng), "nocrs.shp", "no coordinate reference system", "--assume-crs")
    assert answer(cover(tmp_path / "nocrs.shp", rng, "--assume-crs", EQUAL_AREA)) == pytest.approx(10_000)
    layer.to_crs("EPSG:4326").to_file(tmp_path / "geo.geojson")
    assert answer(cover(tmp_path / "geo.geojson", rng)) == pytest.approx(10_000, rel=1e-4)
    layer.to_crs("EPSG:3857").to_file(tmp_path / "mercator.gpkg")  # not equal-area: still the true area
    assert answer(cover(tmp_path / "mercator.gpkg", rng)) == pytest.approx(10_000, rel=1e-3)


@pytest.mark.parametrize(
    "ring,expected_ha",
    [
        ([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)], 200),  # bow-tie: two triangles
        ([(0, 0), (4, 0), (4, 4), (2, 4), (3, 2), (2, 4), (0, 4), (0, 0)], 1600),  # self-touching ring
        ([(0, 0), (4, 0), (4, 4), (2, 4), (2, 9), (2, 4), (0, 4), (0, 0)], 1600),  # spike
        ([(0, 0), (0, 0), (4, 0), (4, 0), (4, 4), (0, 4), (0, 0)], 1600),  # duplicate vertices
    ],
)
def test_invalid_rings_are_repaired_to_their_area(tmp_path, rng, ring, expected_ha):
    path = geojson(tmp_path / "bad.geojson", [[[x * KM, y * KM] for x, y in ring]])
    done = cover(path, rng)
    assert answer(done) == pytest.approx(expected_ha, rel=1e-9)


def test_unclosed_and_too_short_rings(tmp_path, rng):
    unclosed = geojson(tmp_path / "open.geojson", [[[0, 0], [4000, 0], [4000, 4000], [0, 4000]]])
    refused(cover(unclosed, rng), "open.geojson", "feature 1", "closed")
    short = geojson(tmp_path / "short.geojson", [[[0, 0], [4000, 0], [0, 0]]])
    done = cover(short, rng)
    assert answer(done) == 0 and "dropped 1" in done.stderr and "--log" in done.stderr


def test_empty_geometries_and_empty_layers(tmp_path, rng):
    layer = sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}, {"WDPAID": 2, "geometry": Polygon()}])
    layer.to_file(tmp_path / "some_empty.gpkg")
    done = cover(tmp_path / "some_empty.gpkg", rng, "--log", tmp_path / "log.csv")
    assert answer(done) == pytest.approx(10_000)
    assert "empty or null geometry" in (tmp_path / "log.csv").read_text()
    layer.iloc[:0].to_file(tmp_path / "none.gpkg")
    assert answer(cover(tmp_path / "none.gpkg", rng)) == 0
    ranges([{"sci_name": "A", "geometry": square(0, 0, 1)}]).iloc[:0].to_file(tmp_path / "no_ranges.gpkg")
    refused(cover(tmp_path / "none.gpkg", tmp_path / "no_ranges.gpkg"), "no range polygon")


def test_mixed_types_lines_and_extra_dimensions(tmp_path, rng):
    mixed = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "REP_AREA": 4.0, "geometry": Point(30 * KM, 30 * KM)},
        ]
    )
    mixed.to_file(tmp_path / "mixed.geojson")
    assert answer(cover(tmp_path / "mixed.geojson", rng)) == pytest.approx(10_400)
    lines = sites([{"WDPAID": 9, "geometry": LineString([(0, 0), (KM, KM)])}])
    lines.to_file(tmp_path / "lines.geojson")
    refused(cover(tmp_path / "lines.geojson", rng), "(WDPAID 9) is a LineString")
    zm = tmp_path / "zm.csv"  # OGR reads WKT columns: a way to bring Z and M coordinates
    zm.write_text(
        'WKT,WDPAID,NAME,STATUS\n"POLYGON ZM ((0 0 1 5, 4000 0 1 5, 4000 4000 1 5, 0 4000 1 5, 0 0 1 5))",'
        "1,zm,Designated\n"
    )
    assert answer(cover(zm, rng, "--assume-crs", EQUAL_AREA)) == pytest.approx(1_600)


def test_million_vertices_and_hundred_thousand_slivers(tmp_path, rng):
    t = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    r = 20 * KM * (1 + 0.05 * np.sin(37 * t))
    big = Polygon(np.c_[25 * KM + r * np.cos(t), 25 * KM + r * np.sin(t)])
    sites([{"WDPAID": 1, "geometry": big}]).to_file(tmp_path / "big.gpkg")
    assert answer(cover(tmp_path / "big.gpkg", rng)) == pytest.approx(big.area / 1e4, abs=0.01)
    generator = np.random.default_rng(7)
    xy = generator.uniform(-5 * KM, 55 * KM, (100_000, 2))
    slivers = shapely.box(
        xy[:, 0], xy[:, 1], xy[:, 0] + generator.uniform(5, 60, 100_000), xy[:, 1] + generator.uniform(1, 8, 100_000)
    )
    layer = gpd.GeoDataFrame(
        {"WDPAID": np.arange(1, 100_001), "NAME": "s", "STATUS": "Designated"}, geometry=slivers, crs=EQUAL_AREA
    )
    layer.to_file(tmp_path / "slivers.gpkg")
    expected = shapely.area(shapely.intersection(shapely.union_all(slivers), square(0, 0, 50))) / 1e4
    assert answer(cover(tmp_path / "slivers.gpkg", rng)) == pytest.approx(expected, abs=0.01)


def test_wdpa_field_and_value_problems(tmp_path, rng):
    layer = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "STATUS": "Gazetted", "geometry": square(20, 0, 10)},
            {"WDPAID": 3, "REP_AREA": -2.0, "geometry": Point(40 * KM, 40 * KM)},
            {"WDPAID": 4, "REP_AREA": 0.0, "geometry": Point(45 * KM, 45 * KM)},
        ]
    )
    layer.to_file(tmp_path / "values.gpkg")
    done = cover(tmp_path / "values.gpkg", rng, "--log", tmp_path / "log.csv")
    assert answer(done) == pytest.approx(10_000)
    log = (tmp_path / "log.csv").read_text()
    assert "STATUS 'Gazetted' is not one of" in log and "REP_AREA is zero or negative" in log
    assert "point site without REP_AREA" in log
    layer.rename(columns={"STATUS": "STAUTS"}).to_file(tmp_path / "misspelt.gpkg")
    refused(cover(tmp_path / "misspelt.gpkg", rng), "no field STATUS", "did you mean 'STAUTS'")
    layer.drop(columns="NAME").to_file(tmp_path / "noname.gpkg")
    refused(cover(tmp_path / "noname.gpkg", rng), "no field NAME")


def test_iucn_codes_out_of_range(tmp_path):
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "presence": 9, "geometry": square(0, 0, 50)}]).to_file(tmp_path / "r.gpkg")
    refused(
        cover(tmp_path / "pa.gpkg", tmp_path / "r.gpkg"),
        "feature 1 (sci_name A) has presence '9'",
        "valid codes are 1–7",
    )


def test_cyrillic_names_survive_every_table_format(tmp_path):
    name = "Іле Алатауы мемлекеттік ұлттық табиғи паркі"
    sites([{"WDPAID": 1, "NAME": name, "DESIG_ENG": "Ұлттық парк", "geometry": square(0, 0, 10)}]).to_file(
        tmp_path / "pa.gpkg"
    )
    ranges([{"sci_name": "Барс", "geometry": square(0, 0, 50)}]).to_file(tmp_path / "r.gpkg")
    for fmt in ("json", "csv", "md", "table"):
        done = run_pacov(
            "coverage",
            "--protected",
            tmp_path / "pa.gpkg",
            "--ranges",
            tmp_path / "r.gpkg",
            "--by",
            "DESIG_ENG",
            "--format",
            fmt,
        )
        assert done.returncode == 0 and "Ұлттық парк" in done.stdout and "Барс" in done.stdout, fmt


def test_markup_in_names_is_escaped_in_markdown(tmp_path):
    sites([{"WDPAID": 1, "DESIG_ENG": "<script>alert(1)</script>", "geometry": square(0, 0, 10)}]).to_file(
        tmp_path / "pa.gpkg"
    )
    ranges([{"sci_name": "A", "geometry": square(0, 0, 50)}]).to_file(tmp_path / "r.gpkg")
    done = run_pacov(
        "coverage",
        "--protected",
        tmp_path / "pa.gpkg",
        "--ranges",
        tmp_path / "r.gpkg",
        "--by",
        "DESIG_ENG",
        "--format",
        "md",
    )
    assert "<script>" not in done.stdout and "&lt;script&gt;" in done.stdout


def test_non_finite_coordinates_are_refused():
    from pacov.cleaning.coordinates import check_coordinates
    from pacov.errors import PacovError

    with np.errstate(invalid="ignore"):
        layer = sites([{"WDPAID": 5, "geometry": Polygon([(0, 0), (1, 0), (np.nan, 1), (0, 0)])}])
    with pytest.raises(PacovError, match=r"feature 1 \(WDPAID 5\) has a coordinate that is not a finite number"):
        check_coordinates(layer, "pa")


def test_unwritable_output(tmp_path, rng):
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    (tmp_path / "file").write_text("")
    refused(cover(tmp_path / "pa.gpkg", rng, "--output", tmp_path / "file" / "out.json"), "cannot write output")


def test_geometry_collections_count_by_what_they_hold(tmp_path, rng):
    from shapely.geometry import GeometryCollection

    point_inside = GeometryCollection([Point(20 * KM, 20 * KM)])
    sites([{"WDPAID": 1, "REP_AREA": 4.0, "geometry": point_inside}]).to_file(tmp_path / "gc_point.gpkg")
    assert answer(cover(tmp_path / "gc_point.gpkg", rng)) == pytest.approx(400)  # a circle of 4 km²
    mixed = GeometryCollection([square(0, 0, 10), LineString([(0, 0), (KM, KM)]), Point(0, 0)])
    sites([{"WDPAID": 2, "geometry": mixed}]).to_file(tmp_path / "gc_mixed.gpkg")
    assert answer(cover(tmp_path / "gc_mixed.gpkg", rng)) == pytest.approx(10_000)
    only_lines = GeometryCollection([LineString([(0, 0), (KM, KM)])])
    ranges([{"sci_name": "L", "geometry": only_lines}]).to_file(tmp_path / "gc_lines.gpkg")
    refused(
        cover(tmp_path / "gc_point.gpkg", tmp_path / "gc_lines.gpkg"), "feature 1 (sci_name L) is a MultiLineString"
    )


def test_nan_cells_in_a_raster_without_nodata_count_for_nothing(tmp_path):
    import rasterio
    from affine import Affine

    from pacov.analyses.raster_coverage import raster_coverage

    values = np.ones((4, 4))
    values[0, :] = np.nan
    with rasterio.open(
        tmp_path / "nan.tif",
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float64",
        crs=EQUAL_AREA,
        transform=Affine(1000, 0, 0, 0, -1000, 4000),
    ) as dst:
        dst.write(values, 1)
    protected = sites([{"WDPAID": 1, "geometry": square(0, 2, 2)}])  # top-left 2×2 cells, one row NaN
    table = raster_coverage(tmp_path / "nan.tif", protected)
    assert (table["weight_protected"].iloc[0], table["weight_total"].iloc[0]) == pytest.approx((2, 12))


GOOD = {"sci_name": "A", "geometry": shapely.box(0, 0, 1, 1)}


@pytest.mark.parametrize(
    "second, words",
    [
        ({"sci_name": "B", "geometry": shapely.box(0, 89, 1, 95)}, "outside the degrees"),  # coordinate check
        ({"sci_name": "B", "presence": 9, "geometry": shapely.box(0, 0, 1, 1)}, "has presence '9'"),
        ({"sci_name": " ", "geometry": shapely.box(0, 0, 1, 1)}, "has no species name"),
        ({"sci_name": "B", "geometry": LineString([(0, 0), (1, 1)])}, "is a LineString"),
    ],
)
def test_every_check_counts_features_from_one(tmp_path, second, words):
    """Issue 23 item 6: the second feature of a file is 'feature 2' in every check, as QGIS and ogrinfo count."""
    protected = tmp_path / "pa.gpkg"
    sites([{"WDPAID": 1, "geometry": shapely.box(0, 0, 0.5, 0.5)}], crs="EPSG:4326").to_file(protected)
    path = tmp_path / "ranges.gpkg"
    ranges([GOOD, second], crs="EPSG:4326").to_file(path)
    done = run_pacov("coverage", "--protected", protected, "--ranges", path, "--format", "json")
    assert "feature 2" in refused(done, "ranges.gpkg", words)


def test_protected_features_count_from_one_past_filtered_rows(tmp_path, rng):
    """A Proposed first site is dropped before the geometry check: the line is still 'feature 3' of the file."""
    protected = tmp_path / "pa.gpkg"
    rows = [
        {"WDPAID": 1, "STATUS": "Proposed", "geometry": square(0, 0, 1)},
        {"WDPAID": 2, "geometry": square(2, 0, 1)},
        {"WDPAID": 3, "geometry": LineString([(0, 0), (KM, KM)])},
    ]
    sites(rows).to_file(protected)
    refused(cover(protected, rng), "pa.gpkg", "feature 3 (WDPAID 3) is a LineString")
    sites([rows[1], {"WDPAID": "x", "geometry": square(4, 0, 1)}]).to_file(tmp_path / "ids.gpkg")
    refused(cover(tmp_path / "ids.gpkg", rng), "ids.gpkg", "feature 2 has WDPAID 'x'")
