"""The web page and its JSON API: `create_app(settings)` makes a Starlette app.

Everything the app keeps (the job backend, the templates, the settings) lives on the app
object it returns; nothing in this module changes after import. Every call into handbill's
library goes through work.py. A user's mistake is a 4xx whose body is
{"problems": [{"severity", "code", "where", "message", "fix"}]}, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import math
import re
import warnings
from dataclasses import dataclass
from importlib.resources import files
from pathlib import PurePath

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import work
from .jobs import Busy, Jobs, make_jobs
from .words import words

log = logging.getLogger("handbill.web")

MB = 1024 * 1024
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Settings:
    queue: str | None = None  # redis://host:6379/0: jobs go to RQ; None: the embedded pool
    workers: int = 2  # processes of the embedded pool
    ttl: float = 3600.0  # seconds a result is kept
    time_limit: float = 60.0  # seconds a job may run
    max_waiting: int = 200  # jobs waiting for a worker; more is a 503 "busy, try again"
    max_statement: int = 5 * MB
    max_pdf: int = 50 * MB
    max_logo: int = 10 * MB
    max_csv: int = 2 * MB
    max_logo_pixels: int = 40_000_000
    sweep_every: float = 30.0  # seconds between sweeps of expired results (embedded pool)


class Refused(Exception):
    """A request that cannot be served as it is: its status and problems."""

    def __init__(self, status: int, *problems: dict):
        super().__init__(problems[0]["message"] if problems else "")
        self.status, self.problems = status, list(problems)


def _refuse(status: int, message: str, *, code: str, where: str = "", fix: str = "") -> Refused:
    return Refused(status, {"severity": "error", "code": code, "where": where, "message": message, "fix": fix})


def _megabytes(size: int) -> str:
    """ "5 MB", "50.1 MB": rounded up, so that a file just over a limit never reads as the limit."""
    return f"{math.ceil(size / MB * 10) / 10:g} MB"


# --- reading a request --------------------------------------------------------------------

async def _form(request: Request, limit: int, limits: str) -> FormData:
    """The multipart (or urlencoded) form, read only up to `limit` bytes: more is a 413
    whose message says the `limits` ("5 MB for the statement and 10 MB for the logo")."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise _refuse(413, f"the upload is {_megabytes(int(length))}; the limit is {limits}",
                      code="too-large", fix="send a smaller file")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _refuse(413, f"the upload is more than the limit of {limits}",
                          code="too-large", fix="send a smaller file")
    data = bytes(body)

    async def receive():
        return {"type": "http.request", "body": data, "more_body": False}

    try:
        return await Request(request.scope, receive).form(max_files=4, max_fields=64, max_part_size=limit)
    except Exception as error:  # a malformed multipart body
        raise _refuse(400, f"the form could not be read ({type(error).__name__})", code="bad-form",
                      fix="send it as multipart/form-data") from None


async def _upload(form: FormData, key: str, limit: int, what: str) -> tuple[bytes, str] | None:
    """(bytes, file name) of an uploaded file, or None when none was sent."""
    value = form.get(key)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read()
    if len(data) > limit:
        raise _refuse(413, f"the {what} is {_megabytes(len(data))}; the limit is {_megabytes(limit)}",
                      code="too-large", where=key, fix=f"send a {what} under {_megabytes(limit)}")
    return data, PurePath(value.filename).name  # the name is only ever a label


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def _decode(data: bytes, what: str, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(422, f"the {what} is not UTF-8 text", code="not-utf8", where=where,
                      fix="save it as UTF-8 (in most editors: Save as, Encoding: UTF-8)") from None


def _logo(data: bytes, settings: Settings) -> str:
    """The logo's suffix, after decoding its header with limits: a decompression bomb, or
    something that is not an image, is refused here, never in a worker."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > settings.max_logo_pixels:
                    raise _refuse(413, f"the logo is {width} × {height} pixels; the limit is "
                                  f"{settings.max_logo_pixels / 1e6:g} megapixels", code="image-too-large",
                                  where="logo", fix="send a smaller image (1000 pixels across is plenty)")
                kind = image.format
                image.verify()
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(413, f"the logo has more pixels than the limit of {settings.max_logo_pixels / 1e6:g} megapixels",
                      code="image-too-large", where="logo", fix="send a smaller image") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(422, "the logo is not an image that can be read", code="bad-image", where="logo",
                      fix="send a PNG or JPEG") from None
    if kind not in ("PNG", "JPEG"):
        raise _refuse(422, f"the logo is a {kind} image; use PNG or JPEG", code="bad-image", where="logo",
                      fix="save it as PNG or JPEG")
    return ".png" if kind == "PNG" else ".jpg"


def _name(label: str) -> str:
    """The stem of the output files: from the statement file's or the title's name."""
    return work.slug(label)[:40].strip("-") or "statement"


async def _statement_job(request: Request, form: FormData, kind: str) -> dict:
    """The job dict of a build or batch form: the statement, its fields and the options,
    checked against what the server offers (a layout is a bundled name, never a path)."""
    settings: Settings = request.app.state.settings
    uploaded = await _upload(form, "statement", settings.max_statement, "statement file")
    text = _decode(uploaded[0], "statement file", "statement") if uploaded else (form.get("text") or "")
    if not isinstance(text, str):
        text = ""
    size = len(text.encode("utf-8"))
    if size > settings.max_statement:
        raise _refuse(413, f"the statement is {_megabytes(size)}; the limit is {_megabytes(settings.max_statement)}",
                      code="too-large", where="text",
                      fix="is this the right file? Paste only the statement (a leaflet holds about 600 words)")
    fields = {key: _text(form, key) for key in work.STATEMENT_FIELDS}
    fields["slogans"] = [line.strip() for line in (form.get("slogans") or "").splitlines() if line.strip()] \
        if isinstance(form.get("slogans"), str) else []
    if not text.strip() and not fields["title"] and not fields["slogans"]:
        raise _refuse(422, "the statement is empty", code="empty", where="text",
                      fix="type or paste the statement, or open its file")
    offered = request.app.state.layout_names
    chosen = [name for name in form.getlist("layouts") if isinstance(name, str) and name]
    for name in chosen:
        if name not in offered:
            raise _refuse(422, f"there is no layout called {name[:60]!r}", code="unknown-layout", where="layouts",
                          fix=f"choose from {', '.join(sorted(offered))}")
    page_size = _text(form, "page_size")
    if page_size and page_size not in request.app.state.paper_sizes:
        raise _refuse(422, f"{page_size[:40]!r} is not a paper size offered here", code="unknown-paper",
                      where="page_size", fix=f"choose from {', '.join(request.app.state.paper_sizes)}")
    printer = _text(form, "printer") or "print-shop"
    stock = _text(form, "stock") or "coated"
    if printer not in work.PRINTERS:
        raise _refuse(422, f"printer must be one of {', '.join(work.PRINTERS)}", code="bad-option", where="printer")
    if stock not in work.STOCK_NAMES:
        raise _refuse(422, f"stock must be one of {', '.join(work.STOCK_NAMES)}", code="bad-option", where="stock")
    job = {
        "kind": kind, "text": text, "fields": fields,
        "name": _name(PurePath(uploaded[1]).stem if uploaded else fields["title"] or "statement"),
        "layouts": chosen, "page_size": page_size, "printer": printer, "stock": stock,
        "marks": _text(form, "marks").lower() in ("on", "true", "1", "yes"),
    }
    logo = await _upload(form, "logo", settings.max_logo, "logo")
    if logo:
        job["logo"], job["logo_suffix"] = logo[0], _logo(logo[0], settings)
    return job


# --- JSON ---------------------------------------------------------------------------------

def _status_json(job_id: str, status, kind: str = "builds") -> dict:
    base = f"/api/{kind}/{job_id}"
    result = status.result or {}
    files = []
    for file in result.get("files", []):
        previews = [f"{base}/previews/{file['name']}/{n}.png" for n in range(1, len(file.get("previews") or ()) + 1)]
        entry = {"name": file["name"], "pages": file["pages"], "layout": file.get("layout", ""),
                 "url": f"{base}/files/{file['name']}" if file.get("pdf") is not None else None,
                 "preview": previews[0] if previews else None, "previews": previews}
        files.append(entry)
    body = {"id": job_id, "state": status.state, "problems": result.get("problems", []), "files": files}
    if any(file.get("pdf") is not None for file in result.get("files", [])):
        body["kit"] = f"{base}/kit.zip"
    if status.progress:
        body["progress"] = {"done": status.progress[0], "total": status.progress[1]}
    if "rows" in result:
        body["rows"], body["failed_rows"] = result["rows"], result["failed_rows"]
    if result.get("report") is not None:
        body["report"] = result["report"]
    return body


def _problems(status: int, problems: list[dict]) -> JSONResponse:
    return JSONResponse({"problems": problems}, status_code=status)


def _not_found(job_id: str) -> JSONResponse:
    return _problems(404, [{"severity": "error", "code": "not-found", "where": "id",
                            "message": "there is no such job: it was deleted, or its time on the server is over, or the address is wrong",
                            "fix": "make it again"}])


def _wants_page(request: Request) -> bool:
    """A form sent by a browser without JavaScript (it asks for text/html first): answer
    with pages, not JSON. The page's script, curl and other clients get JSON."""
    accept = request.headers.get("accept", "")
    return accept.startswith("text/html")


def _submitted(request: Request, job_id: str, kind: str) -> Response:
    if _wants_page(request):
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)
    return JSONResponse({"id": job_id, "url": f"/api/{kind}/{job_id}"}, status_code=202)


async def _call(function, *args):
    """A (possibly blocking: Redis) backend call off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


# --- routes -------------------------------------------------------------------------------

async def api_layouts(request: Request) -> JSONResponse:
    return JSONResponse({"kit": request.app.state.kit, "layouts": request.app.state.layouts,
                         "paper_sizes": request.app.state.paper_sizes, "printers": list(work.PRINTERS)})


async def api_submit_build(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    form = await _form(request, settings.max_statement + settings.max_logo + MB,
                       f"{_megabytes(settings.max_statement)} for the statement and {_megabytes(settings.max_logo)} for the logo")
    job = await _statement_job(request, form, "build")
    job_id = await _call(request.app.state.jobs.submit, job)
    return _submitted(request, job_id, "builds")


async def api_submit_batch(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    form = await _form(request, settings.max_statement + settings.max_logo + settings.max_csv + MB,
                       f"{_megabytes(settings.max_statement)} for the statement, {_megabytes(settings.max_logo)} "
                       f"for the logo and {_megabytes(settings.max_csv)} for the CSV")
    job = await _statement_job(request, form, "batch")
    events = await _upload(form, "events", settings.max_csv, "events CSV")
    if events is None:
        raise _refuse(422, "no events CSV was sent", code="no-events", where="events",
                      fix="choose the CSV of rallies (name, date, time, place, note, url)")
    job["events"] = events[0]
    job_id = await _call(request.app.state.jobs.submit, job)
    return _submitted(request, job_id, "batches")


async def api_status(request: Request) -> Response:
    """The job's state; with ?wait=S (up to 10 s), answered when the state or the progress
    changes, or after S seconds: one request instead of many polls."""
    job_id = request.path_params["id"]
    status = await _call(request.app.state.jobs.status, job_id)
    if status is None:
        return _not_found(job_id)
    try:
        wait = min(10.0, max(0.0, float(request.query_params.get("wait", "0"))))
    except ValueError:
        wait = 0.0
    loop = asyncio.get_running_loop()
    until, seen = loop.time() + wait, (status.state, status.progress)
    while status is not None and status.state not in ("done", "failed") and loop.time() < until:
        await asyncio.sleep(0.05)
        status = await _call(request.app.state.jobs.status, job_id)
        if status is not None and (status.state, status.progress) != seen:
            break
    if status is None:
        return _not_found(job_id)
    kind = "batches" if request.url.path.startswith("/api/batches/") else "builds"
    return JSONResponse(_status_json(job_id, status, kind))


async def _done_result(request: Request) -> dict | Response:
    status = await _call(request.app.state.jobs.status, request.path_params["id"])
    if status is None:
        return _not_found(request.path_params["id"])
    if status.state != "done" or status.result is None:
        return _problems(409, [{"severity": "error", "code": "not-done", "where": "id",
                                "message": f"the job is {status.state}, not done", "fix": "wait until it is done"}])
    return status.result


def _file_of(result: dict, name: str) -> dict | None:
    """The file of that name in the result: names come from the result, never from the disk."""
    return next((file for file in result.get("files", []) if file["name"] == name), None)


async def api_file(request: Request) -> Response:
    result = await _done_result(request)
    if isinstance(result, Response):
        return result
    file = _file_of(result, request.path_params["name"])
    if file is None or file.get("pdf") is None:
        return _not_found(request.path_params["id"])
    return Response(file["pdf"], media_type="application/pdf",
                    headers={"Content-Disposition": _attachment(file["name"])})


async def api_preview(request: Request) -> Response:
    result = await _done_result(request)
    if isinstance(result, Response):
        return result
    file = _file_of(result, request.path_params["name"])
    number = request.path_params["page"]
    if file is None or not 1 <= number <= len(file.get("previews") or ()):
        return _not_found(request.path_params["id"])
    return Response(file["previews"][number - 1], media_type="image/png")


async def api_kit(request: Request) -> Response:
    result = await _done_result(request)
    if isinstance(result, Response):
        return result
    pdfs = [(file["name"], file["pdf"]) for file in result.get("files", []) if file.get("pdf") is not None]
    data = work.zip_files(pdfs)
    name = result.get("name") or "statement"
    return Response(data, media_type="application/zip", headers={"Content-Disposition": _attachment(f"{name}-kit.zip")})


def _attachment(name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "file"
    return f'attachment; filename="{safe}"'


async def api_delete(request: Request) -> Response:
    if not await _call(request.app.state.jobs.delete, request.path_params["id"]):
        return _not_found(request.path_params["id"])
    return Response(status_code=204)


async def api_check(request: Request) -> Response:
    """A PDF in, `handbill check --json`'s report out (200), after waiting for the job; the
    page images are at the job's previews (header X-Handbill-Job)."""
    settings: Settings = request.app.state.settings
    form = await _form(request, settings.max_pdf + MB, f"{_megabytes(settings.max_pdf)} for the PDF")
    pdf = await _upload(form, "pdf", settings.max_pdf, "PDF")
    if pdf is None:
        raise _refuse(422, "no PDF was sent", code="no-pdf", where="pdf", fix="choose a PDF file")
    if not pdf[0].lstrip()[:5] == b"%PDF-" and b"%PDF-" not in pdf[0][:1024]:
        raise _refuse(422, f"{pdf[1]} is not a PDF", code="not-pdf", where="pdf", fix="choose a PDF file")
    paper = _text(form, "paper")
    if paper and paper not in work.STOCK_NAMES:
        raise _refuse(422, f"paper must be one of {', '.join(work.STOCK_NAMES)}", code="bad-option", where="paper")
    jobs: Jobs = request.app.state.jobs
    job_id = await _call(jobs.submit, {"kind": "check", "pdf": pdf[0], "name": _name(PurePath(pdf[1]).stem) + ".pdf",
                                       "paper": paper or None})
    if _wants_page(request):
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)
    deadline = asyncio.get_running_loop().time() + settings.time_limit + 35
    while True:
        status = await _call(jobs.status, job_id)
        if status is None:
            return _not_found(job_id)
        if status.state in ("done", "failed"):
            break
        if asyncio.get_running_loop().time() > deadline:
            return _problems(504, [work.problem("the check did not finish in time", code="time-limit")])
        await asyncio.sleep(0.1)
    headers = {"X-Handbill-Job": job_id}
    if status.state == "failed":
        return JSONResponse({"problems": status.result["problems"]}, status_code=422, headers=headers)
    return JSONResponse(status.result["report"], headers=headers)


async def healthz(request: Request) -> JSONResponse:
    health = await _call(request.app.state.jobs.health)
    return JSONResponse(health, status_code=200 if health.get("ok") else 503)


def _kept(w, ttl: float) -> str:
    """How long results are kept, in the page's words: "one hour", "30 minutes" (--ttl)."""
    if ttl >= 3600 and ttl % 3600 == 0:
        return w["one_hour"] if ttl == 3600 else w["hours"].format(n=int(ttl // 3600))
    if ttl >= 60:
        return w["one_minute"] if round(ttl / 60) == 1 else w["minutes"].format(n=round(ttl / 60))
    return w["seconds"].format(n=f"{ttl:g}")


def _page(template: str):
    async def page(request: Request) -> HTMLResponse:
        state = request.app.state
        w = words(request.headers.get("accept-language", "en")[:2])
        html = state.templates.get_template(template).render(
            w=w, words=dict(w), layouts=state.layouts, kit=state.kit, paper_sizes=state.paper_sizes,
            path=request.url.path, settings=state.settings, kept=_kept(w, state.settings.ttl))
        return HTMLResponse(html)
    return page


async def job_page(request: Request) -> HTMLResponse:
    """A job as a page, for a browser without JavaScript: it reloads itself until the job is
    done, then shows the problems, the pages and the downloads."""
    job_id = request.path_params["id"]
    status = await _call(request.app.state.jobs.status, job_id)
    state = request.app.state
    w = words(request.headers.get("accept-language", "en")[:2])
    body = _status_json(job_id, status, "builds") if status is not None else None
    html = state.templates.get_template("job.html").render(w=w, words=dict(w), job=body, path=request.url.path,
                                                           kept=_kept(w, state.settings.ttl))
    return HTMLResponse(html, status_code=200 if status is not None else 404)


# --- errors and headers -------------------------------------------------------------------

async def _refused(request: Request, error: Refused) -> Response:
    if _wants_page(request):
        w = words(request.headers.get("accept-language", "en")[:2])
        html = request.app.state.templates.get_template("job.html").render(
            w=w, words=dict(w), path=request.url.path, kept=_kept(w, request.app.state.settings.ttl),
            job={"id": "", "state": "refused", "problems": error.problems, "files": []})
        return HTMLResponse(html, status_code=error.status)
    return _problems(error.status, error.problems)


async def _busy(request: Request, error: Busy) -> JSONResponse:
    return JSONResponse({"problems": [{"severity": "error", "code": "busy", "where": "",
                                       "message": f"the server has {error.args[0]} jobs waiting already",
                                       "fix": "try again in a minute"}]}, status_code=503, headers={"Retry-After": "30"})


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    return _problems(error.status_code, [{"severity": "error", "code": f"http-{error.status_code}", "where": "",
                                          "message": str(error.detail).lower(), "fix": ""}])


async def _server_error(request: Request, error: Exception) -> JSONResponse:
    log.error("internal error on %s %s: %s", request.method, request.url.path.split("/api/")[0] or "/",
              type(error).__name__)  # never the form: it holds the statement
    return _problems(500, [{"severity": "error", "code": "internal", "where": "",
                            "message": "something went wrong inside the server (a bug, not your statement)",
                            "fix": "try again; if it happens again, tell whoever runs this server"}])


class _Headers:
    """CSP `default-src 'self'` and friends on every response; API answers are never cached."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        api = scope["path"].startswith("/api/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


# --- the app ------------------------------------------------------------------------------

def create_app(settings: Settings | None = None, *, jobs: Jobs | None = None) -> Starlette:
    """The app, with its job backend (made from `settings` unless given) and everything it
    keeps on `app.state`. The backend is closed when the app shuts down."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        sweeper = asyncio.create_task(_sweep(app))
        try:
            yield
        finally:
            sweeper.cancel()
            app.state.jobs.close()
            for stop in app.state.on_close:  # what `handbill serve` started beside the app
                stop()

    routes = [
        Route("/", _page("build.html")),
        Route("/check", _page("check.html")),
        Route("/batch", _page("batch.html")),
        Route("/jobs/{id}", job_page),
        Route("/healthz", healthz),
        Route("/api/layouts", api_layouts),
        Route("/api/builds", api_submit_build, methods=["POST"]),
        Route("/api/batches", api_submit_batch, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
    ]
    for kind in ("builds", "batches"):
        routes += [
            Route(f"/api/{kind}/{{id}}", api_status, methods=["GET"]),
            Route(f"/api/{kind}/{{id}}", api_delete, methods=["DELETE"]),
            Route(f"/api/{kind}/{{id}}/kit.zip", api_kit),
            Route(f"/api/{kind}/{{id}}/files/{{name}}", api_file),
            Route(f"/api/{kind}/{{id}}/previews/{{name}}/{{page:int}}.png", api_preview),
        ]
    routes.append(Mount("/static", StaticFiles(directory=str(files("handbill.web") / "static")), name="static"))
    app = Starlette(
        routes=routes, lifespan=lifespan,
        exception_handlers={Refused: _refused, Busy: _busy, HTTPException: _http_error, Exception: _server_error},
    )
    app.add_middleware(_Headers)
    app.state.settings = settings
    app.state.on_close = []
    app.state.jobs = jobs or make_jobs(queue=settings.queue, workers=settings.workers, ttl=settings.ttl,
                                       time_limit=settings.time_limit, max_waiting=settings.max_waiting)
    app.state.layouts = [{**layout, "thumbnail": f"/static/thumbnails/{layout['name']}.png"} for layout in work.layouts()]
    app.state.layout_names = frozenset(layout["name"] for layout in app.state.layouts)
    app.state.kit = work.kit()
    app.state.paper_sizes = work.paper_sizes()
    app.state.templates = Environment(loader=PackageLoader("handbill.web", "templates"),
                                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined)
    return app


async def _sweep(app) -> None:
    """Forget expired results even when no one asks for them."""
    while True:
        await asyncio.sleep(app.state.settings.sweep_every)
        await _call(app.state.jobs.sweep)
