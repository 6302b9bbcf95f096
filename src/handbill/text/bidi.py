"""The Unicode bidirectional algorithm (UAX #9).

`levels` resolves each character's embedding level over the whole paragraph (rules
W1-W7, N0 (paired brackets), N1-N2, I1-I2; even is left-to-right, odd right-to-left); lines are broken in
logical order, then `visual_order` reorders each line's runs (rule L2). Brackets are
mirrored by HarfBuzz when it shapes a right-to-left run (`mirrored` says what they then
look like). `pdf_reading_order` writes a line's text the way a PDF viewer reads it back.

Why our own: python-bidi only returns a reordered string, not the levels a typesetter
needs to reorder shaped runs and measure them. Explicit embeddings, overrides and isolates
(LRE, RLO, RLI...) are applied (X1-X10); the line rules L1 (isolates at a line's end) are not.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType
from typing import Sequence, TypeVar

_STRONG_R = ("R", "AL")
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of every character of a paragraph; `rtl` is its
    base direction. Explicit embeddings, overrides and isolates (LRE...PDF, LRI...PDI) are
    applied (X1-X10); they and the marks LRM, RLM, ALM are never drawn (text/paragraph.py)."""
    base = 1 if rtl else 0
    types = [unicodedata.bidirectional(char) or "L" for char in text]
    if not any(kind in _EXPLICIT for kind in types):
        return _resolve_sequence(text, types, base, "R" if rtl else "L", "R" if rtl else "L")
    return _explicit_levels(text, types, base)


_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_INITIATORS = frozenset({"LRI", "RLI", "FSI"})
_MAX_DEPTH = 125


def _explicit_levels(text: str, types: list[str], base: int) -> list[int]:
    """X1-X10: the levels the explicit controls set, then W1-I2 on each isolating run sequence."""
    n = len(types)
    matching = _matching_pdis(types)
    char_levels = [base] * n
    removed = [False] * n
    stack: list[tuple[int, str | None, bool]] = [(base, None, False)]  # level, override, isolate
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for i, kind in enumerate(types):
        if kind == "FSI":  # P2-P3 on the text up to its matching PDI
            end = matching.get(i, n)
            kind = "RLI" if _first_strong(types[i + 1:end]) == "R" else "LRI"
        if kind in ("LRE", "RLE", "LRO", "RLO", "LRI", "RLI"):
            isolate = kind in ("LRI", "RLI")
            level, override, _ = stack[-1]
            if isolate:
                char_levels[i] = level
                if override:
                    types[i] = override
            else:
                removed[i] = True
            new = (level + 1) | 1 if kind[0] == "R" else (level + 2) & ~1
            if new <= _MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                valid_isolates += isolate
                stack.append((new, "R" if kind == "RLO" else "L" if kind == "LRO" else None, isolate))
            elif isolate:
                overflow_isolates += 1
            elif not overflow_isolates:
                overflow_embeddings += 1
        elif kind == "PDI":
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            char_levels[i] = stack[-1][0]
            if stack[-1][1]:
                types[i] = stack[-1][1]
        elif kind == "PDF":
            removed[i] = True
            if overflow_isolates:
                pass
            elif overflow_embeddings:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) > 1:
                stack.pop()
        elif kind == "BN":
            removed[i] = True
        else:
            char_levels[i] = stack[-1][0]
            if stack[-1][1]:
                types[i] = stack[-1][1]
    kept = [i for i in range(n) if not removed[i]]
    # X10: level runs, chained into isolating run sequences across an isolate's content
    runs: list[list[int]] = []
    for i in kept:
        if runs and char_levels[runs[-1][-1]] == char_levels[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    starts = {run[0]: run for run in runs}
    sequences: list[list[int]] = []
    for run in runs:
        if types[run[0]] == "PDI" and run[0] in matching.values():
            continue  # it continues the sequence of the isolate that it closes
        sequence = list(run)
        while types[sequence[-1]] in _INITIATORS and sequence[-1] in matching and matching[sequence[-1]] in starts:
            sequence.extend(starts[matching[sequence[-1]]])
        sequences.append(sequence)
    position = {index: k for k, index in enumerate(kept)}
    for sequence in sequences:
        level = char_levels[sequence[0]]
        at = position[sequence[0]]
        before = char_levels[kept[at - 1]] if at else base
        last = sequence[-1]
        if types[last] in _INITIATORS and last not in matching:
            after = base
        else:
            at = position[last]
            after = char_levels[kept[at + 1]] if at + 1 < len(kept) else base
        sos = "R" if max(level, before) % 2 else "L"
        eos = "R" if max(level, after) % 2 else "L"
        resolved = _resolve_sequence("".join(text[i] for i in sequence), [types[i] for i in sequence], level, sos, eos)
        for i, resolved_level in zip(sequence, resolved):
            char_levels[i] = resolved_level
    for i in range(n):  # a removed control sits with the character before it (it is not drawn)
        if removed[i]:
            char_levels[i] = char_levels[i - 1] if i else base
    return char_levels


def _matching_pdis(types: list[str]) -> dict[int, int]:
    """BD9: each isolate initiator's matching PDI, by index."""
    matching, open_ = {}, []
    for i, kind in enumerate(types):
        if kind in _INITIATORS:
            open_.append(i)
        elif kind == "PDI" and open_:
            matching[open_.pop()] = i
    return matching


def paragraph_direction(text: str) -> str | None:
    """'rtl' or 'ltr' by the first strong letter outside isolates (P2, P3), None if none."""
    first = _first_strong([unicodedata.bidirectional(char) for char in text])
    return None if first is None else "rtl" if first == "R" else "ltr"


def _first_strong(types: list[str]) -> str | None:
    """P2 on an FSI's text: the first L, R or AL outside nested isolates."""
    depth = 0
    for kind in types:
        if kind in _INITIATORS:
            depth += 1
        elif kind == "PDI" and depth:
            depth -= 1
        elif not depth and kind in ("L", "R", "AL"):
            return "L" if kind == "L" else "R"
    return None


def _resolve_sequence(text: str, types: list[str], level: int, sos: str, eos: str) -> list[int]:
    """W1-I2 on one isolating run sequence at embedding `level` (the whole paragraph, when
    it has no explicit controls)."""
    embedding = "R" if level % 2 else "L"
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
    _resolve_brackets(text, types, embedding)
    # N1, N2: neutrals between text of one direction take it, else the base direction
    i = 0
    while i < n:
        if types[i] in _NEUTRAL or types[i] == "NSM":
            j = i
            while j < n and (types[j] in _NEUTRAL or types[j] == "NSM"):
                j += 1
            before = _strength(types[i - 1]) if i > 0 else sos
            after = _strength(types[j]) if j < n else eos
            types[i:j] = [before if before == after else embedding] * (j - i)
            i = j
        else:
            i += 1
    # I1, I2
    result = []
    for kind in types:
        if level % 2 == 0:
            result.append(level if kind == "L" else level + 1 if kind == "R" else level + 2)
        else:
            result.append(level if kind == "R" else level + 1)
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
