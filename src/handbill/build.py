"""build: statement file + layouts -> PDF files, written atomically.

Every document is composed and rendered in memory before any file is written, so a
failure leaves no PDF behind: not a half-written one, and not a stale one from an
earlier run that could be taken for the new one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .compose import compose
from .errors import HandbillError
from .layout import Layout, find_layout
from .render import render
from .statement import Statement, read_statement

KIT = ("a4-leaflet", "a3-poster")  # what `handbill build` makes when no layout is named


@dataclass(frozen=True)
class Built:
    path: Path
    layout: str
    pages: int
    notices: tuple[str, ...]


def output_name(statement: Statement, layout: Layout, *, office: bool = False) -> str:
    return f"{statement.name}-{layout.name}{'-office' if office else ''}.pdf"


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
) -> list[Built]:
    statement = read_statement(statement_path, title=title, url=url, lang=lang)
    chosen = [find_layout(name) for name in (layouts or KIT)]
    out = Path(out_dir)
    targets = [out / output_name(statement, layout, office=office) for layout in chosen]
    try:
        documents = []
        for layout in chosen:
            composition = compose(statement, layout, office=office)
            documents.append((composition, render(composition, marks=marks)))
    except HandbillError:
        _remove(targets)
        raise
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for target, layout, (composition, pdf) in zip(targets, chosen, documents):
        write_atomically(target, pdf)
        built.append(Built(target, layout.name, len(composition.pages), composition.notices))
    return built


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
