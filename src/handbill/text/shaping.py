"""Shaping with HarfBuzz: text in one face -> glyphs with advances and offsets.

The widths used to break and fit lines are the sums of these advances, and render draws
these very glyphs: what is measured is what is drawn. Imported only for text that needs
it (text/scripts.py decides), so Latin never loads HarfBuzz.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import uharfbuzz as hb

from ..composition import Glyph
from .. import pdfcanvas
from ..fonts import Face
from .bidi import mirrored


@dataclass(frozen=True)
class Shaped:
    glyphs: tuple[Glyph, ...]  # in visual order (left to right)
    unit_width: float  # the sum of the advances, per point of size


@cache
def _hb_font(face: Face) -> tuple[hb.Font, int]:
    # a user's file may change after it was registered: shape with the bytes reportlab
    # embeds (its name is their hash); the bundled files never change
    blob = hb.Blob(pdfcanvas.font_bytes(face.ttf)) if face.user else hb.Blob.from_file_path(str(face.path))
    hb_face = hb.Face(blob)
    font = hb.Font(hb_face)
    return font, hb_face.upem


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def shape(face: Face, text: str, rtl: bool, lang: str = "", script: str = "") -> Shaped:
    """Shape `text` (one run in one face, one direction) in the language `lang` (BCP 47) and
    the script `script` (ISO 15924; HarfBuzz guesses it from the text when not given).
    The language picks a font's local forms: Urdu digits (۴۶۷), Nepali झ and ५. Each glyph
    carries the text of its cluster (on the cluster's first glyph in logical order), for
    the text layer."""
    font, upem = _hb_font(face)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    if script:
        buffer.script = script
    if lang:
        buffer.language = lang
    hb.shape(font, buffer, {"kern": True, "liga": True})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    # the clusters' text: from a cluster's start to the next larger cluster start
    starts = sorted({info.cluster for info in infos})
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    members: dict[int, list[int]] = {}  # cluster -> its glyphs, in visual order
    for index, info in enumerate(infos):
        members.setdefault(info.cluster, []).append(index)
    texts = [""] * len(infos)
    for cluster, indices in members.items():
        for index, chunk in zip(indices, _share(text[cluster:ends[cluster]], len(indices), rtl)):
            texts[index] = chunk
    glyphs = tuple(
        Glyph(info.codepoint, texts[i], pos.x_advance / upem, pos.x_offset / upem, pos.y_offset / upem)
        for i, (info, pos) in enumerate(zip(infos, positions))
    )
    return Shaped(glyphs, sum(g.advance for g in glyphs))


def _share(text: str, count: int, rtl: bool) -> list[str]:
    """Share a cluster's text among its glyphs, in the order they are drawn (left to
    right), so that reading the glyphs in drawn order gives the text back: Devanagari's
    i-sign drawn before its consonant reads as consonant then sign. A glyph left with
    nothing (a cluster of more glyphs than characters) gets a zero-width space, which
    extraction drops. A reader that takes the glyphs' own text (not the line's ActualText,
    render.py) reads a right-to-left line as drawn and reverses it, so there each glyph's
    text is given reversed, and a mirrored bracket as it looks."""
    if rtl:
        if len(text) == 1 and count == 1:
            return [mirrored(text)]
        chunks = _split(text, count)
        return [chunk[::-1] for chunk in reversed(chunks)]
    return _split(text, count)


def _split(text: str, count: int) -> list[str]:
    if count >= len(text):
        return list(text) + ["\u200b"] * (count - len(text))
    return list(text[: count - 1]) + [text[count - 1:]]


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def script_of(text: str) -> str:
    """The ISO 15924 script of the first letter of `text` that has one ('Arab', 'Deva'),
    or '' for digits and punctuation alone (Unicode's Common script)."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    return buffer.script or ""
