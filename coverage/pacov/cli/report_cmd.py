"""``pacov report``: the main job on the embedded Kazakhstan layers (or another layers folder)."""

from pathlib import Path

import click

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
def report(layers_dir, out_dir, fmt):
    """Coverage of every species in the embedded layers, with the snow leopard broken down."""
    from pacov.outputs.report import build_report, summary_text, write_report
    from pacov.outputs.tables import to_json

    result = build_report(layers_dir)
    write_report(result, out_dir)
    species = result.tables["species_coverage"][1]
    click.echo(to_json(species) if fmt == "json" else summary_text(result), nl=False)
