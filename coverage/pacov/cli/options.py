"""Options shared by several commands, defined once."""

from pathlib import Path

import click

from pacov.cleaning.site_type import SITE_TYPE_CHOICES
from pacov.outputs.formats import FORMATS

protected = click.option(
    "--protected",
    "protected",
    required=True,
    metavar="PATH[:LAYER]",
    help="Protected areas in the WDPA schema (any OGR source; a Protected Planet zip as downloaded).",
)
ranges = click.option(
    "--ranges",
    "ranges",
    required=True,
    metavar="PATH[:LAYER]",
    help="Species ranges in the IUCN Red List schema (sci_name or binomial, presence, origin, seasonal).",
)
zones = click.option(
    "--zones", default=None, metavar="PATH[:LAYER]", help="A zone layer (oblasts, landscapes…); --by names its field."
)
zone_field = click.option("--by", "by", default=None, metavar="FIELD", help="The zone field of --zones.")
species = click.option(
    "--species", "species", multiple=True, metavar="NAME", help="Only this species (repeatable); by scientific name."
)
fmt = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: from --output's suffix, else table].",
)
output = click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
crs = click.option(
    "--crs",
    "crs",
    default=None,
    metavar="CRS",
    help="Equal-area CRS for the arithmetic [default: Lambert azimuthal equal-area on the data].",
)
assume_crs = click.option(
    "--assume-crs",
    "assume_crs",
    default=None,
    metavar="CRS",
    help="CRS to assume for a layer that declares none (e.g. EPSG:4326).",
)
status = click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help="Count sites with this STATUS (repeatable) [default: Designated, Inscribed, Established].",
)
site_type = click.option(
    "--site-type",
    "site_type",
    type=click.Choice(SITE_TYPE_CHOICES),
    default="all",
    show_default=True,
    help="Count protected areas (pa), OECMs (oecm) or both (all, as GBF indicator 3.1 does); a hectare "
    "under both counts once. Tables say which in a site_type column.",
)
keep_mab = click.option("--keep-mab", is_flag=True, help="Count UNESCO-MAB Biosphere Reserves (left out by default).")
presence = click.option(
    "--presence", multiple=True, type=click.IntRange(1, 7), help="IUCN presence codes to keep [default: 1 2]."
)
origin = click.option(
    "--origin", multiple=True, type=click.IntRange(1, 6), help="IUCN origin codes to keep [default: 1 2]."
)
seasonal = click.option(
    "--seasonal", multiple=True, type=click.IntRange(1, 5), help="IUCN seasonal codes to keep [default: 1 2 3]."
)


def pick_format(fmt, output):
    """--format if given, else the output file's suffix, else an aligned text table."""
    if fmt:
        return fmt
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return {"csv": "csv", "md": "md", "json": "json"}.get(suffix, "table")


gpkg = click.option(
    "--gpkg",
    "gpkg",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the results' geometry to this GeoPackage (QGIS-styled layers, each with area_ha).",
)


out_of_core = click.option(
    "--out-of-core",
    "out_of_core",
    is_flag=True,
    help="Compute the species totals partition by partition (GeoParquet inputs) [default: when the "
    "layers would not fit in memory].",
)
in_memory = click.option(
    "--in-memory",
    "in_memory",
    is_flag=True,
    help="Hold both layers in memory, whatever their size [default: when they fit].",
)
work_dir = click.option(
    "--work-dir",
    "work_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="DIR",
    help="Run out of core with the partitions in this folder (with --scheduler, one every worker can "
    "read), kept so that a rerun on the same inputs reuses every finished task.",
)


def distances(help_text, required=False):
    """``--distance METRES`` (repeatable): median dispersal distances for ProtConn."""
    return click.option(
        "--distance", "distances", multiple=True, required=required, type=float, metavar="METRES", help=help_text
    )


def lang(what):
    """``--lang``: the language of ``what`` (a page, a map): en, ru or kk, as outputs/i18n.py has catalogs."""
    return click.option(
        "--lang", type=click.Choice(("en", "ru", "kk")), default="en", show_default=True, help=f"Language of {what}."
    )
