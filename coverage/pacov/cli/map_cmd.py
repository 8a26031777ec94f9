"""``pacov map``: HTML maps of scenarios or of any layers, self-contained and safe to send around."""

from pathlib import Path

import click

from pacov.cli import options


@click.command("map")
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--protected", default=None, metavar="PATH[:LAYER]", help="Map these protected areas (no scenario).")
@click.option("--ranges", default=None, metavar="PATH[:LAYER]", help="…over these species ranges (no scenario).")
@click.option(
    "--points", multiple=True, metavar="PATH[:LAYER]", help="Point layer to show (camera traps, collar fixes)."
)
@click.option(
    "--species",
    "focal",
    default=None,
    metavar="SCI_NAME",
    help="Species shown first and in the summary [default: the embedded study's focal species where the ranges hold it, else the first].",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="The HTML file (one map).")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for one map per scenario and an index.html.",
)
@click.option("--offline", is_flag=True, help="No tile layer: nothing at all is fetched from the network.")
@click.option(
    "--side-by-side",
    "pair",
    is_flag=True,
    help="Two maps that move together: the scenario's baseline (before) beside its result (after).",
)
@options.lang("the map's own words (names from the data stay as they are)")
def map_(scenarios, protected, ranges, points, focal, output, out_dir, offline, pair, lang):
    """Map a scenario (or --protected and --ranges) to one HTML file that opens in any browser.

    Leaflet is always inlined; only the base tiles need the network, and --offline drops them.
    """
    from pacov.atomic import write_text
    from pacov.outputs.maps import layers_map, scenario_map, write_scenario_maps

    if scenarios and (protected or ranges):
        raise click.UsageError("give scenario files or --protected/--ranges, not both")
    if not scenarios and not (protected and ranges):
        raise click.UsageError("give a scenario file, or both --protected and --ranges")
    if bool(output) == bool(out_dir):
        raise click.UsageError("give exactly one of --output FILE or --out-dir DIR")
    if pair and not scenarios:
        raise click.UsageError("--side-by-side compares a scenario with its baseline: give a scenario file")
    if output and len(scenarios) > 1:
        raise click.UsageError("several scenarios need --out-dir")
    if out_dir:
        if not scenarios:
            raise click.UsageError("--out-dir is for scenario files; use --output with --protected/--ranges")
        for path in write_scenario_maps(scenarios, out_dir, points, offline, focal, pair, lang):
            click.echo(str(path))
        return
    html = (
        scenario_map(scenarios[0], points, offline, focal, pair, lang)[0]
        if scenarios
        else layers_map(protected, ranges, points, offline, focal, lang=lang)
    )
    write_text(output, html)
    click.echo(str(output))
