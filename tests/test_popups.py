"""Popups that explain (issue 25 item 3): an added area and an expansion say how many hectares are newly
designated, how many were protected already and by which site, and how much of each range is newly
protected. Hand world (tests/scenario_helpers.py): the figures below are rectangles' areas."""

import html
import json
import re

from conftest import run_pacov
from scenario_helpers import scenario, write_world

OPERATIONS = """
[[operations]]
op = "add"
ids = ["p1"]
label = "p1"

[[operations]]
op = "expand"
site = 2
by = "x2"
label = "x2"
"""


def popups(path):
    """Each feature's popup on a map page, as {row label: value}."""
    text = path.read_text(encoding="utf-8")
    found = [json.loads(f'"{raw}"') for raw in re.findall(r'"pop": "((?:[^"\\]|\\.)*)"', text)]
    return [dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", html.unescape(p))) for p in found]


def test_an_addition_and_an_expansion_explain_what_they_add(tmp_path):
    write_world(tmp_path)
    out = tmp_path / "map.html"
    done = run_pacov("map", scenario(tmp_path, "grow", OPERATIONS), "--output", out, "--offline")
    assert done.returncode == 0, done.stderr
    shown = popups(out)
    # p1: x 5–15 km, y 0–10 km (10,000 ha); site 1 holds x 5–10 (5,000 ha); range A (y 0–10) gains x 10–15
    added = next(p for p in shown if p.get("Drawn area") and "Expansion of" not in p)
    assert added["Drawn area"] == "10,000 ha" and added["Newly designated"] == "5,000 ha"
    assert added["Already protected"] == "5,000 ha" and added["… by Site 1"] == "5,000 ha"
    assert added["A: range newly protected"] == "5,000 ha" and "B: range newly protected" not in added
    # x2: x 38–42, y 0–4 km; site 2 (x 30–40) grows by x 40–42 (800 ha), of which site 3 (x 41–46) holds half
    grown = next(p for p in shown if p.get("Expansion of") == "Site 2")
    assert grown["Drawn area"] == "800 ha" and grown["Newly designated"] == "400 ha"
    assert grown["Already protected"] == "400 ha" and grown["… by Site 3"] == "400 ha"
    assert grown["A: range newly protected"] == "400 ha"
