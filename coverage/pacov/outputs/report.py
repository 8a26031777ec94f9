"""The main job: coverage of the embedded Kazakhstan layers, written as report tables.

Writes CSV and Markdown for: every species; the snow leopard by landscape, by protected area, by
designation and by IUCN category; the gap analysis; coverage by year (with a PNG chart); reported
versus mapped area; and the cleaning log. Every Markdown table carries a footer
with the data's provenance, the CRS and the input checksums, so a figure can be traced.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import shapely

from pacov import __version__
from pacov.analyses.connectivity import protconn
from pacov.analyses.corridors import corridors, read_resistance
from pacov.analyses.gaps import gap_table
from pacov.analyses.indicator import indicator_table
from pacov.analyses.observations import locate, summarise
from pacov.analyses.raster_coverage import raster_coverage
from pacov.analyses.reconcile import reconcile
from pacov.analyses.timeline import chart, timeline
from pacov.atomic import write_text
from pacov.cleaning.clean import EVERY_SITE, clean_protected_areas
from pacov.cleaning.polygons import prepare_polygons
from pacov.embedded import DEFAULT_LAYERS, FOCAL, OUTLINE_FILE, PROTECTED_FILE, RANGES_FILE, RESISTANCE_FILE
from pacov.engine.analysis import analyse
from pacov.engine.ranges import dissolve
from pacov.outputs.tables import render, to_csv, to_markdown
from pacov.reading.read import read_layer

DENSITY_FILE = "snow_leopard_density.tif"
OBLASTS_FILE = Path("basemap") / "oblasts_2024.geojson"
OBLAST_FIELD = "ADM1_EN"
BOUNDARIES_CREDIT = (
    "Boundaries: Kazakhstan outline and 2024 oblasts from geokz (A. Rodionov, CC BY 4.0, "
    "https://github.com/arodionoff/geokz), based on the Bureau of National Statistics."
)
# Official figures the computed indicator is shown beside (sources: layers/kazakhstan/PROVENANCE.md).
OFFICIAL = (
    (
        "Official: specially protected natural areas on 1 January 2025",
        30_900_000,
        0.1137,
        "Forestry and Wildlife Committee, Ministry of Ecology, March 2025 (30.9 Mha = 11.37% of the territory)",
    ),
    (
        "National target (share of the territory)",
        None,
        0.125,
        "Draft Concept on Conservation and Sustainable Use of Biodiversity 2025-2035",
    ),
    ("Kunming-Montreal GBF Target 3 (by 2030)", None, 0.30, "Kunming-Montreal Global Biodiversity Framework, 2022"),
)
INDICATOR_TITLE = (
    "National indicator: share of Kazakhstan's land in protected areas. The computed row uses the embedded "
    "layer (about 40 reconstructed sites, MAB reserves left out), not the whole estate behind the official "
    "figure, so it is lower; on a real WDPA download it is the WDPA-based figure. Marine sites and the sea "
    "parts of coastal sites (Caspian) are not land and are left out. Target rows: area_ha is the share "
    "applied to the outline's land area."
)
DISPERSAL_M = (10_000.0, 30_000.0, 100_000.0)  # a bracket for snow-leopard dispersal, see README
NOTICE = (
    "Data: the embedded Kazakhstan layers are reconstructions. Attribute figures come from published "
    "sources; geometries are approximate shapes drawn to match those figures, not official boundaries "
    "(layers/kazakhstan/PROVENANCE.md). These results are not official statistics."
)


def notice_for(paths):
    """NOTICE when any of ``paths`` (PATH[:LAYER] too) lies in the embedded layers, else '': a run over
    one's own data must not call it a reconstruction."""
    from pacov.reading.read import split_source

    embedded = any(DEFAULT_LAYERS in split_source(p)[0].resolve().parents for p in paths)
    return NOTICE if embedded else ""


@dataclass
class Report:
    """Named tables (title, frame) in report order, and the footer shared by all of them."""

    tables: dict = field(default_factory=dict)
    footer: str = ""
    result: object = None  # the CoverageResult behind the tables (for the GeoPackage and the HTML report)
    layers: dict = field(default_factory=dict)  # extra GeoPackage layers (name -> GeoDataFrame), e.g. corridors


def software():
    """The versions that produced a figure (recorded in footers instead of a timestamp)."""
    import geopandas
    import pyproj
    import shapely

    return (
        f"pacov {__version__}, geopandas {geopandas.__version__}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})"
    )


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_report(layers_dir=DEFAULT_LAYERS, focal=FOCAL):
    """Run the coverage job on a layers folder and return its tables."""
    layers_dir = Path(layers_dir)
    protected_path, ranges_path = layers_dir / PROTECTED_FILE, layers_dir / RANGES_FILE
    raw_ranges = read_layer(ranges_path, "ranges")
    raw_sites = read_layer(protected_path, "protected areas")
    result = analyse(
        raw_sites, raw_ranges, focal=focal, labels=(f"protected areas {protected_path}", f"ranges {ranges_path}")
    )
    species = result.species.copy()
    if "common_name" in raw_ranges.columns:
        names = raw_ranges.drop_duplicates("sci_name").set_index("sci_name")["common_name"]
        species.insert(1, "common_name", species["species"].map(names).fillna(""))
    only_focal = lambda t: t[t["species"] == focal].drop(columns="species").reset_index(drop=True)  # noqa: E731
    tables = {"species_coverage": ("Protected share of each species' range", species)}
    layers = {}
    if focal in set(species["species"]):
        if "landscape" in result.parts.columns:
            tables["snow_leopard_by_landscape"] = (
                "Snow leopard range by landscape",
                only_focal(result.breakdown("landscape")),
            )
        tables["snow_leopard_by_area"] = ("Snow leopard range by protected area", only_focal(result.by_site))
        tables["snow_leopard_by_designation"] = (
            "Snow leopard range by designation",
            only_focal(result.breakdown("DESIG_ENG")),
        )
        tables["snow_leopard_by_iucn_category"] = (
            "Snow leopard range by IUCN category",
            only_focal(result.breakdown("IUCN_CAT")),
        )
        focal_range = dissolve(result.parts[result.parts["sci_name"] == focal])
        tables["snow_leopard_connectivity"] = (
            "Snow leopard range: ProtConn (protected and connected share, %) at median dispersal distances "
            "of 10, 30 and 100 km (a bracket, not measured dispersal: see README)",
            protconn(result.sites, [(focal, focal_range.geometry.iloc[0])], DISPERSAL_M, key="species"),
        )
        resistance = layers_dir / RESISTANCE_FILE
        if resistance.is_file():
            grid = read_resistance(resistance, result.crs)
            layers["corridors"] = corridors(result.sites, [(focal, focal_range.geometry.iloc[0])], grid)
            tables["snow_leopard_corridors"] = (
                "Snow leopard: least-cost corridors between neighbouring protected areas (cost within 5% of the "
                "least; terrain resistance derived from the GLOBE DEM, see PROVENANCE.md) and their protected share",
                layers["corridors"].drop(columns="geometry"),
            )
    density = layers_dir / DENSITY_FILE
    if density.is_file() and focal in set(species["species"]):
        weights = raster_coverage(density, result.sites, result.parts[result.parts["sci_name"] == focal], per_area=True)
        range_share = species.set_index("species").at[focal, "protected_share"]
        tables["population_share"] = (
            "Snow leopard: share of range versus share of population (reconstructed density surface)",
            pd.DataFrame(
                {
                    "species": [focal],
                    "range_share": [range_share],
                    "animals": weights["weight_total"].round(2),
                    "animals_protected": weights["weight_protected"].round(2),
                    "population_share": weights["share"],
                }
            ),
        )
    for name, title, group in (
        ("camera_traps", "Camera traps (synthetic example) inside protected areas", None),
        ("collar_fixes", "Collar fixes (synthetic example) inside protected areas, per animal", "animal_id"),
    ):
        path = layers_dir / "examples" / f"{name}.geojson"
        if path.is_file():
            located = locate(read_layer(path, "points"), result.sites, f"points {path}")
            tables[name] = (title, summarise(located, group))
    oblasts = layers_dir / OBLASTS_FILE
    if oblasts.is_file() and focal in set(species["species"]):
        zones = result.zone_breakdown(read_layer(oblasts, "zones"), OBLAST_FIELD, f"zones {oblasts}")
        tables["snow_leopard_by_oblast"] = ("Snow leopard range by oblast (2024 oblasts)", only_focal(zones))
    outline = layers_dir / OUTLINE_FILE
    if outline.is_file():
        land = read_layer(outline, "land outline")
        table = indicator_table(result.sites, land, result.crs, label=f"land outline {outline}")
        land_ha = table.at[0, "area_ha"] / table.at[0, "share"]
        official = [
            {"indicator": name, "area_ha": area if area else share * land_ha, "share": share, "source": source}
            for name, area, share, source in OFFICIAL
        ]
        tables["national_indicator"] = (INDICATOR_TITLE, pd.concat([table, pd.DataFrame(official)], ignore_index=True))
        country = shapely.union_all(prepare_polygons(land, result.crs, f"land outline {outline}").geometry.to_numpy())
        tables["kazakhstan_connectivity"] = (
            "Kazakhstan: ProtConn (protected and connected share of the land, %) at median dispersal distances "
            "of 10, 30 and 100 km",
            protconn(result.sites, [("Kazakhstan", country)], DISPERSAL_M),
        )
    tables["gap_analysis"] = (
        "Gap analysis: targets scaled by range size (Rodrigues et al. 2004), Species Protection Score (Map of Life)",
        gap_table(species),
    )
    series, undated = timeline(result.sites.set_geometry("site_geometry"), result.parts)
    tables["coverage_by_year"] = ("Protected area and species coverage by year (STATUS_YR)", series)
    tables["sites_without_year"] = ("Sites with no STATUS_YR (not in the series above)", undated)
    everything, _ = clean_protected_areas(raw_sites, result.crs, f"protected areas {protected_path}", EVERY_SITE)
    tables["reported_vs_mapped_area"] = ("Reported (REP_AREA) versus mapped area", reconcile(everything))
    tables["cleaning_log"] = ("Cleaning log: sites dropped or changed, and why", result.log)
    credit = f" {BOUNDARIES_CREDIT}" if oblasts.is_file() or outline.is_file() else ""
    footer = (
        f"{notice_for([protected_path, ranges_path])}{credit}\n\nComputed by {software()} in {result.crs.name} "
        "(equal-area). Inputs: "
        f"{PROTECTED_FILE} sha256 {sha256(protected_path)[:16]}…, {RANGES_FILE} sha256 {sha256(ranges_path)[:16]}…"
    )
    return Report(tables, footer, result, layers)


def write_report(report, out_dir):
    """Write every table as CSV and Markdown under ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    written = []
    for name, (title, table) in report.tables.items():
        write_text(out_dir / f"{name}.csv", to_csv(table))
        write_text(out_dir / f"{name}.md", to_markdown(table, title, report.footer))
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.md"]
    write_text(
        out_dir / "ABOUT.md",
        "# About these tables\n\n"
        + report.footer
        + "\n\nTables: "
        + ", ".join(f"`{name}`" for name in report.tables)
        + " (CSV for machines, Markdown for people).\n",
    )
    written.append(out_dir / "ABOUT.md")
    if "coverage_by_year" in report.tables:
        chart(report.tables["coverage_by_year"][1], out_dir / "coverage_by_year.png")
        written.append(out_dir / "coverage_by_year.png")
    return written


def summary_text(report):
    """What ``pacov report`` prints: species, the snow leopard's landscapes, share of population, gaps."""
    parts = [
        render(table, "table", title)
        for name, (title, table) in report.tables.items()
        if name
        in ("species_coverage", "snow_leopard_by_landscape", "population_share", "gap_analysis", "national_indicator")
    ]
    return "\n".join(parts) + "\n" + report.footer + "\n"
