"""The package names no country and no species: a study file says all of that (issue 24). The one exception
is where the embedded study lives (pacov/embedded.py's path), since the source tree keeps it in layers/<name>/."""

import re

from conftest import ROOT

PACKAGE = ROOT / "coverage" / "pacov"
NAMED = re.compile(r"kazakh|snow[ _-]?leopard|panthera|uncia|қазақ|казах|барс", re.IGNORECASE)
EMBEDDED_PATH = 'EMBEDDED_STUDY = Path(__file__).resolve().parents[2] / "layers" / "kazakhstan" / "study.toml"'


def test_no_module_names_the_embedded_country_or_its_focal_species():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if NAMED.search(line) and line.strip() != EMBEDDED_PATH:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_pattern_finds_what_it_must():
    assert NAMED.search("Kazakhstan's outline") and NAMED.search("snow_leopard_by_area")
    assert NAMED.search("Panthera uncia") and not NAMED.search("Genus species")
