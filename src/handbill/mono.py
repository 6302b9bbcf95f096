"""--mono: any composition in gray only (K), for leaflets that will be photocopied.

Every distinct CMYK colour of the document becomes a K tint by its lightness, then the
tints are spread onto a ladder: two colours that differed end at least 20 % apart (a
photocopier cannot tell 40 % from 50 % K), keeping their order, white staying white and
100 % K staying 100 %. Images become gray on the K plate alone. Pure: plain data in,
plain data out, before render.
"""

from __future__ import annotations

from dataclasses import replace

from .composition import Composition, Image, Item, Line, Page, Placed, Polygon, Rect, TextRun
from .units import CMYK

STEP = 0.2  # the smallest difference between two tints that a photocopy keeps


def monochrome(composition: Composition) -> Composition:
    colours: set[CMYK] = set()
    for page in composition.pages:
        _collect(page.items, colours)
    ladder = gray_ladder(colours)
    pages = tuple(Page(tuple(_gray_item(item, ladder) for item in page.items)) for page in composition.pages)
    return replace(composition, pages=pages)


def darkness(color: CMYK) -> float:
    """How dark a CMYK colour looks, 0 (paper) to 1 (solid black): 1 - its luminance."""
    c, m, y, k = color
    r, g, b = ((1 - v) * (1 - k) for v in (c, m, y))
    return 1 - (0.299 * r + 0.587 * g + 0.114 * b)


def gray_ladder(colours: set[CMYK]) -> dict[CMYK, float]:
    """Each colour's K tint: its darkness, pushed apart so that distinct colours differ by
    at least STEP (as far as 0-100 % has room: six steps; beyond that the closest share)."""
    levels = sorted({round(darkness(c), 4) for c in colours})
    spread = list(levels)
    for i in range(1, len(spread)):  # upwards: each at least a step above the one before
        spread[i] = max(spread[i], spread[i - 1] + STEP)
    if spread and spread[-1] > 1:  # too high: push down from the top, never below 0
        spread[-1] = 1.0
        for i in range(len(spread) - 2, -1, -1):
            spread[i] = max(0.0, min(spread[i], spread[i + 1] - STEP))
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


def _gray_item(item: Item, ladder: dict[CMYK, float]) -> Item:
    if isinstance(item, Image):
        from .images import gray_of

        return gray_of(item, ladder[item.ground])
    if isinstance(item, Placed):
        return replace(item, page=Page(tuple(_gray_item(i, ladder) for i in item.page.items)))
    if isinstance(item, (TextRun, Rect, Polygon, Line)):
        return replace(item, color=(0.0, 0.0, 0.0, ladder[item.color]))
    raise TypeError(f"--mono cannot turn {item!r} gray")
