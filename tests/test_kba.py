"""PA coverage of Key Biodiversity Areas (issue 27, item 2): both SDG 15.1.2 forms, today and by year.

Three 10 × 10 km KBAs: the first inside a PA (2000), the second half under an OECM (2030, x 20–25 km),
the third outside both. By hand: today mean (1 + 0.5 + 0) / 3 = 0.5 and one of three wholly covered;
in 2000 only the first is covered: mean 1/3, one of three.
"""

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from conftest import EQUAL_AREA, SCHEMAS, in_schema, run_pacov, sites, square
from pacov.analyses.kba import kba_coverage
from pacov.cleaning.clean import clean_protected_areas


def kba_layer():
    return gpd.GeoDataFrame(
        {"SitRecID": [1, 2, 3]}, geometry=[square(0, 0, 10), square(20, 0, 10), square(40, 0, 10)], crs=EQUAL_AREA
    )


def protected(schema="legacy"):
    layer = sites(
        [
            {"WDPAID": 1, "SITE_TYPE": "PA", "STATUS_YR": 2000, "geometry": square(-5, -5, 20)},
            {"WDPAID": 2, "SITE_TYPE": "OECM", "STATUS_YR": 2030, "geometry": box(20_000, -5_000, 25_000, 15_000)},
        ]
    )
    return in_schema(layer, schema)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_three_kbas_at_100_50_and_0_percent(schema):
    clean, _ = clean_protected_areas(protected(schema), EQUAL_AREA)
    table = kba_coverage(clean, kba_layer(), by_year=True)
    assert table["year"].tolist() == [2000, 2030, pd.NA]
    assert table["n_kba"].tolist() == [3, 3, 3]
    assert table["mean_covered_share"].tolist() == pytest.approx([1 / 3, 0.5, 0.5])
    assert table["wholly_covered_share"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])


def test_wholly_covered_means_more_than_98_percent():
    """A KBA 99% covered counts as wholly covered, one 97% covered does not (digitising tolerance)."""
    layer = sites(
        [
            {"WDPAID": 1, "geometry": box(0, 0, 9_900, 10_000)},
            {"WDPAID": 2, "geometry": box(20_000, 0, 29_700, 10_000)},
        ]
    )
    clean, _ = clean_protected_areas(layer, EQUAL_AREA)
    table = kba_coverage(clean, kba_layer().iloc[:2])
    assert table["mean_covered_share"].iloc[0] == pytest.approx((0.99 + 0.97) / 2)
    assert table["wholly_covered_share"].iloc[0] == pytest.approx(0.5)


def test_kba_cli_by_year_and_site_type(tmp_path):
    protected("wdpca").to_file(tmp_path / "pa.gpkg")
    kba_layer().to_file(tmp_path / "kba.gpkg")
    args = ["kba", "--protected", tmp_path / "pa.gpkg", "--kba", tmp_path / "kba.gpkg", "--format", "json"]
    done = run_pacov(*args, "--by-year")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["year"] for r in rows] == [2000, 2030, None]
    assert [r["site_type"] for r in rows] == ["all"] * 3
    assert rows[-1]["n_kba"] == 3 and rows[-1]["mean_covered_share"] == pytest.approx(0.5)
    assert rows[-1]["wholly_covered_share"] == pytest.approx(1 / 3)
    done = run_pacov(*args, "--site-type", "pa")  # the OECM left out: only the first KBA is covered
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"site_type": "pa", "year": None, "n_kba": 3, "mean_covered_share": pytest.approx(1 / 3),
         "wholly_covered_share": pytest.approx(1 / 3)}
    ]  # fmt: skip
    done = run_pacov("kba", "--protected", tmp_path / "pa.gpkg", "--kba", tmp_path / "missing.gpkg")
    assert done.returncode == 1 and "missing.gpkg: file not found" in done.stderr and "Traceback" not in done.stderr


def test_a_kba_layer_with_no_polygon_is_a_clear_error():
    from pacov.errors import PacovError

    clean, _ = clean_protected_areas(protected(), EQUAL_AREA)
    with pytest.raises(PacovError, match="kba.gpkg: no KBA polygon with any area"):
        kba_coverage(clean, kba_layer().iloc[:0], label="KBAs kba.gpkg")
