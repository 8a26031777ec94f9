"""Map jobs: a scenario file or any pair of layers to a self-contained HTML map, and an index page."""

from html import escape
from pathlib import Path
from urllib.parse import quote

from pacov.atomic import write_text
from pacov.engine.analysis import analyse
from pacov.outputs.basemap import CREDIT
from pacov.outputs.changes import change_rows, change_text, focal_record
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


def scenario_map(path, points=(), offline=False, focal=None, pair=False):
    """(HTML text, headline record) for one scenario file; ``pair``: before | after side by side."""
    return result_map(run_prepared(prepare(path)), points, offline, focal, pair)


def result_map(result, points=(), offline=False, focal=None, pair=False):
    """(HTML text, headline record) for a scenario run's result: the focal species' change_records row."""
    sc = result.scenario
    points = read_points(points)
    key = focal_species(list(result.species["species"]), focal)
    record = focal_record(result, key)
    after = build_map(
        f"{'After' if pair else 'Scenario'}: {sc.name}",
        result.flat_states[0],
        result.flat_states[-1],
        result.overlay,
        footer([sc.path, sc.protected, sc.ranges]),
        sc.description,
        points,
        offline,
        focal,
        change_rows=change_rows(record),
    )
    if pair:
        before = build_map(
            f"Before: {sc.name}'s baseline",
            result.flat_states[0],
            result.flat_states[0],
            result.overlay,
            footer([sc.path, sc.protected, sc.ranges]),
            "The protected areas before the scenario's operations.",
            points,
            offline,
            focal,
        )
        html = side_by_side(before, after)
    else:
        html = after.get_root().render()
    return html, {**record, "description": sc.description}


def layers_map(protected, ranges, points=(), offline=False, focal=None, title="Protected-area coverage"):
    """HTML text for any protected-area and range layers, without a scenario."""
    result = analyse(
        read_layer(protected, "protected areas"),
        read_layer(ranges, "ranges"),
        focal=focal,
        labels=(f"protected areas {protected}", f"ranges {ranges}"),
    )
    fmap = build_map(
        title,
        result.sites,
        result.sites,
        result.overlay,
        footer([protected, ranges]),
        "",
        read_points(points),
        offline,
        focal,
        pairs=result.pairs,
    )
    return fmap.get_root().render()


def index_page(records, footer_html):
    """An HTML page linking every map, with each scenario's headline change (changes.change_records)
    against today, and against the scenario's own baseline on a line of its own where that differs."""
    rows = "".join(
        f'<tr><td><a href="{escape(quote(r["file"]))}">{escape(r["scenario"])}</a></td><td>{escape(r["description"])}</td>'
        f"<td>{escape(r['species'])}</td><td>{100 * r['protected_share']:.1f}%</td>"
        f'<td class="change">{escape(change_text(r))}'
        + (
            f"<br><small>against {escape(r['own_baseline'])}: {escape(change_text(r, own=True))}</small>"
            if r["own_baseline"]
            else ""
        )
        + "</td></tr>"
        for r in records
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>pacov maps</title>'
        "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}td,th{padding:4px 10px;"
        "text-align:left;border-bottom:1px solid #ddd}</style></head><body><h1>pacov scenario maps</h1>"
        "<table><tr><th>Scenario</th><th>Description</th><th>Species</th><th>Protected share</th>"
        f"<th>Change against today</th></tr>{rows}</table><footer><p>{footer_html}</p></footer></body></html>\n"
    )


def write_scenario_maps(paths, out_dir, points=(), offline=False, focal=None, pair=False):
    """One map per scenario file under ``out_dir``, plus index.html; returns the files written."""
    out_dir = Path(out_dir)
    scenarios = unique_names([load_scenario(p) for p in paths])
    records, written = [], []
    for path in paths:
        html, record = scenario_map(path, points, offline, focal, pair)
        target = out_dir / f"{record['scenario']}.html"
        write_text(target, html)
        records.append({**record, "file": target.name})
        written.append(target)
    inputs = [p for sc in scenarios for p in (sc.protected, sc.ranges)]
    write_text(out_dir / "index.html", index_page(records, escape(notice_for(inputs))))
    return written + [out_dir / "index.html"]
