"""The report page as a PDF, printed by headless Chromium (its print CSS applies).

Chromium renders exactly the HTML page (inline SVG, the map's iframe, fonts for Cyrillic), is already
the browser the tests drive, and adds no Python dependency. It runs with a throwaway profile and no
network features; the PDF is written beside its target and renamed into place.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from pacov.atomic import atomic_path, write_text
from pacov.errors import PacovError

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
TIMEOUT_S = 180


def chromium():
    """The Chromium executable, or a one-line error saying how to get one."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise PacovError(
            "--pdf: chromium not found on PATH; install it (Debian: apt-get install chromium) or drop --pdf"
        )
    return found


def print_pdf(html_path, pdf_path):
    """Print ``html_path`` to ``pdf_path`` (atomically) with headless Chromium."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="pacov-chromium-") as profile, atomic_path(pdf_path, ".pdf") as tmp:
        command = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            Path(html_path).resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise PacovError(f"--pdf {pdf_path}: chromium did not finish in {TIMEOUT_S} s") from exc
        if done.returncode != 0 or tmp.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PacovError(f"--pdf {pdf_path}: chromium failed (exit {done.returncode}): {last}")
    return pdf_path


def write_html_and_pdf(page, html_path=None, pdf_path=None):
    """Write the page to ``html_path`` and/or print it to ``pdf_path`` (via a temporary copy if no HTML)."""
    if pdf_path:
        chromium()  # fail before writing anything
    if html_path:
        write_text(html_path, page)
    if pdf_path and html_path:
        print_pdf(html_path, pdf_path)
    elif pdf_path:
        with tempfile.TemporaryDirectory(prefix="pacov-page-") as folder:
            print_pdf(write_page(Path(folder) / "report.html", page), pdf_path)


def write_page(path, page):
    write_text(path, page)
    return path
