"""Maps opened in a real headless Chromium with the network off: loads, layers, legend, escaping."""

import io
import shutil

import pytest

from conftest import ROOT, ranges, run_pacov, sites, square

SCENARIOS = ROOT / "layers" / "kazakhstan" / "scenarios"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _browser(flags=(), offline=True):
    """Headless Chromium, console logged; ``offline``: no network at all (``flags``: more switches)."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium/chromium-driver are not installed (make test-deps installs them as root with apt-get)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        *(flags or ["--window-size=1200,800"]),
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    if not offline:
        return driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


MAP_OF = "Object.values(window).find(v => v instanceof L.Map)"


def load(browser, path):
    browser.get(path.as_uri())
    assert browser.execute_script(f"return typeof L !== 'undefined' && !!({MAP_OF})")
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_scenario_map_loads_with_layers_legend_and_no_errors(browser, tmp_path):
    done = run_pacov("map", SCENARIOS / "undp-plan.toml", "--output", tmp_path / "plan.html", "--offline")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert load(browser, tmp_path / "plan.html") == []
    overlays = browser.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => l.textContent.trim())"
    )
    assert {
        "Protected areas by IUCN category",
        "Added areas (proposed)",
        "Expansions",
        "Panthera uncia: range protected",
        "Panthera uncia: range gap",
    } <= set(overlays)
    legend = browser.execute_script("return document.querySelector('.pacov-legend').textContent")
    assert "IUCN Ia" in legend and "Range: gap" in legend
    assert "Scenario: undp-plan" in browser.find_element("css selector", ".pacov-panel h1").text
    assert browser.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length") > 20
    assert browser.execute_script("return !!document.querySelector('.leaflet-control-scale')")
    from PIL import Image

    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    assert len(shot.resize((200, 130)).getcolors(maxcolors=1 << 16)) > 20  # not a blank page


def test_names_from_data_are_text_never_markup(browser, tmp_path):
    protected = tmp_path / "pa.gpkg"
    sites(
        [{"WDPAID": 1, "NAME": HOSTILE, "DESIG_ENG": "Парк </script><b>x</b>", "geometry": square(0, 0, 50)}],
        crs="+proj=laea +lat_0=43 +lon_0=77 +datum=WGS84",
    ).to_file(protected)
    rng = tmp_path / "r.gpkg"
    ranges(
        [{"sci_name": "Panthera uncia", "landscape": HOSTILE, "geometry": square(-20, -20, 100)}],
        crs="+proj=laea +lat_0=43 +lon_0=77 +datum=WGS84",
    ).to_file(rng)
    out = tmp_path / "hostile.html"
    done = run_pacov("map", "--protected", protected, "--ranges", rng, "--output", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert HOSTILE not in out.read_text(encoding="utf-8")
    assert load(browser, out) == []
    opened = browser.execute_script(f"""
        const map = {MAP_OF}; const texts = [];
        map.eachLayer(l => {{ if (l.feature && l.getPopup && l._eventParents) {{
            l.fire('click', {{latlng: l.getBounds().getCenter()}}, true);
            const c = document.querySelector('.leaflet-popup-content'); if (c) texts.push(c.textContent);
            l.fire('mouseover', {{latlng: l.getBounds().getCenter()}}, true);
            const t = document.querySelector('.leaflet-tooltip'); if (t) texts.push(t.textContent);
        }} }});
        return texts;""")
    joined = " ".join(opened)
    assert HOSTILE in joined and "</script><b>x</b>" in joined  # shown as text
    assert browser.execute_script(
        "return window.__pwned === undefined && !document.querySelector('.leaflet-popup-content img, .leaflet-tooltip img, .leaflet-popup-content b')"
    )


def test_point_layer_opts_in_with_every_point_and_its_label(browser, tmp_path):
    import geopandas as gpd

    traps = ROOT / "layers" / "kazakhstan" / "examples" / "camera_traps.geojson"
    out = tmp_path / "traps.html"
    done = run_pacov("map", SCENARIOS / "merke.toml", "--points", traps, "--output", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert load(browser, out) == []
    count = f"let n = 0; ({MAP_OF}).eachLayer(l => {{ if (l instanceof L.CircleMarker) n++; }}); return n;"
    assert browser.execute_script(count) == 0  # off until asked for
    browser.execute_script("""
        const label = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
            .find(l => l.textContent.trim() === 'camera_traps');
        label.querySelector('input').click();""")
    assert browser.execute_script(count) == len(gpd.read_file(traps))
    tips = browser.execute_script(f"""
        const tips = []; ({MAP_OF}).eachLayer(l => {{ if (l instanceof L.CircleMarker) {{
            l.fire('mouseover', {{latlng: l.getLatLng()}}, true);
            const t = document.querySelector('.leaflet-tooltip'); if (t) tips.push(t.textContent); }} }});
        return tips;""")
    first = gpd.read_file(traps).drop(columns="geometry").iloc[0]
    assert any(all(str(v) in tip for v in first) for tip in tips)
