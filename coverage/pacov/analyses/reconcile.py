"""Reported versus mapped area: each site's REP_AREA against its computed equal-area size.

The data-quality check an analyst makes before trusting a coverage figure: a large mismatch means
a wrong boundary, a partial polygon, a serial site, or a typo in the reported figure.
"""

import numpy as np
import pandas as pd
import shapely

from pacov.engine.overlay import M2_PER_HA


def reconcile(sites, threshold=0.10):
    """Per site (WDPAID, however many rows hold it: REP_AREA is the whole site's): reported and mapped
    hectares, relative difference, and a flag over ``threshold``."""
    sites = sites.dissolve(by="WDPAID", aggfunc="first", sort=True).reset_index()
    out = sites[["WDPAID", "NAME", "DESIG_ENG", "STATUS"]].copy()
    out["reported_ha"] = sites["REP_AREA"].to_numpy() * 100.0
    out["mapped_ha"] = shapely.area(sites.geometry.to_numpy()) / M2_PER_HA
    with np.errstate(divide="ignore", invalid="ignore"):
        out["difference_share"] = (out["mapped_ha"] - out["reported_ha"]) / out["reported_ha"]
    drawn_from_report = sites["geometry_source"].eq("point")
    out["check"] = np.select(
        [out["reported_ha"].isna(), drawn_from_report, out["difference_share"].abs() > threshold],
        ["no reported area", "point site: drawn from REP_AREA", f"differs by more than {threshold:.0%}"],
        "ok",
    )
    return pd.DataFrame(out).sort_values(["check", "WDPAID"], kind="stable").reset_index(drop=True)
