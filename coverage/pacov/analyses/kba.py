"""Coverage of Key Biodiversity Areas by protected areas (GBF Target 3 component; SDG 15.1.2 / 15.4.1).

Both forms the SDG metadata use: the mean share of each KBA's area that is covered, and the share of
KBAs wholly covered. "Wholly" allows for digitising error the way UNEP-WCMC and BirdLife do: a KBA
more than 98% of whose area lies in protected areas counts as completely protected (docs/gbf.md).
Through time, the estate of a year is the sites with STATUS_YR up to that year; sites with no year
count today only (as in analyses/timeline.py). KBA boundaries are licensed: pacov ships none.
"""

import numpy as np
import pandas as pd
import shapely

from pacov.errors import PacovError

WHOLLY_COVERED = 0.98  # share of a KBA's area above which it counts as wholly covered
COLUMNS = ["year", "n_kba", "mean_covered_share", "wholly_covered_share"]


def covered_shares(sites, kbas):
    """The share (0–1) of each KBA's area inside the union of ``sites`` (both in one equal-area CRS)."""
    union = shapely.union_all(sites.geometry.to_numpy())
    geoms = kbas.geometry.to_numpy()
    return shapely.area(shapely.intersection(geoms, union)) / shapely.area(geoms)


def summary(shares, year=None):
    """One record: how many KBAs, their mean covered share, and the share of them wholly covered."""
    shares = np.asarray(shares, dtype=float)
    return {
        "year": year,
        "n_kba": len(shares),
        "mean_covered_share": float(shares.mean()) if len(shares) else np.nan,
        "wholly_covered_share": float((shares > WHOLLY_COVERED).mean()) if len(shares) else np.nan,
    }


def kba_coverage(sites, kbas, by_year=False, label="KBAs"):
    """The KBA indicator for today (``year`` None, every site); with ``by_year`` one row per STATUS_YR first.

    ``sites``: cleaned sites, flattened or not (they are unioned); ``kbas``: valid polygons, one KBA a
    row, in the sites' equal-area CRS (cleaning/polygons.prepare_polygons).
    """
    if kbas.empty:
        raise PacovError(f"{label}: no KBA polygon with any area; give the KBA polygon layer")
    rows = []
    if by_year:
        dated = sites[sites["STATUS_YR"] > 0]
        for year in sorted(dated["STATUS_YR"].unique()):
            rows.append(summary(covered_shares(dated[dated["STATUS_YR"] <= year], kbas), int(year)))
    rows.append(summary(covered_shares(sites, kbas)))
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": "Int64"})
