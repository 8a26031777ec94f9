"""What the planning page downloads: its sketches as a scenario (TOML + GeoPackage), and that scenario's report.

Both are written into a temporary folder this module creates and read back as bytes; nothing a
client sends is ever used as a path. The scenario file names the study's layers by absolute path,
so it runs with ``pacov scenario run`` wherever it is unzipped on this machine.
"""

import io
import tempfile
import zipfile
from pathlib import Path

from pacov.atomic import atomic_path
from pacov.errors import PacovError
from pacov.outputs.maps import scenario_map
from pacov.scenarios.new_scenario import new_scenario

NAME = "sketches"


def write_sketch_scenario(evaluator, sketches, candidate_ids, folder):
    """Write sketches.gpkg and sketches.toml (candidates first, then each sketch) in ``folder``; the TOML's path."""
    if not len(sketches):
        raise PacovError("export: draw or upload at least one sketch first (a scenario needs a drawn layer)")
    study = evaluator.study
    names = dict(evaluator.candidate_ids())
    unknown = [c for c in candidate_ids if str(c) not in names]
    if unknown:
        raise PacovError(f"export: no candidate {unknown[0]!r}; valid ids: {', '.join(names)}")
    gpkg = Path(folder) / f"{NAME}.gpkg"
    with atomic_path(gpkg, suffix=".gpkg") as tmp:
        sketches.to_file(tmp, driver="GPKG", layer=NAME)
    candidates = [(study.proposals, study.proposal_id_field, c, names[str(c)]) for c in dict.fromkeys(candidate_ids)]
    description = f"{study.name}: sketches drawn on the planning page"
    return new_scenario(
        str(gpkg), NAME, Path(folder) / f"{NAME}.toml", study.protected, study.ranges, description, candidates, True
    )


def scenario_zip(evaluator, sketches, candidate_ids):
    """A zip (bytes) of sketches.toml and sketches.gpkg."""
    with tempfile.TemporaryDirectory(prefix="pacov-export-") as folder:
        toml = write_sketch_scenario(evaluator, sketches, candidate_ids, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(toml, toml.name)
            archive.write(toml.with_suffix(".gpkg"), f"{NAME}.gpkg")
    return buffer.getvalue()


def scenario_report(evaluator, sketches, candidate_ids):
    """The scenario's HTML map report (text), as ``pacov map`` writes it, run from the exported files."""
    with tempfile.TemporaryDirectory(prefix="pacov-export-") as folder:
        toml = write_sketch_scenario(evaluator, sketches, candidate_ids, folder)
        html, _ = scenario_map(toml, offline=True, focal=evaluator.study.focal)
    return html
