"""Line-break opportunities by ICU's line breaker (UAX #14).

Why ICU (the icu4py wheels): Thai, Lao, Khmer and Myanmar are written without spaces
between words, and only a dictionary segmenter finds the words; ICU carries maintained
dictionaries for all four, and its rules forbid a line starting with a closing mark
(。、」）！？) or ending with an opening one in Chinese and Japanese. icu4py ships
binary wheels with ICU inside, so nothing is compiled. Imported only for those scripts.
"""

from __future__ import annotations

from functools import cache

from icu4py.breakers import LineBreaker


@cache
def segments(text: str, lang: str = "") -> list[tuple[int, str]]:
    """`text` (no spaces at its ends) cut where a line may break: (offset, piece) pairs."""
    breaker = LineBreaker(text, lang or "und")
    return [(start, text[start:end]) for start, end in breaker.segments()]
