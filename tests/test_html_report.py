"""report.html in a real headless Chromium with the network off: tables, charts, map, no errors."""

import html
import io
import re

import pandas as pd
import pytest

from conftest import run_pacov
from test_map_browser import MAP_OF, _browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    done = run_pacov("report", "--out-dir", out / "tables", "--html", out / "report.html")
    assert done.returncode == 0, done.stderr
    return out


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


def test_page_renders_offline_with_tables_charts_and_map(page, browser):
    browser.get((page / "report.html").as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    species = pd.read_csv(page / "tables" / "species_coverage.csv")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#species-table tbody tr')).map(r => r.cells[0].textContent)"
    )
    assert rows == list(species["species"])
    leopard = species.set_index("species").loc["Panthera uncia"]
    headline = browser.find_element("id", "headline").text
    assert f"{100 * leopard['protected_share']:.1f}%" in headline and f"{leopard['range_ha']:,.0f} ha" in headline
    assert "before and after Merke" in headline
    gaps = pd.read_csv(page / "tables" / "gap_analysis.csv")
    assert browser.execute_script("return document.querySelectorAll('#gap-table tbody tr').length") == len(gaps)
    # the scenario chart: one bar per scenario and species, as many as the scenario table's rows
    table_rows = browser.execute_script("return document.querySelectorAll('#scenario-table tbody tr').length")
    assert table_rows >= 5 * 7
    assert browser.execute_script("return document.querySelectorAll('#scenario-chart rect.bar').length") == table_rows
    widths = browser.execute_script(
        "return Array.from(document.querySelectorAll('#scenario-chart rect.bar')).map(r => r.getBBox().width)"
    )
    assert max(widths) > 100
    size = browser.execute_script(
        "const i = document.getElementById('timeline-chart'); return [i.complete, i.naturalWidth, i.naturalHeight]"
    )
    assert size[0] and size[1] >= 400 and size[2] >= 300
    assert "not official statistics" in browser.find_element("id", "provenance").text
    browser.switch_to.frame(browser.find_element("id", "map"))
    try:
        assert browser.execute_script(f"return typeof L !== 'undefined' && !!({MAP_OF})")
        assert browser.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length") > 20
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        browser.switch_to.default_content()
    from PIL import Image

    browser.set_window_size(1200, browser.execute_script("return document.documentElement.scrollHeight") + 140)
    shot = browser.get_screenshot_as_png()
    (page / "report.png").write_bytes(shot)
    assert len(Image.open(io.BytesIO(shot)).convert("RGB").resize((200, 500)).getcolors(1 << 16)) > 50


def test_names_from_data_are_text(browser, tmp_path):
    from conftest import ranges, sites, square
    from test_map_browser import HOSTILE

    layers = tmp_path / "layers"
    layers.mkdir()
    sites([{"WDPAID": 1, "NAME": HOSTILE, "geometry": square(0, 0, 50)}]).to_crs("EPSG:4326").to_file(
        layers / "protected_areas.geojson"
    )
    ranges([{"sci_name": HOSTILE, "common_name": "</table><b>x</b>", "geometry": square(-20, -20, 100)}]).to_crs(
        "EPSG:4326"
    ).to_file(layers / "species_ranges.geojson")
    out = tmp_path / "report.html"
    done = run_pacov("report", "--layers", layers, "--out-dir", tmp_path / "tables", "--html", out)
    assert done.returncode == 0, done.stderr
    assert HOSTILE not in out.read_text(encoding="utf-8")
    browser.get(out.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert HOSTILE in browser.find_element("id", "species-table").text
    assert HOSTILE in browser.find_element("id", "headline").text
    assert browser.execute_script("return window.__pwned === undefined && !document.querySelector('td b, td img')")
