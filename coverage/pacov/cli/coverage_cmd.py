"""``pacov coverage``: the protected share of each species' range for any pair of layers."""

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, run_analysis
from pacov.outputs.gis_layers import STYLES, coverage_layers
from pacov.outputs.gpkg import write_gpkg
from pacov.reading.read import read_layer


@click.command()
@analysis_inputs
@click.option(
    "--by",
    "by",
    default=None,
    metavar="FIELD",
    help="Break down by a range field (e.g. landscape) or a site field (DESIG_ENG, IUCN_CAT, NAME).",
)
@click.option(
    "--zones", default=None, metavar="PATH[:LAYER]", help="A zone layer (oblasts, landscapes…); --by names its field."
)
@options.fmt
@options.output
@options.gpkg
def coverage(by, zones, fmt, output, gpkg, **inputs):
    """Range area, protected area and protected share per species."""
    if zones and not by:
        raise click.UsageError("--zones needs --by FIELD naming the zone field")
    result = run_analysis(**inputs)
    parts, zone_field = result.parts, by if by in result.parts.columns else None
    if zones:
        parts, zone_field = result.zone_parts(read_layer(zones, "zones"), by, f"zones {zones}")
        table = result.parts_breakdown(parts, zone_field)
    else:
        table = result.breakdown(by) if by else result.species
    if gpkg:
        write_gpkg(coverage_layers(result, zone_field, parts), gpkg, STYLES)
    emit(table, fmt, output)
