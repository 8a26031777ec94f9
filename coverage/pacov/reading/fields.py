"""Find fields by name the way GIS users write them: any case, with known aliases."""

import difflib

import pandas as pd

from pacov.errors import PacovError

ID_FIELDS = ("WDPAID", "SITE_ID", "sci_name", "binomial", "NAME", "name", "id")


def find(columns, *names):
    """The first column matching one of ``names`` (case-insensitive), or None."""
    lower = {str(c).lower(): c for c in columns}
    for name in names:
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def did_you_mean(word, choices):
    """' (did you mean 'x'?)' for the closest of ``choices`` to ``word``, or '' when none is close."""
    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def require(columns, label, *names, hint=""):
    """Like :func:`find` but a missing field is a clear error listing near misses."""
    found = find(columns, *names)
    if found is None:
        candidates = [str(c) for c in columns if c != "geometry"]
        raise PacovError(
            f"{label}: no field {' or '.join(names)}{did_you_mean(names[0], candidates)}; "
            f"fields found: {', '.join(candidates) or 'none'}" + (f"; {hint}" if hint else "")
        )
    return found


def feature_number(frame, position):
    """The number of the row at ``position`` as QGIS and ogrinfo count features: from 1, in file order.

    An integer index is the row's place in the file (reading keeps it through filters, and a layer read
    in chunks out of core keeps the file's numbering), so it counts; any other index counts by position.
    """
    label = frame.index[position]
    return int(label) + 1 if pd.api.types.is_integer_dtype(frame.index) else int(position) + 1


def feature(frame, position):
    """'feature N' (see :func:`feature_number`), with the row's id or name when the layer has one."""
    number = feature_number(frame, position)
    for field in ID_FIELDS:
        if field in frame.columns:
            return f"feature {number} ({field} {frame[field].iloc[position]})"
    return f"feature {number}"
