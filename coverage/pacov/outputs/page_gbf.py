"""The page's GBF Target 3 section: how the country stands on the headline indicator 3.1 and the
Species Protection Index, today and under each scenario, with the study's targets on the chart."""

from html import escape

from pacov.analyses.gbf import BOTH, COVERAGE, OBSERVED, SPI, chart_svg, variant_label
from pacov.outputs.page_sections import short_label
from pacov.outputs.page_tables import folded, html_table
from pacov.outputs.report_gbf import gbf_targets

SHOWN = ["indicator", "variant", "scenario", "value", "unit"]


def value(table, indicator, variant, scenario=OBSERVED):
    rows = table[(table["indicator"] == indicator) & (table["variant"] == variant) & (table["scenario"] == scenario)]
    rows = rows[rows["year"].isna()]
    return float(rows["value"].iloc[0]) if len(rows) else None


def gbf_answer(table, lang, labels):
    """One sentence: 3.1 today (PAs and OECMs together), the scenario that raises it most (``labels``: name → the
    short label the scenario chart gives it; the table below gives every one), and the SPI today."""
    answer = lang._(
        "GBF headline indicator 3.1: {share} of the land is in protected areas and OECMs today.",
        share=lang.pct(value(table, COVERAGE, BOTH) / 100, 2),
    )
    shares = {s: value(table, COVERAGE, BOTH, s) for s in table["scenario"].unique() if s != OBSERVED}
    if shares:
        best = max(shares, key=shares.get)
        answer += " " + lang._(
            "Under “{scenario}”: {share}.", scenario=labels.get(best, best), share=lang.pct(shares[best] / 100, 2)
        )
    spi = value(table, SPI, "unweighted")
    if spi is not None:
        answer += " " + lang._("Species Protection Index (unweighted): {spi} of 100.", spi=lang.number(spi, 1))
    return answer


def gbf_section(report, lang):
    table = report.tables["gbf_target3"][1]
    now = table[table["year"].isna() & table["value"].notna()]  # today and each scenario's state
    labels = {r.name: short_label(r.scenario.description, r.name) for r in report.scenarios}
    note = lang._("The full table gives every year, method and source.")
    heading = lang._("How does it stand against GBF Target 3?")  # not in the f-string: Babel reads calls only
    return (
        f'<section id="gbf"><h2>{escape(heading)}</h2>'
        f'<p class="answer">{escape(gbf_answer(table, lang, labels))}</p>'
        f'<div class="chart gbf-chart">{chart_svg(table, gbf_targets(report), lang._)}</div>'
        f'<p class="note">{escape(note)}</p>'
        + html_table(in_words(now[SHOWN], lang), "gbf-table", lang)
        + folded(lang._("Every year, indicator and scenario (full table)"), html_table(table, "gbf-full-table", lang))
        + "</section>"
    )


def in_words(table, lang):
    """The short table's words in the page's language (scenario names are names; the full table stays as
    the CSV has it, for matching against it)."""
    table = table.copy()
    table["indicator"] = table["indicator"].map(lang._)
    table["variant"] = table["variant"].map(lambda v: variant_label(v, lang._))
    table["unit"] = table["unit"].map(lang._)
    table["scenario"] = table["scenario"].map(lambda s: lang._(s) if s == OBSERVED else s)
    return table
