"""batch: one statement, a CSV of events -> one kit per row, with that row's event filled in.

Layouts, fonts and the statement are read once and reused for every row; each row is
composed, rendered and preflighted in memory, then written atomically, like build.py, and
named as build names its files, with the row's name after the statement's. A bad row (no
place, a bad url, text too long) is reported by the CSV line it starts on and the others
still build.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import font_set, kit_plan, make_document, out_folder, with_translation, write_atomically
from .compose import Event, SetBody
from .errors import HandbillError, InputError
from .fonts import FontSet
from .layout import Layout
from .options import BuildOptions
from .problems import Problem, note
from .qr import check_url
from .statement import date_problem, read_statement

COLUMNS = ("name", "city", "date", "time", "place", "note", "url")
NAME_BYTES = 96  # a row's part of its file names, in UTF-8 bytes: with the statement's name and
# the longest suffix (-contact-sheet.png, a hidden .part beside) well under 255
NAME_MAX = 255  # bytes in a file's name, on the usual file systems
PART_BYTES = 19  # what the hidden temporary file beside adds to the name (.<name>.<12 hex>.part)


@dataclass(frozen=True)
class Row:
    line: int  # the CSV line the row starts on, for messages
    name: str
    event: Event
    url: str | None
    key: str = ""  # the row's part of its file names (file_slug; line-<n> when that is empty)


@dataclass(frozen=True)
class Failure:
    line: int
    name: str
    message: str
    code: str = "event-row"  # the Problem's code when building the row failed; else the row itself is wrong

    def __str__(self) -> str:
        return f"line {self.line} ({self.name or 'no name'}): {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "name": self.name, "code": self.code, "message": self.message, "text": str(self)}


@dataclass
class BatchResult:
    rows: int
    written: list[Path]
    failures: list[Failure]
    notices: list[Problem] = field(default_factory=list)  # said once, for the whole batch
    previews: list[Path] = field(default_factory=list)  # page PNGs (--preview)
    warnings: list[Problem] = field(default_factory=list)  # the preflight's, "file: page 1: ..."
    built: int = 0  # rows whose files are all on disk after the batch, each file its row's alone


def slug(text: str) -> str:
    """ "Quezon City" -> "quezon-city"; accents dropped, anything else becomes a hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def file_slug(text: str, limit: int = NAME_BYTES) -> str:
    """A row's name as the part of a file name: "Quezon City" -> "quezon-city", "Bogotá" ->
    "bogota" (a Latin letter with accents is the letter), "東京 駅" -> "東京-駅": letters, marks and
    digits of every script are kept (NFC, case folded), anything else (/ \\ : * ? " < > |, dots,
    spaces, controls) becomes a hyphen; cut to `limit` UTF-8 bytes between characters."""
    kept = []
    for char in unicodedata.normalize("NFC", text).casefold():
        folded = unicodedata.normalize("NFKD", char)
        plain = folded.encode("ascii", "ignore").decode()
        if plain and all(c.isascii() or unicodedata.combining(c) for c in folded):
            kept.append(re.sub(r"[^a-z0-9]+", "-", plain.lower()))
        elif unicodedata.category(char)[0] in "LMN":
            kept.append(char)
        else:
            kept.append("-")
    name = re.sub(r"-+", "-", unicodedata.normalize("NFC", "".join(kept))).strip("-")
    while len(name.encode()) > limit:
        name = name[:-1]
    return name.rstrip("-")


def read_events(path: str | Path) -> tuple[list[Row], list[Failure]]:
    """The rows of an events CSV (header: name or city, date, time, place, note, url), and
    the rows that cannot be used, by line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's BOM is not part of the header
    except FileNotFoundError:
        raise InputError(f"{path}: no such events file; give a CSV with columns name, date, time, place, note, url") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the events file ({error}); save it as UTF-8 CSV") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty; give a header (name, date, time, place, note, url) and a row per rally")
    reader = csv.reader(text.splitlines(keepends=True))
    header = [name.strip().lower() for name in _next_record(reader, path, 1)]
    twice = next((name for number, name in enumerate(header) if name and name in header[:number]), None)
    if twice:
        raise InputError(f"{path}: line 1: the header names the column {twice!r} twice; keep one, the other's cells would be lost")
    if "place" not in header or not ({"name", "city"} & set(header)):
        raise InputError(
            f"{path}: line 1: the header must name the columns name (or city) and place, "
            f"and may add date, time, note, url; it has {', '.join(h for h in header if h) or 'nothing'}"
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(f"{path}: line 1: unknown column {unknown[0]!r}; use name, city, date, time, place, note, url")
    rows, failures, seen = [], [], {}
    while True:
        line = reader.line_num + 1  # where the next record starts; a quoted newline makes it span lines
        cells = _next_record(reader, path, line)
        if cells is None:
            break
        values = dict(zip(header, (cell.strip() for cell in cells)))
        if len(cells) > len(header):
            failures.append(Failure(line, values.get("name", ""), "has more cells than the header; quote a cell with a comma in it"))
            continue
        if not any(values.values()):
            continue  # a blank line
        name = values.get("name") or values.get("city", "")
        if not name:
            failures.append(Failure(line, "", "has no name (or city); the files are named after it"))
            continue
        problem = _when_problem(values.get("date", ""), values.get("time", ""))
        if problem:
            failures.append(Failure(line, name, problem))
            continue
        if not values.get("place"):
            failures.append(Failure(line, name, "has no place; write where the rally is"))
            continue
        key = file_slug(name) or f"line-{line}"
        if key.casefold() in seen:  # A.pdf and a.pdf are one file on macOS and Windows
            failures.append(Failure(line, name, f"has the same name as line {seen[key.casefold()]}; the files would overwrite each other"))
            continue
        seen[key.casefold()] = line
        if values.get("url"):
            try:
                values["url"] = check_url(values["url"], where="the url column")
            except InputError as error:
                failures.append(Failure(line, name, str(error)))
                continue
        place = values["place"]
        city = values.get("city", "")
        if city and city.casefold() not in place.casefold():  # "Plaza Independencia, Cebu": where, in which town
            place = f"{place}, {city}"
        event = Event(place, values.get("date", ""), values.get("time", ""), values.get("note", ""))
        rows.append(Row(line, name, event, values.get("url") or None, key))
    if not rows and not failures:
        raise InputError(f"{path}: no events, only the header; add a row per rally under it")
    return rows, failures


def _next_record(reader, path: Path, line: int) -> list[str] | None:
    """The next record of the CSV (None at its end); a cell past csv's limit, one sentence."""
    try:
        return next(reader, None)
    except csv.Error as error:
        if "field limit" in str(error):
            raise InputError(f"{path}: line {line}: a cell is longer than {csv.field_size_limit():,} characters; "
                             "shorten it (a note is a line or two) or check for an unclosed quote") from None
        raise InputError(f"{path}: line {line}: not CSV ({error}); save it as CSV from the spreadsheet") from None


def _when_problem(date: str, time: str) -> str | None:
    """A date or time that would print wrong on every handbill of the row, in words."""
    problem = date_problem(date)
    if problem:
        return f"date {problem}"
    clock = re.fullmatch(r"(\d{1,2})[:.](\d{2})", time)
    if clock and not (int(clock[1]) <= 23 and int(clock[2]) <= 59):
        return f"time {time} is not a time of day; write it as 9:00 or 16:30"
    return None


def run_batch(
    statement_path: str | Path,
    events_path: str | Path,
    options: BuildOptions | None = None,
    *,
    out_dir: str | Path = "out",
    title: str | None = None,  # the statement's overrides, as build's
    url: str | None = None,
    lang: str | None = None,
    preview: bool = False,  # as build's --preview: page PNGs, and a contact sheet per row
    progress=None,  # a progress.Progress-like object, or None
    workers: int | None = None,  # processes; None: one per core (rows are independent)
) -> BatchResult:
    options = options or BuildOptions()
    statement = with_translation(read_statement(statement_path, title=title, url=url, lang=lang), options)
    fonts = font_set(options)
    plan = kit_plan(statement, options)  # the layouts, read once; two with one file name are refused
    chosen = [layout for layout, _ in plan]
    rows, failures = read_events(events_path)
    total = len(rows) + len(failures)
    out = out_folder(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notices = _notices(chosen)
    if progress is not None:
        progress.total = len(rows)
        for notice in notices:
            progress.say(f"handbill: note: {notice}")
        for failure in failures:
            progress.say(f"handbill: {events_path}: {failure}")
    builder = _Builder(statement, plan, out, options, preview=preview, fonts=fonts)
    rows = _without_shared_file_names(builder, rows, failures, progress, events_path)
    written: list[Path] = []
    pngs: list[Path] = []
    warnings: list[Problem] = []
    kits: list[tuple[Row, list[Path]]] = []  # each built row's files, to count from the disk at the end
    first_file = {builder.target(row, builder.layouts[0]).name: row for row in rows}  # rows finish in any order
    for paths, previews, warned, failure in _each_row(builder, rows, workers):
        written.extend(paths)
        if failure is None:
            kits.append((first_file[paths[0].name], paths))
        pngs.extend(previews)
        warnings.extend(warned)
        if progress is not None:
            for warning in warned:
                progress.say(f"handbill: warning: {warning}")
        if failure is not None:
            failures.append(failure)
            if progress is not None:
                progress.say(f"handbill: {events_path}: {failure}")
        if progress is not None:
            progress.step(failed=failure is not None)
    built = _count_on_disk(kits, failures, out)
    failures.sort(key=lambda failure: failure.line)
    written = [path for path in dict.fromkeys(written) if path.is_file()]
    return BatchResult(total, written, failures, notices, pngs, warnings, built)


def _without_shared_file_names(builder: "_Builder", rows: list[Row], failures: list[Failure], progress,
                               events_path) -> list[Row]:
    """The rows whose files no other row would write, checked before anything is built: a row
    "a" with layouts poster and big-poster writes <statement>-a-big-poster.pdf, row "a big"'s
    poster, and a failing row removes its own file names (no stale file of an earlier run
    passes for this one), so it deleted the other row's. The later row is refused, by line."""
    owner: dict[str, Row] = {}
    kept = []
    for row in rows:
        names = builder.file_names(row)
        longest = max(names, key=lambda name: len(name.encode()))
        if len(longest.encode()) + PART_BYTES > NAME_MAX:
            failure = Failure(row.line, row.name, f"its file {longest[:40]}... would have a name of {len(longest.encode())} "
                                                  f"bytes, past the {NAME_MAX - PART_BYTES} a folder allows here; "
                                                  "give the statement or the row a shorter name")
            failures.append(failure)
            if progress is not None:
                progress.say(f"handbill: {events_path}: {failure}")
            continue
        clash = next((name for name in names if name.casefold() in owner), None)
        if clash is not None:
            failure = Failure(row.line, row.name, f"would write {clash}, as line {owner[clash.casefold()].line} does; "
                                                  "give the rows names that do not run into the layouts' names")
            failures.append(failure)
            if progress is not None:
                progress.say(f"handbill: {events_path}: {failure}")
            continue
        owner.update((name.casefold(), row) for name in names)
        kept.append(row)
    if progress is not None:
        progress.total = len(kept)
    return kept


def _count_on_disk(kits: list[tuple[Row, list[Path]]], failures: list[Failure], out: Path) -> int:
    """The rows built, counted from the files on disk: a row whose file is missing, or was also
    another row's, is a failure, never counted as built."""
    claimed: dict[str, int] = {}
    for _, paths in kits:
        for path in paths:
            claimed[path.name.casefold()] = claimed.get(path.name.casefold(), 0) + 1
    built = 0
    for row, paths in kits:
        if paths and all(path.is_file() and claimed[path.name.casefold()] == 1 for path in paths):
            built += 1
        else:
            failures.append(Failure(row.line, row.name, f"was built but its files are not all in {out} afterwards "
                                                        "(another row's have the same name); give the rows different names"))
    return built


def _notices(layouts: list[Layout]) -> list[Problem]:
    if any(layout.blocks_with_role("event") for layout in layouts):
        return []
    names = ", ".join(layout.name for layout in layouts)
    return [note("no-event-block", names,
                 f"no event block in {names}: the rows' events (date, time, place, note) will not appear",
                 "choose a layout with an event block")]


class _Builder:
    """Builds one row's documents; holds what every row shares."""

    def __init__(self, statement, plan: list[tuple[Layout, str]], out: Path, options: BuildOptions, *, preview: bool,
                 fonts: FontSet):
        self.statement, self.out, self.options, self.preview, self.fonts = statement, out, options, preview, fonts
        self.layouts = [layout for layout, _ in plan]
        self.names = {layout.name: name for layout, name in plan}  # build's file names
        self.set_body = {layout.name: SetBody() for layout in self.layouts}  # set once, for every row
        self.has_event = {layout.name: bool(layout.blocks_with_role("event")) for layout in self.layouts}
        # a layout without an event block comes out the same for every row with the same url
        self.same: dict[tuple, tuple[bytes, tuple[Problem, ...]]] = {}

    def stem(self, row: Row) -> str:
        """<statement>-<row>: what every file of the row's kit starts with."""
        return f"{self.statement.name}-{row.key or file_slug(row.name) or f'line-{row.line}'}"

    def target(self, row: Row, layout: Layout) -> Path:
        """build's name for the layout's file, with the row's name after the statement's."""
        name = self.names[layout.name]
        return self.out / f"{self.stem(row)}-{name.removeprefix(self.statement.name + '-')}"

    def file_names(self, row: Row) -> list[str]:
        """Every file the row may write: its PDFs, and with --preview their PNGs (one page,
        or -p1, -p2 ...) and its contact sheet."""
        pdfs = [self.target(row, layout) for layout in self.layouts]
        names = [pdf.name for pdf in pdfs]
        if self.preview:
            for pdf, layout in zip(pdfs, self.layouts):
                names.append(f"{pdf.stem}.png")
                names.extend(f"{pdf.stem}-p{number}.png" for number in range(1, layout.page_count + 1))
            names.append(f"{self.stem(row)}-contact-sheet.png")
        return names

    def __call__(self, row: Row) -> tuple[list[Path], list[Path], list[Problem], Failure | None]:
        """(files written, preview PNGs, preflight warnings, failure)"""
        targets = [self.target(row, layout) for layout in self.layouts]
        try:
            statement = replace(self.statement, url=row.url) if row.url else self.statement
            documents = [self.document(statement, layout, row, target) for layout, target in zip(self.layouts, targets)]
        except HandbillError as error:
            for target in targets:  # no stale file from an earlier run passes for this one
                target.unlink(missing_ok=True)
            return [], [], [], Failure(row.line, row.name, str(error), error.problem.code)
        warnings = [replace(warning, message=f"{target.name}: {warning.message}")
                    for target, (_, warned) in zip(targets, documents) for warning in warned]
        try:
            for target, (pdf, _) in zip(targets, documents):
                write_atomically(target, pdf)
        except OSError as error:  # a name too long, a full disk: this row, not the batch
            for target in targets:
                target.unlink(missing_ok=True)
            return [], [], [], Failure(row.line, row.name, f"{error.strerror or error}: {error.filename or self.out}", "write")
        if not self.preview:
            return targets, [], warnings, None
        from .preview import previews

        stem = self.stem(row)
        return targets, previews(targets, self.out / f"{stem}-contact-sheet.png", prefix=f"{stem}-"), warnings, None

    def document(self, statement, layout: Layout, row: Row, target: Path) -> tuple[bytes, tuple[Problem, ...]]:
        """The row's PDF of one layout, as build makes it (--office, --mono), preflighted,
        with the preflight's warnings."""
        key = (layout.name, statement.url)
        if not self.has_event[layout.name] and key in self.same:
            return self.same[key]
        document = make_document(statement, layout, self.options, fonts=self.fonts, name=target.name, event=row.event,
                                 set_body=self.set_body[layout.name])
        pdf, warnings = document.pdf, document.warnings
        if not self.has_event[layout.name]:
            self.same[key] = (pdf, warnings)
        return pdf, warnings


_BUILDER: _Builder | None = None  # set in a forked worker only (_start_worker); the parent's stays None


def _start_worker(builder: _Builder) -> None:
    """In a forked worker, once: the builder it was forked with (inherited, never pickled)."""
    global _BUILDER
    _BUILDER = builder


def _in_worker(row: Row) -> tuple[list[Path], list[Path], list[Problem], Failure | None]:
    assert _BUILDER is not None
    return _BUILDER(row)


def _each_row(builder: _Builder, rows: list[Row], workers: int | None):
    """(paths written, preview PNGs, warnings, failure) per row, in the order they finish. With more
    than one core and enough rows, forked processes share the work: they inherit the loaded
    fonts and layouts, so nothing is loaded twice. Where fork is missing (Windows, macOS default),
    one process does it all."""
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    count = workers if workers is not None else cores
    count = min(count, len(rows) // 4)  # a few rows are quicker than starting processes
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for row in rows:
            yield builder(row)
        return
    yield builder(rows[0])  # in this process first: fonts and the set body are then inherited
    rows = rows[1:]
    with multiprocessing.get_context("fork").Pool(count, initializer=_start_worker, initargs=(builder,)) as pool:
        yield from pool.imap_unordered(_in_worker, rows, chunksize=2)
