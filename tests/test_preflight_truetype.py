"""The one TrueType reader (handbill/truetype.py): right on every bundled font, the only
module that parses a font's tables itself, and a damaged program is refused in its own terms (DAMAGED), never with another exception."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill import truetype

FONTS = sorted((Path(__file__).resolve().parent.parent / "assets" / "fonts").glob("*/*.ttf"))
SMALL_FONT = next(path for path in FONTS if path.name == "NotoSansLao-Regular.ttf")


@pytest.mark.parametrize("path", FONTS, ids=lambda path: path.name)
def test_the_ink_of_every_glyph_reaches_as_far_as_the_head_table_says(path):
    """The glyphs' own boxes (loca + glyf), met over all glyphs, are the font-wide box the
    head table records: two independent readings of the same font agree."""
    data = path.read_bytes()
    font = truetype.tables(data)
    _x_min, y_min, _x_max, y_max = struct.unpack_from(">hhhh", data, font.at(b"head") + 36)
    units = truetype.units_per_em(font)
    assert truetype.ink_extent(data) == (y_max / units, y_min / units)
    assert len(truetype.glyph_locations(font)) == truetype.glyph_count(font) + 1


@pytest.mark.parametrize("path", FONTS, ids=lambda path: path.name)
def test_each_glyphs_advance_is_the_one_fonttools_reads(path):
    """hmtx through the reader agrees with fontTools, past numberOfHMetrics too (the
    glyphs there share the last advance)."""
    from fontTools.ttLib import TTFont

    reference = TTFont(path, lazy=True)
    order = reference.getGlyphOrder()
    font = truetype.tables(path.read_bytes())
    count = truetype.glyph_count(font)
    for glyph in sorted({0, 1, count // 3, count // 2, count - 2, count - 1}):
        assert truetype.advance_width(font, glyph) == reference["hmtx"][order[glyph]][0], (path.name, glyph)


def test_no_module_but_truetype_parses_font_tables():
    """fonts.py took its glyph extents, and pdfcanvas.py its advances, from reportlab's
    table positions and struct reads of their own: three readers of one format. Now only
    truetype.py unpacks bytes (or asks reportlab where a table is)."""
    package = Path(truetype.__file__).parent
    readers = []
    for module in sorted(package.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if module.name != "truetype.py" and any(word in text for word in ("import struct", "get_table_pos", "glyphPos")):
            readers.append(str(module.relative_to(package)))
    assert readers == []


def test_a_program_without_a_glyf_table_is_refused_by_name():
    data = bytearray(SMALL_FONT.read_bytes())
    font = truetype.tables(bytes(data))
    entry = 12 + 16 * list(font.offsets).index(b"glyf")
    data[entry:entry + 4] = b"gylf"  # the directory no longer names a glyf table
    with pytest.raises(truetype.TrueTypeError, match="no glyf table"):
        truetype.ink_extent(bytes(data))


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 255)), max_size=6))
def test_a_cut_or_scrambled_program_gives_extents_or_is_refused_as_damaged(cut, flips):
    data = bytearray(SMALL_FONT.read_bytes())
    for at, value in flips:  # the directory and the head of the tables, where damage bites
        data[at] = value
    data = bytes(data[: len(data) - cut])
    try:
        top, bottom = truetype.ink_extent(data)
    except truetype.DAMAGED:
        return
    assert isinstance(top, float) and isinstance(bottom, float)
