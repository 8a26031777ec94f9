"""The study file: every key read with its meaning, paths relative to the file, every mistake one line."""

import re

import pytest

from conftest import ROOT
from pacov.errors import PacovError
from pacov.scenarios.study_file import load_study

MINIMAL = """
name = "Testland"
focal = "Aus bus"
[layers]
protected = "pa.geojson"
ranges = "ranges.gpkg:MAMMALS"
region = "outline.geojson"
"""


@pytest.fixture
def folder(tmp_path):
    for name in ("pa.geojson", "ranges.gpkg", "outline.geojson", "zones.geojson", "res.tif"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "scen").mkdir()
    for name in ("b.toml", "baseline.toml", "a.toml"):
        (tmp_path / "scen" / name).write_text("")
    return tmp_path


def write(folder, text):
    path = folder / "study.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_study_resolves_paths_against_its_own_folder(folder):
    study = load_study(write(folder, MINIMAL))
    assert study.name == "Testland" and study.focal == "Aus bus"
    assert study.protected == str((folder / "pa.geojson").resolve())
    assert study.ranges == f"{(folder / 'ranges.gpkg').resolve()}:MAMMALS"
    assert study.distances_m == (10_000.0, 30_000.0, 100_000.0)
    assert study.official == () and study.targets == () and study.scenarios == ()


def test_full_study(folder):
    text = (
        MINIMAL
        + """zones = "zones.geojson"
zone_field = "NAME"
scenarios = "scen"
resistance = "res.tif"
[[layers.points]]
name = "traps"
path = "pa.geojson"
group = "id"
[connectivity]
distances_m = [5000, 20_000]
[[official]]
label = "Official"
protected_ha = 1_000
year = 2025
source = "a page, 2025"
[[targets]]
label = "GBF"
share = 0.3
year = 2030
source = "CBD"
"""
    )
    study = load_study(write(folder, text))
    assert [p.name for p in study.scenarios] == ["baseline.toml", "a.toml", "b.toml"]
    assert study.zone_field == "NAME" and study.resistance == (folder / "res.tif").resolve()
    assert study.points[0].group == "id" and study.points[0].title == "traps"
    assert study.distances_m == (5000.0, 20000.0)
    assert (study.official[0].protected_ha, study.official[0].year) == (1000.0, 2025)
    assert (study.targets[0].share, study.targets[0].protected_ha) == (0.3, None)


@pytest.mark.parametrize(
    "extra, message",
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("[layers.extra]\n", "[layers]: unknown key 'extra'"),
        ('[[targets]]\nlabel = "x"\nsource = "y"\n', "exactly one of 'protected_ha'"),
        ('[[targets]]\nlabel = "x"\nsource = "y"\nshare = 30\n', "fraction from 0 to 1"),
        ('[[targets]]\nlabel = "x"\nsource = "y"\nshare = 0.3\nyear = "2030"\n', "'year' must be a year"),
        ('[[official]]\nlabel = "x"\nprotected_ha = 5\n', "'source' must be str"),
        ("[connectivity]\ndistances_m = [0]\n", "positive distances"),
    ],
)
def test_mistakes_name_the_file_and_key(folder, extra, message):
    with pytest.raises(PacovError, match=r"study .*study\.toml") as err:
        load_study(
            write(
                folder,
                MINIMAL.replace("[layers]", extra + "[layers]", 1) if "layers." not in extra else MINIMAL + extra,
            )
        )
    assert message in str(err.value)


@pytest.mark.parametrize(
    "text, message",
    [
        (MINIMAL.replace('region = "outline.geojson"', ""), "missing 'region'"),
        (MINIMAL.replace("outline.geojson", "nowhere.geojson"), "nowhere.geojson not found"),
        (MINIMAL + 'zones = "zones.geojson"\n', "'zones' and 'zone_field' together"),
        (MINIMAL + 'resistance = "scen"\n', "must name a file"),
        ("name = 1\n", "missing [layers]"),
        ("name = [\n", "TOML syntax error"),
    ],
)
def test_bad_layers(folder, text, message):
    with pytest.raises(PacovError, match=re.escape(message)):
        load_study(write(folder, text))


def test_missing_file(tmp_path):
    with pytest.raises(PacovError, match="file not found.*pacov study new"):
        load_study(tmp_path / "none.toml")


def test_embedded_study_names_its_figures_with_sources():
    study = load_study(ROOT / "layers" / "kazakhstan" / "study.toml")
    assert study.focal == "Panthera uncia"
    assert {t.year: (t.protected_ha, t.share) for t in study.targets} == {2035: (33_200_000, None), 2030: (None, 0.3)}
    assert study.official[0].protected_ha == 30_900_000
    assert all(f.source for f in study.official + study.targets)
    assert study.scenarios[0].name == "baseline.toml"
