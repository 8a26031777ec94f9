"""One colour per species, the same wherever a species is drawn (charts, tables' swatches, maps).

Colours follow the order the names are given in (the report's species order, focal first), from
matplotlib's tab10 cycle (distinct, readable on white and in print), then tab20's lighter tones.
"""

TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
TAB20_LIGHT = [
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
]
COLOURS = TAB10 + TAB20_LIGHT


def species_colours(names):
    """{name: "#rrggbb"} for each distinct name, in order; beyond 20 species the colours repeat."""
    distinct = list(dict.fromkeys(names))
    return {name: COLOURS[k % len(COLOURS)] for k, name in enumerate(distinct)}


def species_label(name, commons):
    """'Common name (Scientific name)' where ``commons`` names the species, else the scientific name."""
    common = commons.get(name)
    return f"{common} ({name})" if common else name
