"""The planning page of ``pacov serve``: the study's map, draw tools, and a panel scored by the server.

The map is pacov's own (``webmap.build_map``: basemap, sites by IUCN category, ranges, legend,
footer), so the page looks like every map pacov writes. On it go Leaflet-Geoman's draw, edit and
delete tools (vendored from npm, see vendor/geoman/LICENSES.md), the study's candidate proposals
as toggles, and a results panel that planner.js fills from ``POST /api/evaluate``. Everything is
inlined: the page works with no network but the loopback to its server.
"""

import json
from html import escape
from importlib import resources

import folium
import shapely

from pacov.outputs.maps import footer
from pacov.outputs.webmap import ADDED, DISPLAY_PIXELS, build_map

ASSETS = resources.files("pacov.outputs")
PANEL = """<div id="pacov-planner">
<h1>{title}</h1><div>Draw a polygon (toolbar, left) or upload one; the figures follow every change.</div>
<div id="pacov-error" role="alert"></div><div id="pacov-note"></div><div id="pacov-status"></div>
<h2>Species</h2><div id="pacov-species"></div>
<h2>National indicator</h2><div id="pacov-indicator"></div>
<h2>ProtConn</h2><div id="pacov-protconn"></div>
<h2>Each addition: ha newly designated, ha of each range newly protected</h2><div id="pacov-sketches"></div>
<h2>Candidate proposals</h2><div id="pacov-candidates"></div>
<h2>Upload and export</h2>
<label>Upload sketches (GeoJSON, GeoPackage, zipped shapefile): <input type="file" id="pacov-upload"></label><br>
<button id="pacov-export-scenario">Scenario (TOML + GeoPackage)</button><button id="pacov-export-report">HTML report</button>
</div>"""


def asset(*parts):
    return ASSETS.joinpath(*parts).read_text(encoding="utf-8")


def script_text(text):
    """Text safe inside a <script> element: no sequence there can close it."""
    return text.replace("</", "<\\/")


def candidate_features(evaluator):
    """The study's candidates for the page: id, name and a display-simplified lon/lat geometry each."""
    if evaluator.candidates is None:
        return []
    frame = evaluator.candidates
    west, south, east, north = evaluator.overlay.parts.total_bounds
    tolerance = max(east - west, north - south) / DISPLAY_PIXELS
    out = []
    for index, (ident, name) in enumerate(evaluator.candidate_ids()):
        rows = frame[frame[_id_field(evaluator)].astype(str) == ident]
        shape = shapely.simplify(shapely.union_all(rows.geometry.to_numpy()), tolerance, preserve_topology=True)
        lonlat = rows.iloc[:1].set_geometry([shape], crs=frame.crs).to_crs("EPSG:4326").geometry.iloc[0]
        out.append({"index": index, "id": ident, "name": name, "geometry": shapely.geometry.mapping(lonlat)})
    return out


def _id_field(evaluator):
    wanted = evaluator.study.proposal_id_field.lower()
    return next(c for c in evaluator.candidates.columns if c.lower() == wanted)


def planning_page(evaluator):
    """The page's HTML (one self-contained document) for an :class:`~pacov.scenarios.sketch.Evaluator`."""
    study = evaluator.study
    fmap = build_map(
        f"Planning: {study.name}",
        evaluator.flat,
        evaluator.flat,
        evaluator.overlay,
        footer([study.path, study.protected, study.ranges]),
        "Today's protected areas; sketches are scored against them.",
        offline=True,
        focal=study.focal,
    )
    root = fmap.get_root()
    root.header.add_child(folium.Element('<link rel="icon" href="data:,">'), name="no_favicon")  # no request for one
    css = asset("vendor", "geoman", "leaflet-geoman.css") + asset("planner", "planner.css")
    root.header.add_child(folium.Element(f"<style>{css}</style>"), name="pacov_planner_css")
    geoman = script_text(asset("vendor", "geoman", "leaflet-geoman.min.js"))
    root.header.add_child(folium.Element(f"<script>{geoman}</script>"), name="leaflet_geoman")
    config = {"candidates": candidate_features(evaluator), "candidate_style": ADDED}
    root.html.add_child(folium.Element(PANEL.format(title=escape(f"Planning: {study.name}"))), name="pacov_panel")
    root.html.add_child(
        folium.Element(f'<script type="application/json" id="pacov-config">{script_text(json.dumps(config))}</script>'),
        name="pacov_config",
    )
    root.script.add_child(folium.Element(script_text(asset("planner", "planner.js"))), name="pacov_planner")
    return root.render()
