"""Coverage through time: the protected estate and each species' share as sites were designated.

Built from STATUS_YR on the cleaned (not yet flattened) sites: for every year in which a site was
designated, the estate is the sites designated up to then, flattened. Sites with no year cannot be
placed in time; they are counted and named in a separate table, never dropped silently (the same
rule as a scenario's ``as_of``, cleaning/status.py). A site is a WDPAID, however many rows hold it.
"""

import pandas as pd
import shapely

from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import M2_PER_HA, RangeOverlay, species_coverage


def timeline(sites, parts):
    """(per-year table: year, sites (WDPAIDs), protected_ha, and each species' share; sites with no year)."""
    dated = sites[sites["STATUS_YR"] > 0]
    undated = sites[sites["STATUS_YR"] <= 0][["WDPAID", "NAME", "DESIG_ENG"]].drop_duplicates("WDPAID")
    undated = undated.reset_index(drop=True)
    overlay = RangeOverlay(parts)  # the ranges are the same every year: dissolved and cut once
    rows = []
    for year in sorted(dated["STATUS_YR"].unique()):
        flat, _ = erase_overlaps(dated[dated["STATUS_YR"] <= year])
        row = {
            "year": int(year),
            "sites": dated.loc[dated["STATUS_YR"] <= year, "WDPAID"].nunique(),
            "protected_ha": shapely.area(flat.geometry.to_numpy()).sum() / M2_PER_HA,
        }
        for r in species_coverage(parts, flat, overlay=overlay).itertuples():
            row[f"{r.species} share"] = r.protected_share
        rows.append(row)
    return pd.DataFrame(rows), undated


def figure(table, title="Protected area and species coverage by year", colours=None, labels=None):
    """A two-panel matplotlib Figure: the estate in million ha, and each species' protected share in
    percent, every species in its own colour: ``colours`` ({species: colour}, the report's and the
    map's, outputs/palette.py) where given, else tab20; named by ``labels`` ({species: label})."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    top.step(table["year"], table["protected_ha"] / 1e6, where="post", color="#238b45")
    top.set_ylabel("protected (million ha)")
    top.set_title(title)
    cycle = matplotlib.colormaps["tab20"].colors
    for k, column in enumerate(c for c in table.columns if c.endswith(" share")):
        name = column.removesuffix(" share")
        bottom.step(
            table["year"],
            100 * table[column],
            where="post",
            label=(labels or {}).get(name, name),
            color=(colours or {}).get(name, cycle[k % len(cycle)]),
            linestyle=("-", "--", ":", "-.")[k // len(cycle) % 4],
        )
    bottom.set_ylabel("share of range protected (%)")
    bottom.set_xlabel("year (STATUS_YR)")
    bottom.legend(fontsize=8)
    fig.tight_layout()
    return fig


def chart(table, path, title="Protected area and species coverage by year", colours=None, labels=None):
    """Write :func:`figure` as a PNG."""
    save_png(figure(table, title, colours, labels), path)


def save_png(fig, path):
    """Write a matplotlib Figure as a PNG atomically (no software stamp: same input, same bytes), and close it."""
    import matplotlib.pyplot as plt

    from pacov.atomic import atomic_path

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
