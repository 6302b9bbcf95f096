"""Reading a PDF as a press would see it: boxes, fonts, and every mark on every page.

pikepdf parses the file; we walk each page's content stream (and the forms it draws)
keeping the graphics state (CTM, clip, colours, line width, font, text matrix) and note
each painted thing as plain data: a Fill, a Stroke, a Glyphs run, an Image, and each use
of transparency. Nothing here judges; checks.py does. Everything is in points, page space.
"""

from __future__ import annotations

import io
import math
import struct
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pikepdf

from ..errors import HandbillError

Matrix = tuple[float, float, float, float, float, float]
BBox = tuple[float, float, float, float]  # x0, y0, x1, y1
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 12  # forms drawing forms; deeper than this is a loop or a broken file


class UnreadablePdf(HandbillError):
    """A file that is not a PDF, is damaged, or is encrypted."""


# The many small records are named tuples, not dataclasses: a dataclass costs ~0.7 ms to
# define at import, and build imports this module on every run.


class Paint(NamedTuple):
    """A colour as set in the file: its space family and, when known, its inks."""

    space: str  # "DeviceCMYK", "DeviceGray", "DeviceRGB", "ICCBased RGB", "Lab", "Separation All", ...
    inks: tuple[float, ...] | None  # C, M, Y, K fractions (or one spot ink's tint); None when unknown
    white: bool = False  # no ink at all: paper shows through

    @property
    def coverage(self) -> float | None:
        """Total area coverage in percent (each ink's tint summed)."""
        return None if self.inks is None else round(sum(self.inks) * 100, 1)


BLACK = Paint("DeviceGray", (0.0, 0.0, 0.0, 1.0))


class Fill(NamedTuple):
    paint: Paint
    bbox: BBox


class Stroke(NamedTuple):
    paint: Paint
    width: float  # in points, on the page
    bbox: BBox


class Glyphs(NamedTuple):
    """One text-showing operator's worth of glyphs."""

    font: str
    size: float  # the height of an em on the page, in points
    paint: Paint
    invisible: bool  # render mode 3: a searchable layer that never prints
    bbox: BBox


class Image(NamedTuple):
    name: str
    pixels: tuple[int, int]
    placed: tuple[float, float]  # width, height on the page in points
    space: str
    bits: int
    stencil: bool  # an image mask: 1 bit, painted in the fill colour
    soft_mask: bool
    jpeg2000: bool
    bbox: BBox
    ink: float | None = None  # CMYK images: the most ink any small area carries, in percent

    @property
    def ppi(self) -> float:
        """The effective resolution at the placed size (the worse direction)."""
        w, h = self.placed
        if w <= 0 or h <= 0:
            return math.inf
        return min(self.pixels[0] / (w / 72), self.pixels[1] / (h / 72))


class FontInfo(NamedTuple):
    name: str  # without the subset tag
    type: str  # "TrueType", "Type 1", "Type 3", "CID TrueType", ...
    embedded: bool
    subset: bool


@dataclass
class PageMarks:
    number: int  # 1-based
    media: BBox
    trim: BBox | None
    bleed: BBox | None
    art: BBox | None
    fonts: list[FontInfo] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    strokes: list[Stroke] = field(default_factory=list)
    glyphs: list[Glyphs] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    spaces: set[str] = field(default_factory=set)  # every colour space family in use
    colour_operators: set[str] = field(default_factory=set)  # "k", "RG", "scn", ...: how colours are set
    transparency: list[str] = field(default_factory=list)  # what, in words
    white_overprint: list[str] = field(default_factory=list)  # white things set to overprint, in words
    annotations: list[str] = field(default_factory=list)  # subtypes of printing annotations
    damaged: str | None = None  # a content stream that could not be read, in words


@dataclass
class Document:
    pages: list[PageMarks]
    version: str
    info: dict[str, str]
    has_id: bool
    output_intents: list[dict[str, str]]
    scripts: list[str]  # JavaScript or actions found, in words
    repairs: list[str] = field(default_factory=list)  # what the parser had to repair, in its words


def read_pdf(source: str | Path | bytes, *, name: str = "") -> Document:
    """Read every page of the PDF at `source` (a path, or the bytes of one)."""
    label = name or (Path(source).name if not isinstance(source, bytes) else "the PDF")
    _check_header(source, label)
    try:
        opened = pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except pikepdf.PasswordError:
        raise UnreadablePdf(f"{label} is encrypted (password-protected); save it again without a password, since a print shop cannot preflight or print a locked file") from None
    except FileNotFoundError:
        raise UnreadablePdf(f"{label}: no such file; check the path") from None
    except IsADirectoryError:
        raise UnreadablePdf(f"{label} is a folder, not a PDF; give the path of the .pdf file") from None
    except pikepdf.PdfError as error:
        raise UnreadablePdf(f"{label} is damaged and cannot be read ({_first_line(error)}); export it again as PDF from the program that made it") from None
    with opened as pdf:
        if pdf.is_encrypted:
            raise UnreadablePdf(f"{label} is encrypted; save it again without a password or restrictions, since print shops refuse locked files")
        try:
            if len(pdf.pages) == 0:
                raise UnreadablePdf(f"{label} has no pages; export it again as PDF from the program that made it")
            return _read_document(pdf)
        except (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError) as error:
            raise UnreadablePdf(f"{label} is damaged ({_first_line(error)}); export it again as PDF from the program that made it") from None


def _check_header(source: str | Path | bytes, label: str) -> None:
    """A file that does not even start like a PDF gets a plainer message than a parser's."""
    if isinstance(source, bytes):
        head = source[:1024]
    else:
        try:
            with open(source, "rb") as file:
                head = file.read(1024)
        except FileNotFoundError:
            raise UnreadablePdf(f"{label}: no such file; check the path") from None
        except IsADirectoryError:
            raise UnreadablePdf(f"{label} is a folder, not a PDF; give the path of the .pdf file") from None
    if b"%PDF-" not in head:
        kind = "an empty file" if not head else "not a PDF"
        raise UnreadablePdf(f"{label} is {kind}; export or save it as PDF first")


def _first_line(error: BaseException) -> str:
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return line.split(": ", 1)[-1][:160]  # qpdf puts the file's path first; the caller names it


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
    repairs = _Repairs(pdf)
    repairs.take()  # what opening the file repaired is not any one page's damage
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        pages.append(_read_page(number, page, repairs))
    repairs.take()
    return Document(
        pages=pages, version=pdf.pdf_version, info=info, has_id="/ID" in pdf.trailer,
        output_intents=intents, scripts=_scripts(pdf), repairs=repairs.in_order(),
    )


class _Repairs:
    """qpdf's warnings (what it had to repair), collected as they come: get_warnings()
    hands each out only once, and a page needs to know which came from its content."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.said: list[str] = []

    def take(self) -> list[str]:
        """The warnings since the last call, without the file and object qpdf puts first."""
        fresh = [w.split(": ", 1)[-1] for w in self.pdf.get_warnings()]
        self.said.extend(fresh)
        return fresh

    def in_order(self) -> list[str]:
        """All of them, the most telling first."""
        return sorted(self.said, key=lambda w: w == "file is damaged")


# Actions that only move the reader (to a page, another file, a web address): nothing
# runs and nothing opens by itself. Any other kind (JavaScript, Launch, SubmitForm, ...)
# is active content, which PDF/X forbids and print workflows refuse.
NAVIGATION_ACTIONS = ("GoTo", "GoToR", "URI", "Named")
MAX_CHAINED_ACTIONS = 64  # an action's /Next chain can loop in a broken file


def _scripts(pdf: pikepdf.Pdf) -> list[str]:
    """Active content anywhere, in words: the catalogue's, each page's and each annotation's."""
    found = []
    root = pdf.Root
    if "/Names" in root and "/JavaScript" in root.Names:
        found.append("document JavaScript")
    for kind in _active_kinds(root.get("/OpenAction")):
        found.append(f"an action on opening ({kind})")
    if "/AA" in root:
        found.append("document actions")
    for number, page in enumerate(pdf.pages, start=1):
        found.extend(_page_scripts(number, page.obj))
    return list(dict.fromkeys(found))


def _page_scripts(number: int, page) -> list[str]:
    found = [f"a {kind} action on page {number}" for kind in _active_kinds(_additional_actions(page))]
    for annot in _annotations(page):
        subtype = str(annot.get("/Subtype", "/?"))[1:]
        actions = [annot.get("/A"), *_additional_actions(annot)]
        found.extend(f"a {kind} action on a {subtype} annotation on page {number}" for kind in _active_kinds(actions))
    return found


def _additional_actions(obj) -> list:
    """The actions of an /AA dictionary (on opening a page, on clicking a field, ...)."""
    triggers = obj.get("/AA")
    return list(triggers.values()) if isinstance(triggers, pikepdf.Dictionary) else []


def _active_kinds(actions) -> list[str]:
    """The kinds ("JavaScript", "Launch") of the actions given and those they chain to
    (/Next), leaving out mere navigation."""
    todo = list(actions) if isinstance(actions, (list, pikepdf.Array)) else [actions]
    kinds: list[str] = []
    looked = 0
    while todo and looked < MAX_CHAINED_ACTIONS:
        action = todo.pop()
        looked += 1
        if isinstance(action, pikepdf.Array):
            todo.extend(action)
        elif isinstance(action, pikepdf.Dictionary):
            kind = str(action.get("/S", "/?"))[1:]
            if kind not in NAVIGATION_ACTIONS and kind not in kinds:
                kinds.append(kind)
            if "/Next" in action:
                todo.append(action.Next)
    return kinds


def _box(obj, key: str) -> BBox | None:
    value = obj.get(key)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _read_page(number: int, page: pikepdf.Page, repairs: _Repairs) -> PageMarks:
    obj = page.obj
    media = _box(obj, "/MediaBox") or _inherited_box(obj, "/MediaBox") or (0.0, 0.0, 612.0, 792.0)
    marks = PageMarks(number, media, _box(obj, "/TrimBox"), _box(obj, "/BleedBox"), _box(obj, "/ArtBox"))
    group = obj.get("/Group")
    if group is not None and group.get("/S") == "/Transparency":
        marks.transparency.append("the page is a transparency group")
    resources = obj.get("/Resources") or _inherited(obj, "/Resources") or pikepdf.Dictionary()
    walker = _Walker(marks, repairs)
    instructions = walker.parse(page)
    if instructions is not None:
        walker.run(instructions, resources, _State(clip=media), depth=0)
    for annot in _printing_annotations(obj):
        subtype = str(annot.get("/Subtype", "/?"))[1:]
        if subtype not in ("Link", "Popup"):
            marks.annotations.append(subtype)
        _draw_appearance(walker, annot, resources, media)
    marks.fonts = list(walker.fonts.values())
    return marks


ANNOT_PRINT, ANNOT_HIDDEN = 4, 2  # annotation flags (/F)


def _annotations(page) -> list[pikepdf.Dictionary]:
    annots = page.get("/Annots")
    return [a for a in annots if isinstance(a, pikepdf.Dictionary)] if isinstance(annots, pikepdf.Array) else []


def _printing_annotations(page) -> list[pikepdf.Dictionary]:
    printing = []
    for annot in _annotations(page):
        flags = int(annot.get("/F", 0))
        if flags & ANNOT_PRINT and not flags & ANNOT_HIDDEN:
            printing.append(annot)
    return printing


def _draw_appearance(walker: _Walker, annot, resources, media: BBox) -> None:
    """What a printing annotation prints is its normal appearance (/AP /N), a form drawn
    into the annotation's /Rect: its fonts and colours are on the page like any others."""
    form = _normal_appearance(annot)
    rect = _box(annot, "/Rect")
    if form is None or rect is None or "/BBox" not in form:
        return
    matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
    x0, y0, x1, y1 = (float(v) for v in form.BBox)
    box = bbox_of([apply(matrix, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))])
    if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        return
    # ISO 32000 12.5.5: the appearance's box, transformed by its Matrix, is fitted to /Rect
    sx, sy = (rect[2] - rect[0]) / (box[2] - box[0]), (rect[3] - rect[1]) / (box[3] - box[1])
    fit = (sx, 0.0, 0.0, sy, rect[0] - sx * box[0], rect[1] - sy * box[1])
    subtype = str(annot.get("/Subtype", "/?"))[1:]
    walker.run_form(_State(ctm=fit, clip=media), form, f"the appearance of a {subtype} annotation", resources, depth=0)


def _normal_appearance(annot):
    """The form an annotation prints: /AP /N, or for one with states (a check box) the
    state /AS names."""
    appearances = annot.get("/AP")
    normal = appearances.get("/N") if isinstance(appearances, pikepdf.Dictionary) else None
    if isinstance(normal, pikepdf.Stream):
        return normal
    if isinstance(normal, pikepdf.Dictionary) and "/AS" in annot:
        chosen = normal.get(str(annot.AS))
        return chosen if isinstance(chosen, pikepdf.Stream) else None
    return None


def _inherited(obj, key: str):
    node = obj.get("/Parent")
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _inherited_box(obj, key: str) -> BBox | None:
    value = _inherited(obj, key)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


# --- the graphics state -------------------------------------------------------------


class _Font(NamedTuple):
    name: str
    widths: dict[int, float]  # code -> width in thousandths of an em
    default_width: float
    two_byte: bool
    scale: float = 0.001  # glyph space to text space (Type 3 fonts say their own)
    # where ink goes above and below the baseline, in ems: the cap height (accents and
    # ascenders reach a little higher) and the descent, so big type is not thought to
    # touch an edge that only its empty line space comes near
    top: float = 0.75
    bottom: float = -0.25


class _State(NamedTuple):
    ctm: Matrix = IDENTITY
    clip: BBox = (-1e9, -1e9, 1e9, 1e9)
    fill: Paint = BLACK
    stroke: Paint = BLACK
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    line_width: float = 1.0
    overprint_fill: bool = False  # ExtGState /op (or /OP where /op is absent)
    overprint_stroke: bool = False  # ExtGState /OP
    font: _Font | None = None
    font_size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render_mode: int = 0


def multiply(m1: Matrix, m2: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2, a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def bbox_of(points: list[tuple[float, float]]) -> BBox:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def intersect(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _scale(m: Matrix) -> float:
    """How much a length grows under m, on average over directions (sqrt of |det|)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def _numbers(operands) -> list[float]:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):  # a name or a string among them: keep the numbers
        return [float(v) for v in operands if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)]


# Every operator of PDF 1.7 (ISO 32000-1, annex A), and pikepdf's name for an inline image.
OPERATORS = frozenset((
    "b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP n "
    "q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \""
).split()) | {"INLINE IMAGE"}
PAINTING = {"f": (True, False), "F": (True, False), "f*": (True, False), "S": (False, True), "s": (False, True),
            "B": (True, True), "B*": (True, True), "b": (True, True), "b*": (True, True), "n": (False, False)}
DEVICE_SPACES = {"/DeviceGray": "DeviceGray", "/DeviceRGB": "DeviceRGB", "/DeviceCMYK": "DeviceCMYK",
                 "/G": "DeviceGray", "/RGB": "DeviceRGB", "/CMYK": "DeviceCMYK", "/Pattern": "Pattern"}


class _Walker:
    """Interprets content streams; what it sees goes into `marks`."""

    def __init__(self, marks: PageMarks, repairs: _Repairs):
        self.marks = marks
        self.repairs = repairs
        self.fonts: dict[str, FontInfo] = {}  # every font in any Resources we pass, by object
        self.font_cache: dict = {}
        self.seen_resources: set = set()

    def parse(self, owner):
        """The instructions of a page's or form's content, or None when it cannot be read.
        qpdf reads what it can of a broken stream and only warns about the rest, so its
        warnings while parsing mean damage too, as much as an exception does."""
        try:
            instructions = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as error:
            self.repairs.take()
            self._damaged(_first_line(error))
            return None
        warned = self.repairs.take()
        if warned:
            self._damaged(warned[0])
        return instructions

    def _damaged(self, what: str) -> None:
        if self.marks.damaged is None:  # the first damage says most
            self.marks.damaged = what

    # The interpreter ---------------------------------------------------------------

    def run(self, instructions, resources, state: _State, depth: int) -> None:
        self._note_fonts(resources)
        stack: list[_State] = []
        path: list[tuple[float, float]] = []
        pending_clip = False
        compatibility = 0  # inside BX ... EX unknown operators are allowed
        text_matrix = line_matrix = IDENTITY
        for instruction in instructions:
            # attribute access, not tuple unpacking: unpacking pikepdf's instructions costs 8 µs each
            operands = instruction.operands
            op = str(instruction.operator)
            # the commonest operators first: this loop is most of a build's preflight time
            if op == "Tj" or op == "TJ":
                if operands:
                    text_matrix = self._show(state, operands[0], text_matrix)
            elif op == "Tm":
                n = _numbers(operands)
                if len(n) == 6:
                    text_matrix = line_matrix = tuple(n)
            elif op == "l" or op == "m":
                n = _numbers(operands)
                if len(n) == 2:
                    path.append(apply(state.ctm, *n))
            elif op == "h":
                pass
            elif op == "q":
                stack.append(state)
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm":
                n = _numbers(operands)
                if len(n) == 6:
                    state = state._replace(ctm=multiply(tuple(n), state.ctm))
            elif op in ("c", "v", "y"):
                n = _numbers(operands)
                path.extend(apply(state.ctm, n[i], n[i + 1]) for i in range(0, len(n) - 1, 2))
            elif op == "re":
                n = _numbers(operands)
                if len(n) == 4:
                    x, y, w, h = n
                    path.extend(apply(state.ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))
            elif op in ("W", "W*"):
                pending_clip = True
            elif op in PAINTING:
                if path:
                    box = bbox_of(path)
                    fill, stroke = PAINTING[op]
                    if fill:
                        self._fill(state, intersect(box, state.clip))
                    if stroke:
                        width = state.line_width * _scale(state.ctm)
                        grown = (box[0] - width / 2, box[1] - width / 2, box[2] + width / 2, box[3] + width / 2)
                        self.marks.strokes.append(Stroke(state.stroke, width, intersect(grown, state.clip)))
                        self.marks.spaces.add(state.stroke.space)
                        if state.overprint_stroke and state.stroke.white:
                            self.marks.white_overprint.append("a white line")
                    if pending_clip:
                        state = state._replace(clip=intersect(state.clip, box))
                path, pending_clip = [], False
            elif op == "w":
                n = _numbers(operands)
                if n:
                    state = state._replace(line_width=n[0])
            elif op in ("g", "G", "rg", "RG", "k", "K"):
                self.marks.colour_operators.add(op)
                space = {"g": "DeviceGray", "rg": "DeviceRGB", "k": "DeviceCMYK"}[op.lower()]
                paint = _device_paint(space, _numbers(operands))
                state = self._set_paint(state, op.islower(), space, paint)
            elif op in ("cs", "CS"):
                space = self._space_name(operands[0], resources) if operands else "DeviceGray"
                state = self._set_paint(state, op == "cs", space, _initial_paint(space))
            elif op in ("sc", "scn", "SC", "SCN"):
                self.marks.colour_operators.add(op)
                fill = op.islower()
                space = state.fill_space if fill else state.stroke_space
                paint = self._paint(space, operands, resources)
                state = self._set_paint(state, fill, space, paint)
            elif op == "gs":
                if operands:
                    state = self._graphics_state(state, operands[0], resources)
            elif op == "sh":
                if operands:
                    self._shading(state, operands[0], resources)
            elif op == "Do":
                if operands:
                    self._draw_object(state, operands[0], resources, depth)
            elif op == "INLINE IMAGE":
                if operands:
                    self._inline_image(state, operands[0])
            elif op == "BT":
                text_matrix = line_matrix = IDENTITY
            elif op == "Tf":
                if len(operands) == 2:
                    font = self._font(operands[0], resources)
                    state = state._replace(font=font, font_size=float(operands[1]))
            elif op in ("Td", "TD"):
                n = _numbers(operands)
                if len(n) == 2:
                    if op == "TD":
                        state = state._replace(leading=-n[1])
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, n[0], n[1]), line_matrix)
            elif op == "T*":
                text_matrix = line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
            elif op == "TL":
                state = state._replace(leading=float(operands[0]))
            elif op == "Tc":
                state = state._replace(char_spacing=float(operands[0]))
            elif op == "Tw":
                state = state._replace(word_spacing=float(operands[0]))
            elif op == "Tz":
                state = state._replace(horizontal_scale=float(operands[0]) / 100)
            elif op == "Ts":
                state = state._replace(rise=float(operands[0]))
            elif op == "Tr":
                state = state._replace(render_mode=int(operands[0]))
            elif op in ("'", '"'):  # move to the next line, then show (Tj and TJ are handled first)
                if op == '"' and len(operands) == 3:
                    state = state._replace(word_spacing=float(operands[0]), char_spacing=float(operands[1]))
                line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
                text_matrix = line_matrix
                if operands:
                    text_matrix = self._show(state, operands[-1], text_matrix)
            elif op == "BX":
                compatibility += 1
            elif op == "EX":
                compatibility = max(0, compatibility - 1)
            elif op not in OPERATORS and not compatibility:
                # binary junk or a truncated stream parses into "operators" no PDF has
                self._damaged(f"its content has {ascii(op[:12])}, which is no PDF operator")

    # Colour --------------------------------------------------------------------------

    def _set_paint(self, state: _State, fill: bool, space: str, paint: Paint) -> _State:
        if fill:
            return state._replace(fill_space=space, fill=paint)
        return state._replace(stroke_space=space, stroke=paint)

    def _space_name(self, name, resources) -> str:
        """A colour space operand -> a family name ("DeviceCMYK", "Separation All", ...)."""
        key = str(name)
        if key in DEVICE_SPACES:
            return DEVICE_SPACES[key]
        spaces = resources.get("/ColorSpace")
        if spaces is None or key not in spaces:
            return f"unknown colour space {key}"
        return describe_space(spaces[key])

    def _paint(self, space: str, operands, resources) -> Paint:
        if space == "Pattern" or space.startswith("Pattern"):
            if operands and isinstance(operands[-1], pikepdf.Name):
                self._pattern(operands[-1], resources)
            return Paint("Pattern", None)
        return _device_paint(space, _numbers(operands))

    def _fill(self, state: _State, box: BBox) -> None:
        self.marks.fills.append(Fill(state.fill, box))
        self.marks.spaces.add(state.fill.space)
        if state.overprint_fill and state.fill.white:
            self.marks.white_overprint.append("a white area")

    def _pattern(self, name, resources) -> None:
        patterns = resources.get("/Pattern")
        if patterns is None or str(name) not in patterns:
            return
        pattern = patterns[str(name)]
        if int(pattern.get("/PatternType", 0)) == 2 and "/Shading" in pattern:
            space = pattern.Shading.get("/ColorSpace")
            if space is not None:
                self.marks.spaces.add(describe_space(space))
        elif "/Resources" in pattern:  # a tiling pattern: its cell is a small content stream
            self._note_fonts(pattern.Resources)
            spaces = pattern.Resources.get("/ColorSpace") or {}
            for value in spaces.values():
                self.marks.spaces.add(describe_space(value))

    def _shading(self, state: _State, name, resources) -> None:
        shadings = resources.get("/Shading")
        if shadings is None or str(name) not in shadings:
            return
        space = describe_space(shadings[str(name)].get("/ColorSpace", pikepdf.Name.DeviceGray))
        self.marks.spaces.add(space)
        self.marks.fills.append(Fill(Paint(space, None), state.clip))

    def _graphics_state(self, state: _State, name, resources) -> _State:
        states = resources.get("/ExtGState")
        if states is None or str(name) not in states:
            return state
        gs = states[str(name)]
        for key, what in (("/ca", "fill"), ("/CA", "stroke")):
            if key in gs and float(gs[key]) < 1:
                self.marks.transparency.append(f"{what} opacity {float(gs[key]) * 100:g} % in graphics state {str(name)[1:]}")
        mask = gs.get("/SMask")
        if mask is not None and mask != pikepdf.Name.None_:
            self.marks.transparency.append(f"a soft mask in graphics state {str(name)[1:]}")
        blend = gs.get("/BM")
        if blend is not None:
            modes = [str(m) for m in blend] if isinstance(blend, pikepdf.Array) else [str(blend)]
            if modes and modes[0] not in ("/Normal", "/Compatible"):
                self.marks.transparency.append(f"blend mode {modes[0][1:]} in graphics state {str(name)[1:]}")
        if "/LW" in gs:
            state = state._replace(line_width=float(gs.LW))
        if "/OP" in gs:  # stroking overprint; the non-stroking one too, unless /op says otherwise
            state = state._replace(overprint_stroke=bool(gs.OP), overprint_fill=bool(gs.get("/op", gs.OP)))
        elif "/op" in gs:
            state = state._replace(overprint_fill=bool(gs.op))
        if "/Font" in gs:
            font_ref, size = gs.Font
            state = state._replace(font=self._font_object(font_ref), font_size=float(size))
        return state

    # XObjects ------------------------------------------------------------------------

    def _draw_object(self, state: _State, name, resources, depth: int) -> None:
        objects = resources.get("/XObject")
        if objects is None or str(name) not in objects:
            return
        xobject = objects[str(name)]
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(state, str(name)[1:], xobject)
        elif subtype == "/Form":
            self.run_form(state, xobject, f"form {str(name)[1:]}", resources, depth)

    def run_form(self, state: _State, form, label: str, resources, depth: int) -> None:
        """Draw a form XObject (or an annotation's appearance) in `state`."""
        if depth >= MAX_FORM_DEPTH:
            return
        matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
        ctm = multiply(matrix, state.ctm)
        clip = state.clip
        if "/BBox" in form:
            x0, y0, x1, y1 = (float(v) for v in form.BBox)
            clip = intersect(clip, bbox_of([apply(ctm, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]))
        group = form.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            self.marks.transparency.append(f"a transparency group in {label}")
        inner = state._replace(ctm=ctm, clip=clip)
        form_resources = form.get("/Resources") or resources
        instructions = self.parse(form)
        if instructions is not None:
            self.run(instructions, form_resources, inner, depth + 1)

    def _placement(self, state: _State) -> tuple[tuple[float, float], BBox]:
        m = state.ctm
        corners = [apply(m, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        return (math.hypot(m[0], m[1]), math.hypot(m[2], m[3])), intersect(bbox_of(corners), state.clip)

    def _image(self, state: _State, name: str, image) -> None:
        placed, box = self._placement(state)
        stencil = bool(image.get("/ImageMask", False))
        space = "stencil" if stencil else describe_space(image.get("/ColorSpace", pikepdf.Name.DeviceGray))
        filters = image.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
        record = Image(
            name=name, pixels=(int(image.get("/Width", 0)), int(image.get("/Height", 0))), placed=placed,
            space=space, bits=int(image.get("/BitsPerComponent", 1 if stencil else 8)), stencil=stencil,
            soft_mask="/SMask" in image, jpeg2000="/JPXDecode" in names, bbox=box,
            ink=_image_ink(image) if space == "DeviceCMYK" else None,
        )
        self._add_image(state, record)

    def _inline_image(self, state: _State, inline) -> None:
        placed, box = self._placement(state)
        try:
            stencil = bool(inline.image_mask)
            space = "stencil" if stencil else _inline_space(inline)
            bits = int(inline.bits_per_component)
            pixels = (int(inline.width), int(inline.height))
        except (pikepdf.PdfError, NotImplementedError, ValueError, AttributeError):
            stencil, space, bits, pixels = False, "unknown", 8, (0, 0)
        self._add_image(state, Image("inline", pixels, placed, space, bits, stencil, False, False, box))

    def _add_image(self, state: _State, image: Image) -> None:
        self.marks.images.append(image)
        if image.stencil:
            self._fill(state, image.bbox)
        else:
            self.marks.spaces.add(image.space)

    # Text ----------------------------------------------------------------------------

    def _note_fonts(self, resources) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            return
        for font in fonts.values():
            self._font_object(font)

    def _font(self, name, resources) -> _Font | None:
        fonts = resources.get("/Font")
        if fonts is None or str(name) not in fonts:
            return None
        return self._font_object(fonts[str(name)])

    def _font_object(self, font) -> _Font:
        # a font stored directly in the resources has no object number, and each access
        # gives a new Python wrapper (so no id()): such a font is known by its contents
        key = font.objgen if font.is_indirect else font.unparse()
        if key in self.font_cache:
            return self.font_cache[key]
        info, measured = _describe_font(font)
        self.fonts[f"{info.name}/{key}"] = info
        self.font_cache[key] = measured
        return measured

    def _show(self, state: _State, operand, text_matrix: Matrix) -> Matrix:
        font = state.font
        size = state.font_size
        scale_h = state.horizontal_scale
        advance = 0.0
        items = operand if isinstance(operand, (pikepdf.Array, list)) else [operand]
        for item in items:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                if font is None:
                    advance += len(data) * (0.5 * size + state.char_spacing) * scale_h
                    continue
                widths, default = font.widths, font.default_width
                if font.two_byte:
                    codes = [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
                    spaces = 0
                else:
                    codes = data  # bytes iterate as ints
                    spaces = data.count(32)  # word spacing applies to single-byte code 32 only
                total = sum(widths.get(code, default) for code in codes) * font.scale
                advance += (total * size + len(codes) * state.char_spacing + spaces * state.word_spacing) * scale_h
            else:
                try:
                    advance -= float(item) / 1000 * size * scale_h
                except (TypeError, ValueError):
                    pass
        rendering = multiply(text_matrix, state.ctm)
        top, bottom = (font.top, font.bottom) if font else (0.75, -0.25)
        low, high = state.rise + bottom * size, state.rise + top * size
        corners = [apply(rendering, x, y) for x, y in ((0, low), (advance, low), (0, high), (advance, high))]
        em = size * math.hypot(rendering[2], rendering[3])
        mode = state.render_mode
        paint = state.stroke if mode in (1, 5) else state.fill
        name = font.name if font else "(no font)"
        glyphs = Glyphs(name, round(em, 2), paint, mode in (3, 7), intersect(bbox_of(corners), state.clip))
        self.marks.glyphs.append(glyphs)
        if not glyphs.invisible:
            self.marks.spaces.add(paint.space)
            overprint = state.overprint_stroke if mode in (1, 5) else state.overprint_fill
            if overprint and paint.white:
                self.marks.white_overprint.append("white text")
        return multiply((1, 0, 0, 1, advance, 0), text_matrix)


def _image_ink(image) -> float | None:
    """The highest total ink (C+M+Y+K, percent) of a CMYK image, over areas of a few
    pixels (a box-filtered copy of at most a megapixel: presses care about areas, not
    lone pixels); None when the pixels cannot be decoded here."""
    from PIL import Image as PILImage
    from PIL import ImageMath

    try:
        picture = pikepdf.PdfImage(image).as_pil_image()
    except Exception:  # an exotic filter or a damaged stream: judged by nothing, not guessed
        return None
    if picture.mode != "CMYK":
        return None
    factor = max(1, round((picture.width * picture.height / 1_000_000) ** 0.5))
    if factor > 1:
        picture = picture.reduce(factor)  # a box filter: the mean of each factor x factor area
    c, m, y, k = picture.split()
    total = ImageMath.lambda_eval(lambda bands: bands["c"] + bands["m"] + bands["y"] + bands["k"], c=c, m=m, y=y, k=k)
    return round(total.getextrema()[1] / 255 * 100, 1)


def _inline_space(inline) -> str:
    value = inline.obj.get("/ColorSpace", inline.obj.get("/CS", pikepdf.Name.DeviceGray)) if hasattr(inline, "obj") else None
    if value is None:
        return "unknown"
    return DEVICE_SPACES.get(str(value), str(value)) if isinstance(value, pikepdf.Name) else describe_space(value)


def describe_space(space) -> str:
    """A colour space object -> its family in words: "DeviceRGB", "ICCBased RGB", "Separation All"."""
    if isinstance(space, pikepdf.Name):
        return DEVICE_SPACES.get(str(space), str(space)[1:])
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])[1:]
        if family == "ICCBased" and len(space) > 1:
            components = int(space[1].get("/N", 0))
            return "ICCBased " + {1: "gray", 3: "RGB", 4: "CMYK"}.get(components, f"{components} components")
        if family == "Separation" and len(space) > 1:
            return f"Separation {str(space[1])[1:]}"
        if family == "DeviceN" and len(space) > 1:
            return "DeviceN " + "+".join(str(n)[1:] for n in space[1])
        if family in ("Indexed", "I") and len(space) > 1:
            return f"Indexed {describe_space(space[1])}"
        if family == "Pattern":
            return "Pattern"
        return family
    return "unknown"


def _device_paint(space: str, values: list[float]) -> Paint:
    if space == "DeviceCMYK" and len(values) == 4:
        inks = tuple(min(max(v, 0.0), 1.0) for v in values)
        return Paint(space, inks, white=sum(inks) < 0.005)
    if space in ("DeviceGray", "ICCBased gray") and len(values) == 1:
        k = 1 - min(max(values[0], 0.0), 1.0)
        return Paint(space, (0.0, 0.0, 0.0, k), white=k < 0.005)
    if space == "ICCBased CMYK" and len(values) == 4:
        return Paint(space, tuple(values), white=sum(values) < 0.005)
    if space in ("DeviceRGB", "ICCBased RGB", "CalRGB") and len(values) == 3:
        return Paint(space, None, white=min(values) > 0.995)
    if space.startswith("Separation") and len(values) == 1:
        tint = min(max(values[0], 0.0), 1.0)
        # the registration colour prints on every plate: four inks at that tint
        inks = (tint,) * 4 if space == "Separation All" else (tint,)
        return Paint(space, inks, white=tint < 0.005 and space != "Separation None")
    if space.startswith("DeviceN") and values:
        return Paint(space, tuple(values), white=sum(values) < 0.005)
    return Paint(space, None)


def _initial_paint(space: str) -> Paint:
    """The colour a colour space starts with when it is selected (black, or full tint)."""
    if space == "DeviceCMYK" or space == "ICCBased CMYK":
        return Paint(space, (0.0, 0.0, 0.0, 1.0))
    if space.startswith("Separation"):
        return _device_paint(space, [1.0])
    return _device_paint(space, [0.0]) if space in ("DeviceGray", "ICCBased gray") else Paint(space, None)


FONT_TYPES = {"/Type1": "Type 1", "/MMType1": "Type 1 (multiple master)", "/TrueType": "TrueType", "/Type3": "Type 3",
              "/CIDFontType0": "CID Type 1 (CFF)", "/CIDFontType2": "CID TrueType"}


def _describe_font(font) -> tuple[FontInfo, _Font]:
    base = str(font.get("/BaseFont", "/(unnamed)"))[1:]
    subtype = str(font.get("/Subtype", "/?"))
    subset = len(base) > 7 and base[6] == "+" and base[:6].isalpha() and base[:6].isupper()
    name = base[7:] if subset else base
    if subtype == "/Type0":
        descendant = font.DescendantFonts[0]
        kind = FONT_TYPES.get(str(descendant.get("/Subtype")), "Type 0")
        descriptor = descendant.get("/FontDescriptor")
        widths = _cid_widths(descendant.get("/W"))
        default = float(descendant.get("/DW", 1000))
        encoding = str(font.get("/Encoding", ""))
        measured = _Font(name, widths, default, two_byte=encoding.startswith("/Identity") or encoding.endswith("-H") or encoding.endswith("-V"),
                         **_extent(descriptor))
    else:
        kind = FONT_TYPES.get(subtype, subtype[1:])
        descriptor = font.get("/FontDescriptor")
        first = int(font.get("/FirstChar", 0))
        widths = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
        default = float(descriptor.get("/MissingWidth", 500)) if descriptor is not None else 500.0
        scale = 0.001
        if subtype == "/Type3":
            scale = float(font.get("/FontMatrix", [0.001])[0])
            if not base or base == "(unnamed)":
                name = "Type 3 font"
        measured = _Font(name, widths, default or 500.0, two_byte=False, scale=scale, **({} if subtype == "/Type3" else _extent(descriptor)))
    embedded = subtype == "/Type3" or (descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    return FontInfo(name, kind, embedded, subset), measured


def _extent(descriptor) -> dict[str, float]:
    """How far the font's ink reaches above and below the baseline, in ems: the
    descriptor's cap height and descent (within sane bounds), narrowed by the outlines of
    an embedded TrueType program where they reach less far (a subset holds only the glyphs
    the file uses: a huge Arabic slogan is not thought to dip 0.5 em below its baseline
    because some glyph of the whole font does)."""
    if descriptor is None:
        return {}
    extent = {}
    try:
        if "/CapHeight" in descriptor:
            extent["top"] = min(max(float(descriptor.CapHeight) / 1000, 0.75), 1.2)
        if "/Descent" in descriptor:
            extent["bottom"] = min(max(float(descriptor.Descent) / 1000, -0.5), -0.1)
    except (TypeError, ValueError):
        pass
    program = descriptor.get("/FontFile2")
    if program is not None:
        try:
            top, bottom = _truetype_ink(program.read_bytes())
        except (pikepdf.PdfError, struct.error, KeyError, ValueError, ZeroDivisionError):
            return extent  # a damaged or unusual program: the descriptor's figures
        # each estimate errs outwards in its own way (the descriptor: the whole font; the
        # subset: every glyph on every page): the one nearer the baseline is the truer
        extent["top"] = min(extent.get("top", 1.2), top)
        extent["bottom"] = max(extent.get("bottom", -0.5), bottom)
    return extent


def _truetype_ink(data: bytes) -> tuple[float, float]:
    """(highest yMax, lowest yMin) over the glyphs of a TrueType program, in ems."""
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _checksum, offset, _length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        tables[tag] = offset
    head, loca, glyf = tables[b"head"], tables[b"loca"], tables[b"glyf"]
    units = struct.unpack_from(">H", data, head + 18)[0]
    long_offsets = struct.unpack_from(">h", data, head + 50)[0] == 1
    glyphs = struct.unpack_from(">H", data, tables[b"maxp"] + 4)[0]
    if long_offsets:
        offsets = struct.unpack_from(f">{glyphs + 1}L", data, loca)
    else:
        offsets = [2 * v for v in struct.unpack_from(f">{glyphs + 1}H", data, loca)]
    top, bottom = 0, 0
    for start, end in zip(offsets, offsets[1:]):
        if end > start:  # an empty glyph (a space) has no outline
            _contours, _x_min, y_min, _x_max, y_max = struct.unpack_from(">hhhhh", data, glyf + start)
            top, bottom = max(top, y_max), min(bottom, y_min)
    return top / units, bottom / units


def _cid_widths(array) -> dict[int, float]:
    widths: dict[int, float] = {}
    if array is None:
        return widths
    items = list(array)
    i = 0
    while i < len(items) - 1:
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        elif i + 2 < len(items):
            last, width = int(items[i + 1]), float(items[i + 2])
            for code in range(first, min(last, first + 65535) + 1):
                widths[code] = width
            i += 3
        else:
            break
    return widths
