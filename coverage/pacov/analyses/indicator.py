"""The national indicator: the share of a country's land area inside protected areas.

This is the figure governments report (and Kunming-Montreal GBF Target 3 sets at 30% by 2030):
protected land over land, each hectare counted once. Sites coded as wholly marine (WDPA ``MARINE``
2) are left out and every other site is cut to the land outline, so the sea parts of coastal sites
(a coastal country's sea) do not inflate a land indicator.
"""

import pandas as pd
import shapely

from pacov.engine.clip import outline_shape
from pacov.engine.overlay import M2_PER_HA

MARINE_REALM = 2  # WDPA MARINE: 0 terrestrial, 1 coastal, 2 marine


def not_marine(sites):
    """The sites a land indicator counts: all but those coded wholly marine (MARINE 2)."""
    if "MARINE" not in sites:
        return sites
    return sites[~sites["MARINE"].fillna(0).astype(int).eq(MARINE_REALM)]


def land_protected(sites, outline, crs, label="land outline"):
    """(protected land ha, land ha, sites counted, marine sites left out) in the equal-area ``crs``.

    ``sites`` are cleaned sites in ``crs`` (flattened or not: they are unioned here).
    """
    land = outline_shape(outline, crs, label)
    counted = not_marine(sites)
    protected = shapely.intersection(shapely.union_all(counted.geometry.to_numpy()), land)
    return shapely.area(protected) / M2_PER_HA, shapely.area(land) / M2_PER_HA, len(counted), len(sites) - len(counted)


def indicator_table(sites, outline, crs, official=(), label="land outline"):
    """The computed indicator as the first row, then ``official`` rows (indicator, area_ha, share, source, note)."""
    protected_ha, land_ha, counted, marine = land_protected(sites, outline, crs, label)
    computed = {
        "indicator": "Protected land, computed by pacov from these layers (flattened, equal-area)",
        "area_ha": protected_ha,
        "share": protected_ha / land_ha,
        "source": f"{counted} sites cut to the land outline ({land_ha:,.0f} ha)"
        + (f"; {marine} marine sites left out" if marine else ""),
    }
    return pd.DataFrame([computed, *official], columns=["indicator", "area_ha", "share", "source"])
