"""Recognise the WDPA attribute schema (legacy, November 2025, or the 2026 WDPCA) and bring it to one set of names.

Legacy files name sites WDPAID/WDPA_PID with PA_DEF, MARINE and PARENT_ISO3 (PARENT_ISO in
shapefiles); the November 2025 release renamed them SITE_ID/SITE_PID/SITE_TYPE/REALM/PRNT_ISO3.
The WDPCA (WDPA and WD-OECM merged, 2026) keeps those and names the site NAME_ENG, its original
name NAME (Protected Planet's own importer, docs/gbf.md). pacov works on the legacy names, which
most published methods (wdpar, UNEP-WCMC) refer to, and adds SITE_TYPE ('PA' or 'OECM') to every
schema: GBF Target 3 counts both, and reports each apart.
"""

import numpy as np
import pandas as pd

from pacov.cleaning import cleanlog
from pacov.errors import PacovError
from pacov.reading import fields

RENAMES_2025 = {"SITE_ID": "WDPAID", "SITE_PID": "WDPA_PID", "PRNT_ISO3": "PARENT_ISO3"}
RENAMES_WDPCA = {**RENAMES_2025, "NAME": "ORIG_NAME", "NAME_ENG": "NAME"}
SITE_TYPES = ("PA", "OECM")
PA_DEF_TO_SITE_TYPE = {1: "PA", 0: "OECM"}  # legacy PA_DEF: 1 meets the protected-area definition, 0 an OECM
REALM_TO_MARINE = {"terrestrial": 0, "coastal": 1, "marine": 2}
DEFAULTS = {
    "DESIG_ENG": "Not Reported",
    "DESIG_TYPE": "Not Reported",
    "IUCN_CAT": "Not Reported",
    "ISO3": "",
    "STATUS_YR": 0,
    "REP_AREA": np.nan,
}


def schema_of(gdf):
    """'wdpca', 'wdpa-2025' or 'wdpa-legacy', from the id and name fields present."""
    if fields.find(gdf.columns, "SITE_ID") is not None:
        return "wdpca" if fields.find(gdf.columns, "NAME_ENG") is not None else "wdpa-2025"
    if fields.find(gdf.columns, "WDPAID") is not None:
        return "wdpa-legacy"
    return None


def normalize(gdf, label):
    """Return a copy with canonical WDPA columns and types, plus a log of values that were repaired.

    Required: an id (WDPAID or SITE_ID), NAME and STATUS. Missing optional fields get WDPA's own
    'Not Reported'; a missing year is 0 and a missing or non-positive REP_AREA is NaN (both logged).
    """
    schema = schema_of(gdf)
    if schema is None:
        fields.require(
            gdf.columns, label, "WDPAID", "SITE_ID", hint="give a WDPA-schema layer (see README: Using real data)"
        )
    out = gdf.copy()
    table = {"wdpa-2025": RENAMES_2025, "wdpca": RENAMES_WDPCA}.get(schema, {})
    renames = {}
    for col in out.columns:
        upper = str(col).upper()
        if upper in table:
            renames[col] = table[upper]
        elif col != "geometry" and upper != col and upper not in out.columns:
            renames[col] = upper
    out = out.rename(columns=renames)
    if "PARENT_ISO" in out.columns and "PARENT_ISO3" not in out.columns:
        out = out.rename(columns={"PARENT_ISO": "PARENT_ISO3"})
    out["SITE_TYPE"] = _site_types(out, label)
    out["PA_DEF"] = np.where(out["SITE_TYPE"] == "OECM", 0, 1)
    if schema != "wdpa-legacy":
        if "REALM" in out.columns:
            out["MARINE"] = out["REALM"].astype(str).str.lower().map(REALM_TO_MARINE).fillna(0).astype(int)
    for name in ("NAME", "STATUS"):
        fields.require(out.columns, label, name)
    for name, default in DEFAULTS.items():
        if name not in out.columns:
            out[name] = default
    out["WDPAID"] = _site_ids(out["WDPAID"], label)
    out["NAME"] = out["NAME"].fillna("").astype(str)
    out["STATUS"] = out["STATUS"].fillna("Not Reported").astype(str).str.strip()
    out["IUCN_CAT"] = out["IUCN_CAT"].fillna("Not Reported").astype(str).str.strip()
    out["DESIG_ENG"] = out["DESIG_ENG"].fillna("Not Reported").astype(str).str.strip()
    year = pd.to_numeric(out["STATUS_YR"], errors="coerce")
    area = pd.to_numeric(out["REP_AREA"], errors="coerce")
    log = cleanlog.combine(
        [
            cleanlog.entries(
                out[year.isna() & out["STATUS_YR"].notna()],
                "read",
                "changed",
                "STATUS_YR is not a number; treated as unknown (0)",
            ),
            cleanlog.entries(out[area <= 0], "read", "changed", "REP_AREA is zero or negative; treated as unknown"),
        ]
    )
    out["STATUS_YR"] = year.fillna(0).astype(int)
    out["REP_AREA"] = area.where(area > 0)
    return out, log


def _site_types(sites, label):
    """'PA' or 'OECM' per site, from SITE_TYPE (2025, WDPCA) or PA_DEF (legacy); neither field: every
    site is a PA (a national layer of protected areas). Any other value is an error naming the feature."""
    if "SITE_TYPE" in sites.columns:
        field, types = "SITE_TYPE", sites["SITE_TYPE"].astype(str).str.strip().str.upper()
    elif "PA_DEF" in sites.columns:
        field, codes = "PA_DEF", pd.to_numeric(sites["PA_DEF"], errors="coerce")
        types = codes.map(PA_DEF_TO_SITE_TYPE)
    else:
        return pd.Series("PA", index=sites.index)
    bad = ~types.isin(SITE_TYPES)
    if bad.any():
        feature = sites.index[bad][0]
        raise PacovError(
            f"{label}: feature {feature} has {field} '{sites.loc[feature, field]}'; "
            + ("SITE_TYPE must be PA or OECM" if field == "SITE_TYPE" else "PA_DEF must be 1 (PA) or 0 (OECM)")
        )
    return types


def _site_ids(series, label):
    """WDPAIDs as int64; a missing or non-integer id is an error naming the feature."""
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() | (values % 1 != 0)
    if bad.any():
        first = np.flatnonzero(bad)[0]
        number = fields.feature_number(series, first)
        raise PacovError(f"{label}: feature {number} has WDPAID '{series.iloc[first]}'; every site needs an integer id")
    return values.astype("int64")
