"""Render result tables as aligned text, CSV, Markdown or JSON records.

Numbers are rounded once, here, so every format shows the same figures: hectares to 0.01 ha in
machine formats and to whole hectares for people; shares as fractions (0–1) in machine formats
and as percentages for people.
"""

import html
import io
import json

import numpy as np
import pandas as pd

HA_DECIMALS = 2
SHARE_DECIMALS = 6


def is_share(column):
    return column.endswith("share") or column.startswith("share")


def is_hectares(column):
    return column.endswith("_ha")


def rounded(table):
    """The table with hectares and shares rounded for machine formats."""
    out = table.copy()
    for col in out.columns:
        if is_hectares(col):
            out[col] = out[col].astype(float).round(HA_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
        elif is_share(col):
            out[col] = out[col].astype(float).round(SHARE_DECIMALS) + 0.0
        elif col.endswith("_pp"):
            out[col] = out[col].astype(float).round(SHARE_DECIMALS - 2) + 0.0
    return out


def missing(v):
    return v is None or (isinstance(v, float) and np.isnan(v))


def for_people(table):
    """Strings: hectares with thousands separators, shares as percentages; a missing value is blank."""
    out = pd.DataFrame(index=table.index)
    for col in table.columns:
        values = table[col]
        if is_hectares(col):
            show = lambda v: f"{round(v) + 0:,.0f}"  # noqa: E731
        elif is_share(col):
            show = lambda v: f"{round(100 * v, 1) + 0:.1f}%"  # noqa: E731
        elif col.endswith("_pp"):
            show = lambda v: f"{round(v, 2) + 0:+.2f}"  # noqa: E731
        elif pd.api.types.is_float_dtype(values):
            show = lambda v: f"{v:,.2f}"  # noqa: E731
        else:
            show = str
        out[col] = values.map(lambda v, show=show: "" if missing(v) else show(v))
    return out


def headers(table):
    return [
        c.replace("_ha", " (ha)").replace("_share", " share").replace("_", " ") if c != "species" else c
        for c in table.columns
    ]


def to_text(table, footer=""):
    cells = for_people(table)
    names = headers(table)
    widths = [max([len(n)] + [len(v) for v in cells[c]]) for n, c in zip(names, cells.columns)]
    numeric = [is_hectares(c) or is_share(c) or pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    rows = [line(names), "  ".join("-" * w for w in widths)] + [line(list(r)) for r in cells.itertuples(index=False)]
    return "\n".join(rows) + ("\n\n" + footer if footer else "") + "\n"


def to_markdown(table, title="", footer=""):
    cells = for_people(table)
    names = headers(table)
    aligns = [
        "---:" if (is_hectares(c) or is_share(c) or pd.api.types.is_numeric_dtype(table[c])) else ":---"
        for c in table.columns
    ]
    escape = lambda v: html.escape(v, quote=False).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    rows = ["| " + " | ".join(escape(n) for n in names) + " |", "| " + " | ".join(aligns) + " |"]
    rows += ["| " + " | ".join(escape(v) for v in r) + " |" for r in cells.itertuples(index=False)]
    text = (f"## {title}\n\n" if title else "") + "\n".join(rows) + "\n"
    return text + (f"\n{footer}\n" if footer else "")


def to_csv(table):
    buffer = io.StringIO()
    rounded(table).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def to_records(table):
    return json.loads(rounded(table).to_json(orient="records", force_ascii=False))


def to_json(table):
    return json.dumps(to_records(table), ensure_ascii=False, indent=2) + "\n"


def render(table, fmt, title="", footer=""):
    """One table in one of the formats of outputs/formats.py."""
    if fmt == "table":
        return (f"{title}\n\n" if title else "") + to_text(table, footer)
    if fmt == "md":
        return to_markdown(table, title, footer)
    if fmt == "csv":
        return to_csv(table)
    return to_json(table)
