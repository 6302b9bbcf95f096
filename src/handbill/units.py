"""Reading the small values a layout is made of: lengths, CMYK colours, paper sizes.

Each parser takes the text as written and returns a plain value, or raises ValueError
with the fix in words ("write "12mm" ..."); layout.py adds the file and the block.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

CMYK = tuple[float, float, float, float]  # each 0..1 (fraction of full ink)

MM = 72 / 25.4  # points in a millimetre


@dataclass(frozen=True)
class Length:
    """A length as written: 12 mm, 24 pt, 40 %."""

    value: float
    unit: str  # "mm" | "pt" | "%"  (cm and in are converted to mm on reading)

    def to_pt(self, reference_pt: float = 0.0) -> float:
        """Points; a percentage is of `reference_pt`."""
        if self.unit == "mm":
            return self.value * MM
        if self.unit == "pt":
            return self.value
        return self.value / 100 * reference_pt


@dataclass(frozen=True)
class Paper:
    name: str  # "A4", "long bond", or "210 x 297 mm"
    width_mm: float  # already turned for the orientation
    height_mm: float



# Trim sizes in mm, portrait. ISO 216 A (A0-A7) and B series, the North American sizes, and the
# 8.5 x 13 in "long bond" (folio) that every office in the Philippines uses.
PAPER_SIZES: Mapping[str, tuple[float, float]] = MappingProxyType({
    **{f"A{n}": size for n, size in enumerate(
        [(841, 1189), (594, 841), (420, 594), (297, 420), (210, 297), (148, 210), (105, 148), (74, 105)])},
    **{f"B{n}": size for n, size in enumerate(
        [(1000, 1414), (707, 1000), (500, 707), (353, 500), (250, 353), (176, 250), (125, 176)])},
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
    "Tabloid": (279.4, 431.8),
    "long bond": (215.9, 330.2),
})
_PAPER_ALIASES = MappingProxyType({
    "longbond": "long bond", "long-bond": "long bond", "folio": "long bond", "ledger": "Tabloid",
})

LENGTH_MAX = 1e6  # the largest number a length may have in any unit: far beyond any paper (5,000 mm)
_TO_MM = MappingProxyType({"mm": 1.0, "cm": 10.0, "in": 25.4})
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|%)\s*$")
_CMYK = re.compile(r"^\s*cmyk\(\s*([^)]*)\)\s*$", re.IGNORECASE)
# "210 x 297 mm", "210mm x 297mm", "8.5x13in": a unit after either number or both
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)?\s*$", re.IGNORECASE)


def parse_length(value: object, *, percent: bool = True) -> Length:
    """ "12mm", "1.5cm", "24pt", "0.5in", "40%" -> Length (cm and in become mm)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a length such as \"12mm\", got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number; write a length such as \"12mm\"")
    if isinstance(value, (int, float)):
        choices = f"\"{value}mm\", \"{value}pt\" or \"{value}%\"" if percent else f"\"{value}mm\" or \"{value}pt\""
        raise ValueError(f"{value!r} has no unit; write {choices}")
    match = _LENGTH.match(value)
    if not match or (match[2] == "%" and not percent):
        units = "mm, cm, in, pt or %" if percent else "mm, cm, in or pt"
        raise ValueError(f"\"{value}\" is not a length; write a number and a unit ({units}), e.g. \"12mm\"")
    number, unit = float(match[1]), match[2]
    if not abs(number) <= LENGTH_MAX:  # 400 digits are infinity as a float
        raise ValueError(f"\"{_start(value)}\" is too large a number for a length on paper; write one such as \"12mm\"")
    if unit in _TO_MM:
        return Length(number * _TO_MM[unit], "mm")
    return Length(number, unit)


def _start(text: str, keep: int = 20) -> str:
    """The start of a long text for a message, and how long it is."""
    text = text.strip()
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text)} characters)"


def parse_mm(value: object) -> float:
    """A length that must be absolute, in mm (bleed, margin, gutter, module size)."""
    length = parse_length(value, percent=False)
    return length.value if length.unit == "mm" else length.value * 25.4 / 72


def parse_pt(value: object) -> float:
    """A length that must be absolute, in points (type sizes, strokes)."""
    length = parse_length(value, percent=False)
    return length.value if length.unit == "pt" else length.value * 72 / 25.4


def parse_cmyk(value: object) -> CMYK:
    """ "cmyk(0,100,100,0)" (percent ink) -> (0.0, 1.0, 1.0, 0.0)."""
    text = value if isinstance(value, str) else repr(value)
    match = _CMYK.match(text)
    if not match:
        hint = " (presses print CMYK, not RGB)" if re.match(r"\s*(#|rgb)", text, re.IGNORECASE) else ""
        raise ValueError(f"\"{text}\" is not a colour{hint}; write \"cmyk(c,m,y,k)\" with each 0-100, or a theme colour's name")
    parts = [p.strip() for p in match[1].split(",")]
    try:
        numbers = [float(p.rstrip("%")) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(0 <= n <= 100 for n in numbers):
        raise ValueError(f"\"{text}\" needs four numbers from 0 to 100, e.g. \"cmyk(0,100,100,0)\"")
    c, m, y, k = (n / 100 for n in numbers)
    return (c, m, y, k)


# names said with a vowel first: a letter before a digit ("an A4", "an F4"), a vowel, or a
# number said "eight...", "eleven", "eighteen" ("an 8.5 x 13 in", "an 11 x 17 in page")
_SAID_WITH_A_VOWEL = re.compile(r"[AEFHILMNORSX]\d|[aeiou]|8|1[18](?!\d)", re.IGNORECASE)


def with_article(name: str) -> str:
    """ "an A4", "a B5", "a Letter", "an 8.5 x 13 in", "a 210 x 297 mm"."""
    return f"{'an' if _SAID_WITH_A_VOWEL.match(name) else 'a'} {name}"


def paper_names() -> list[str]:
    return list(PAPER_SIZES)


def parse_paper(value: object, orientation: str = "portrait") -> Paper:
    """ "A4", "long bond", "210mm x 297mm", "210 x 297 mm" or "8.5 x 13 in" -> Paper turned
    for the orientation ("portrait": the long side up; "landscape": the long side across)."""
    if not isinstance(value, str):
        raise ValueError(f"expected a paper name such as \"A4\", got {value!r}")
    key = value.strip()
    folded = {name.lower(): name for name in PAPER_SIZES}
    name = folded.get(key.lower()) or _PAPER_ALIASES.get(key.lower().replace(" ", "-")) or _PAPER_ALIASES.get(key.lower())
    if name:
        short, long = PAPER_SIZES[name]
        return Paper(name, long, short) if orientation == "landscape" else Paper(name, short, long)
    return _paper_by_size(value, orientation)


def _paper_by_size(value: str, orientation: str) -> Paper:
    """ "W x H unit" -> Paper named by the size it ends up as ("297 x 210 mm" on a portrait
    layout is named "210 x 297 mm"), so that file names say what was printed."""
    match = _SIZE.match(value)
    if not match:
        raise ValueError(
            f"\"{value}\" is not a paper size; use one of {', '.join(PAPER_SIZES)}, or \"W x H mm\" such as \"210 x 297 mm\""
        )
    first, second = match[2] or match[4], match[4] or match[2]
    if not first:
        raise ValueError(f"\"{value}\" is a paper size without a unit; write \"{match[1]} x {match[3]} mm\" or \"{match[1]} x {match[3]} in\"")
    short, long = sorted([_Side.read(match[1], first), _Side.read(match[3], second)])
    if short.mm < 20 or long.mm > 5000:
        raise ValueError(f"\"{value}\" is not a printable paper size; give the width and height in mm, each 20-5000")
    across, up = (long, short) if orientation == "landscape" else (short, long)
    # named as written when both sides are in one unit, else in mm
    name = f"{across.written} x {up.written} {up.unit}" if across.unit == up.unit else f"{across.mm:g} x {up.mm:g} mm"
    return Paper(name, across.mm, up.mm)


class _Side(NamedTuple):
    mm: float
    written: str  # the number as written
    unit: str

    @classmethod
    def read(cls, number: str, unit: str) -> _Side:
        """Converted sizes are rounded to the micrometre (8.5 in is 215.9 mm, not
        215.89999999999998); mm stay exact."""
        unit = unit.lower()
        return cls(float(number) if unit == "mm" else round(float(number) * _TO_MM[unit], 3), number, unit)
