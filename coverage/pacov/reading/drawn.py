"""Proposals drawn by hand (in QGIS): polygons with an id or a name, and no WDPA fields.

A planner draws a polygon and saves it with just a name. Such a layer becomes a WDPA-schema
proposal layer: WDPAID generated, STATUS Proposed, IUCN_CAT and DESIG_ENG Not Reported, NAME from
the name field (else the id). Each default is logged, because each is a guess a planner may
want to replace with the real value before a figure leaves the office.
"""

import logging

import pandas as pd

from pacov.errors import PacovError
from pacov.reading import fields, wdpa

log = logging.getLogger(__name__)
FIRST_ID = 1_000_000_001  # above every WDPAID issued so far (about 5.6e8), so a drawn id never meets a real one
NAME_FIELDS = ("NAME", "name", "label", "title")
ID_FIELDS = ("PROPOSAL_ID", "id", "fid", "name", "NAME")


def is_drawn(gdf):
    """True when a layer has no WDPA id field: a hand-drawn proposal layer."""
    return wdpa.schema_of(gdf) is None


def names_each(values):
    """Whether a field is filled in and different for every polygon (so it can name each)."""
    return values.notna().all() and values.astype(str).str.strip().ne("").all() and values.astype(str).is_unique


def is_id_name(gdf, column):
    """Whether ``column`` is one of ID_FIELDS (an id by its name, not a field that merely differs)."""
    return column in {fields.find(gdf.columns, n) for n in ID_FIELDS}


def id_field_of(gdf, label):
    """The field that names each drawn polygon: the first of ID_FIELDS, else of any field, that is
    filled in and different for every polygon."""
    attributes = [c for c in gdf.columns if c != gdf.geometry.name]
    preferred = [fields.find(attributes, n) for n in ID_FIELDS]
    for column in dict.fromkeys([c for c in preferred if c is not None] + attributes):
        if names_each(gdf[column]):
            return column
    raise PacovError(
        f"{label}: give each drawn polygon a unique id or name (a field such as 'name' or 'id', filled in for "
        f"every polygon); fields now: {', '.join(map(str, attributes)) or 'none'}"
    )


def as_proposals(gdf, label):
    """A WDPA-schema copy of a drawn layer (geometry and an id or name field), each default logged."""
    id_field = id_field_of(gdf, label)
    out = gdf.copy()
    name_field = fields.find(out.columns, *NAME_FIELDS) or id_field
    ids = pd.Series(range(FIRST_ID, FIRST_ID + len(out)), index=out.index)
    out["WDPAID"] = ids
    out["NAME"] = out[name_field].astype(str)
    out["STATUS"] = "Proposed"
    defaults = [
        f"WDPAID generated ({FIRST_ID}–{FIRST_ID + len(out) - 1})",
        f"NAME taken from '{name_field}'",
        "STATUS set to Proposed",
    ]
    for name in ("IUCN_CAT", "DESIG_ENG"):
        if fields.find(out.columns, name) is None:
            out[name] = "Not Reported"
            defaults.append(f"{name} set to Not Reported")
    for default in defaults:
        log.warning("%s: no WDPA fields (a drawn layer): %s", label, default)
    return out
