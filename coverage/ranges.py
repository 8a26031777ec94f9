"""Prepare species ranges for overlay: schema, IUCN code filter, valid polygons, equal-area CRS."""

import difflib

from . import iucn
from .errors import PacovError
from .geometry_types import check_types
from .parallel import SERIAL
from .project import to_equal_area
from .repair import repair_geometry


def prepare_ranges(raw, crs, label="ranges", codes=iucn.DOPA_DEFAULT, species=None, runner=SERIAL):
    """Return the kept range parts, repaired and projected to the equal-area ``crs``.

    ``species`` (names, optional) keeps only those species; an unknown name is an error.
    """
    parts = iucn.normalize(raw, label)
    if species:
        parts = select_species(parts, species, label)
    parts = iucn.filter_codes(parts, **codes)
    parts, _ = check_types(parts, label, allow_points=False)
    parts, _ = repair_geometry(to_equal_area(parts, crs, runner), runner)
    return parts[~parts.geometry.is_empty]


def select_species(parts, names, label):
    known = sorted(parts["sci_name"].unique())
    lookup = {n.lower(): n for n in known}
    for name in names:
        if name.lower() not in lookup:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise PacovError(f"{label}: no species '{name}'{hint}; species there: {', '.join(known)}")
    wanted = {lookup[n.lower()] for n in names}
    return parts[parts["sci_name"].isin(wanted)]


def dissolve(parts, by=("sci_name",)):
    """One row per group (by default, per species): the union of its parts."""
    by = list(by)
    out = parts[by + [parts.geometry.name]].dissolve(by=by, as_index=False, method="unary")
    return out.sort_values(by, kind="stable").reset_index(drop=True)
