"""``pacov raster-coverage``: the share of a raster's weight inside protected areas."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, require_zone_field, run_analysis
from pacov.errors import PacovError


@click.command("raster-coverage")
@analysis_inputs(ranges_required=False)
@click.option(
    "--raster",
    "raster",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A GeoTIFF (or any GDAL raster) of weights: density, suitability, counts, elevation.",
)
@click.option("--band", type=click.IntRange(1, None), default=1, show_default=True)
@click.option(
    "--habitat",
    default=None,
    metavar="EXPR",
    help="Habitat by band value, e.g. '1800<=elev<=4500': counts habitat area, not values.",
)
@click.option("--per-area", is_flag=True, help="Values are per km² (densities): weight by each cell's true area.")
@options.zones
@options.zone_field
@options.fmt
@options.output
def raster_coverage_(raster, band, habitat, per_area, zones, by, fmt, output, **inputs):
    """Weight inside protected areas (and each range: --ranges), counting edge cells by their exact covered
    fraction [default: the whole raster]."""
    from pacov.analyses.raster_coverage import parse_habitat, raster_coverage
    from pacov.reading.read import read_layer

    rule = parse_habitat(habitat) if habitat else None
    if not raster.is_file():
        raise PacovError(f"raster {raster}: file not found; check the path")
    require_zone_field(zones, by)
    if zones and not inputs["ranges"]:
        raise click.UsageError("--zones needs --ranges (the zones split each species' range)")
    result = run_analysis(**inputs)
    parts, fields = result.parts, []
    if zones:
        parts, field = result.zone_parts(read_layer(zones, "zones"), by, f"zones {zones}", inputs["assume_crs"])
        fields = [field]
    emit(raster_coverage(raster, result.sites, parts, band, rule, per_area, fields), fmt, output)
