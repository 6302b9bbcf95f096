"""Composition: the pages as plain data, everything placed and measured, in points.

compose.py makes it and render.py draws it. Between them, mono.py, impose.py and
tiling.py turn a Composition into another (gray only, copies on a sheet, tiles), never
into anything but plain data; nothing touches a PDF until render. The origin is the bottom-left corner of the trim (the finished page); y grows upwards, as in
PDF. Items may reach into the bleed (negative coordinates, or beyond the trim size).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Problem
from .units import CMYK

Point = tuple[float, float]


@dataclass(frozen=True)
class Glyph:
    """One shaped glyph: its id in the font, the text it stands for (its cluster's text on
    the cluster's first glyph, "" on the others), and advance and offsets per point of size."""

    id: int
    text: str
    advance: float
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class TextRun:
    """Text set in one font, size and colour, starting at (x, y) on its baseline.

    A shaped run (any script but Latin, Greek and Cyrillic) also carries its glyphs, in
    visual order; render draws those, and `text` is the run's logical text. A page lists
    the runs of one line together and in reading order: render writes each line's text
    layer from them in that order."""

    x: float
    y: float
    text: str
    font: str  # the registered font name (see fonts.py)
    size: float
    color: CMYK
    glyphs: tuple[Glyph, ...] = ()
    rtl: bool = False  # a right-to-left run: its glyphs, in visual order, read from the right
    # > 0: the glyphs are outlined too, with a stroke this fraction of the size wide, for a
    # face that stands in for a heavy weight it does not have (fonts.embolden)
    embolden: float = 0.0

    def moved(self, dy: float) -> TextRun:
        return self.changed(y=self.y + dy)

    def changed(self, *, y: float | None = None, text: str | None = None, glyphs: tuple[Glyph, ...] | None = None,
                rtl: bool | None = None) -> TextRun:
        """A copy with these fields changed: dataclasses.replace, without its cost (a
        line's runs are rebuilt word by word while text is set)."""
        return TextRun(
            self.x, self.y if y is None else y, self.text if text is None else text, self.font, self.size, self.color,
            self.glyphs if glyphs is None else glyphs, self.rtl if rtl is None else rtl, self.embolden,
        )


@dataclass(frozen=True)
class Rect:
    """A filled rectangle: backgrounds, bands."""

    x: float
    y: float
    w: float
    h: float
    color: CMYK


@dataclass(frozen=True)
class Polygon:
    """A filled outline of one or more closed contours, filled by the even-odd rule
    (so a contour inside another is a hole): the QR code's dark modules."""

    contours: tuple[tuple[Point, ...], ...]
    color: CMYK
    # the code's whole square with its quiet zone (x, y, w, h), which must stay clear:
    # tiling keeps it on one sheet, the assembly page greys it out
    square: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Line:
    """A stroked straight line: rules."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: CMYK


@dataclass(frozen=True)
class Placed:
    """Another page drawn on this one (imposition, tiling): its origin at (x, y), scaled
    by `scale`, turned by `rotate` degrees (0 or 180) about its own centre, and clipped to
    `clip` = (x, y, w, h) in the placed page's own coordinates (e.g. its trim plus bleed).
    `width`/`height` are the placed page's trim size, in its own points."""

    page: Page
    x: float
    y: float
    scale: float
    width: float
    height: float
    clip: tuple[float, float, float, float]
    rotate: int = 0


@dataclass(frozen=True)
class Image:
    """A raster image, ready to print: its pixels already CMYK (or gray), flattened (no
    alpha) and cropped, drawn to fill (x, y, w, h). images.py makes it."""

    x: float
    y: float
    w: float
    h: float
    mode: str  # "CMYK" (or "L", gray)
    pixels: tuple[int, int]  # width, height
    data: bytes = field(repr=False)  # raw samples, 8 bits per channel, rows top to bottom
    source: str = ""  # the file it came from, for messages
    # for a re-flattening (--mono makes the colour beneath a gray tint): the pixels before
    # flattening, their alpha (b"" when opaque) and the colour they were flattened onto
    straight: bytes = field(default=b"", repr=False)
    alpha: bytes = field(default=b"", repr=False)
    ground: CMYK = (0.0, 0.0, 0.0, 0.0)


Item = TextRun | Rect | Polygon | Line | Placed | Image


@dataclass(frozen=True)
class Page:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str  # the organisation
    subject: str
    lang: str


@dataclass(frozen=True)
class Composition:
    width: float  # trim, pt
    height: float
    bleed: float  # pt on every side; 0 for office printing
    pages: tuple[Page, ...]
    metadata: Metadata
    notices: tuple[Problem, ...] = ()  # things the user should know (an optional block left out), said once each
    # imposed sheets: where the cuts between copies go (x positions, y positions, trim
    # coordinates); with --marks render draws a cut mark outside the sheet at each
    cuts: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
