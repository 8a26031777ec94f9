"""Write a scenario file from a layer of drawn proposals: every polygon added to today's baseline.

The file is plain TOML a planner can edit afterwards (drop an operation, add a cost, expand a
site instead); paths in it are relative to the file, as scenario_file.py reads them.
"""

import json
import logging
import os
import re
from pathlib import Path

from pacov.atomic import write_text
from pacov.errors import PacovError
from pacov.reading import drawn, fields
from pacov.reading.read import read_layer, split_source
from pacov.scenarios.scenario_file import load_scenario

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
log = logging.getLogger(__name__)


def relative(source, folder):
    """``PATH[:LAYER]`` relative to ``folder`` (POSIX separators, so the file travels)."""
    path, layer = split_source(source)
    rel = Path(os.path.relpath(Path(path).resolve(), Path(folder).resolve())).as_posix()
    return f"{rel}:{layer}" if layer else rel


def chosen_id_field(layer, label, wanted=None):
    """The field naming each proposal: ``wanted`` (--id-field) where given, else PROPOSAL_ID or
    WDPAID in a WDPA-schema layer, else one of drawn.ID_FIELDS. A drawn layer whose only distinct
    field is another (a ``comment``) is refused: its values would silently become the ids."""
    if wanted is not None:
        field = fields.require(layer.columns, label, wanted)
        if not drawn.names_each(layer[field]):
            raise PacovError(f"{label}: --id-field {wanted}: fill it in with a different value for every polygon")
        return field
    if not drawn.is_drawn(layer):
        return fields.require(layer.columns, label, "PROPOSAL_ID", "WDPAID")
    field = drawn.id_field_of(layer, label)
    if not drawn.is_id_name(layer, field):
        raise PacovError(
            f"{label}: no id field ({', '.join(drawn.ID_FIELDS)}); '{field}' differs for every polygon: "
            f"give --id-field {field} to name the proposals by it, or add an id or name field"
        )
    log.warning("%s: each proposal's id is its '%s' (--id-field FIELD to choose another)", label, field)
    return field


def proposals_description(count):
    return f"Today’s protected areas plus the {count} drawn proposal{'' if count == 1 else 's'}"


def new_scenario(
    proposals, name, output, protected, ranges, description="", candidates=(), anchored=False, id_field=None
):
    """Write a scenario adding every polygon of ``proposals`` to the baseline; return its path.

    ``candidates``: (layer, id_field, id, label) of proposals from another layer, added first.
    ``anchored``: the baseline and candidate layers by absolute path, for a file that is downloaded
    and saved anywhere on this machine (the drawn layer stays beside it). ``id_field``: the field
    naming each proposal (chosen_id_field).
    """
    if not NAME.fullmatch(name):
        raise PacovError(f"--name {name!r}: use only letters, digits, '.', '_' and '-' (it names the output files)")
    output = Path(output)
    if output.exists():
        raise PacovError(f"{output}: exists already; choose another --output or remove it (it may hold your edits)")
    label = f"proposals {proposals}"
    layer = read_layer(proposals, label)
    if len(layer) == 0:
        raise PacovError(f"{label}: holds no polygon; draw at least one")
    id_field = chosen_id_field(layer, label, id_field)
    name_field = fields.find(layer.columns, *(drawn.NAME_FIELDS if drawn.is_drawn(layer) else ("NAME",))) or id_field
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 (a JSON string is a valid TOML basic string)
    where = (lambda s: Path(str(s)).resolve().as_posix()) if anchored else (lambda s: relative(s, output.parent))  # noqa: E731
    lines = [
        f"# Written by `pacov scenario new` from {Path(split_source(proposals)[0]).name}: every polygon added to today's",
        "# baseline. Edit freely: drop an operation, add `cost = …`, or replace a default label.",
        f"name = {q(name)}",
        f"description = {q(description or proposals_description(len(layer)))}",
        "",
        "[baseline]",
        f"protected = {q(where(protected))}",
        f"ranges = {q(where(ranges))}",
        "",
        "[proposals]",
        f"layer = {q(relative(proposals, output.parent))}",
        f"id_field = {q(str(id_field))}",
    ]
    for source, field, ident, title in candidates:
        lines += ["", "[[operations]]", 'op = "add"', f"ids = [{q(str(ident))}]", f"layer = {q(where(source))}"]
        lines += [f"id_field = {q(field)}", f"label = {q(str(title))}"]
    for ident, title in zip(layer[id_field], layer[name_field]):
        lines += ["", "[[operations]]", 'op = "add"', f"ids = [{q(str(ident))}]", f"label = {q(str(title))}"]
    write_text(output, "\n".join(lines) + "\n")
    try:
        load_scenario(output)
    except PacovError:
        output.unlink()
        raise
    return output
