"""Line-break opportunities by ICU's line breaker (UAX #14).

Why ICU (the icu4py wheels): Thai, Lao, Khmer and Myanmar are written without spaces
between words, and only a dictionary segmenter finds the words; ICU carries maintained
dictionaries for all four, and its rules forbid a line starting with a closing mark
(。、」）！？) or ending with an opening one in Chinese and Japanese. Japanese is broken
by ICU's strict rules (ja@lb=strict), as Japanese books are: no line starts with a small
kana or ー ("ョッピング"). icu4py ships binary wheels with ICU inside, so nothing is
compiled. Imported only for those scripts, and for cutting over-long words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from icu4py.breakers import CharacterBreaker, LineBreaker

from .scripts import primary_language


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def segments(text: str, lang: str = "") -> tuple[tuple[int, str], ...]:
    """`text` (no spaces at its ends) cut where a line may break: (offset, piece) pairs
    (a tuple: the cache hands the same value to every caller)."""
    breaker = LineBreaker(text, _line_locale(lang))
    return tuple((start, text[start:end]) for start, end in breaker.segments())


def _line_locale(lang: str) -> str:
    return "ja@lb=strict" if primary_language(lang) == "ja" else lang or "und"


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def grapheme_starts(text: str) -> tuple[int, ...]:
    """Where each user-perceived character (UAX #29 extended grapheme cluster, ICU's
    tailoring: a Khmer coeng or a Myanmar virama keeps its consonant) begins, after 0."""
    return tuple(start for start, _end in CharacterBreaker(text, "und").segments() if start)


def cut_points(text: str) -> tuple[int, ...]:
    """Where a word too long for any line may be cut: between grapheme clusters, and
    never before a mark. UAX #29 lets Myanmar ာ and း and Thai ำ begin a cluster of their
    own, yet each is drawn with the letter before it ("သ|ား" would set a lone vowel)."""
    return tuple(i for i in grapheme_starts(text) if not _clings(text[i]))


def _clings(char: str) -> bool:
    return unicodedata.category(char).startswith("M") or char in "\u0e33\u0eb3"
