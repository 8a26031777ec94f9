"""The real ``pacov`` executable on real files: output formats, errors as one line, exit codes."""

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from conftest import ranges, run_pacov, sites, square


@pytest.fixture
def files(tmp_path):
    protected = tmp_path / "pa.gpkg"
    sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "II", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "IV", "DESIG_ENG": "Zakaznik", "geometry": square(5, 0, 10)},
        ]
    ).to_file(protected, layer="sites")
    rng = tmp_path / "ranges.geojson"
    ranges(
        [
            {"sci_name": "Panthera uncia", "landscape": "west", "geometry": square(0, 0, 20)},
            {"sci_name": "Ovis ammon", "landscape": "west", "geometry": square(100, 100, 10)},
        ]
    ).to_file(rng)
    return protected, rng


def test_json_records(files):
    protected, rng = files
    done = run_pacov(
        "coverage", "--protected", f"{protected}:sites", "--ranges", rng, "--crs", "EPSG:6933", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    records = {r["species"]: r for r in json.loads(done.stdout)}
    assert records["Panthera uncia"] == {
        "site_type": "all",  # every record says which sites it counted (issue 27)
        "species": "Panthera uncia",
        "range_ha": 40000.0,
        "protected_ha": 15000.0,
        "protected_share": 0.375,
    }
    assert records["Ovis ammon"]["protected_share"] == 0.0


def test_table_by_field_and_species(files):
    protected, rng = files
    done = run_pacov(
        "coverage",
        "--protected",
        f"{protected}:sites",
        "--ranges",
        rng,
        "--crs",
        "EPSG:6933",
        "--species",
        "Panthera uncia",
        "--by",
        "DESIG_ENG",
    )
    assert done.returncode == 0, done.stderr
    assert "Zakaznik" in done.stdout and "Ovis" not in done.stdout
    assert "37.5%" not in done.stdout and "25.0%" in done.stdout and "12.5%" in done.stdout


def test_output_file_format_from_suffix(files, tmp_path):
    protected, rng = files
    out = tmp_path / "deep" / "cov.csv"
    done = run_pacov("coverage", "--protected", f"{protected}:sites", "--ranges", rng, "--output", out)
    assert done.returncode == 0 and done.stdout == ""
    lines = out.read_text().splitlines()
    assert lines[0] == "site_type,species,range_ha,protected_ha,protected_share"
    assert not list(out.parent.glob(".*tmp"))


@pytest.mark.parametrize(
    "args,message",
    [
        (["--protected", "nope.gpkg", "--ranges", "RANGES"], "protected areas nope.gpkg: file not found"),
        (["--protected", "PA:parks", "--ranges", "RANGES"], "no layer 'parks'; layers there: sites"),
        (
            ["--protected", "PA:sites", "--ranges", "RANGES", "--species", "Panthera unica"],
            "did you mean 'Panthera uncia'",
        ),
        (
            ["--protected", "PA:sites", "--ranges", "RANGES", "--by", "oblast"],
            "--by oblast: no such range or site field",
        ),
        (["--protected", "PA:sites", "--ranges", "RANGES", "--crs", "EPSG:3857"], "not equal-area"),
    ],
)
def test_bad_input_is_one_line_no_traceback(files, args, message):
    protected, rng = files
    args = [
        str(protected)
        if a == "PA"
        else f"{protected}:sites"
        if a == "PA:sites"
        else f"{protected}:parks"
        if a == "PA:parks"
        else str(rng)
        if a == "RANGES"
        else a
        for a in args
    ]
    done = run_pacov("coverage", *args)
    assert done.returncode == 1
    assert message in done.stderr and done.stderr.startswith("pacov: error: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_unwritable_output_is_a_clear_error(files, tmp_path):
    protected, rng = files
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_pacov("coverage", "--protected", f"{protected}:sites", "--ranges", rng, "--output", blocker / "out.csv")
    assert done.returncode == 1 and "cannot write output" in done.stderr and "Traceback" not in done.stderr


def test_help_and_version():
    done = run_pacov("--help")
    assert done.returncode == 0 and "coverage" in done.stdout and "report" in done.stdout
    version = run_pacov("--version")
    assert version.returncode == 0 and version.stdout.startswith("pacov, version ")
    usage = run_pacov("coverage")
    assert usage.returncode == 2 and "Missing option '--protected'" in usage.stderr


def run_in_terminal(*args):
    """Run pacov with stderr on a 120-column pseudo-terminal; return (exit code, what the terminal showed)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    shown = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            shown.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pacov")), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=300,
    )
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return done.returncode, b"".join(shown).decode(errors="replace")


def test_progress_bars_on_a_terminal_only_and_never_under_quiet(files):
    protected, rng = files
    args = ["coverage", "--protected", protected, "--ranges", rng]
    code, terminal = run_in_terminal(*args)
    assert code == 0 and "piece union areas" in terminal and "chunk" in terminal
    code, terminal = run_in_terminal("-q", *args)
    assert code == 0 and "chunk" not in terminal
    piped = run_pacov(*args)
    assert piped.returncode == 0 and "chunk" not in piped.stderr


def test_help_and_version_load_no_analysis_library():
    """Issue 16 item 19: `pacov --help`/`--version` took 1.8 s importing geopandas, folium, scipy…; the command
    modules now import them when a command runs."""
    heavy = [
        "numpy",
        "pandas",
        "geopandas",
        "shapely",
        "pyproj",
        "pyogrio",
        "rasterio",
        "folium",
        "scipy",
        "matplotlib",
    ]
    code = f"import sys, pacov.cli.main; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_out_of_memory_is_one_line_and_points_to_out_of_core(files, monkeypatch):
    """Running out of memory (the issue's planet run stopped with exit 70) is bad input for this machine."""
    from click.testing import CliRunner

    from pacov.cli.main import cli
    from pacov.engine import analysis

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(analysis, "analyse", exhausted)
    protected, rng = files
    done = CliRunner().invoke(cli, ["coverage", "--protected", str(protected), "--ranges", str(rng)])
    assert done.exit_code == 1 and done.exc_info[0] is SystemExit
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pacov: error: out of memory") and "--out-of-core" in lines[0]
