"""The coverage job as one library call: clean protected areas, prepare ranges, overlay, tabulate."""

from dataclasses import dataclass, replace
from dataclasses import field as default_field
from functools import cached_property

import geopandas as gpd
import pandas as pd
import pyproj
import shapely

from pacov.cleaning import cleanlog
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.cleaning.polygons import prepare_polygons
from pacov.cleaning.project import auto_equal_area_crs, require_crs
from pacov.engine.clip import clip_parts
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import (
    M2_PER_HA,
    SITE_FIELDS,
    RangeOverlay,
    coverage_table,
    group_coverage,
    share_table,
    site_coverage,
    species_coverage,
)
from pacov.engine.ranges import prepare_ranges, species_left_out
from pacov.errors import PacovError
from pacov.memory import release_unused
from pacov.reading import fields, iucn
from pacov.runner import SERIAL
from pacov.stages import stage

NO_ZONE = "(outside zones)"
NO_VALUE = "(no value)"


@dataclass
class CoverageResult:
    """Tables of one coverage run; every figure traces back to ``whole`` (the clean sites) and ``parts``.

    The species totals come from the union of the sites over each range piece (RangeOverlay.protected),
    so they need no flattening. Flattening (erase_overlaps) runs only when something asks for the
    flattened ``sites``: a breakdown by site, the maps, the cleaning log.
    """

    species: pd.DataFrame
    clean_log: pd.DataFrame  # every cleaning step but flattening
    whole: object  # clean sites before flattening
    parts: object
    crs: pyproj.CRS
    overlay: RangeOverlay
    flattened: tuple | None = None  # (flattened sites, flatten log), once flatten() has run
    notes: list = default_field(default_factory=list)  # what a planner must be told: species left with no range…

    def flatten(self, runner=SERIAL):
        """The sites flattened by priority (erase_overlaps), computed once; rows in priority order."""
        if self.flattened is None:
            with stage("flatten overlaps"):
                self.flattened = erase_overlaps(self.whole, runner)
        return self.flattened[0]

    @property
    def sites(self):
        """Flattened sites: ``geometry`` unique to each site, ``site_geometry`` the whole site."""
        return self.flatten()

    @property
    def log(self):
        """The cleaning log, flattening included."""
        self.flatten()
        return cleanlog.combine([self.clean_log, self.flattened[1]])

    @cached_property
    def pairs(self):
        """(range i, site j, ha) of the flattened sites: what each site adds to each range."""
        return self.overlay.areas(self.sites.geometry.to_numpy())

    @cached_property
    def by_site(self):
        """Per species and site: gross and unique range hectares (computed when first asked for)."""
        return order_species(site_coverage(self.parts, self.sites, self.overlay, self.pairs), self.species)

    def field_parts(self, field):
        """The range parts with ``field`` a label: a part with no value gets NO_VALUE, so it keeps its row."""
        return self.parts.assign(**{field: labelled(self.parts[field])})

    def breakdown(self, field):
        """Coverage per species and value of ``field``: a range field (zones) or a site field."""
        if field in self.parts.columns and field != "geometry":
            return order_species(species_coverage(self.field_parts(field), self.sites, by=[field]), self.species)
        site_field = next((c for c in self.sites.columns if c.lower() == field.lower()), None)
        if site_field in SITE_FIELDS and site_field != "WDPAID":
            return order_species(group_coverage(self.by_site, site_field), self.species)
        choices = sorted({c for c in self.parts.columns if c != "geometry"} | set(SITE_FIELDS) - {"WDPAID"})
        raise PacovError(f"--by {field}: no such range or site field; choose one of {', '.join(choices)}")

    def zone_parts(self, zones, field, label="zones", assume_crs=None):
        """(range parts cut by a zone layer, the zone field): each part carries its zone's value.

        Range outside every zone gets NO_ZONE, and a zone with no value NO_VALUE, so a species' parts
        still make up its whole range. Zones that overlap count the range under them in each: a note says so.
        """
        zone_field = fields.require(zones.columns, label, field)
        zones = require_crs(zones, label, assume_crs)
        zones = prepare_polygons(zones, self.crs, label)[[zone_field, zones.geometry.name]]
        zones[zone_field] = labelled(zones[zone_field])
        ranges = self.parts[["sci_name", self.parts.geometry.name]]
        overlap = zone_overlap(zones.geometry.to_numpy())
        if not overlap.is_empty:
            in_ranges = shapely.area(shapely.intersection(self.overlay.geoms, overlap)).sum() / M2_PER_HA
            self.notes.append(
                f"{label}: zones overlap on {shapely.area(overlap) / M2_PER_HA:,.0f} ha, {in_ranges:,.0f} ha of it "
                "in the ranges (summed over species): those hectares count in every zone that holds them, so the "
                f"zone rows add up to {counted_again(self.overlay.geoms, zones.geometry.to_numpy()):,.0f} ha more "
                "than the range"
            )
        split = gpd.overlay(ranges, zones, how="intersection", keep_geom_type=True)
        outside = gpd.overlay(ranges, zones, how="difference", keep_geom_type=True).assign(**{zone_field: NO_ZONE})
        return pd.concat([split, outside[~outside.geometry.is_empty]], ignore_index=True), zone_field

    def parts_breakdown(self, split, zone_field):
        """Coverage per species and zone of range parts already cut by zones (see zone_parts)."""
        return order_species(species_coverage(split, self.sites, by=[zone_field]), self.species)

    def zone_breakdown(self, zones, field, label="zones", assume_crs=None):
        """Coverage per species and zone of a separate zone layer (oblasts, landscapes…)."""
        return self.parts_breakdown(*self.zone_parts(zones, field, label, assume_crs))


def analyse(
    protected,
    ranges,
    species=None,
    crs=None,
    assume_crs=None,
    options=CleanOptions(),
    codes=iucn.DOPA_DEFAULT,
    labels=("protected areas", "ranges"),
    focal=None,
    runner=SERIAL,
    clip=None,
    flatten=True,
):
    """Coverage of each species' range by the protected areas (both GeoDataFrames in any CRS).

    ``crs`` is the equal-area CRS for the arithmetic (default: chosen from the data's extent).
    ``focal`` names a species to list first; ``runner`` (pacov.runner) may put the work on Dask.
    ``clip`` (label, GeoDataFrame): cut the ranges to this outline first (a national view of global
    ranges); the table then says per species how much was cut away (``range_outside_ha``, ``clipped_to``).
    """
    protected = require_crs(protected, labels[0], assume_crs)
    ranges = require_crs(ranges, labels[1], assume_crs)
    crs = pyproj.CRS(crs) if crs else auto_equal_area_crs(protected, ranges)
    with stage("clean protected areas"):
        sites, log = clean_protected_areas(protected, crs, labels[0], replace(options, flatten=False), runner)
    protected = None  # the raw layer can go now: at continental scale it is gigabytes
    release_unused()
    with stage("prepare ranges"):
        parts = prepare_ranges(ranges, crs, labels[1], codes, species, runner)
        left_out = species_left_out(ranges, parts, species)
    ranges = None
    if clip is not None and len(parts):
        with stage("clip ranges"):
            parts, cut = clip_parts(parts, clip[1], crs, clip[0])
    filtered = (
        f"left after the IUCN code filter (presence {codes['presence']}, origin {codes['origin']}, "
        f"seasonal {codes['seasonal']}) and geometry repair"
    )
    if len(parts) == 0:
        raise PacovError(f"{labels[1]}: no range polygon with any area is {filtered}")
    with stage("subdivide ranges"):
        overlay = RangeOverlay(parts, runner=runner)
    with stage("overlay"):
        table = coverage_table(overlay, overlay.protected(sites.geometry.to_numpy()))
    notes = []
    if left_out:
        table = pd.concat([table, share_table(pd.DataFrame({"species": left_out}), 0.0, 0.0)], ignore_index=True)
        notes.append(
            f"{labels[1]}: no range polygon of {', '.join(left_out)} is {filtered}; "
            f"{'its row shows' if len(left_out) == 1 else 'their rows show'} 0 ha "
            "(--presence, --origin and --seasonal choose the codes kept)"
        )
    if clip is not None:
        table = table.merge(cut, on="species", how="left")
    first = [focal] if focal else []
    table["_order"] = ~table["species"].isin(first)
    table = table.sort_values(["_order", "species"], kind="stable").drop(columns="_order").reset_index(drop=True)
    result = CoverageResult(table, log, sites, parts, crs, overlay, notes=notes)
    if flatten:
        result.flatten(runner)
    return result


def counted_again(pieces, zones):
    """Hectares the zone rows count more than once: Σ over zones of the pieces inside each, less the pieces
    inside any (a hectare in three zones counts twice again)."""
    i, j = shapely.STRtree(zones).query(pieces, predicate="intersects")
    each = shapely.area(shapely.intersection(pieces[i], zones[j])).sum()
    once = shapely.area(shapely.intersection(pieces, shapely.union_all(zones))).sum()
    return (each - once) / M2_PER_HA


def zone_overlap(geoms):
    """The land inside two or more of ``geoms`` (one geometry; empty when they only touch)."""
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    i, j = i[i < j], j[i < j]
    both = shapely.intersection(geoms[i], geoms[j])
    return shapely.union_all(both[shapely.area(both) > 0]) if len(both) else shapely.Polygon()


def labelled(values):
    """Zone values as they are, or, where some are missing (null, or blank text, which a GIS shows the same),
    as text with NO_VALUE for the missing ones (text throughout, so that the groups still sort: 3.0 becomes
    '3', not a float beside a string)."""
    missing = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
    if not missing.any():
        return values
    text = values.map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return text.where(~missing, NO_VALUE).astype(object)


def order_species(table, species_table):
    """Rows of ``table`` in the species order of ``species_table`` (stable within a species)."""
    rank = {name: i for i, name in enumerate(species_table["species"])}
    return table.sort_values("species", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)
