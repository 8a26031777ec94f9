"""Map jobs: a scenario file or any pair of layers to a self-contained HTML map, and an index page."""

from html import escape
from pathlib import Path
from urllib.parse import quote

from pacov.atomic import write_text
from pacov.engine.analysis import analyse
from pacov.outputs.basemap import CREDIT
from pacov.outputs.changes import change_rows, change_text, focal_record, own_baseline_label
from pacov.outputs.i18n import language
from pacov.outputs.report import notice_for, sha256, software
from pacov.outputs.side_by_side import side_by_side
from pacov.outputs.webmap import build_map, focal_species
from pacov.reading.read import read_layer, split_source
from pacov.scenarios.run import prepare, run_prepared
from pacov.scenarios.scenario_file import load_scenario, unique_names


def footer(inputs):
    """Provenance: inputs with checksums, the reconstruction notice for embedded layers, the version."""
    names = []
    for path in inputs:
        path = split_source(path)[0]
        digest = sha256(path)[:12] if path.is_file() else "?"
        names.append(f"{path.name} (sha256 {digest}…)")
    notice = notice_for(inputs)
    return (
        f"{f'<div>{escape(notice)}</div>' if notice else ''}<div>{escape(CREDIT)}</div><div>Inputs: {escape(', '.join(names))}. "
        "Areas computed in an equal-area projection, "
        f"overlaps flattened; shapes simplified for display only. {escape(software())}.</div>"
    )


def read_points(sources):
    return [(Path(str(s)).stem, read_layer(s, "points")) for s in sources]


def scenario_map(path, points=(), offline=False, focal=None, pair=False, lang="en"):
    """(HTML text, headline record) for one scenario file; ``pair``: before | after side by side; ``lang``:
    the language of the map's own words (en, ru or kk)."""
    return result_map(run_prepared(prepare(path)), points, offline, focal, pair, lang)


def result_map(result, points=(), offline=False, focal=None, pair=False, lang="en"):
    """(HTML text, headline record) for a scenario run's result: the focal species' change_records row."""
    sc = result.scenario
    points = read_points(points)
    key = focal_species(list(result.species["species"]), focal)
    record, words = focal_record(result, key), language(lang)
    title = words._("After: {name}", name=sc.name) if pair else words._("Scenario: {name}", name=sc.name)
    after = build_map(
        title,
        result.flat_states[0],
        result.flat_states[-1],
        result.overlay,
        footer([sc.path, sc.protected, sc.ranges]),
        sc.description,
        points,
        offline,
        focal,
        change_rows=change_rows(record, lang),
        lang=lang,
    )
    if pair:
        before = build_map(
            words._("Before: {name}'s baseline", name=sc.name),
            result.flat_states[0],
            result.flat_states[0],
            result.overlay,
            footer([sc.path, sc.protected, sc.ranges]),
            words._("The protected areas before the scenario's operations."),
            points,
            offline,
            focal,
            lang=lang,
        )
        html = side_by_side(before, after)
    else:
        html = after.get_root().render()
    return html, {**record, "description": sc.description}


def layers_map(protected, ranges, points=(), offline=False, focal=None, title=None, lang="en"):
    """HTML text for any protected-area and range layers, without a scenario."""
    result = analyse(
        read_layer(protected, "protected areas"),
        read_layer(ranges, "ranges"),
        focal=focal,
        labels=(f"protected areas {protected}", f"ranges {ranges}"),
    )
    fmap = build_map(
        title or language(lang)._("Protected-area coverage"),
        result.sites,
        result.sites,
        result.overlay,
        footer([protected, ranges]),
        "",
        read_points(points),
        offline,
        focal,
        pairs=result.pairs,
        lang=lang,
    )
    return fmap.get_root().render()


def index_row(record, lang):
    """One scenario's row: its map, description, the focal species' share and change against today (and
    against its own baseline on a line of its own where that differs)."""
    r = record
    own = (
        f"<br><small>{escape(own_baseline_label(r, lang))}: {escape(change_text(r, own=True, lang=lang.code))}</small>"
        if r["own_baseline"]
        else ""
    )
    return (
        f'<tr><td><a href="{escape(quote(r["file"]))}">{escape(r["scenario"])}</a></td><td>{escape(r["description"])}</td>'
        f"<td>{escape(r['species'])}</td><td>{escape(lang.pct(r['protected_share']))}</td>"
        f'<td class="change">{escape(change_text(r, lang=lang.code))}{own}</td></tr>'
    )


def index_page(records, footer_html, lang="en"):
    """An HTML page linking every map, with each scenario's headline change (changes.change_records)."""
    lang = language(lang)
    _ = lang._
    heads = [_("Scenario"), _("Description"), _("Species"), _("Protected share"), _("Change against today")]
    title = escape(_("pacov scenario maps"))
    return (
        f'<!DOCTYPE html><html lang="{lang.code}"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}td,th{padding:4px 10px;"
        f"text-align:left;border-bottom:1px solid #ddd}}</style></head><body><h1>{title}</h1>"
        "<table><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in heads)
        + "</tr>"
        + "".join(index_row(r, lang) for r in records)
        + f"</table><footer><p>{footer_html}</p></footer></body></html>\n"
    )


def write_scenario_maps(paths, out_dir, points=(), offline=False, focal=None, pair=False, lang="en"):
    """One map per scenario file under ``out_dir``, plus index.html; returns the files written."""
    out_dir = Path(out_dir)
    scenarios = unique_names([load_scenario(p) for p in paths])
    records, written = [], []
    for path in paths:
        html, record = scenario_map(path, points, offline, focal, pair, lang)
        target = out_dir / f"{record['scenario']}.html"
        write_text(target, html)
        records.append({**record, "file": target.name})
        written.append(target)
    inputs = [p for sc in scenarios for p in (sc.protected, sc.ranges)]
    write_text(out_dir / "index.html", index_page(records, escape(notice_for(inputs)), lang))
    return written + [out_dir / "index.html"]
