"""Fonts: which face sets which text, registered once with reportlab, and what each face covers.

A layout names a font *role* ("text" for reading, "display" for headlines and slogans);
bold and italic pick a *style* within it. Each (role, style) maps to a *chain* of faces:
Noto Sans for Latin, Greek and Cyrillic first, then one Noto face per script (Arabic,
Hebrew, Devanagari, Bengali, Tamil, Sinhala, Thai, Lao, Khmer, Myanmar), then Droid Sans
Fallback for Chinese and Japanese, NanumSquare for Korean, then any font the user adds
(`--font PATH`). A letter is set in the first face of the chain that has it (Hangul in the
first that has all of Hangul); digits, marks and punctuation go with the letters around
them (`split_by_face`).

Faces register with reportlab lazily, on the first question asked of them: a Latin
leaflet never parses the CJK font.

A character no face in the chain has is an error that names it, with every other one
missing. We never let a font draw its empty box (.notdef) into a leaflet.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from .errors import InputError, MissingGlyphError
from .resources import fonts_dir
from .text.scripts import is_east_asian, is_hangul

# script folder -> (body face, its bold, the heavy face for the display role)
_SCRIPTS: dict[str, tuple[str, str, str]] = {
    script: (f"NotoSans{script}-Regular.ttf", f"NotoSans{script}-Bold.ttf", f"NotoSans{script}-CondensedBlack.ttf")
    for script in ("Arabic", "Hebrew", "Devanagari", "Tamil", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar")
}
_SCRIPTS["Bengali"] = ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", "NotoSansBengali-Black.ttf")
# Chinese (Simplified and Traditional) and Japanese: one weight only, TrueType outlines
# (Noto Sans CJK is CFF, which reportlab cannot embed)
_CJK = "droid-sans-fallback/DroidSansFallbackFull.ttf"
# Korean (Hangul): NanumSquare is TrueType, OFL, regular and bold. It comes after Droid Sans
# Fallback (it has kana and 4,620 Hanja, which Japanese and Chinese take from Droid), and
# Hangul skips Droid's few syllables and jamo (_letter_face).
_HANGUL, _HANGUL_BOLD = "nanum-square/NanumSquareR.ttf", "nanum-square/NanumSquareB.ttf"


def _scripts(index: int) -> tuple[str, ...]:
    return tuple(f"noto-sans-{script.lower()}/{files[index]}" for script, files in _SCRIPTS.items())


_REGULAR, _BOLD, _HEAVY = _scripts(0), _scripts(1), _scripts(2)

# role -> style -> the files of its chain, relative to assets/fonts/
CHAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "text": {
        "regular": ("noto-sans/NotoSans-Regular.ttf", *_REGULAR, _CJK, _HANGUL),
        "bold": ("noto-sans/NotoSans-Bold.ttf", *_BOLD, _CJK, _HANGUL_BOLD),
        # scripts without italics stay upright, as their typesetters would set them
        "italic": ("noto-sans/NotoSans-Italic.ttf", *_REGULAR, _CJK, _HANGUL),
        "bolditalic": ("noto-sans/NotoSans-BoldItalic.ttf", *_BOLD, _CJK, _HANGUL_BOLD),
    },
    "display": {
        # one heavy condensed face: headlines are already bold, emphasis inside them is not
        "regular": ("noto-sans/NotoSans-CondensedBlack.ttf", *_HEAVY, _CJK, _HANGUL_BOLD),
    },
}

# Fonts the user added (--font PATH), absolute paths: the last resort of every chain.
_EXTRA: list[str] = []

# Characters that have no look of their own: dropped before setting, not reported missing.
_INVISIBLE = {"\u00ad", "\u200b", "\u2060", "\ufeff"}
# Joiners steer shaping (Persian half-spaces, Indic conjuncts), variation selectors pick a
# form (U+FE0F: an emoji's colour one): kept, never reported missing; HarfBuzz hides them.
_JOINERS = {"\u200c", "\u200d", *map(chr, range(0xFE00, 0xFE10))}
_JOINER_CODES = frozenset(ord(char) for char in _JOINERS)


def add_font(path: str | Path) -> None:
    """Add a TrueType font file to the end of every chain (`--font PATH`)."""
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise InputError(f"{path}: no such font file; give the path of a .ttf file")
    try:
        TTFont(f"user-{resolved.stem}", str(resolved))
    except Exception as error:  # reportlab says TTFError, or worse, for a CFF/OTF or damaged file
        raise InputError(
            f"{path}: not a TrueType font handbill can embed ({error}); use a .ttf with glyf outlines"
        ) from None
    if str(resolved) not in _EXTRA:
        _EXTRA.append(str(resolved))
        chain.cache_clear()


# Faces that stand in, in the display role, for a heavy weight they do not have: Droid
# Sans Fallback is the one weight of Chinese and Japanese. Set as they are, a CJK headline
# is thin beside the heavy Latin or Arabic one; drawn outlined as well as filled, with a
# stroke this fraction of the size wide, it is as dark. (A real CJK black weight is CFF,
# which reportlab cannot embed.)
_STAND_INS = {"DroidSansFallbackFull": 0.025}  # more closes the counters of dense kanji (園)


def embolden(face: Face) -> float:
    """How much to thicken `face` when it sets a headline or slogan (0: it is heavy already)."""
    return _STAND_INS.get(face.name, 0.0)


def style_name(bold: bool, italic: bool) -> str:
    return ("bold" if bold else "") + ("italic" if italic else "") or "regular"


@dataclass(frozen=True, eq=False)
class Face:
    """One font file, registered with reportlab on first use. There is one Face per file
    (`face` below makes them), so identity is equality: hashing one, which the caches of
    the per-character look-ups do hundreds of thousands of times, costs nothing."""

    name: str  # the name registered with reportlab, used in TextRun.font
    path: Path

    @property
    def ttf(self) -> TTFont:
        if self.name not in _registered:
            # shapable=False: we shape text ourselves (text/shaping.py)
            pdfmetrics.registerFont(TTFont(self.name, str(self.path), shapable=False))
            _registered.add(self.name)
        return pdfmetrics.getFont(self.name)

    def has(self, char: str) -> bool:
        return ord(char) in _coverage(self)

    def width(self, text: str, size: float) -> float:
        return _unit_width(self.ttf.fontName, text) * size

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
        return _ink_extent(self.ttf.fontName, text)


_registered: set[str] = set()


@cache
def _coverage(face: Face) -> frozenset[int]:
    return frozenset(face.ttf.face.charToGlyph)


@cache
def face(relative_path: str) -> Face:
    """The face of a bundled font file (relative to assets/fonts/) or a user's (absolute)."""
    path = Path(relative_path)
    if path.is_absolute():
        found = Face(f"user-{path.stem}", path)
    else:
        found = Face(path.stem, fonts_dir() / relative_path)
    _by_name[found.name] = found
    return found


_by_name: dict[str, Face] = {}


def named(name: str) -> Face:
    """The face registered under `name` (a TextRun's font)."""
    return _by_name[name]


@cache
def chain(role: str, bold: bool = False, italic: bool = False) -> tuple[Face, ...]:
    """The faces that set text of this role and style, first choice first."""
    styles = CHAINS[role]
    files = styles.get(style_name(bold, italic)) or styles.get(style_name(bold, False)) or styles["regular"]
    return tuple(face(f) for f in (*files, *_EXTRA))


def primary(role: str, bold: bool = False, italic: bool = False) -> Face:
    first = chain(role, bold, italic)[0]
    first.ttf  # registered: reportlab is told this name (a canvas's initial font, say)
    return first


def clean(text: str) -> str:
    """The text as it will be set: NFC, invisible format characters dropped."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c not in _INVISIBLE)


def split_by_face(
    text: str, faces: tuple[Face, ...], *, context: str | None = None, start: int = 0
) -> list[tuple[Face, str]]:
    """Split `text` into runs, each set in one face of `faces`.

    A letter is set in the first face that has it (Hangul in the first face made for
    Korean, see `_letter_face`). Everything else (marks, joiners, digits, punctuation)
    goes with its neighbours, so shaping sees whole runs and punctuation matches its
    text: see `_neutral_face`. `context` is the whole paragraph, `text` its part at
    `start`: a neighbour may lie outside `text` (a quote that ICU cut off from its word).
    Every character must be covered: check_coverage first (make_paragraph does, once for
    a whole span, so its error names all that are missing)."""
    context = text if context is None else context
    runs: list[tuple[Face, str]] = []
    for index, char in enumerate(text):
        if _is_neutral(char):
            chosen = _neutral_face(context, start + index, faces)
        else:
            chosen = _letter_face(char, faces)
        if runs and runs[-1][0] is chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def missing_characters(text: str, faces: tuple[Face, ...]) -> list[str]:
    """The distinct characters of `text` that no face has, in order of first appearance."""
    needed = {ord(char) for char in text} - _JOINER_CODES
    for one in faces:
        needed -= _coverage(one)
        if not needed:
            return []
    return list(dict.fromkeys(char for char in text if ord(char) in needed))


def check_statement_coverage(parts: list[tuple[str, str]], *, source: str) -> None:
    """Before any setting: one MissingGlyphError naming every character, in any part of the
    statement ((where, text) pairs such as ("body, paragraph 3", "...")), that no face of
    the reading chain has; the place given is the first one's. Organisers then fix them
    all at once, not one build at a time."""
    faces = chain("text")
    missing: dict[str, tuple[str, str]] = {}
    for where, text in parts:
        for char in missing_characters(clean(text), faces):
            missing.setdefault(char, (where, text))
    if missing:
        where, text = next(iter(missing.values()))
        raise MissingGlyphError(_missing_message(list(missing), text, f"{source} ({where})"))


def check_coverage(text: str, faces: tuple[Face, ...], *, where: str, context: str | None = None) -> None:
    """Raise MissingGlyphError naming every character of `text` that no face has."""
    missing = missing_characters(text, faces)
    if missing:
        raise MissingGlyphError(_missing_message(missing, context or text, where))


def _is_neutral(char: str) -> bool:
    # not a letter: a mark (M*), digit, space, punctuation or symbol
    return not unicodedata.category(char).startswith("L")


@cache
def _letter_face(char: str, faces: tuple[Face, ...]) -> Face | None:
    """The first face that has `char`; for Hangul, the first face that has all of it.
    Droid Sans Fallback has a few syllables (가) and the jamo: taking them from it would
    set a Korean word in two fonts."""
    if is_hangul(char):
        korean = next((f for f in faces if _sets_hangul(f) and f.has(char)), None)
        if korean is not None:
            return korean
    return next((f for f in faces if f.has(char)), None)


def _neutral_face(context: str, at: int, faces: tuple[Face, ...]) -> Face:
    """The face of a character that is not a letter, by the letters around it: a mark or
    joiner stays with the letter before it (shaping needs them together); an opening
    bracket or quote goes with the letter after it ("(شمال"), anything else with the
    letter before it (a comma ends its word's run). Between East Asian letters the East
    Asian faces come next: Droid Sans Fallback has no “ ” … — ·, and Noto Sans would set
    a low ellipsis and narrow quotes in Chinese text. Last, the first face that has it."""
    char = context[at]
    before, after = _letter_near(context, at, -1), _letter_near(context, at, 1)
    if unicodedata.category(char).startswith("M") or char in _JOINERS:
        neighbours = [before]
    elif unicodedata.category(char) in ("Ps", "Pi"):
        neighbours = [after, before]
    else:
        neighbours = [before, after]
    candidates = [_letter_face(letter, faces) for letter in neighbours if letter]
    present = [letter for letter in (before, after) if letter]
    if present and all(is_east_asian(letter) for letter in present):
        candidates += [f for f in faces if _is_east_asian_face(f)]
    chosen = next((f for f in candidates if f is not None and f.has(char)), None)
    return chosen or next((f for f in faces if f.has(char)), None) or faces[0]  # joiners: never missing


def _letter_near(text: str, at: int, step: int) -> str | None:
    """The nearest letter before (step -1) or after (step 1) position `at`."""
    index = at + step
    while 0 <= index < len(text):
        if not _is_neutral(text[index]):
            return text[index]
        index += step
    return None


@cache
def _sets_hangul(face: Face) -> bool:
    return _HANGUL_SYLLABLES <= _coverage(face)


@cache
def _is_east_asian_face(face: Face) -> bool:
    return face.has("\u4e00") or face.has("\uac00")  # 一 or 가: a Chinese, Japanese or Korean font


_HANGUL_SYLLABLES = frozenset(range(0xAC00, 0xD7A4))
_SHOWN_MISSING = 4  # characters named one by one in the error; the rest are counted


def _missing_message(missing: list[str], text: str, where: str) -> str:
    """One sentence: every missing character (the first few by name), where the first one
    is, and what to do."""
    described = [f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})" for char in missing]
    at = text.find(missing[0])
    context = text[max(0, at - 20): at + 20].strip()
    if len(missing) == 1:
        return (
            f"{where}: no font has the character {described[0]} in \u201c{context}\u201d; add a TrueType "
            f"font that has it with --font PATH, or remove or replace it"
        )
    shown = described[:_SHOWN_MISSING]
    more = len(described) - len(shown)
    listed = ", ".join(shown[:-1]) + " and " + shown[-1] if not more else ", ".join(shown) + f" and {more} more"
    return (
        f"{where}: no font has these {len(missing)} characters: {listed}; the first is in "
        f"\u201c{context}\u201d; add a TrueType font that has them with --font PATH, or remove or replace them"
    )


# --- shaped glyphs and the text layer -------------------------------------------------
#
# A shaped glyph (an Arabic joining form, a Devanagari conjunct) often has no character
# of its own in the font's cmap. We give each (glyph, text it stands for) pair a
# character of Unicode's supplementary private use area, tell reportlab that character
# draws that glyph, and write the pair's real text into the font's ToUnicode map, so
# copying and extracting text from the PDF gives back what the statement says.

_PRIVATE_START = 0xF0000
_private: dict[str, dict[tuple[int, str], str]] = {}  # font name -> (glyph, text) -> char
_actual_text: dict[str, dict[int, str]] = {}  # PostScript name -> char code -> real text


def glyph_char(face: Face, glyph: int, text: str, advance: float) -> str:
    """A character that draws `glyph` of `face` and reads back as `text` (which may be
    several characters, or none for the second glyph of a cluster). `advance` is the
    glyph's advance per point of size."""
    ttf_face = face.ttf.face
    if len(text) == 1 and ttf_face.charToGlyph.get(ord(text)) == glyph:
        return text
    table = _private.setdefault(face.name, {})
    char = table.get((glyph, text))
    if char is None:
        code = _PRIVATE_START + len(table)
        char = table[(glyph, text)] = chr(code)
        ttf_face.charToGlyph[code] = glyph
        ttf_face.charWidths[code] = round(advance * 1000)
        postscript = (ttf_face.name + ttf_face.subfontNameX).decode("latin-1")
        _actual_text.setdefault(postscript, {})[code] = text
    return char


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with the real text of our private characters, and every
    code in UTF-16 (reportlab writes characters beyond U+FFFF wrongly)."""
    actual = _actual_text.get(fontname.split("+", 1)[-1], {})
    entries = []
    for index, code in enumerate(subset):
        text = actual.get(code, chr(code))
        entries.append(f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar", *entries, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


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
    _data, _glyf_start, _positions, char_to_glyph = _glyph_bounds(font_name)
    return glyph_extent(font_name, char_to_glyph.get(ord(char), 0))


@cache
def glyph_extent(font_name: str, gid: int) -> tuple[float, float]:
    """How far glyph `gid` reaches above and below the baseline, per point of size."""
    data, glyf_start, positions, _char_to_glyph = _glyph_bounds(font_name)
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
