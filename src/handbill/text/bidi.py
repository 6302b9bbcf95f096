"""The Unicode bidirectional algorithm (UAX #9), for paragraphs without explicit embeddings.

`levels` resolves each character's embedding level over the whole paragraph (rules
W1-W7, N0 (paired brackets), N1-N2, I1-I2; even is left-to-right, odd right-to-left); lines are broken in
logical order, then `visual_order` reorders each line's runs (rule L2). Brackets are
mirrored by HarfBuzz when it shapes a right-to-left run (`mirrored` says what they then
look like). `pdf_reading_order` writes a line's text the way a PDF viewer reads it back.

Why our own: python-bidi only returns a reordered string, not the levels a typesetter
needs to reorder shaped runs and measure them; explicit embedding and isolate controls
(LRE, RLI...) are rare in statements and are treated as neutrals here.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType
from typing import Sequence, TypeVar

_STRONG_R = ("R", "AL")
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of every character of a paragraph; `rtl` is its
    base direction."""
    base = 1 if rtl else 0
    sos = "R" if rtl else "L"
    types = [unicodedata.bidirectional(char) or "L" for char in text]
    n = len(types)
    # W1: a nonspacing mark takes the type of the character before it
    for i, kind in enumerate(types):
        if kind == "NSM":
            types[i] = types[i - 1] if i and types[i - 1] not in _NEUTRAL - {"ON"} else (sos if i == 0 else "ON")
    # W2: European digits after Arabic letters are Arabic numbers; W3: AL is R
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of a kind joins them
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: terminators (%, currency) next to European numbers are numbers
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6: other separators and terminators are neutral
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]
    # W7: European numbers after L text are L
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    _resolve_brackets(text, types, sos)
    # N1, N2: neutrals between text of one direction take it, else the base direction
    i = 0
    while i < n:
        if types[i] in _NEUTRAL or types[i] == "NSM":
            j = i
            while j < n and (types[j] in _NEUTRAL or types[j] == "NSM"):
                j += 1
            before = _strength(types[i - 1]) if i > 0 else sos
            after = _strength(types[j]) if j < n else sos
            types[i:j] = [before if before == after else sos] * (j - i)
            i = j
        else:
            i += 1
    # I1, I2
    result = []
    for kind in types:
        if base == 0:
            result.append(0 if kind == "L" else 1 if kind == "R" else 2)
        else:
            result.append(1 if kind == "R" else 2)
    return result


def _resolve_brackets(text: str, types: list[str], embedding: str) -> None:
    """N0: a pair of brackets takes one direction, so "(URC)" inside Arabic stays a pair
    around its Latin letters instead of pointing both ways. The direction is the
    paragraph's if its kind of letter is inside the pair; else, if only the other kind is
    inside, the other's when the text before the pair is of that kind too, else the
    paragraph's. Pairs are found as BD16 says: a stack of openings, at most 63 deep."""
    pairs, stack = [], []
    for i, char in enumerate(text):
        if types[i] != "ON":
            continue
        if char in _OPENING:
            if len(stack) == 63:
                return
            stack.append((_MIRROR[char], i))
        elif char in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    for opening, closing in sorted(pairs):
        inside = {_strength(kind) for kind in types[opening + 1:closing] if kind in ("L", "R", "EN", "AN")}
        if not inside:
            continue
        if embedding in inside:
            direction = embedding
        else:
            before = next((_strength(kind) for kind in reversed(types[:opening]) if kind in ("L", "R", "EN", "AN")), embedding)
            direction = before if before != embedding else embedding
        types[opening] = types[closing] = direction


def _strength(kind: str) -> str:
    return "L" if kind == "L" else "R"  # numbers count as R for neutrals (N1)


T = TypeVar("T")


def visual_order(items: Sequence[T], item_levels: Sequence[int]) -> list[T]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run of
    items at that level or higher."""
    order = list(range(len(items)))
    if not item_levels:
        return []
    highest = max(item_levels)
    lowest_odd = min((level for level in item_levels if level % 2), default=highest + 1)
    current = list(item_levels)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if current[i] >= level:
                j = i
                while j < len(order) and current[j] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                current[i:j] = reversed(current[i:j])
                i = j
            else:
                i += 1
    return [items[k] for k in order]


# Unicode's Bidi_Mirroring_Glyph pairs that statements use: brackets, quotes, comparisons.
_PAIRS = "()<>[]{}«»‹›⁅⁆⁽⁾₍₎≤≥⟨⟩⟦⟧〈〉《》「」『』【】〔〕〖〗〘〙〚〛（）＜＞［］｛｝｟｠｢｣"
_MIRROR = MappingProxyType({**dict(zip(_PAIRS[::2], _PAIRS[1::2])), **dict(zip(_PAIRS[1::2], _PAIRS[::2]))})
_BRACKETS = "()[]{}⁅⁆⁽⁾₍₎⟨⟩⟦⟧〈〉《》「」『』【】〔〕〖〗〘〙〚〛（）［］｛｝｟｠｢｣"  # Bidi_Paired_Bracket, no quotes
_OPENING, _CLOSING = frozenset(_BRACKETS[::2]), frozenset(_BRACKETS[1::2])


def mirrored(text: str) -> str:
    """`text` with each bracket turned the other way, as a right-to-left line draws it (L4)."""
    return "".join(_MIRROR.get(char, char) for char in text)


# --- the text layer -------------------------------------------------------------------
#
# A PDF holds glyphs where they are drawn, not text in reading order, and readers guess
# the order back. render.py gives each line with shaped text an ActualText, and pdfium
# (Chrome's viewer, our preflight and tests) reads it like this (measured on the pdfium
# that pypdfium2 ships; tests/test_text_layer.py checks it on random lines):
#   1. it reverses the text when the first text object of the line it meets reads right
#      to left, or when the text reads right to left and so did what it read just before
#      (render.py draws a neutral anchor first on every such line, so this never happens);
#   2. it cuts the text into segments of one kind: L (left-to-right letters), R (right-to-
#      left letters), W (digits, marks, number separators), N (the rest);
#   3. it reverses the order of the segments when there are more R segments than L ones;
#   4. going through them, it mirrors the brackets of an R segment, and of an N segment
#      met while the last strong one was R; nothing else changes.
# `pdf_reading_order` writes the ActualText that this reading turns into the line's text.


def _pdf_kind(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "N"


def _pdf_segments(text: str) -> list[tuple[str, str]]:
    segments: list[tuple[str, str]] = []
    for char in text:
        kind = _pdf_kind(char)
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + char)
        else:
            segments.append((kind, char))
    return segments


def pdf_reads_right_to_left(text: str) -> bool:
    """Whether pdfium takes `text` for right-to-left: more R segments than L ones."""
    kinds = [kind for kind, _text in _pdf_segments(text)]
    return kinds.count("R") > kinds.count("L")


def pdf_reading_order(logical: str) -> str:
    """The ActualText that pdfium reads (above, without step 1) as `logical`."""
    right = pdf_reads_right_to_left(logical)  # reversing segments keeps their kinds and count
    direction, stored = ("R" if right else "L"), []
    for kind, text in _pdf_segments(logical):  # in the order step 4 meets them
        if kind == "R" or (kind == "N" and direction == "R"):
            direction = "R"
            stored.append(mirrored(text))
        else:
            direction = direction if kind == "W" else "L"
            stored.append(text)
    return "".join(reversed(stored) if right else stored)
