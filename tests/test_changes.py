"""One baseline everywhere (issue 25 item 1): the report, the map panel, the index of maps and
``scenario compare`` give the same change for the shipped undp-plan scenario, against today.

The expected change comes from shapely on the raw layers: the snow leopard's range (presence 1–2,
origin 1–2, seasonal 1–3, as DOPA counts it) against the union of designated or inscribed polygons,
UNESCO-MAB reserves left out; "today" is every such site, the plan's own baseline those with
STATUS_YR up to 2024, the plan that baseline plus every proposal it names (all eleven).
"""

import html
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from conftest import ROOT, run_pacov

LAYERS = ROOT / "layers" / "kazakhstan"
SCENARIOS = LAYERS / "scenarios"
SNOW_LEOPARD = "Panthera uncia"
LAEA = "+proj=laea +lat_0=48 +lon_0=68 +datum=WGS84"  # equal-area over Kazakhstan


@pytest.fixture(scope="module")
def expected():
    """(change against today, change against the 2024 estate) in ha and pp, by hand."""
    sites = gpd.read_file(LAYERS / "protected_areas.geojson").to_crs(LAEA)
    sites = sites[sites.geom_type.isin(["Polygon", "MultiPolygon"]) & sites["STATUS"].isin(["Designated", "Inscribed"])]
    sites = sites[~sites["DESIG_ENG"].str.contains("UNESCO-MAB")]
    ranges = gpd.read_file(LAYERS / "species_ranges.geojson").to_crs(LAEA)
    ranges = ranges[
        (ranges["sci_name"] == SNOW_LEOPARD) & ranges["presence"].isin([1, 2]) & ranges["origin"].isin([1, 2])
    ]
    ranges = ranges[ranges["seasonal"].isin([1, 2, 3])]
    rng = shapely.union_all(ranges.geometry.to_numpy())
    proposals = gpd.read_file(LAYERS / "proposed_areas.geojson").to_crs(LAEA)
    today = shapely.union_all(sites.geometry.to_numpy())
    in_2024 = shapely.union_all(sites[sites["STATUS_YR"] <= 2024].geometry.to_numpy())
    plan = shapely.union(in_2024, shapely.union_all(proposals.geometry.to_numpy()))
    protected = {
        k: shapely.intersection(rng, v).area / 1e4 for k, v in (("today", today), ("2024", in_2024), ("plan", plan))
    }
    range_ha = rng.area / 1e4
    change = lambda ref: (protected["plan"] - protected[ref], 100 * (protected["plan"] - protected[ref]) / range_ha)  # noqa: E731
    return change("today"), change("2024")


def numbers(text):
    """The signed figures of a change text, '+43,099 ha (+0.95 pp)' -> (43099.0, 0.95)."""
    ha, pp = re.search(r"([+-][\d,]+) ha \(([+-][\d.]+) pp\)", text).groups()
    return float(ha.replace(",", "")), float(pp)


def close(found, wanted):
    (ha, pp), (want_ha, want_pp) = found, wanted
    return ha == pytest.approx(want_ha, rel=2e-3, abs=50) and pp == pytest.approx(want_pp, abs=0.02)


def test_the_map_panel_and_the_index_give_the_change_against_today_then_the_2024_estate(expected, tmp_path):
    done = run_pacov("map", SCENARIOS / "undp-plan.toml", "--out-dir", tmp_path, "--offline")
    assert done.returncode == 0, done.stderr
    page = json.loads(
        '"'
        + re.search(
            r'div\.innerHTML = "((?:[^"\\]|\\.)*Change against today(?:[^"\\]|\\.)*)"',
            (tmp_path / "undp-plan.html").read_text(encoding="utf-8"),
        ).group(1)
        + '"'
    )
    cells = dict(re.findall(r"<tr><th>([^<]+)</th><td>([^<]+)</td></tr>", html.unescape(page)))
    assert close(numbers(cells["Change against today"]), expected[0])
    assert close(numbers(cells["Against the 2024 estate"]), expected[1])
    index = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    cell = re.search(r'<td class="change">(.*?)</td>', index).group(1)
    today, own = cell.split("<br>")
    assert (
        close(numbers(today), expected[0])
        and "against the 2024 estate" in own.lower()
        and close(numbers(own), expected[1])
    )


def test_compare_gives_the_change_against_today_whatever_file_comes_first(expected):
    done = run_pacov(
        "scenario", "compare", SCENARIOS / "merke.toml", SCENARIOS / "undp-plan.toml", "--no-write", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = {(r["scenario"], r["species"]): r for r in json.loads(done.stdout)}
    plan = rows[("undp-plan", SNOW_LEOPARD)]
    assert close((plan["delta_ha"], plan["delta_pp"]), expected[0])
    assert rows[("merke", SNOW_LEOPARD)]["delta_ha"] == pytest.approx(0, abs=1)  # Merke is in today's estate


def test_the_report_gives_the_same_change(expected, embedded_report):
    table = pd.read_csv(embedded_report / "tables" / "scenario_comparison.csv")
    plan = table[(table["scenario"] == "undp-plan") & (table["species"] == SNOW_LEOPARD)].iloc[0]
    assert close((plan["delta_ha"], plan["delta_pp"]), expected[0])
