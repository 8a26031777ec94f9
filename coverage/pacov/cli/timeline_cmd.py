"""``pacov timeline``: the protected estate and each species' share by year of designation."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, emit, run_analysis


@click.command("timeline")
@analysis_inputs
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the series as a PNG chart.",
)
@options.site_type
@options.fmt
@options.output
def timeline_(chart_path, site_type, fmt, output, **inputs):
    """Coverage through time from STATUS_YR; sites with no year are listed on stderr."""
    from pacov.analyses.timeline import chart, timeline
    from pacov.cleaning.site_type import labelled

    result = run_analysis(**inputs, site_type=site_type)
    sites = result.sites.set_geometry("site_geometry")
    table, undated = timeline(sites, result.parts)
    if len(undated):
        click.echo(
            f"pacov: note: {len(undated)} sites have no STATUS_YR and are not in the series: "
            + ", ".join(undated["NAME"].astype(str)[:10])
            + (" …" if len(undated) > 10 else ""),
            err=True,
        )
    if chart_path:
        chart(table, chart_path)
    emit(labelled(table, site_type), fmt, output)
