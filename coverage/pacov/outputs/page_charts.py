"""The page's charts as inline SVG (offline, crisp in print, text selectable and translatable).

Each chart's axis fits its data: the scenario chart shows changes in percentage points around zero,
not shares on a 0–100% axis where a change of a tenth of a point is invisible.
"""

from html import escape

FONT = 'font-family="system-ui,sans-serif" font-size="12"'


def svg(chart_id, width, height, label, body):
    return (
        f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" {FONT}>{"".join(body)}</svg>'
    )


def text(x, y, value, anchor="start", extra=""):
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(value)}</text>'


def wrapped(x, y, value, chars, anchor="end"):
    """``value`` on up to two lines of about ``chars`` characters, centred on ``y`` (cut with … beyond)."""
    words, lines = value.split(), [""]
    for word in words:
        if len(lines[-1]) + len(word) + 1 > chars and lines[-1]:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], (lines[1][: chars - 1] + "…")]
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if k == 0 else 14}">{escape(line)}</tspan>' for k, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y + 4 - 7 * (len(lines) - 1):.1f}" text-anchor="{anchor}">{spans}</text>'


def indicator_svg(rows, lang):
    """Horizontal bars in hectares: (label, hectares, kind) for the computed figure, official ones, targets."""
    left, width, bar = 320, 400, 26
    top = max(ha for _, ha, _ in rows) or 1.0
    colours = {"computed": "#238b45", "official": "#6baed6", "target": "#fdae6b"}
    body = []
    for k, (label, ha, kind) in enumerate(rows):
        y = 10 + k * (bar + 10)
        w = width * ha / top
        body.append(wrapped(left - 8, y + bar / 2, label, 48))
        body.append(
            f'<rect class="bar {kind}" x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colours[kind]}"/>'
        )
        body.append(text(left + w + 6, y + bar / 2 + 4, lang.mha(ha)))
    return svg("indicator-chart", left + width + 130, 20 + len(rows) * (bar + 10), lang._("Protected area"), body)


def delta_svg(deltas, scenarios, species, colours, lang):
    """Grouped bars of each scenario's change per species (percentage points of the range), around zero.

    ``deltas``: {(scenario, species): (delta_pp, delta_ha)}; ``scenarios``: [(name, label)]; ``species``:
    [(name, label)] in colour order.
    """
    values = [pp for pp, _ in deltas.values()] or [0.0]
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0
    left, width, bar, gap = 320, 400, 12, 18
    x = lambda v: left + width * (v - lo) / span  # noqa: E731
    group = bar * len(species) + gap
    body = [f'<line x1="{x(0):.1f}" y1="6" x2="{x(0):.1f}" y2="{10 + group * len(scenarios)}" stroke="#333"/>']
    for tick in (lo, hi):
        body.append(text(x(tick), 4 + 10 + group * len(scenarios) + 12, lang.pp(tick), "middle", 'fill="#555"'))
    for i, (name, label) in enumerate(scenarios):
        y0 = 10 + i * group
        body.append(wrapped(left - 8, y0 + bar * len(species) / 2, label, 48))
        for j, (sp, sp_label) in enumerate(species):
            pp, ha = deltas.get((name, sp), (0.0, 0.0))
            x0, x1 = sorted((x(0), x(pp)))
            tip = f"{label}: {sp_label} {lang.pp(pp)} ({lang.ha(ha)})"
            body.append(
                f'<rect class="bar" data-scenario="{escape(name)}" data-species="{escape(sp)}" x="{x0:.1f}" '
                f'y="{y0 + j * bar}" width="{max(x1 - x0, 0.5):.1f}" '
                f'height="{bar - 2}" fill="{colours[sp]}"><title>{escape(tip)}</title></rect>'
            )
            if pp:
                body.append(
                    text(
                        x1 + 4 if pp > 0 else x0 - 4,
                        y0 + j * bar + bar - 3,
                        lang.pp(pp),
                        "start" if pp > 0 else "end",
                        'font-size="10"',
                    )
                )
    height = 10 + group * len(scenarios) + 24
    return svg("scenario-chart", left + width + 90, height, lang._("Change per species and scenario"), body)


def legend(species, colours):
    """Swatches naming each species in its colour (HTML, so it wraps and prints)."""
    items = "".join(
        f'<span class="swatch"><i style="background:{colours[sp]}"></i>{escape(label)}</span>' for sp, label in species
    )
    return f'<p class="legend">{items}</p>'


def short(label):
    """A figure's label without its parenthesis (its date is on the axis), cut at 60 characters."""
    head = label.split(" (")[0]
    return head if len(head) <= 60 else head[:59] + "…"


def timeline_svg(series, official, targets, lang):
    """The protected estate by year (million ha) with the official figures as dots and the targets drawn
    as dashed lines to their year. ``official``/``targets``: [(label, hectares, year or None)]."""
    years = [int(y) for y in series["year"]]
    marks = [f for f in official + targets if f[2]]
    first, last = min(years + [f[2] for f in marks]), max(years + [f[2] for f in marks])
    top = 1.1 * max([*series["protected_ha"], *(f[1] for f in official + targets)])
    left, width, height, pad = 70, 640, 280, 24
    x = lambda yr: left + width * (yr - first) / max(last - first, 1)  # noqa: E731
    y = lambda ha: pad + height * (1 - ha / top)  # noqa: E731
    body = [f'<line x1="{left}" y1="{pad + height}" x2="{left + width}" y2="{pad + height}" stroke="#333"/>']
    for k in range(5):
        ha = top * k / 4
        body.append(f'<line x1="{left}" y1="{y(ha):.1f}" x2="{left + width}" y2="{y(ha):.1f}" stroke="#e5e5e5"/>')
        body.append(text(left - 6, y(ha) + 4, lang.number(ha / 1e6, 0), "end", 'fill="#555"'))
    for yr in sorted({first, last, *years[:: max(1, len(years) // 6)]}):
        body.append(text(x(yr), pad + height + 16, str(yr), "middle", 'fill="#555"'))
    points = " ".join(
        f"{x(a):.1f},{y(h):.1f} {x(b):.1f},{y(h):.1f}"
        for a, b, h in zip(years, years[1:] + [last], series["protected_ha"])
    )
    body.append(f'<polyline class="estate" points="{points}" fill="none" stroke="#238b45" stroke-width="2.5"/>')
    for label, ha, year in targets:
        if year:
            body.append(
                f'<line class="target" x1="{x(years[-1]):.1f}" y1="{y(ha):.1f}" x2="{x(year):.1f}" y2="{y(ha):.1f}" stroke="#e6550d" stroke-dasharray="6 4" stroke-width="2"/>'
            )
            body.append(f'<circle cx="{x(year):.1f}" cy="{y(ha):.1f}" r="5" fill="#e6550d"/>')
            body.append(
                text(x(year) - 8, y(ha) - 8, f"{short(label)}: {lang.mha(ha)} ({year})", "end", 'fill="#a63603"')
            )
    for label, ha, year in official:
        if year:
            body.append(f'<circle class="official" cx="{x(year):.1f}" cy="{y(ha):.1f}" r="5" fill="#3182bd"/>')
            body.append(text(x(year) - 8, y(ha) + 16, f"{short(label)}: {lang.mha(ha)}", "end", 'fill="#08519c"'))
    body.append(text(8, 14, lang._("million ha"), "start", 'fill="#555"'))
    return svg("timeline-chart", left + width + 30, pad + height + 30, lang._("Protected area by year"), body)
