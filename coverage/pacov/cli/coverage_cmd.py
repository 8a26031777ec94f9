"""``pacov coverage``: the protected share of each species' range for any pair of layers."""

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, require_zone_field, run_analysis


@click.command()
@analysis_inputs
@click.option(
    "--by",
    "by",
    default=None,
    metavar="FIELD",
    help="Break down by a range field (e.g. landscape) or a site field (DESIG_ENG, IUCN_CAT, NAME).",
)
@options.zones
@options.fmt
@options.output
def coverage(by, zones, fmt, output, **inputs):
    """Range area, protected area and protected share per species."""
    from pacov.reading.read import read_layer

    require_zone_field(zones, by)
    result = run_analysis(**inputs)
    if zones:
        table = result.zone_breakdown(read_layer(zones, "zones"), by, f"zones {zones}", inputs["assume_crs"])
    else:
        table = result.breakdown(by) if by else result.species
    emit(table, fmt, output)
