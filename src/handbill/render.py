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
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from . import fonts
from .composition import Composition, Item, Line, Polygon, Rect, TextRun
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


def render(composition: Composition, *, marks: bool = False) -> bytes:
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
        text.setTextOrigin(run.x, run.y)
        text.textOut(run.text)
    canvas.drawText(text)


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


def _cmyk(color: CMYK) -> CMYKColor:
    return CMYKColor(*color)
