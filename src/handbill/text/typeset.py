"""Typesetting: paragraphs of words (text/paragraph.py), flowed line by line into frames,
at a size that fits.

`flow` sets text at one size and says how much did not fit; `fit` finds the largest size
in a range at which everything fits, by calling `flow`. The lines that were measured are
the lines that are drawn.

Units are points; frames are in PDF coordinates (y grows upwards).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..composition import Glyph, TextRun
from ..fonts import Face, embolden
from ..layout import SizeRange
from ..units import CMYK
from .hyphenate import break_points
from .paragraph import BULLET, Paragraph, Piece, Word
from .scripts import is_square

_EPSILON = 0.01  # pt: widths within this are equal


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
    heavy: bool = False  # the display role: a face without a heavy weight is emboldened
    fixed_align: bool = False  # left and right are the page's, whatever the script (a QR's caption)


@dataclass
class Setting:
    """The outcome of flowing text at one size.

    `baselines_by_frame` (where each line sits) is always known; the runs are placed when
    first asked for: fitting tries many sizes and balancing many heights, and only the
    setting that is kept is ever drawn. Placing later gives the very runs placing at once
    would (the same flow, the same line breaks)."""

    size: float
    baselines_by_frame: list[list[float]]
    words_left: int  # words that found no room; 0 when everything fits
    paragraphs_left: int
    too_wide: str | None = None  # a word wider than its line, where words may not be cut
    placed: list[list[TextRun]] | None = field(default=None, repr=False)  # None: not placed yet
    place: Callable[[], list[list[TextRun]]] | None = field(default=None, repr=False, compare=False)

    @property
    def fits(self) -> bool:
        return self.words_left == 0 and self.too_wide is None

    @property
    def runs_by_frame(self) -> list[list[TextRun]]:
        if self.placed is None:
            self.placed = self.place() if self.place is not None else [[] for _ in self.baselines_by_frame]
        return self.placed

    @runs_by_frame.setter
    def runs_by_frame(self, runs: list[list[TextRun]]) -> None:
        self.placed = runs

    @property
    def runs(self) -> list[TextRun]:
        return [run for frame_runs in self.runs_by_frame for run in frame_runs]


# --- fitting --------------------------------------------------------------------------


def fit(paragraphs: list[Paragraph], frames: list[Frame], sizes: SizeRange, style: TextStyle) -> Setting:
    """The setting at the largest size in `sizes` (to 0.1 pt) at which all the text fits;
    or, when nothing fits, the setting at the smallest size (its `fits` is False).

    The sizes tried are flowed without placing their lines (`place=False`: the same line
    breaking, only the drawing left out); the setting kept places its lines when they are
    first asked for, so no size is broken into lines twice."""
    largest = flow(paragraphs, frames, sizes.max, style, place=False)
    if largest.fits:
        return _finish(paragraphs, frames, largest, style)
    smallest = flow(paragraphs, frames, sizes.min, style, place=False)
    if not smallest.fits:
        return smallest
    low, high = math.ceil(sizes.min * 10), math.floor(sizes.max * 10)  # tenths of a point
    best = smallest
    while high - low > 1:
        middle = (low + high) // 2
        attempt = flow(paragraphs, frames, middle / 10, style, place=False)
        if attempt.fits:
            low, best = middle, attempt
        else:
            high = middle
    return _finish(paragraphs, frames, best, style)


def _finish(paragraphs: list[Paragraph], frames: list[Frame], setting: Setting, style: TextStyle) -> Setting:
    """Balance the lines of a single-frame block, then place it vertically."""
    if style.balance and len(frames) == 1:
        widths = [_balanced_width(paragraph, frames[0].w, setting.size, style) for paragraph in paragraphs]
        balanced = flow(paragraphs, frames, setting.size, style, widths=widths, place=False)
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


def balance_columns(paragraphs: list[Paragraph], frames: list[Frame], setting: Setting, style: TextStyle) -> Setting:
    """Columns of one block, shortened together to about the least height that still holds
    the text at the size fitting chose: a short statement fills its columns evenly rather
    than one and a strip of the next. Each height is tried with the same flow that draws;
    starting from the height the text takes, shared out, a try or two finds it. Only the
    setting kept is placed (the lines' baselines tell the height the text takes)."""
    lines = sum(len({round(y, 2) for y in baselines}) for baselines in setting.baselines_by_frame)
    if lines < _FEWEST_LINES * len(frames):  # a few lines read better together, in one column
        return setting
    used = sum(frame.top - min(baselines) for frame, baselines in zip(frames, setting.baselines_by_frame) if baselines)
    step = setting.size * style.leading
    height = used / len(frames) + step / 2
    while height < frames[0].h - _SAME:
        attempt = flow(paragraphs, [replace(frame, h=height) for frame in frames], setting.size, style, place=False)
        if attempt.fits:  # the first try nearly always fits
            return attempt
        height += step / 2
    return setting


_SAME = 0.5  # pt
_FEWEST_LINES = 4  # per column, for columns to be balanced


# --- flowing --------------------------------------------------------------------------


def flow(
    paragraphs: list[Paragraph],
    frames: list[Frame],
    size: float,
    style: TextStyle,
    *,
    widths: list[float] | None = None,
    place: bool = True,
) -> Setting:
    """Set the paragraphs at `size`, line by line, into the frames in order.

    `widths` optionally narrows each paragraph's lines (balancing); alignment is still
    within the frame. `place=False` breaks the lines without placing them: whether the
    text fits, how much is left and where the lines sit; the runs are placed (by this
    flow, placing) only if the setting is asked for them."""
    if not place:
        setting = _flow(paragraphs, frames, size, style, widths, place=False)
        setting.place = lambda: _flow(paragraphs, frames, size, style, widths, place=True).runs_by_frame
        return setting
    return _flow(paragraphs, frames, size, style, widths, place=True)


def _flow(
    paragraphs: list[Paragraph], frames: list[Frame], size: float, style: TextStyle, widths: list[float] | None,
    *, place: bool,
) -> Setting:
    leading = size * style.leading * max((paragraph.line_factor for paragraph in paragraphs), default=1.0)
    # shaped scripts stack marks above and below (Thai tone marks, Myanmar medials): tight
    # display leading must still keep one line's marks off the next line's
    stacked = max((top - bottom for top, bottom in (p.ink_extent for p in paragraphs if p.shaped)), default=0.0)
    leading = max(leading, stacked * size * 1.02)
    ascent, descent = _ink_metrics(paragraphs)
    space = style.space_face.width(" ", size)
    runs_by_frame: list[list[TextRun]] = [[] for _ in frames]
    baselines_by_frame: list[list[float]] = [[] for _ in frames]
    placed_runs = runs_by_frame if place else None
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
                    return Setting(size, baselines_by_frame, left, len(paragraphs) - number, placed=placed_runs)
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
                return Setting(size, baselines_by_frame, 0, 0, too_wide=too_wide, placed=placed_runs)
            if place:
                last = not words
                placed = _place_line(
                    line, frame, indent, size, space, candidate, style, last=last and not hyphenated, rtl=paragraph.rtl
                )
                if first_line and paragraph.kind == "bullet":  # first in reading order
                    placed.insert(0, _bullet(frame, size, candidate, style, rtl=paragraph.rtl))
                runs_by_frame[frame_index].extend(placed)
            baselines_by_frame[frame_index].append(candidate)
            baseline, first_line = candidate, False
    return Setting(size, baselines_by_frame, 0, 0, placed=placed_runs)


def _gap_before(paragraph: Paragraph, previous: Paragraph, style: TextStyle) -> float:
    if paragraph.kind == "heading":
        return style.paragraph_space * 1.6
    if paragraph.kind == "bullet" and previous.kind == "bullet":
        return style.paragraph_space * 0.3
    return style.paragraph_space


def _ink_metrics(paragraphs: list[Paragraph]) -> tuple[float, float]:
    """How far above and below the baseline this text's glyphs reach, per point of size:
    the first line sits that far below the frame's top, so no glyph leaves its frame."""
    extents = [paragraph.ink_extent for paragraph in paragraphs]
    return max((top for top, _ in extents), default=0.0), min((bottom for _, bottom in extents), default=0.0)


def _bullet_indent(style: TextStyle, size: float) -> float:
    return style.space_face.width(BULLET, size) + style.space_face.width(" ", size) * 2


def _bullet(frame: Frame, size: float, baseline: float, style: TextStyle, *, rtl: bool = False) -> TextRun:
    # a right-to-left list hangs its bullets on the right; the space after the bullet
    # draws nothing, and keeps it apart from the text in the text layer
    x = frame.x + frame.w - style.space_face.width(BULLET, size) if rtl else frame.x
    return TextRun(x, baseline, BULLET + " ", style.space_face.name, size, style.color)


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
        before = space if line and not word.joined else 0.0
        needed = word.unit_width * size + before
        if used + needed <= width + _EPSILON:
            line.append(word)
            used += needed
            continue
        room = width - used - before
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
        head, tail = word.cut(position, add_hyphen)
        if head.unit_width * size <= room + _EPSILON:
            return head, tail, add_hyphen
    if alone and style.break_anywhere:
        from .linebreak import cut_points  # whole clusters only: never "ច|េញ"

        for position in reversed(cut_points(text)):
            head, tail = word.cut(position, False)
            if head.unit_width * size <= room + _EPSILON:
                return head, tail, False
    return None


# --- placing a line -------------------------------------------------------------------


@dataclass
class _Built:
    """A run being built, with the first and last of the line's parts (in reading order)
    it holds."""

    run: TextRun
    first: int
    last: int
    face: Face  # the run's font (its space glyph, when a space is added)


@dataclass
class _RunBuilder:
    """Collects the runs of one line, drawn left to right, merging neighbours that can
    share one string; `in_reading_order` hands them over."""

    size: float
    color: CMYK
    baseline: float
    built: list[_Built] = field(default_factory=list)
    end: float = 0.0  # where the last run's drawn text ends
    heavy: bool = False  # TextStyle.heavy

    def add(self, piece: Piece, x: float, index: int, *, new_word: bool) -> None:
        """Add `piece`, the line's part number `index` in reading order, drawn at `x`."""
        if not (self.built and self._merged(piece, x, index, new_word)):
            run = TextRun(
                x, self.baseline, piece.text, piece.face.name, self.size, self.color, piece.glyphs, piece.level % 2 == 1,
                self._embolden(piece),
            )
            self.built.append(_Built(run, index, index, piece.face))
        self.end = x + piece.unit_width * self.size

    def _embolden(self, piece: Piece) -> float:
        """A face with no heavy or bold weight (CJK) is outlined in headlines, and, less,
        in bold reading text, so emphasis shows."""
        if self.heavy:
            return embolden(piece.face)
        return embolden(piece.face) / 2 if piece.bold else 0.0

    def _merged(self, piece: Piece, x: float, index: int, new_word: bool) -> bool:
        current = self.built[-1]
        last = current.run
        rtl = piece.level % 2 == 1
        if last.embolden != self._embolden(piece):  # bold next to regular in one face: two runs
            return False
        # only parts that follow each other in the text (with a gap between, or not)
        if not 0 < (current.first - index if rtl else index - current.last) <= 2:
            return False
        joiner = " " if new_word else ""
        if (
            not last.glyphs
            and not piece.glyphs
            and last.font == piece.face.name
            and abs(self.end + piece.face.width(joiner, self.size) - x) < _EPSILON
        ):  # one string: drawing the space in this face lands exactly where the piece goes
            current.run = last.changed(text=last.text + joiner + piece.text)
        elif last.glyphs and piece.glyphs and last.font == piece.face.name and last.rtl == rtl:
            # shaped neighbours in one face and direction: one run, so the text layer
            # reads it as one string (the space between them is a glyph that moves)
            between: tuple[Glyph, ...] = ()
            if new_word:
                between = (Glyph(piece.face.space_glyph, " ", (x - self.end) / self.size),)
            elif x - self.end > _EPSILON:  # justified Chinese or Japanese: room, no space
                between = (Glyph(piece.face.space_glyph, "", (x - self.end) / self.size),)
            text = piece.text + joiner + last.text if rtl else last.text + joiner + piece.text
            glyphs = last.glyphs + between + piece.glyphs
            current.run = last.changed(text=text, glyphs=glyphs, rtl=rtl)
        else:
            return False
        if rtl:
            current.first = index
        else:
            current.last = index
        return True

    def in_reading_order(self, spaces: set[int]) -> list[TextRun]:
        """The runs in reading order, each ending in the space that follows it in the text
        (`spaces`: the parts that are spaces). render writes a line's text in this order,
        and an undrawn space keeps the words apart when the text is extracted."""
        ordered = sorted(self.built, key=lambda built: built.first)
        runs = []
        for built, following in zip(ordered, ordered[1:] + [None]):
            spaced = following is not None and any(built.last < i < following.first for i in spaces)
            runs.append(_with_space(built.run, built.face) if spaced else built.run)
        return runs


def _with_space(run: TextRun, face: Face) -> TextRun:
    if not run.glyphs:
        return run.changed(text=run.text + " ")
    space = Glyph(face.space_glyph, " ", 0.0)  # zero advance: it moves nothing
    if run.rtl:  # logically after the run: drawn at its left end
        return run.changed(text=run.text + " ", glyphs=(space,) + run.glyphs)
    return run.changed(text=run.text + " ", glyphs=run.glyphs + (space,))


def _stretchable(line: list[Word], extra: float, size: float) -> list[int]:
    """The gaps of a line that justifying may widen by `extra` in all (gap i is before
    word i + 1): its spaces, and in Chinese and Japanese, set on a grid of squares, every
    break. Never a break in Thai, Lao, Khmer or Myanmar text where the writer put no
    space: room there reads as a phrase break. And in such a line a phrase space widens
    by an em at most, else the line stays where lines start: one hole would split it."""
    unmarked = any(_unmarked_break(before, word) for before, word in zip(line, line[1:]))
    gaps = [i for i, word in enumerate(line[1:]) if not word.joined or not _unmarked_break(line[i], word)]
    if unmarked and gaps and extra / len(gaps) > size:
        return []
    return gaps


def _unmarked_break(before: Word, word: Word) -> bool:
    """A break between words with no space and not between squares: Thai, Lao, Khmer, Myanmar."""
    return word.joined and not (is_square(before.text[-1]) or is_square(word.text[0]))


def _place_line(
    line: list[Word],
    frame: Frame,
    indent: float,
    size: float,
    space: float,
    baseline: float,
    style: TextStyle,
    *,
    last: bool,
    rtl: bool = False,
) -> list[TextRun]:
    """The line's runs, in reading order (see _RunBuilder.in_reading_order)."""
    gaps = [0.0 if word.joined else space for word in line[1:]]
    natural = sum(word.unit_width for word in line) * size + sum(gaps)
    available = frame.w - indent
    x = frame.x + (0.0 if rtl else indent)  # a right-to-left line's indent is on the right
    align = style.align
    if rtl and align in ("left", "right") and not style.fixed_align:  # the layout's left: "where lines start"
        align = "right" if align == "left" else "left"
    stretchable = _stretchable(line, available - natural, size) if align == "justify" and not last else []
    if stretchable:
        extra = (available - natural) / len(stretchable)
        for i in stretchable:
            gaps[i] += extra
    elif align == "right" or (align == "justify" and rtl):  # a line not justified starts at the start
        x += available - natural
    elif align == "center":
        x += (available - natural) / 2
    # the line's parts in reading order: (piece, or None for the gap before word i + 1)
    parts: list[tuple[Piece | None, int, int, int]] = []
    for number, word in enumerate(line):
        if number:
            parts.append((None, word.space_level, number - 1, len(parts)))
        parts.extend((piece, piece.level, number, index) for index, piece in enumerate(word.pieces, len(parts)))
    spaces = {index for piece, _level, number, index in parts if piece is None and not line[number + 1].joined}
    if any(level for _piece, level, _number, _index in parts):
        from .bidi import visual_order

        parts = visual_order(parts, [level for _piece, level, _number, _index in parts])
    builder = _RunBuilder(size, style.color, baseline, heavy=style.heavy)
    space_before = False
    for piece, _level, number, index in parts:
        if piece is None:
            x += gaps[number]
            space_before = number + 1 < len(line) and not line[number + 1].joined
            continue
        builder.add(piece, x, index, new_word=space_before)
        space_before = False
        x += piece.unit_width * size
    return builder.in_reading_order(spaces)
