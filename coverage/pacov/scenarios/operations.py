"""Apply scenario operations to a protected-area layer: add proposals, expand a site, remove (PADDD).

All frames are cleaned sites in one equal-area CRS, not yet flattened: flattening after the
operations is what guarantees that a proposal overlapping an existing area, two overlapping
proposals, or an expansion over a neighbour never count a hectare twice.
"""

import difflib

import geopandas as gpd
import pandas as pd
import shapely

from pacov.cleaning.polygons import prepare_polygons
from pacov.cleaning.project import require_crs
from pacov.errors import PacovError
from pacov.reading import drawn, fields, wdpa
from pacov.reading.fields import did_you_mean
from pacov.reading.read import read_layer

BUFFER_SEGMENTS = 64  # per quarter circle: a buffer's corners lose < 0.01% of their area


class LayerCache:
    """Proposal, mask and removal layers read once, cleaned and projected to the scenario's CRS."""

    def __init__(self, crs):
        self.crs = crs
        self._layers = {}

    def get(self, path, where, sites_schema=True):
        key = (str(path), sites_schema)
        if key not in self._layers:
            raw = require_crs(read_layer(path, f"{where}: layer"), f"{where}: layer {path}")
            label = f"{where}: layer {path}"
            self._layers[key] = (
                proposal_sites(raw, self.crs, label) if sites_schema else prepare_polygons(raw, self.crs, label)
            )
        return self._layers[key]


def proposal_sites(raw, crs, label):
    """A proposal layer as sites in ``crs``: a drawn layer (an id or name only) given WDPA defaults first."""
    if drawn.is_drawn(raw):
        raw = drawn.as_proposals(raw, label)
    raw, _ = wdpa.normalize(raw, label)
    return prepare_polygons(raw, crs, label)


def lookup(layer, id_field, ids, where):
    """Rows of ``layer`` whose ``id_field`` (any case: reading upper-cases WDPA-like names) is one of ``ids``;
    an unknown id is an error with choices."""
    if fields.find(layer.columns, id_field) is None:
        raise PacovError(f"{where}: the layer has no field '{id_field}'; set id_field")
    id_field = fields.find(layer.columns, id_field)
    known = {str(v): v for v in layer[id_field]}
    for wanted in ids:
        if str(wanted) not in known:
            raise PacovError(
                f"{where}: no {id_field} '{wanted}'{did_you_mean(wanted, known)}; valid ids: {', '.join(sorted(known))}"
            )
    return layer[layer[id_field].astype(str).isin([str(i) for i in ids])]


def site_row(sites, site, where):
    rows = sites[sites["WDPAID"] == site]
    if rows.empty:
        named = sites.drop_duplicates("WDPAID")
        close = difflib.get_close_matches(str(site), [str(i) for i in named["WDPAID"]], n=1)
        hint = (
            f" (did you mean {close[0]}, {named.set_index(named['WDPAID'].astype(str)).at[close[0], 'NAME']}?)"
            if close
            else ""
        )
        raise PacovError(f"{where}: no site with WDPAID {site} in the baseline{hint}")
    return rows


def candidate_geometry(op, sites, cache, scenario, where):
    """The land an add or expand operation would newly designate (before flattening)."""
    if op.op == "add":
        layer = cache.get(op.layer or scenario.proposals or _missing(where), where)
        return shapely.union_all(lookup(layer, op.id_field, op.ids, where).geometry.to_numpy())
    parent = shapely.union_all(site_row(sites, op.site, where).geometry.to_numpy())
    if op.by is not None:
        layer = cache.get(op.layer or scenario.proposals or _missing(where), where)
        grown = shapely.union_all(lookup(layer, op.id_field, [op.by], where).geometry.to_numpy())
    else:
        grown = shapely.difference(shapely.buffer(parent, op.buffer_m, quad_segs=BUFFER_SEGMENTS), parent)
    if op.mask is not None:
        mask = cache.get(op.mask, where, sites_schema=False)
        grown = shapely.intersection(grown, shapely.union_all(mask.geometry.to_numpy()))
    if shapely.area(grown) <= 0:
        raise PacovError(
            f"{where}: the expansion adds no area (its polygon or buffer lies inside the site"
            f"{' or outside the mask' if op.mask is not None else ''}); check 'by', 'buffer_m' and 'mask'"
        )
    return grown


def apply(op, sites, cache, scenario, where):
    """Return the sites after ``op``."""
    if op.op == "add":
        layer = cache.get(op.layer or scenario.proposals or _missing(where), where)
        added = lookup(layer, op.id_field, op.ids, where).copy()
        added = added[[c for c in sites.columns if c in added.columns]]
        added["STATUS"] = "Designated (scenario)"
        return gpd.GeoDataFrame(
            pd.concat([sites, added], ignore_index=True), geometry=sites.geometry.name, crs=sites.crs
        )
    rows = site_row(sites, op.site, where)
    out = sites.copy()
    if op.op == "expand":
        grown = candidate_geometry(op, sites, cache, scenario, where)
        # the new land joins one row: a site held as several parcels would otherwise carry it on each
        first = rows.index[0]
        out.loc[[first], out.geometry.name] = shapely.union(rows.geometry.to_numpy()[:1], grown)
        return out
    if op.polygon is None:
        return out.drop(index=rows.index)
    cut = shapely.union_all(cache.get(op.polygon, where, sites_schema=False).geometry.to_numpy())
    out.loc[rows.index, out.geometry.name] = shapely.difference(rows.geometry.to_numpy(), cut)
    return out


def _missing(where):
    raise PacovError(f"{where}: no layer to take ids from; give 'layer' or a [proposals] table")
