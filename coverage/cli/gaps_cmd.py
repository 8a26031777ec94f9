"""``pacov gaps``: each species against a representation target scaled by its range size."""

import click

from ..gaps import gap_table
from . import options
from .inputs import analysis_inputs, emit, run_analysis


@click.command()
@analysis_inputs
@options.fmt
@options.output
def gaps(fmt, output, **inputs):
    """Targets (Rodrigues et al. 2004), shortfall, Species Protection Score, gap status."""
    emit(gap_table(run_analysis(**inputs).species), fmt, output)
