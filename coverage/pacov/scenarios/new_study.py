"""Write a study file from the layers a planner has: protected areas, species ranges and the study area.

The file is plain TOML to edit afterwards (add zones, scenarios, official figures, targets); paths in it
are relative to the file, as study_file.py reads them, so the folder can be moved or shared whole.
"""

import json
from pathlib import Path

from pacov.atomic import write_text
from pacov.errors import PacovError
from pacov.reading import fields
from pacov.reading.read import read_layer, split_source
from pacov.scenarios.new_scenario import relative
from pacov.scenarios.study_file import load_study

NAME_FIELDS = ("sci_name", "binomial")


def new_study(output, protected, ranges, region, focal=None, name=None):
    """Write a study of ``protected`` areas over ``ranges`` inside ``region``; return its path."""
    output = Path(output)
    if output.exists():
        raise PacovError(f"{output}: exists already; choose another -o or remove it (it may hold your edits)")
    for role, source in (("protected areas", protected), ("ranges", ranges), ("region", region)):
        if not split_source(source)[0].exists():
            raise PacovError(f"{role} {source}: file not found; check the path")
    if focal is not None:
        check_species(ranges, focal)
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 (a JSON string is a valid TOML basic string)
    lines = [
        "# Written by `pacov study new`. Edit freely: add zones, proposals, scenarios, [[official]] figures and",
        "# [[targets]], each with its source (see README: the study file).",
        f"name = {q(name or Path(split_source(region)[0]).stem)}",
        *([f"focal = {q(focal)}"] if focal else []),
        "",
        "[layers]",
        f"protected = {q(relative(protected, output.parent))}",
        f"ranges = {q(relative(ranges, output.parent))}",
        f"region = {q(relative(region, output.parent))}",
    ]
    write_text(output, "\n".join(lines) + "\n")
    try:
        load_study(output)
    except PacovError:
        output.unlink()
        raise
    return output


def check_species(ranges, focal):
    """Refuse a focal species the ranges do not hold (a typo would give an empty breakdown)."""
    label = f"ranges {ranges}"
    layer = read_layer(ranges, label)
    column = fields.require(layer.columns, label, *NAME_FIELDS)
    names = set(layer[column].dropna().astype(str).str.strip())
    if focal not in names:
        raise PacovError(f"{label}: no species {focal!r}{fields.did_you_mean(focal, names)}; check --focal")
