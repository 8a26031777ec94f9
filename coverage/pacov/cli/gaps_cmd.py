"""``pacov gaps``: each species against a representation target scaled by its range size."""

import click

from pacov.analyses.gaps import gap_table
from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, run_analysis


@click.command()
@analysis_inputs
@options.fmt
@options.output
def gaps(fmt, output, **inputs):
    """Targets (Rodrigues et al. 2004), shortfall, Species Protection Score, gap status."""
    emit(gap_table(run_analysis(**inputs).species), fmt, output)
