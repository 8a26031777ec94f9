"""No flag for size: `pacov coverage` weighs the inputs' metadata against the memory available and takes
the out-of-core path when the layers would not fit; the answer is the in-memory one either way."""

import zipfile

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from conftest import run_pacov
from pacov.cli.main import cli
from pacov.engine import analysis
from pacov.memory import parse_size
from pacov.reading.size import layer_size
from scale_helpers import write_layers


@pytest.fixture
def small(tmp_path):
    return write_layers(tmp_path, count=30, species=3)


def test_a_low_memory_limit_sends_the_run_out_of_core_with_the_same_answer(small, monkeypatch):
    monkeypatch.setenv("PACOV_MEMORY_LIMIT", "200MB")
    low = run_pacov("-v", *small)
    assert low.returncode == 0, low.stderr
    assert "pacov: path: out of core (about" in low.stderr and "0.2 GB available" in low.stderr
    assert "overlay" in low.stderr and "flatten" not in low.stderr  # the partitioned stages ran
    monkeypatch.setenv("PACOV_MEMORY_LIMIT", "64GB")
    high = run_pacov("-v", *small)
    assert "pacov: path: in memory (about" in high.stderr and "64.0 GB available" in high.stderr
    assert low.stdout == high.stdout
    forced = run_pacov("-v", *small, "--in-memory")
    assert "path: in-memory: asked for" in forced.stderr and forced.stdout == high.stdout


def test_what_only_memory_serves_stays_in_memory_and_says_why(small, tmp_path, monkeypatch):
    monkeypatch.setenv("PACOV_MEMORY_LIMIT", "1MB")
    by = run_pacov("-v", *small, "--by", "IUCN_CAT")
    assert by.returncode == 0 and "path: in memory: --by need the whole layers" in by.stderr
    sites = gpd.read_parquet(small[2])
    sites.to_file(tmp_path / "sites.gpkg")
    gpkg = run_pacov("-v", *small[:2], tmp_path / "sites.gpkg", *small[3:])
    assert gpkg.returncode == 0 and "out of core reads GeoParquet only" in gpkg.stderr
    assert "convert the inputs to GeoParquet" in gpkg.stderr
    monkeypatch.setenv("PACOV_MEMORY_LIMIT", "lots")
    bad = run_pacov(*small)
    assert bad.returncode == 1 and bad.stderr.strip() == (
        "pacov: error: PACOV_MEMORY_LIMIT=lots: not a size; give bytes or a size such as 200MB or 8GB"
    )


def test_out_of_memory_in_memory_goes_out_of_core(small, monkeypatch):
    """A MemoryError the estimate did not foresee is not the user's to act on: the partitioned path runs."""

    def exhausted(*args, **kwargs):
        raise MemoryError

    expected = run_pacov(*small)
    monkeypatch.setattr(analysis, "analyse", exhausted)
    done = CliRunner().invoke(cli, list(map(str, small)))
    assert done.exit_code == 0, done.output
    assert done.stdout == expected.stdout
    assert "did not fit in memory after all: computed out of core" in done.stderr


def test_sizes_come_from_metadata(small, tmp_path):
    sites = gpd.read_parquet(small[2])
    vertices = int(shapely.get_num_coordinates(sites.geometry.to_numpy()).sum())
    size = layer_size(small[2])
    assert size.geoparquet and size.features == len(sites)
    assert vertices <= size.vertices < 1.1 * vertices  # WKB's 16 bytes a vertex, and a few headers
    sites.to_file(tmp_path / "sites.geojson")
    text = layer_size(tmp_path / "sites.geojson")
    assert not text.geoparquet and text.features == len(sites) and 0.3 * vertices < text.vertices < 3 * vertices
    with zipfile.ZipFile(tmp_path / "sites.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(tmp_path / "sites.geojson", "sites.geojson")
    assert layer_size(tmp_path / "sites.zip").vertices == text.vertices  # what it holds, uncompressed
    assert layer_size(tmp_path / "missing.gpkg") is None
    assert parse_size("200MB", "x") == 200 * 10**6 and parse_size("8GiB", "x") == 8 * 2**30
    assert parse_size("1.5g", "x") == 1.5e9 and parse_size("4096", "x") == 4096
