"""Overlay species ranges with flattened protected areas: protected hectares and shares.

All inputs are in one equal-area CRS in metres (see project.py); areas are reported in hectares.
The protected area of a range is the sum of its intersections with the flattened (disjoint)
sites, so the breakdowns by site, designation and category add up exactly to that total.
"""

import numpy as np
import pandas as pd
import shapely

from .flatten import SITE_GEOMETRY
from .ranges import dissolve

M2_PER_HA = 1e4
SITE_FIELDS = ["WDPAID", "NAME", "DESIG_ENG", "IUCN_CAT", "STATUS_YR"]


def intersection_areas(left, right):
    """Pairs (i, j, hectares) of intersecting geometries between two arrays, via an STRtree."""
    tree = shapely.STRtree(right)
    i, j = tree.query(left, predicate="intersects")
    area = shapely.area(shapely.intersection(left[i], right[j])) / M2_PER_HA
    return pd.DataFrame({"i": i, "j": j, "ha": area})


def species_coverage(parts, sites, by=()):
    """Per species (and per value of each field in ``by``): range_ha, protected_ha, protected_share."""
    keys = ["sci_name", *by]
    ranges = dissolve(parts, keys)
    geoms = ranges.geometry.to_numpy()
    pairs = intersection_areas(geoms, sites.geometry.to_numpy())
    protected = pairs.groupby("i")["ha"].sum().reindex(range(len(ranges)), fill_value=0.0).to_numpy()
    table = ranges[keys].rename(columns={"sci_name": "species"}).copy()
    table["range_ha"] = shapely.area(geoms) / M2_PER_HA
    table["protected_ha"] = protected
    table["protected_share"] = np.where(table["range_ha"] > 0, protected / table["range_ha"], 0.0)
    return table.reset_index(drop=True)


def site_coverage(parts, sites):
    """Per species and site: the site's area, the range inside it, and its unique (flattened) share.

    ``range_in_site_ha`` counts the range inside the whole site, overlaps included; ``unique_ha``
    counts only what this site adds once higher-priority sites have taken theirs.
    """
    ranges = dissolve(parts)
    geoms = ranges.geometry.to_numpy()
    whole = sites[SITE_GEOMETRY].to_numpy() if SITE_GEOMETRY in sites else sites.geometry.to_numpy()
    gross = intersection_areas(geoms, whole).rename(columns={"ha": "range_in_site_ha"})
    unique = intersection_areas(geoms, sites.geometry.to_numpy()).rename(columns={"ha": "unique_ha"})
    table = gross.merge(unique, on=["i", "j"], how="left").fillna({"unique_ha": 0.0})
    table = table[table["range_in_site_ha"] > 0]
    site_rows = sites.iloc[table["j"]].reset_index(drop=True)
    out = pd.DataFrame({"species": ranges["sci_name"].to_numpy()[table["i"]]})
    for field in SITE_FIELDS:
        out[field] = site_rows[field].to_numpy()
    out["site_ha"] = shapely.area(whole[table["j"]]) / M2_PER_HA
    out["range_in_site_ha"] = table["range_in_site_ha"].to_numpy()
    out["unique_ha"] = table["unique_ha"].to_numpy()
    range_ha = shapely.area(geoms) / M2_PER_HA
    out["share_of_range"] = out["unique_ha"] / range_ha[table["i"].to_numpy()]
    return out.sort_values(["species", "unique_ha", "WDPAID"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def group_coverage(by_site, field):
    """Sum the unique protected hectares of ``site_coverage`` rows by a site field (designation, category…)."""
    grouped = by_site.groupby(["species", field], as_index=False, sort=True).agg(
        protected_ha=("unique_ha", "sum"), share_of_range=("share_of_range", "sum"), sites=("WDPAID", "nunique"))
    return grouped.sort_values(["species", "protected_ha"], ascending=[True, False], kind="stable").reset_index(drop=True)
