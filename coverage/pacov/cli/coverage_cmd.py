"""``pacov coverage``: the protected share of each species' range for any pair of layers."""

import click

from pacov.cli import options
from pacov.cli.inputs import Totals, analysis_inputs, choose_path, emit, require_zone_field, run_analysis, tell


@click.command()
@analysis_inputs
@click.option(
    "--by",
    "by",
    default=None,
    metavar="FIELD",
    help="Break down by a range field (e.g. landscape) or a site field (DESIG_ENG, IUCN_CAT, NAME).",
)
@options.zones
@options.site_type
@options.fmt
@options.output
@options.gpkg
@options.out_of_core
@options.in_memory
@options.work_dir
def coverage(by, zones, site_type, fmt, output, gpkg, out_of_core, in_memory, work_dir, **inputs):
    """Range area, protected area and protected share per species."""
    from pacov.cleaning.site_type import labelled
    from pacov.reading.read import read_layer

    require_zone_field(zones, by)
    whole = [flag for flag, value in (("--by", by), ("--gpkg", gpkg), ("--clip", inputs["clip"])) if value]
    path = choose_path(inputs, out_of_core, in_memory, work_dir, whole)
    if path.out_of_core and whole:
        raise click.UsageError(f"--out-of-core gives the species totals only; leave out {', '.join(whole)}")
    result = run_analysis(  # the totals alone need no flattening
        **inputs,
        flatten=False,
        by_site=bool(by or gpkg),
        site_type=site_type,
        out_of_core=path.out_of_core,
        work_dir=work_dir,
        fallback=path.fallback,
    )
    if isinstance(result, Totals):  # out of core, chosen or after running out of memory
        emit(labelled(result.species, site_type), fmt, output)
        return
    zone_field = by if by in result.parts.columns else None
    parts = result.field_parts(zone_field) if zone_field else result.parts
    if zones:
        zone_layer = read_layer(zones, "zones")
        parts, zone_field = result.zone_parts(zone_layer, by, f"zones {zones}", inputs["assume_crs"])
        tell(result.notes)
        table = result.parts_breakdown(parts, zone_field)
    else:
        table = result.breakdown(by) if by else result.species
    if gpkg:
        from pacov.outputs.gis_layers import coverage_layers, write_gis

        write_gis(coverage_layers(result, zone_field, parts), gpkg)
    emit(labelled(table, site_type), fmt, output)
