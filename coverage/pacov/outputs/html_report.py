"""The report as one HTML page a planner can forward: headline, tables, charts, map, provenance.

Self-contained and offline: charts are inline SVG or PNG data URIs, and the map is the offline
folium map (Leaflet inlined) in an ``<iframe srcdoc>``, so the page works from a USB stick or as
an e-mail attachment. Every piece of text that comes from data is escaped with html.escape.
"""

import base64
import tempfile
from html import escape
from pathlib import Path

from pacov.analyses.timeline import chart
from pacov.atomic import write_text
from pacov.outputs.maps import result_map
from pacov.outputs.report import FOCAL
from pacov.outputs.tables import for_people, headers, is_hectares, is_share
from pacov.scenarios.run import compare

BEFORE_MERKE, TODAY, MAP_SCENARIO = "before-merke", "baseline", "undp-plan"
# matplotlib's default cycle, as in the coverage-by-year chart, so a species has one colour on the page
SPECIES_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:68em;padding:1em 2em;color:#222}
h1{font-size:1.7em;margin:.3em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:2px solid #238b45}
.note{color:#555;font-size:.9em}
.cards{display:flex;flex-wrap:wrap;gap:.8em;margin:.8em 0}
.card{flex:1 1 12em;background:#f3f8f4;border-left:5px solid #238b45;padding:.5em .8em}
.card b{display:block;font-size:1.45em}.card span{color:#444;font-size:.9em}
table{border-collapse:collapse;font-size:.88em;margin:.4em 0}
th,td{padding:3px 9px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
iframe{width:100%;height:640px;border:1px solid #bbb}
img{max-width:100%}
footer{margin-top:2em;border-top:1px solid #bbb;font-size:.82em;color:#444}
"""


def html_table(table, table_id):
    """An escaped HTML table of a result table in the people's format (ha, %)."""
    cells = for_people(table)
    numeric = [is_hectares(c) or is_share(c) or c.endswith("_pp") for c in table.columns]
    head = "".join(f'<th class="{"num" if n else ""}">{escape(h)}</th>' for h, n in zip(headers(table), numeric))
    rows = "".join(
        "<tr>" + "".join(f'<td class="{"num" if n else ""}">{escape(v)}</td>' for v, n in zip(row, numeric)) + "</tr>"
        for row in cells.itertuples(index=False)
    )
    return (
        f'<div class="scroll"><table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
    )


def comparison_svg(table):
    """Grouped horizontal bars: each scenario's protected share of every species' range (0–100%)."""
    species = sorted(dict.fromkeys(table["species"]))
    scenarios = list(dict.fromkeys(table["scenario"]))
    colours = {s: SPECIES_COLOURS[k % len(SPECIES_COLOURS)] for k, s in enumerate(species)}
    left, width, bar, gap = 170, 520, 9, 14
    group = bar * len(species) + gap
    legend_h = 18 * len(species) + 10
    height = 30 + group * len(scenarios) + legend_h
    shares = table.set_index(["scenario", "species"])["protected_share"]
    out = [
        f'<svg id="scenario-chart" xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" '
        f'role="img" aria-label="Protected share of each species range by scenario" font-size="12">'
    ]
    for pct in range(0, 101, 25):
        x = left + width * pct / 100
        out.append(f'<line x1="{x}" y1="20" x2="{x}" y2="{20 + group * len(scenarios)}" stroke="#ccc"/>')
        out.append(f'<text x="{x}" y="14" text-anchor="middle" fill="#555">{pct}%</text>')
    for i, name in enumerate(scenarios):
        y0 = 24 + i * group
        out.append(
            f'<text x="{left - 8}" y="{y0 + bar * len(species) / 2 + 4}" text-anchor="end">{escape(str(name))}</text>'
        )
        for j, sp in enumerate(species):
            share = float(shares.get((name, sp), 0.0))
            out.append(
                f'<rect class="bar" x="{left}" y="{y0 + j * bar}" width="{width * share:.1f}" height="{bar - 1}" '
                f'fill="{colours[sp]}"><title>{escape(f"{name}: {sp} {100 * share:.1f}%")}</title></rect>'
            )
    y = 30 + group * len(scenarios)
    for k, sp in enumerate(species):
        out.append(f'<rect x="{left}" y="{y + 18 * k}" width="12" height="12" fill="{colours[sp]}"/>')
        out.append(f'<text x="{left + 18}" y="{y + 18 * k + 10}">{escape(str(sp))}</text>')
    out.append("</svg>")
    return "".join(out)


def timeline_png(table):
    """The coverage-by-year chart as a PNG data URI."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        chart(table, path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img id="timeline-chart" alt="Protected area and species coverage by year" src="data:image/png;base64,{data}">'


def headline(report, results, focal):
    """Cards: the focal species' range, protected area and share today, and before Merke."""
    species = report.tables["species_coverage"][1].set_index("species")
    if focal not in species.index:
        focal = species.index[0]
    row = species.loc[focal]
    common = f" ({row['common_name']})" if "common_name" in species.columns and row["common_name"] else ""
    cards = [
        (f"{100 * row['protected_share']:.1f}%", f"of the {focal}{common} range is protected today"),
        (f"{row['range_ha']:,.0f} ha", "range"),
        (f"{row['protected_ha']:,.0f} ha", "range inside protected areas (overlaps counted once)"),
    ]
    by_name = {r.name: r.species.set_index("species") for r in results}
    if BEFORE_MERKE in by_name and TODAY in by_name and focal in by_name[TODAY].index:
        before, after = by_name[BEFORE_MERKE].loc[focal], by_name[TODAY].loc[focal]
        cards.append(
            (
                f"{100 * before['protected_share']:.1f}% → {100 * after['protected_share']:.1f}%",
                f"before and after Merke Regional Nature Park ({after['protected_ha'] - before['protected_ha']:+,.0f} ha)",
            )
        )
    body = "".join(f"<div class='card'><b>{escape(v)}</b><span>{escape(t)}</span></div>" for v, t in cards)
    return f'<div class="cards" id="headline">{body}</div>'


def build_html(report, results=(), focal=FOCAL, title="Protected-area coverage report"):
    """The page's HTML text from a Report (build_report) and scenario results (baseline first)."""
    results = list(results)
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(report.footer.split(chr(10))[0])}</p>',
        "<h2>Headline</h2>",
        headline(report, results, focal),
        "<h2>Coverage of each species</h2>",
        html_table(report.tables["species_coverage"][1], "species-table"),
        "<h2>Gap analysis</h2>",
        f'<p class="note">{escape(report.tables["gap_analysis"][0])}</p>',
        html_table(report.tables["gap_analysis"][1], "gap-table"),
    ]
    if results:
        table = compare(results)
        parts += [
            "<h2>Scenarios</h2>",
            f'<p class="note">Protected share of each range per scenario; changes against {escape(results[0].name)}.</p>',
            comparison_svg(table),
            html_table(table, "scenario-table"),
        ]
    if "coverage_by_year" in report.tables:
        parts += ["<h2>Coverage by year</h2>", timeline_png(report.tables["coverage_by_year"][1])]
    shown = next((r for r in results if r.name == MAP_SCENARIO), results[-1] if results else None)
    if shown is not None:
        page, _ = result_map(shown, offline=True, focal=focal)
        parts += [
            f"<h2>Map: scenario {escape(shown.name)}</h2>",
            f'<p class="note">{escape(shown.scenario.description)}</p>',
            f'<iframe id="map" title="map" srcdoc="{escape(page, quote=True)}"></iframe>',
        ]
    footer = "".join(f"<p>{escape(p)}</p>" for p in report.footer.split("\n\n"))
    if results:
        footer += f"<p>Scenario files: {escape(', '.join(r.scenario.path.name for r in results))}.</p>"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>'
        + "".join(parts)
        + f'<footer id="provenance">{footer}</footer></body></html>\n'
    )


def write_html(report, results, path, focal=FOCAL):
    write_text(path, build_html(report, results, focal))
    return path
