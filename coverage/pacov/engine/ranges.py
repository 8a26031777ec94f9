"""Prepare species ranges for overlay: schema, IUCN code filter, valid polygons, equal-area CRS."""

import geopandas as gpd
import pandas as pd
import shapely

from pacov.cleaning.polygons import prepare_polygons
from pacov.errors import PacovError
from pacov.reading import fields, iucn
from pacov.reading.fields import did_you_mean
from pacov.runner import SERIAL, split


def prepare_ranges(raw, crs, label="ranges", codes=iucn.DOPA_DEFAULT, species=None, runner=SERIAL):
    """Return the kept range parts, repaired and projected to the equal-area ``crs``.

    ``species`` (names, optional) keeps only those species; an unknown name is an error.
    """
    parts = iucn.normalize(raw, label)
    if species:
        parts = select_species(parts, species, label)
    parts = iucn.filter_codes(parts, **codes)
    return prepare_polygons(parts, crs, label, runner)


def species_left_out(raw, parts, species=None):
    """Species of the raw layer (those in ``species``, if given) of which no part is left in ``parts``:
    the IUCN code filter or the geometry repair took every polygon of them."""
    column = raw[fields.find(raw.columns, "sci_name", "binomial")]
    names = set(column.dropna().astype(str).str.strip()) - {""}
    if species:
        lookup = {n.lower(): n for n in names}
        names = {lookup[n.lower()] for n in species if n.lower() in lookup}
    return sorted(names - set(parts["sci_name"]))


def select_species(parts, names, label):
    known = sorted(parts["sci_name"].unique())
    lookup = {n.lower(): n for n in known}
    for name in names:
        if name.lower() not in lookup:
            raise PacovError(
                f"{label}: no species '{name}'{did_you_mean(name, known)}; species there: {', '.join(known)}"
            )
    wanted = {lookup[n.lower()] for n in names}
    return parts[parts["sci_name"].isin(wanted)]


def dissolve(parts, by=("sci_name",), runner=SERIAL):
    """One row per group (by default, per species): the union of its parts, groups sorted.

    What geopandas' ``dissolve`` does, with the unions run in chunks by ``runner``.
    """
    by = list(by)
    groups = parts.groupby(by, sort=True).indices
    keys = [key if isinstance(key, tuple) else (key,) for key in groups]
    geoms = parts.geometry.to_numpy()
    members = [geoms[rows] for rows in groups.values()]
    slices = split(len(members), runner)
    unions = [u for chunk in runner.map(union_each, [members[s] for s in slices]) for u in chunk]
    out = pd.DataFrame(keys, columns=by).astype(parts[by].dtypes.to_dict())
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(unions, crs=parts.crs, name=parts.geometry.name), crs=parts.crs)


def union_each(groups):
    """The union of each array of valid geometries (a task). A lone geometry is its own union: the parts
    of a valid multipolygon never overlap (GEOS's union of one 368,000-vertex layer cost 1.6 s)."""
    return [geoms[0] if len(geoms) == 1 else shapely.union_all(geoms) for geoms in groups]
