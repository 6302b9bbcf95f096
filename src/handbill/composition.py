"""Composition: the pages as plain data, everything placed and measured, in points.

compose.py makes it, render.py draws it, and nothing in between decides anything. The
origin is the bottom-left corner of the trim (the finished page); y grows upwards, as in
PDF. Items may reach into the bleed (negative coordinates, or beyond the trim size).
"""

from __future__ import annotations

from dataclasses import dataclass

from .units import CMYK

Point = tuple[float, float]


@dataclass(frozen=True)
class TextRun:
    """Text set in one font, size and colour, starting at (x, y) on its baseline."""

    x: float
    y: float
    text: str
    font: str  # the registered font name (see fonts.py)
    size: float
    color: CMYK

    def moved(self, dy: float) -> TextRun:
        return TextRun(self.x, self.y + dy, self.text, self.font, self.size, self.color)


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


@dataclass(frozen=True)
class Line:
    """A stroked straight line: rules."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: CMYK


Item = TextRun | Rect | Polygon | Line


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
    notices: tuple[str, ...] = ()  # things the user should know (an optional block left out)
