"""render(Composition) -> PDF bytes: the only module that touches reportlab's canvas.

It decides nothing about the layout. It makes the page the trim plus the bleed (plus room
for crop marks), writes TrimBox and BleedBox, draws the items in CMYK, and the crop marks
in the registration colour. Same Composition in, same bytes out.
"""

from __future__ import annotations

import io
from itertools import groupby

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase.pdfdoc import PDFArray, PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from . import fonts
from .composition import Composition, Image, Item, Line, Placed, Polygon, Rect, TextRun
from .pdfx import PDFX_VERSION, REGISTRY, PrintingCondition
from .units import CMYK, MM

MARK_OFFSET = 3 * MM  # crop marks start at least the bleed away from the trim corner
MARK_LENGTH = 5 * MM
MARK_WIDTH = 0.25  # pt: never thinner
MARK_ROOM = MARK_OFFSET + MARK_LENGTH + 2 * MM  # media beyond the trim when marks are drawn
# The registration colour prints on every plate: a Separation named All.
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")

# Streams are Flate-compressed binary; reportlab's default also wraps them in ASCII85,
# a 7-bit encoding for mail transport that makes files 25 % larger and slower to write.
rl_config.useA85 = 0


def render(composition: Composition, *, marks: bool = False, pdfx: PrintingCondition | None = None) -> bytes:
    """The PDF; with `pdfx` (print-shop output) a PDF/X-1a:2003 file for that printing condition."""
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
        _draw_items(canvas, page.items)
        canvas.restoreState()
        if marks:
            _draw_crop_marks(canvas, room, composition.width, composition.height, max(bleed, MARK_OFFSET))
            _draw_cut_marks(canvas, room, composition, max(bleed, MARK_OFFSET))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_items(canvas: Canvas, items: tuple[Item, ...]) -> None:
    # consecutive text runs share one text object; everything keeps its order (z-order)
    for is_text, group in groupby(items, key=lambda item: isinstance(item, TextRun)):
        if is_text:
            _draw_text(canvas, list(group))
        else:
            for item in group:
                _draw_shape(canvas, item)


def _draw_text(canvas: Canvas, runs: list[TextRun]) -> None:
    text = canvas.beginText()
    font, color = None, None
    for run in runs:
        if (run.font, run.size) != font:
            text.setFont(run.font, run.size)
            font = (run.font, run.size)
        if run.color != color:
            text.setFillColor(_cmyk(run.color))
            color = run.color
        if run.glyphs:
            _draw_glyphs(text, run)
        else:
            text.setTextOrigin(run.x, run.y)
            text.textOut(run.text)
    canvas.drawText(text)


_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def _draw_glyphs(text, run: TextRun) -> None:
    """A shaped run: each glyph at its own place, drawn by a character whose ToUnicode
    entry is the text it stands for (fonts.glyph_char), so the text layer reads true."""
    face = fonts.named(run.font)
    x = run.x
    # PDF readers take ActualText as drawn, left to right, and reorder right-to-left
    # lines themselves: a right-to-left run's text is given reversed, brackets as drawn
    visual = run.text[::-1].translate(_MIRROR) if run.rtl else run.text
    actual = ("\ufeff" + visual).encode("utf-16-be").hex().upper()
    text._code.append(f"/Span <</ActualText <{actual}>>> BDC")
    for glyph in run.glyphs:
        text.setTextOrigin(x + glyph.dx * run.size, run.y + glyph.dy * run.size)
        text.textOut(fonts.glyph_char(face, glyph.id, glyph.text, glyph.advance))
        x += glyph.advance * run.size
    text._code.append("EMC")


def _draw_shape(canvas: Canvas, item: Item) -> None:
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
        _draw_placed(canvas, item)
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


def _draw_placed(canvas: Canvas, placed: Placed) -> None:
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
    _draw_items(canvas, placed.page.items)
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
    document = canvas._doc
    info = _PDFXInfo()
    info.__dict__.update(document.info.__dict__)
    document.info = info
    catalog = document.Catalog
    catalog.__NoDefault__ = PDFCatalog.__NoDefault__ + ["OutputIntents"]
    catalog.OutputIntents = PDFArray([
        PDFDictionary({
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": PDFString(condition.identifier),
            "OutputCondition": PDFString(condition.info),
            "RegistryName": PDFString(REGISTRY),
            "Info": PDFString(condition.info),
        })
    ])


class _PDFXInfo(PDFInfo):
    """reportlab's Info dictionary plus GTS_PDFXVersion."""

    def format(self, document):
        date = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary({
            "Title": PDFString(self.title), "Author": PDFString(self.author),
            "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
            "Creator": PDFString(self.creator), "Producer": PDFString(self.producer),
            "CreationDate": date, "ModDate": date, "Trapped": PDFName("False"),
            "GTS_PDFXVersion": PDFString(PDFX_VERSION),
        }).format(document)


def _cmyk(color: CMYK) -> CMYKColor:
    return CMYKColor(*color)
