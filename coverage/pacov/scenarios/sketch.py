"""Score sketched proposals against a study's baseline, touching only the land under each sketch.

``pacov scenario run`` flattens every site again after each operation and overlays every range piece.
A planner drawing on a map needs the answer in a blink, so the :class:`Evaluator` computes the
baseline once, and then for each addition only what it newly designates: the sketch less the
baseline sites and earlier additions under it. Those hectares are disjoint from everything counted
before, so coverage after = baseline + the sum of their overlaps with the range pieces under them,
the same figures as ``scenario run`` (each hectare counted once) at a cost that grows with the sketch.
ProtConn is a property of the whole network; only the sites under the sketches are flattened again.
"""

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pacov.analyses.connectivity import protconn
from pacov.analyses.gaps import gap_table
from pacov.analyses.indicator import MARINE_REALM, land_protected
from pacov.cleaning.polygons import prepare_polygons
from pacov.engine.clip import outline_shape
from pacov.engine.flatten import clip_to_frames, erase_overlaps
from pacov.engine.overlay import M2_PER_HA, RangeOverlay
from pacov.engine.subdivide import subdivide_all
from pacov.errors import PacovError
from pacov.reading.iucn import common_names
from pacov.reading.read import read_layer
from pacov.scenarios.operations import lookup, proposal_sites
from pacov.scenarios.run import flat_coverage, prepare
from pacov.scenarios.scenario_file import Scenario

SKETCH_ID = "name"  # the field holding each sketch's id: `scenario new` reads drawn layers by it


@dataclass(frozen=True)
class Addition:
    """One candidate or sketch in the equal-area CRS: all of it, its land-counted part, its site rows."""

    id: str
    kind: str  # "candidate" or "sketch"
    geometry: object
    land_geometry: object  # the part the land indicator counts (wholly marine sites are left out), or None
    rows: gpd.GeoDataFrame


def baseline_scenario(study):
    """The scenario `scenario new` would write for this study: today's sites, no operation yet."""
    proposals = Path(study.proposals) if study.proposals else None
    return Scenario(
        path=study.path,
        name="sketch",
        description=f"{study.name}: sketches on today's baseline",
        protected=Path(study.protected),
        ranges=Path(study.ranges),
        proposals=proposals,
        proposal_id_field=study.proposal_id_field,
    )


class Evaluator:
    """A study's baseline, computed once, and the scoring of any set of sketches and candidates on it."""

    def __init__(self, study):
        self.study = study
        prep = prepare(baseline_scenario(study))
        self.scenario, self.cache, self.crs = prep.scenario, prep.cache, prep.cache.crs
        self.sites = prep.sites.reset_index(drop=True)
        self.site_geoms = self.sites.geometry.to_numpy()
        self.marine = self._marine(self.sites)
        self.site_tree = shapely.STRtree(self.site_geoms)
        self.overlay = RangeOverlay(prep.parts)
        self.piece_tree = shapely.STRtree(self.overlay.pieces)
        self.flat = erase_overlaps(self.sites)[0]
        self.baseline, self.union_ha = flat_coverage(self.overlay, self.flat)
        self.species = list(self.baseline["species"])
        self.common = common_names(prep.parts)
        region = read_layer(study.region, f"study {study.path}: region")
        self.land = outline_shape(region, self.crs, f"study {study.path}: region {study.region}")
        self.land_pieces = subdivide_all(np.array([self.land], dtype=object))[0]
        self.land_tree = shapely.STRtree(self.land_pieces)
        self.land_ha, self.region_ha = land_protected(self.sites, region, self.crs)[:2]
        self.candidates = self.cache.get(study.proposals, f"study {study.path}: proposals") if study.proposals else None
        self.regions = self._protconn_regions()
        self.protconn_base = self._protconn(self.flat)

    @staticmethod
    def _marine(frame):
        if "MARINE" not in frame:
            return np.zeros(len(frame), dtype=bool)
        return frame["MARINE"].fillna(0).astype(int).eq(MARINE_REALM).to_numpy()

    def _protconn_regions(self):
        """ProtConn's regions: the study region, then the focal species' range when the study names one."""
        regions = [(self.study.name, self.land)]
        ranges = self.overlay.ranges
        focal = ranges[ranges["sci_name"] == self.study.focal]
        return regions + [(self.study.focal, shapely.union_all(focal.geometry.to_numpy()))] * (len(focal) > 0)

    def _protconn(self, flat):
        table = protconn(flat, self.regions, self.study.distances_m)
        return table[["region", "distance_m", "protconn"]].reset_index(drop=True)

    def candidate_ids(self):
        """The study's candidate proposals as (id, name) pairs, in the layer's order."""
        if self.candidates is None:
            return []
        field = next(c for c in self.candidates.columns if c.lower() == self.study.proposal_id_field.lower())
        return list(zip(self.candidates[field].astype(str), self.candidates["NAME"].astype(str)))

    def additions(self, sketches, candidate_ids, with_rows=True):
        """Candidates (in the given order), then sketches (GeoDataFrame with a ``name`` id), as Additions.

        ``with_rows``: also the sites-schema rows that flattening needs (only ProtConn does).
        """
        out = []
        where = f"study {self.study.path}: candidates"
        for ident in dict.fromkeys(candidate_ids):
            if self.candidates is None:
                raise PacovError("this study has no proposals layer: there is no candidate to add")
            rows = lookup(self.candidates, self.study.proposal_id_field, [ident], where)
            out.append(self._addition(str(ident), "candidate", rows))
        if len(sketches):
            sketches = sketches.to_crs("EPSG:4326")
            prepare = proposal_sites if with_rows else prepare_polygons  # the same geometry either way
            frame = prepare(sketches, self.crs, "sketches")
            for ident, rows in frame.groupby(SKETCH_ID, sort=False):
                out.append(self._addition(str(ident), "sketch", rows))
        return out

    def _addition(self, ident, kind, rows):
        geoms = rows.geometry.to_numpy()
        land = geoms[~self._marine(rows)]
        whole = shapely.union_all(geoms)
        if kind == "sketch" and not shapely.intersects(whole, self.land):  # the study's own candidates may lie at sea
            raise PacovError(f"{kind} {ident}: lies outside the study region ({self.study.name}); draw it inside")
        rows = rows[[c for c in self.sites.columns if c in rows.columns]].copy()
        rows["STATUS"] = "Designated (scenario)"  # as operations.apply marks added sites
        return Addition(ident, kind, whole, shapely.union_all(land) if len(land) else None, rows)

    def newly(self, geom, previous, counted):
        """``geom`` less the baseline sites flagged in ``counted`` and the ``previous`` geometries that meet it."""
        near = self.site_tree.query(geom, predicate="intersects")
        near = near[counted[near]]
        cover = list(clip_to_frames(self.site_geoms[near], np.full(len(near), geom, dtype=object)))
        cover += [p for p in previous if shapely.intersects(p, geom)]
        return shapely.difference(geom, shapely.union_all(cover)) if cover else geom

    def range_gain(self, new):
        """Hectares of each range (overlay index) inside ``new``, from the range pieces under it only."""
        p = self.piece_tree.query(new, predicate="intersects")
        area = shapely.area(shapely.intersection(self.overlay.pieces[p], new))
        return np.bincount(self.overlay.owner[p], weights=area, minlength=len(self.overlay.ranges)) / M2_PER_HA

    def land_gain(self, new):
        p = self.land_tree.query(new, predicate="intersects")
        return shapely.area(shapely.intersection(self.land_pieces[p], new)).sum() / M2_PER_HA

    def evaluate(self, sketches, candidate_ids=(), connectivity=True):
        """The API's answer (a dict for JSON) for ``sketches`` (EPSG:4326, a ``name`` id each) and candidates.

        ``connectivity=False`` leaves ProtConn out: it is the one figure of the whole network, and the
        slowest (see ``protconn_rows``).
        """
        additions = self.additions(sketches, candidate_ids, with_rows=connectivity)
        repaired = [str(n) for n in sketches.loc[~shapely.is_valid(sketches.geometry.to_numpy()), SKETCH_ID]]
        every, land_only = np.ones(len(self.sites), dtype=bool), ~self.marine
        previous, previous_land, items = [], [], []
        gains, land_gain = np.zeros(len(self.overlay.ranges)), 0.0
        for add in additions:
            new = self.newly(add.geometry, previous, every)
            gain = self.range_gain(new)
            gains += gain
            if add.land_geometry is not None:
                land_gain += self.land_gain(self.newly(add.land_geometry, previous_land, land_only))
                previous_land.append(add.land_geometry)
            previous.append(add.geometry)
            items.append(
                {
                    "id": add.id,
                    "kind": add.kind,
                    "designated_ha": float(shapely.area(new) / M2_PER_HA),
                    "gains": dict(zip(self.overlay.ranges["sci_name"], map(float, gain))),
                }
            )
        return {
            "species": self.species_rows(gains),
            "indicator": self.indicator(self.land_ha + land_gain),
            "protconn": self.protconn_rows(additions) if connectivity else [],
            "sketches": items,
            "repaired": repaired,  # sketches whose self-intersections were repaired, as every input is
        }

    def species_rows(self, gains):
        """Per species: range, protected ha and share after the additions, change, and gap status."""
        gain = pd.Series(gains, index=self.overlay.ranges["sci_name"].to_numpy()).reindex(self.species).to_numpy()
        table = self.baseline[["species", "range_ha"]].copy()
        table["protected_ha"] = self.baseline["protected_ha"].to_numpy() + gain
        table["protected_share"] = np.where(table["range_ha"] > 0, table["protected_ha"] / table["range_ha"], 0.0)
        gaps = gap_table(table)
        return [
            {
                "species": row.species,
                "common_name": self.common.get(row.species, ""),
                "range_ha": float(row.range_ha),
                "protected_ha": float(row.protected_ha),
                "protected_share": float(row.protected_share),
                "delta_ha": float(delta),
                "target_ha": float(row.target_ha),
                "sps": float(row.sps),
                "gap_status": row.status,
            }
            for row, delta in zip(gaps.itertuples(), gain)
        ]

    def indicator(self, protected_ha):
        """The land indicator after the additions, beside the study's official figure and its targets."""
        share = protected_ha / self.region_ha

        def figure(f):
            target_ha = f.protected_ha if f.protected_ha is not None else f.share * self.region_ha
            return {
                "label": f.label,
                "year": f.year,
                "source": f.source,
                "protected_ha": float(target_ha),
                "share": float(f.share if f.share is not None else f.protected_ha / self.region_ha),
                "remaining_ha": float(max(target_ha - protected_ha, 0.0)),
            }

        return {
            "region": self.study.name,
            "region_ha": float(self.region_ha),
            "protected_ha": float(protected_ha),
            "share": float(share),
            "delta_ha": float(protected_ha - self.land_ha),
            "official": [figure(f) for f in self.study.official],
            "targets": [figure(f) for f in self.study.targets],
        }

    def connectivity(self, sketches, candidate_ids=()):
        """ProtConn rows alone (see ``protconn_rows``), for a page that shows the rest first."""
        return self.protconn_rows(self.additions(sketches, candidate_ids))

    def protconn_rows(self, additions):
        """ProtConn per region and distance after the additions, and its change (percentage points)."""
        after = self._protconn(self.flat_after(additions)) if additions else self.protconn_base
        return [
            {
                "region": row.region,
                "distance_m": float(row.distance_m),
                "protconn": float(row.protconn),
                "delta": float(row.protconn - base),
            }
            for row, base in zip(after.itertuples(), self.protconn_base["protconn"])
        ]

    def flat_after(self, additions):
        """The flattened sites with the additions: only sites under them are flattened again.

        A site's flattened shape depends only on the higher-priority sites that meet it, so the sites
        the additions meet are flattened again with every neighbour of theirs; the rest keep theirs.
        """
        added = pd.concat([a.rows for a in additions], ignore_index=True)
        added.index = len(self.sites) + np.arange(len(added))
        geoms = added.geometry.to_numpy()
        touched = np.unique(self.site_tree.query(geoms, predicate="intersects")[1])
        around = np.concatenate([self.site_geoms[touched], geoms])
        context = np.unique(self.site_tree.query(around)[1])
        sub = gpd.GeoDataFrame(pd.concat([self.sites.iloc[context], added]), crs=self.crs)
        redone = erase_overlaps(sub)[0]
        redone = redone[redone.index.isin(touched) | (redone.index >= len(self.sites))]
        kept = self.flat[~self.flat.index.isin(touched)]
        return gpd.GeoDataFrame(pd.concat([kept, redone]).drop(columns="priority"), crs=self.crs)
