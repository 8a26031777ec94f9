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


def test_timeline_counts_sites_and_as_of_leaves_undated_sites_out_as_timeline_does(tmp_path):
    """Issue 16 item 12: site 1 is two rows (x 0–10 and 20–30 km, 1990), site 2 is 2005 (x 40–50), site 3 has
    no year (x 60–70). The series counts 1 then 2 sites (WDPAIDs, not rows), and a scenario as of 2000 keeps
    site 1 only (20,000 ha), like the timeline's 1990 row: undated sites are in neither."""
    import json

    from conftest import run_pacov

    sites(
        [
            {"WDPAID": 1, "STATUS_YR": 1990, "geometry": square(0, 0, 10)},
            {"WDPAID": 1, "STATUS_YR": 1990, "geometry": square(20, 0, 10)},
            {"WDPAID": 2, "STATUS_YR": 2005, "geometry": square(40, 0, 10)},
            {"WDPAID": 3, "STATUS_YR": 0, "NAME": "Undated", "geometry": square(60, 0, 10)},
        ]
    ).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": square(0, 0, 100)}]).to_file(tmp_path / "r.gpkg")
    done = run_pacov(
        "timeline", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["year"], r["sites"], r["protected_ha"]) for r in rows] == [(1990, 1, 20_000), (2005, 2, 30_000)]
    assert "Undated" in done.stderr
    (tmp_path / "s.toml").write_text(
        '[baseline]\nprotected = "pa.gpkg"\nranges = "r.gpkg"\nas_of = 2000\n', encoding="utf-8"
    )
    done = run_pacov("scenario", "run", tmp_path / "s.toml", "--no-write", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["protected_ha"] == pytest.approx(20_000, rel=1e-6)


def test_fifteen_species_get_fifteen_colours():
    """Issue 16 item 18: the chart had 10 colours (matplotlib's default cycle) for 15 species."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from pacov.analyses.timeline import figure

    table = pd.DataFrame({"year": [2000, 2010], "protected_ha": [1e6, 2e6]})
    for k in range(15):
        table[f"Species {k} share"] = [0.01 * k, 0.02 * k]
    fig = figure(table)
    lines = fig.axes[1].get_lines()
    assert len(lines) == 15 and len({(line.get_color(), line.get_linestyle()) for line in lines}) == 15
    plt.close(fig)
