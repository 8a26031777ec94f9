"""pacov installs beside coverage.py (which pytest-cov brings to most environments) without breaking it.

Each case builds a fresh venv, installs coverage.py into it first, then pacov (``pip install .`` or
``pip install -e .``). pacov's own dependencies come from the running environment through a path
file written after the install, so only coverage.py and pacov itself are installed. Needs PyPI for the build backend.
"""

import hashlib
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT


def tree_digest(folder):
    """A digest of every file under ``folder`` (names and bytes), to show that nothing was overwritten."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run(*args, cwd=None):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.parametrize("editable", [False, True], ids=["regular", "editable"])
def test_pacov_installs_beside_coverage_py(tmp_path, editable):
    import coverage

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--ignore-installed",
        f"coverage=={coverage.__version__}",
    )
    before = tree_digest(site / "coverage")

    source = tmp_path / "src"  # a copy, so that a regular install cannot pick up the checkout's build/ folder
    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, source)
    shutil.copytree(ROOT / "coverage", source / "coverage", dirs_exist_ok=True)  # the working tree, committed or not
    shutil.copy(ROOT / "pyproject.toml", source / "pyproject.toml")
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", *(["-e"] if editable else []), source)
    (site / "zz_pacov_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # after: the build is isolated

    assert run(venv / "bin" / "pacov", "--version").strip().startswith("pacov, version")
    assert "Coverage.py" in run(python, "-m", "coverage", "--version")
    where = run(python, "-c", "import coverage, pacov; print(coverage.__file__); print(pacov.__file__)").split()
    assert Path(where[0]).parent == site / "coverage"
    assert Path(where[1]).parent.name == "pacov"
    assert tree_digest(site / "coverage") == before  # coverage.py untouched
    assert "pacov" in run(venv / "bin" / "pacov", "--help")
