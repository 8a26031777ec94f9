"""``pacov reconcile``: each site's reported area (REP_AREA) against its mapped area."""

import click

from pacov.cli import options
from pacov.cli.inputs import clean_sites, emit


@click.command("reconcile")
@options.protected
@click.option(
    "--threshold",
    type=click.FloatRange(0, None),
    default=0.10,
    show_default=True,
    help="Flag sites whose mapped area differs from REP_AREA by more than this fraction.",
)
@options.crs
@options.assume_crs
@options.fmt
@options.output
def reconcile_(protected, threshold, crs, assume_crs, fmt, output):
    """Reported versus mapped area for every site in the layer, whatever its status."""
    from pacov.analyses.reconcile import reconcile
    from pacov.cleaning.clean import EVERY_SITE

    sites = clean_sites(protected, crs, assume_crs, EVERY_SITE)
    emit(reconcile(sites, threshold), fmt, output)
