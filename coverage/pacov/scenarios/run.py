"""Run scenarios: the baseline, then each operation in order, with coverage after every step.

Per species: protected hectares and share, and the change against today: the scenario's layers as
they stand (every site, the default statuses), whatever baseline (``as_of = 2024``, other statuses)
the scenario starts from, so every change pacov shows has one reference. The scenario's own baseline
is kept beside it (``baseline_species``, named by ``baseline_label``) for a separate, labelled line.
Per operation: hectares newly designated (growth of the protected union, so overlaps with existing
or earlier-added areas count once) and hectares of each species' range newly protected.
"""

from dataclasses import dataclass

import pandas as pd
import pyproj
import shapely

from pacov.analyses.gaps import gap_table
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.cleaning.project import auto_equal_area_crs, require_crs
from pacov.cleaning.status import BASELINE_STATUSES
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import M2_PER_HA, RangeOverlay, species_coverage
from pacov.engine.ranges import prepare_ranges
from pacov.reading.read import read_layer
from pacov.scenarios.operations import LayerCache, apply
from pacov.scenarios.scenario_file import load_scenario


@dataclass
class Prepared:
    """A scenario's inputs, cleaned and projected once, ready for operations."""

    scenario: object
    sites: object
    parts: object
    cache: LayerCache
    today_sites: object = None  # today's sites where the scenario's baseline is another (else None)


@dataclass
class ScenarioResult:
    name: str
    species: pd.DataFrame  # scenario, species, range_ha, protected_ha, protected_share, delta_ha, delta_pp (vs today)
    operations: (
        pd.DataFrame
    )  # step, operation, designated_ha, species, range_gain_ha, range_ha_per_ha_designated (efficiency)
    final_sites: object
    flat_states: list  # flattened sites: the baseline, then after each operation (for maps and GeoPackages)
    baseline_species: pd.DataFrame  # range_ha, protected_ha, protected_share of the baseline
    overlay: RangeOverlay  # the ranges, dissolved and cut once
    scenario: object  # the Scenario that was run
    today_species: pd.DataFrame = None  # range_ha, protected_ha, protected_share today (the reference)
    baseline_label: str | None = None  # what the scenario's own baseline is, where it is not today


def baseline_label(sc):
    """How a scenario's own baseline reads where it differs from today ("the 2024 estate"), else None."""
    statuses = tuple(sc.statuses) != tuple(BASELINE_STATUSES)
    if sc.as_of is None and not statuses:
        return None
    year = f"the {sc.as_of} estate" if sc.as_of is not None else "the scenario's baseline"
    return year + (f" (statuses {', '.join(sc.statuses)})" if statuses else "")


def prepare(scenario, crs=None):
    """Read and clean a scenario's baseline layers (not flattened) in an equal-area CRS."""
    sc = load_scenario(scenario) if not hasattr(scenario, "operations") else scenario
    raw_pa = require_crs(read_layer(sc.protected, f"scenario {sc.path}: protected"), f"{sc.protected}")
    raw_r = require_crs(read_layer(sc.ranges, f"scenario {sc.path}: ranges"), f"{sc.ranges}")
    crs = pyproj.CRS(crs) if crs else auto_equal_area_crs(raw_pa, raw_r)
    options = CleanOptions(statuses=sc.statuses, as_of=sc.as_of, flatten=False)
    sites, _ = clean_protected_areas(raw_pa, crs, f"{sc.protected}", options)
    today = None
    if baseline_label(sc) is not None:
        today, _ = clean_protected_areas(raw_pa, crs, f"{sc.protected}", CleanOptions(flatten=False))
    parts = prepare_ranges(raw_r, crs, f"{sc.ranges}")
    return Prepared(sc, sites, parts, LayerCache(crs), today)


def state_coverage(overlay, sites):
    """Species coverage (ranges of a RangeOverlay) of an unflattened site layer, and its union's area (ha)."""
    return flat_coverage(overlay, erase_overlaps(sites)[0])


def flat_coverage(overlay, flat):
    """Species coverage of a flattened site layer, and its union's area (ha)."""
    return species_coverage(None, flat, overlay=overlay), shapely.area(flat.geometry.to_numpy()).sum() / M2_PER_HA


def run(scenario, crs=None):
    """Run one scenario file (or loaded Scenario) and return its tables."""
    return run_prepared(prepare(scenario, crs))


def run_prepared(prep):
    """Run a prepared scenario's operations in order, with coverage after each."""
    sc = prep.scenario
    sites = prep.sites
    overlay = RangeOverlay(prep.parts)  # ranges do not change: dissolved and cut once for every step
    flat_states = [erase_overlaps(sites)[0]]
    before, union_ha = flat_coverage(overlay, flat_states[0])
    baseline = before
    op_rows = []
    for step, op in enumerate(sc.operations, start=1):
        sites = apply(op, sites, prep.cache, sc, f"scenario {sc.path}: operation {step}")
        flat_states.append(erase_overlaps(sites)[0])
        after, new_union_ha = flat_coverage(overlay, flat_states[-1])
        designated = new_union_ha - union_ha
        for b, a in zip(before.itertuples(), after.itertuples()):
            gain = a.protected_ha - b.protected_ha
            op_rows.append(
                {
                    "step": step,
                    "operation": op.label,
                    "designated_ha": designated,
                    "species": a.species,
                    "range_gain_ha": gain,
                    "range_ha_per_ha_designated": gain / designated if designated > 0 else 0.0,
                }
            )
        before, union_ha = after, new_union_ha
    today = baseline if prep.today_sites is None else state_coverage(overlay, prep.today_sites)[0]
    table = before.copy()
    table.insert(0, "scenario", sc.name)
    table["delta_ha"] = table["protected_ha"] - today["protected_ha"].to_numpy()
    table["delta_pp"] = 100 * (table["protected_share"] - today["protected_share"].to_numpy())
    ops = pd.DataFrame(
        op_rows,
        columns=["step", "operation", "designated_ha", "species", "range_gain_ha", "range_ha_per_ha_designated"],
    )
    ops.insert(0, "scenario", sc.name)
    return ScenarioResult(sc.name, table, ops, sites, flat_states, baseline, overlay, sc, today, baseline_label(sc))


def compare(results):
    """Stack scenario tables, each with its change against today (run_prepared's ``delta_*``), and
    each species' gap status per scenario."""
    rows = []
    for result in results:
        table = result.species.copy()
        gaps = gap_table(table)
        table["shortfall_ha"], table["gap_status"] = gaps["shortfall_ha"].to_numpy(), gaps["status"].to_numpy()
        rows.append(table)
    return pd.concat(rows, ignore_index=True)
