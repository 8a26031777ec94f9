"""Find fields by name the way GIS users write them: any case, with known aliases."""

import difflib

from pacov.errors import PacovError


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
