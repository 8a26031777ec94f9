"""The report as one HTML page a ministry reads: the planner's questions, each answered, then shown.

Self-contained and offline: charts are inline SVG and the map is the offline folium map (Leaflet
inlined) in an ``<iframe srcdoc>``, so the page works from a USB stick, as an e-mail attachment and
in print (print CSS; ``--pdf`` prints it with Chromium). Text from data is escaped with html.escape;
the page's own words are in the chosen language (outputs/i18n.py), names from the data stay as they are.
"""

from html import escape

from pacov.outputs.i18n import language
from pacov.outputs.maps import footer as map_footer
from pacov.outputs.maps import read_points
from pacov.outputs.page_gbf import gbf_section
from pacov.outputs.page_sections import connected, how_it_grew, how_much, what_changes, where, which_short
from pacov.outputs.webmap import build_map

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0 auto;max-width:68em;padding:1em 2em;color:#222}
h1{font-size:1.7em;margin:.3em 0}h2{font-size:1.3em;margin:1.8em 0 .3em;border-bottom:2px solid #238b45}
p.answer{font-size:1.1em;margin:.3em 0 .8em}
.note{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.86em;margin:.4em 0 1em}
th,td{padding:3px 9px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
svg.chart,.gbf-chart svg{max-width:100%;height:auto;display:block;margin:.5em 0}
.legend .swatch{display:inline-block;margin-right:1.2em;font-size:.9em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em}
details{margin:.5em 0}summary{cursor:pointer;color:#08519c}
iframe{width:100%;height:640px;border:1px solid #bbb}
footer{margin-top:2em;border-top:1px solid #bbb;font-size:.82em;color:#444}
@media print{
 @page{size:A4;margin:14mm 12mm}
 body{max-width:none;padding:0;font-size:10.5pt}
 section{break-inside:auto}h2{break-after:avoid}svg.chart,tr,.answer{break-inside:avoid}
 iframe{height:120mm;break-inside:avoid}
 .scroll{overflow:visible}
 details:not([open]){display:none}
 a{color:inherit;text-decoration:none}
}
"""


def page_map(report, lang):
    """Today's protected areas over every range (the study's layers), with the focal species' corridors,
    opened at the focal species' range (what the section around it is about)."""
    study, result = report.study, report.result
    parts = result.overlay.parts
    fmap = build_map(
        study.name,
        result.sites,
        result.sites,
        result.overlay,
        map_footer([study.protected, study.ranges]),
        "",
        read_points([p.path for p in study.points]),
        True,
        study.focal,
        zone_field=study.breakdown,
        pairs=result.pairs,
        corridors=report.layers.get("corridors"),
        fit_to=parts[parts["sci_name"] == study.focal],
        lang=lang.code,
    )
    return fmap.get_root().render()


def sources(report, lang):
    figures = report.indicator["official"] + report.indicator["targets"]
    items = "".join(f"<li>{escape(f['label'])}: {escape(f['source'])}</li>" for f in figures)
    heading = lang._("Sources of the official figures and targets:")
    return f"<p>{escape(heading)}</p><ul>{items}</ul>" if items else ""


def build_html(report, lang="en"):
    """The page's HTML text from a Report (build_report) in language ``lang`` (en, ru or kk)."""
    lang = language(lang)
    title = lang._("{study}: protected areas and species", study=report.study.name)
    parts = [f"<h1>{escape(title)}</h1>"]
    if report.study.notice:
        parts.append(f'<p class="note">{escape(report.study.notice)}</p>')
    parts += [how_much(report, lang), which_short(report, lang), where(report, lang, page_map(report, lang))]
    parts.append(connected(report, lang))
    if report.scenarios:
        parts.append(what_changes(report, lang))
    if "gbf_target3" in report.tables:
        parts.append(gbf_section(report, lang))
    if len(report.tables["coverage_by_year"][1]):
        parts.append(how_it_grew(report, lang))
    footer = "".join(f"<p>{escape(p)}</p>" for p in report.footer.split("\n\n")) + sources(report, lang)
    if report.scenarios:
        files = lang._("Scenario files: {names}.", names=", ".join(r.scenario.path.name for r in report.scenarios))
        footer += f"<p>{escape(files)}</p>"
    return (
        f'<!DOCTYPE html><html lang="{lang.code}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>'
        + "".join(parts)
        + f'<footer id="provenance">{footer}</footer></body></html>\n'
    )
