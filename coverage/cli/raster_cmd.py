"""``pacov raster-coverage``: the share of a raster's weight inside protected areas."""

from pathlib import Path

import click

from ..analysis import analyse
from ..clean import CleanOptions, clean_protected_areas
from ..errors import PacovError
from ..project import auto_equal_area_crs, require_crs
from ..raster_coverage import parse_habitat, raster_coverage
from ..read import read_layer
from ..status import BASELINE_STATUSES
from . import options
from .inputs import emit


@click.command("raster-coverage")
@options.protected
@click.option("--raster", "raster", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A GeoTIFF (or any GDAL raster) of weights: density, suitability, counts, elevation.")
@click.option("--ranges", "ranges", default=None, metavar="PATH[:LAYER]",
              help="Species ranges: shares inside each species' range [default: the whole raster].")
@click.option("--band", type=click.IntRange(1, None), default=1, show_default=True)
@click.option("--habitat", default=None, metavar="EXPR",
              help="Habitat by band value, e.g. '1800<=elev<=4500': counts habitat area, not values.")
@click.option("--per-area", is_flag=True, help="Values are per km² (densities): weight by each cell's true area.")
@options.species
@options.crs
@options.assume_crs
@options.status
@options.fmt
@options.output
def raster_coverage_(protected, raster, ranges, band, habitat, per_area, species, crs, assume_crs, statuses, fmt,
                     output):
    """Weight inside protected areas (and each range), counting edge cells by their exact covered fraction."""
    rule = parse_habitat(habitat) if habitat else None
    if not raster.is_file():
        raise PacovError(f"raster {raster}: file not found; check the path")
    clean = CleanOptions(statuses=tuple(statuses) or BASELINE_STATUSES)
    label = f"protected areas {protected}"
    sites_raw = read_layer(protected, "protected areas")
    if ranges:
        result = analyse(sites_raw, read_layer(ranges, "ranges"), species=list(species), crs=crs,
                         assume_crs=assume_crs, options=clean, labels=(label, f"ranges {ranges}"))
        sites, parts = result.sites, result.parts
    else:
        sites_raw = require_crs(sites_raw, label, assume_crs)
        sites, _ = clean_protected_areas(sites_raw, crs or auto_equal_area_crs(sites_raw), label, clean)
        parts = None
    emit(raster_coverage(raster, sites, parts, band, rule, per_area), fmt, output)
