"""Read IUCN Red List range polygons and filter them by presence, origin and seasonality codes.

Red List files name the species ``sci_name`` (older downloads: ``binomial``) and code each polygon
with presence (1–7), origin (1–6) and seasonal (1–5). The DOPA/UNEP-WCMC default keeps extant and
probably extant (presence 1–2), native and reintroduced (origin 1–2), resident, breeding and
non-breeding (seasonal 1–3) parts.
"""

import numpy as np
import pandas as pd

from pacov.errors import PacovError
from pacov.reading import fields

CODE_RANGES = {"presence": range(1, 8), "origin": range(1, 7), "seasonal": range(1, 6)}
DOPA_DEFAULT = {"presence": (1, 2), "origin": (1, 2), "seasonal": (1, 2, 3)}


def normalize(gdf, label):
    """Copy with a ``sci_name`` column and integer code columns; bad codes are errors naming the feature."""
    out = gdf.copy()
    name_col = fields.require(
        out.columns,
        label,
        "sci_name",
        "binomial",
        hint="give an IUCN Red List range layer (see README: Using real data)",
    )
    out = out.rename(columns={name_col: "sci_name"})
    nameless = out["sci_name"].isna() | (out["sci_name"].astype(str).str.strip() == "")
    if nameless.any():
        number = fields.feature_number(out, np.flatnonzero(nameless)[0])
        raise PacovError(f"{label}: feature {number} has no species name in {name_col}; fill it or remove it")
    out["sci_name"] = out["sci_name"].astype(str).str.strip()
    for code, valid in CODE_RANGES.items():
        col = fields.require(out.columns, label, code, hint="Red List ranges carry presence, origin and seasonal codes")
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() | ~values.isin(list(valid))
        if bad.any():
            first = np.flatnonzero(bad)[0]
            raise PacovError(
                f"{label}: {fields.feature(out, first)} has {code} "
                f"'{out[col].iloc[first]}'; valid codes are {valid.start}–{valid.stop - 1}"
            )
        out = out.drop(columns=col) if col != code else out
        out[code] = values.astype(int)
    return out


def filter_codes(
    ranges, presence=DOPA_DEFAULT["presence"], origin=DOPA_DEFAULT["origin"], seasonal=DOPA_DEFAULT["seasonal"]
):
    """Keep the range parts whose codes are all in the given sets (as DOPA does for coverage)."""
    keep = ranges["presence"].isin(presence) & ranges["origin"].isin(origin) & ranges["seasonal"].isin(seasonal)
    return ranges[keep].copy()


def common_names(frame):
    """{scientific name: common name} from a ranges layer's ``common_name`` field, where it has one."""
    if "common_name" not in frame.columns:
        return {}
    named = frame[frame["common_name"].notna() & (frame["common_name"].astype(str).str.strip() != "")]
    return dict(zip(named["sci_name"], named["common_name"].astype(str).str.strip()))
