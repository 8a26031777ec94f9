"""Connectivity in scenarios: ProtConn change per operation, and a linear link count for the optimiser.

``scenario run --distance``: ProtConn (analyses.connectivity) of each species' range after every
operation, against the step before, so an area that adds few hectares but joins two landscapes
shows its worth.

``scenario compare --distance``: ProtConn of each range after each scenario, and its change against
today (the scenario's layers as they stand), as every change in pacov is.

``scenario optimize --connectivity-weight``: ProtConn is not additive over candidates, so the MILP
uses a linear surrogate instead: each candidate's *new links*, the number of existing protected
areas (after the scenario's removals, flattened) within the dispersal distance of it, edge to edge,
that it neither touches nor overlaps (touching is one patch already, not a link). Choosing the
candidate adds weight × new links to the objective, in the objective's units (weighted hectares).
"""

import numpy as np
import pandas as pd
import shapely

from pacov.analyses.connectivity import check_distances, protconn, protconn_columns, range_protconn
from pacov.engine.flatten import erase_overlaps


def operation_protconn(result, distances):
    """Per step ≥ 1 and species: ``protconn_<km>km_gain``, the change in ProtConn (percentage points)."""
    distances = check_distances(distances)
    regions = [(row.sci_name, row.geometry) for row in result.overlay.ranges.itertuples()]
    species = [name for name, _ in regions]
    states = [
        protconn_columns(protconn(flat, regions, distances, key="species"), distances).reindex(species)
        for flat in result.flat_states
    ]
    rows = []
    for step in range(1, len(states)):
        change = (states[step] - states[step - 1]).add_suffix("_gain")
        rows.append(change.rename_axis("species").reset_index().assign(step=step))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["step", "species"])


def compare_protconn(table, results, preps, distances):
    """``table`` (run.compare's) with ``protconn_<km>km`` of each scenario's range and ``…_delta``, the
    change against today's sites (``prep.today_sites``, or the baseline where that is today)."""
    table = table.copy()
    for d in distances:
        for column in ("", "_delta"):
            table[f"protconn_{d / 1000:g}km{column}"] = np.nan
    for result, prep in zip(results, preps):
        rows = (table["scenario"] == result.name).to_numpy()
        species = table.loc[rows, "species"]
        after = protconn_columns(range_protconn(result.final_sites, prep.parts, distances), distances)
        base = prep.sites if prep.today_sites is None else prep.today_sites
        today = protconn_columns(range_protconn(base, prep.parts, distances), distances)
        for column in after.columns:
            table.loc[rows, column] = after[column].reindex(species).to_numpy()
            table.loc[rows, f"{column}_delta"] = (after[column] - today[column]).reindex(species).to_numpy()
    return table


def with_protconn_gain(operations, gains):
    """The operations table with the ProtConn gain columns joined on (step, species)."""
    return operations.merge(gains, on=["step", "species"], how="left")


def new_links(units, distance_m):
    """Per candidate: existing flattened sites within ``distance_m`` of it, edge to edge, not touching it."""
    flat = erase_overlaps(units.sites)[0].geometry.to_numpy()
    tree = shapely.STRtree(flat)
    counts = []
    for geom in units.candidates:
        near = tree.query(geom, predicate="dwithin", distance=distance_m)
        counts.append(int((~shapely.intersects(flat[near], geom)).sum()))
    return np.array(counts)
