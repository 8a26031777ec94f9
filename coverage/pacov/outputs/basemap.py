"""An offline basemap for pacov's maps: the neighbours, a country's outline and zones, terrain, names.

A map sent around by e-mail is often opened with no network, where tiles never load and the shapes
float on a grey void. These layers are embedded in the page (the hillshade as a data: URI), so the
map reads the same offline. Each is a toggleable layer, drawn in its own pane under the data: the
neighbouring countries (muted), the country's land fill, the terrain's shadows over it (the image is
transparent where the ground is lit, so the fill shows through), zone borders and mountain ranges
(outlines only, so they never look like a species' range), then the names of zones and places. The
data are real public geography built by the embedded study's layers/…/src/build_basemap.py, which
also writes basemap.json: which file is what, the names the map shows and whose data they are
(CREDIT), so no country is named here.
"""

import json
from html import escape

import folium
import geopandas as gpd
import shapely

from pacov.embedded import EMBEDDED_STUDY
from pacov.messages import N_
from pacov.outputs.i18n import language

BASEMAP = EMBEDDED_STUDY.parent / "basemap"
MANIFEST = "basemap.json"
NEIGHBOURS = {"color": "#b9b1a0", "weight": 1, "fillColor": "#ece8df", "fillOpacity": 1.0}
COUNTRY = {"color": "#6b5b3e", "weight": 2, "fillColor": "#f3ecd8", "fillOpacity": 1.0}
ZONE = {"color": "#8c7b5a", "weight": 1, "dashArray": "4 3", "fill": False}
RANGE = {"color": "#8b5a2b", "weight": 1.5, "opacity": 0.7, "dashArray": "1 4", "fill": False}
ZONE_TOLERANCE = 0.01  # degrees: outlines for the eye, not for arithmetic
CITY_KM2 = 5000  # zones smaller than this are cities (Astana, Almaty, Shymkent): a dot, not a zone label
# panes (Leaflet's overlays are at z-index 400): neighbours and land, terrain, lines, names
PANES = {"pacov-land": 210, "pacov-terrain": 220, "pacov-lines": 230, "pacov-names": 390}
LABEL = "white-space:nowrap;text-shadow:0 0 2px #fff,0 0 2px #fff;pointer-events:none;transform:translate(-50%,-50%)"
STYLES = {
    "range": f"font:italic 11px serif;color:#7a3b1d;{LABEL}",
    "zone": f"font:10px sans-serif;letter-spacing:.08em;text-transform:uppercase;color:#6b5b3e;{LABEL}",
    "country": f"font:12px sans-serif;letter-spacing:.2em;text-transform:uppercase;color:#9a9080;{LABEL}",
    "place": f"font:11px sans-serif;color:#333;{LABEL.replace('-50%,-50%', '6px,-50%')}",
    "capital": f"font:bold 12px sans-serif;color:#111;{LABEL.replace('-50%,-50%', '6px,-50%')}",
}
LEGEND = [
    (N_("Mountain range (Natural Earth)"), RANGE),
    (N_("Oblast border"), ZONE),
    (N_("Neighbouring country"), NEIGHBOURS),
]


def manifest(folder=BASEMAP):
    """The basemap folder's basemap.json (file names, shown names, credit), or None without one."""
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


CREDIT = (manifest() or {}).get("credit", "")


def covers(bounds, folder=BASEMAP):
    """Whether the lon/lat ``bounds`` (west, south, east, north) meet the basemap's country."""
    west, south, east, north = gpd.read_file(folder / manifest(folder)["outline"]).total_bounds
    return bounds[0] <= east and bounds[2] >= west and bounds[1] <= north and bounds[3] >= south


def fixed_style(style):
    return lambda feature: style


def label(point, text, kind, dot=False):
    """A name on the map (escaped), non-interactive, in the names pane; ``dot``: a place's marker too."""
    marker = '<span style="position:absolute;left:-9px;top:35%;width:6px;height:6px;border-radius:50%;background:#333"></span>'
    html = f'<div style="{STYLES[kind]}">{marker if dot else ""}{escape(text)}</div>'
    return folium.Marker(
        [point.y, point.x], icon=folium.DivIcon(html=html, icon_size=(0, 0)), pane="pacov-names", interactive=False
    )


def shapes(frame, name, style, pane, **options):
    """A GeoJSON layer of ``frame``'s shapes in ``pane``, drawn with one fixed style."""
    return folium.GeoJson(
        frame[["geometry"]].__geo_interface__, name=name, style_function=fixed_style(style), pane=pane, **options
    )


def add_panes(fmap):
    for name, z in PANES.items():
        folium.map.CustomPane(name, z_index=z, pointer_events=name == "pacov-lines").add_to(fmap)


def add_neighbours(fmap, folder, files, lang):
    """The countries around (Natural Earth 1:110m, context only), muted, each named."""
    if not (folder / files.get("countries", "-")).is_file():
        return
    world = gpd.read_file(folder / files["countries"])
    group = folium.FeatureGroup(name=escape(lang._("Basemap: neighbouring countries")))
    shapes(world, None, NEIGHBOURS, "pacov-land", interactive=False).add_to(group)
    outline_name = files["outline_name"]
    for name, point in zip(world["name"], world.geometry.representative_point()):
        if name != outline_name:
            label(point, str(name), "country").add_to(group)
    group.add_to(fmap)


def add_terrain(fmap, folder, files, lang):
    """The hillshade's shadows (transparent where lit) over the land fill."""
    meta = json.loads((folder / "hillshade.json").read_text(encoding="utf-8"))
    folium.raster_layers.ImageOverlay(
        str(folder / files["hillshade"]),
        bounds=meta["bounds"],
        opacity=0.75,
        name=escape(lang._("Basemap: terrain (hillshade)")),
        pane="pacov-terrain",
    ).add_to(fmap)


def add_zones(fmap, folder, files, lang):
    """Zone borders (hover for the name), zone names, and the small city-zones as places."""
    zones = gpd.read_file(folder / files["zones"])
    names = [str(n) for n in zones[files["zone_field"]]]
    zones = zones.assign(
        geometry=shapely.coverage_simplify(zones.geometry.to_numpy(), ZONE_TOLERANCE), label=[escape(n) for n in names]
    )[["label", "geometry"]]
    group = folium.FeatureGroup(name=escape(lang._("Basemap: {name}", name=files["zones_name"])))
    folium.GeoJson(
        zones.__geo_interface__,
        style_function=fixed_style(ZONE),
        pane="pacov-lines",
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(group)
    km2 = zones.to_crs("+proj=cea").area / 1e6  # equal-area (cylindrical) for a size threshold only
    for name, point, size in zip(names, zones.geometry.representative_point(), km2):
        city = size < CITY_KM2
        label(
            point,
            name.replace(" (city)", ""),
            "capital" if city and name.startswith(files.get("capital", "-")) else "place" if city else "zone",
            dot=city,
        ).add_to(group)
    group.add_to(fmap)


def add_places(fmap, folder, files, lang):
    """Capitals from Natural Earth around the country (the country's own comes from its zones)."""
    if not (folder / files.get("places", "-")).is_file():
        return
    places = gpd.read_file(folder / files["places"])
    group = folium.FeatureGroup(name=escape(lang._("Basemap: capitals")))
    country = gpd.read_file(folder / files["outline"]).union_all()
    for name, point in zip(places["name"], places.geometry):
        if not country.contains(point):
            label(point, str(name), "place", dot=True).add_to(group)
    group.add_to(fmap)


def add_mountains(fmap, folder, files, lang):
    """Mountain ranges as what they are: a dotted brown outline and an italic name, no fill."""
    ranges = gpd.read_file(folder / files["ranges"])
    group = folium.FeatureGroup(name=escape(lang._("Basemap: mountain ranges")))
    shapes(ranges, None, RANGE, "pacov-lines", interactive=False).add_to(group)
    for name, point in zip(ranges["name"], ranges.geometry.representative_point()):
        label(point, str(name).title(), "range").add_to(group)
    group.add_to(fmap)


def add_basemap(fmap, bounds, folder=BASEMAP, lang=None):
    """Add the basemap layers under everything drawn after, named in ``lang`` (a Language; English by
    default); returns their legend entries ((label, style) pairs), none when there is no basemap or
    ``bounds`` are elsewhere."""
    lang = lang or language("en")
    files = manifest(folder)
    if files is None or not (folder / files["outline"]).is_file() or not covers(bounds, folder):
        return []
    add_panes(fmap)
    add_neighbours(fmap, folder, files, lang)
    country = gpd.read_file(folder / files["outline"])
    folium.GeoJson(
        country.__geo_interface__,
        name=escape(lang._("Basemap: {name}", name=files["outline_name"])),
        style_function=fixed_style(COUNTRY),
        pane="pacov-land",
        interactive=False,
    ).add_to(fmap)
    for add in (add_terrain, add_zones, add_mountains, add_places):
        add(fmap, folder, files, lang)
    return [(lang._(label), style) for label, style in LEGEND]
