"""Typesetting: paragraphs of words, flowed line by line into frames, at a size that fits.

`flow` sets text at one size and says how much did not fit; `fit` finds the largest size
in a range at which everything fits, by calling `flow`. The lines that were measured are
the lines that are drawn.

Units are points; frames are in PDF coordinates (y grows upwards).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from ..composition import TextRun
from ..fonts import Face, chain, clean, split_by_face
from ..layout import SizeRange
from ..units import CMYK
from .hyphenate import break_points

_EPSILON = 0.01  # pt: widths within this are equal
BULLET = "\u2022"


@dataclass(frozen=True)
class Piece:
    """Part of a word set in one face."""

    text: str
    face: Face

    @cached_property
    def unit_width(self) -> float:
        return self.face.width(self.text, 1.0)


@dataclass(frozen=True)
class Word:
    pieces: tuple[Piece, ...]

    @cached_property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @cached_property
    def unit_width(self) -> float:
        return sum(piece.unit_width for piece in self.pieces)


@dataclass(frozen=True)
class Paragraph:
    words: tuple[Word, ...]
    kind: str = "paragraph"  # paragraph | heading | bullet


@dataclass(frozen=True)
class Frame:
    """A rectangle text flows into: a column, or a whole block."""

    x: float
    top: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.top - self.h


@dataclass(frozen=True)
class TextStyle:
    space_face: Face  # the face whose space separates words
    color: CMYK
    align: str = "left"  # left | center | right | justify
    valign: str = "top"  # top | middle | bottom (single-frame blocks)
    leading: float = 1.3  # line pitch, times the size
    hyphenate: bool = False
    break_anywhere: bool = False  # a word too wide for a line may be cut (body text: never lose it)
    balance: bool = False  # even out line lengths (headlines, slogans)
    lang: str = "en"
    paragraph_space: float = 0.5  # extra space between paragraphs, times the leading


@dataclass
class Setting:
    """The outcome of flowing text at one size."""

    size: float
    runs_by_frame: list[list[TextRun]]
    words_left: int  # words that found no room; 0 when everything fits
    paragraphs_left: int
    too_wide: str | None = None  # a word wider than its line, where words may not be cut

    @property
    def fits(self) -> bool:
        return self.words_left == 0 and self.too_wide is None

    @property
    def runs(self) -> list[TextRun]:
        return [run for frame_runs in self.runs_by_frame for run in frame_runs]


# --- paragraphs from text -------------------------------------------------------------


def make_paragraph(
    spans: list[tuple[str, bool, bool]], *, role: str, kind: str = "paragraph", uppercase: bool = False, where: str
) -> Paragraph:
    """Words from (text, bold, italic) spans; each piece in the first face of its chain
    that has its characters (a MissingGlyphError names any character none has)."""
    words: list[Word] = []
    pieces: list[Piece] = []
    for text, bold, italic in spans:
        text = clean(text.upper() if uppercase else text)
        faces = chain(role, bold or kind == "heading", italic)
        for token in _tokens(text):
            if token.isspace():
                if pieces:
                    words.append(Word(tuple(pieces)))
                    pieces = []
                continue
            pieces.extend(Piece(part, face) for face, part in split_by_face(token, faces, where=where))
    if pieces:
        words.append(Word(tuple(pieces)))
    return Paragraph(tuple(words), kind)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for char in text:
        if tokens and tokens[-1][-1].isspace() == char.isspace():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


# --- fitting --------------------------------------------------------------------------


def fit(paragraphs: list[Paragraph], frames: list[Frame], sizes: SizeRange, style: TextStyle) -> Setting:
    """The setting at the largest size in `sizes` (to 0.1 pt) at which all the text fits;
    or, when nothing fits, the setting at the smallest size (its `fits` is False)."""
    largest = flow(paragraphs, frames, sizes.max, style)
    if largest.fits:
        return _finish(paragraphs, frames, largest, style)
    smallest = flow(paragraphs, frames, sizes.min, style)
    if not smallest.fits:
        return smallest
    low, high = math.ceil(sizes.min * 10), math.floor(sizes.max * 10)  # tenths of a point
    best = smallest
    while high - low > 1:
        middle = (low + high) // 2
        attempt = flow(paragraphs, frames, middle / 10, style)
        if attempt.fits:
            low, best = middle, attempt
        else:
            high = middle
    return _finish(paragraphs, frames, best, style)


def _finish(paragraphs: list[Paragraph], frames: list[Frame], setting: Setting, style: TextStyle) -> Setting:
    """Balance the lines of a single-frame block, then place it vertically."""
    if style.balance and len(frames) == 1:
        widths = [_balanced_width(paragraph, frames[0].w, setting.size, style) for paragraph in paragraphs]
        balanced = flow(paragraphs, frames, setting.size, style, widths=widths)
        if balanced.fits:
            setting = balanced
    if style.valign != "top" and len(frames) == 1:
        _align_vertically(setting, paragraphs, frames[0], style)
    return setting


def _balanced_width(paragraph: Paragraph, width: float, size: float, style: TextStyle) -> float:
    """The narrowest width that sets the paragraph in as few lines as `width` does."""
    target = _line_count(paragraph, width, size, style)
    if target <= 1:
        return width
    low, high = width / target, width
    for _ in range(12):
        middle = (low + high) / 2
        if _line_count(paragraph, middle, size, style) <= target:
            high = middle
        else:
            low = middle
    return high


def _line_count(paragraph: Paragraph, width: float, size: float, style: TextStyle) -> int:
    words, count = list(paragraph.words), 0
    while words:
        line, words, _hyphenated, too_wide = _take_line(words, width, size, style)
        if too_wide:
            return 10**6
        count += 1
    return count


def _align_vertically(setting: Setting, paragraphs: list[Paragraph], frame: Frame, style: TextStyle) -> None:
    runs = setting.runs_by_frame[0]
    if not runs:
        return
    _top, bottom = _ink_metrics(paragraphs)
    lowest_baseline = min(run.y for run in runs)
    spare = (lowest_baseline + bottom * setting.size) - frame.bottom
    shift = spare / 2 if style.valign == "middle" else spare
    setting.runs_by_frame[0] = [run.moved(-shift) for run in runs]


# --- flowing --------------------------------------------------------------------------


def flow(
    paragraphs: list[Paragraph],
    frames: list[Frame],
    size: float,
    style: TextStyle,
    *,
    widths: list[float] | None = None,
) -> Setting:
    """Set the paragraphs at `size`, line by line, into the frames in order.

    `widths` optionally narrows each paragraph's lines (balancing); alignment is still
    within the frame."""
    leading = size * style.leading
    ascent, descent = _ink_metrics(paragraphs)
    space = style.space_face.width(" ", size)
    runs_by_frame: list[list[TextRun]] = [[] for _ in frames]
    frame_index, baseline = 0, None  # baseline of the last line set in the current frame

    for number, paragraph in enumerate(paragraphs):
        indent = _bullet_indent(style, size) if paragraph.kind == "bullet" else 0.0
        gap = 0.0 if number == 0 else _gap_before(paragraph, paragraphs[number - 1], style) * leading
        words = list(paragraph.words)
        first_line = True
        while words:
            # find room for the next line (a heading wants its first following line with it)
            lines_wanted = 2 if paragraph.kind == "heading" and len(paragraphs) > number + 1 else 1
            while True:
                if frame_index >= len(frames):
                    left = len(words) + sum(len(p.words) for p in paragraphs[number + 1:])
                    return Setting(size, runs_by_frame, left, len(paragraphs) - number)
                frame = frames[frame_index]
                if baseline is None:
                    candidate = frame.top - ascent * size
                else:
                    candidate = baseline - leading - (gap if first_line else 0.0)
                lowest = candidate - (lines_wanted - 1) * leading if first_line else candidate
                if lowest + descent * size >= frame.bottom - _EPSILON:
                    break
                frame_index, baseline = frame_index + 1, None
            width = frame.w - indent
            if widths is not None:
                width = min(width, widths[number])
            line, words, hyphenated, too_wide = _take_line(words, width, size, style)
            if too_wide:
                return Setting(size, runs_by_frame, 0, 0, too_wide=too_wide)
            last = not words
            runs_by_frame[frame_index].extend(
                _place_line(line, frame, indent, size, space, candidate, style, last=last and not hyphenated)
            )
            if first_line and paragraph.kind == "bullet":
                runs_by_frame[frame_index].append(_bullet(frame, size, candidate, style))
            baseline, first_line = candidate, False
    return Setting(size, runs_by_frame, 0, 0)


def _gap_before(paragraph: Paragraph, previous: Paragraph, style: TextStyle) -> float:
    if paragraph.kind == "heading":
        return style.paragraph_space * 1.6
    if paragraph.kind == "bullet" and previous.kind == "bullet":
        return style.paragraph_space * 0.3
    return style.paragraph_space


def _ink_metrics(paragraphs: list[Paragraph]) -> tuple[float, float]:
    """How far above and below the baseline this text's glyphs reach, per point of size:
    the first line sits that far below the frame's top, so no glyph leaves its frame."""
    top, bottom = 0.0, 0.0
    for paragraph in paragraphs:
        for word in paragraph.words:
            for piece in word.pieces:
                piece_top, piece_bottom = piece.face.ink_extent(piece.text)
                top, bottom = max(top, piece_top), min(bottom, piece_bottom)
        if paragraph.kind == "bullet":
            bullet_top, bullet_bottom = paragraph.words[0].pieces[0].face.ink_extent(BULLET + "-")
            top, bottom = max(top, bullet_top), min(bottom, bullet_bottom)
    return top, bottom


def _bullet_indent(style: TextStyle, size: float) -> float:
    return style.space_face.width(BULLET, size) + style.space_face.width(" ", size) * 2


def _bullet(frame: Frame, size: float, baseline: float, style: TextStyle) -> TextRun:
    return TextRun(frame.x, baseline, BULLET, style.space_face.name, size, style.color)


# --- breaking lines -------------------------------------------------------------------


def _take_line(
    words: list[Word], width: float, size: float, style: TextStyle
) -> tuple[list[Word], list[Word], bool, str | None]:
    """Fill one line greedily: (its words, the words left, ends in a hyphen, the word that
    is too wide for any line if words may not be cut)."""
    space = style.space_face.width(" ", size)
    line: list[Word] = []
    used = 0.0
    for index, word in enumerate(words):
        needed = word.unit_width * size + (space if line else 0.0)
        if used + needed <= width + _EPSILON:
            line.append(word)
            used += needed
            continue
        room = width - used - (space if line else 0.0)
        if style.hyphenate or not line:
            split = _split_word(word, room, size, style, alone=not line)
            if split:
                head, tail, hyphen = split
                return line + [head], [tail] + words[index + 1:], hyphen, None
        if not line:
            return [], words, False, word.text  # too wide, and may not be cut
        return line, words[index:], False, None
    return line, [], False, None


def _split_word(word: Word, room: float, size: float, style: TextStyle, *, alone: bool):
    """Cut `word` so its head fits in `room`: at a hyphenation point, or, for a word alone
    on its line where cutting is allowed, after as many characters as fit."""
    text = word.text
    points = break_points(text, style.lang) if style.hyphenate or style.break_anywhere else ()
    for position, add_hyphen in reversed(points):
        head, tail = _cut(word, position, hyphen=add_hyphen)
        if head.unit_width * size <= room + _EPSILON:
            return head, tail, add_hyphen
    if alone and style.break_anywhere:
        for position in range(len(text) - 1, 0, -1):
            head, tail = _cut(word, position, hyphen=False)
            if head.unit_width * size <= room + _EPSILON:
                return head, tail, False
    return None


def _cut(word: Word, position: int, *, hyphen: bool) -> tuple[Word, Word]:
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
            head.append(Piece(piece.text[:split_at], piece.face))
            tail.append(Piece(piece.text[split_at:], piece.face))
        seen += len(piece.text)
    if hyphen:
        head.append(Piece("-", head[-1].face))
    return Word(tuple(head)), Word(tuple(tail))


# --- placing a line -------------------------------------------------------------------


@dataclass
class _RunBuilder:
    """Collects the runs of one line, merging neighbours that can share one string."""

    size: float
    color: CMYK
    baseline: float
    runs: list[TextRun] = field(default_factory=list)
    end: float = 0.0  # where the last run's drawn text ends

    def add(self, piece: Piece, x: float, *, new_word: bool) -> None:
        if self.runs:
            last = self.runs[-1]
            joiner = " " if new_word else ""
            # one string when drawing the space in this face lands exactly where the piece goes
            if last.font == piece.face.name and abs(self.end + piece.face.width(joiner, self.size) - x) < _EPSILON:
                self.runs[-1] = TextRun(last.x, last.y, last.text + joiner + piece.text, last.font, self.size, self.color)
                self.end = x + piece.unit_width * self.size
                return
            if new_word:  # an undrawn space keeps the words apart when the text is extracted
                self.runs[-1] = TextRun(last.x, last.y, last.text + " ", last.font, self.size, self.color)
        self.runs.append(TextRun(x, self.baseline, piece.text, piece.face.name, self.size, self.color))
        self.end = x + piece.unit_width * self.size


def _place_line(
    line: list[Word], frame: Frame, indent: float, size: float, space: float, baseline: float, style: TextStyle, *, last: bool
) -> list[TextRun]:
    natural = sum(word.unit_width for word in line) * size + space * (len(line) - 1)
    available = frame.w - indent
    gap = space
    x = frame.x + indent
    if style.align == "justify" and not last and len(line) > 1:
        gap = space + (available - natural) / (len(line) - 1)
    elif style.align == "right":
        x += available - natural
    elif style.align == "center":
        x += (available - natural) / 2
    builder = _RunBuilder(size, style.color, baseline)
    for number, word in enumerate(line):
        if number:
            x += gap
        for piece_number, piece in enumerate(word.pieces):
            builder.add(piece, x, new_word=number > 0 and piece_number == 0)
            x += piece.unit_width * size
    return builder.runs
