"""The Unicode bidirectional algorithm (UAX #9), for paragraphs without explicit embeddings.

`levels` resolves each character's embedding level over the whole paragraph (rules
W1-W7, N1-N2, I1-I2; even is left-to-right, odd right-to-left); lines are broken in
logical order, then `visual_order` reorders each line's runs (rule L2). Brackets are
mirrored by HarfBuzz when it shapes a right-to-left run.

Why our own: python-bidi only returns a reordered string, not the levels a typesetter
needs to reorder shaped runs and measure them; explicit embedding and isolate controls
(LRE, RLI...) are rare in statements and are treated as neutrals here.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence, TypeVar

_STRONG_R = ("R", "AL")
_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


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
