import pytest
from shapely.geometry import Point

from conftest import EQUAL_AREA, sites, square
from pacov.analyses.reconcile import reconcile
from pacov.cleaning.clean import CleanOptions, clean_protected_areas


def test_flags_mismatches_points_and_missing_figures():
    layer = sites(
        [
            {"WDPAID": 1, "REP_AREA": 100.0, "geometry": square(0, 0, 10)},  # 100 km²: ok
            {"WDPAID": 2, "REP_AREA": 150.0, "geometry": square(20, 0, 10)},  # mapped 1/3 smaller
            {"WDPAID": 3, "REP_AREA": None, "geometry": square(40, 0, 10)},
            {"WDPAID": 4, "REP_AREA": 5.0, "geometry": Point(90_000, 0)},
        ]
    )
    clean, _ = clean_protected_areas(layer, EQUAL_AREA, options=CleanOptions(flatten=False))
    table = reconcile(clean).set_index("WDPAID")
    assert table["check"].to_dict() == {
        1: "ok",
        2: "differs by more than 10%",
        3: "no reported area",
        4: "point site: drawn from REP_AREA",
    }
    assert round(table.loc[2, "difference_share"], 4) == -0.3333


def test_a_site_in_several_rows_is_compared_once_through_the_cli(tmp_path):
    """Issue 16 item 12: site 1 is two 100 km² rows with REP_AREA 200 km²: one row, 20,000 ha mapped, ok."""
    import json

    from conftest import run_pacov

    sites(
        [
            {"WDPAID": 1, "REP_AREA": 200.0, "geometry": square(0, 0, 10)},
            {"WDPAID": 1, "REP_AREA": 200.0, "geometry": square(20, 0, 10)},
        ]
    ).to_file(tmp_path / "pa.gpkg")
    done = run_pacov("reconcile", "--protected", tmp_path / "pa.gpkg", "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert (row["WDPAID"], row["reported_ha"], row["check"]) == (1, 20_000, "ok")
    assert row["mapped_ha"] == pytest.approx(20_000, rel=1e-6)
