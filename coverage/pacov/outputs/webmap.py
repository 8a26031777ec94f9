"""Build a Folium map of a coverage or scenario run that a planner can send around.

Existing sites are coloured by IUCN category; added areas, expansions and removals are drawn
distinctly; each species' range is split into its protected part and its gap, in the species' own
colour (outputs/palette.py). Numbers in tooltips and panels come from the full geometry; geometry is
simplified for display only.

A map is built from pieces, each drawing one thing, so that the scenario maps, the report's map and
the planning page share them: :func:`base_map` (the frame and the offline basemap), the ``add_*``
layers, :func:`add_panels` (headline and provenance), :func:`add_legend` and :func:`finish` (the
controls, Leaflet inlined, stable ids). :func:`build_map` puts them together.
"""

from dataclasses import dataclass, field
from html import escape

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xyzservices.providers as xyz

from pacov.engine.flatten import IUCN_ORDER, SITE_GEOMETRY
from pacov.engine.overlay import M2_PER_HA, coverage_table, site_coverage
from pacov.engine.ranges import dissolve
from pacov.errors import PacovError
from pacov.outputs.basemap import add_basemap
from pacov.outputs.controls import CSS, FitBesidePanels, FullscreenControl, HtmlControl, legend_rows, table_html
from pacov.outputs.i18n import language
from pacov.outputs.offline import inline_assets
from pacov.outputs.palette import species_colours, species_label
from pacov.outputs.report import FOCAL
from pacov.reading.fields import did_you_mean
from pacov.reading.iucn import common_names

IUCN_COLOURS = dict(zip(IUCN_ORDER, ["#00441b", "#006d2c", "#238b45", "#41ab5d", "#74c476", "#a1d99b", "#c7e9c0"]))
OTHER_COLOUR = "#8c8c8c"
# changes are outlined over a pale fill, so that no species' colour (palette.py) is mistaken for one
ADDED = {"color": "#08306b", "fillColor": "#ffffff", "fillOpacity": 0.45, "weight": 2.5, "dashArray": "6 4"}
EXPANSION = {"color": "#54278f", "fillColor": "#efedf5", "fillOpacity": 0.5, "weight": 2.5, "dashArray": "6 4"}
REMOVED = {"color": "#a50f15", "fillColor": "#fb6a4a", "fillOpacity": 0.6, "weight": 2, "dashArray": "2 4"}
BASELINE = {"color": "#444444", "fillColor": "#bdbdbd", "fillOpacity": 0.35, "weight": 1}
RANGE_PROTECTED = {"color": "#d94801", "fillColor": "#fd8d3c", "fillOpacity": 0.55, "weight": 1}
CORRIDOR = {"color": "#b8860b", "fillColor": "#ffd92f", "fillOpacity": 0.3, "weight": 1.5}  # the sites show through
RANGE_GAP = {"color": "#d94801", "fillColor": "#fff5eb", "fillOpacity": 0.55, "weight": 1, "dashArray": "4 3"}
DISPLAY_PIXELS = 3000  # simplify to about one pixel of a 3000-pixel-wide view of the whole extent


@dataclass
class Frame:
    """What every piece of one map shares: the equal-area extent's display tolerance, the species
    drawn (focal first shown), their colours and their labels (common names where the layer has them)."""

    tolerance: float
    species: list
    focal: str
    colours: dict
    labels: dict
    names: dict  # the common name where the layer has one, else the scientific name (for the legend)
    lang: object = None  # the Language of the map's own words and numbers (outputs/i18n.py)
    basemap: list = field(default_factory=list)  # the basemap's legend entries, once base_map drew it
    fit: list = None  # [[south, west], [north, east]] the map opens at, once base_map set it


def site_style(category):
    colour = IUCN_COLOURS.get(category, OTHER_COLOUR)
    return {"color": colour, "fillColor": colour, "fillOpacity": 0.45, "weight": 1}


def display(gdf, tolerance):
    """Simplified copy in EPSG:4326 for drawing, with ``area_ha`` measured before (in the equal-area CRS);
    topology kept, empty results dropped."""
    out = gdf[~gdf.geometry.is_empty].copy()
    out["area_ha"] = shapely.area(out.geometry.to_numpy()) / M2_PER_HA
    out[out.geometry.name] = shapely.simplify(out.geometry.to_numpy(), tolerance, preserve_topology=True)
    return out[~out.geometry.is_empty].to_crs("EPSG:4326")


def focal_species(species, wanted):
    """The species a map shows first: ``wanted`` (an unknown name is an error), or by default the snow
    leopard where the ranges hold it, else the first."""
    if wanted is None:
        return FOCAL if FOCAL in species else species[0]
    if wanted not in species:
        raise PacovError(
            f"--species: no species '{wanted}' in the ranges{did_you_mean(wanted, species)}; "
            f"species there: {', '.join(species)}"
        )
    return wanted


def map_frame(parts, focal=None, lang="en"):
    """The Frame of a map over the range parts ``parts`` (equal-area CRS), in language ``lang``."""
    bounds = parts.total_bounds
    species = sorted(parts["sci_name"].unique())
    focal = focal_species(species, focal)
    order = [focal] + [s for s in species if s != focal]
    commons = common_names(parts)
    labels = {s: species_label(s, commons) for s in order}
    tolerance = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / DISPLAY_PIXELS
    names = {s: commons.get(s, s) for s in order}
    return Frame(tolerance, species, focal, species_colours(order), labels, names, language(lang))


def popup_property(frame, rows_of):
    """Per-row escaped HTML tables (``rows_of(row)`` gives (label, value) pairs)."""
    return [f'<div class="pacov-popup">{table_html(rows_of(r))}</div>' for r in frame.itertuples()]


def add_layer(fmap, name, gdf, style, tooltip_rows, popup_rows=None, show=True, **options):
    """One toggleable GeoJSON layer whose tooltip and popup HTML is built (and escaped) here."""
    if gdf.empty:
        return
    data = gpd.GeoDataFrame({"tip": popup_property(gdf, tooltip_rows)}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    if popup_rows is not None:
        data["pop"] = popup_property(gdf, popup_rows)
    styles = [style(r) if callable(style) else style for r in gdf.itertuples()]
    data["_style"] = [dict(s) for s in styles]
    layer = folium.GeoJson(
        data.__geo_interface__,
        name=escape(name),
        show=show,
        style_function=lambda feature: feature["properties"]["_style"],
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["pop"], labels=False) if popup_rows is not None else None,
        **options,
    )
    layer.add_to(fmap)


def whole_sites(flat):
    """The unflattened sites of a flattened layer (its ``site_geometry``), for drawing and differences."""
    return flat.drop(columns=flat.geometry.name).set_geometry(SITE_GEOMETRY).rename_geometry("geometry")


def changes(baseline, final):
    """Added sites, expansion pieces and removed pieces between two unflattened site layers."""
    base = baseline.dissolve("WDPAID")
    fin = final.dissolve("WDPAID")
    added = final[~final["WDPAID"].isin(base.index)]
    common = fin.index.intersection(base.index)
    grown = shapely.difference(fin.loc[common].geometry.to_numpy(), base.loc[common].geometry.to_numpy())
    shrunk = shapely.difference(base.loc[common].geometry.to_numpy(), fin.loc[common].geometry.to_numpy())
    min_area = 1e4  # 1 ha: ignore slivers of floating-point noise
    expansions = base.loc[common].assign(geometry=grown)[shapely.area(grown) > min_area]
    removed = pd.concat(
        [base.loc[common].assign(geometry=shrunk)[shapely.area(shrunk) > min_area], base[~base.index.isin(fin.index)]]
    )
    to_gdf = lambda f: gpd.GeoDataFrame(f.reset_index(), geometry="geometry", crs=baseline.crs)  # noqa: E731
    return to_gdf(added.set_index("WDPAID")), to_gdf(expansions), to_gdf(removed)


def range_pieces(parts, union, zone_field):
    """Each species' range (per zone where the layer has one) split into protected part and gap."""
    keys = ["sci_name"] + ([zone_field] if zone_field in parts.columns else [])
    pieces = dissolve(parts, keys)
    geoms = pieces.geometry.to_numpy()
    pieces["range_ha"] = shapely.area(geoms) / M2_PER_HA
    inside = shapely.intersection(geoms, union)
    pieces["protected_ha"] = shapely.area(inside) / M2_PER_HA
    pieces["share"] = np.where(pieces["range_ha"] > 0, pieces["protected_ha"] / pieces["range_ha"], 0.0)
    return pieces.assign(geometry=inside), pieces.assign(geometry=shapely.difference(geoms, union)), keys


def range_styles(colour):
    """A species' protected part (filled in its colour) and gap (dashed in its colour over a faint wash of
    it: a pale fill would vanish on the basemap's land)."""
    gap = {**RANGE_GAP, "color": colour, "fillColor": colour, "fillOpacity": 0.15, "weight": 1.5}
    return {**RANGE_PROTECTED, "color": colour, "fillColor": colour}, gap


def base_map(parts, frame, offline, fit_to=None):
    """A map fitted to ``fit_to`` (equal-area shapes; default the range parts) with the offline
    basemap under everything, and OpenStreetMap tiles where the map may go online."""
    west, south, east, north = parts.to_crs("EPSG:4326").total_bounds
    fit = (fit_to if fit_to is not None and not fit_to.empty else parts).to_crs("EPSG:4326").total_bounds
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5)
    fmap.fit_bounds([[fit[1], fit[0]], [fit[3], fit[2]]])  # refitted beside the panels by finish()
    frame.fit = [[fit[1], fit[0]], [fit[3], fit[2]]]
    if not offline:
        folium.TileLayer(xyz.OpenStreetMap.Mapnik, name="OpenStreetMap", control=True).add_to(fmap)
    frame.basemap = add_basemap(fmap, (west, south, east, north), lang=frame.lang)
    fmap.get_root().header.add_child(folium.Element(CSS), name="pacov_css")
    return fmap


def add_range_layers(fmap, parts, union, frame, zone_field):
    """Each species' protected part and gap (per zone where the layer has one), the focal one shown."""
    protected, gap, keys = range_pieces(parts, union, zone_field)
    _, lang = frame.lang._, frame.lang
    for name in frame.species:
        styles = range_styles(frame.colours[name])
        layers = (_("{species}: range protected", species=name), _("{species}: range gap", species=name))
        for label, pieces, style in zip(layers, (protected, gap), styles):
            rows = pieces[pieces["sci_name"] == name]
            add_layer(
                fmap,
                label,
                display(rows, frame.tolerance),
                style,
                lambda r: (
                    [(_("Species"), frame.labels[r.sci_name])]
                    + ([(_("Landscape"), getattr(r, zone_field))] if len(keys) > 1 else [])
                    + [(_("Range"), lang.ha(r.range_ha)), (_("Protected share"), lang.pct(r.share))]
                ),
                show=name == frame.focal,
            )
    return fmap


def site_rows_of(parts, flat, overlay, pairs, frame):
    """A popup's rows for a whole site: name, designation, category, year, area, and how much of each
    range it alone protects (from the run's overlay of the flattened sites)."""
    contributions = site_coverage(parts, flat, overlay, pairs)
    by_site = {wid: grp for wid, grp in contributions.groupby("WDPAID")}
    _, lang = frame.lang._, frame.lang

    def site_rows(r):
        rows = [
            (_("Name"), r.NAME),
            (_("Designation"), r.DESIG_ENG),
            (_("IUCN category"), r.IUCN_CAT),
            (_("Year"), r.STATUS_YR or _("not reported")),
            (_("Area"), lang.ha(r.area_ha)),
        ]
        for c in by_site.get(r.WDPAID, pd.DataFrame()).itertuples():
            share = _("{area} of range ({share})", area=lang.ha(c.unique_ha), share=lang.pct(c.share_of_range))
            rows.append((frame.labels.get(c.species, c.species), share))
        return rows

    return site_rows


def add_site_layers(fmap, baseline, final, site_rows, frame, ranges):
    """The baseline (hidden), the sites kept by IUCN category, and what a scenario added, expanded and
    removed; additions explained against the baseline and ``ranges`` ({species: range}). Returns the
    kept sites drawn (their categories make the legend)."""
    added, expansions, removed = changes(baseline, final)
    existing = final[final["WDPAID"].isin(baseline["WDPAID"])].sort_values("STATUS_YR")
    tol, _, ha = frame.tolerance, frame.lang._, frame.lang.ha
    explained = addition_rows(frame)
    add_layer(
        fmap,
        _("Baseline: protected areas (before)"),
        display(baseline, tol),
        BASELINE,
        lambda r: [(_("Baseline"), r.NAME)],
        show=False,
    )
    add_layer(
        fmap,
        _("Protected areas by IUCN category"),
        display(existing, tol),
        lambda r: site_style(r.IUCN_CAT),
        lambda r: [("", r.NAME), ("", r.DESIG_ENG)],
        site_rows,
    )
    add_layer(
        fmap,
        _("Added areas (proposed)"),
        display(explain_additions(added, baseline, ranges), tol),
        ADDED,
        lambda r: [(_("Added"), r.NAME), (_("Newly designated"), ha(r.new_ha))],
        lambda r: site_rows(r)[:4] + [(_("Drawn area"), ha(r.area_ha))] + explained(r),
    )
    add_layer(
        fmap,
        _("Expansions"),
        display(explain_additions(expansions, baseline, ranges), tol),
        EXPANSION,
        lambda r: [(_("Expansion of"), r.NAME), (_("Newly designated"), ha(r.new_ha))],
        lambda r: [(_("Expansion of"), r.NAME), (_("Drawn area"), ha(r.area_ha))] + explained(r),
    )
    add_layer(
        fmap,
        _("Removed (downgraded, downsized, degazetted)"),
        display(removed, tol),
        REMOVED,
        lambda r: [(_("Removed from"), r.NAME), (_("Area"), ha(r.area_ha))],
    )
    return existing


def explain_additions(pieces, baseline, ranges):
    """``pieces`` (added sites or expansion pieces, equal-area) with what they add to the baseline:
    ``new_ha`` (not protected before), ``already`` ([(site name, ha)] of baseline sites they overlap)
    and ``range_new`` ({species: ha of its range newly protected})."""
    geoms = baseline.geometry.to_numpy()
    tree, union = shapely.STRtree(geoms), shapely.union_all(geoms)
    new = shapely.difference(pieces.geometry.to_numpy(), union)
    already = []
    for shape in pieces.geometry.to_numpy():
        hits = tree.query(shape, predicate="intersects")
        overlaps = [
            (baseline["NAME"].iloc[k], shapely.area(shapely.intersection(shape, geoms[k])) / M2_PER_HA) for k in hits
        ]
        already.append([(name, area) for name, area in overlaps if area >= 1])
    gains = [{sp: shapely.area(shapely.intersection(n, r)) / M2_PER_HA for sp, r in ranges.items()} for n in new]
    return pieces.assign(new_ha=shapely.area(new) / M2_PER_HA, already=already, range_new=gains)


def addition_rows(frame):
    """A popup's rows explaining an addition (explain_additions): newly designated, already protected
    and by which sites, and the range newly protected for each species it reaches."""

    _, ha = frame.lang._, frame.lang.ha

    def rows(r):
        out = [(_("Newly designated"), ha(r.new_ha))]
        if r.area_ha - r.new_ha >= 1:
            out.append((_("Already protected"), ha(r.area_ha - r.new_ha)))
            out += [(_("… by {name}", name=name), ha(area)) for name, area in r.already]
        gains = [(sp, r.range_new[sp]) for sp in frame.colours if r.range_new.get(sp, 0) >= 1]
        out += [(_("{species}: range newly protected", species=frame.names[sp]), ha(g)) for sp, g in gains]
        return out

    return rows


def add_corridor_layer(fmap, corridors, frame):
    """Least-cost corridors (analyses.corridors) as one more toggleable layer."""
    _, lang = frame.lang._, frame.lang
    add_layer(
        fmap,
        _("Least-cost corridors"),
        display(corridors, frame.tolerance),
        CORRIDOR,
        lambda r: [
            (_("Corridor"), _("{start} to {end}", start=r.from_name, end=r.to_name)),
            (
                _("Path"),
                _("{length} km, cost {cost}", length=lang.number(r.length_km, 1), cost=lang.number(r.cost_km, 1)),
            ),
            (_("Protected"), lang.pct(r.protected_share) if r.protected_share == r.protected_share else _("no cell")),
        ],
    )
    return fmap


def add_point_layers(fmap, points):
    """One GeoJSON layer per (name, GeoDataFrame) point layer: one marker template, not one per point."""
    for name, layer in points:
        layer = layer.to_crs("EPSG:4326")
        labels = [
            " · ".join(escape(str(v)) for k, v in p._asdict().items() if k not in ("Index", "geometry"))[:300]
            or escape(name)
            for p in layer.itertuples()
        ]
        data = gpd.GeoDataFrame({"tip": labels}, geometry=layer.geometry.to_numpy(), crs=layer.crs)
        folium.GeoJson(
            data.__geo_interface__,
            name=escape(name),
            show=False,  # many points hide the areas: opt in
            marker=folium.CircleMarker(
                radius=3, color="#000", weight=1, fill=True, fill_color="#ffffff", fill_opacity=0.9
            ),
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        ).add_to(fmap)
    return fmap


def headline_rows(after, frame, change_rows=()):
    """The headline panel's rows: the focal species' range and protected part, then ``change_rows``
    ((label, text) pairs from outputs/changes.py) where the map shows a change."""
    a, _, lang = after.set_index("species").loc[frame.focal], frame.lang._, frame.lang
    return [
        (_("Species"), frame.labels[frame.focal]),
        (_("Range"), lang.ha(a["range_ha"])),
        (_("Protected"), f"{lang.ha(a['protected_ha'])} ({lang.pct(a['protected_share'])})"),
        *change_rows,
    ]


def folded(heading, body, open_=True, tag="h1"):
    """A panel's content that folds away to its heading (a <details>), so it can be moved off the data."""
    return f"<details{' open' if open_ else ''}><summary><{tag}>{heading}</{tag}></summary>{body}</details>"


def add_panels(fmap, title, description, rows, footer, lang):
    """The headline panel (top right, open) and the provenance footer (bottom right, folded)."""
    heading = escape(lang._("Headline"))
    body = f"<div>{escape(description)}</div><h2>{heading}</h2>{table_html(rows)}" if rows else escape(description)
    HtmlControl(folded(escape(title), body), position="topright").add_to(fmap)
    sources = folded(escape(lang._("Sources")), footer, open_=False, tag="h2")
    HtmlControl(sources, position="bottomright", css_class="pacov-panel pacov-footer").add_to(fmap)
    return fmap


def legend_entries(existing, frame, corridors=False, changes=True):
    """(label, style) rows: the IUCN categories drawn, the changes, each species' range, corridors."""
    _ = frame.lang._
    drawn = set(existing["IUCN_CAT"])
    categories = [(_("IUCN {category}", category=c), site_style(c)) for c in IUCN_ORDER if c in drawn]
    if (~existing["IUCN_CAT"].isin(IUCN_ORDER)).any():
        categories.append((_("Other / not reported"), site_style("")))
    changed = [(_("Added (proposed)"), ADDED), (_("Expansion"), EXPANSION), (_("Removed"), REMOVED)]
    ranges = []
    for name in list(frame.colours) if len(frame.species) > 1 else []:
        ranges.append((_("{species}: range", species=frame.names[name]), range_styles(frame.colours[name])[0]))
    protected, gap = range_styles(frame.colours[frame.focal])
    ranges += [(_("Range: protected"), protected), (_("Range: gap"), gap)]
    corridor = [(_("Least-cost corridor"), CORRIDOR)] if corridors else []
    return categories + (changed if changes else []) + ranges + corridor


def add_legend(fmap, entries, basemap_entries, lang):
    """The legend (bottom right, over the sources, beside the headline), folding away to its heading."""
    rows = f'<div class="pacov-legend">{legend_rows(list(entries) + list(basemap_entries))}</div>'
    HtmlControl(folded(escape(lang._("Legend")), rows, tag="h2"), position="bottomright").add_to(fmap)
    return fmap


def finish(fmap, frame):
    """The fullscreen button and layer switcher, the view fitted beside the panels, Leaflet inlined,
    and element ids numbered."""
    FullscreenControl().add_to(fmap)
    FitBesidePanels(frame.fit).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    inline_assets(fmap)
    return number_elements(fmap)


def build_map(
    title,
    flat_base,
    flat_final,
    overlay,
    footer,
    description="",
    points=(),
    offline=False,
    focal=None,
    zone_field="landscape",
    change_rows=(),
    pairs=None,
    corridors=None,
    fit_to=None,
    lang="en",
):
    """A folium Map of ``flat_final`` (with ``flat_base`` for before/after) over the ranges of ``overlay``.

    The site layers are flattened (erase_overlaps: ``site_geometry`` holds each whole site), as a
    coverage or scenario run left them, so nothing is flattened or overlaid again that the run did:
    ``pairs`` is the overlay of ``flat_final`` when known; ``lang`` the language of the map's own words. ``change_rows`` (outputs/changes.py) go in the
    headline under the focal species' figures. All frames share one equal-area CRS; ``points`` is a
    list of (name, GeoDataFrame) in any CRS; ``corridors`` (analyses.corridors) become one more layer.
    """
    parts = overlay.parts
    pairs = overlay.areas(flat_final.geometry.to_numpy()) if pairs is None else pairs
    after = coverage_table(overlay, pairs.groupby("i")["ha"].sum())
    frame = map_frame(parts, focal, lang)
    baseline, final = whole_sites(flat_base), whole_sites(flat_final)
    drawn = pd.concat([parts.geometry, flat_final.geometry]) if fit_to is None else fit_to
    fmap = base_map(parts, frame, offline, drawn)
    union = shapely.union_all(flat_final.geometry.to_numpy())
    add_range_layers(fmap, parts, union, frame, zone_field)
    site_rows = site_rows_of(parts, flat_final, overlay, pairs, frame)
    ranges = dict(zip(*(lambda d: (d["sci_name"], d.geometry.to_numpy()))(dissolve(parts))))
    existing = add_site_layers(fmap, baseline, final, site_rows, frame, ranges)
    if corridors is not None:
        add_corridor_layer(fmap, corridors, frame)
    add_point_layers(fmap, points)
    add_panels(fmap, title, description, headline_rows(after, frame, change_rows), footer, frame.lang)
    entries = legend_entries(existing, frame, corridors is not None, flat_base is not flat_final)
    add_legend(fmap, entries, frame.basemap, frame.lang)
    return finish(fmap, frame)


def number_elements(fmap):
    """Replace folium's random element ids with sequential ones, so reruns give identical bytes."""
    count = 0

    def visit(element):
        nonlocal count
        element._id = f"{count:08d}"
        count += 1
        for child in element._children.values():
            visit(child)

    visit(fmap.get_root())
    return fmap
