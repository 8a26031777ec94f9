"""Known answers for whole coverage runs, including a geographic range checked against geodesic area."""

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box

from conftest import EQUAL_AREA, ranges, sites, square
from pacov.engine.analysis import analyse
from pacov.errors import PacovError


def test_overlapping_squares_hole_and_multipart_range():
    protected = sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "II", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "IV", "geometry": square(5, 0, 10)},
            {"WDPAID": 3, "geometry": square(40, 0, 10)},
        ]
    )
    with_hole = Polygon(square(0, 0, 20).exterior.coords, [square(2, 2, 4).exterior.coords])
    multipart = MultiPolygon([square(40, 0, 5), square(60, 0, 5)])
    layer = ranges(
        [{"sci_name": "Uncia uncia", "geometry": with_hole}, {"sci_name": "Ovis ammon", "geometry": multipart}]
    )
    result = analyse(protected, layer, crs=EQUAL_AREA)
    table = result.species.set_index("species")
    # range 400 km² less a 16 km² hole; protected: squares 1 ∪ 2 = 15×10 km inside the range, less the hole
    assert table.loc["Uncia uncia", "range_ha"] == pytest.approx(38_400)
    assert table.loc["Uncia uncia", "protected_ha"] == pytest.approx(15_000 - 1_600)
    assert table.loc["Ovis ammon", "range_ha"] == pytest.approx(5_000)
    assert table.loc["Ovis ammon", "protected_share"] == pytest.approx(0.5)
    by_site = result.by_site[result.by_site["species"] == "Uncia uncia"].set_index("WDPAID")
    assert by_site.loc[1, "range_in_site_ha"] == pytest.approx(8_400)
    assert by_site.loc[2, "range_in_site_ha"] == pytest.approx(9_600)  # gross: the hole takes only 1×4 km
    assert by_site.loc[2, "unique_ha"] == pytest.approx(5_000)  # site 1 (category II) took the overlap
    assert by_site["unique_ha"].sum() == pytest.approx(13_400)  # unique: adds up to the total
    by_cat = result.breakdown("IUCN_CAT")
    assert by_cat[by_cat["species"] == "Uncia uncia"]["protected_ha"].sum() == pytest.approx(13_400)


def test_breakdown_by_range_field_and_unknown_field():
    layer = ranges(
        [
            {"sci_name": "A", "landscape": "north", "geometry": square(0, 0, 10)},
            {"sci_name": "A", "landscape": "south", "geometry": square(0, -20, 10)},
        ]
    )
    result = analyse(sites([{"WDPAID": 1, "geometry": square(0, -20, 10)}]), layer, crs=EQUAL_AREA)
    zones = result.breakdown("landscape").set_index("landscape")
    assert zones.loc["north", "protected_share"] == 0
    assert zones.loc["south", "protected_share"] == pytest.approx(1)
    with pytest.raises(PacovError, match="--by nope: no such range or site field"):
        result.breakdown("nope")


def test_geographic_range_matches_geodesic_area():
    cell = box(77.0, 43.0, 78.5, 44.0)
    protected = sites([{"WDPAID": 1, "geometry": box(77.0, 43.0, 77.5, 44.0)}], crs="EPSG:4326")
    result = analyse(protected, ranges([{"sci_name": "A", "geometry": cell}], crs="EPSG:4326"))
    dense = shapely.segmentize(cell, 0.001)
    geodesic_ha = abs(Geod(ellps="WGS84").geometry_area_perimeter(dense)[0]) / 1e4
    row = result.species.iloc[0]
    assert row["range_ha"] == pytest.approx(geodesic_ha, rel=1e-5)
    assert row["protected_share"] == pytest.approx(1 / 3, rel=1e-3)  # narrower at the top; meridian strips are equal
    assert 1_300_000 < row["range_ha"] < 1_400_000  # ~121 km × 111 km, never square degrees
    assert result.crs.coordinate_operation.method_name == "Lambert Azimuthal Equal Area"


def test_projected_non_equal_area_input_matches_geodesic_area():
    utm = "EPSG:32643"  # conformal, not equal-area: its own areas are off by the scale factor
    x0, y0 = 700_000, 4_800_000
    rng = ranges([{"sci_name": "A", "geometry": box(x0, y0, x0 + 100_000, y0 + 100_000)}], crs=utm)
    protected = sites([{"WDPAID": 1, "geometry": box(x0, y0, x0 + 50_000, y0 + 100_000)}], crs=utm)
    row = analyse(protected, rng).species.iloc[0]
    geographic = rng.set_geometry(rng.geometry.segmentize(100)).to_crs("EPSG:4326").geometry.iloc[0]
    geodesic_ha = abs(Geod(ellps="WGS84").geometry_area_perimeter(geographic)[0]) / 1e4
    assert row["range_ha"] == pytest.approx(geodesic_ha, rel=1e-5)
    assert row["range_ha"] != pytest.approx(1_000_000, rel=1e-4)  # not the planar UTM figure
    assert row["protected_share"] == pytest.approx(0.5, abs=1e-3)


def test_missing_crs_is_refused_unless_assumed():
    protected = sites([{"WDPAID": 1, "geometry": box(77.0, 43.0, 77.5, 44.0)}], crs=None)
    rng = ranges([{"sci_name": "A", "geometry": box(77.0, 43.0, 78.5, 44.0)}], crs="EPSG:4326")
    with pytest.raises(PacovError, match="no coordinate reference system.*--assume-crs"):
        analyse(protected, rng)
    assert analyse(protected, rng, assume_crs="EPSG:4326").species["protected_share"].iloc[0] > 0.3


def test_non_equal_area_crs_is_refused():
    with pytest.raises(PacovError, match="not equal-area"):
        analyse(
            sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}]),
            ranges([{"sci_name": "A", "geometry": square(0, 0, 1)}]),
            crs="EPSG:3857",
        )


def test_species_selection_and_focal_first():
    layer = ranges([{"sci_name": n, "geometry": square(i * 20, 0, 10)} for i, n in enumerate("ABC")])
    protected = sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}])
    assert analyse(protected, layer, crs=EQUAL_AREA, focal="C").species["species"].tolist() == ["C", "A", "B"]
    assert analyse(protected, layer, crs=EQUAL_AREA, species=["b"]).species["species"].tolist() == ["B"]
    with pytest.raises(PacovError, match="did you mean 'A'"):
        analyse(protected, layer, crs=EQUAL_AREA, species=["AA"])
    assert np.isfinite(analyse(protected, layer, crs=EQUAL_AREA).species["protected_share"]).all()


def test_breakdown_by_a_separate_zone_layer():
    layer = ranges([{"sci_name": "A", "geometry": square(0, 0, 20)}])
    result = analyse(sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]), layer, crs=EQUAL_AREA)
    zones = sites(
        [
            {"WDPAID": 0, "oblast": "West", "geometry": box(-5_000, -5_000, 10_000, 25_000)},
            {"WDPAID": 0, "oblast": "East", "geometry": box(10_000, -5_000, 25_000, 25_000)},
        ]
    )
    table = result.zone_breakdown(zones, "oblast").set_index("oblast")
    # West holds x 0–10 × y 0–10 (all protected) and x 0–10 × y 10–20 (not): 20,000 ha, half protected
    assert table.loc["West", "range_ha"] == pytest.approx(20_000) and table.loc["West", "protected_share"] == 0.5
    assert table.loc["East", "protected_ha"] == 0
    with pytest.raises(PacovError, match="no field county"):
        result.zone_breakdown(zones, "county")


def zone_world(folder):
    """Range A = x 0–50 km, y 0–10 km (EASE-Grid: 50 km × 10 km in the plane = 50,000 ha); sites at x 0–10 and
    40–50; zones: W over x 0–20, a zone with no value over x 20–30, nothing over x 30–50 (written with no CRS)."""
    import geopandas as gpd

    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}, {"WDPAID": 2, "geometry": square(40, 0, 10)}]).to_file(
        folder / "pa.gpkg"
    )
    ranges([{"sci_name": "A", "geometry": box(0, 0, 50_000, 10_000)}]).to_file(folder / "r.gpkg")
    gpd.GeoDataFrame(
        {"zone": ["W", None]}, geometry=[box(0, 0, 20_000, 10_000), box(20_000, 0, 30_000, 10_000)]
    ).to_file(folder / "zones.gpkg")


def test_zones_keep_range_outside_every_zone_and_in_zones_without_a_value(tmp_path):
    """Issue 16 items 11 and 17: every hectare of the range is in some row, and --assume-crs applies to zones."""
    import json

    from conftest import run_pacov

    zone_world(tmp_path)
    done = run_pacov(
        "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--zones",
        tmp_path / "zones.gpkg", "--by", "zone", "--assume-crs", EQUAL_AREA, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {r["zone"]: (r["range_ha"], r["protected_ha"]) for r in json.loads(done.stdout)}
    assert rows == {
        "W": pytest.approx((20_000, 10_000), rel=1e-6),
        "(no value)": pytest.approx((10_000, 0), rel=1e-6, abs=1e-6),
        "(outside zones)": pytest.approx((20_000, 10_000), rel=1e-6),
    }
    assert "overlap" not in done.stderr  # zones that only touch share no hectare


def test_by_a_range_field_keeps_range_parts_with_no_value(tmp_path):
    """Issue 23 item 4: range A = x 0–20 km ('west', code 3) and x 20–50 km (no landscape, no code), y 0–10 km;
    one site over x 10–30 km. By hand (EASE-Grid plane): west 20,000 ha, 10,000 protected; the rest 30,000 ha,
    10,000 protected, in a '(no value)' row instead of vanishing (a blank landscape, x 40–50 km, is no value too)."""
    import json

    from conftest import run_pacov

    sites([{"WDPAID": 1, "geometry": box(10_000, 0, 30_000, 10_000)}]).to_file(tmp_path / "pa.gpkg")
    ranges(
        [
            {"sci_name": "A", "landscape": "west", "code": 3, "geometry": box(0, 0, 20_000, 10_000)},
            {"sci_name": "A", "landscape": None, "code": None, "geometry": box(20_000, 0, 40_000, 10_000)},
            {"sci_name": "A", "landscape": " ", "code": None, "geometry": box(40_000, 0, 50_000, 10_000)},  # blank
        ]
    ).to_file(tmp_path / "r.gpkg")
    for field, named in (("landscape", "west"), ("code", "3")):
        done = run_pacov(
            "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--by", field,
            "--crs", EQUAL_AREA, "--format", "json",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        rows = {r[field]: (r["range_ha"], r["protected_ha"]) for r in json.loads(done.stdout)}
        assert rows == {named: pytest.approx((20_000, 10_000)), "(no value)": pytest.approx((30_000, 10_000))}


def test_a_species_the_code_filter_empties_gets_a_zero_row_and_a_note(tmp_path):
    """Issue 23 item 4: every polygon of B has presence 4 (possibly extinct), outside the default 1–2: B gets a
    row of 0 ha and a note on stderr naming it, instead of missing from the table."""
    import json

    from conftest import run_pacov

    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    ranges(
        [
            {"sci_name": "A", "geometry": square(0, 0, 20)},
            {"sci_name": "B", "presence": 4, "geometry": square(0, 0, 20)},
            {"sci_name": "B", "presence": 5, "geometry": square(50, 0, 20)},
        ]
    ).to_file(tmp_path / "r.gpkg")
    done = run_pacov(
        "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--species", "A",
        "--species", "b", "--crs", EQUAL_AREA, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {r["species"]: (r["range_ha"], r["protected_ha"], r["protected_share"]) for r in json.loads(done.stdout)}
    assert rows == {"A": pytest.approx((40_000, 10_000, 0.25)), "B": (0, 0, 0)}
    assert "pacov: note:" in done.stderr and "no range polygon of B is left after the IUCN code filter" in done.stderr


def test_overlapping_zones_are_reported_with_the_overlap_in_hectares(tmp_path):
    """Issue 23 item 4: zones W (x 0–30 km) and E (x 20–50 km), both y -10–20 km, over range A (x 0–50, y 0–10).
    Shapely on the raw layers (EASE-Grid 2.0, equal-area): the zones share 30,000 ha, 10,000 of it in A; the zone
    rows (30,000 + 30,000 ha) exceed A's 50,000 ha by that much, and stderr says so."""
    import json
    import re

    import geopandas as gpd

    from conftest import run_pacov

    zone_w, zone_e = box(0, -10_000, 30_000, 20_000), box(20_000, -10_000, 50_000, 20_000)
    zone_c = box(22_000, 0, 28_000, 10_000)  # inside both: its range counts three times
    range_a = box(0, 0, 50_000, 10_000)
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": range_a}]).to_file(tmp_path / "r.gpkg")
    zones = [zone_w, zone_e, zone_c]
    gpd.GeoDataFrame({"zone": ["W", "E", "C"]}, geometry=zones, crs=EQUAL_AREA).to_file(tmp_path / "z.gpkg")
    done = run_pacov(
        "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--zones",
        tmp_path / "z.gpkg", "--by", "zone", "--crs", EQUAL_AREA, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    overlap = zone_w.intersection(zone_e)
    zones_ha, in_range_ha = overlap.area / 1e4, overlap.intersection(range_a).area / 1e4
    said = re.search(r"zones overlap on ([\d,]+) ha, ([\d,]+) ha of it in the ranges", done.stderr)
    assert said and [float(g.replace(",", "")) for g in said.groups()] == pytest.approx(
        [zones_ha, in_range_ha], abs=0.5
    )
    rows = json.loads(done.stdout)
    excess = sum(range_a.intersection(z).area for z in zones) / 1e4 - range_a.area / 1e4  # every zone holds range
    assert sum(r["range_ha"] for r in rows) - range_a.area / 1e4 == pytest.approx(excess)
    assert f"zone rows add up to {excess:,.0f} ha more than the range" in done.stderr
