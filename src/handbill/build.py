"""build: statement + BuildOptions -> PDF documents (make_kit, in memory), written atomically.

Every document is composed and rendered in memory before any file is written, so a
failure leaves no PDF behind: not a half-written one, and not a stale one from an
earlier run that could be taken for the new one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from .arrange import paper_slug
from .compose import Event, SetBody, compose, layout_fonts
from .errors import HandbillError, InputError
from .fonts import FontSet
from .layout import Layout, find_layout
from .options import BuildOptions
from .pdfx import condition_for
from .problems import Problem, from_finding
from .render import render
from .statement import Statement, read_statement, translation_of

KIT = ("a4-leaflet", "a3-poster")  # what `handbill build` makes when no layout is named


@dataclass(frozen=True)
class Document:
    """One layout's PDF, made in memory and preflighted, not yet written anywhere."""

    name: str  # the file name it is to have: <statement>-<layout>[...].pdf
    layout: str
    pages: int
    pdf: bytes
    problems: tuple[Problem, ...]  # compose's and the arrangement's notes, then the preflight's warnings

    @property
    def notices(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "note")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "warning")


@dataclass(frozen=True)
class Built:
    """A document written: where, and what was said about it."""

    path: Path
    layout: str
    pages: int
    notices: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # the preflight's warnings on the written file

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.notices + self.warnings


def output_name(statement: Statement, layout: Layout, options: BuildOptions) -> str:
    """<statement>-<layout>[-<page size> when re-targeted][-office][-uncoated][-mono].pdf, then
    what the arrangement adds (-2up-A4, -A1-tiles-A4): the uncoated print differs (its
    output intent), so it does not overwrite the coated one."""
    page_size = paper_slug(layout.paper.name) if options.page_size else ""
    base = _file_name(statement.name, layout.name, page_size, options.office, options.mono, options.uncoated)
    return options.arrangement.name(base, layout)


def _file_name(statement: str, layout: str, page_size: str, office: bool, mono: bool, uncoated: bool) -> str:
    stock = "-uncoated" if uncoated and not office else ""
    return f"{statement}-{layout}{'-' + page_size if page_size else ''}{'-office' if office else ''}{stock}{'-mono' if mono else ''}.pdf"


def font_set(options: BuildOptions) -> FontSet:
    """The build's fonts: the bundled ones and the --font files (a layout's own are added
    per layout, in make_document). Made once per build and passed in: never global."""
    return FontSet.bundled().with_files(options.fonts)


def kit_plan(statement: Statement, options: BuildOptions) -> list[tuple[Layout, str]]:
    """The layouts to build and the file name of each, read and checked before anything is
    built: two that would have the same file name are refused (one would overwrite the other)."""
    asked = options.layouts or KIT
    layouts = [find_layout(name, page_size=options.page_size) for name in asked]
    names = [output_name(statement, layout, options) for layout in layouts]
    first: dict[str, str] = {}  # by the name folded: A.pdf and a.pdf are one file on macOS and Windows
    for given, name in zip(asked, names):
        if name.casefold() in first:
            raise InputError(Problem(
                "error", "duplicate-output", name,
                f"--layout {first[name.casefold()]} and --layout {given} would both be written as {name}, the one over the other",
                "leave one out, or give one another name (name = \"...\" at the top of its layout file)",
            ))
        first[name.casefold()] = given
    return list(zip(layouts, names))


def with_translation(statement: Statement, options: BuildOptions) -> Statement:
    """The statement with options.translation's title and slogans as its translation."""
    if options.translation is None:
        return statement
    return replace(statement, translation=translation_of(read_statement(options.translation)))


def make_kit(statement: Statement, options: BuildOptions) -> list[Document]:
    """Every document the options ask for, made in memory and preflighted; nothing is
    written. Raises HandbillError (with its Problem) on the first that cannot be made."""
    statement = with_translation(statement, options)
    return _documents(statement, kit_plan(statement, options), options, font_set(options))


def _documents(statement: Statement, plan: list[tuple[Layout, str]], options: BuildOptions,
               fonts: FontSet) -> list[Document]:
    return [make_document(statement, layout, options, fonts=fonts, name=name) for layout, name in plan]


def build(
    statement_path: str | Path,
    options: BuildOptions | None = None,
    *,
    out_dir: str | Path = "out",
    title: str | None = None,  # the statement's overrides (--title, --url, --lang), as read_statement takes them
    url: str | None = None,
    lang: str | None = None,
) -> list[Built]:
    """make_kit's documents from a statement file, written atomically into out_dir."""
    options = options or BuildOptions()
    out = out_folder(out_dir)
    try:
        statement = with_translation(read_statement(statement_path, title=title, url=url, lang=lang), options)
        fonts = font_set(options)
        plan = kit_plan(statement, options)
    except HandbillError:
        # what an earlier run wrote from these files is now out of date: not left to be taken for new
        if not options.page_size and not options.arranged:
            _remove([out / _file_name(Path(statement_path).stem, _layout_name(name), "", options.office, options.mono,
                                      options.uncoated)
                     for name in (options.layouts or KIT)])
        raise
    targets = [out / name for _, name in plan]
    try:
        documents = _documents(statement, plan, options, fonts)
    except HandbillError:
        _remove(targets)
        raise
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for target, document in zip(targets, documents):
        write_atomically(target, document.pdf)
        built.append(Built(target, document.layout, document.pages, document.notices, document.warnings))
    return built


def out_folder(out_dir: str | Path, *, option: str = "--out", what: str = "the PDFs") -> Path:
    """The folder `what` go in (made when they are written); a file there is one sentence
    naming the `option` that gave it."""
    if not str(out_dir):  # Path("") is the current folder: never a guess
        raise InputError(f"{option} is empty; give the folder to write {what} in (. for the current folder)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{option} {out}: is a file, not a folder; give the folder to write {what} in")
    return out


def make_document(
    statement: Statement,
    layout: Layout,
    options: BuildOptions,
    *,
    fonts: FontSet,
    name: str,
    event: Event | None = None,
    set_body: SetBody | None = None,
) -> Document:
    """One layout's PDF in memory, the pipeline end to end: compose, gray (mono), arrange
    (sheets, sizes, tiles), render, preflight. Raises HandbillError on any problem. build,
    make_kit and batch share it. `fonts`: the build's; the layout's own fonts are added to
    them, for this layout only."""
    arrangement = options.arrangement
    fonts = layout_fonts(fonts, layout)  # what compose sets with, render must draw with
    composition = compose(statement, arrangement.layout(layout), fonts=fonts, office=options.office, event=event,
                          set_body=set_body)
    if options.mono:
        from .mono import monochrome

        composition = monochrome(composition)
    composition = arrangement.apply(composition, office=options.office, name=layout.name, fonts=fonts)
    pdfx = condition_for(options.pdfx) if options.pdfx else None
    pdf = render(composition, fonts=fonts, marks=options.marks or arrangement.marks(options.office), pdfx=pdfx)
    warnings = _preflight(name, pdf, office=options.office or bool(options.tile))
    return Document(name, layout.name, len(composition.pages), pdf, composition.notices + warnings)


def _layout_name(layout: str) -> str:
    """The name of a layout that could not be read, as its file is named."""
    return Path(layout).stem if layout.endswith(".toml") else layout


def _preflight(name: str, pdf: bytes, *, office: bool) -> tuple[Problem, ...]:
    """The print shop's structural preflight on the bytes about to be written: an error
    refuses the file; warnings come back to be shown. (The raster checks, QR decoding and
    the text layer, are left to `handbill check`: they cost more than the build itself.)"""
    from .preflight import preflight

    report = preflight(pdf, name=name, raster=False, print_shop=not office)
    if report.errors:
        first = report.errors[0]
        where = f"page {first.page}: " if first.page else ""
        more = len(report.errors) - 1
        also = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise PreflightFailed(Problem(
            "error", "preflight-failed", name,
            f"{name} would fail a print shop's preflight, so it was not written: {where}{first.advice}{also}",
        ))
    return tuple(from_finding(warning, file=name) for warning in report.warnings)


class PreflightFailed(HandbillError):
    """What handbill made breaks a print shop's rule (a bug in a layout or in handbill)."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place. The file gets the
    permissions any new file gets (0666 less the umask, as a PDF is for sharing), asked of
    the system when it is made: reading the umask means setting it, for the whole process,
    and a file another thread made in between would be writable by anyone."""
    try:
        handle, temporary = _new_part(path)
    except OSError as error:
        raise _in_folder(error, path) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)  # onto a symlink: the link is replaced, its target untouched
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _in_folder(error, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _in_folder(error: OSError, path: Path) -> OSError:
    """A write's error naming the folder and the file meant, not the hidden temporary file."""
    return OSError(error.errno, f"cannot write {path.name} in this folder ({error.strerror or error})", str(path.parent))


def _new_part(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, .<name>.<random>.part, open for writing (never one that exists)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temporary
        except FileExistsError:
            continue


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
