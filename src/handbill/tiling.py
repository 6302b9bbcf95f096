"""Tiling: a big poster cut onto small sheets (A1 onto A4) that an office printer prints
and a person tapes together.

tile() scales the poster (impose.scale_to: exactly the size asked, for a composition of
an impose.for_size layout), lays a grid of sheets over it with the overlap asked for, and
returns a Composition: first a page showing how the sheets go together (the poster in
miniature with each sheet's numbered rectangle), then one page per sheet. Each sheet keeps
a 5 mm printer-safe margin and a label strip at its foot; the poster's trim corners get
trim marks, and alignment crosses sit in the middle of every overlap, drawn at the same
poster position on both sheets, so laying one sheet over the other until the crosses meet
puts the poster together.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from .composition import Composition, Item, Line, Page, Placed, Polygon, Rect, TextRun
from .errors import InputError
from .fonts import FontSet
from .impose import INK, scale_to
from .limits import MAX_TILES
from .printshop import MARK_LENGTH, MARK_OFFSET, MARK_WIDTH, MIN_TEXT_PT, OFFICE_MARGIN
from .units import MM, Paper, with_article

LABEL_STRIP = 6 * MM  # at the foot of each sheet, for the "row 2, column 3" label
LABEL_SIZE = 7.0
CROSS = 3 * MM  # half the arm of an alignment cross


@dataclass(frozen=True)
class Tiling:
    """The grid, in the scaled poster's points (origin: its trim's bottom-left corner)."""

    sheet_w: float
    sheet_h: float
    columns: int
    rows: int
    step_x: float
    step_y: float
    area_w: float  # what one sheet shows of the poster
    area_h: float
    origin_x: float  # the left edge of column 1, poster points (negative: centred)
    top_y: float  # the top edge of row 1

    def region(self, row: int, column: int) -> tuple[float, float, float, float]:
        """The part of the poster that sheet (row, column) shows: x, y, w, h; rows from the top."""
        x = self.origin_x + column * self.step_x
        top = self.top_y - row * self.step_y
        return x, top - self.area_h, self.area_w, self.area_h


def plan(width: float, height: float, tile_paper: Paper, overlap: float,
         keep_whole: tuple[float, float, float, float] | None = None) -> Tiling:
    """The sheet turned the way that needs fewer sheets (portrait on a tie), the grid centred
    on the poster; or, when `keep_whole` (x0, y0, x1, y1: the QR code with its quiet zone)
    can lie wholly on one sheet, shifted as little as that needs: a code cut by a seam,
    taped, may not scan."""
    best: Tiling | None = None
    short, long = sorted((tile_paper.width_mm * MM, tile_paper.height_mm * MM))
    for sheet_w, sheet_h in ((short, long), (long, short)):
        area_w = sheet_w - 2 * OFFICE_MARGIN
        area_h = sheet_h - 2 * OFFICE_MARGIN - LABEL_STRIP
        step_x, step_y = area_w - overlap, area_h - overlap
        if step_x <= 0 or step_y <= 0:
            continue
        columns = max(1, ceil((width - overlap) / step_x - 1e-9))
        rows = max(1, ceil((height - overlap) / step_y - 1e-9))
        if best and columns * rows >= best.columns * best.rows:
            continue
        cover_w, cover_h = columns * step_x + overlap, rows * step_y + overlap
        slack_x, slack_y = cover_w - width, cover_h - height  # how far the grid may slide
        origin_x = _slide(-slack_x / 2, (-slack_x, 0.0), columns, step_x, area_w,
                          keep_whole and (keep_whole[0], keep_whole[2]))
        # rows count from the top: slide the grid's top edge, seen from above
        top = _slide(-(height + slack_y / 2), (-(height + slack_y), -height), rows, step_y, area_h,
                     keep_whole and (-keep_whole[3], -keep_whole[1]))
        best = Tiling(sheet_w, sheet_h, columns, rows, step_x, step_y, area_w, area_h, origin_x, -top)
    if best is None:
        raise InputError(
            f"an overlap of {overlap / MM:g} mm leaves nothing of {with_article(tile_paper.name)} sheet; use a smaller --overlap"
        )
    return best


def _slide(centred: float, allowed: tuple[float, float], count: int, step: float, span: float,
           keep: tuple[float, float] | None) -> float:
    """Where a grid of `count` cells (`step` apart, `span` wide) starts along one axis: the
    start within `allowed` nearest `centred` that puts `keep` (lo, hi) inside one cell, or
    `centred` when none does."""
    if keep is None:
        return centred
    lo, hi = keep
    best = None
    for cell in range(count):
        # the cell [start + cell*step, start + cell*step + span] holds [lo, hi]
        first = max(allowed[0], hi - span - cell * step)
        last = min(allowed[1], lo - cell * step)
        if first <= last + 1.0:  # a point of give: the quiet zone's outer edge may touch the seam
            start = min(max(centred, first), last)
            if best is None or abs(start - centred) < abs(best - centred):
                best = start
    return centred if best is None else best


def _qr_box(composition: Composition, factor: float) -> tuple[float, float, float, float] | None:
    """The QR code's square with its quiet zone, in the scaled poster's points (x0, y0,
    x1, y1; all the pages' codes together); None without a code."""
    boxes = [
        (x, y, x + w, y + h)
        for page in composition.pages
        for item in page.items
        if isinstance(item, Polygon) and item.square
        for x, y, w, h in [item.square]
    ]
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return x0 * factor, y0 * factor, x1 * factor, y1 * factor


def tile(
    composition: Composition, size: Paper, tile_paper: Paper, overlap_mm: float = 10.0, *, name: str = "poster",
    fonts: FontSet,
) -> Composition:
    factor, width, height = scale_to(composition, size)
    overlap = overlap_mm * MM
    qr = _qr_box(composition, factor)
    t = plan(width, height, tile_paper, overlap, qr)
    if t.rows * t.columns > MAX_TILES:
        raise InputError(
            f"{size.name} cut onto {tile_paper.name} needs {t.rows * t.columns} sheets ({t.rows} rows x {t.columns} "
            f"columns), past handbill's limit of at most {MAX_TILES} sheets; tile onto larger paper or choose a smaller --size"
        )
    # the bleed kept round the poster (unscaled points): all of it, up to where the trim marks start
    inner = min(composition.bleed, MARK_OFFSET / factor)
    bleed_box = (-inner, -inner, composition.width + 2 * inner, composition.height + 2 * inner)
    count = t.rows * t.columns
    pages: list[Page] = []
    for number, page in enumerate(composition.pages, start=1):
        what = name if len(composition.pages) == 1 else f"{name}, page {number}"
        pages.append(_assembly(page, composition, t, factor, width, height, size, tile_paper, overlap_mm, what, bleed_box,
                               fonts))
        marks = _poster_marks(t, width, height, overlap, keep_clear=qr)
        for row in range(t.rows):
            for column in range(t.columns):
                x, y, w, h = t.region(row, column)
                ox, oy = OFFICE_MARGIN, OFFICE_MARGIN + LABEL_STRIP  # where the region sits on the sheet
                # the poster's clip, in its own unscaled points: the sheet's region and the bleed box
                cx0, cy0 = max(x / factor, bleed_box[0]), max(y / factor, bleed_box[1])
                cx1 = min((x + w) / factor, bleed_box[0] + bleed_box[2])
                cy1 = min((y + h) / factor, bleed_box[1] + bleed_box[3])
                items: list[Item] = [Placed(page, ox - x, oy - y, factor, composition.width, composition.height,
                                            (cx0, cy0, max(0.0, cx1 - cx0), max(0.0, cy1 - cy0)))]
                for segment in marks:
                    clipped = _clip_segment(segment, (x, y, x + w, y + h))
                    if clipped:
                        x1, y1, x2, y2 = clipped
                        items.append(Line(x1 - x + ox, y1 - y + oy, x2 - x + ox, y2 - y + oy, MARK_WIDTH, INK))
                sheet = row * t.columns + column + 1
                label = (f"{what}: sheet {sheet} of {count}, row {row + 1}, column {column + 1} of "
                         f"{t.rows} x {t.columns} (rows x columns); overlap {overlap_mm:g} mm")
                items.append(TextRun(OFFICE_MARGIN, OFFICE_MARGIN + 1.5 * MM, label, fonts.primary("text").name, LABEL_SIZE, INK))
                pages.append(Page(tuple(items)))
    return Composition(t.sheet_w, t.sheet_h, 0.0, tuple(pages), composition.metadata, composition.notices)


def _poster_marks(t: Tiling, width: float, height: float, overlap: float,
                  keep_clear: tuple[float, float, float, float] | None = None) -> list[tuple[float, float, float, float]]:
    """Trim marks at the poster's corners (outside the trim) and an alignment cross in the
    middle of every overlap, once per neighbouring pair: poster points. No cross within
    `keep_clear` (the QR code's square: a cross in its quiet zone stops it scanning)."""
    segments = []
    for cx, sx in ((0.0, -1), (width, 1)):
        for cy, sy in ((0.0, -1), (height, 1)):
            segments.append((cx + sx * MARK_OFFSET, cy, cx + sx * (MARK_OFFSET + MARK_LENGTH), cy))
            segments.append((cx, cy + sy * MARK_OFFSET, cx, cy + sy * (MARK_OFFSET + MARK_LENGTH)))
    crosses = []
    for row in range(t.rows):
        for column in range(t.columns):
            x, y, w, h = t.region(row, column)
            if column + 1 < t.columns:  # the strip shared with the sheet to the right
                crosses.append((x + w - overlap / 2, y + h / 2))
            if row + 1 < t.rows:  # the strip shared with the sheet below
                crosses.append((x + w / 2, y + overlap / 2))
    if keep_clear is not None:
        x0, y0, x1, y1 = keep_clear
        crosses = [(cx, cy) for cx, cy in crosses
                   if not (x0 - CROSS < cx < x1 + CROSS and y0 - CROSS < cy < y1 + CROSS)]
    for cx, cy in crosses:
        segments.append((cx - CROSS, cy, cx + CROSS, cy))
        segments.append((cx, cy - CROSS, cx, cy + CROSS))
    return segments


def _clip_segment(segment, box):
    """An axis-parallel segment cut to a box, or None."""
    x1, y1, x2, y2 = segment
    bx0, by0, bx1, by1 = box
    lo_x, hi_x = sorted((x1, x2))
    lo_y, hi_y = sorted((y1, y2))
    lo_x, hi_x, lo_y, hi_y = max(lo_x, bx0), min(hi_x, bx1), max(lo_y, by0), min(hi_y, by1)
    if lo_x > hi_x or lo_y > hi_y or (lo_x == hi_x and lo_y == hi_y):
        return None
    return lo_x, lo_y, hi_x, hi_y


QR_STAND_IN = (0.0, 0.0, 0.0, 0.25)  # a 25 % gray square where the poster's QR code goes


def _in_miniature(item: Item) -> Item:
    """The QR code's modules become a gray square: the grid drawn over the miniature
    crosses it, and a phone (or a print shop's preflight) should find the real code only
    on the sheets, where it scans."""
    if not isinstance(item, Polygon):
        return item
    xs = [x for contour in item.contours for x, _ in contour]
    ys = [y for contour in item.contours for _, y in contour]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys), QR_STAND_IN)  # the modules' extent


def _assembly(page, composition, t: Tiling, factor, width, height, size: Paper, tile_paper: Paper,
              overlap_mm, what, bleed_box, fonts: FontSet) -> Page:
    """The first page: the poster in miniature under the grid of numbered sheets, and how to
    put them together."""
    text_font, display_font = fonts.primary("text").name, fonts.primary("display").name
    m = OFFICE_MARGIN + 5 * MM
    items: list[Item] = []
    top = t.sheet_h - m
    count = t.rows * t.columns
    lines = [
        (f"{what}: {size.name}, {width / MM:.0f} x {height / MM:.0f} mm ({factor:g} x the layout)", display_font, 16.0),
        (f"{count} {tile_paper.name} sheets: {t.rows} rows x {t.columns} columns, {overlap_mm:g} mm overlap", text_font, 10.0),
        ("Print the sheets at 100 % (actual size, no \u201cfit to page\u201d). Lay them out as below; cut", text_font, 9.0),
        ("each sheet's right and lower margin off, lay it over its neighbour so the crosses meet, tape.", text_font, 9.0),
        ("Cut the finished poster at the trim marks in its corners.", text_font, 9.0),
    ]
    y = top
    for text, font, size_pt in lines:
        y -= size_pt * 1.35
        items.append(TextRun(m, y, text, font, size_pt, INK))
    # the map: the whole grid, fitted below the text
    cover_w = t.columns * t.step_x + (t.area_w - t.step_x)
    cover_h = t.rows * t.step_y + (t.area_h - t.step_y)
    box_w, box_h = t.sheet_w - 2 * m, y - 6 * MM - m
    mini = min(box_w / cover_w, box_h / cover_h)
    ox = m + (box_w - cover_w * mini) / 2 - t.origin_x * mini
    oy = m + (box_h - cover_h * mini) / 2 - (t.top_y - cover_h) * mini
    # the miniature keeps the text that stays readable (the headline, the slogans); the
    # rest would print below 6 pt, and the sheets themselves carry every word
    readable = Page(tuple(_in_miniature(i) for i in page.items if not isinstance(i, TextRun) or i.size * factor * mini >= MIN_TEXT_PT))
    items.append(Placed(readable, ox, oy, factor * mini, composition.width, composition.height, bleed_box))
    for row in range(t.rows):
        for column in range(t.columns):
            x, y0, w, h = t.region(row, column)
            x0, y0, x1, y1 = ox + x * mini, oy + y0 * mini, ox + (x + w) * mini, oy + (y0 + h) * mini
            items += [Line(x0, y0, x1, y0, 0.75, INK), Line(x1, y0, x1, y1, 0.75, INK),
                      Line(x1, y1, x0, y1, 0.75, INK), Line(x0, y1, x0, y0, 0.75, INK)]
            number = str(row * t.columns + column + 1)
            items.append(TextRun(x0 + 2 * MM, y1 - 2 * MM - 12, number, display_font, 12.0, INK))
    return Page(tuple(items))
