"""Two maps in one page, before | after, that move and zoom together, with no network at all.

folium's DualMap loads its synchronisation plugin (Leaflet.Sync) from a CDN, so an offline page
would show two maps that drift apart. Here each map follows the other's move and zoom events
with a few lines of plain Leaflet, guarded so that a move caused by the other map is not echoed back.
"""

from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from pacov.outputs.webmap import number_elements

# half a window each: a divider, narrower panels, and the provenance footer once (under the "after" map)
PAIR_CSS = (
    "<style>.folium-map{box-sizing:border-box}.folium-map+.folium-map{border-left:3px solid #333}"
    ".folium-map:first-of-type .pacov-footer{display:none}"
    ".folium-map .pacov-footer{max-width:min(300px,40vw)}.folium-map .pacov-panel{max-width:min(300px,40vw)}</style>"
)


class SyncMaps(MacroElement):
    """Keep two Leaflet maps on one centre and zoom level, the "after" map's (fitted beside its larger
    headline) from the start."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
    var maps = [{{ this.first.get_name() }}, {{ this.second.get_name() }}];
    var following = false;
    maps[0].setView(maps[1].getCenter(), maps[1].getZoom(), {animate: false});  // open where "after" opens
    maps.forEach(function (source, k) {
        var target = maps[1 - k];
        source.on('move zoomend', function () {
            if (following) { return; }
            following = true;
            target.setView(source.getCenter(), source.getZoom(), {animate: false});
            following = false;
        });
    });
})();
{% endmacro %}
""")

    def __init__(self, first, second):
        super().__init__()
        self._name = "SyncMaps"
        self.first, self.second = first, second


def side_by_side(before, after):
    """One page (HTML text) holding two folium maps built by build_map: ``before`` left, ``after`` right."""
    figure = Figure()
    for k, fmap in enumerate((before, after)):
        for name, element in fmap.get_root().header._children.items():  # inlined Leaflet, pacov's CSS
            figure.header.add_child(element, name=name)
        fmap.position, fmap.width, fmap.height = "absolute", (50.0, "%"), (100.0, "%")
        fmap.left, fmap.top = (50.0 * k, "%"), (0.0, "%")
        figure.add_child(fmap, name=f"map{k}")  # build_map numbered both alike: name them apart
    figure.header.add_child(Element(PAIR_CSS), name="pacov_pair")
    after.add_child(SyncMaps(before, after))  # rendered after both maps exist
    number_elements(figure)  # one numbering for both maps: their ids must not collide
    return figure.render()
