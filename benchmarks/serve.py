"""Latency of `pacov serve`: start-up, then p50/p95 over 50 evaluations of a 200-vertex sketch, through HTTP.

Two studies: the embedded Kazakhstan study, and the synthetic regional workload (generate.py:
5,000 sites, 50 ranges) written as a study in a temporary folder. Each evaluation moves the sketch
a little, so nothing is answered from a cache. "fast" is what the page asks first
(``/api/evaluate?protconn=false``); "protconn" is the ProtConn call that follows it. Then a load
test: 20 concurrent clients for 30 s on the embedded study, every answer checked, memory watched.

    python benchmarks/serve.py [--evaluations 50] [--load-seconds 30] [--protconn-evaluations 10] [--skip-regional]
"""

import argparse
import json
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import geopandas as gpd
import numpy as np
import psutil
import shapely
import uvicorn

from generate import CENTRE, generate
from pacov.serving.server import planning_app

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "layers" / "kazakhstan" / "study.toml"


def ellipse(x, y, rx, ry, n=200):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return shapely.Polygon(np.c_[x + rx * np.cos(t), y + ry * np.sin(t)])


def body(geom):
    feature = {"type": "Feature", "properties": {"name": "bench"}, "geometry": shapely.geometry.mapping(geom)}
    return json.dumps({"sketches": {"type": "FeatureCollection", "features": [feature]}}).encode()


def post(url, data):
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=600) as r:
        return json.loads(r.read())


def started(app):
    """(uvicorn server in a thread, base URL) on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def timed(url, sketches):
    times = []
    for geom in sketches:
        start = time.perf_counter()
        post(url, body(geom))
        times.append(time.perf_counter() - start)
    return np.array(times) * 1000


def line(label, ms):
    print(f"  {label:<34} n={len(ms):>3}  p50 {np.percentile(ms, 50):8.1f} ms  p95 {np.percentile(ms, 95):8.1f} ms")


def bench(name, study, centre, radius, args):
    app, seconds = planning_app(study)
    server, url = started(app)
    rng = np.random.default_rng(0)
    x, y = centre
    sketches = [ellipse(x + dx, y + dy, *radius) for dx, dy in rng.uniform(-0.05, 0.05, (args.evaluations, 2))]
    print(f"{name}: start-up (baseline overlay and page) {seconds:.1f} s")
    post(f"{url}/api/evaluate?protconn=false", body(sketches[0]))  # first call: imports, JIT of pandas paths
    line("evaluate?protconn=false (the panel)", timed(f"{url}/api/evaluate?protconn=false", sketches))
    line("protconn (follows it)", timed(f"{url}/api/protconn", sketches[: args.protconn_evaluations]))
    server.should_exit = True
    return app


def load(seconds):
    app, _ = planning_app(EMBEDDED)
    server, url = started(app)
    data = body(ellipse(77.0, 43.25, 0.6, 0.2))
    expected = post(f"{url}/api/evaluate?protconn=false", data)
    process = psutil.Process()
    rss = [process.memory_info().rss]
    answers, wrong, stop = [], [], time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            start = time.perf_counter()
            answer = post(f"{url}/api/evaluate?protconn=false", data)
            answers.append(time.perf_counter() - start)
            if answer != expected:
                wrong.append(answer)

    threads = [threading.Thread(target=client) for _ in range(20)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        rss.append(process.memory_info().rss)
        time.sleep(0.5)
    ms = np.array(answers) * 1000
    print(f"load: 20 clients for {seconds:g} s: {len(ms)} answers ({len(ms) / seconds:.1f}/s), {len(wrong)} wrong")
    line("latency under load", ms)
    print(f"  resident memory {rss[0] / 2**20:.0f} MiB before, {max(rss) / 2**20:.0f} MiB at most")
    server.should_exit = True


def regional_study(folder):
    """The regional workload as a study file: sites, ranges, the extent as the region, the first range focal."""
    protected, ranges = generate("regional")
    protected.to_parquet(folder / "protected.parquet")
    ranges.to_parquet(folder / "ranges.parquet")
    extent = shapely.box(*protected.total_bounds).union(shapely.box(*ranges.total_bounds))
    gpd.GeoDataFrame(geometry=[extent], crs=protected.crs).to_file(folder / "region.geojson")
    (folder / "study.toml").write_text(
        'name = "regional"\nfocal = "Species 0000"\n[layers]\nprotected = "protected.parquet"\n'
        'ranges = "ranges.parquet"\nregion = "region.geojson"\n',
        encoding="utf-8",
    )
    return folder / "study.toml"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=50)
    parser.add_argument("--protconn-evaluations", type=int, default=10)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--skip-regional", action="store_true")
    args = parser.parse_args()
    print(f"{psutil.cpu_count()} CPUs, load average {psutil.getloadavg()[0]:.1f} (a shared machine inflates these)")
    bench("embedded (Kazakhstan)", EMBEDDED, (77.0, 43.25), (0.6, 0.2), args)
    if not args.skip_regional:
        with tempfile.TemporaryDirectory() as folder:
            bench("regional (5,000 sites, 50 ranges)", regional_study(Path(folder)), CENTRE, (0.25, 0.18), args)
    if args.load_seconds > 0:
        load(args.load_seconds)


if __name__ == "__main__":
    sys.exit(main())
