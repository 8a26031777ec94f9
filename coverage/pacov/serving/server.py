"""Start the planning server: the study's baseline computed once, the page built once, then uvicorn.

It listens on the loopback (127.0.0.1) unless told otherwise: the page has no login, so anyone who
can reach the address can use it (and make it compute); another host is a choice that gets a warning.
"""

import logging
import sys
import threading
import time
import webbrowser

import uvicorn

from pacov.outputs.planning_page import planning_page
from pacov.scenarios.sketch import Evaluator
from pacov.scenarios.study_file import load_study
from pacov.serving.app import create_app

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def planning_app(study_path):
    """(ASGI app, seconds it took): the study read, its baseline overlaid, its page built."""
    started = time.perf_counter()
    logging.getLogger("pacov.reading.drawn").setLevel(logging.ERROR)  # a sketch has no WDPA fields, by design
    evaluator = Evaluator(load_study(study_path))
    app = create_app(evaluator, planning_page(evaluator))
    return app, time.perf_counter() - started


def serve(study_path, host="127.0.0.1", port=8765, open_page=False, echo=print):
    """Serve the planning page of ``study_path`` until interrupted."""
    if host not in LOOPBACK:
        echo(f"warning: serving on {host}: the planning page has no login; anyone who can reach it can use it")
    app, seconds = planning_app(study_path)
    url = f"http://{'127.0.0.1' if host in LOOPBACK else host}:{port}/"
    echo(f"pacov serve: {study_path} ready in {seconds:.1f} s at {url} (Ctrl+C stops)")
    if open_page:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def stderr(message):
    print(message, file=sys.stderr, flush=True)
