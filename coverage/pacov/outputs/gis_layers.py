"""The GeoPackage layers of each result: where the numbers in the tables lie on the ground.

Every function returns named GeoDataFrames in the run's equal-area CRS, ready for :func:`write_gis`
(the GeoPackage and its QGIS project); ``STYLES`` holds their QGIS styles, in the HTML map's colours,
and ``range_protected`` gets one colour per species, palette.species_colours' colours.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from pacov.engine.flatten import IUCN_ORDER
from pacov.outputs.basemap import BASEMAP, COUNTRY, ZONE, covers, manifest
from pacov.outputs.gpkg import Labels, Style, write_gpkg
from pacov.outputs.palette import species_colours
from pacov.outputs.qgis_project import write_project
from pacov.outputs.webmap import (
    ADDED,
    CORRIDOR,
    EXPANSION,
    IUCN_COLOURS,
    RANGE_GAP,
    RANGE_PROTECTED,
    REMOVED,
    range_pieces,
    site_style,
)

SITE_LABELS = Labels("NAME", "#00441b", 7.5)
SITES = Style(
    site_style(""),
    "Other / not reported",
    "IUCN_CAT",
    tuple((c, f"IUCN {c}", site_style(c)) for c in IUCN_ORDER if c in IUCN_COLOURS),
    SITE_LABELS,
)
# outlined, barely filled: corridors run between and over the sites, which must show through
CORRIDOR_OUTLINE = {**CORRIDOR, "fillOpacity": 0.08, "weight": 1.5}
STYLES = {
    "outline": Style(COUNTRY, "Country"),
    "zones": Style(ZONE, "Zones", labels=Labels("name", "#6b5b3e", 9.0, italic=True)),
    "sites": SITES,
    "gbf_sites": SITES,
    "connectivity_nodes": Style(site_style(""), "Site (node)", labels=SITE_LABELS),
    "gbf_kba": Style({**ADDED, "dashArray": ""}, "Key Biodiversity Area", labels=Labels("NAME", "#08519c")),
    "range_protected": Style(RANGE_PROTECTED, "Range: protected"),
    "range_gap": Style(RANGE_GAP, "Range: gap"),
    "scenario_gap": Style(RANGE_GAP, "Range: gap after the scenario"),
    "operations": Style(
        ADDED,
        "Added (proposed)",
        "change",
        (("add", "Added (proposed)", ADDED), ("expand", "Expansion", EXPANSION), ("remove", "Removed", REMOVED)),
    ),
    "planning_units": Style(ADDED, "Selected planning unit"),
    "corridors": Style(CORRIDOR_OUTLINE, "Least-cost corridor"),
}


def write_gis(layers, path):
    """Write ``layers`` as a GeoPackage over the basemap's outline and zones (where they meet), styled,
    and beside it the QGIS project that opens it (same name, ``.qgz``). Returns the GeoPackage's path."""
    crs = next(iter(layers.values())).crs
    layers = {**context_layers(layers), **layers}
    styles = {**STYLES, **species_styles(layers)}
    write_gpkg(layers, path, styles)
    write_project(path, layers, styles, crs)
    return path


def context_layers(layers, folder=BASEMAP):
    """``outline`` and ``zones`` (with ``name``) from the basemap, in the layers' CRS, where they meet it."""
    files = manifest(folder)
    frames = [frame for frame in layers.values() if len(frame)]
    if files is None or not frames:
        return {}
    crs = frames[0].crs
    bounds = np.array([frame.total_bounds for frame in frames])
    box = (*bounds[:, :2].min(axis=0), *bounds[:, 2:].max(axis=0))
    if not covers(pyproj.Transformer.from_crs(crs, 4326, always_xy=True).transform_bounds(*box), folder):
        return {}
    outline = gpd.read_file(folder / files["outline"]).assign(name=files["outline_name"])
    zones = gpd.read_file(folder / files["zones"])
    zones = zones.assign(name=zones[files["zone_field"]])
    return {"outline": outline[["name", "geometry"]].to_crs(crs), "zones": zones[["name", "geometry"]].to_crs(crs)}


def species_styles(layers):
    """``range_protected`` and ``range_gap`` categorised by species: each species' colour (strong where
    protected, faint and dashed in the gap), its common name where known."""
    styles = {}
    for name, base, fill in (("range_protected", RANGE_PROTECTED, 0.55), ("range_gap", RANGE_GAP, 0.12)):
        frame = layers.get(name)
        if frame is None or "species" not in frame.columns:
            continue
        commons = frame["common_name"] if "common_name" in frame.columns else pd.Series("", index=frame.index)
        names = dict(zip(frame["species"], commons.fillna("")))
        categories = tuple(
            (sp, f"{names[sp]} ({sp})" if names[sp] else sp, {**base, "color": c, "fillColor": c, "fillOpacity": fill})
            for sp, c in species_colours(names).items()
        )
        # the layer's own symbol (its legend line) in the first species' colour, as the map's legend draws it
        styles[name] = Style(categories[0][2] if categories else base, STYLES[name].label, "species", categories)
    return styles


def species_column(name, suffix="ha"):
    """A field name from a species name: 'Genus species' -> 'Genus_species_ha'."""
    return "_".join(str(name).split()) + f"_{suffix}"


def coverage_layers(result, zone_field=None, parts=None):
    """``sites`` (flattened, with each species' hectares), ``range_protected`` and ``range_gap``.

    ``zone_field``: a field of ``parts`` (default: the run's range parts) to split ranges by.
    """
    sites = result.sites.copy()
    # by row (j), not by WDPAID: a site held as several parcels gives each parcel row its own hectares
    pairs = result.pairs.assign(species=result.overlay.ranges["sci_name"].to_numpy()[result.pairs["i"]])
    by_row = pairs.pivot_table(index="j", columns="species", values="ha", aggfunc="sum")
    for name in result.species["species"]:
        column = by_row[name] if name in by_row.columns else pd.Series(dtype=float)
        sites[species_column(name)] = column.reindex(range(len(sites))).fillna(0.0).to_numpy()
    union = shapely.union_all(result.sites.geometry.to_numpy())
    parts = result.parts if parts is None else parts
    protected, gap = range_layers(parts, union, zone_field, result.species["species"])
    return {"sites": sites.drop(columns=["priority"], errors="ignore"), "range_protected": protected, "range_gap": gap}


def range_layers(parts, union, zone_field=None, order=()):
    """Each species' range (per zone) inside ``union`` and outside it, species in ``order`` first (the
    report's, which sets their colours), with their ``common_name`` where ``parts`` has one."""
    protected, gap, keys = range_pieces(parts, union, zone_field)
    columns = keys + ["range_ha", "share", "geometry"]
    rename = {"sci_name": "species", "share": "protected_share"}
    rank = {name: k for k, name in enumerate(order)}
    out = []
    for pieces in (protected, gap):
        pieces = pieces[columns].rename(columns=rename)
        pieces = pieces.iloc[np.argsort([rank.get(s, len(rank)) for s in pieces["species"]], kind="stable")]
        if "common_name" in parts.columns:
            commons = parts.drop_duplicates("sci_name").set_index("sci_name")["common_name"]
            pieces.insert(1, "common_name", pieces["species"].map(commons).fillna(""))
        out.append(pieces.reset_index(drop=True))
    return tuple(out)


def scenario_layers(results):
    """``operations`` (each operation's change to the protected land) and ``scenario_gap`` for scenario results."""
    footprints, gaps = [], []
    for result in results:
        crs = result.flat_states[0].crs
        unions = [shapely.union_all(flat.geometry.to_numpy()) for flat in result.flat_states]
        gains = result.operations.pivot_table(
            index="step", columns="species", values="range_gain_ha", aggfunc="sum", sort=False
        )
        steps = result.operations.drop_duplicates("step").set_index("step")
        for step, op in enumerate(result.scenario.operations, start=1):
            before, after = unions[step - 1], unions[step]
            geometry = shapely.difference(before, after) if op.op == "remove" else shapely.difference(after, before)
            row = {
                "scenario": result.name,
                "step": step,
                "operation": op.label,
                "change": op.op,
                "designated_ha": steps.at[step, "designated_ha"],
            }
            row.update({species_column(s, "gain_ha"): gains.at[step, s] for s in gains.columns})
            footprints.append(gpd.GeoDataFrame([row], geometry=[geometry], crs=crs))
        ranges = result.overlay.ranges
        gap = shapely.difference(ranges.geometry.to_numpy(), unions[-1])
        gaps.append(
            gpd.GeoDataFrame(
                {
                    "scenario": result.name,
                    "species": ranges["sci_name"].to_numpy(),
                    "range_ha": result.overlay.range_ha,
                },
                geometry=gap,
                crs=crs,
            )
        )
    layers = {"scenario_gap": pd.concat(gaps, ignore_index=True)}
    if footprints:
        layers["operations"] = pd.concat(footprints, ignore_index=True)
    return layers


def planning_unit_layer(units, chosen):
    """The planning units the chosen candidates cover, with their range hectares per species."""
    picked = units.cover[:, sorted(chosen)].any(axis=1) if len(chosen) else np.zeros(len(units.faces), bool)
    frame = pd.DataFrame(
        {
            "unit": np.flatnonzero(picked) + 1,
            "candidates": [
                "; ".join(label for label, on in zip(units.labels, row) if on) for row in units.cover[picked]
            ],
        }
    )
    for k, name in enumerate(units.species):
        frame[species_column(name)] = units.value[picked, k]
    return {"planning_units": gpd.GeoDataFrame(frame, geometry=units.faces[picked], crs=units.crs)}


def connectivity_nodes(nets, tables, distances, key):
    """The nodes (sites, or their parcels, clipped to each region) with their dECA at each distance.

    ``tables``: site_importance per network and distance, in that order (distances vary fastest); each
    is indexed by node, so a site held as several parcels (one WDPAID) gives every parcel its own dECA.
    """
    frames = []
    for n, net in enumerate(nets):
        ids = [c for c in ("WDPAID", "WDPA_PID", "NAME") if c in net.sites.columns]
        frame = net.sites[[*ids, net.sites.geometry.name]].copy()
        frame.insert(0, key, net.name)
        for k, d in enumerate(distances):
            deca = tables[n * len(distances) + k]["deca"]
            frame[f"deca_{d / 1000:g}km"] = deca.reindex(range(len(frame))).to_numpy()
        frames.append(frame)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry=net.sites.geometry.name, crs=net.sites.crs)
