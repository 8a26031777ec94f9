"""The planning page's ASGI app (Starlette): the page, the scoring API, uploads and exports.

Every error is a 4xx (or 500) with ``{"error": "one line"}``, the line the page's panel shows.
Bodies are read with a size cap (413 beyond it) before any parsing. The evaluator is shared by all
requests and is run in worker threads under two locks, one for ProtConn (seconds on a large study)
and one for everything else, so a slow ProtConn never holds up the panel's figures, and memory
stays bounded however many clients call at once. The evaluator only reads its state.
"""

import logging
import threading

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from pacov.errors import PacovError
from pacov.reading.sketches import parse_feature_collection, parse_json, read_upload
from pacov.serving.exports import scenario_report, scenario_zip

log = logging.getLogger(__name__)
MAX_BODY = 5 * 1024 * 1024  # a JSON request: hundreds of sketches of thousands of vertices fit
MAX_UPLOAD = 50 * 1024 * 1024
MAX_CANDIDATES = 100


class TooLarge(Exception):
    pass


async def read_body(request, limit):
    """The request body, refused (TooLarge) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def parse_request(body):
    """(sketches GeoDataFrame with ids, candidate ids) of an evaluate/export body."""
    data = parse_json(body)
    if not isinstance(data, dict):
        raise PacovError('request: must be a JSON object {"sketches": FeatureCollection, "candidates": [ids]}')
    unknown = set(data) - {"sketches", "candidates"}
    if unknown:
        raise PacovError(f"request: unknown key {sorted(unknown)[0]!r}; give 'sketches' and 'candidates'")
    collection = data.get("sketches", {"type": "FeatureCollection", "features": []})
    candidates = data.get("candidates", [])
    if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
        raise PacovError("request: 'candidates' must be a list of candidate ids (strings)")
    if len(candidates) > MAX_CANDIDATES:
        raise PacovError(f"request: {len(candidates)} candidates; at most {MAX_CANDIDATES}")
    return parse_feature_collection(collection), candidates


def error(message, status):
    return JSONResponse({"error": " ".join(str(message).split())[:500]}, status_code=status)


def create_app(evaluator, page_html):
    """The Starlette app serving ``page_html`` and scoring requests with ``evaluator``."""
    locks = {True: threading.Lock(), False: threading.Lock()}  # ProtConn or not

    def locked(func, body, query):
        with locks[func is connectivity]:
            return func(body, query)

    async def run(request, work, limit=MAX_BODY):
        try:
            body = await read_body(request, limit)
            return await run_in_threadpool(locked, work, body, request.query_params)
        except TooLarge:
            return error(f"request body over {limit // (1024 * 1024)} MiB; send fewer or simpler sketches", 413)
        except PacovError as exc:
            return error(exc, 400)
        except Exception as exc:  # one line for the panel; the details go to the server's log
            log.exception("internal error")
            return error(f"internal error: {type(exc).__name__} (see the server's log)", 500)

    def evaluate(body, query):
        sketches, candidates = parse_request(body)
        with_protconn = query.get("protconn", "true") != "false"  # the page asks for ProtConn separately
        return JSONResponse(evaluator.evaluate(sketches, candidates, connectivity=with_protconn))

    def connectivity(body, query):
        sketches, candidates = parse_request(body)
        return JSONResponse({"protconn": evaluator.connectivity(sketches, candidates)})

    def upload(body, query):
        frame = read_upload(body)
        return Response(frame.to_json(drop_id=True), media_type="application/geo+json")

    def export_scenario(body, query):
        data = scenario_zip(evaluator, *parse_request(body))
        return Response(data, media_type="application/zip", headers=attachment("sketches-scenario.zip"))

    def export_report(body, query):
        html = scenario_report(evaluator, *parse_request(body))
        return HTMLResponse(html, headers=attachment("sketches-report.html"))

    def post(work, limit=MAX_BODY):
        async def endpoint(request):
            return await run(request, work, limit)

        return endpoint

    async def page(request):
        return HTMLResponse(page_html)

    async def http_error(request, exc):
        return error(exc.detail, exc.status_code)

    routes = [
        Route("/", page),
        Route("/api/evaluate", post(evaluate), methods=["POST"]),
        Route("/api/protconn", post(connectivity), methods=["POST"]),
        Route("/api/upload", post(upload, MAX_UPLOAD), methods=["POST"]),
        Route("/api/export/scenario", post(export_scenario), methods=["POST"]),
        Route("/api/export/report", post(export_report), methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def attachment(filename):
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
