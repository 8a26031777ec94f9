"""``pacov map --side-by-side``: before | after in one offline page; moving one map moves the other."""

import pytest

from conftest import run_pacov
from test_map_browser import SCENARIOS, _browser

MAPS = "Object.values(window).filter(v => v instanceof L.Map)"


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def test_two_maps_follow_each_other_offline(browser, tmp_path):
    out = tmp_path / "pair.html"
    done = run_pacov("map", SCENARIOS / "undp-plan.toml", "--side-by-side", "--offline", "--output", out)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "leaflet.sync" not in html.lower() and "<script src" not in html  # no CDN plugin, Leaflet inlined
    browser.get(out.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert browser.execute_script(f"return {MAPS}.length") == 2
    from selenium.webdriver.support.wait import WebDriverWait

    settled = f"return {MAPS}.every(m => !m._animatingZoom)"  # the opening fitBounds zooms with an animation
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(settled))
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pacov-panel h1')).map(h => h.textContent)"
    )
    assert titles == ["Before: undp-plan's baseline", "After: undp-plan"]
    boxes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.folium-map')).map(d => d.getBoundingClientRect().left)"
    )
    assert boxes[0] == 0 and boxes[1] >= 590  # side by side in a 1200-pixel window
    # the "after" map shows the added areas, the "before" map does not
    added = browser.execute_script(
        "return Array.from(document.querySelectorAll('.folium-map')).map(d => "
        "Array.from(d.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => l.textContent.trim()))"
    )
    assert "Added areas (proposed)" in added[1] and "Added areas (proposed)" not in added[0]
    for mover, follower in ((0, 1), (1, 0)):
        browser.execute_script(f"const m = {MAPS}; m[{mover}].setView([43.1 + {mover}, 77.0], 9, {{animate: false}});")
        view = browser.execute_script(f"return {MAPS}.map(m => [m.getCenter().lat, m.getCenter().lng, m.getZoom()]);")
        assert view[mover] == pytest.approx([43.1 + mover, 77.0, 9], abs=0.01)  # Leaflet snaps to whole pixels
        assert view[follower] == pytest.approx(view[mover], abs=0.01)  # a pixel at zoom 9 is 0.003°
    # a drag (panBy) moves the other map too
    before = browser.execute_script(f"return {MAPS}[1].getCenter().lng")
    browser.execute_script(f"{MAPS}[0].panBy([200, 0], {{animate: false}});")
    after = browser.execute_script(f"return [{MAPS}[0].getCenter().lng, {MAPS}[1].getCenter().lng]")
    assert after[1] > before + 0.1 and after[1] == pytest.approx(after[0], abs=0.01)
    browser.save_screenshot(str(tmp_path / "pair.png"))
    popup_is_clear(browser, tmp_path)


POPUP = f"""
const maps = {MAPS}; const map = maps[1];
map.setView([47, 68], 4, {{animate: false}});
let site = null;
map.eachLayer(l => {{ if (!site && l.feature && String(l.feature.properties.tip).includes('Added')) site = l; }});
site.fire('click', {{latlng: site.getBounds().getCenter()}}, true);
"""
OVERLAP = """
const box = document.querySelector('.leaflet-popup').getBoundingClientRect();
return Array.from(document.querySelectorAll('.pacov-panel')).filter(p => {
    const r = p.getBoundingClientRect();
    return r.width > 0 && r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top;
}).map(p => p.textContent.slice(0, 40));
"""


def popup_is_clear(browser, tmp_path):
    """Issue 25 item 3: no panel (the "After" headline above all) covers an open popup."""
    import time

    browser.execute_script(POPUP)
    time.sleep(1)  # the popup's autopan
    assert "Newly designated" in browser.execute_script("return document.querySelector('.leaflet-popup').textContent")
    assert browser.execute_script(OVERLAP) == []
    browser.save_screenshot(str(tmp_path / "pair_popup.png"))


def test_side_by_side_needs_a_scenario():
    done = run_pacov("map", "--protected", "a.gpkg", "--ranges", "b.gpkg", "--side-by-side", "--output", "x.html")
    assert done.returncode == 2 and "--side-by-side" in done.stderr
