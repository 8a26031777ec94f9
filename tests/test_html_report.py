"""report.html in a real headless Chromium with the network off: every section, its charts and the map."""

import html
import io
import re

import pandas as pd
import pytest

from conftest import run_pacov
from test_map_browser import MAP_OF, _browser

SECTIONS = ("protected", "gaps", "where", "connected", "scenarios", "gbf", "growth")


@pytest.fixture(scope="module")
def page(embedded_report):
    """The embedded report's folder (run once per session, conftest): report.html and tables/."""
    return embedded_report


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def test_page_is_self_contained(page):
    text = html.unescape((page / "report.html").read_text(encoding="utf-8"))  # the map's srcdoc unescaped too
    # links (Leaflet's attribution) may point anywhere; nothing may be loaded from the network
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import""", text)
    assert "<script src" not in text  # Leaflet is inlined in the map, nothing is fetched
    assert "@media print" in text


def visible_text(browser, selector):
    return browser.execute_script(f"const e = document.querySelector({selector!r}); return e ? e.innerText : ''")


def test_every_section_renders_offline_and_answers_its_question(page, browser):
    browser.get((page / "report.html").as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    for section in SECTIONS:
        box = browser.execute_script(f"return document.getElementById('{section}').getBoundingClientRect().height")
        assert box > 80, section
        assert visible_text(browser, f"#{section} h2").endswith("?"), section
        assert len(visible_text(browser, f"#{section} p.answer")) > 40, section
    tables = page / "tables"
    indicator = pd.read_csv(tables / "national_indicator.csv")
    answer = visible_text(browser, "#protected p.answer")
    concept = indicator[indicator["protected_ha"] == 33_200_000].iloc[0]
    assert "33.2 million ha by 2035" in answer and f"{concept['gap_ha']:,.0f} ha more than these layers" in answer
    assert f"{concept['official_gap_ha']:,.0f} ha more than the official figure" in answer
    bars = browser.execute_script("return document.querySelectorAll('#indicator-chart rect.bar').length")
    assert bars == len(indicator)
    gbf = pd.read_csv(tables / "gbf_target3.csv", keep_default_na=False, na_values=[""])
    today = gbf[gbf["year"].isna() & (gbf["variant"] == "PA and OECM") & (gbf["scenario"] == "observed")]
    assert f"{today['value'].iloc[0]:.2f}% of the land" in visible_text(browser, "#gbf p.answer")
    lines = browser.execute_script("return document.querySelector('#gbf svg').textContent")
    assert f"{concept['indicator']}: {100 * concept['share']:.3g} by 2035" in lines  # the target drawn, in % of land
    gaps = pd.read_csv(tables / "gap_analysis.csv")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#gap-table tbody tr')).map(r => r.cells[0].textContent)"
    )
    assert rows == list(gaps["species"])
    short = gaps[gaps["status"] != "target met"]
    assert f"{len(short)} of {len(gaps)} species fall short" in visible_text(browser, "#gaps p.answer")
    zones = pd.read_csv(tables / "coverage_by_zone.csv")
    leopard = zones[zones["species"] == "Panthera uncia"]
    assert browser.execute_script("return document.querySelectorAll('#zone-table tbody tr').length") == len(leopard)
    corridors = pd.read_csv(tables / "focal_corridors.csv")
    share = corridors["protected_ha"].sum() / corridors["corridor_ha"].sum()
    assert f"{len(corridors)} least-cost corridors" in visible_text(browser, "#connected p.answer")
    assert f"{100 * share:.1f}% of their area is protected" in visible_text(browser, "#connected p.answer")
    check_scenario_chart(browser, pd.read_csv(tables / "scenario_comparison.csv"))
    assert browser.execute_script("return document.querySelectorAll('#timeline-chart line.target').length") == 2
    assert "not official statistics" in browser.find_element("id", "provenance").text
    check_map(browser)
    screenshot(browser, page / "report.png")


def check_scenario_chart(browser, table):
    """One bar per species and scenario other than today's, sized by its change, labelled by its description;
    the full table folded away."""
    changed = table[table["scenario"] != table["scenario"].iloc[0]]
    bars = browser.execute_script(
        "return Array.from(document.querySelectorAll('#scenario-chart rect.bar'))"
        ".map(r => [r.dataset.scenario, r.dataset.species, r.getBBox().width])"
    )
    assert len(bars) == len(changed)
    change = changed.set_index(["scenario", "species"])["delta_pp"].abs()
    scale = max(w for _, _, w in bars) / change.max()  # the axis fits the changes, not 0–100%
    for scenario, species, width in bars:
        assert width == pytest.approx(max(change[(scenario, species)] * scale, 0.5), abs=0.2), (scenario, species)
    labels = browser.execute_script("return document.getElementById('scenario-chart').textContent")
    assert "Merke Regional Nature Park" in labels  # each scenario labelled by its description
    assert browser.execute_script("return !document.querySelector('#scenarios details').open")
    rows = browser.execute_script("return document.querySelectorAll('#scenario-table tbody tr').length")
    assert rows == len(table)


def check_map(browser):
    browser.switch_to.frame(browser.find_element("id", "map"))
    try:
        assert browser.execute_script(f"return typeof L !== 'undefined' && !!({MAP_OF})")
        assert browser.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length") > 20
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        browser.switch_to.default_content()


def screenshot(browser, path):
    from PIL import Image

    browser.set_window_size(1200, browser.execute_script("return document.documentElement.scrollHeight") + 140)
    shot = browser.get_screenshot_as_png()
    path.write_bytes(shot)
    assert len(Image.open(io.BytesIO(shot)).convert("RGB").resize((200, 500)).getcolors(1 << 16)) > 50


def test_names_from_data_are_text(browser, tmp_path):
    from conftest import ranges, sites, square
    from test_map_browser import HOSTILE

    sites([{"WDPAID": 1, "NAME": HOSTILE, "geometry": square(0, 0, 50)}]).to_crs("EPSG:4326").to_file(
        tmp_path / "pa.geojson"
    )
    ranges([{"sci_name": HOSTILE, "common_name": "</table><b>x</b>", "geometry": square(-20, -20, 100)}]).to_crs(
        "EPSG:4326"
    ).to_file(tmp_path / "ranges.geojson")
    ranges([{"sci_name": "outline", "geometry": square(-30, -30, 120)}]).to_crs("EPSG:4326").to_file(
        tmp_path / "outline.geojson"
    )
    (tmp_path / "study.toml").write_text(
        f"name = {HOSTILE!r}\nfocal = {HOSTILE!r}\n"
        '[layers]\nprotected = "pa.geojson"\nranges = "ranges.geojson"\nregion = "outline.geojson"\n'
        f'[[targets]]\nlabel = {HOSTILE!r}\nshare = 0.3\nsource = "<script>window.__pwned = 1</script>"\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    done = run_pacov("report", tmp_path / "study.toml", "--out-dir", tmp_path / "tables", "--html", out)
    assert done.returncode == 0, done.stderr
    assert HOSTILE not in out.read_text(encoding="utf-8")
    browser.get(out.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert HOSTILE in browser.find_element("id", "gap-table").text
    assert HOSTILE in browser.find_element("id", "protected").text
    assert browser.execute_script("return window.__pwned === undefined && !document.querySelector('td b, td img')")


def test_each_species_has_one_colour_in_the_chart_and_the_map(page):
    """Issue 25 item 4: the scenario chart's bars and the map's ranges give a species the same colour,
    and the map names it by its common name where the layer has one."""
    text = (page / "report.html").read_text(encoding="utf-8")
    bars = set(re.findall(r'data-species="([^"]+)" [^>]*fill="(#\w{6})"', text))
    chart = dict(bars)
    assert len(chart) == len(bars) >= 2  # one colour per species in the chart
    drawn = html.unescape(text)  # the map's srcdoc
    pattern = r'Species\\u003c/th\\u003e\\u003ctd\\u003e([^\\]*)\\u003c(?:(?!"tip").)*?"_style": \{"color": "(#\w{6})"'
    ranges = set(re.findall(pattern, drawn, re.S))
    mapped = {label.rsplit(" (", 1)[1].rstrip(")"): colour for label, colour in ranges if " (" in label}
    assert len(mapped) == len(ranges) and mapped == chart
    assert any(label.startswith("Snow leopard (") for label, _ in ranges)
