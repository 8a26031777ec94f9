"""The main job: coverage of the embedded Kazakhstan layers, written as report tables.

Writes CSV and Markdown for: every species; the snow leopard by landscape, by protected area, by
designation and by IUCN category; and the cleaning log. Every Markdown table carries a footer
with the data's provenance, the CRS and the input checksums, so a figure can be traced.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .analysis import analyse
from .atomic import write_text
from .read import read_layer
from .tables import render, to_csv, to_markdown

DEFAULT_LAYERS = Path(__file__).resolve().parents[1] / "layers" / "kazakhstan"
PROTECTED_FILE = "protected_areas.geojson"
RANGES_FILE = "species_ranges.geojson"
FOCAL = "Panthera uncia"
NOTICE = ("Data: the embedded Kazakhstan layers are reconstructions. Attribute figures come from published "
          "sources; geometries are approximate shapes drawn to match those figures, not official boundaries "
          "(layers/kazakhstan/PROVENANCE.md). These results are not official statistics.")


@dataclass
class Report:
    """Named tables (title, frame) in report order, and the footer shared by all of them."""

    tables: dict = field(default_factory=dict)
    footer: str = ""


def software():
    """The versions that produced a figure (recorded in footers instead of a timestamp)."""
    import geopandas
    import pyproj
    import shapely

    return (f"pacov {__version__}, geopandas {geopandas.__version__}, shapely {shapely.__version__} "
            f"(GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})")


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_report(layers_dir=DEFAULT_LAYERS, focal=FOCAL):
    """Run the coverage job on a layers folder and return its tables."""
    layers_dir = Path(layers_dir)
    protected_path, ranges_path = layers_dir / PROTECTED_FILE, layers_dir / RANGES_FILE
    raw_ranges = read_layer(ranges_path, "ranges")
    result = analyse(read_layer(protected_path, "protected areas"), raw_ranges, focal=focal,
                     labels=(f"protected areas {protected_path}", f"ranges {ranges_path}"))
    species = result.species.copy()
    if "common_name" in raw_ranges.columns:
        names = raw_ranges.drop_duplicates("sci_name").set_index("sci_name")["common_name"]
        species.insert(1, "common_name", species["species"].map(names).fillna(""))
    only_focal = lambda t: t[t["species"] == focal].drop(columns="species").reset_index(drop=True)  # noqa: E731
    tables = {"species_coverage": ("Protected share of each species' range", species)}
    if focal in set(species["species"]):
        if "landscape" in result.parts.columns:
            tables["snow_leopard_by_landscape"] = ("Snow leopard range by landscape",
                                                   only_focal(result.breakdown("landscape")))
        tables["snow_leopard_by_area"] = ("Snow leopard range by protected area", only_focal(result.by_site))
        tables["snow_leopard_by_designation"] = ("Snow leopard range by designation",
                                                 only_focal(result.breakdown("DESIG_ENG")))
        tables["snow_leopard_by_iucn_category"] = ("Snow leopard range by IUCN category",
                                                   only_focal(result.breakdown("IUCN_CAT")))
    tables["cleaning_log"] = ("Cleaning log: sites dropped or changed, and why", result.log)
    footer = (f"{NOTICE}\n\nComputed by {software()} in {result.crs.name} (equal-area). Inputs: "
              f"{PROTECTED_FILE} sha256 {sha256(protected_path)[:16]}…, {RANGES_FILE} sha256 {sha256(ranges_path)[:16]}…")
    return Report(tables, footer)


def write_report(report, out_dir):
    """Write every table as CSV and Markdown under ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    written = []
    for name, (title, table) in report.tables.items():
        write_text(out_dir / f"{name}.csv", to_csv(table))
        write_text(out_dir / f"{name}.md", to_markdown(table, title, report.footer))
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.md"]
    return written


def summary_text(report):
    """What ``pacov report`` prints: the species table and the snow leopard's landscapes."""
    parts = [render(report.tables["species_coverage"][1], "table", report.tables["species_coverage"][0])]
    if "snow_leopard_by_landscape" in report.tables:
        title, table = report.tables["snow_leopard_by_landscape"]
        parts.append(render(table, "table", title))
    return "\n".join(parts) + "\n" + report.footer + "\n"
