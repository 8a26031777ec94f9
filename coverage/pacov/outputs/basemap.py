"""An offline basemap for pacov's maps: Kazakhstan's outline and oblasts, mountain-range names, hillshade.

A map sent around by e-mail is often opened with no network, where tiles never load and the shapes
float on a grey void. These layers are embedded in the page (the hillshade as a data: URI), so the
map reads the same offline. Each is a toggleable layer. The data are real public geography built by
layers/kazakhstan/src/build_basemap.py (see layers/kazakhstan/PROVENANCE.md); CREDIT says whose.
"""

import json
from html import escape

import folium
import geopandas as gpd
import shapely

from pacov.embedded import EMBEDDED_STUDY

BASEMAP = EMBEDDED_STUDY.parent / "basemap"
CREDIT = (
    "Basemap: Kazakhstan outline and 2024 oblasts from geokz (A. Rodionov, CC BY 4.0); mountain ranges from "
    "Natural Earth (public domain); hillshade from the NOAA GLOBE DEM (GLOBE Task Team 1999)."
)
COUNTRY = {"color": "#6b5b3e", "weight": 2, "fillColor": "#f3ecd8", "fillOpacity": 0.9}
OBLAST = {"color": "#8c7b5a", "weight": 1, "dashArray": "4 3", "fill": False}
RANGE = {"color": "#a0522d", "weight": 1, "opacity": 0.5, "fillColor": "#a0522d", "fillOpacity": 0.05}
OBLAST_TOLERANCE = 0.01  # degrees: outlines for the eye, not for arithmetic
LABEL_CSS = "font:italic 11px serif;color:#7a3b1d;white-space:nowrap;text-shadow:0 0 2px #fff"


def covers(bounds, folder=BASEMAP):
    """Whether the lon/lat ``bounds`` (west, south, east, north) meet the basemap's country."""
    west, south, east, north = gpd.read_file(folder / "kazakhstan_adm0_map.geojson").total_bounds
    return bounds[0] <= east and bounds[2] >= west and bounds[1] <= north and bounds[3] >= south


def fixed_style(style):
    return lambda feature: style


def add_basemap(fmap, bounds, folder=BASEMAP):
    """Add the basemap layers under everything drawn after; nothing when ``bounds`` are elsewhere."""
    if not (folder / "kazakhstan_adm0_map.geojson").is_file() or not covers(bounds, folder):
        return fmap
    country = gpd.read_file(folder / "kazakhstan_adm0_map.geojson")
    folium.GeoJson(
        country.__geo_interface__, name="Basemap: Kazakhstan", style_function=fixed_style(COUNTRY), control=True
    ).add_to(fmap)

    meta = json.loads((folder / "hillshade.json").read_text(encoding="utf-8"))
    folium.raster_layers.ImageOverlay(
        str(folder / "hillshade.png"), bounds=meta["bounds"], opacity=0.6, name="Basemap: terrain (hillshade)"
    ).add_to(fmap)

    oblasts = gpd.read_file(folder / "oblasts_2024.geojson")
    oblasts = oblasts.assign(
        geometry=shapely.coverage_simplify(oblasts.geometry.to_numpy(), OBLAST_TOLERANCE),
        label=[escape(n) for n in oblasts["ADM1_EN"]],
    )[["label", "geometry"]]
    folium.GeoJson(
        oblasts.__geo_interface__,
        name="Basemap: oblasts (2024)",
        style_function=fixed_style(OBLAST),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(fmap)

    ranges = gpd.read_file(folder / "mountain_ranges.geojson")
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
