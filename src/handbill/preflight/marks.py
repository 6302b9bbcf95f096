"""What reading a PDF yields: each page's marks as plain data, for checks.py to judge.

A press sees fills, strokes, glyphs and images, each in some colour on some part of the
page; these records say just that, in points, in page space. Nothing here reads or judges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

Matrix = tuple[float, float, float, float, float, float]
BBox = tuple[float, float, float, float]  # x0, y0, x1, y1


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

    def note_damage(self, what: str) -> None:
        if self.damaged is None:  # the first damage says most
            self.damaged = what


@dataclass
class Document:
    pages: list[PageMarks]
    version: str
    info: dict[str, str]
    has_id: bool
    output_intents: list[dict[str, str]]
    scripts: list[str]  # JavaScript or actions found, in words
    repairs: list[str] = field(default_factory=list)  # what the parser had to repair, in its words
