"""``pacov gaps``: each species against a representation target scaled by its range size."""

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, require_zone_field, run_analysis, tell


@click.command()
@analysis_inputs
@options.zones
@options.zone_field
@options.site_type
@options.fmt
@options.output
def gaps(zones, by, site_type, fmt, output, **inputs):
    """Targets (Rodrigues et al. 2004), shortfall, Species Protection Score, gap status (per zone: --zones)."""
    from pacov.analyses.gaps import gap_table
    from pacov.cleaning.site_type import labelled
    from pacov.reading.read import read_layer

    require_zone_field(zones, by)
    result = run_analysis(**inputs, site_type=site_type)
    if zones:
        table = result.zone_breakdown(read_layer(zones, "zones"), by, f"zones {zones}", inputs["assume_crs"])
        tell(result.notes)
    else:
        table = result.species
    emit(labelled(gap_table(table), site_type), fmt, output)
