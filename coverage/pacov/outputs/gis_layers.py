"""The GeoPackage layers of each result: where the numbers in the tables lie on the ground.

Every function returns named GeoDataFrames in the run's equal-area CRS, ready for
:func:`pacov.outputs.gpkg.write_gpkg`; ``STYLES`` holds their QGIS styles, in the HTML map's colours.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pacov.engine.flatten import IUCN_ORDER
from pacov.outputs.gpkg import Style
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

STYLES = {
    "sites": Style(
        site_style(""),
        "Other / not reported",
        "IUCN_CAT",
        tuple((c, f"IUCN {c}", site_style(c)) for c in IUCN_ORDER if c in IUCN_COLOURS),
    ),
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
    "corridors": Style(CORRIDOR, "Least-cost corridor"),
}


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
    protected, gap = range_layers(result.parts if parts is None else parts, union, zone_field)
    return {"sites": sites.drop(columns=["priority"], errors="ignore"), "range_protected": protected, "range_gap": gap}


def range_layers(parts, union, zone_field=None):
    """Each species' range (per zone) inside ``union`` and outside it."""
    protected, gap, keys = range_pieces(parts, union, zone_field)
    columns = keys + ["range_ha", "share", "geometry"]
    rename = {"sci_name": "species", "share": "protected_share"}
    return protected[columns].rename(columns=rename), gap[columns].rename(columns=rename)


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
