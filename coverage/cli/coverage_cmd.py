"""``pacov coverage``: the protected share of each species' range for any pair of layers."""

from pathlib import Path

import click

from .. import iucn
from ..analysis import analyse
from ..atomic import write_text
from ..clean import CleanOptions
from ..read import read_layer
from ..status import BASELINE_STATUSES
from ..tables import render, to_csv
from . import options


@click.command()
@options.protected
@options.ranges
@options.species
@click.option("--by", "by", default=None, metavar="FIELD",
              help="Break down by a range field (e.g. landscape) or a site field (DESIG_ENG, IUCN_CAT, NAME).")
@click.option("--zones", default=None, metavar="PATH[:LAYER]",
              help="A zone layer (oblasts, landscapes…); --by names its field.")
@options.fmt
@options.output
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the cleaning log (every site dropped or changed, and why) to this CSV.")
@options.crs
@options.assume_crs
@options.status
@options.keep_mab
@options.presence
@options.origin
@options.seasonal
def coverage(protected, ranges, species, by, zones, fmt, output, log_path, crs, assume_crs, statuses, keep_mab,
             presence, origin, seasonal):
    """Range area, protected area and protected share per species."""
    result = analyse(
        read_layer(protected, "protected areas"), read_layer(ranges, "ranges"),
        species=list(species), crs=crs, assume_crs=assume_crs,
        options=CleanOptions(statuses=tuple(statuses) or BASELINE_STATUSES, exclude_mab=not keep_mab),
        codes=codes_from(presence, origin, seasonal),
        labels=(f"protected areas {protected}", f"ranges {ranges}"))
    if log_path:
        write_text(log_path, to_csv(result.log))
    repaired = result.log[result.log["step"].isin(["read", "geometry", "repair", "points"])]
    if len(repaired):
        click.echo(f"pacov: note: cleaning dropped {int((repaired['action'] == 'dropped').sum())} and changed "
                   f"{int((repaired['action'] == 'changed').sum())} sites for data-quality reasons"
                   f"{'' if log_path else ' (--log FILE lists them)'}", err=True)
    if zones and not by:
        raise click.UsageError("--zones needs --by FIELD naming the zone field")
    if zones:
        table = result.zone_breakdown(read_layer(zones, "zones"), by, f"zones {zones}")
    else:
        table = result.breakdown(by) if by else result.species
    text = render(table, options.pick_format(fmt, output))
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)


def codes_from(presence, origin, seasonal):
    """IUCN code sets from the options, each defaulting to DOPA's."""
    given = {"presence": presence, "origin": origin, "seasonal": seasonal}
    return {k: tuple(v) or iucn.DOPA_DEFAULT[k] for k, v in given.items()}
