"""Read and validate a study file (TOML): one country's or region's whole case in one place.

A study names its layers (protected areas, species ranges, the region, optional zones, proposals,
rasters, KBAs), its focal species, its scenarios, the official figures and the targets the report sets
beside pacov's own. Nothing about any one country lives in the package: it all lives in study files.
Paths are relative to the study file; every mistake names the file and the key, as scenario files do.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pacov.errors import PacovError
from pacov.scenarios.scenario_file import _known, _number, _typed

TOP_KEYS = {"name", "focal", "breakdown", "notice", "credits", "layers", "connectivity", "official", "targets"}
LAYER_KEYS = {
    "protected",
    "ranges",
    "region",
    "zones",
    "zone_field",
    "proposals",
    "proposal_id_field",
    "scenarios",
    "resistance",
    "density",
    "kba",
    "basemap",
    "points",
}
POINT_KEYS = {"name", "path", "group", "title"}
FIGURE_KEYS = {"label", "protected_ha", "share", "year", "source"}
DEFAULT_DISTANCES_M = (10_000.0, 30_000.0, 100_000.0)


@dataclass(frozen=True)
class Figure:
    """An official figure or a target: an area or a share of the region, with its year and source."""

    label: str
    source: str
    protected_ha: float | None = None
    share: float | None = None
    year: int | None = None


@dataclass(frozen=True)
class PointLayer:
    """Observations (camera traps, collar fixes) to locate inside protected areas, grouped by ``group``."""

    name: str
    path: str
    title: str
    group: str | None = None


@dataclass(frozen=True)
class Study:
    """A study's inputs with absolute paths (``PATH[:LAYER]`` strings for vector layers)."""

    path: Path
    name: str
    protected: str
    ranges: str
    region: str
    focal: str | None = None
    breakdown: str | None = None  # a ranges field the focal species is broken down by (e.g. landscape)
    notice: str = ""  # printed in every footer: e.g. that the layers are reconstructions
    credits: tuple = ()
    zones: str | None = None
    zone_field: str | None = None
    proposals: str | None = None
    proposal_id_field: str = "PROPOSAL_ID"
    scenarios: tuple = ()
    resistance: Path | None = None
    density: Path | None = None
    kba: str | None = None
    basemap: Path | None = None
    points: tuple = ()
    distances_m: tuple = DEFAULT_DISTANCES_M
    official: tuple = field(default_factory=tuple)
    targets: tuple = field(default_factory=tuple)


def load_study(path):
    """Parse and validate a study file; return a :class:`Study` whose paths exist."""
    path = Path(path)
    where = f"study {path}"
    data = _parse(path, where)
    _known(data, TOP_KEYS, where)
    layers = data.get("layers")
    if not isinstance(layers, dict):
        raise PacovError(f"{where}: missing [layers] table (with protected = …, ranges = … and region = …)")
    _known(layers, LAYER_KEYS, f"{where}: [layers]")
    folder, lw = path.parent, f"{where}: [layers]"
    zones, zone_field = _source(layers, "zones", folder, lw), _optional_text(layers, "zone_field", lw)
    if (zones is None) != (zone_field is None):
        raise PacovError(f"{lw}: give 'zones' and 'zone_field' together (the layer and the field naming each zone)")
    return Study(
        path=path,
        name=_typed(data, "name", str, where, default=path.stem),
        focal=_optional_text(data, "focal", where),
        breakdown=_optional_text(data, "breakdown", where),
        notice=_typed(data, "notice", str, where, default=""),
        credits=tuple(_strings(data, "credits", where)),
        protected=_source(layers, "protected", folder, lw, required=True),
        ranges=_source(layers, "ranges", folder, lw, required=True),
        region=_source(layers, "region", folder, lw, required=True),
        zones=zones,
        zone_field=zone_field,
        proposals=_source(layers, "proposals", folder, lw),
        proposal_id_field=_typed(layers, "proposal_id_field", str, lw, default="PROPOSAL_ID"),
        scenarios=_scenarios(layers, folder, lw),
        resistance=_file(layers, "resistance", folder, lw),
        density=_file(layers, "density", folder, lw),
        kba=_source(layers, "kba", folder, lw),
        basemap=_folder(layers, "basemap", folder, lw),
        points=_points(layers, folder, lw),
        distances_m=_distances(data, where),
        official=_figures(data, "official", where),
        targets=_figures(data, "targets", where),
    )


def _parse(path, where):
    if not path.is_file():
        raise PacovError(f"{where}: file not found; check the path (or write one with `pacov study new`)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PacovError(f"{where}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PacovError(f"{where}: TOML syntax error: {exc}") from exc
    return data


def _relative(table, key, folder, where, required):
    """The path under ``key`` (``PATH[:LAYER]``), resolved against the study's folder; its file must exist."""
    value = table.get(key)
    if value is None:
        if required:
            raise PacovError(f"{where}: missing '{key}' (a layer path, relative to the study file)")
        return None, None
    if not isinstance(value, str) or not value:
        raise PacovError(f"{where}: '{key}' must be a path string, not {value!r}")
    target = folder / value
    if target.exists():
        return target, None
    name, _, layer = value.rpartition(":")
    if name and (folder / name).exists():
        return folder / name, layer or None
    raise PacovError(f"{where}: '{key}' = {value!r}: {target} not found; paths are relative to the study file")


def _source(table, key, folder, where, required=False):
    path, layer = _relative(table, key, folder, where, required)
    if path is None:
        return None
    return f"{path.resolve()}:{layer}" if layer else str(path.resolve())


def _file(table, key, folder, where):
    path, layer = _relative(table, key, folder, where, False)
    if layer or (path is not None and not path.is_file()):
        raise PacovError(f"{where}: '{key}' must name a file (a raster), not {table[key]!r}")
    return path and path.resolve()


def _folder(table, key, folder, where):
    path, layer = _relative(table, key, folder, where, False)
    if layer or (path is not None and not path.is_dir()):
        raise PacovError(f"{where}: '{key}' must name a folder, not {table[key]!r}")
    return path and path.resolve()


def _scenarios(layers, folder, where):
    """A folder of scenario TOMLs (the one named baseline.toml first) or a list of scenario files."""
    value = layers.get("scenarios", [])
    if isinstance(value, str):
        path, _ = _relative(layers, "scenarios", folder, where, True)
        if path.is_file():
            return (path.resolve(),)
        files = sorted(path.glob("*.toml"), key=lambda p: (p.name != "baseline.toml", p.name))
        return tuple(p.resolve() for p in files)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PacovError(f"{where}: 'scenarios' must be a folder or a list of scenario files, not {value!r}")
    return tuple(_relative({"scenarios": v}, "scenarios", folder, where, True)[0].resolve() for v in value)


def _points(layers, folder, where):
    raw = layers.get("points", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise PacovError(f"{where}: 'points' must be an array of tables ([[layers.points]])")
    found = []
    for number, point in enumerate(raw, start=1):
        pw = f"{where}: points {number}"
        _known(point, POINT_KEYS, pw)
        name = _typed(point, "name", str, pw)
        found.append(
            PointLayer(
                name=name,
                path=_source(point, "path", folder, pw, required=True),
                title=_typed(point, "title", str, pw, default=name),
                group=_optional_text(point, "group", pw),
            )
        )
    return tuple(found)


def _distances(data, where):
    table = data.get("connectivity", {})
    if not isinstance(table, dict):
        raise PacovError(f"{where}: 'connectivity' must be a table ([connectivity])")
    _known(table, {"distances_m"}, f"{where}: [connectivity]")
    value = table.get("distances_m", list(DEFAULT_DISTANCES_M))
    ok = isinstance(value, list) and value and all(_positive(v) for v in value)
    if not ok:
        raise PacovError(f"{where}: [connectivity] distances_m must be a list of positive distances in metres")
    return tuple(float(v) for v in value)


def _positive(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _figures(data, key, where):
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(f, dict) for f in raw):
        raise PacovError(f"{where}: '{key}' must be an array of tables ([[{key}]])")
    return tuple(_figure(f, f"{where}: {key} {n}") for n, f in enumerate(raw, start=1))


def _figure(raw, where):
    _known(raw, FIGURE_KEYS, where)
    area, share = _number(raw, "protected_ha", where, positive=True), _number(raw, "share", where, positive=True)
    if (area is None) == (share is None):
        raise PacovError(f"{where}: give exactly one of 'protected_ha' (hectares) or 'share' (0–1 of the region)")
    if share is not None and share > 1:
        raise PacovError(f"{where}: 'share' is a fraction from 0 to 1 (30% is 0.3), not {share:g}")
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1800 <= year <= 2200):
        raise PacovError(f"{where}: 'year' must be a year such as 2035, not {year!r}")
    label, source = _typed(raw, "label", str, where), _typed(raw, "source", str, where)
    return Figure(label=label, source=source, protected_ha=area, share=share, year=year)


def _optional_text(table, key, where):
    value = table.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise PacovError(f"{where}: '{key}' must be a non-empty string, not {value!r}")
    return value


def _strings(data, key, where):
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PacovError(f"{where}: '{key}' must be a list of strings")
    return value
