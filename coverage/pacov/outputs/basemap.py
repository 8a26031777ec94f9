"""An offline basemap for pacov's maps: a country's outline and zones, mountain-range names, hillshade.

A map sent around by e-mail is often opened with no network, where tiles never load and the shapes
float on a grey void. These layers are embedded in the page (the hillshade as a data: URI), so the
map reads the same offline. Each is a toggleable layer. The data are real public geography built by
the embedded study's layers/…/src/build_basemap.py, which also writes basemap.json: which file is
what, the names the map shows and whose data they are (CREDIT), so no country is named here.
"""

import json
from html import escape

import folium
import geopandas as gpd
import shapely

from pacov.embedded import EMBEDDED_STUDY

BASEMAP = EMBEDDED_STUDY.parent / "basemap"
MANIFEST = "basemap.json"
COUNTRY = {"color": "#6b5b3e", "weight": 2, "fillColor": "#f3ecd8", "fillOpacity": 0.9}
ZONE = {"color": "#8c7b5a", "weight": 1, "dashArray": "4 3", "fill": False}
RANGE = {"color": "#a0522d", "weight": 1, "opacity": 0.5, "fillColor": "#a0522d", "fillOpacity": 0.05}
ZONE_TOLERANCE = 0.01  # degrees: outlines for the eye, not for arithmetic
LABEL_CSS = "font:italic 11px serif;color:#7a3b1d;white-space:nowrap;text-shadow:0 0 2px #fff"


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


def add_basemap(fmap, bounds, folder=BASEMAP):
    """Add the basemap layers under everything drawn after; nothing when ``bounds`` are elsewhere."""
    files = manifest(folder)
    if files is None or not (folder / files["outline"]).is_file() or not covers(bounds, folder):
        return fmap
    country = gpd.read_file(folder / files["outline"])
    folium.GeoJson(
        country.__geo_interface__,
        name=f"Basemap: {escape(files['outline_name'])}",
        style_function=fixed_style(COUNTRY),
        control=True,
    ).add_to(fmap)

    meta = json.loads((folder / "hillshade.json").read_text(encoding="utf-8"))
    folium.raster_layers.ImageOverlay(
        str(folder / files["hillshade"]), bounds=meta["bounds"], opacity=0.6, name="Basemap: terrain (hillshade)"
    ).add_to(fmap)

    zones = gpd.read_file(folder / files["zones"])
    zones = zones.assign(
        geometry=shapely.coverage_simplify(zones.geometry.to_numpy(), ZONE_TOLERANCE),
        label=[escape(n) for n in zones[files["zone_field"]]],
    )[["label", "geometry"]]
    folium.GeoJson(
        zones.__geo_interface__,
        name=f"Basemap: {escape(files['zones_name'])}",
        style_function=fixed_style(ZONE),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(fmap)

    ranges = gpd.read_file(folder / files["ranges"])
    group = folium.FeatureGroup(name="Basemap: mountain ranges")
    folium.GeoJson(ranges[["geometry"]].__geo_interface__, style_function=fixed_style(RANGE)).add_to(group)
    for name, point in zip(ranges["name"], ranges.geometry.representative_point()):
        label = escape(str(name).title())
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div style="{LABEL_CSS}">{label}</div>', icon_size=(0, 0)),
        ).add_to(group)
    group.add_to(fmap)
    return fmap
