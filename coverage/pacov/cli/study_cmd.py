"""``pacov study new``: write a study file from a planner's own layers."""

from pathlib import Path

import click


@click.group()
def study():
    """Study files: one TOML file that describes a whole study (see README)."""


@study.command("new")
@click.option("--protected", required=True, metavar="PATH[:LAYER]", help="Protected areas (WDPA download, GPKG, …).")
@click.option("--ranges", required=True, metavar="PATH[:LAYER]", help="Species ranges (IUCN Red List layout).")
@click.option("--region", required=True, metavar="PATH[:LAYER]", help="The study area's outline (e.g. the country).")
@click.option("--focal", default=None, metavar="SPECIES", help="A species to list first and break down.")
@click.option("--name", default=None, help="The study's name [default: the region file's name].")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The study file to write."
)
def new(protected, ranges, region, focal, name, output):
    """Write a study file (paths relative to it) that `pacov report` and `pacov serve` read."""
    from pacov.scenarios.new_study import new_study

    written = new_study(output, protected, ranges, region, focal=focal, name=name)
    click.echo(f"wrote {written}", err=True)
