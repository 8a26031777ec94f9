import pytest

from conftest import EQUAL_AREA, ranges, sites, square
from pacov.analyses.timeline import chart, timeline
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.engine.ranges import prepare_ranges


def test_years_accumulate_and_undated_sites_are_listed(tmp_path):
    layer = sites(
        [
            {"WDPAID": 1, "STATUS_YR": 1990, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "STATUS_YR": 2005, "geometry": square(5, 0, 10)},  # overlaps site 1 by half
            {"WDPAID": 3, "STATUS_YR": 2005, "geometry": square(30, 0, 10)},
            {"WDPAID": 4, "STATUS_YR": 0, "NAME": "Undated", "geometry": square(60, 0, 10)},
        ]
    )
    clean, _ = clean_protected_areas(layer, EQUAL_AREA, options=CleanOptions(flatten=False))
    parts = prepare_ranges(ranges([{"sci_name": "A", "geometry": square(0, 0, 40)}]), EQUAL_AREA)
    table, undated = timeline(clean, parts)
    assert table["year"].tolist() == [1990, 2005]
    assert table["protected_ha"].tolist() == pytest.approx([10_000, 25_000])
    assert table["A share"].tolist() == pytest.approx([10_000 / 160_000, 25_000 / 160_000])
    assert undated["NAME"].tolist() == ["Undated"]
    chart(table, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
