"""``pacov points``: the share of camera traps or collar fixes inside protected areas."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.cli.inputs import clean_options, clean_sites, emit
from pacov.errors import PacovError


@click.command("points")
@options.protected
@click.option("--points", "points", required=True, metavar="PATH[:LAYER]", help="Point layer (traps, fixes).")
@click.option("--group", default=None, metavar="FIELD", help="Summarise per value of this field (animal, survey).")
@click.option(
    "--each",
    "each_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every point with its site and distance to this CSV.",
)
@options.crs
@options.assume_crs
@options.status
@options.fmt
@options.output
def points_(protected, points, group, each_path, crs, assume_crs, statuses, fmt, output):
    """Share of points inside protected areas, and how far outside the others are."""
    from pacov.analyses.observations import locate, summarise
    from pacov.atomic import write_text
    from pacov.cleaning.project import require_crs
    from pacov.outputs.tables import to_csv
    from pacov.reading.fields import require
    from pacov.reading.read import read_layer

    observed = require_crs(read_layer(points, "points"), f"points {points}", assume_crs)
    if group:
        group = require(observed.columns, f"points {points}", group)
    if not observed.geom_type.isin(["Point"]).all() and len(observed):
        raise PacovError(
            f"points {points}: holds {', '.join(sorted(set(observed.geom_type) - {'Point'}))} "
            "geometries; give a layer of single points"
        )
    sites = clean_sites(protected, crs, assume_crs, clean_options(statuses), observed)
    located = locate(observed, sites, f"points {points}")
    if each_path:
        write_text(each_path, to_csv(located))
    emit(summarise(located, group), fmt, output)
