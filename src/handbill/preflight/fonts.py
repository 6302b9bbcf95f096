"""A PDF's fonts described: what a preflight lists (name, type, embedded, subset) and
what the interpreter needs to place text (widths, bytes per code, how far ink reaches
above and below the baseline)."""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import pikepdf

from .. import truetype
from .marks import FontInfo

FONT_TYPES = MappingProxyType({
    "/Type1": "Type 1", "/MMType1": "Type 1 (multiple master)", "/TrueType": "TrueType", "/Type3": "Type 3",
    "/CIDFontType0": "CID Type 1 (CFF)", "/CIDFontType2": "CID TrueType",
})
FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")  # Type 1, TrueType, CFF/OpenType
MAX_CID_RANGE = 65535  # a /W range wider than any CID font: a broken file, not a font


class MeasuredFont(NamedTuple):
    """What text showing needs of a font."""

    name: str
    widths: dict[int, float]  # code -> width in thousandths of an em
    default_width: float
    two_byte: bool
    scale: float = 0.001  # glyph space to text space (Type 3 fonts say their own)
    # where ink goes above and below the baseline, in ems: the cap height (accents and
    # ascenders reach a little higher) and the descent, so big type is not thought to
    # touch an edge that only its empty line space comes near
    top: float = 0.75
    bottom: float = -0.25


def describe_font(font) -> tuple[FontInfo, MeasuredFont]:
    """A font dictionary -> what the report lists, and what text showing measures with."""
    base = str(font.get("/BaseFont", "/(unnamed)"))[1:]
    subtype = str(font.get("/Subtype", "/?"))
    subset = len(base) > 7 and base[6] == "+" and base[:6].isalpha() and base[:6].isupper()
    name = base[7:] if subset else base
    if subtype == "/Type0":
        descendant = font.DescendantFonts[0]
        kind = FONT_TYPES.get(str(descendant.get("/Subtype")), "Type 0")
        descriptor = descendant.get("/FontDescriptor")
        widths = cid_widths(descendant.get("/W"))
        default = float(descendant.get("/DW", 1000))
        encoding = str(font.get("/Encoding", ""))
        measured = MeasuredFont(name, widths, default, two_byte=encoding.startswith("/Identity") or encoding.endswith("-H") or encoding.endswith("-V"),
                                **ink_reach(descriptor))
    else:
        kind = FONT_TYPES.get(subtype, subtype[1:])
        descriptor = font.get("/FontDescriptor")
        first = int(font.get("/FirstChar", 0))
        widths = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
        default = float(descriptor.get("/MissingWidth", 500)) if descriptor is not None else 500.0
        scale = 0.001
        if subtype == "/Type3":
            scale = float(font.get("/FontMatrix", [0.001])[0])
            if not base or base == "(unnamed)":
                name = "Type 3 font"
        measured = MeasuredFont(name, widths, default or 500.0, two_byte=False, scale=scale,
                                **({} if subtype == "/Type3" else ink_reach(descriptor)))
    embedded = subtype == "/Type3" or (descriptor is not None and any(key in descriptor for key in FONT_PROGRAMS))
    return FontInfo(name, kind, embedded, subset), measured


def ink_reach(descriptor) -> dict[str, float]:
    """How far the font's ink reaches above and below the baseline, in ems: the
    descriptor's cap height and descent (within sane bounds), narrowed by the outlines of
    an embedded TrueType program where they reach less far (a subset holds only the glyphs
    the file uses: a huge Arabic slogan is not thought to dip 0.5 em below its baseline
    because some glyph of the whole font does)."""
    if descriptor is None:
        return {}
    extent = {}
    try:
        if "/CapHeight" in descriptor:
            extent["top"] = min(max(float(descriptor.CapHeight) / 1000, 0.75), 1.2)
        if "/Descent" in descriptor:
            extent["bottom"] = min(max(float(descriptor.Descent) / 1000, -0.5), -0.1)
    except (TypeError, ValueError):
        pass
    program = descriptor.get("/FontFile2")
    if program is not None:
        try:
            top, bottom = truetype.ink_extent(program.read_bytes())
        except (pikepdf.PdfError, *truetype.DAMAGED):
            return extent  # a damaged or unusual program: the descriptor's figures
        # each estimate errs outwards in its own way (the descriptor: the whole font; the
        # subset: every glyph on every page): the one nearer the baseline is the truer
        extent["top"] = min(extent.get("top", 1.2), top)
        extent["bottom"] = max(extent.get("bottom", -0.5), bottom)
    return extent


def cid_widths(array) -> dict[int, float]:
    """A CID font's /W array -> code -> width: `c [w1 w2 ...]` gives widths from c on,
    `c_first c_last w` one width for a range."""
    widths: dict[int, float] = {}
    if array is None:
        return widths
    items = list(array)
    i = 0
    while i < len(items) - 1:
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        elif i + 2 < len(items):
            last, width = int(items[i + 1]), float(items[i + 2])
            for code in range(first, min(last, first + MAX_CID_RANGE) + 1):
                widths[code] = width
            i += 3
        else:
            break
    return widths
