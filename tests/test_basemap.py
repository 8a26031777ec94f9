"""The offline basemap: layers in the page, and a screenshot in headless Chromium that shows Kazakhstan."""

import io
import time

import geopandas as gpd
import numpy as np
import pytest

from conftest import ROOT, run_pacov
from pacov.outputs.basemap import covers

SCENARIOS = ROOT / "layers" / "kazakhstan" / "scenarios"
BASEMAP = ROOT / "layers" / "kazakhstan" / "basemap"
SCREENS = ROOT / "outputs" / "screens"  # screenshots for people to look at (outputs/ is not committed)
BACKGROUND = (221, 221, 221)  # Leaflet's container background (#ddd): what an empty map shows
# headless Chromium cuts large SVG maps off with its default GPU memory budget
SCREEN_FLAGS = ["--window-size=1200,800", "--force-gpu-mem-available-mb=4096"]


def test_covers_only_maps_that_meet_kazakhstan():
    assert covers((70, 40, 80, 45)) and not covers((-10, 35, 5, 45))


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("basemap")
    done = run_pacov("map", SCENARIOS / "undp-plan.toml", "--output", out / "plan.html", "--offline")
    assert done.returncode == 0, done.stderr
    return out / "plan.html"


def test_offline_map_embeds_the_basemap_and_credits_it(offline_map):
    html = offline_map.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # the hillshade, embedded
    assert "Basemap: oblasts (2024)" in html and "Zhetysu" in html and "Tian Shan" in html
    assert "geokz" in html and "CC BY 4.0" in html and "GLOBE Task Team 1999" in html and "Natural Earth" in html


def test_offline_screenshot_is_not_mostly_bare_background(offline_map):
    """Issue 25 item 2: at most 40% of the first screen bare; the oblasts named, the neighbours drawn."""
    from PIL import Image

    from test_map_browser import _browser, load

    browser = _browser(SCREEN_FLAGS)
    try:
        assert load(browser, offline_map) == []
        overlays = browser.execute_script(
            "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
            ".map(l => l.textContent.trim())"
        )
        assert {"Basemap: Kazakhstan", "Basemap: terrain (hillshade)", "Basemap: oblasts (2024)"} <= set(overlays)
        assert "Basemap: neighbouring countries" in overlays
        assert browser.execute_script("return document.querySelectorAll('.leaflet-image-layer').length") == 1
        time.sleep(2)  # let fitBounds' zoom animation end: a screenshot mid-animation shows scaled strokes
        png = browser.get_screenshot_as_png()
        names = browser.execute_script(  # each name's anchor (a zero-size marker) inside the first screen
            "const r = document.querySelector('.leaflet-container').getBoundingClientRect();"
            "return Array.from(document.querySelectorAll('.leaflet-pacov-names-pane .leaflet-marker-icon'))"
            ".filter(d => { const b = d.getBoundingClientRect(); return b.left >= r.left && b.left <= r.right && "
            "b.top >= r.top && b.top <= r.bottom; }).map(d => d.textContent.trim())"
        )
        neighbours = browser.execute_script("return document.querySelectorAll('.leaflet-pacov-land-pane path').length")
    finally:
        browser.quit()
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / "offline_map.png").write_bytes(png)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    bare = (pixels == BACKGROUND).all(axis=1).mean()
    assert bare <= 0.4, f"{bare:.0%} of the first screen is bare background"
    oblasts = set(gpd.read_file(BASEMAP / "oblasts_2024.geojson")["ADM1_EN"])
    countries = set(gpd.read_file(BASEMAP / "countries.geojson")["name"])
    assert len(oblasts & set(names)) >= 15 and "Astana" in names  # oblast labels and the capital, in view
    assert {"China", "Kyrgyzstan", "Uzbekistan", "Turkmenistan", "Russia"} <= countries & set(names)
    assert neighbours >= 2  # the neighbours' shapes under the outline
