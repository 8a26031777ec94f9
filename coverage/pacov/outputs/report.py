"""The main job: everything a study file asks for, written as report tables.

Coverage of every species (ranges clipped to the study's region), the focal species broken down, the
gap analysis, coverage by zone, the national indicator beside the study's official figures and
targets, ProtConn of the region and of the focal range, corridors where a resistance raster is given,
coverage by year, and the study's scenarios against today's baseline. Every Markdown table carries a
footer with the study's notice and credits, the CRS and the input checksums, so a figure can be traced.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from pacov import __version__
from pacov.analyses import gbf
from pacov.analyses.connectivity import protconn
from pacov.analyses.gaps import gap_table
from pacov.analyses.observations import locate, summarise
from pacov.analyses.reconcile import reconcile
from pacov.analyses.timeline import chart, timeline
from pacov.atomic import write_text
from pacov.cleaning.clean import EVERY_SITE, CleanOptions, clean_protected_areas
from pacov.cleaning.polygons import prepare_polygons
from pacov.embedded import EMBEDDED_STUDY, embedded_focal
from pacov.engine.analysis import analyse
from pacov.outputs.palette import species_colours, species_label
from pacov.outputs.report_focal import focal_tables
from pacov.outputs.report_gbf import gbf_table, gbf_targets
from pacov.outputs.report_indicator import indicator
from pacov.outputs.report_scenarios import study_scenarios
from pacov.outputs.tables import render, to_csv, to_markdown
from pacov.reading.iucn import common_names
from pacov.reading.read import read_layer, split_source

FOCAL = embedded_focal()  # webmap.focal_species' default: the embedded study's focal species
SUMMARY_TABLES = ("species_coverage", "gap_analysis", "national_indicator", "region_connectivity")


def notice_for(paths):
    """The embedded study's notice when any of ``paths`` (PATH[:LAYER] too) lies in its folder, else '':
    a run over one's own data must not call it a reconstruction."""
    from pacov.scenarios.study_file import load_study

    folder = EMBEDDED_STUDY.parent
    embedded = any(folder in split_source(p)[0].resolve().parents for p in paths)
    return load_study(EMBEDDED_STUDY).notice if embedded and EMBEDDED_STUDY.is_file() else ""


@dataclass
class Report:
    """Named tables (title, frame) in report order, the footer shared by all of them, and what the page
    and the JSON need beyond tables."""

    tables: dict = field(default_factory=dict)
    footer: str = ""
    result: object = None  # the CoverageResult behind the tables (for the GeoPackage and the HTML report)
    layers: dict = field(default_factory=dict)  # extra GeoPackage layers (name -> GeoDataFrame), e.g. corridors
    study: object = None  # the Study the report ran
    indicator: dict = field(default_factory=dict)  # region_ha, protected_ha, share, official, targets
    scenarios: list = field(default_factory=list)  # ScenarioResults, today's baseline first
    site_type: str = "all"  # the sites the coverage tables count: 'pa', 'oecm' or 'all'


def software():
    """The versions that produced a figure (recorded in footers instead of a timestamp)."""
    import geopandas
    import pyproj

    return (
        f"pacov {__version__}, geopandas {geopandas.__version__}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})"
    )


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def species_table(result, raw_ranges):
    """The coverage records, with the layer's common names beside the scientific ones where it has them."""
    species = result.species.copy()
    if "common_name" in raw_ranges.columns:
        species.insert(1, "common_name", species["species"].map(common_names(raw_ranges)).fillna(""))
    return species


def build_report(study, run_scenarios=True, site_type="all"):
    """Run everything ``study`` (a loaded Study) asks for and return its tables.

    ``site_type`` ('pa', 'oecm' or 'all') picks the sites the coverage tables count. The GBF table gives
    PAs, OECMs and both apart, from every site; scenarios change every site type, so with 'pa' or 'oecm'
    they are left out (a note says so) rather than measured against another baseline than the tables'.
    """
    raw_ranges = read_layer(study.ranges, "ranges")
    raw_sites = read_layer(study.protected, "protected areas")
    region = read_layer(study.region, "region")
    result = study_coverage(study, raw_sites, raw_ranges, region, site_type)
    tables, layers, figures = coverage_tables(study, result, raw_ranges, region)
    series, undated = timeline(result.sites.set_geometry("site_geometry"), result.parts)
    tables["coverage_by_year"] = ("Protected area and species coverage by year (STATUS_YR)", series)
    tables["sites_without_year"] = ("Sites with no STATUS_YR (not in the series above)", undated)
    everything, _ = clean_protected_areas(raw_sites, result.crs, f"protected areas {study.protected}", EVERY_SITE)
    tables["reported_vs_mapped_area"] = ("Reported (REP_AREA) versus mapped area", reconcile(everything))
    tables["cleaning_log"] = ("Cleaning log: sites dropped or changed, and why", result.log)
    every_type = result if site_type == "all" else study_coverage(study, raw_sites, raw_ranges, region, crs=result.crs)
    results, comparison = study_scenarios(study, result.crs) if run_scenarios and site_type == "all" else ([], None)
    if results:
        tables["scenario_comparison"] = (f"Scenario comparison (changes against {results[0].name})", comparison)
    tables["gbf_target3"], gbf_layers = gbf_table(study, every_type, results)
    layers = {**layers, **gbf_layers}
    return Report(tables, footer(study, result, site_type), result, layers, study, figures, results, site_type)


def study_coverage(study, raw_sites, raw_ranges, region, site_type="all", crs=None):
    """The coverage run behind the report: ranges clipped to the study's region, the focal species first."""
    return analyse(
        raw_sites,
        raw_ranges,
        crs=crs,
        options=CleanOptions(site_type=site_type),
        focal=study.focal,
        labels=(f"protected areas {study.protected}", f"ranges {study.ranges}"),
        clip=(Path(split_source(study.region)[0]).name, region),
    )


def coverage_tables(study, result, raw_ranges, region):
    """(tables, extra GeoPackage layers, the indicator's figures): species, the focal species, zones, the
    national indicator, ProtConn of the region and the gap analysis."""
    species = species_table(result, raw_ranges)
    tables = {"species_coverage": ("Protected share of each species' range (clipped to the region)", species)}
    layers = focal_tables(study, result, species, tables)
    if study.zones:
        zones = result.zone_breakdown(read_layer(study.zones, "zones"), study.zone_field, f"zones {study.zones}")
        tables["coverage_by_zone"] = (f"Range of each species by zone ({study.zone_field})", zones)
    figures, tables["national_indicator"] = indicator(study, result, region)
    outline = shapely.union_all(prepare_polygons(region, result.crs, f"region {study.region}").geometry.to_numpy())
    tables["region_connectivity"] = (
        f"{study.name}: ProtConn (protected and connected share of the region, %) at the study's median "
        "dispersal distances",
        protconn(result.sites, [(study.name, outline)], study.distances_m),
    )
    tables["gap_analysis"] = (
        "Gap analysis: targets scaled by range size (Rodrigues et al. 2004), Species Protection Score (Map of Life)",
        gap_table(species),
    )
    point_tables(study, result, tables)
    return tables, layers, figures


def point_tables(study, result, tables):
    """Each point layer of the study (camera traps, collar fixes…) located inside the protected areas."""
    for points in study.points:
        located = locate(read_layer(points.path, "points"), result.sites, f"points {points.path}")
        tables[points.name] = (points.title, summarise(located, points.group))


SITES_COUNTED = {
    "all": "Sites counted: protected areas and OECMs (--site-type all).",
    "pa": "Sites counted: protected areas only (--site-type pa); OECMs left out. Scenarios are shown with "
    "--site-type all only.",
    "oecm": "Sites counted: OECMs only (--site-type oecm); protected areas left out. Scenarios are shown with "
    "--site-type all only.",
}


def footer(study, result, site_type="all"):
    """The study's notice and credits, the sites counted, the software and CRS, and checksums of the two
    main inputs."""
    lead = " ".join(part for part in (study.notice, *study.credits) if part)
    inputs = ", ".join(
        f"{split_source(p)[0].name} sha256 {sha256(split_source(p)[0])[:16]}…"
        for p in (study.protected, study.ranges)
        if split_source(p)[0].is_file()
    )
    return (
        f"{lead}\n\n{SITES_COUNTED[site_type]} Computed by {software()} in {result.crs.name} (equal-area). "
        f"Study: {study.path.name}. "
        f"Inputs: {inputs}"
    )


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
        species = report.tables["species_coverage"][1]
        commons = dict(zip(species["species"], species["common_name"])) if "common_name" in species else {}
        labels = {sp: species_label(sp, commons) for sp in species["species"]}
        colours = species_colours(species["species"])  # the order (focal first) the page and the map colour them in
        chart(report.tables["coverage_by_year"][1], out_dir / "coverage_by_year.png", colours=colours, labels=labels)
        written.append(out_dir / "coverage_by_year.png")
    if "gbf_target3" in report.tables:
        gbf.chart(report.tables["gbf_target3"][1], out_dir / "gbf_target3.png", gbf_targets(report))
        written.append(out_dir / "gbf_target3.png")
    return written


def summary_text(report):
    """What ``pacov report`` prints: species, the focal species' breakdown, gaps, the indicator, ProtConn."""
    shown = [*SUMMARY_TABLES[:1], "focal_by_breakdown", "focal_population_share", *SUMMARY_TABLES[1:]]
    parts = [render(report.tables[name][1], "table", report.tables[name][0]) for name in shown if name in report.tables]
    return "\n".join(parts) + "\n" + report.footer + "\n"
