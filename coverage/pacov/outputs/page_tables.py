"""Tables of the report page: escaped cells, numbers in the page's locale, headings in its language.

A column the page knows has a translated heading (COLUMNS); any other keeps the heading the text
tables give it. Values from the data (names, designations) are escaped and never translated.
"""

from html import escape

import pandas as pd

from pacov.messages import N_
from pacov.outputs.tables import headers, is_hectares, is_share, missing

COLUMNS = {
    "species": N_("Species"),
    "common_name": N_("Common name"),
    "range_ha": N_("Range (ha)"),
    "protected_ha": N_("Protected (ha)"),
    "protected_share": N_("Protected share"),
    "target_ha": N_("Target (ha)"),
    "target_share": N_("Target share"),
    "shortfall_ha": N_("Shortfall (ha)"),
    "status": N_("Status"),
    "gap_status": N_("Gap status"),
    "indicator": N_("Figure"),
    "kind": N_("Kind"),
    "year": N_("Year"),
    "share": N_("Share of the region"),
    "gap_ha": N_("Gap to target (ha)"),
    "official_gap_ha": N_("Gap from the official figure (ha)"),
    "source": N_("Source"),
    "distance_m": N_("Median dispersal distance (m)"),
    "prot": N_("Protected (%)"),
    "protconn": N_("Protected and connected (%)"),
    "region": N_("Region"),
    "from_name": N_("From"),
    "to_name": N_("To"),
    "gap_km": N_("Gap (km)"),
    "length_km": N_("Path (km)"),
    "corridor_ha": N_("Corridor (ha)"),
    "scenario": N_("Scenario"),
    "delta_ha": N_("Change (ha)"),
    "delta_pp": N_("Change (pp)"),
    "sites": N_("Sites"),
    "variant": N_("Variant"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "method": N_("Method"),
}
VALUES = {"computed": N_("computed"), "official": N_("official"), "target": N_("target")}
VALUES |= {"gap species": N_("gap species"), "partial gap": N_("partial gap"), "target met": N_("target met")}


def cell(value, column, lang):
    """One value as the page shows it: ha and shares in the locale's format, known codes translated."""
    if missing(value) or value is pd.NA:
        return ""
    if is_hectares(column):
        return lang.number(value)
    if is_share(column):
        return lang.pct(value)
    if column.endswith("_pp"):
        return lang.pp(value)
    if column in ("status", "gap_status", "kind"):
        return lang._(VALUES[value]) if value in VALUES else str(value)
    if isinstance(value, float):
        return lang.number(value, 0 if value.is_integer() else 2)  # distances in m are whole numbers
    return str(value)


def html_table(table, table_id, lang):
    """An escaped HTML table with translated headings and locale-formatted numbers."""
    numeric = [is_hectares(c) or is_share(c) or pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    names = [lang._(COLUMNS[c]) if c in COLUMNS else h for c, h in zip(table.columns, headers(table))]
    head = "".join(f'<th class="{"num" if n else ""}">{escape(h)}</th>' for h, n in zip(names, numeric))
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if n else ""}">{escape(cell(v, c, lang))}</td>'
            for v, c, n in zip(row, table.columns, numeric)
        )
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f'<div class="scroll"><table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
    )


def folded(summary, body):
    """Detail a planner may open: closed on screen, open in print (see the page's print CSS)."""
    return f"<details><summary>{escape(summary)}</summary>{body}</details>"
