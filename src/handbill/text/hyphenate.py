"""Where a word may be hyphenated, by the language's pyphen dictionary."""

from __future__ import annotations

from functools import cache

import pyphen

_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?…"


@cache
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    # Languages without a dictionary (Filipino, say) are simply not hyphenated.
    found = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=2, right=3) if found else None


@cache
def break_points(word: str, lang: str) -> tuple[tuple[int, bool], ...]:
    """Positions in `word` where a line may break, each with whether a hyphen must be
    added there (False after a hyphen the word already has: "ethnic-|cleansing")."""
    points: dict[int, bool] = {}
    for i, char in enumerate(word[:-1]):
        if char in "-‐–/" and i > 0:
            points[i + 1] = False
    dictionary = _dictionary(lang)
    if dictionary is not None:
        start = len(word) - len(word.lstrip(_PUNCTUATION))
        core = word.strip(_PUNCTUATION)
        offset = start
        # hyphenate each hyphen-separated part on its own
        for part in core.replace("–", "-").replace("‐", "-").split("-"):
            if part.isalpha():
                for position in dictionary.positions(part):
                    points.setdefault(offset + position, True)
            offset += len(part) + 1
    return tuple(sorted(points.items()))
