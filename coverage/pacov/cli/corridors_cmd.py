"""``pacov corridors``: least-cost corridors between neighbouring protected areas in each species' range."""

from pathlib import Path

import click

from pacov.analyses.corridor_defaults import MAX_DISTANCE_M, NEIGHBOURS, TOLERANCE
from pacov.cli import options
from pacov.embedded import embedded_study
from pacov.errors import PacovError


@click.command("corridors")
@options.protected
@options.ranges
@options.species
@click.option(
    "--resistance",
    default=None,
    metavar="RASTER",
    help="Resistance per metre of travel (> 0; nodata and values <= 0 are barriers) "
    "[default: the embedded study's resistance raster].",
)
@click.option(
    "--neighbours",
    type=int,
    default=NEIGHBOURS,
    show_default=True,
    help="Corridors from each site to this many nearest others.",
)
@click.option(
    "--max-distance",
    type=float,
    default=MAX_DISTANCE_M,
    show_default=True,
    metavar="METRES",
    help="Only between sites at most this far apart (edge to edge).",
)
@click.option(
    "--tolerance",
    type=float,
    default=TOLERANCE,
    show_default=True,
    help="Corridor: cells whose path cost through them is within this fraction of the least cost.",
)
@options.crs
@options.assume_crs
@options.status
@options.keep_mab
@options.fmt
@options.output
@options.gpkg
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write a self-contained offline HTML map: areas, ranges and corridors (a toggleable layer).",
)
def corridors_(protected, ranges, species, resistance, neighbours, max_distance, tolerance, crs, assume_crs, statuses,
               keep_mab, fmt, output, gpkg, map_path):  # fmt: skip
    """Least-cost corridors between neighbouring protected areas, and how much of each is protected.

    Cost-distance over the resistance raster (scikit-image MCP_Geometric); a corridor is the band of
    cells within --tolerance of the least cost between two flattened sites inside a species' range.
    """
    import pyproj

    from pacov.analyses.corridors import corridors, read_resistance
    from pacov.cleaning.project import require_crs
    from pacov.cli.inputs import clean_options, clean_sites, emit
    from pacov.engine.ranges import dissolve, prepare_ranges
    from pacov.reading.read import read_layer

    if resistance is None:
        resistance = embedded_study().resistance
        if resistance is None:
            raise PacovError("the embedded study names no resistance raster; give --resistance RASTER")
    raw_ranges = require_crs(read_layer(ranges, "ranges"), f"ranges {ranges}", assume_crs)
    sites = clean_sites(protected, crs and pyproj.CRS(crs), assume_crs, clean_options(statuses, keep_mab), raw_ranges)
    crs = sites.crs
    parts = prepare_ranges(raw_ranges, crs, f"ranges {ranges}", species=list(species))
    regions = [(row.sci_name, row.geometry) for row in dissolve(parts).itertuples()]
    result = corridors(sites, regions, read_resistance(resistance, crs), neighbours, max_distance, tolerance)
    emit(result.drop(columns="geometry"), fmt, output)
    if gpkg:
        from pacov.outputs.gis_layers import write_gis

        write_gis({"corridors": result}, gpkg)
    if map_path:
        from pacov.atomic import write_text
        from pacov.engine.overlay import RangeOverlay
        from pacov.outputs.maps import footer
        from pacov.outputs.webmap import build_map

        fmap = build_map(
            "Least-cost corridors",
            sites,
            sites,
            RangeOverlay(parts),
            footer([protected, ranges]),
            f"Corridors: cells within {tolerance:.0%} of the least cost between neighbouring areas.",
            offline=True,
            focal=species[0] if species else embedded_study().focal,
            corridors=result,
        )
        write_text(map_path, fmap.get_root().render())
