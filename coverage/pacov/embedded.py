"""Where the embedded study file lives: in the source tree (layers/ beside coverage/), not in the package.

Everything about that study (its layers, focal species, figures and targets) is in the file; a module of
its own so the CLI can show the default without loading the analysis.
"""

from pathlib import Path

EMBEDDED_STUDY = Path(__file__).resolve().parents[2] / "layers" / "kazakhstan" / "study.toml"


def embedded_focal():
    """The embedded study's focal species (the maps' default), or None where the study is not present."""
    return embedded_study().focal if EMBEDDED_STUDY.is_file() else None


def embedded_study():
    """The embedded study, loaded (its paths absolute)."""
    from pacov.scenarios.study_file import load_study

    return load_study(EMBEDDED_STUDY)
