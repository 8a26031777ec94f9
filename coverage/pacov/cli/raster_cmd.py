"""``pacov raster-coverage``: the share of a raster's weight inside protected areas."""

from pathlib import Path

import click

from pacov.analyses.raster_coverage import parse_habitat, raster_coverage
from pacov.cli import options
from pacov.cli.inputs import clean_options, clean_sites, emit
from pacov.engine.analysis import analyse
from pacov.errors import PacovError
from pacov.reading.read import read_layer


@click.command("raster-coverage")
@options.protected
@click.option(
    "--raster",
    "raster",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A GeoTIFF (or any GDAL raster) of weights: density, suitability, counts, elevation.",
)
@click.option(
    "--ranges",
    "ranges",
    default=None,
    metavar="PATH[:LAYER]",
    help="Species ranges: shares inside each species' range [default: the whole raster].",
)
@click.option("--band", type=click.IntRange(1, None), default=1, show_default=True)
@click.option(
    "--habitat",
    default=None,
    metavar="EXPR",
    help="Habitat by band value, e.g. '1800<=elev<=4500': counts habitat area, not values.",
)
@click.option("--per-area", is_flag=True, help="Values are per km² (densities): weight by each cell's true area.")
@options.species
@options.crs
@options.assume_crs
@options.status
@options.fmt
@options.output
def raster_coverage_(
    protected, raster, ranges, band, habitat, per_area, species, crs, assume_crs, statuses, fmt, output
):
    """Weight inside protected areas (and each range), counting edge cells by their exact covered fraction."""
    rule = parse_habitat(habitat) if habitat else None
    if not raster.is_file():
        raise PacovError(f"raster {raster}: file not found; check the path")
    clean = clean_options(statuses)
    if ranges:
        result = analyse(
            read_layer(protected, "protected areas"),
            read_layer(ranges, "ranges"),
            species=list(species),
            crs=crs,
            assume_crs=assume_crs,
            options=clean,
            labels=(f"protected areas {protected}", f"ranges {ranges}"),
        )
        sites, parts = result.sites, result.parts
    else:
        sites, parts = clean_sites(protected, crs, assume_crs, clean), None
    emit(raster_coverage(raster, sites, parts, band, rule, per_area), fmt, output)
