"""Imposition: copies of a composed page placed on a larger sheet, as plain data.

n_up() puts as many copies of each page as fit on a sheet (2 A5 or 4 A6 on A4), with cut
marks, each copy keeping its bleed where there is room for it; for_size() and scaled()
enlarge (or reduce) a layout to exactly another paper. n_up and scaled return an ordinary
Composition whose items are Placed pages, so render draws everything in one pass, all
vector, fonts subset once.

Copies are never turned on the front: a landscape sheet holds upright portrait copies (the
sheet's PDF page is landscape; printers turn it to the paper by themselves), so the file
reads upright on screen and the print shop sees the copies as the reader will.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import ceil

from .composition import Composition, Item, Line, Page, Placed
from .errors import InputError
from .layout import Layout, retarget
from .printshop import MARK_WIDTH, OFFICE_MARGIN
from .problems import note
from .units import MM, Paper, with_article

TICK = 4 * MM  # office sheets: cut ticks inside the printable area
INK = (0.0, 0.0, 0.0, 1.0)
EPSILON = 0.01  # pt: sizes that differ by less are the same (mm rounding)


@dataclass(frozen=True)
class Slot:
    """Where one copy goes on a sheet (its trim's bottom-left corner, sheet points) and
    how much of its bleed it keeps on each side (left, bottom, right, top), in points."""

    x: float
    y: float
    bleeds: tuple[float, float, float, float]


@dataclass(frozen=True)
class Grid:
    width: float  # the sheet, pt
    height: float
    columns: int
    rows: int
    slots: tuple[Slot, ...]  # left to right, top to bottom
    inner_bleed: float  # the bleed copies keep where they face each other (< bleed: cut exactly)


def _spacing(count: int, copy: float, sheet: float, bleed: float) -> tuple[float, float]:
    """(margin, gap) along one side of the sheet. The copies are centred with a gutter of
    twice the bleed (two cuts, each copy keeps its whole bleed) and a margin of at least
    the bleed; where the sheet has no room for that (A5 on A4 leaves 1 mm), the copies go
    flush to the sheet's edges, where they keep their bleed, and share what is left
    between them, so the copies' inner edges keep half the gap each."""
    leftover = max(0.0, sheet - count * copy)
    if count == 1:
        return leftover / 2, 0.0
    gap = min(leftover / (count - 1), 2 * bleed)
    margin = (leftover - (count - 1) * gap) / 2
    if margin < bleed - EPSILON and margin > EPSILON:
        return 0.0, leftover / (count - 1)
    return margin, gap


def grid(copy_w: float, copy_h: float, bleed: float, sheet: Paper, *, name: str | None = None) -> Grid:
    """The sheet turned the way that holds the most copies (portrait on a tie). `name`
    (the layout's) goes in the error when not one copy fits."""
    best: Grid | None = None
    portrait = (min(sheet.width_mm, sheet.height_mm) * MM, max(sheet.width_mm, sheet.height_mm) * MM)
    for width, height in (portrait, portrait[::-1]):
        columns = int((width + EPSILON) // copy_w)
        rows = int((height + EPSILON) // copy_h)
        if columns * rows == 0 or (best and columns * rows <= best.columns * best.rows):
            continue
        x0, gap_x = _spacing(columns, copy_w, width, bleed)
        y0, gap_y = _spacing(rows, copy_h, height, bleed)
        keep_x, keep_y = min(bleed, gap_x / 2), min(bleed, gap_y / 2)
        slots = []
        for row in range(rows):
            for column in range(columns):
                bottom_row = rows - 1 - row
                slots.append(Slot(
                    x0 + column * (copy_w + gap_x),
                    y0 + bottom_row * (copy_h + gap_y),
                    (bleed if column == 0 else keep_x, bleed if bottom_row == 0 else keep_y,
                     bleed if column == columns - 1 else keep_x, bleed if bottom_row == rows - 1 else keep_y),
                ))
        inner = min([keep_x] * (columns > 1) + [keep_y] * (rows > 1), default=bleed)
        best = Grid(width, height, columns, rows, tuple(slots), inner)
    if best is None:
        size = f"{copy_w / MM:.0f} x {copy_h / MM:.0f} mm page"
        page = f"{name}: its {size}" if name else with_article(size)
        raise InputError(f"{page} does not fit on {with_article(sheet.name)} sheet; choose a larger --sheet")
    return best


def flip_axis(sheet_w: float, sheet_h: float, duplex: str) -> str:
    """The sheet's axis a duplex printer turns it about: long-edge turns it about an axis
    along its long side. "x" mirrors left-right (a vertical axis), "y" top-bottom."""
    long_side_vertical = sheet_h >= sheet_w
    along_long = duplex == "long-edge"
    return "x" if long_side_vertical == along_long else "y"


def n_up(
    composition: Composition, sheet: Paper, *, office: bool = False, stack: bool = False, duplex: str | None = None,
    name: str | None = None,
) -> Composition:
    """Sheets of copies. Without `stack`, each page fills a sheet of its own (print as many
    as needed); with `stack`, different pages share a sheet in cut-and-stack order: cut
    the pile of sheets, put the piles on each other in slot order, and the pages come out
    in order. With `duplex`, pages go in pairs (front, back); each back sheet follows its
    front, every copy's back standing exactly behind its front when the sheet is turned
    the way the printer turns it ("long-edge" or "short-edge"). `name`: the layout's, for
    messages."""
    w, h, bleed = composition.width, composition.height, composition.bleed
    g = grid(w, h, bleed, sheet, name=name)
    pages = composition.pages
    per_unit = 2 if duplex else 1
    if duplex and len(pages) % 2:
        raise InputError(
            f"--duplex prints pages in pairs (front, back) and {name or 'this layout'} makes {len(pages)} page"
            f"{'s' if len(pages) != 1 else ''}; use a two-sided layout such as a5-duplex, or leave out --duplex"
        )
    units = [pages[i:i + per_unit] for i in range(0, len(pages), per_unit)]
    slots = len(g.slots)
    if stack:
        sheets_needed = ceil(len(units) / slots)
        layout = [
            [units[i * sheets_needed + s] if i * sheets_needed + s < len(units) else None for i in range(slots)]
            for s in range(sheets_needed)
        ]
    else:
        layout = [[unit] * slots for unit in units]

    axis = flip_axis(g.width, g.height, duplex) if duplex else None
    out_pages: list[Page] = []
    for sheet_units in layout:
        out_pages.append(_side(g, sheet_units, 0, w, h, bleed, None, office))
        if duplex:
            out_pages.append(_side(g, sheet_units, 1, w, h, bleed, axis, office))

    xs = sorted({round(v, 3) for s in g.slots for v in (s.x, s.x + w)})
    ys = sorted({round(v, 3) for s in g.slots for v in (s.y, s.y + h)})
    notices = list(composition.notices)
    if slots == 1:
        notices.append(note("one-copy-per-sheet", "--sheet",
                            f"only one copy fits on {with_article(sheet.name)} sheet", "choose a larger --sheet for more"))
    elif g.inner_bleed < bleed - EPSILON and not office:
        notices.append(note(
            "sheet-nearly-full", "--sheet",
            f"{slots} copies nearly fill the {sheet.name} sheet: they keep their {bleed / MM:g} mm bleed on the "
            f"sheet's edges and {g.inner_bleed / MM:.1f} mm between them",
            "cut exactly on the marks, or choose a larger --sheet",
        ))
    return Composition(
        g.width, g.height, 0.0 if office else bleed, tuple(out_pages), composition.metadata, tuple(notices),
        cuts=((), ()) if office else (tuple(xs), tuple(ys)),
    )


def _side(g: Grid, units, side: int, w: float, h: float, bleed: float, axis: str | None, office: bool) -> Page:
    items: list[Item] = []
    for slot, unit in zip(g.slots, units):
        if unit is None:
            continue
        x, y, (left, bottom, right, top), rotate = slot.x, slot.y, slot.bleeds, 0
        if axis == "x":  # behind the copy when the sheet turns left-right
            x, (left, right) = g.width - x - w, (right, left)
        elif axis == "y":  # turned top-bottom: the copy stands on its head, so that the
            # cut leaflet, turned like a book page, reads upright on its back
            y, rotate = g.height - y - h, 180
            left, right = right, left  # mirrored top-bottom then turned: the copy's own sides
        clip = (-left, -bottom, w + left + right, h + bottom + top)
        items.append(Placed(unit[side], x, y, 1.0, w, h, clip, rotate))
    if office:
        items.extend(_office_ticks(g, w, h))
    return Page(tuple(items))


def _office_ticks(g: Grid, w: float, h: float) -> list[Line]:
    """Office sheets have no room outside for marks: short ticks just inside the printable
    edge, on the cut lines between copies (copies keep their text 5 mm from their edges)."""
    inner_x = sorted({round(v, 3) for s in g.slots for v in (s.x, s.x + w)} - {0.0, round(g.width, 3)})
    inner_y = sorted({round(v, 3) for s in g.slots for v in (s.y, s.y + h)} - {0.0, round(g.height, 3)})
    m, ticks = OFFICE_MARGIN, []
    for x in inner_x:
        ticks += [Line(x, m, x, m + TICK, MARK_WIDTH, INK), Line(x, g.height - m, x, g.height - m - TICK, MARK_WIDTH, INK)]
    for y in inner_y:
        ticks += [Line(m, y, m + TICK, y, MARK_WIDTH, INK), Line(g.width - m, y, g.width - m - TICK, y, MARK_WIDTH, INK)]
    return ticks


def _turned(paper: Paper, landscape: bool) -> tuple[float, float]:
    """The paper's sides in mm, across and up, turned like a landscape or portrait page."""
    across, up = sorted((paper.width_mm, paper.height_mm), reverse=landscape)
    return across, up


def for_size(layout: Layout, size: Paper) -> Layout:
    """The layout to compose so that scaled() makes it exactly `size`: on a paper of the
    size's own proportions divided by the factor (A3 to A1: 297 x 420.5 mm, the % areas
    adapting by a hair, since ISO sizes are rounded to the mm), its bleed divided by the
    factor so that the bleed printed stays the layout's (3 mm is 3 mm on any paper).
    Never smaller than the layout's paper, so areas in mm still fit."""
    width, height = layout.paper.width_mm, layout.paper.height_mm
    across, up = _turned(size, width > height)
    factor = min(across / width, up / height)
    base = retarget(layout, f"{across / factor!r} x {up / factor!r} mm")  # repr: not a digit lost
    return replace(base, bleed_mm=layout.bleed_mm / factor)


def scale_to(composition: Composition, paper: Paper) -> tuple[float, float, float]:
    """The factor that makes the composition as large as fits on `paper` (turned like the
    composition), and the scaled trim size: exactly the paper for a composition of a
    for_size() layout."""
    return scaled_size(composition.width, composition.height, paper)


def scaled_size(width: float, height: float, paper: Paper) -> tuple[float, float, float]:
    """scale_to for a trim of `width` x `height` points: (factor, new width, new height)."""
    across, up = _turned(paper, width > height)
    factor = min(across * MM / width, up * MM / height)
    return factor, width * factor, height * factor


def scaled(composition: Composition, paper: Paper) -> Composition:
    """The composition enlarged (or reduced) to `paper`, all vector, its bleed with it:
    compose a for_size() layout, so the bleed comes out as the layout asked."""
    factor, width, height = scale_to(composition, paper)
    b = composition.bleed
    clip = (-b, -b, composition.width + 2 * b, composition.height + 2 * b)
    pages = tuple(
        Page((Placed(page, 0.0, 0.0, factor, composition.width, composition.height, clip),))
        for page in composition.pages
    )
    return replace(composition, width=width, height=height, bleed=b * factor, pages=pages)
