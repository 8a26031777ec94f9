"""``pacov gbf``: the GBF Target 3 indicators in one long table, by year, today and under scenarios."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.cli.inputs import analysis_inputs, run_analysis

SHORT_NAMES = {"3.1": "3.1 protected and conserved areas", "kba": "KBA coverage", "protconn": "ProtConn",
               "spi": "Species Protection Index"}  # fmt: skip


def parse_targets(values):
    """``--target 3.1=30`` pairs as chart targets; none given: GBF Target 3's 30% of land."""
    from pacov.analyses.gbf import TARGETS, Target

    targets = []
    for value in values:
        key, _, number = value.partition("=")
        if key not in SHORT_NAMES:
            raise click.BadParameter(f"'{value}': give one of {', '.join(SHORT_NAMES)}=VALUE", param_hint="--target")
        try:
            targets.append(Target(SHORT_NAMES[key], float(number), f"--target {key}"))
        except ValueError:
            raise click.BadParameter(f"'{value}': the value must be a number", param_hint="--target") from None
    return tuple(targets) or TARGETS


@click.command("gbf")
@analysis_inputs
@click.option("--region", default=None, metavar="PATH[:LAYER]", help="Land outline [default: the embedded one].")
@click.option("--kba", default=None, metavar="PATH[:LAYER]", help="Key Biodiversity Areas (none shipped: licensed).")
@options.distances("ProtConn median dispersal distance in metres (repeatable).")
@click.option("--scenario", "scenarios", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A scenario file: its sites after its operations are measured too (repeatable).")  # fmt: skip
@click.option("--year", "years", multiple=True, type=int, help="Also measure the estate as of this year (repeatable).")
@click.option("--target", "targets", multiple=True, metavar="NAME=VALUE",
              help="A target line on the chart: 3.1, kba, protconn or spi [default: 3.1=30].")  # fmt: skip
@options.gpkg
@options.lang("the chart's words (the CSV and Markdown stay in English, for scripts)")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Where gbf_target3.csv, .md and .png go.")  # fmt: skip
def gbf(region, kba, distances, scenarios, years, targets, gpkg, lang, out_dir, **inputs):
    """3.1 coverage (PA, OECM, both), KBA coverage, ProtConn and the Species Protection Index in one
    long table (indicator, variant, year, scenario, value, unit, method, source), with a chart."""
    from pacov.analyses.gbf import chart as gbf_chart
    from pacov.analyses.gbf import gbf_target3
    from pacov.atomic import write_text
    from pacov.outputs.i18n import language
    from pacov.outputs.tables import to_csv, to_markdown
    from pacov.scenarios.gbf_states import scenario_states, study_from

    targets = parse_targets(targets)
    result = run_analysis(**inputs, flatten=False)
    study = study_from(result, region, kba, distances, inputs["protected"], inputs["ranges"], inputs["assume_crs"])
    states = scenario_states(scenarios, result.crs)
    table = gbf_target3(result.whole, study, states, years)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_text(out_dir / "gbf_target3.csv", to_csv(table))
    write_text(out_dir / "gbf_target3.md", to_markdown(table, "GBF Target 3 (gbf_target3)"))
    gbf_chart(table, out_dir / "gbf_target3.png", targets, language(lang)._)
    if gpkg:
        from pacov.outputs.gbf_layers import gbf_layers
        from pacov.outputs.gis_layers import write_gis

        write_gis(gbf_layers(result.whole, study, states), gpkg)
    click.echo(f"pacov: wrote gbf_target3.csv, .md and .png to {out_dir}", err=True)
