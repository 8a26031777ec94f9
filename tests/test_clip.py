"""``--clip``: ranges cut to an outline before the overlay, known answers from squares."""

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from conftest import EQUAL_AREA, KM, ranges, run_pacov, sites, square


@pytest.fixture
def layers(tmp_path):
    """Country 100 × 50 km; a range half outside it, one inside, one wholly outside; one 20 km site."""
    country = gpd.GeoDataFrame({"name": ["Land"]}, geometry=[box(0, 0, 100 * KM, 50 * KM)], crs=EQUAL_AREA)
    country.to_file(tmp_path / "country.gpkg")
    sites([{"WDPAID": 1, "geometry": square(0, 0, 20)}]).to_file(tmp_path / "sites.gpkg")
    ranges(
        [
            {"sci_name": "Half out", "geometry": square(0, 0, 100)},
            {"sci_name": "Inside", "geometry": square(10, 10, 10)},
            {"sci_name": "Abroad", "geometry": square(500, 500, 10)},
        ]
    ).to_file(tmp_path / "ranges.gpkg")
    return tmp_path


def coverage(folder, *extra):
    run = run_pacov(
        "coverage",
        "--protected",
        folder / "sites.gpkg",
        "--ranges",
        folder / "ranges.gpkg",
        "--crs",
        EQUAL_AREA,
        "--format",
        "csv",
        *extra,
    )
    assert run.returncode == 0, run.stderr
    return pd.read_csv(io.StringIO(run.stdout), keep_default_na=False).set_index("species")


def test_clip_cuts_ranges_to_the_outline_and_says_so(layers):
    table = coverage(layers, "--clip", layers / "country.gpkg")
    # Half out: 100 × 100 km range, 100 × 50 km inside (500,000 ha), 20 × 20 km protected (40,000 ha)
    assert table.at["Half out", "range_ha"] == pytest.approx(500_000)
    assert table.at["Half out", "range_outside_ha"] == pytest.approx(500_000)
    assert table.at["Half out", "protected_share"] == pytest.approx(40_000 / 500_000)
    assert table.at["Half out", "clipped_to"].endswith("country.gpkg")
    # Inside: 10 × 10 km, nothing cut, all inside the site
    assert table.at["Inside", "range_ha"] == pytest.approx(10_000)
    assert table.at["Inside", "range_outside_ha"] == pytest.approx(0)
    assert table.at["Inside", "clipped_to"] == ""
    assert table.at["Inside", "protected_share"] == pytest.approx(1.0)
    assert "Abroad" not in table.index


def test_without_clip_the_global_range_counts(layers):
    table = coverage(layers)
    assert table.at["Half out", "range_ha"] == pytest.approx(1_000_000)
    assert "Abroad" in table.index and "clipped_to" not in table.columns


def test_clip_outline_of_lines_is_a_one_line_error(layers):
    gpd.GeoDataFrame(geometry=[LineString([(0, 0), (KM, KM)])], crs=EQUAL_AREA).to_file(layers / "lines.gpkg")
    run = run_pacov(
        "coverage",
        "--protected",
        layers / "sites.gpkg",
        "--ranges",
        layers / "ranges.gpkg",
        "--clip",
        layers / "lines.gpkg",
    )
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "lines.gpkg" in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["gaps", "timeline"])
def test_other_analysis_commands_take_clip(layers, command):
    run = run_pacov(
        command,
        "--protected",
        layers / "sites.gpkg",
        "--ranges",
        layers / "ranges.gpkg",
        "--crs",
        EQUAL_AREA,
        "--clip",
        layers / "country.gpkg",
        "--format",
        "csv",
    )
    assert run.returncode == 0, run.stderr
    assert "Half out" in run.stdout and "Abroad" not in run.stdout
