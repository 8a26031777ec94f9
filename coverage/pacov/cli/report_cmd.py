"""``pacov report``: everything a study file asks for (the embedded study by default)."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.embedded import EMBEDDED_STUDY


def out_file(name, help_text):
    return click.option(
        f"--{name}", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE", help=help_text
    )


@click.command()
@click.argument(
    "study",
    type=click.Path(dir_okay=False, path_type=Path),
    default=EMBEDDED_STUDY,
    required=False,
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
    help="Print the summary as text, or the main figures as one JSON object.",
)
@options.site_type
@options.gpkg
@out_file("html", "Also write the report as one self-contained HTML page (charts, map; works offline).")
@out_file("pdf", "Also write the page as a PDF (printed by headless Chromium).")
@options.lang("the page and PDF")
def report(study, out_dir, fmt, site_type, gpkg, html, pdf, lang):
    """Coverage, gaps, zones, the national indicator, connectivity and scenarios of a study.

    STUDY is a study file (TOML; `pacov study new` writes one) [default: the embedded study,
    layers/…/study.toml].
    """
    from pacov.outputs.bundle import write_bundle
    from pacov.outputs.report import summary_text
    from pacov.outputs.report_json import report_json
    from pacov.scenarios.study_file import load_study

    result = write_bundle(load_study(study), out_dir, gpkg, html, pdf, lang, site_type)
    click.echo(report_json(result) if fmt == "json" else summary_text(result), nl=False)
