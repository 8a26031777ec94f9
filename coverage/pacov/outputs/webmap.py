"""Build a Folium map of a coverage or scenario run that a planner can send around.

Existing sites are coloured by IUCN category; added areas, expansions and removals are drawn
distinctly; each species' range is split into its protected part and its gap. Numbers in tooltips
and panels come from the full geometry; geometry is simplified for display only.
"""

from html import escape

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xyzservices.providers as xyz

from pacov.engine.flatten import IUCN_ORDER, SITE_GEOMETRY
from pacov.engine.overlay import M2_PER_HA, coverage_table, site_coverage, species_coverage
from pacov.engine.ranges import dissolve
from pacov.errors import PacovError
from pacov.outputs.basemap import add_basemap
from pacov.outputs.controls import CSS, FullscreenControl, HtmlControl, legend_html, table_html
from pacov.outputs.offline import inline_assets
from pacov.outputs.report import FOCAL
from pacov.reading.fields import did_you_mean

IUCN_COLOURS = dict(zip(IUCN_ORDER, ["#00441b", "#006d2c", "#238b45", "#41ab5d", "#74c476", "#a1d99b", "#c7e9c0"]))
OTHER_COLOUR = "#8c8c8c"
ADDED = {"color": "#08519c", "fillColor": "#4292c6", "fillOpacity": 0.45, "weight": 2, "dashArray": "6 4"}
EXPANSION = {"color": "#54278f", "fillColor": "#9e9ac8", "fillOpacity": 0.5, "weight": 2, "dashArray": "6 4"}
REMOVED = {"color": "#a50f15", "fillColor": "#fb6a4a", "fillOpacity": 0.6, "weight": 2, "dashArray": "2 4"}
BASELINE = {"color": "#444444", "fillColor": "#bdbdbd", "fillOpacity": 0.35, "weight": 1}
RANGE_PROTECTED = {"color": "#d94801", "fillColor": "#fd8d3c", "fillOpacity": 0.55, "weight": 1}
CORRIDOR = {"color": "#b8860b", "fillColor": "#ffd92f", "fillOpacity": 0.6, "weight": 1}
RANGE_GAP = {"color": "#d94801", "fillColor": "#fff5eb", "fillOpacity": 0.55, "weight": 1, "dashArray": "4 3"}
DISPLAY_PIXELS = 3000  # simplify to about one pixel of a 3000-pixel-wide view of the whole extent


def site_style(category):
    colour = IUCN_COLOURS.get(category, OTHER_COLOUR)
    return {"color": colour, "fillColor": colour, "fillOpacity": 0.45, "weight": 1}


def ha(value):
    return f"{value:,.0f} ha"


def pct(value):
    return f"{100 * value:.1f}%"


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


def popup_property(frame, rows_of):
    """Per-row escaped HTML tables (``rows_of(row)`` gives (label, value) pairs)."""
    return [f'<div class="pacov-popup">{table_html(rows_of(r))}</div>' for r in frame.itertuples()]


def add_layer(fmap, name, gdf, style, tooltip_rows, popup_rows=None, show=True):
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
    before=None,
    pairs=None,
    corridors=None,
):
    """A folium Map of ``flat_final`` (with ``flat_base`` for before/after) over the ranges of ``overlay``.

    The site layers are flattened (erase_overlaps: ``site_geometry`` holds each whole site), as a
    coverage or scenario run left them, so nothing is flattened or overlaid again that the run did:
    ``before`` is the baseline's coverage table and ``pairs`` the overlay of ``flat_final`` when known.
    All frames share one equal-area CRS; ``points`` is a list of (name, GeoDataFrame) in any CRS;
    ``corridors`` (analyses.corridors) become one more toggleable layer.
    """
    parts = overlay.parts
    pairs = overlay.areas(flat_final.geometry.to_numpy()) if pairs is None else pairs
    after = coverage_table(overlay, pairs.groupby("i")["ha"].sum())
    if before is None:
        before = after if flat_base is flat_final else species_coverage(None, flat_base, overlay=overlay)
    baseline, final = whole_sites(flat_base), whole_sites(flat_final)
    species = list(after["species"])
    focal = focal_species(species, focal)
    union = shapely.union_all(flat_final.geometry.to_numpy())
    bounds = parts.total_bounds
    tolerance = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / DISPLAY_PIXELS

    west, south, east, north = parts.to_crs("EPSG:4326").total_bounds
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False)
    fmap.fit_bounds([[south, west], [north, east]])
    if not offline:
        folium.TileLayer(xyz.OpenStreetMap.Mapnik, name="OpenStreetMap", control=True).add_to(fmap)
    add_basemap(fmap, (west, south, east, north))

    contributions = site_coverage(parts, flat_final, overlay, pairs)
    by_site = {wid: grp for wid, grp in contributions.groupby("WDPAID")}

    def site_rows(r):
        rows = [
            ("Name", r.NAME),
            ("Designation", r.DESIG_ENG),
            ("IUCN category", r.IUCN_CAT),
            ("Year", r.STATUS_YR or "not reported"),
            ("Area", ha(r.area_ha)),
        ]
        for c in by_site.get(r.WDPAID, pd.DataFrame()).itertuples():
            rows.append((c.species, f"{ha(c.unique_ha)} of range ({pct(c.share_of_range)})"))
        return rows

    protected, gap, keys = range_pieces(parts, union, zone_field)
    for name in species:
        for label, frame, style in (("range protected", protected, RANGE_PROTECTED), ("range gap", gap, RANGE_GAP)):
            rows = frame[frame["sci_name"] == name]
            add_layer(
                fmap,
                f"{name}: {label}",
                display(rows, tolerance),
                style,
                lambda r: (
                    [("Species", r.sci_name)]
                    + ([("Landscape", getattr(r, zone_field))] if len(keys) > 1 else [])
                    + [("Range", ha(r.range_ha)), ("Protected share", pct(r.share))]
                ),
                show=name == focal,
            )

    added, expansions, removed = changes(baseline, final)
    existing = final[final["WDPAID"].isin(baseline["WDPAID"])].sort_values("STATUS_YR")
    add_layer(
        fmap,
        "Baseline: protected areas (before)",
        display(baseline, tolerance),
        BASELINE,
        lambda r: [("Baseline", r.NAME)],
        show=False,
    )
    add_layer(
        fmap,
        "Protected areas by IUCN category",
        display(existing, tolerance),
        lambda r: site_style(r.IUCN_CAT),
        lambda r: [("", r.NAME), ("", r.DESIG_ENG)],
        site_rows,
    )
    add_layer(
        fmap, "Added areas (proposed)", display(added, tolerance), ADDED, lambda r: [("Added", r.NAME)], site_rows
    )
    add_layer(
        fmap,
        "Expansions",
        display(expansions, tolerance),
        EXPANSION,
        lambda r: [("Expansion of", r.NAME), ("Area", ha(r.area_ha))],
    )
    add_layer(
        fmap,
        "Removed (downgraded, downsized, degazetted)",
        display(removed, tolerance),
        REMOVED,
        lambda r: [("Removed from", r.NAME), ("Area", ha(r.area_ha))],
    )

    if corridors is not None:
        add_layer(
            fmap,
            "Least-cost corridors",
            display(corridors, tolerance),
            CORRIDOR,
            lambda r: [
                ("Corridor", f"{r.from_name} to {r.to_name}"),
                ("Path", f"{r.length_km:,.1f} km, cost {r.cost_km:,.1f}"),
                ("Protected", pct(r.protected_share) if r.protected_share == r.protected_share else "no cell"),
            ],
        )
    for name, layer in points:  # one GeoJSON layer per point layer: one template, not one per point
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

    fmap.get_root().header.add_child(folium.Element(CSS), name="pacov_css")
    a = after.set_index("species").loc[focal]
    b = before.set_index("species").loc[focal]
    summary = [
        ("Species", focal),
        ("Range", ha(a["range_ha"])),
        ("Protected", f"{ha(a['protected_ha'])} ({pct(a['protected_share'])})"),
        ("Before", f"{ha(b['protected_ha'])} ({pct(b['protected_share'])})"),
        (
            "Change",
            f"{a['protected_ha'] - b['protected_ha']:+,.0f} ha ({100 * (a['protected_share'] - b['protected_share']):+.2f} pp)",
        ),
    ]
    HtmlControl(
        f"<h1>{escape(title)}</h1><div>{escape(description)}</div><h2>Headline</h2>{table_html(summary)}",
        position="topright",
    ).add_to(fmap)
    categories = [(f"IUCN {c}", site_style(c)) for c in IUCN_ORDER if c in set(existing["IUCN_CAT"])]
    if (~existing["IUCN_CAT"].isin(IUCN_ORDER)).any():
        categories.append(("Other / not reported", site_style("")))
    entries = (
        categories
        + [
            ("Added (proposed)", ADDED),
            ("Expansion", EXPANSION),
            ("Removed", REMOVED),
            ("Range: protected", RANGE_PROTECTED),
            ("Range: gap", RANGE_GAP),
        ]
        + ([("Least-cost corridor", CORRIDOR)] if corridors is not None else [])
    )
    HtmlControl(legend_html("Legend", entries), position="bottomleft").add_to(fmap)
    HtmlControl(footer, position="bottomright", css_class="pacov-panel pacov-footer").add_to(fmap)
    FullscreenControl().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    inline_assets(fmap)
    return number_elements(fmap)


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
