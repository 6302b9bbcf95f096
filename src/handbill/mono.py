"""--mono: any composition in gray only (K), for leaflets that will be photocopied.

Every distinct CMYK colour of the document becomes a K tint by its lightness, then the
tints are spread onto a ladder: two colours that differed end at least 20 % apart (a
photocopier cannot tell 40 % from 50 % K), keeping their order, white staying white and
100 % K staying 100 %. Images become gray on the K plate alone.

Large solid areas (a headline band: more than MONO_BAND_AREA of the page, darker than MONO_BAND_LIGHT) eat
toner and print blotchy on a copier: they are left out, and what was knocked out of
them in white is printed black on the paper instead. Pure: plain data in, plain data
out, before render.
"""

from __future__ import annotations

from dataclasses import replace

from .composition import Composition, Image, Item, Line, Page, Placed, Polygon, Rect, TextRun
from .printshop import MONO_BAND_AREA, MONO_BAND_LIGHT, MONO_TINT_STEP
from .units import CMYK

PAPER, SOLID = (0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0)


def monochrome(composition: Composition) -> Composition:
    colours: set[CMYK] = set()
    for page in composition.pages:
        _collect(page.items, colours)
    ladder = gray_ladder(colours)
    page_area = composition.width * composition.height
    pages = tuple(_gray_page(page, ladder, page_area) for page in composition.pages)
    return replace(composition, pages=pages)


def _gray_page(page: Page, ladder: dict[CMYK, float], page_area: float) -> Page:
    bands = [item for item in page.items
             if isinstance(item, Rect) and item.w * item.h > MONO_BAND_AREA * page_area and ladder[item.color] > MONO_BAND_LIGHT]
    items = []
    for item in page.items:
        if item in bands:
            continue  # toner saved; what was white on it turns black below
        on_band = any(_inside(item, band) for band in bands)
        gray = _gray_item(item, ladder, paper_ground=on_band)
        if on_band and isinstance(gray, (TextRun, Rect, Polygon, Line)) and gray.color == PAPER:
            gray = replace(gray, color=SOLID)  # knocked out of the band: now ink on paper
        items.append(gray)
    return Page(tuple(items))


def _inside(item: Item, band: Rect) -> bool:
    """Whether the item stands on the band: a run's start on its baseline, a line's first
    end, a picture's middle (where compose looked for its ground)."""
    if isinstance(item, (TextRun, Rect)):
        x, y = item.x, item.y
    elif isinstance(item, Image):
        x, y = item.x + item.w / 2, item.y + item.h / 2
    elif isinstance(item, Line):
        x, y = item.x1, item.y1
    elif isinstance(item, Polygon):
        x, y = item.contours[0][0]
    else:
        return False
    return band.x <= x <= band.x + band.w and band.y <= y <= band.y + band.h


def darkness(color: CMYK) -> float:
    """How dark a CMYK colour looks, 0 (paper) to 1 (solid black): 1 - its luminance."""
    c, m, y, k = color
    r, g, b = ((1 - v) * (1 - k) for v in (c, m, y))
    return 1 - (0.299 * r + 0.587 * g + 0.114 * b)


def gray_ladder(colours: set[CMYK]) -> dict[CMYK, float]:
    """Each colour's K tint: its darkness, pushed apart so that distinct colours differ by
    at least MONO_TINT_STEP (as far as 0-100 % has room: six steps; beyond that the closest share)."""
    levels = sorted({round(darkness(c), 4) for c in colours})
    spread = list(levels)
    for i in range(1, len(spread)):  # upwards: each at least a step above the one before
        spread[i] = max(spread[i], spread[i - 1] + MONO_TINT_STEP)
    if spread and spread[-1] > 1:  # too high: push down from the top, never below 0
        spread[-1] = 1.0
        for i in range(len(spread) - 2, -1, -1):
            spread[i] = max(0.0, min(spread[i], spread[i + 1] - MONO_TINT_STEP))
    tint = {level: round(min(1.0, max(0.0, value)), 4) for level, value in zip(levels, spread)}
    return {c: tint[round(darkness(c), 4)] for c in colours}


def _collect(items: tuple[Item, ...], colours: set[CMYK]) -> None:
    for item in items:
        if isinstance(item, Placed):
            _collect(item.page.items, colours)
        elif isinstance(item, Image):
            colours.add(item.ground)
        else:
            colours.add(item.color)


def _gray_item(item: Item, ladder: dict[CMYK, float], *, paper_ground: bool = False) -> Item:
    if isinstance(item, Image):
        from .images import gray_of

        return gray_of(item, 0.0 if paper_ground else ladder[item.ground])
    if isinstance(item, Placed):
        return replace(item, page=Page(tuple(_gray_item(i, ladder) for i in item.page.items)))
    if isinstance(item, (TextRun, Rect, Polygon, Line)):
        return replace(item, color=(0.0, 0.0, 0.0, ladder[item.color]))
    raise TypeError(f"--mono cannot turn {item!r} gray")
