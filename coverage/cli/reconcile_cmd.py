"""``pacov reconcile``: each site's reported area (REP_AREA) against its mapped area."""

import click

from ..clean import CleanOptions, clean_protected_areas
from ..project import auto_equal_area_crs, require_crs
from ..read import read_layer
from ..reconcile import reconcile
from . import options
from .inputs import emit


@click.command("reconcile")
@options.protected
@click.option("--threshold", type=click.FloatRange(0, None), default=0.10, show_default=True,
              help="Flag sites whose mapped area differs from REP_AREA by more than this fraction.")
@options.crs
@options.assume_crs
@options.fmt
@options.output
def reconcile_(protected, threshold, crs, assume_crs, fmt, output):
    """Reported versus mapped area for every site in the layer, whatever its status."""
    raw = require_crs(read_layer(protected, "protected areas"), f"protected areas {protected}", assume_crs)
    statuses = tuple(raw[c].dropna().astype(str).unique()) if (c := _status_field(raw)) else ()
    sites, _ = clean_protected_areas(raw, crs or auto_equal_area_crs(raw), f"protected areas {protected}",
                                     CleanOptions(statuses=statuses, exclude_mab=False, flatten=False))
    emit(reconcile(sites, threshold), fmt, output)


def _status_field(raw):
    return next((c for c in raw.columns if str(c).upper() == "STATUS"), None)
