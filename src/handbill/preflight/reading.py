"""Reading a PDF as a press would see it: boxes, fonts, and every mark on every page.

This is the whole of reading, in order; each job is its own module:

    opening.py       open the file (or refuse it in one sentence), note what qpdf repaired
    actions.py       JavaScript and other active content
    annotations.py   which annotations print, and where their appearance goes
    interpreter.py   the content streams -> marks, with a table of every operator
    operands.py      what each operator takes, checked and converted in one step
    colour.py        colour spaces and colours -> inks
    fonts.py         font dictionaries -> name, type, embedding, widths and extents
    ../truetype.py   the package's one TrueType table reader (an embedded subset's outlines)
    marks.py         the records all of this yields; geometry.py, page-space arithmetic

Nothing here judges; checks.py does. Everything is in points, page space.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from .actions import scripts
from .annotations import appearance, printing_annotations, subtype
from .geometry import normalised
from .interpreter import Interpreter, State
from .marks import BBox, Document, PageMarks
from .opening import Repairs, UnreadablePdf, damage_boundary, label_of, opened_pdf

__all__ = ["UnreadablePdf", "read_pdf"]  # UnreadablePdf lives in opening.py; here too, as it always was

LETTER: BBox = (0.0, 0.0, 612.0, 792.0)  # the MediaBox a page without one is given (PDF's default)


def read_pdf(source: str | Path | bytes, *, name: str = "") -> Document:
    """Read every page of the PDF at `source` (a path, or the bytes of one). Whatever stops
    it raises UnreadablePdf, one sentence naming the file."""
    label = label_of(source, name)
    with damage_boundary(label), opened_pdf(source, label) as pdf:
        return _read_document(pdf)


def _read_document(pdf: pikepdf.Pdf) -> Document:
    info = {}
    if "/Info" in pdf.trailer:
        for key, value in pdf.trailer.Info.items():
            info[str(key)[1:]] = str(value)
    intents = []
    for intent in pdf.Root.get("/OutputIntents", []):
        intents.append({
            str(key)[1:]: ("(embedded profile)" if isinstance(value, pikepdf.Stream) else str(value))
            for key, value in intent.items() if isinstance(value, (pikepdf.Name, pikepdf.String, pikepdf.Stream))
        })
    repairs = Repairs(pdf)
    repairs.take()  # what opening the file repaired is not any one page's damage
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        pages.append(_read_page(number, page, repairs))
    repairs.take()
    return Document(
        pages=pages, version=pdf.pdf_version, info=info, has_id="/ID" in pdf.trailer,
        output_intents=intents, scripts=scripts(pdf), repairs=repairs.in_order(),
    )


def _read_page(number: int, page: pikepdf.Page, repairs: Repairs) -> PageMarks:
    obj = page.obj
    media = _box(obj, "/MediaBox") or _rectangle(_inherited(obj, "/MediaBox")) or LETTER
    marks = PageMarks(number, media, _box(obj, "/TrimBox"), _box(obj, "/BleedBox"), _box(obj, "/ArtBox"))
    group = obj.get("/Group")
    if group is not None and group.get("/S") == "/Transparency":
        marks.transparency.append("the page is a transparency group")
    resources = obj.get("/Resources") or _inherited(obj, "/Resources") or pikepdf.Dictionary()
    interpreter = Interpreter(marks, repairs)
    instructions = interpreter.parse(page)
    if instructions is not None:
        interpreter.run(instructions, resources, State(clip=media), depth=0)
    for annot in printing_annotations(obj):
        kind = subtype(annot)
        if kind not in ("Link", "Popup"):
            marks.annotations.append(kind)
        drawn = appearance(annot, _box(annot, "/Rect"))
        if drawn is not None:
            interpreter.run_form(State(ctm=drawn.matrix, clip=media), drawn.form, drawn.label, resources, depth=0)
    marks.fonts = list(interpreter.fonts.values())
    return marks


def _box(obj, key: str) -> BBox | None:
    return _rectangle(obj.get(key))


def _rectangle(value) -> BBox | None:
    """A rectangle array as a box, its corners in order."""
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return normalised(x0, y0, x1, y1)


MAX_PAGE_TREE_DEPTH = 64  # a /Parent chain longer than this loops, in a broken file


def _inherited(obj, key: str):
    """A page attribute its page tree gives it (MediaBox, Resources) when it has none."""
    node = obj.get("/Parent")
    for _ in range(MAX_PAGE_TREE_DEPTH):
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
