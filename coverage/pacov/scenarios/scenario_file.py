"""Read and validate a scenario file (TOML): a baseline and the operations applied to it, in order.

Every mistake is reported with the file, the key path and the valid choices, because planners edit
these files by hand. Paths inside a scenario are relative to the scenario file.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pacov.cleaning.status import BASELINE_STATUSES
from pacov.errors import PacovError
from pacov.reading.fields import did_you_mean

TOP_KEYS = {"name", "description", "source", "baseline", "proposals", "operations"}
BASELINE_KEYS = {"protected", "ranges", "statuses", "as_of"}
PROPOSAL_KEYS = {"layer", "id_field"}
OPERATION_KEYS = {
    "add": {"op", "ids", "layer", "id_field", "cost", "label"},
    "expand": {"op", "site", "by", "buffer_m", "mask", "layer", "id_field", "cost", "label"},
    "remove": {"op", "site", "polygon", "label"},
}


@dataclass(frozen=True)
class Operation:
    """One step: ``add`` proposals, ``expand`` a site, or ``remove`` (PADDD) a site or part of it."""

    op: str
    label: str
    ids: tuple = ()
    site: int | None = None
    by: str | None = None
    buffer_m: float | None = None
    mask: Path | None = None
    polygon: Path | None = None
    layer: Path | None = None
    id_field: str = "PROPOSAL_ID"
    cost: float | None = None


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    description: str
    protected: Path
    ranges: Path
    statuses: tuple = BASELINE_STATUSES
    as_of: int | None = None
    proposals: Path | None = None
    proposal_id_field: str = "PROPOSAL_ID"
    operations: tuple = field(default_factory=tuple)
    source: str = ""


def load_scenario(path):
    """Parse and validate a scenario file; return a :class:`Scenario` with absolute paths."""
    path = Path(path)
    if not path.is_file():
        raise PacovError(f"scenario {path}: file not found; check the path")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PacovError(f"scenario {path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PacovError(f"scenario {path}: TOML syntax error: {exc}") from exc
    where = f"scenario {path}"
    _known(data, TOP_KEYS, where)
    base = _table(data, "baseline", where, required=True)
    _known(base, BASELINE_KEYS, f"{where}: [baseline]")
    proposals = _table(data, "proposals", where)
    _known(proposals, PROPOSAL_KEYS, f"{where}: [proposals]")
    ops = data.get("operations", [])
    if not isinstance(ops, list) or not all(isinstance(o, dict) for o in ops):
        raise PacovError(f"{where}: 'operations' must be an array of tables ([[operations]])")
    folder = path.parent
    proposal_id_field = _typed(proposals, "id_field", str, f"{where}: [proposals]", default="PROPOSAL_ID")
    name = _typed(data, "name", str, where, default=path.stem)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise PacovError(
            f"{where}: name {name!r} may hold only letters, digits, '.', '_' and '-' (it names the output files)"
        )
    return Scenario(
        path=path,
        name=name,
        description=_typed(data, "description", str, where, default=""),
        source=_typed(data, "source", str, where, default=""),
        protected=_path(base, "protected", folder, f"{where}: [baseline]", required=True),
        ranges=_path(base, "ranges", folder, f"{where}: [baseline]", required=True),
        statuses=tuple(_typed(base, "statuses", list, f"{where}: [baseline]", default=list(BASELINE_STATUSES))),
        as_of=_year(base, f"{where}: [baseline]"),
        proposals=_path(proposals, "layer", folder, f"{where}: [proposals]"),
        proposal_id_field=proposal_id_field,
        operations=tuple(_operation(o, i + 1, folder, where, proposal_id_field) for i, o in enumerate(ops)),
    )


def unique_names(scenarios):
    """Refuse two scenarios with one name: their output files would overwrite each other."""
    seen = {}
    for sc in scenarios:
        if sc.name in seen:
            raise PacovError(
                f"scenario {sc.path}: name '{sc.name}' is also the name of {seen[sc.name]}; "
                "give each scenario its own name"
            )
        seen[sc.name] = sc.path
    return scenarios


def _operation(raw, number, folder, where, proposal_id_field="PROPOSAL_ID"):
    """One operation; ids in the [proposals] layer are read from its id_field unless the operation says otherwise."""
    where = f"{where}: operation {number}"
    op = raw.get("op")
    if op not in OPERATION_KEYS:
        raise PacovError(f"{where}: 'op' is {op!r}{did_you_mean(op, OPERATION_KEYS)}; choose add, expand or remove")
    _known(raw, OPERATION_KEYS[op], f"{where} ({op})")
    kwargs = {"op": op, "layer": _path(raw, "layer", folder, where), "cost": _number(raw, "cost", where, positive=True)}
    if "id_field" in raw:
        kwargs["id_field"] = _typed(raw, "id_field", str, where)
    elif "layer" not in raw:
        kwargs["id_field"] = proposal_id_field
    if op == "add":
        ids = raw.get("ids")
        if not isinstance(ids, list) or not ids:
            raise PacovError(f"{where} (add): 'ids' must be a non-empty list of proposal ids")
        kwargs["ids"] = tuple(ids)
    else:
        site = raw.get("site")
        if not isinstance(site, int) or isinstance(site, bool):
            raise PacovError(f"{where} ({op}): 'site' must be the WDPAID (an integer) of an existing area")
        kwargs["site"] = site
    if op == "expand":
        kwargs["by"] = raw.get("by")
        kwargs["buffer_m"] = _number(raw, "buffer_m", where, positive=True)
        kwargs["mask"] = _path(raw, "mask", folder, where)
        if (kwargs["by"] is None) == (kwargs["buffer_m"] is None):
            raise PacovError(f"{where} (expand): give exactly one of 'by' (an expansion polygon id) or 'buffer_m'")
    if op == "remove":
        kwargs["polygon"] = _path(raw, "polygon", folder, where)
    kwargs["label"] = _typed(raw, "label", str, where, default=_default_label(kwargs))
    return Operation(**kwargs)


def _default_label(kw):
    if kw["op"] == "add":
        return "add " + ", ".join(map(str, kw["ids"]))
    if kw["op"] == "expand":
        return f"expand {kw['site']} by " + (str(kw["by"]) if kw["by"] is not None else f"{kw['buffer_m']:g} m")
    return f"remove {'part of ' if kw['polygon'] else ''}{kw['site']}"


def _known(table, allowed, where):
    for key in table:
        if key not in allowed:
            raise PacovError(
                f"{where}: unknown key '{key}'{did_you_mean(key, allowed)}; valid keys: {', '.join(sorted(allowed))}"
            )


def _table(data, key, where, required=False):
    value = data.get(key, None)
    if value is None:
        if required:
            raise PacovError(f"{where}: missing [{key}] table (with protected = … and ranges = …)")
        return {}
    if not isinstance(value, dict):
        raise PacovError(f"{where}: '{key}' must be a table ([{key}])")
    return value


def _typed(table, key, kind, where, default=None):
    value = table.get(key, default)
    if not isinstance(value, kind):
        raise PacovError(f"{where}: '{key}' must be {kind.__name__}, not {type(value).__name__} ({value!r})")
    return value


def _number(table, key, where, positive=False):
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or (positive and value <= 0):
        raise PacovError(f"{where}: '{key}' must be a {'positive ' if positive else ''}number, not {value!r}")
    return float(value)


def _year(table, where):
    value = table.get("as_of")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1800 <= value <= 2100):
        raise PacovError(f"{where}: 'as_of' must be a year such as 2024, not {value!r}")
    return value


def _path(table, key, folder, where, required=False):
    value = table.get(key)
    if value is None:
        if required:
            raise PacovError(f"{where}: missing '{key}' (a layer path, relative to the scenario file)")
        return None
    if not isinstance(value, str) or not value:
        raise PacovError(f"{where}: '{key}' must be a path string, not {value!r}")
    return folder / value
