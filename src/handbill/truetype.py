"""Reading a TrueType font program's tables: the one place handbill parses them itself.

What preflight, fonts.py and pdfcanvas.py need, straight from the bytes: the table
directory, the em size (head), the glyph count (maxp), where each glyph's outline lies
(loca), the box each outline's header gives (glyf) and each glyph's advance (hhea, hmtx). No dependencies beyond struct, so anything holding a
TrueType program (an embedded FontFile2, a .ttf's bytes) can use it.

A damaged program raises TrueTypeError, a ValueError (or struct.error, from a read past
the end); callers catch DAMAGED.
"""

from __future__ import annotations

import struct
from typing import NamedTuple


class TrueTypeError(ValueError):
    """A font program without the tables, or with tables that make no sense."""


# What a reader of a font program from an unknown source catches: our refusal (and any
# other ValueError), or a read past the end of a short or cut-off program.
DAMAGED = (ValueError, struct.error)


class Tables(NamedTuple):
    """A TrueType program's bytes and where each of its tables starts."""

    data: bytes
    offsets: dict[bytes, int]  # table tag (b"head") -> offset in data

    def at(self, tag: bytes) -> int:
        if tag not in self.offsets:
            raise TrueTypeError(f"no {tag.decode('latin-1')} table")
        return self.offsets[tag]


def tables(data: bytes) -> Tables:
    """The table directory of a TrueType program (an sfnt: 12 bytes, then 16 per table)."""
    count = struct.unpack_from(">H", data, 4)[0]
    offsets = {}
    for i in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        offsets[tag] = offset
    return Tables(data, offsets)


def units_per_em(font: Tables) -> int:
    units = struct.unpack_from(">H", font.data, font.at(b"head") + 18)[0]
    if units == 0:
        raise TrueTypeError("an em of 0 units")
    return units


def glyph_count(font: Tables) -> int:
    return struct.unpack_from(">H", font.data, font.at(b"maxp") + 4)[0]


def glyph_locations(font: Tables) -> list[int]:
    """Where each glyph's outline starts in the glyf table, and one past the last (loca):
    glyph g's outline is [locations[g], locations[g + 1]), empty when they are equal."""
    long_offsets = struct.unpack_from(">h", font.data, font.at(b"head") + 50)[0] == 1
    glyphs = glyph_count(font)
    loca = font.at(b"loca")
    if long_offsets:
        return list(struct.unpack_from(f">{glyphs + 1}L", font.data, loca))
    return [2 * v for v in struct.unpack_from(f">{glyphs + 1}H", font.data, loca)]


def advance_width(font: Tables, glyph: int) -> int:
    """Glyph `glyph`'s advance width in font units (hmtx). Glyphs past the last of the
    hhea's numberOfHMetrics share the last one's advance, as the format says."""
    count = struct.unpack_from(">H", font.data, font.at(b"hhea") + 34)[0]  # numberOfHMetrics
    if count == 0:
        raise TrueTypeError("no horizontal metrics")
    return struct.unpack_from(">H", font.data, font.at(b"hmtx") + 4 * min(glyph, count - 1))[0]


def outline_y_bounds(data: bytes, outline_at: int) -> tuple[int, int]:
    """(yMin, yMax) of the glyph outline starting at `outline_at` in `data`, in font units:
    the header every glyf entry begins with (contours, xMin, yMin, xMax, yMax)."""
    _contours, _x_min, y_min, _x_max, y_max = struct.unpack_from(">hhhhh", data, outline_at)
    return y_min, y_max


def ink_extent(data: bytes) -> tuple[float, float]:
    """(highest yMax, lowest yMin) over all the glyphs of a TrueType program, in ems; the
    baseline (0) when no glyph reaches past it. For an embedded subset, that is how far
    the glyphs the file uses reach."""
    font = tables(data)
    units = units_per_em(font)
    glyf = font.at(b"glyf")
    locations = glyph_locations(font)
    top, bottom = 0, 0
    for start, end in zip(locations, locations[1:]):
        if end > start:  # an empty glyph (a space) has no outline
            y_min, y_max = outline_y_bounds(data, glyf + start)
            top, bottom = max(top, y_max), min(bottom, y_min)
    return top / units, bottom / units
