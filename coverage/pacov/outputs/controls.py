"""Map controls folium lacks: a categorical legend, HTML panels, and a fullscreen button.

Each is a Leaflet control inside the map container (so it stays visible in fullscreen). Their
HTML is passed to JavaScript through Jinja's ``tojson``, and every piece of data in it is escaped
by the caller with :func:`html.escape`, so a name can never become markup.
"""

from html import escape

from branca.element import MacroElement
from jinja2 import Template

CSS = """<style>
.pacov-panel{background:rgba(255,255,255,.93);padding:6px 9px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);
 font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:340px}
.pacov-panel h1{font-size:15px;margin:0 0 2px}.pacov-panel h2{font-size:12px;margin:4px 0 2px}
.pacov-panel table{border-collapse:collapse}.pacov-panel td{padding:0 4px}
.pacov-swatch{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle;border:1px solid #555}
.pacov-footer{max-width:560px;font-size:10px;color:#333}
.pacov-fullscreen{background:#fff;border:2px solid rgba(0,0,0,.2);border-radius:4px;width:34px;height:34px;
 text-align:center;cursor:pointer}
.pacov-panel summary{cursor:pointer}.pacov-panel summary h1,.pacov-panel summary h2{display:inline}
.pacov-panel details:not([open]) summary{opacity:.85}
.pacov-legend{columns:2;column-gap:10px;font-size:11px;max-width:440px}.pacov-legend div{break-inside:avoid}
.pacov-popup{font:12px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:300px}
.pacov-popup td,.pacov-popup th{padding:1px 4px;text-align:left;vertical-align:top}
</style>"""


class HtmlControl(MacroElement):
    """A Leaflet control holding ready-made (already escaped) HTML."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function (map) {
    var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, html, position="topright", css_class="pacov-panel"):
        super().__init__()
        self._name = "HtmlControl"
        self.html, self.position, self.css_class = html, position, css_class


class FullscreenControl(MacroElement):
    """A button that puts the map container in fullscreen with the browser's Fullscreen API."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: 'topleft'});
{{ this.get_name() }}.onAdd = function (map) {
    var button = L.DomUtil.create('div', 'pacov-fullscreen leaflet-control');
    button.title = 'Full screen';
    button.innerHTML = '<svg width="18" height="18" viewBox="0 0 18 18" style="margin-top:7px"><path d="M1 6V1h5M12 1h5v5M17 12v5h-5M6 17H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
    L.DomEvent.on(button, 'click', function (e) {
        L.DomEvent.stop(e);
        var box = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (box.requestFullscreen) { box.requestFullscreen(); }
    });
    document.addEventListener('fullscreenchange', function () { map.invalidateSize(); });
    return button;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "FullscreenControl"


class FitBesidePanels(MacroElement):
    """Keep the panels off the data: fit the map to ``bounds`` beside the right-hand panels or between
    them (whichever shows the data larger), folding the legend where it would take half the map; and
    while a popup is open, fold each panel it runs under (reopened when the popup closes)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
    var box = map.getContainer(), bounds = L.latLngBounds({{ this.bounds|tojson }});
    function extent(corner, key) {
        var total = 0;
        box.querySelectorAll(corner + ' .pacov-panel').forEach(function (p) {
            total = key === 'offsetWidth' ? Math.max(total, p[key]) : total + p[key] + 10;
        });
        return total;
    }
    var folds = Array.from(box.querySelectorAll('.leaflet-bottom.leaflet-right details[open]'));
    while (extent('.leaflet-right', 'offsetWidth') + 20 >= map.getSize().x / 2 && folds.length) { folds.shift().open = false; }
    var right = extent('.leaflet-right', 'offsetWidth') + 20;
    var top = extent('.leaflet-top.leaflet-right', 'offsetHeight') + 10;
    var bottom = extent('.leaflet-bottom.leaflet-right', 'offsetHeight') + 10;
    var beside = {paddingTopLeft: [50, 10], paddingBottomRight: [right, 10]};
    var below = {paddingTopLeft: [50, top], paddingBottomRight: [10, bottom]};
    var wide = map.getBoundsZoom(bounds, false, L.point(50 + right, 20));
    var tall = map.getBoundsZoom(bounds, false, L.point(60, top + bottom));
    map.fitBounds(bounds, Object.assign(tall > wide ? below : beside, {animate: false}));
    var folded = [];
    function clear(popup) {
        var r = popup.getElement().getBoundingClientRect();
        box.querySelectorAll('.leaflet-control-container details[open]').forEach(function (d) {
            var p = d.getBoundingClientRect();
            if (p.left < r.right && p.right > r.left && p.top < r.bottom && p.bottom > r.top) { d.open = false; folded.push(d); }
        });
    }
    map.on('popupopen', function (e) { clear(e.popup); map.once('moveend', function () { if (e.popup.isOpen()) { clear(e.popup); } }); });
    map.on('popupclose', function () { folded.forEach(function (d) { d.open = true; }); folded = []; });
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitBesidePanels"
        self.bounds = bounds


def legend_rows(entries):
    """Legend rows from (label, style dict) pairs: fill colour (none where unfilled), outline colour,
    dashed or not."""
    rows = []
    for label, style in entries:
        border = (
            ("dotted" if str(style["dashArray"]).startswith("1 ") else "dashed") if style.get("dashArray") else "solid"
        )
        fill = style.get("fillColor", "none") if style.get("fill", True) else "none"
        rows.append(
            f'<div><span class="pacov-swatch" style="background:{escape(fill)};'
            f"opacity:{max(0.35, float(style.get('fillOpacity', 0.5))) + 0.0:.2f};"
            f'border:2px {border} {escape(style.get("color", "#555"))}"></span>{escape(label)}</div>'
        )
    return "".join(rows)


def table_html(rows):
    """A two-column table from (label, value) pairs, both escaped."""
    return (
        "<table>"
        + "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
        + "</table>"
    )
