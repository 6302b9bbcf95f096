"""build: statement file + layouts -> PDF files, written atomically.

Every document is composed and rendered in memory before any file is written, so a
failure leaves no PDF behind: not a half-written one, and not a stale one from an
earlier run that could be taken for the new one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .arrange import Arrangement
from .compose import Event, SetBody, compose
from .composition import Composition
from .errors import HandbillError, InputError
from .fonts import FontSet
from .layout import Layout, find_layout
from .pdfx import condition_for
from .render import render
from .statement import Statement, read_statement, translation_of

KIT = ("a4-leaflet", "a3-poster")  # what `handbill build` makes when no layout is named


@dataclass(frozen=True)
class Built:
    path: Path
    layout: str
    pages: int
    notices: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # the preflight's warnings on the written file


def output_name(
    statement: Statement, layout: Layout, *, office: bool = False, mono: bool = False, paper: bool = False, uncoated: bool = False
) -> str:
    """<statement>-<layout>[-<paper> when re-targeted][-office][-uncoated][-mono].pdf: the
    uncoated print differs (its output intent), so it does not overwrite the coated one."""
    return _file_name(statement.name, layout.name, _slug(layout.paper.name) if paper else "", office, mono, uncoated)


def _file_name(statement: str, layout: str, paper: str, office: bool, mono: bool, uncoated: bool) -> str:
    stock = "-uncoated" if uncoated and not office else ""
    return f"{statement}-{layout}{'-' + paper if paper else ''}{'-office' if office else ''}{stock}{'-mono' if mono else ''}.pdf"


def build(
    statement_path: str | Path,
    *,
    layouts: list[str] | tuple[str, ...] = (),
    out_dir: str | Path = "out",
    marks: bool = False,
    office: bool = False,
    title: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    arrangement: Arrangement | None = None,
    paper: str = "coated",  # the print shop's paper: names the PDF/X output intent (pdfx.CONDITIONS)
    mono: bool = False,  # gray only (K), for photocopying
    page_size: str | None = None,  # re-target every layout to this paper ("Letter", "long bond", "210 x 297 mm")
    translation: str | Path | None = None,  # a second statement file: its title and slogans are the translation
    fonts: FontSet | None = None,  # the build's fonts (--font); None: the bundled ones
) -> list[Built]:
    fonts = fonts or FontSet.bundled()
    out = out_folder(out_dir)
    try:
        statement = load_statement(statement_path, title=title, url=url, lang=lang, translation=translation)
        chosen = [find_layout(name, paper=page_size) for name in (layouts or KIT)]
    except HandbillError:
        # what an earlier run wrote from these files is now out of date: not left to be taken for new
        if not page_size and not arrangement:
            uncoated = paper == "uncoated"
            _remove([out / _file_name(Path(statement_path).stem, _layout_name(name), "", office, mono, uncoated)
                     for name in (layouts or KIT)])
        raise
    arrangement = arrangement or Arrangement()
    targets = [
        out / arrangement.name(
            output_name(statement, layout, office=office, mono=mono, paper=bool(page_size), uncoated=paper == "uncoated"), layout
        )
        for layout in chosen
    ]
    try:
        # PDF/X-1a is for the print shop; office prints and tiles come off a desktop printer
        pdfx = None if office or arrangement.tile else condition_for(paper)
        documents = [
            make_document(statement, layout, fonts=fonts, name=target.name, office=office, mono=mono, marks=marks, pdfx=pdfx,
                          arrangement=arrangement)
            for layout, target in zip(chosen, targets)
        ]
    except HandbillError:
        _remove(targets)
        raise
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for target, layout, (composition, pdf, warned) in zip(targets, chosen, documents):
        write_atomically(target, pdf)
        built.append(Built(target, layout.name, len(composition.pages), composition.notices, warned))
    return built


def out_folder(out_dir: str | Path) -> Path:
    """The folder PDFs go in (made when they are written); a file there is one sentence."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder; give the folder to write the PDFs in")
    return out


def load_statement(
    path: str | Path, *, title: str | None = None, url: str | None = None, lang: str | None = None,
    translation: str | Path | None = None,
) -> Statement:
    """The statement with the command line's overrides, and a second statement file's title
    and slogans as its translation when one is given."""
    statement = read_statement(path, title=title, url=url, lang=lang)
    if translation is None:
        return statement
    return replace(statement, translation=translation_of(read_statement(translation)))


def make_document(
    statement: Statement,
    layout: Layout,
    *,
    fonts: FontSet,
    name: str,
    office: bool = False,
    mono: bool = False,
    marks: bool = False,
    pdfx: str | None = None,
    arrangement: Arrangement | None = None,
    event: Event | None = None,
    set_body: SetBody | None = None,
) -> tuple[Composition, bytes, tuple[str, ...]]:
    """One layout's PDF in memory, the pipeline end to end: compose, gray (--mono), arrange
    (sheets, sizes, tiles), render, preflight. Returns (what was drawn, the bytes, the
    preflight's warnings); raises HandbillError on any problem. build and batch share it.
    `fonts`: the build's; the layout's own fonts are added to them, for this layout only."""
    arrangement = arrangement or Arrangement()
    fonts = fonts.with_files(layout.fonts)  # what compose sets with, render must draw with
    composition = compose(statement, arrangement.layout(layout), fonts=fonts, office=office, event=event, set_body=set_body)
    if mono:
        from .mono import monochrome

        composition = monochrome(composition)
    composition = arrangement.apply(composition, office=office, name=layout.name, fonts=fonts)
    pdf = render(composition, fonts=fonts, marks=marks or arrangement.marks(office), pdfx=pdfx)
    return composition, pdf, _preflight(name, pdf, office=office or bool(arrangement.tile))


def _layout_name(layout: str) -> str:
    """The name of a layout that could not be read, as its file is named."""
    return Path(layout).stem if layout.endswith(".toml") else layout


def _preflight(name: str, pdf: bytes, *, office: bool) -> tuple[str, ...]:
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
        raise PreflightFailed(f"{name} would fail a print shop's preflight, so it was not written: {where}{first.advice}{also}")
    return tuple(f"page {w.page}: {w.advice}" if w.page else w.advice for w in report.warnings)


class PreflightFailed(HandbillError):
    """What handbill made breaks a print shop's rule (a bug in a layout or in handbill)."""


def _slug(paper_name: str) -> str:
    return paper_name.replace(" ", "")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a PDF is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
