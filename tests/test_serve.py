"""`pacov serve`: the real server on loopback, its answers against `pacov scenario run`, bad input, load.

The expected figures come from the real CLI: the same sketches written to a GeoPackage by
geopandas, then `pacov scenario new` and `pacov scenario run` (which flattens and overlays the whole
study again), so the incremental evaluator is checked against the full computation.
"""

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_pacov
from test_map_browser import _browser

STUDY = ROOT / "layers" / "kazakhstan" / "study.toml"
FOCAL = "Panthera uncia"
DISTANCES = (10_000, 30_000, 100_000)
REL = 1e-6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args):
    """A `pacov serve` subprocess and its port, once it prints that it is ready.

    Its "browser" (for --open) is `echo`: the URL it would open comes out on the process's stdout.
    """
    port = free_port()
    exe = Path(sys.executable).with_name("pacov")
    proc = subprocess.Popen(
        [str(exe), "serve", str(STUDY), "--port", str(port), *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BROWSER": shutil.which("echo")},
    )
    lines = []
    for line in proc.stderr:  # the ready line comes after the warning, if any
        lines.append(line)
        if "ready in" in line:
            break
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
    host = "127.0.0.2" if "127.0.0.2" in args else "127.0.0.1"
    for _ in range(300):  # "ready" is printed just before uvicorn binds the port
        assert proc.poll() is None, "".join(lines)
        try:
            socket.create_connection((host, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, port, "".join(lines)


@pytest.fixture(scope="module")
def server():
    proc, port, _ = start("--open")
    yield proc, f"http://127.0.0.1:{port}"
    proc.send_signal(signal.SIGINT)  # Ctrl+C, as a planner stops it (uvicorn re-raises SIGTERM: no coverage data)
    proc.wait(timeout=20)


def post(url, body, raw=False):
    """(status, parsed JSON or bytes) of a POST; errors are answers too."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            content = r.read()
            return r.status, content if raw else json.loads(content)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def ellipse(lon, lat, rx, ry, n=200):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return shapely.Polygon(np.c_[lon + rx * np.cos(t), lat + ry * np.sin(t)])


TIEN_SHAN = ellipse(77.0, 43.25, 0.6, 0.2)  # over Ile-Alatau (partly inside existing sites), inside Kazakhstan
BOWTIE = shapely.Polygon([(66.0, 47.0), (67.0, 48.0), (67.0, 47.0), (66.0, 48.0)])  # self-intersecting, saiga steppe


def collection(named):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n}, "geometry": shapely.geometry.mapping(g)} for n, g in named
        ],
    }


def scenario_run(toml, out):
    """Species and operations tables of the real `pacov scenario run` (with ProtConn gains).

    Its tables are rounded to 0.01 ha and shares to 1e-6 (outputs/tables.py): that is the tolerance.
    """
    distances = [a for d in DISTANCES for a in ("--distance", str(d))]
    done = run_pacov("scenario", "run", toml, "--out-dir", out, "--format", "csv", *distances)
    assert done.returncode == 0, done.stderr
    name = toml.stem
    return pd.read_csv(out / f"scenario_{name}.csv"), pd.read_csv(out / f"scenario_{name}_operations.csv")


def library_run(toml):
    """The same tables unrounded, from the library function behind `scenario run`."""
    from pacov.scenarios.connectivity_gain import operation_protconn, with_protconn_gain
    from pacov.scenarios.run import run

    result = run(toml)
    return result.species, with_protconn_gain(result.operations, operation_protconn(result, DISTANCES))


def close(got, want, absolute):
    return got == pytest.approx(want, rel=REL, abs=absolute)


def assert_matches(answer, species, ops, ha=0.0051, share=5.1e-7, pp=5.1e-7):
    """Every figure of the API's answer equal to scenario run's, to 1e-6 relative (or the tables' rounding)."""
    expected = species.set_index("species")
    for row in answer["species"]:
        want = expected.loc[row["species"]]
        for key in ("range_ha", "protected_ha", "delta_ha"):
            assert close(row[key], want[key], ha), (row["species"], key)
        assert close(row["protected_share"], want["protected_share"], share), row["species"]
        assert row["common_name"] == layer_common_names().get(row["species"], ""), row["species"]
    steps = ops.groupby("step")
    assert len(steps) == len(answer["sketches"])
    for (step, rows), item in zip(steps, answer["sketches"]):
        assert close(item["designated_ha"], rows["designated_ha"].iloc[0], ha), step
        for r in rows.itertuples():
            assert close(item["gains"][r.species], r.range_gain_ha, ha), (step, r.species)
    focal = ops[ops["species"] == FOCAL]
    for row in (r for r in answer["protconn"] if r["region"] == FOCAL):
        gain = focal[f"protconn_{row['distance_m'] / 1000:g}km_gain"].sum()
        assert close(row["delta"], gain, pp * len(focal)), row


def test_sketches_score_as_scenario_run_scores_them(server, tmp_path):
    _, url = server
    named = [("tien-shan", TIEN_SHAN), ("steppe", BOWTIE)]
    status, answer = post(f"{url}/api/evaluate", {"sketches": collection(named), "candidates": []})
    assert status == 200, answer
    assert answer["repaired"] == ["steppe"]
    gpkg = tmp_path / "drawn.gpkg"
    gpd.GeoDataFrame({"name": [n for n, _ in named]}, geometry=[g for _, g in named], crs=4326).to_file(gpkg)
    done = run_pacov("scenario", "new", gpkg, "--name", "drawn", "--output", tmp_path / "drawn.toml")
    assert done.returncode == 0, done.stderr
    species, ops = scenario_run(tmp_path / "drawn.toml", tmp_path)
    assert_matches(answer, species, ops)
    assert_matches(answer, *library_run(tmp_path / "drawn.toml"), ha=1e-6, share=1e-12, pp=1e-9)
    snow = next(s for s in answer["species"] if s["species"] == FOCAL)
    assert snow["delta_ha"] > 1000  # the Tien Shan sketch adds snow-leopard range
    # both sketches lie inside Kazakhstan (checked on the outline itself): the land indicator grows by
    # exactly what they newly designate
    outline = gpd.read_file(ROOT / "layers" / "kazakhstan" / "basemap" / "kazakhstan_adm0.geojson").union_all()
    assert outline.contains(TIEN_SHAN) and outline.contains(shapely.make_valid(BOWTIE))
    assert answer["indicator"]["delta_ha"] == pytest.approx(ops.groupby("step")["designated_ha"].first().sum(), rel=REL)
    assert len(answer["protconn"]) == 2 * len(DISTANCES)
    # the page's split call: the same figures without ProtConn, then ProtConn alone
    status, fast = post(f"{url}/api/evaluate?protconn=false", {"sketches": collection(named)})
    assert status == 200 and fast["protconn"] == [] and fast["species"] == answer["species"]
    status, pc = post(f"{url}/api/protconn", {"sketches": collection(named)})
    assert status == 200 and pc["protconn"] == answer["protconn"]


def test_candidates_and_exports_run_as_scenarios(server, tmp_path):
    _, url = server
    body = {"sketches": collection([("tien-shan", TIEN_SHAN)]), "candidates": ["karatau-expansion", "caspian-seal"]}
    status, answer = post(f"{url}/api/evaluate", body)
    assert status == 200, answer
    assert [s["id"] for s in answer["sketches"]] == ["karatau-expansion", "caspian-seal", "tien-shan"]
    status, data = post(f"{url}/api/export/scenario", body, raw=True)
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["sketches.gpkg", "sketches.toml"]
        archive.extractall(tmp_path / "export")
    species, ops = scenario_run(tmp_path / "export" / "sketches.toml", tmp_path)
    assert_matches(answer, species, ops)
    designated = ops.groupby("step")["designated_ha"].first()
    assert designated[2] > 100_000  # the Caspian seal reserve: at sea, so it adds nothing to the land indicator
    assert answer["indicator"]["delta_ha"] == pytest.approx(designated[1] + designated[3], rel=REL)
    status, html = post(f"{url}/api/export/report", body, raw=True)
    assert status == 200 and b"Scenario: sketches" in html and b"<script src" not in html


def test_uploads_are_read_from_bytes(server, tmp_path):
    _, url = server
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[TIEN_SHAN, ellipse(70.0, 45.0, 0.3, 0.2)], crs=4326)
    frame.to_file(tmp_path / "up.gpkg")
    frame.to_file(tmp_path / "up.shp")
    with zipfile.ZipFile(tmp_path / "up.zip", "w") as archive:
        for part in tmp_path.glob("up.*"):
            if part.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                archive.write(part, part.name)
    for body in (frame.to_json().encode(), (tmp_path / "up.gpkg").read_bytes(), (tmp_path / "up.zip").read_bytes()):
        status, answer = post(f"{url}/api/upload", body)
        assert status == 200, answer
        got = gpd.GeoDataFrame.from_features(answer["features"], crs=4326)
        assert list(got["name"]) == ["a", "b"]
        same = shapely.equals_exact(
            shapely.normalize(got.geometry.to_numpy()), shapely.normalize(frame.geometry.to_numpy()), 1e-9
        )
        assert same.all()  # a shapefile turns rings clockwise: the same polygon
    status, answer = post(f"{url}/api/upload", b"PK\x03\x04 not a zip")
    assert status == 400 and "\n" not in answer["error"]


@pytest.mark.parametrize(
    "body, status, words",
    [
        (b"{not json", 400, "not valid JSON"),
        ({"sketches": {"type": "Feature"}}, 400, "FeatureCollection"),
        ({"sketches": collection([("l", shapely.LineString([(70, 45), (71, 46)]))])}, 400, "not a polygon"),
        ({"sketches": collection([("e", shapely.Polygon())])}, 400, "empty"),
        ({"sketches": collection([("far", ellipse(2.0, 48.0, 0.3, 0.2))])}, 400, "outside the study region"),
        ({"sketches": collection([("big", ellipse(70.0, 45.0, 0.5, 0.5, n=30_000))])}, 400, "vertices"),
        ({"sketches": collection([("x", TIEN_SHAN)]), "candidates": ["nowhere"]}, 400, "no PROPOSAL_ID 'nowhere'"),
        ({"sketches": collection([("x", TIEN_SHAN)]), "other": 1}, 400, "unknown key"),
    ],
)
def test_bad_requests_get_one_line(server, body, status, words):
    _, url = server
    got, answer = post(f"{url}/api/evaluate", body)
    assert got == status and words in answer["error"] and "\n" not in answer["error"]


FC = "FeatureCollection"
SQUARE = {"type": "Polygon", "coordinates": [[[70, 45], [71, 45], [71, 46], [70, 46], [70, 45]]]}


@pytest.mark.parametrize(
    "path, body, words",
    [
        ("evaluate", [1], "must be a JSON object"),
        ("evaluate", {"sketches": {"type": FC, "features": 5}}, "'features' must be a list"),
        ("evaluate", {"sketches": {"type": FC, "features": [1]}}, "not a GeoJSON Feature"),
        ("evaluate", {"sketches": collection([("a", TIEN_SHAN)] * 201)}, "at most 200"),
        ("evaluate", {"sketches": collection([("a", TIEN_SHAN), ("a", BOWTIE)])}, "share a name"),
        (
            "evaluate",
            {
                "sketches": {
                    "type": FC,
                    "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[1]]}}],
                }
            },
            "malformed",
        ),
        ("evaluate", {"sketches": collection([("x", shapely.box(500, 500, 600, 600))])}, "longitude and latitude"),
        ("evaluate", {"candidates": "merke"}, "'candidates' must be a list"),
        ("evaluate", {"candidates": ["merke"] * 101}, "at most 100"),
        ("export/scenario", {"candidates": ["merke"]}, "at least one sketch"),
        ("export/scenario", {"sketches": collection([("x", TIEN_SHAN)]), "candidates": ["nowhere"]}, "no candidate"),
        (
            "upload",
            {"type": FC, "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [70, 45]}}]},
            "not a polygon",
        ),
    ],
)
def test_more_bad_requests_get_one_line(server, path, body, words):
    _, url = server
    got, answer = post(f"{url}/api/{path}", body)
    assert got == 400 and words in answer["error"] and "\n" not in answer["error"]


def test_a_bare_polygon_uploads_as_one_sketch(server):
    _, url = server
    status, answer = post(f"{url}/api/upload", SQUARE)
    assert status == 200 and [f["properties"]["name"] for f in answer["features"]] == ["sketch-1"]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_gets_413(server, chunked):
    """Refused from its declared length, or, sent in chunks with none declared, once it passes the limit."""
    import http.client

    _, url = server
    connection = http.client.HTTPConnection(url.split("//")[1], timeout=30)
    connection.putrequest("POST", "/api/evaluate")
    connection.putheader("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else "6000000")
    connection.endheaders()
    try:
        for _ in range(100 if chunked else 1):
            chunk = b"[" * 100_000
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
    except OSError:
        pass  # the server may answer and close before the client has sent everything
    response = connection.getresponse()
    assert response.status == 413 and "over 5 MiB" in json.loads(response.read())["error"]
    connection.close()


def test_open_points_the_browser_at_the_page(server):
    proc, url = server
    assert proc.stdout.readline().strip() == f"{url}/"


def test_the_page_is_self_contained(server):
    _, url = server
    with urllib.request.urlopen(f"{url}/", timeout=30) as r:
        html = r.read().decode()
    fetched = r"""(src\s*=\s*|<link[^>]*href\s*=\s*|url\(\s*)["']?(https?:)?//"""  # a link to click is no fetch
    assert not re.search(fetched, html)
    assert "pm:create" in html and "Merke State Regional Nature Park" in html


coordinates = st.one_of(st.floats(allow_nan=False), st.integers(-(10**20), 10**20), st.text(max_size=3), st.none())
ring = st.lists(st.lists(coordinates, min_size=0, max_size=3), max_size=8)
geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "GeometryCollection", "x"]),
        "coordinates": st.one_of(
            st.lists(ring, max_size=3), st.lists(st.lists(ring, max_size=2), max_size=2), coordinates
        ),
    }
)
feature = st.fixed_dictionaries(
    {
        "type": st.just("Feature"),
        "geometry": st.one_of(geometry, st.none()),
        "properties": st.one_of(st.none(), st.dictionaries(st.text(max_size=4), coordinates, max_size=2)),
    }
)
json_value = st.recursive(
    coordinates, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3), max_leaves=10
)
hostile = st.one_of(
    st.binary(max_size=200),
    json_value.map(lambda v: json.dumps(v).encode()),
    st.lists(feature, max_size=3).map(
        lambda f: json.dumps({"sketches": {"type": "FeatureCollection", "features": f}}).encode()
    ),
    st.lists(st.text(max_size=8), max_size=3).map(lambda c: json.dumps({"candidates": c}).encode()),
)


@settings(
    max_examples=int(os.environ.get("PACOV_FUZZ_EXAMPLES", 30)), deadline=None, suppress_health_check=list(HealthCheck)
)
@given(body=hostile)
def test_hostile_bodies_get_an_answer_and_the_server_stays_up(server, body):
    proc, url = server
    for path in ("/api/evaluate", "/api/upload"):
        status, answer = post(f"{url}{path}", body)
        assert status in (200, 400), answer  # never 500: every bad body is named
        assert status == 200 or (isinstance(answer["error"], str) and "\n" not in answer["error"])
    assert proc.poll() is None


def test_concurrent_clients_get_right_answers_with_bounded_memory(server):
    """20 clients for a few seconds (benchmarks/serve.py runs 30 s): every answer right, memory bounded."""
    import psutil

    proc, url = server
    body = {"sketches": collection([("tien-shan", TIEN_SHAN)])}
    _, expected = post(f"{url}/api/evaluate?protconn=false", body)
    rss = psutil.Process(proc.pid).memory_info().rss
    results, stop = [], time.monotonic() + float(os.environ.get("PACOV_LOAD_SECONDS", 3))

    def client():
        while time.monotonic() < stop:
            results.append(post(f"{url}/api/evaluate?protconn=false", body))

    threads = [threading.Thread(target=client) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) >= 20
    assert all(status == 200 and answer == expected for status, answer in results)
    assert psutil.Process(proc.pid).memory_info().rss < rss + 300 * 2**20
    assert proc.poll() is None


def test_another_host_gets_a_warning_and_a_missing_study_one_line(tmp_path):
    done = run_pacov("serve", tmp_path / "none.toml", "--host", "127.0.0.2")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    warning, failure = done.stderr.splitlines()
    assert "127.0.0.2" in warning and "no login" in warning and "file not found" in failure


def page_browser():
    """Headless Chromium where every address but the loopback is unreachable (a dead proxy), console logged."""
    flags = ("--force-gpu-mem-available-mb=4096", "--proxy-server=http://127.0.0.1:9", "--window-size=1500,900")
    return _browser(flags, offline=False)  # loopback is never proxied: anything else fails, and is logged


MAP = "Object.values(window).find(v => v instanceof L.Map)"
CORNERS = [(43.40, 76.55), (43.40, 77.30), (43.10, 77.30), (43.10, 76.55)]  # lat, lon: over Ile-Alatau


def panel_rows(browser, box):
    return browser.execute_script(
        f"return Array.from(document.querySelectorAll('#{box} tr')).slice(1)"
        ".map(r => Array.from(r.children).map(c => c.textContent))"
    )


def layer_common_names():
    """{sci_name: common_name} of the embedded ranges file, read with geopandas (not pacov)."""
    frame = gpd.read_file(STUDY.parent / "species_ranges.geojson")
    return dict(zip(frame["sci_name"], frame["common_name"].fillna("")))


def hectares(text):
    return float(text.replace(" ha", "").replace(",", ""))


def test_a_polygon_drawn_with_the_page_tool_is_scored_as_scenario_run(server, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    _, url = server
    browser = page_browser()
    try:
        browser.get(f"{url}/")
        wait = WebDriverWait(browser, 60)
        status = lambda b: b.find_element(By.ID, "pacov-status").text  # noqa: E731
        wait.until(lambda b: status(b) == "Up to date.")  # the baseline's figures, before any sketch
        browser.execute_script(f"{MAP}.setView([43.25, 76.9], 9, {{animate: false}})")
        browser.find_element(By.CSS_SELECTOR, ".leaflet-pm-icon-polygon").click()
        container = browser.find_element(By.CSS_SELECTOR, ".folium-map")
        size = container.size
        for lat, lon in [*CORNERS, CORNERS[0]]:  # the first corner again closes the polygon
            x, y = browser.execute_script(f"const p = {MAP}.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]")
            ActionChains(browser).move_to_element_with_offset(
                container, int(x - size["width"] / 2), int(y - size["height"] / 2)
            ).click().pause(0.4).perform()  # apart in time: two quick clicks would read as a double-click
        scored = (
            "return Array.from(document.querySelectorAll('#pacov-sketches td')).some(c => c.textContent == 'sketch-1')"
        )
        wait.until(lambda b: b.execute_script(scored) and status(b) == "Up to date.")
        drawn = browser.execute_script(
            f"const o = []; {MAP}.eachLayer(l => {{ if (l.pacovName) o.push(l.toGeoJSON()); }}); return o"
        )
        species = {row[0]: row for row in panel_rows(browser, "pacov-species")}
        sketches = panel_rows(browser, "pacov-sketches")
        if os.environ.get("PACOV_SCREENSHOT"):
            browser.save_screenshot(os.environ["PACOV_SCREENSHOT"])
        severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        browser.quit()
    assert severe == []
    assert len(drawn) == 1 and len(drawn[0]["geometry"]["coordinates"][0]) == 5  # four corners, closed
    frame = gpd.GeoDataFrame.from_features([{**drawn[0], "properties": {"name": "sketch-1"}}], crs=4326)
    frame.to_file(tmp_path / "drawn.gpkg")
    done = run_pacov("scenario", "new", tmp_path / "drawn.gpkg", "--name", "drawn", "--output", tmp_path / "drawn.toml")
    assert done.returncode == 0, done.stderr
    table, ops = scenario_run(tmp_path / "drawn.toml", tmp_path)
    commons = layer_common_names()
    for row in table.itertuples():
        shown = species[row.species]
        assert shown[1] == commons.get(row.species, "")  # the ranges layer's own name, beside the scientific one
        assert hectares(shown[3]) == pytest.approx(row.protected_ha, abs=0.51)  # the panel shows whole hectares
        assert shown[4] == f"{100 * row.protected_share:.2f}%"
        assert hectares(shown[5].lstrip("+")) == pytest.approx(row.delta_ha, abs=0.51)
    assert hectares(species[FOCAL][5].lstrip("+")) > 1000 and species[FOCAL][1] == "Snow leopard"
    assert sketches[0][0] == "sketch-1" and hectares(sketches[0][1]) == pytest.approx(ops["designated_ha"][0], abs=0.51)
