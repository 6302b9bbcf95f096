"""render(Composition) -> PDF bytes: the only module that draws with reportlab's canvas
(what reportlab has no public way to do goes through pdfcanvas.py).

It decides nothing about the layout. It makes the page the trim plus the bleed (plus room
for crop marks), writes TrimBox and BleedBox, draws the items in CMYK, and the crop marks
in the registration colour. Same Composition in, same bytes out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from itertools import groupby

from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from . import pdfcanvas
from .composition import Composition, Image, Item, Line, Placed, Polygon, Rect, TextRun
from .fonts import FontSet
from .pdfx import PrintingCondition
from .printshop import ICC_REGISTRY, MARK_LENGTH, MARK_OFFSET, MARK_WIDTH, MIN_LINE_PT, PDFX_VERSION
from .text.bidi import pdf_reading_order
from .units import CMYK, MM

MARK_ROOM = MARK_OFFSET + MARK_LENGTH + 2 * MM  # media beyond the trim when marks are drawn
# The registration colour prints on every plate: a Separation named All.
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")


def render(
    composition: Composition, *, fonts: FontSet, marks: bool = False, pdfx: PrintingCondition | None = None
) -> bytes:
    """The PDF; with `pdfx` (print-shop output) a PDF/X-1a:2003 file for that printing
    condition. `fonts`: the faces the composition's text runs name (as composed)."""
    bleed = composition.bleed
    room = max(bleed, MARK_ROOM) if marks else bleed
    media = (composition.width + 2 * room, composition.height + 2 * room)
    buffer = io.BytesIO()
    meta = composition.metadata
    canvas = Canvas(
        buffer,
        pagesize=media,
        invariant=1,  # no clock, no random ID: the same input gives the same bytes
        pageCompression=1,
        # reportlab starts each page in Helvetica, which would be referenced but not
        # embedded; start in one of our own fonts instead
        initialFontName=fonts.primary("text").name,
        lang=meta.lang,
    )
    if pdfx is not None:
        _declare_pdfx(canvas, pdfx)
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setSubject(meta.subject)
    canvas.setCreator("handbill")
    trim = (room, room, room + composition.width, room + composition.height)
    bleed_box = (room - bleed, room - bleed, room + composition.width + bleed, room + composition.height + bleed)
    for page in composition.pages:
        canvas.setTrimBox(trim)
        canvas.setBleedBox(bleed_box)
        canvas.saveState()
        canvas.translate(room, room)
        _draw_items(canvas, page.items, fonts)
        canvas.restoreState()
        if marks:
            _draw_crop_marks(canvas, room, composition.width, composition.height, max(bleed, MARK_OFFSET))
            _draw_cut_marks(canvas, room, composition, max(bleed, MARK_OFFSET))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_items(canvas: Canvas, items: tuple[Item, ...], fonts: FontSet) -> None:
    # consecutive text runs share one text object; everything keeps its order (z-order)
    for is_text, group in groupby(items, key=lambda item: isinstance(item, TextRun)):
        if is_text:
            _draw_text(canvas, list(group), fonts)
        else:
            for item in group:
                _draw_shape(canvas, item, fonts)


def _draw_text(canvas: Canvas, runs: list[TextRun], fonts: FontSet) -> None:
    pen = _Pen(canvas.beginText())
    for line in _lines(runs):
        if any(run.glyphs for run in line) or not _left_to_right(line):
            _draw_shaped_line(pen, line, fonts)
        else:  # Latin, Greek, Cyrillic left to right: strings that read true as they are
            for words in _same_style(line):
                pen.show(_words(words, fonts))
    canvas.drawText(pen.text)


@dataclass(frozen=True)
class _Show:
    """One text-showing operator (a TJ array), from (x, y): its `segments`, each drawn with
    the text raised by its rise (points), hold strings drawn and numbers between them (in
    thousandths of the size: how far left the next string starts than where the last one
    ended, as TJ reads them). Only what leaves ink is drawn in a shaped line (pdfium skips
    a text object that draws nothing, and a space drawn at a run's end can stand past the
    page's edge); the line's ActualText carries the rest."""

    run: TextRun  # its font, size, colour and emboldening
    x: float
    y: float
    segments: tuple[tuple[float, tuple[str | float, ...]], ...]


class _Placing:
    """Strings placed one after another in one TJ array, each where it should start (in
    thousandths of the size from the array's start). The numbers between them are rounded
    to hundredths of a thousandth of an em, as precise as the text matrix (`Tm`, to a ten
    thousandth of a point) that placed each string before, and where the array stands is
    followed exactly, so rounding never adds up along a line."""

    def __init__(self) -> None:
        self.segments: list[tuple[float, list[str | float]]] = []
        self.at = 0.0  # where the array stands now

    def place(self, text: str, start: float, width: float, rise: float = 0.0) -> None:
        if not self.segments or self.segments[-1][0] != rise:
            self.segments.append((rise, []))
        parts = self.segments[-1][1]
        move = round(self.at - start, 2)
        if move and (parts or len(self.segments) > 1):
            parts.append(move)
            self.at -= move
        if parts and isinstance(parts[-1], str):
            parts[-1] += text
        else:
            parts.append(text)
        self.at += width

    def done(self) -> tuple[tuple[float, tuple[str | float, ...]], ...]:
        return tuple((rise, tuple(parts)) for rise, parts in self.segments if parts)


def _words(runs: list[TextRun], fonts: FontSet) -> _Show:
    """Runs of one line and one style, left to right (a Latin line's words): one array, the
    gaps of a justified line as numbers."""
    first = runs[0]
    face = fonts.named(first.font)
    placing = _Placing()
    for run in runs:
        placing.place(run.text, (run.x - first.x) * 1000 / first.size, face.width(run.text, 1000.0))
    return _Show(first, first.x, first.y, placing.done())


def _same_style(line: list[TextRun]) -> list[list[TextRun]]:
    """The line's consecutive runs of one font, size, colour and emboldening."""
    return [list(group) for _, group in groupby(line, key=lambda run: (run.font, run.size, run.color, run.embolden))]


def _shows(run: TextRun, fonts: FontSet) -> list[_Show]:
    """A run's text-showing operators (none when it leaves no ink): the string of a Latin
    run; for a shaped run one for its glyphs, each at its own place (HarfBuzz's advances
    and offsets: numbers where they differ from the font's advances, a rise for a glyph
    moved up or down), drawn by characters whose ToUnicode entries are the text they stand
    for (pdfcanvas.PdfFont.glyph_char). An emboldened run (a CJK headline or slogan, a few
    glyphs) keeps one operator per glyph: MuPDF then reads its ActualText whole, where it
    would read one operator's glyphs after it a second time."""
    face = fonts.named(run.font)
    if not run.glyphs:
        # the line's ActualText carries the text; a trailing space drawn after a Latin run in
        # a right-to-left line would stand past the run's end, maybe past the page's edge
        drawn = run.text.rstrip(" ")
        return [_Show(run, run.x, run.y, ((0.0, (drawn,)),))] if drawn else []
    shows: list[_Show] = []
    placing, origin, pen = _Placing(), None, 0.0  # pen: where the glyph stands, in ems from run.x
    for glyph in run.glyphs:
        if face.glyph_extent(glyph.id) != (0.0, 0.0):  # inked
            char = face.glyph_char(glyph.id, glyph.text)
            if run.embolden:
                x, y = run.x + (pen + glyph.dx) * run.size, run.y + glyph.dy * run.size
                shows.append(_Show(run, x, y, ((0.0, (char,)),)))
            else:
                if origin is None:
                    origin = pen + glyph.dx
                placing.place(char, (pen + glyph.dx - origin) * 1000, face.width(char, 1000.0), glyph.dy * run.size)
        pen += glyph.advance
    if origin is not None:
        shows.append(_Show(run, run.x + origin * run.size, run.y, placing.done()))
    return shows


def _draw_shaped_line(pen: _Pen, line: list[TextRun], fonts: FontSet) -> None:
    """A line with shaped text, or with runs right to left: one ActualText holding the
    line's text in reading order, over its glyphs. Glyphs alone do not read true: pdfium
    orders them by position, so a Devanagari i-sign drawn before its consonant, a Thai or
    Arabic mark lands out of place, and it adds spaces between glyphs far apart.

    pdfium takes the ActualText from the first text object of the line it meets, and
    reads it as text/bidi.py says. That first object is an anchor drawn first, at the
    line's left end: an invisible full stop that stands for no text. Being neutral, it
    keeps pdfium from reversing the text (step 1 there), and being narrow, it keeps
    pdfium from taking the next line, when close below, for the same line."""
    shows = sorted((show for run in line for show in _shows(run, fonts)), key=lambda show: show.x)
    if not shows:
        return  # only spaces: nothing to print, nothing to read
    pen.begin_actual_text(pdf_reading_order(" ".join("".join(run.text for run in line).split())))
    pen.show(_anchor(shows[0], fonts), invisible=True)
    for show in shows:
        pen.show(show)
    pen.end_actual_text()


def _anchor(leftmost: _Show, fonts: FontSet) -> _Show:
    """Noto Sans's full stop, standing for no text (an empty ToUnicode entry), where the
    line's leftmost glyph is, on the baseline."""
    face = fonts.primary("text")
    full_stop = face.ttf.face.charToGlyph[ord(".")]
    char = face.glyph_char(full_stop, "")
    return _Show(replace(leftmost.run, font=face.name, glyphs=()), leftmost.x, leftmost.run.y, ((0.0, (char,)),))


def _left_to_right(line: list[TextRun]) -> bool:
    """Whether the line's runs, in reading order, stand left to right (not so for numbers
    and Latin words in a right-to-left line)."""
    return all(a.x <= b.x for a, b in zip(line, line[1:]))


def _lines(runs: list[TextRun]) -> list[list[TextRun]]:
    """Consecutive runs on one baseline: a line, its runs in reading order (text/typeset.py)."""
    lines: list[list[TextRun]] = []
    for run in runs:
        if lines and abs(lines[-1][-1].y - run.y) < 0.01:
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


class _Pen:
    """A PDF text object, and the font and colour it draws with now."""

    def __init__(self, text) -> None:
        self.text = text
        self.font: tuple[str, float] | None = None
        self.color: CMYK | None = None

    def show(self, show: _Show, *, invisible: bool = False) -> None:
        run = show.run
        if (run.font, run.size) != self.font:
            self.text.setFont(run.font, run.size)
            self.font = (run.font, run.size)
        if run.color != self.color:
            self.text.setFillColor(_cmyk(run.color))
            self.color = run.color
        self.text.setTextOrigin(show.x, show.y)
        if invisible:  # render mode 3: read, never printed
            self.text.setTextRenderMode(3)
        elif run.embolden:  # render mode 2: filled and outlined, in the same ink
            self.text.setStrokeColor(_cmyk(run.color))
            # never a hairline: print shops flag strokes under 0.25 pt
            pdfcanvas.text_operator(self.text, f"{fp_str(max(run.embolden * run.size, MIN_LINE_PT))} w")
            self.text.setTextRenderMode(2)
        rise = 0.0
        for segment_rise, parts in show.segments:
            if segment_rise != rise:
                pdfcanvas.text_operator(self.text, f"{fp_str(segment_rise)} Ts")
                rise = segment_rise
            pdfcanvas.show_spaced(self.text, list(parts))
        if rise:
            pdfcanvas.text_operator(self.text, "0 Ts")
        if invisible or run.embolden:
            self.text.setTextRenderMode(0)

    def begin_actual_text(self, actual: str) -> None:
        utf16 = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
        pdfcanvas.text_operator(self.text, f"/Span <</ActualText <{utf16}>>> BDC")

    def end_actual_text(self) -> None:
        pdfcanvas.text_operator(self.text, "EMC")


def _draw_shape(canvas: Canvas, item: Item, fonts: FontSet) -> None:
    if isinstance(item, Rect):
        canvas.setFillColor(_cmyk(item.color))
        canvas.rect(item.x, item.y, item.w, item.h, stroke=0, fill=1)
    elif isinstance(item, Polygon):
        canvas.setFillColor(_cmyk(item.color))
        path = canvas.beginPath()
        for contour in item.contours:
            path.moveTo(*contour[0])
            for point in contour[1:]:
                path.lineTo(*point)
            path.close()
        canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_EVEN_ODD)
    elif isinstance(item, Line):
        canvas.setStrokeColor(_cmyk(item.color))
        canvas.setLineWidth(item.width)
        canvas.line(item.x1, item.y1, item.x2, item.y2)
    elif isinstance(item, Placed):
        _draw_placed(canvas, item, fonts)
    elif isinstance(item, Image):
        _draw_image(canvas, item)
    else:
        raise TypeError(f"render cannot draw {item!r}")


def _draw_crop_marks(canvas: Canvas, room: float, width: float, height: float, offset: float) -> None:
    """Eight short lines that show the cutter where the trim is, outside the bleed."""
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(MARK_WIDTH)
    for x, sx in ((room, -1), (room + width, 1)):
        for y, sy in ((room, -1), (room + height, 1)):
            canvas.line(x + sx * offset, y, x + sx * (offset + MARK_LENGTH), y)  # horizontal
            canvas.line(x, y + sy * offset, x, y + sy * (offset + MARK_LENGTH))  # vertical
    canvas.restoreState()


def _draw_placed(canvas: Canvas, placed: Placed, fonts: FontSet) -> None:
    """Another page's items, moved, scaled and clipped: still vector, in the same pass
    (fonts are subset once for the whole file)."""
    canvas.saveState()
    canvas.translate(placed.x, placed.y)
    canvas.scale(placed.scale, placed.scale)
    if placed.rotate == 180:
        canvas.translate(placed.width, placed.height)
        canvas.rotate(180)
    elif placed.rotate:
        raise ValueError(f"render turns placed pages by 0 or 180 degrees, not {placed.rotate}")
    clip = canvas.beginPath()
    clip.rect(*placed.clip)
    canvas.clipPath(clip, stroke=0, fill=0)
    _draw_items(canvas, placed.page.items, fonts)
    canvas.restoreState()


def _draw_cut_marks(canvas: Canvas, room: float, composition: Composition, offset: float) -> None:
    """On an imposed sheet, a mark outside the sheet's edges at every cut between copies."""
    xs, ys = composition.cuts
    if not xs and not ys:
        return
    width, height = composition.width, composition.height
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(MARK_WIDTH)
    for x in (room + x for x in xs):
        canvas.line(x, room - offset, x, room - offset - MARK_LENGTH)
        canvas.line(x, room + height + offset, x, room + height + offset + MARK_LENGTH)
    for y in (room + y for y in ys):
        canvas.line(room - offset, y, room - offset - MARK_LENGTH, y)
        canvas.line(room + width + offset, y, room + width + offset + MARK_LENGTH, y)
    canvas.restoreState()


def _draw_image(canvas: Canvas, image: Image) -> None:
    """CMYK (or gray) pixels as a Flate image, no mask: images.py flattened them already."""
    from PIL import Image as PILImage
    from reportlab.lib.utils import ImageReader

    pixels = PILImage.frombytes(image.mode, image.pixels, image.data)
    canvas.drawImage(ImageReader(pixels), image.x, image.y, image.w, image.h, mask=None)


def _declare_pdfx(canvas: Canvas, condition: PrintingCondition) -> None:
    """The Info keys and the OutputIntent of PDF/X-1a:2003 (see pdfx.py). The dates are
    reportlab's invariant ones (a constant), so the same input still gives the same bytes."""
    pdfcanvas.add_info_strings(canvas, {"GTS_PDFXVersion": PDFX_VERSION})
    pdfcanvas.add_catalog_entry(canvas, "OutputIntents", PDFArray([
        PDFDictionary({
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": PDFString(condition.identifier),
            "OutputCondition": PDFString(condition.info),
            "RegistryName": PDFString(ICC_REGISTRY),
            "Info": PDFString(condition.info),
        })
    ]))


def _cmyk(color: CMYK) -> CMYKColor:
    return CMYKColor(*color)
