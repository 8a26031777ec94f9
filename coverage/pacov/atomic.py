"""Write outputs atomically: a temporary file in the target folder, renamed into place.

An interrupted or failed run therefore leaves the previous output intact and no partial file.
"""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pacov.errors import PacovError


@contextmanager
def atomic_path(path, suffix=".tmp"):
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    ``suffix`` ends the temporary name (GDAL wants a GeoPackage's name to end in .gpkg)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise PacovError(f"{path}: cannot write output ({exc.strerror}); choose a writable folder") from exc
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs should be as readable as any new file
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path, text):
    """Write ``text`` (UTF-8, Unix newlines) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
