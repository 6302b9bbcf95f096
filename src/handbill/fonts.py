"""Fonts: which face sets which text, registered once with reportlab, and what each face covers.

A build's fonts are a value, a `FontSet`: the bundled chains (`FontSet.bundled()`) plus the
faces that build adds (`with_files`: `--font PATH`, and a layout's own `fonts = [...]`, which
compose adds for that layout only). It is passed to whatever sets or draws text; nothing a
build adds is seen by another.

A layout names a font *role* ("text" for reading, "display" for headlines and slogans);
bold and italic pick a *style* within it. Each (role, style) maps to a *chain* of faces:
Noto Sans for Latin, Greek and Cyrillic first, then one Noto face per script (Arabic,
Hebrew, Devanagari, Bengali, Tamil, Sinhala, Thai, Lao, Khmer, Myanmar), then Droid Sans
Fallback for Chinese and Japanese, NanumSquare for Korean, then any font the build adds
(`--font PATH`, a layout's `fonts`). A letter is set in the first face of the chain that has it (Hangul in the
first that has all of Hangul); digits, marks and punctuation go with the letters around
them (`split_by_face`).

Faces register with reportlab lazily, on the first question asked of them: a Latin
leaflet never parses the CJK font. reportlab's registry is process-wide, so a registered
name must mean one file's content for good: a bundled face is registered under its file's
stem (the bundled files never change), a user's under a hash of its bytes (two Extra.ttf
files in two folders are two fonts).

A character no face in the chain has is an error that names it, with every other one
missing. We never let a font draw its empty box (.notdef) into a leaflet.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

from . import fontcoverage, pdfcanvas, truetype
from .errors import InputError, MissingGlyphError
from .resources import fonts_dir
from .text.scripts import is_east_asian, is_hangul

# script folder -> (body face, its bold, the heavy face for the display role)
_SCRIPTS: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    **{
        script: (f"NotoSans{script}-Regular.ttf", f"NotoSans{script}-Bold.ttf", f"NotoSans{script}-CondensedBlack.ttf")
        for script in ("Arabic", "Hebrew", "Devanagari", "Tamil", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar")
    },
    "Bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", "NotoSansBengali-Black.ttf"),
})
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

# role -> style -> the files of its chain, relative to assets/fonts/ (read only: a
# mapping proxy, so that no one adds to the bundled chains)
CHAINS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType({
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
})

# Characters that have no look of their own: dropped before setting, not reported missing.
_INVISIBLE = frozenset({"\u00ad", "\u200b", "\u2060", "\ufeff"})
# Joiners steer shaping (Persian half-spaces, Indic conjuncts), variation selectors pick a
# form (U+FE0F: an emoji's colour one): kept, never reported missing; HarfBuzz hides them.
_JOINERS = frozenset({"\u200c", "\u200d", *map(chr, range(0xFE00, 0xFE10))})
_JOINER_CODES = frozenset(ord(char) for char in _JOINERS)
# The bidi marks (LRM, RLM, ALM), which Word and web pages leave in text: kept through
# clean() for the bidi algorithm (text/bidi.py), which they steer as strong letters, then
# dropped from what is drawn (text/paragraph.py); no face needs them.
BIDI_MARKS = frozenset({"\u200e", "\u200f", "\u061c"})
# So are the explicit embeddings, overrides and isolates (LRE...PDF, LRI...PDI).
BIDI_EXPLICIT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_CONTROLS = BIDI_MARKS | BIDI_EXPLICIT
_BIDI_CONTROL_CODES = frozenset(ord(char) for char in BIDI_CONTROLS)


# Faces that stand in, in the display role, for a heavy weight they do not have: Droid
# Sans Fallback is the one weight of Chinese and Japanese. Set as they are, a CJK headline
# is thin beside the heavy Latin or Arabic one; drawn outlined as well as filled, with a
# stroke this fraction of the size wide, it is as dark. (A real CJK black weight is CFF,
# which reportlab cannot embed.)
_STAND_INS = MappingProxyType({"DroidSansFallbackFull": 0.025})  # more closes the counters of dense kanji (園)


def embolden(face: Face) -> float:
    """How much to thicken `face` when it sets a headline or slogan (0: it is heavy already)."""
    return _STAND_INS.get(face.name, 0.0)


def style_name(bold: bool, italic: bool) -> str:
    return ("bold" if bold else "") + ("italic" if italic else "") or "regular"


@dataclass(frozen=True, eq=False)
class Face:
    """One font file, registered with reportlab on first use. There is one Face per file
    (`face` and `user_face` below make them, cached; a user's file that changes is another
    file), so identity is equality: hashing one, which the caches of the per-character
    look-ups do hundreds of thousands of times, costs nothing."""

    name: str  # the name registered with reportlab, used in TextRun.font
    path: Path
    user: bool = False  # a user's file (--font, a layout's fonts), registered by user_face

    @property
    def ttf(self) -> pdfcanvas.PdfFont:
        return _registered(self)

    def has(self, char: str) -> bool:
        return ord(char) in _coverage(self)

    def width(self, text: str, size: float) -> float:
        return _unit_width(self, text) * size

    @property
    def ascent(self) -> float:
        """Typographic ascender, per point of size."""
        return self.ttf.face.ascent / 1000

    @property
    def descent(self) -> float:
        """Typographic descender (negative), per point of size."""
        return self.ttf.face.descent / 1000

    @property
    def space_glyph(self) -> int:
        """The glyph of the space (0 if the font has none)."""
        return self.ttf.face.charToGlyph.get(32, 0)

    def ink_extent(self, text: str) -> tuple[float, float]:
        """How far the glyphs of `text` reach above and below the baseline, per point of
        size: (highest top, lowest bottom). Read from the glyf table, so exact."""
        top, bottom = 0.0, 0.0
        for char in set(text):
            char_top, char_bottom = _char_extent(self, char)
            top, bottom = max(top, char_top), min(bottom, char_bottom)
        return top, bottom

    def glyph_extent(self, gid: int) -> tuple[float, float]:
        """How far glyph `gid` reaches above and below the baseline, per point of size."""
        return _glyph_extent(self, gid)

    def glyph_char(self, glyph: int, text: str) -> str:
        """A character that draws `glyph` and reads back as `text` (see pdfcanvas.PdfFont)."""
        return self.ttf.glyph_char(glyph, text)


@cache
def _registered(face: Face) -> pdfcanvas.PdfFont:
    # a user's face was registered from the bytes its name was hashed from (user_face);
    # this finds it. A bundled face is registered from its file the first time.
    return pdfcanvas.register_font(face.name, face.path)


@cache
def _coverage(face: Face) -> fontcoverage.Coverage:
    """What the face's cmap maps: for a bundled face from the table made once
    (fontcoverage.py), so a face that sets nothing is never parsed; a user's is read."""
    if not face.user:
        known = fontcoverage.bundled(face.path.relative_to(fonts_dir()).as_posix())
        if known is not None:
            return known
    return fontcoverage.Coverage.of(face.ttf.coverage)


@cache
def face(relative_path: str) -> Face:
    """The face of a bundled font file (relative to assets/fonts/)."""
    return Face(Path(relative_path).stem, fonts_dir() / relative_path)


def user_face(path: str | Path) -> Face:
    """The face of a user's TrueType file (`--font PATH`, a layout's fonts), checked and
    registered under a name made from its content; raises InputError naming a bad file."""
    resolved = Path(path).expanduser().resolve()
    try:
        stat = resolved.stat()
    except OSError:
        stat = None
    if resolved.is_dir():
        raise InputError(f"{path}: is a folder, not a font file; give the path of a .ttf file in it")
    if stat is None or not resolved.is_file():
        raise InputError(f"{path}: no such font file; give the path of a .ttf file")
    try:
        return _user_face(resolved, stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise InputError(f"{path}: cannot read the font file ({error.strerror or error}); check the path") from None
    except _NotEmbeddable as error:
        raise InputError(f"{path}: not a TrueType font handbill can embed ({error}); use a .ttf with glyf outlines") from None


class _NotEmbeddable(Exception):
    """reportlab cannot read the file as a TrueType font (its words)."""


@cache
def _user_face(resolved: Path, mtime_ns: int, size: int) -> Face:
    """Cached by the file's identity (path, modification time, size): a file is read and
    hashed once, and read again when it changes."""
    data = resolved.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = f"user-{digest[:24]}"
    try:
        # in the PDF: its PostScript name and a hash, so it may share a PDF with a font of that name
        font = pdfcanvas.read_font(name, data, str(resolved), postscript_suffix=f"-{digest[:8]}")
    except Exception as error:  # reportlab says TTFError, or worse, for a CFF/OTF or damaged file
        raise _NotEmbeddable(str(error)) from None
    pdfcanvas.register_font(name, font=font)
    return Face(name, resolved, user=True)


@dataclass(frozen=True)
class FontSet:
    """The fonts of one build: the bundled chains, and `extra` faces at the end of every
    chain (`--font PATH`, a layout's `fonts`). A value: made once per build, passed to
    compose, render and whatever else sets or draws text; `with_files` makes another."""

    extra: tuple[Face, ...] = ()

    @staticmethod
    def bundled() -> FontSet:
        """The bundled chains and nothing else."""
        return _BUNDLED

    def with_files(self, paths: Iterable[str | Path]) -> FontSet:
        """This set with the TrueType files `paths` at the end of every chain (a file it
        has already, by content, is not added twice); InputError names a bad file."""
        extra = list(self.extra)
        for path in paths:
            added = user_face(path)
            if all(added.name != one.name for one in extra):
                extra.append(added)
        return self if len(extra) == len(self.extra) else FontSet(tuple(extra))

    def chain(self, role: str, bold: bool = False, italic: bool = False) -> tuple[Face, ...]:
        """The faces that set text of this role and style, first choice first."""
        return _chain(self.extra, role, style_name(bold, italic))

    def primary(self, role: str, bold: bool = False, italic: bool = False) -> Face:
        first = self.chain(role, bold, italic)[0]
        first.ttf  # registered: reportlab is told this name (a canvas's initial font, say)
        return first

    def named(self, name: str) -> Face:
        """The face registered under `name` (a TextRun's font)."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no font {name!r} in this font set (a run set with other fonts than it is drawn with)") from None

    @cached_property
    def _by_name(self) -> Mapping[str, Face]:
        faces = {one.name: one for styles in CHAINS.values() for files in styles.values() for one in map(face, files)}
        faces.update((one.name, one) for one in self.extra)
        return MappingProxyType(faces)

    def check_statement_coverage(self, parts: list[tuple[str, str]], *, source: str) -> None:
        """Before any setting: one MissingGlyphError naming every character, in any part of
        the statement ((where, text) pairs such as ("body, paragraph 3", "...")), that no
        face of the reading chain has; the place given is the first one's. Organisers then
        fix them all at once, not one build at a time."""
        faces = self.chain("text")
        missing: dict[str, tuple[str, str]] = {}
        for where, text in parts:
            for char in missing_characters(clean(text), faces):
                missing.setdefault(char, (where, text))
        if missing:
            where, text = next(iter(missing.values()))
            raise MissingGlyphError(_missing_message(list(missing), text, f"{source} ({where})"))


_BUNDLED = FontSet()  # an immutable value: the set every build starts from


@lru_cache(maxsize=1 << 10)  # bounded: its keys come from statements, which a service sees without end
def _chain(extra: tuple[Face, ...], role: str, style: str) -> tuple[Face, ...]:
    styles = CHAINS[role]
    bold_only = "bold" if "bold" in style else "regular"
    files = styles.get(style) or styles.get(bold_only) or styles["regular"]
    return (*(face(f) for f in files), *extra)


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
    needed = {ord(char) for char in text} - _JOINER_CODES - _BIDI_CONTROL_CODES
    for one in faces:
        covered = _coverage(one)
        needed = {code for code in needed if code not in covered}
        if not needed:
            return []
    return list(dict.fromkeys(char for char in text if ord(char) in needed))


def check_coverage(text: str, faces: tuple[Face, ...], *, where: str, context: str | None = None) -> None:
    """Raise MissingGlyphError naming every character of `text` that no face has."""
    missing = missing_characters(text, faces)
    if missing:
        raise MissingGlyphError(_missing_message(missing, context or text, where))


def _is_neutral(char: str) -> bool:
    # not a letter: a mark (M*), digit, space, punctuation or symbol
    return not unicodedata.category(char).startswith("L")


@lru_cache(maxsize=1 << 16)  # bounded: its keys come from statements, which a service sees without end
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
    a low ellipsis and narrow quotes in Chinese text; but not for an ASCII digit or sign
    (第1条, 2024年, !): those are set in the Latin face, as the same characters are
    everywhere else in the document, not in the Korean face's Latin (which a Japanese
    leaflet would otherwise load for a heading's digits alone). Last, the first face that
    has it."""
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
    if present and all(is_east_asian(letter) for letter in present) and not _latin_sign(char):
        candidates += [f for f in faces if _is_east_asian_face(f)]
    chosen = next((f for f in candidates if f is not None and f.has(char)), None)
    return chosen or next((f for f in faces if f.has(char)), None) or faces[0]  # joiners: never missing


def _latin_sign(char: str) -> bool:
    """An ASCII digit, punctuation mark or symbol (not the space)."""
    return char.isascii() and not char.isspace()


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
    return _coverage(face).covers(_HANGUL_SYLLABLES[0], _HANGUL_SYLLABLES[-1])


@cache
def _is_east_asian_face(face: Face) -> bool:
    return face.has("\u4e00") or face.has("\uac00")  # 一 or 가: a Chinese, Japanese or Korean font


_HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)
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


# --- widths and extents, cached: fitting asks the same at many sizes ----------------------


@lru_cache(maxsize=1 << 16)  # bounded: its keys come from statements, which a service sees without end
def _unit_width(face: Face, text: str) -> float:
    # widths at size 1
    return face.ttf.stringWidth(text, 1.0)


@cache
def _glyph_bounds(face: Face) -> tuple[bytes, int, tuple[int, ...], int]:
    """(the file's bytes, where its glyf table starts, each glyph's outline offset (loca), units per em)."""
    tables = face.ttf.tables
    locations = tuple(truetype.glyph_locations(tables))
    return tables.data, tables.at(b"glyf"), locations, truetype.units_per_em(tables)


@cache
def _char_extent(face: Face, char: str) -> tuple[float, float]:
    if ord(char) not in _coverage(face):
        return _glyph_extent(face, 0)
    return _glyph_extent(face, face.ttf.face.charToGlyph[ord(char)])


@cache
def _glyph_extent(face: Face, gid: int) -> tuple[float, float]:
    data, glyf_start, positions, units = _glyph_bounds(face)
    if positions[gid] == positions[gid + 1]:  # an empty glyph, like the space
        return 0.0, 0.0
    y_min, y_max = truetype.outline_y_bounds(data, glyf_start + positions[gid])
    return y_max / units, y_min / units
