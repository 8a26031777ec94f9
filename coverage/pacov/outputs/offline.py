"""Make a folium map self-contained: Leaflet's JavaScript and CSS inlined, no CDN links.

Leaflet comes from the ``django-js-lib-leaflet`` wheel, which ships the official build as plain
files (and pulls in no Django). Its CSS's images become data: URIs, and the map's other controls
(legend, fullscreen, scale) are pacov's own or Leaflet core, so nothing is fetched from the network.
"""

import base64
import re
from importlib import resources

import folium

ASSETS = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"


def leaflet_js():
    return (ASSETS / "leaflet.js").read_text(encoding="utf-8")


def leaflet_css():
    """Leaflet's CSS with its images embedded as data: URIs."""
    css = (ASSETS / "leaflet.css").read_text(encoding="utf-8")

    def embed(match):
        data = base64.b64encode((ASSETS / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", embed, css)


def inline_assets(fmap):
    """Drop folium's CDN links from ``fmap`` and put Leaflet itself in the page head."""
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    header.add_child(folium.Element("<script>" + leaflet_js().replace("</", "<\\/") + "</script>"), name="leaflet_js")
    return fmap
