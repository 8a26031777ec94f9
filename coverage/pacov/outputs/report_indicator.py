"""The national indicator beside the study's official figures and targets, with the gap to each target.

A figure given in hectares gets its share of the region's land as measured here, and a share its
hectares, so every row can be read both ways. The gap is what the computed figure lacks to reach a
target (and, for a planner, what the latest official figure lacks: it counts the whole estate).
"""

import pandas as pd

from pacov.analyses.indicator import land_protected

TITLE = (
    "National indicator: share of the region's land in protected areas, computed from these layers (marine "
    "sites and the sea parts of coastal sites left out), beside the study's official figures and targets. A "
    "figure given in hectares gets its share of the land measured here; a share gets its hectares. gap_ha: "
    "what the computed figure lacks to reach each target; official_gap_ha: what the latest official figure lacks."
)


def figure_record(figure, region_ha):
    area = figure.protected_ha if figure.protected_ha is not None else figure.share * region_ha
    share = figure.share if figure.share is not None else figure.protected_ha / region_ha
    return {"label": figure.label, "protected_ha": area, "share": share, "year": figure.year, "source": figure.source}


def target_record(figure, region_ha, protected_ha, now):
    """A target's record with its gaps (0 once reached) from the computed and the latest official figure."""
    record = figure_record(figure, region_ha)
    record["gap_ha"] = max(0.0, record["protected_ha"] - protected_ha)
    record["official_gap_ha"] = max(0.0, record["protected_ha"] - now["protected_ha"]) if now else None
    return record


def latest(records):
    """The official figure with the latest year (the last given when years tie or are missing)."""
    return max(reversed(records), key=lambda r: r["year"] or 0) if records else None


def indicator(study, result, region):
    """(figures for the JSON and the page, (title, table)) for the study's region."""
    protected_ha, region_ha, counted, marine = land_protected(
        result.sites, region, result.crs, f"region {study.region}"
    )
    official = [figure_record(f, region_ha) for f in study.official]
    now = latest(official)
    targets = [target_record(f, region_ha, protected_ha, now) for f in study.targets]
    figures = {
        "region_ha": region_ha,
        "protected_ha": protected_ha,
        "share": protected_ha / region_ha,
        "sites": counted,
        "marine_sites_left_out": marine,
        "official": official,
        "targets": targets,
    }
    return figures, (TITLE, indicator_frame(figures))


def indicator_frame(figures):
    computed = {
        "indicator": "Computed by pacov from these layers (flattened, equal-area)",
        "kind": "computed",
        "year": None,
        "protected_ha": figures["protected_ha"],
        "share": figures["share"],
        "source": f"{figures['sites']} sites cut to the region ({figures['region_ha']:,.0f} ha)"
        + (f"; {figures['marine_sites_left_out']} marine sites left out" if figures["marine_sites_left_out"] else ""),
    }
    rows = [computed]
    rows += [{"indicator": r["label"], "kind": "official", **r} for r in figures["official"]]
    rows += [{"indicator": r["label"], "kind": "target", **r} for r in figures["targets"]]
    columns = ["indicator", "kind", "year", "protected_ha", "share", "gap_ha", "official_gap_ha", "source"]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["year"] = table["year"].astype("Int64")
    return table
