"""``pacov report``: the main job on the embedded Kazakhstan layers (or another layers folder)."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.embedded import DEFAULT_LAYERS


@click.command()
@click.option(
    "--layers",
    "layers_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_LAYERS,
    show_default="layers/kazakhstan",
    help="Folder holding protected_areas.geojson and species_ranges.geojson.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs/tables"),
    show_default=True,
    help="Where the CSV and Markdown tables go.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    help="Print the per-species summary as text or as JSON records.",
)
@options.gpkg
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the report as one self-contained HTML page (tables, charts, map; works offline).",
)
def report(layers_dir, out_dir, fmt, gpkg, html):
    """Coverage of every species in the embedded layers, with the snow leopard broken down.

    With --gpkg or --html, the scenarios in the layers folder's scenarios/ are run too and shown.
    """
    from pacov.outputs.bundle import report_layers, run_shipped
    from pacov.outputs.gis_layers import STYLES
    from pacov.outputs.gpkg import write_gpkg
    from pacov.outputs.html_report import write_html
    from pacov.outputs.report import build_report, summary_text, write_report
    from pacov.outputs.tables import to_json

    result = build_report(layers_dir)
    write_report(result, out_dir)
    scenarios = run_shipped(layers_dir) if gpkg or html else []
    if gpkg:
        write_gpkg(report_layers(result, scenarios), gpkg, STYLES)
    if html:
        write_html(result, scenarios, html)
    species = result.tables["species_coverage"][1]
    click.echo(to_json(species) if fmt == "json" else summary_text(result), nl=False)
