"""Fonts: which face sets which text, registered once with reportlab, and what each face covers.

A layout names a font *role* ("text" for reading, "display" for headlines and slogans);
bold and italic pick a *style* within it. Each (role, style) maps to a *chain* of faces:
a run of text is set in the first face of the chain that has its characters. Today each
chain holds one face; per-script fallback means adding faces to the chains, nothing else.

A character no face in the chain has is an error that names it. We never let a font
draw its empty box (.notdef) into a leaflet.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import MissingGlyphError
from .resources import fonts_dir

# role -> style -> the files of its chain, relative to assets/fonts/
CHAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "text": {
        "regular": ("noto-sans/NotoSans-Regular.ttf",),
        "bold": ("noto-sans/NotoSans-Bold.ttf",),
        "italic": ("noto-sans/NotoSans-Italic.ttf",),
        "bolditalic": ("noto-sans/NotoSans-BoldItalic.ttf",),
    },
    "display": {
        # one heavy condensed face: headlines are already bold, emphasis inside them is not
        "regular": ("noto-sans/NotoSans-CondensedBlack.ttf",),
    },
}

# Characters that have no look of their own: dropped before setting, not reported missing.
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def style_name(bold: bool, italic: bool) -> str:
    return ("bold" if bold else "") + ("italic" if italic else "") or "regular"


@dataclass(frozen=True)
class Face:
    """One registered font file."""

    name: str  # the name registered with reportlab, used in TextRun.font
    path: Path

    @property
    def ttf(self) -> TTFont:
        return pdfmetrics.getFont(self.name)

    def has(self, char: str) -> bool:
        return ord(char) in self.ttf.face.charToGlyph

    def width(self, text: str, size: float) -> float:
        return _unit_width(self.name, text) * size

    @property
    def ascent(self) -> float:
        """Typographic ascender, per point of size."""
        return self.ttf.face.ascent / 1000

    @property
    def descent(self) -> float:
        """Typographic descender (negative), per point of size."""
        return self.ttf.face.descent / 1000

    def ink_extent(self, text: str) -> tuple[float, float]:
        """How far the glyphs of `text` reach above and below the baseline, per point of
        size: (highest top, lowest bottom). Read from the glyf table, so exact."""
        return _ink_extent(self.name, text)


@cache
def face(relative_path: str) -> Face:
    """Register a font file with reportlab once, and return it."""
    path = fonts_dir() / relative_path
    name = Path(relative_path).stem
    if name not in pdfmetrics.getRegisteredFontNames():
        # shapable=False: we set text ourselves; reportlab's shaping would remap glyphs
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=False))
    return Face(name, path)


def chain(role: str, bold: bool = False, italic: bool = False) -> tuple[Face, ...]:
    """The faces that set text of this role and style, first choice first."""
    styles = CHAINS[role]
    files = styles.get(style_name(bold, italic)) or styles.get(style_name(bold, False)) or styles["regular"]
    return tuple(face(f) for f in files)


def primary(role: str, bold: bool = False, italic: bool = False) -> Face:
    return chain(role, bold, italic)[0]


def clean(text: str) -> str:
    """The text as it will be set: NFC, invisible format characters dropped."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c not in _INVISIBLE)


def split_by_face(text: str, faces: tuple[Face, ...], *, where: str) -> list[tuple[Face, str]]:
    """Split `text` into runs, each set in the first face that has all its characters.

    Raises MissingGlyphError naming the first character that no face has."""
    runs: list[tuple[Face, str]] = []
    for char in text:
        chosen = next((f for f in faces if f.has(char)), None)
        if chosen is None:
            raise MissingGlyphError(_missing_message(char, text, where))
        if runs and runs[-1][0] is chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def _missing_message(char: str, text: str, where: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "unnamed character")
    at = text.find(char)
    context = text[max(0, at - 20): at + 20].strip()
    return (
        f"{where}: no bundled font has the character {char!r} ({code} {name}) in "
        f"\u201c{context}\u201d; remove or replace it (emoji and symbols do not print)"
    )


@cache
def _unit_width(font_name: str, text: str) -> float:
    # Widths at size 1, cached: fitting measures the same words at many sizes.
    return pdfmetrics.stringWidth(text, font_name, 1.0)


@cache
def _glyph_bounds(font_name: str) -> tuple[bytes, int, list[int], dict[int, int]]:
    ttf_face = pdfmetrics.getFont(font_name).face
    glyf_start = ttf_face.get_table_pos("glyf")[0]
    return ttf_face._ttf_data, glyf_start, ttf_face.glyphPos, ttf_face.charToGlyph


@cache
def _char_extent(font_name: str, char: str) -> tuple[float, float]:
    data, glyf_start, positions, char_to_glyph = _glyph_bounds(font_name)
    gid = char_to_glyph.get(ord(char), 0)
    if positions[gid] == positions[gid + 1]:  # an empty glyph, like the space
        return 0.0, 0.0
    _contours, _x_min, y_min, _x_max, y_max = struct.unpack_from(">hhhhh", data, glyf_start + positions[gid])
    units = pdfmetrics.getFont(font_name).face.unitsPerEm
    return y_max / units, y_min / units


def _ink_extent(font_name: str, text: str) -> tuple[float, float]:
    top, bottom = 0.0, 0.0
    for char in set(text):
        char_top, char_bottom = _char_extent(font_name, char)
        top, bottom = max(top, char_top), min(bottom, char_bottom)
    return top, bottom
