"""Paragraphs from text: the statement's spans cut into words, each word into pieces set
in one face (the first of the role's chain that has them), with the bidi level, language
and script HarfBuzz needs to shape them. The first stage of typesetting: typeset.py flows
these words into lines; nothing here knows of sizes, frames or lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..composition import Glyph
from ..fonts import BIDI_CONTROLS, BIDI_EXPLICIT, Face, FontSet, check_coverage, clean, split_by_face
from .case import upper
from .scripts import direction, is_rtl_char, lang_direction, needs_segmenter, needs_shaping

BULLET = "\u2022"


class cached_property:  # noqa: N801 (named as functools' is)
    """functools.cached_property without its lock: Python 3.11's takes one lock shared by
    every instance of the class on each first access (3.12 dropped it). The values are
    pure functions of a frozen value, so two threads computing one at once agree."""

    def __init__(self, function):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(frozen=True)
class Piece:
    """Part of a word set in one face."""

    text: str
    face: Face
    level: int = 0  # bidi embedding level (text/bidi.py): odd is right-to-left
    lang: str = ""  # the paragraph's language (BCP 47): HarfBuzz picks local forms by it
    script: str = ""  # ISO 15924, for digits and punctuation: the script of the text around them
    bold: bool = False  # set bold (a face without a bold weight is emboldened when drawn)

    def with_text(self, text: str) -> Piece:
        """The same face, level, language, script and weight for other text
        (dataclasses.replace costs five times as much, and words are cut many times)."""
        return Piece(text, self.face, self.level, self.lang, self.script, self.bold)

    @cached_property
    def glyphs(self) -> tuple[Glyph, ...]:
        """HarfBuzz's glyphs for text that needs shaping, and for anything set right to left
        (a bracket there is mirrored); () for Latin, Greek, Cyrillic."""
        if not needs_shaping(self.text) and self.level % 2 == 0:
            return ()
        from .shaping import shape  # HarfBuzz is loaded only for the scripts that need it

        return shape(self.face, self.text, self.level % 2 == 1, self.lang, self.script).glyphs

    @cached_property
    def unit_width(self) -> float:
        if self.glyphs:
            return sum(glyph.advance for glyph in self.glyphs)
        return self.face.width(self.text, 1.0)


@dataclass(frozen=True)
class Word:
    pieces: tuple[Piece, ...]
    joined: bool = False  # no space before it: a break between Thai words or CJK characters
    space_level: int = 0  # the bidi level of the space before it

    @cached_property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @cached_property
    def unit_width(self) -> float:
        return sum(piece.unit_width for piece in self.pieces)

    def cut(self, position: int, hyphen: bool) -> tuple[Word, Word]:
        """The word cut after `position` characters: (head, with a hyphen added if
        `hyphen`, and tail). Kept with the word: fitting tries many sizes, and each would
        otherwise cut the same word again and measure the new pieces again."""
        cuts = self.__dict__.get("_cuts")
        if cuts is None:
            cuts = self.__dict__["_cuts"] = {}
        found = cuts.get((position, hyphen))
        if found is None:
            found = cuts[position, hyphen] = _cut(self, position, hyphen)
        return found


@dataclass(frozen=True)
class Paragraph:
    words: tuple[Word, ...]
    kind: str = "paragraph"  # paragraph | heading | bullet
    rtl: bool = False  # its base direction (the first strong character's): aligns right

    @cached_property
    def line_factor(self) -> float:
        """Scripts that stack marks high and low (Arabic, Myanmar, Lao, Thai) want more
        room between lines than Latin: their faces say so in their ascender and
        descender. The leading grows by the square root of how much taller the tallest
        face's line is than Latin's (Arabic 1.24x, Myanmar 1.27x, Thai 1.05x); Latin,
        Devanagari, CJK: 1x."""
        faces = {piece.face for word in self.words for piece in word.pieces}
        tallest = max((face.ascent - face.descent for face in faces), default=_LATIN_LINE)
        return max(1.0, tallest / _LATIN_LINE) ** 0.5


    @cached_property
    def shaped(self) -> bool:
        """Whether any of it is set by HarfBuzz (not Latin, Greek or Cyrillic)."""
        return any(piece.glyphs for word in self.words for piece in word.pieces)

    @cached_property
    def ink_extent(self) -> tuple[float, float]:
        """How far its glyphs reach above and below the baseline, per point of size;
        kept, since fitting asks at every size it tries."""
        return _paragraph_ink_extent(self)


_LATIN_LINE = 1.069 + 0.293  # Noto Sans: ascender less descender, per point of size



# --- paragraphs from text -------------------------------------------------------------


def make_paragraph(
    spans: list[tuple[str, bool, bool]],
    *,
    fonts: FontSet,
    role: str,
    kind: str = "paragraph",
    uppercase: bool = False,
    where: str,
    lang: str = "",
) -> Paragraph:
    """Words from (text, bold, italic) spans; each piece in the face of its chain in
    `fonts` that fonts.split_by_face picks (a MissingGlyphError names every character none has).

    Words are what a line may break between: text between spaces, cut further where
    ICU's line breaker (UAX #14, with its dictionaries for Thai, Lao, Khmer and Myanmar
    and the CJK rules) allows a break. A paragraph with right-to-left letters gets the
    bidi levels of its characters, and its pieces are cut where the level changes."""
    spans = [(clean(upper(text, lang) if uppercase else text), bold, italic) for text, bold, italic in spans]
    full = "".join(text for text, _bold, _italic in spans)
    for text, bold, italic in spans:
        check_coverage(text, fonts.chain(role, bold or kind == "heading", italic), where=where, context=full)
    # the base direction: the first strong letter's (bidi rule P2), or the language's
    # when it is written right to left and the paragraph has right-to-left letters
    # (an Arabic paragraph opening with a Latin name is still an Arabic paragraph)
    explicit = any(char in BIDI_EXPLICIT for char in full)  # an override reverses even Latin letters
    if explicit:
        from .bidi import paragraph_direction
    first = paragraph_direction(full) if explicit else direction(full)  # P2 skips an isolate's text
    rtl = first == "rtl" or (lang_direction(lang) == "rtl" and any(is_rtl_char(c) for c in full))
    char_levels: list[int] | None = None
    if explicit or any(is_rtl_char(char) for char in full):
        from .bidi import levels

        char_levels = levels(full, rtl)
    words: list[Word] = []
    pieces: list[Piece] = []
    joined, space_level = False, 0
    offset = 0
    script = ""  # of the last shaped letters: digits and punctuation after them take it
    for text, bold, italic in spans:
        faces = fonts.chain(role, bold or kind == "heading", italic)
        for token in _tokens(text):
            start, offset = offset, offset + len(token)
            if token.isspace():
                if pieces:
                    words.append(Word(tuple(pieces), joined, space_level))
                    pieces, joined = [], False
                space_level = char_levels[start] if char_levels else 0
                continue
            for segment_start, segment in _segments(token, lang):
                if segment_start and pieces:  # a break opportunity inside the token
                    words.append(Word(tuple(pieces), joined, space_level))
                    pieces, joined = [], True
                at = start + segment_start
                for face, part in split_by_face(segment, faces, context=full, start=at):
                    for level, run in _level_runs(part, char_levels, at):
                        run = _undrawn(run)
                        if not run:  # a bidi mark alone: it has steered the levels, and is never drawn
                            continue
                        script = _script_of(run, level) or script
                        pieces.append(Piece(run, face, level, lang, script, bold or kind == "heading"))
                    at += len(part)
    if pieces:
        words.append(Word(tuple(pieces), joined, space_level))
    return Paragraph(tuple(words), kind, rtl)


def _cut(word: Word, position: int, hyphen: bool) -> tuple[Word, Word]:
    head: list[Piece] = []
    tail: list[Piece] = []
    seen = 0
    for piece in word.pieces:
        if seen + len(piece.text) <= position:
            head.append(piece)
        elif seen >= position:
            tail.append(piece)
        else:
            split_at = position - seen
            head.append(piece.with_text(piece.text[:split_at]))
            tail.append(piece.with_text(piece.text[split_at:]))
        seen += len(piece.text)
    if hyphen:
        head.append(head[-1].with_text("-"))
    return Word(tuple(head), word.joined, word.space_level), Word(tuple(tail), False, word.space_level)


def _script_of(text: str, level: int) -> str:
    """The script of text that will be shaped ('' for the Latin fast path, and for digits
    and punctuation, which have none of their own)."""
    if not needs_shaping(text) and level % 2 == 0:
        return ""
    from .shaping import script_of

    return script_of(text)


def _segments(token: str, lang: str) -> tuple[tuple[int, str], ...]:
    """The token cut at its line-break opportunities: (offset, text) pairs."""
    if not needs_segmenter(token):
        return ((0, token),)
    from .linebreak import segments

    return segments(token, lang)


def _undrawn(text: str) -> str:
    """The text without the bidi marks (LRM, RLM, ALM) and explicit controls (LRE...PDI):
    their work is done in `levels`."""
    if not any(char in BIDI_CONTROLS for char in text):
        return text
    return "".join(char for char in text if char not in BIDI_CONTROLS)


def _level_runs(text: str, char_levels: list[int] | None, at: int) -> list[tuple[int, str]]:
    if char_levels is None:
        return [(0, text)]
    runs: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        level = char_levels[at + index]
        if runs and runs[-1][0] == level:
            runs[-1] = (level, runs[-1][1] + char)
        else:
            runs.append((level, char))
    return runs


_NO_BREAK = "\u00a0\u202f\u2007"  # no-break spaces: they join the words beside them


def _tokens(text: str) -> list[str]:
    """The text cut into runs of words and runs of the spaces lines may break at."""
    tokens: list[str] = []
    for char in text:
        space = char.isspace() and char not in _NO_BREAK
        if tokens and (tokens[-1][-1].isspace() and tokens[-1][-1] not in _NO_BREAK) == space:
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _paragraph_ink_extent(paragraph: Paragraph) -> tuple[float, float]:
    top, bottom = 0.0, 0.0
    for word in paragraph.words:
        for piece in word.pieces:
            if piece.glyphs:  # shaped: the glyphs drawn, where they are drawn (stacked marks)
                piece_top, piece_bottom = _glyphs_extent(piece)
            else:
                piece_top, piece_bottom = piece.face.ink_extent(piece.text)
            top, bottom = max(top, piece_top), min(bottom, piece_bottom)
    if paragraph.kind == "bullet":
        bullet_top, bullet_bottom = paragraph.words[0].pieces[0].face.ink_extent(BULLET + "-")
        top, bottom = max(top, bullet_top), min(bottom, bullet_bottom)
    return top, bottom


def _glyphs_extent(piece: Piece) -> tuple[float, float]:
    top, bottom = 0.0, 0.0
    for glyph in piece.glyphs:
        glyph_top, glyph_bottom = piece.face.glyph_extent(glyph.id)
        if glyph_top or glyph_bottom:
            top, bottom = max(top, glyph_top + glyph.dy), min(bottom, glyph_bottom + glyph.dy)
    return top, bottom
