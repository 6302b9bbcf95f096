"""The web service's ONE door into handbill's library.

Every call from handbill.web into the rest of handbill goes through this module, with plain
data in and plain data out (dicts, lists, str, bytes), so that the backends can pickle it
and a change in the library's API is met here alone.

A build is made in memory: the form's choices become one BuildOptions value
(`BuildOptions.from_mapping`, which refuses what does not go together), and `make_kit`
returns the PDFs as bytes with their problems. The statement (with its logo, and a batch's
events CSV) is written into a private temporary folder this module names itself (never a
path from a request) and read from there, as handbill reads any statement; a batch still
writes its PDFs into that folder (run_batch) and they are read back before it is removed.
The library's problems (errors carry one, documents list theirs) keep their codes here;
`problem()` adds the form field each concerns.

A job is `execute(job)`: `job` is the dict the app made from a form (see app.py, forms.py);
the result is {"state": "done"|"failed", "problems": [...], "files": [{"name", "pages",
"pdf", "previews"}], "report": dict|None}.
"""

from __future__ import annotations

import io
import re
import signal
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

from ..printshop import STOCKS as _STOCKS

STATEMENT_FIELDS = ("title", "subtitle", "organisation", "date", "url", "lang", "excerpt", "qr_caption")
PRINTERS = ("print-shop", "office", "photocopier")
STOCK_NAMES = tuple(stock.name for stock in _STOCKS)  # the papers a print shop prints on (printshop.STOCKS)
PREVIEW_DPI = 40  # a page PNG on screen: an A4 page is 331 x 468 px


class TimeLimit(BaseException):
    """The job ran past its time limit (a BaseException: no `except Exception` on the way swallows it)."""


# --- what the page offers ----------------------------------------------------------------

def layouts() -> list[dict]:
    """The bundled layouts: [{"name", "description", "pages", "paper"}]."""
    from ..layout import bundled_layouts

    return [{"name": layout.name, "description": layout.description, "pages": layout.page_count,
             "paper": layout.paper.name} for layout in bundled_layouts()]


def kit() -> list[str]:
    """The layouts built when none is chosen."""
    from ..build import KIT

    return list(KIT)


def paper_sizes() -> list[str]:
    from ..units import paper_names

    return paper_names()


# --- problems ----------------------------------------------------------------------------

# The library's problems name their place as handbill's files and blocks do ("a4-leaflet
# block 6 (qr)", "front matter: date"); the page shows each beside its form field, read
# from the words the message uses for it.
_FIELDS = (  # (words in a message, the form field)
    (r"\btitle\b|headline", "title"), (r"\bsubtitle\b", "subtitle"), (r"\borgani[sz]ation\b", "organisation"),
    (r"\bdate\b", "date"), (r"\burl\b|web address|QR", "url"), (r"\blang\b|language", "lang"),
    (r"\bslogans?\b", "slogans"), (r"\bexcerpt\b", "excerpt"), (r"\blogo\b", "logo"),
    (r"\bbody\b|\btext\b|paragraph|character|words? too long|too long", "text"),
)


def problem(message: str, *, code: str, severity: str = "error", where: str = "", fix: str = "") -> dict:
    """A Problem-shaped dict: {"severity", "code", "where", "message", "fix"}, `where` being
    the form field it concerns (read from the message when not given)."""
    if not where:
        found = [(match.start(), field) for pattern, field in _FIELDS
                 if (match := re.search(pattern, re.sub(r"^[\w.-]+\.(md|txt|csv|pdf): (front matter: )?", "", message),
                                        re.IGNORECASE))]
        where = min(found)[1] if found else "text" if re.search("front matter", message, re.IGNORECASE) else ""
    return {"severity": severity, "code": code, "where": where, "message": message, "fix": fix}


# What a front matter key is on the form: "fill in the URL field", not "add 'url: https://…'
# to its front matter" (the organiser filled in a form; the .md file is this module's own).
_FORM_FIELD = MappingProxyType({"title": "the title", "url": "the URL field", "slogans": "the slogans field",
               "organisation": "the organisation field", "date": "the date field", "subtitle": "the subtitle field",
               "excerpt": "the excerpt field", "lang": "the language field", "qr_caption": "the QR caption field"})
_BLOCK_WORDS = MappingProxyType({"qr": "QR code", "body": "text", "headline": "title", "excerpt": "excerpt"})


def _fill_in(match: re.Match) -> str:
    key = match.group(1)
    if key == "logo":
        return "choose the image in the logo field"
    if key in _FORM_FIELD:
        return f"fill in {_FORM_FIELD[key]}"
    return f"write '{key}: …' in a block between two '---' lines at the top of the text"


def _said(message: str, folder: Path) -> str:
    """A library message as the page says it: the private folder's paths and the statement
    file this module wrote taken out ("the url … in the statement has a space", not "…in the
    statement /tmp/hb-x1y2/gaza.md…"); the command line's options, the front matter, the
    layout's blocks and their settings said as the form says them ("fill in the URL field",
    "a4-leaflet's QR code", no "--url", "front matter", "block 10 (qr)" or "size.min")."""
    message = message.replace(f"{folder}/", "").replace(str(folder), "")
    message = re.sub(r"^[\w.-]+\.md: (front matter: )?", "", message)
    message = re.sub(r" (in|of) the statement [\w.-]+\.md\b", r" \1 the statement", message)
    message = re.sub(r"\b([\w-]+\.md) \(", "the statement (", message)
    message = re.sub(r"add '(\w+):[^']*' to (?:its|the) front matter(?:,? or pass --\w+)?", _fill_in, message)
    message = re.sub(r"pass --url https://… \(a \.txt has no front matter\)", "fill in the URL field", message)
    message = message.replace("or end a .txt with short lines", "or end the text with short lines")
    message = message.replace("write the text below the front matter", "write the statement's text")
    message = re.sub(r"\b([\w-]+) block \d+ \(([\w-]+)\)",
                     lambda m: f"{m.group(1)}'s {_BLOCK_WORDS.get(m.group(2), m.group(2))}", message)
    message = re.sub(r",? (?:or )?mark the block optional = true(?: in the layout)?", "", message)
    message = re.sub(r", lower the body's size\.min", "", message)
    message = re.sub(r",? or lower size\.min or (?:widen|enlarge) the block in the layout", "", message)
    message = re.sub(r", or use a layout where the text continues overleaf \(([\w-]+)\)",
                     r", or choose \1, where the text continues overleaf", message)
    return (message.replace(" or pass --title", " or fill in the title").replace(" or pass --url", " or fill in the URL field")
            .replace("--title", "the title field")
            .replace("--url", "the URL field").replace("--lang", "the language field")
            .replace("the front matter", "the fields").replace("front matter", "fields"))


# --- the statement as a file -------------------------------------------------------------

def _statement_file(job: dict, folder: Path) -> Path:
    """Write the statement the form describes into `folder` and return its path: Markdown
    with front matter made from the form's fields (a field given wins over the text's own
    front matter); the closing short "...!" lines of a text without slogans are its
    slogans, as for a .txt file."""
    import yaml

    from ..errors import InputError
    from ..statement import read_statement

    text = job.get("text", "").replace("\r\n", "\n").replace("\r", "\n")
    front: dict = {}
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if line.strip()), None)
    if start is not None and lines[start].rstrip() == "---":
        end = next((n for n in range(start + 1, len(lines)) if lines[n].rstrip() == "---"), None)
        if end is not None:
            try:
                loaded = yaml.safe_load("\n".join(lines[start + 1:end]))
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                where = f" (line {start + 2 + mark.line})" if mark is not None else ""
                raise InputError(f"the block between the '---' lines at the top of the text cannot be read{where}: "
                                 f"{getattr(error, 'problem', None) or 'not YAML'}; correct it, or remove it and fill "
                                 f"in the fields instead") from None
            front = loaded if isinstance(loaded, dict) else {}
            text = "\n".join(lines[end + 1:])
    if "logo" in front:  # a path in the text would be opened on the server: never
        raise InputError("the 'logo:' line in the block between the '---' lines at the top of the text names a file, "
                         "which is not opened here; remove that line and choose the image in the logo field")
    fields = job.get("fields", {})
    for key in STATEMENT_FIELDS:
        if fields.get(key):
            front[key] = fields[key]
    slogans = [line.strip() for line in fields.get("slogans", []) if line.strip()]
    if slogans:
        front["slogans"] = slogans
    elif "slogans" not in front and text.strip():
        plain = folder / "text.txt"  # the .txt reader finds the closing slogans
        plain.write_text(text, encoding="utf-8")
        try:
            found = list(read_statement(plain, title="-").slogans)
        finally:
            plain.unlink()
        paragraphs = re.split(r"\n[ \t]*\n", text.strip())
        taken = 0
        while paragraphs and found and taken < len(found) and " ".join(paragraphs[-1].split()) == found[-1 - taken]:
            paragraphs.pop()
            taken += 1
        if taken == len(found) and found:
            front["slogans"] = found
            text = "\n\n".join(paragraphs)
    if job.get("logo"):
        logo = folder / f"logo{job.get('logo_suffix', '.png')}"
        logo.write_bytes(job["logo"])
        front["logo"] = logo.name
    path = folder / f"{job.get('name') or 'statement'}.md"
    matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False) if front else ""
    path.write_text((f"---\n{matter}---\n\n" if front else "") + text.strip() + "\n", encoding="utf-8")
    return path


# --- jobs --------------------------------------------------------------------------------

def execute(job: dict, *, time_limit: float | None = None, on_progress=None) -> dict:
    """Run one job ("build", "batch" or "check") and return its result as plain data. A
    user's mistake or a job past `time_limit` seconds is a "failed" result with problems;
    anything else (a bug) raises."""
    from ..errors import HandbillError

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="handbill-web-") as name, _limit(time_limit):
        folder = Path(name)
        try:
            if job["kind"] == "build":
                result = _build(job, folder)
            elif job["kind"] == "batch":
                result = _batch(job, folder, on_progress)
            elif job["kind"] == "check":
                result = _check(job, folder)
            else:
                raise ValueError(f"unknown job kind {job['kind']!r}")
        except HandbillError as error:
            return failed([_from_library(error.problem, folder)])
        except TimeLimit:
            return _too_long(time_limit)
    # The alarm can land inside a library's bare `except:` and be swallowed there; the
    # clock cannot: a job that ran past its limit fails, however it ended.
    if time_limit and time.monotonic() - started > time_limit:
        return _too_long(time_limit)
    return result


def _too_long(time_limit: float) -> dict:
    return failed([problem(
        f"the job took longer than its time limit of {time_limit:g} s and was stopped",
        code="time-limit", where="", fix="choose fewer layouts, or shorten the statement, and try again")])


def failed(problems: list[dict]) -> dict:
    return {"state": "failed", "problems": problems, "files": [], "report": None}


@contextmanager
def _limit(seconds: float | None):
    """Raise TimeLimit in this (the worker process's main) thread after `seconds`."""
    if not seconds:
        yield
        return

    def stop(signum, frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _options(job: dict):
    """The form's choices as the library's one options value: the printer is office (no
    bleed, no PDF/X), photocopier (office and gray only) or the print shop (PDF/X on its
    stock, with crop marks if asked). The layouts are bundled names, checked by the app."""
    from ..options import BuildOptions

    printer = job.get("printer", "print-shop")
    office = printer in ("office", "photocopier")
    return BuildOptions.from_mapping({
        "layouts": list(job.get("layouts") or ()),
        "office": office,
        "mono": printer == "photocopier",
        "stock": job.get("stock", "coated") if not office else "coated",
        "marks": bool(job.get("marks")) and not office,
        "page_size": job.get("page_size") or None,
    })


def _from_library(found, folder: Path, *, file: str = "") -> dict:
    """A library Problem as the page's dict: its code as the library gives it, the form
    field it concerns read from its words (the library's `where` names a block or a file,
    not a field of this form)."""
    said = _said(str(found), folder)
    return problem(f"{file}: {said}" if file else said, severity=found.severity, code=found.code)


def _build(job: dict, folder: Path) -> dict:
    from ..build import make_kit
    from ..statement import read_statement

    # the statement, as the form describes it, is read from a file this module names in
    # its own private folder (the logo beside it); the PDFs are made in memory
    path = _statement_file(job, folder)
    documents = make_kit(read_statement(path), _options(job))
    files, problems = [], []
    for document in documents:
        for found in document.problems:
            problems.append(_from_library(found, folder, file=document.name if found.severity == "warning" else ""))
        files.append({"name": document.name, "layout": document.layout, "pages": document.pages,
                      "pdf": document.pdf, "previews": _pngs(document.pdf) if job.get("previews", True) else []})
    return {"state": "done", "problems": problems, "files": files, "report": None, "name": path.stem}


def _pngs(pdf: Path | bytes) -> list[bytes]:
    """A PNG of each page, for the screen: drawn by handbill.preview (pdfium), encoded fast
    (preview.page_pngs writes files with optimize=True: 57 ms of a kit's 215 ms went to that)."""
    from ..preview import page_images

    pngs = []
    for image in page_images(pdf, PREVIEW_DPI):
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=1)
        pngs.append(buffer.getvalue())
    return pngs


class _Progress:
    """What run_batch tells a progress.Progress, passed on as (done, total)."""

    def __init__(self, on_progress):
        self.on_progress, self.total, self.done = on_progress, 0, 0

    def say(self, line: str) -> None:
        pass  # failures and notices come back in the result

    def step(self, failed: bool = False) -> None:
        self.done += 1
        if self.on_progress:
            self.on_progress(self.done, self.total)


def _batch(job: dict, folder: Path, on_progress) -> dict:
    from ..batch import run_batch

    statement = _statement_file(job, folder)
    events = folder / "events.csv"
    events.write_bytes(job["events"])
    out = folder / "out"
    options = _options(job)
    result = run_batch(statement, events, options, out_dir=out, progress=_Progress(on_progress), workers=1)
    problems = [_from_library(found, folder) for found in result.notices + result.warnings]
    problems += [problem(_said(str(failure), folder), code="bad-row", where=f"line {failure.line}")
                 | {"line": failure.line, "row": failure.name} for failure in result.failures]
    files = [{"name": path.name, "layout": "", "pages": _page_count(path), "pdf": path.read_bytes(), "previews": []}
             for path in sorted(result.written)]
    return {"state": "done", "problems": problems, "files": files, "report": None, "name": statement.stem,
            "rows": result.rows, "failed_rows": len(result.failures)}


def _page_count(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def _check(job: dict, folder: Path) -> dict:
    """`handbill check --json` of an uploaded PDF, and a PNG of each page."""
    import json

    from ..preflight import UnreadablePdf, preflight
    from ..preflight.report import as_json

    pdf = folder / "upload.pdf"
    pdf.write_bytes(job["pdf"])
    name = job.get("name") or "upload.pdf"
    try:
        report = preflight(pdf, name=name, paper=job.get("paper") or None)
    except UnreadablePdf as error:
        return failed([problem(_said(str(error), folder), code="unreadable-pdf", where="pdf",
                               fix="export the PDF again from the program that made it")])
    try:
        previews = _pngs(pdf)
    except Exception:  # a PDF pdfium cannot draw still has its report
        previews = []
    problems = [problem(f"page {f.page}: {f.advice}" if f.page else f.advice, severity=f.severity, code=f.code,
                        where=f"page {f.page}" if f.page else "")
                for f in report.findings if f.severity in ("error", "warning")]
    return {"state": "done", "problems": problems, "report": json.loads(as_json(report)),
            "files": [{"name": name, "layout": "", "pages": len(report.pages), "pdf": None, "previews": previews}]}


def zip_files(files: list[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes): the kit in one download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def warm() -> None:
    """Build a small kit once, so that the worker's first organiser does not wait for the
    imports and the fonts (and an RQ work horse, forked from a warm worker, starts warm)."""
    execute({"kind": "build", "text": "Warm up.", "fields": {"title": "Warm up!", "url": "https://example.org/"}})


def slug(text: str) -> str:
    """A file-name stem from a title or a file's name ("" when nothing Latin is left)."""
    from ..batch import slug as batch_slug

    return batch_slug(text)
