"""What a piece of text needs, by the characters in it: shaping, a word segmenter, right-to-left.

Latin, Greek and Cyrillic take the fast path (reportlab's own widths and strings); every
other script is shaped with HarfBuzz, and scripts written without spaces between words
are broken by ICU's line breaker. Cheap tests on code points, so Latin pays nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Latin, Greek, Cyrillic, their marks and punctuation need no shaping beyond what
# reportlab does (precomposed letters after NFC); anything else, or a joiner, does.
_SHAPED = re.compile("[^\u0000-\u058f\u1e00-\u1fff\u2000-\u200b\u200e-\u206f\u20a0-\u20cf\u2100-\u218f]")


def needs_shaping(text: str) -> bool:
    return _SHAPED.search(text) is not None


# Scripts written without spaces between words (or breaking between characters): Thai,
# Lao, Myanmar, Khmer, Chinese and Japanese. Not Hangul: Korean is broken at its spaces,
# as Korean typesetters do (keep-all), never inside a word.
_SEGMENTED = (
    "[\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer, Khmer symbols
    "\u2e80-\u9fff"  # CJK radicals, punctuation, kana, ideographs
    "\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar extended
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"  # compatibility ideographs and forms, full width
    "\U00020000-\U0003ffff]"  # CJK extensions
)


def needs_segmenter(text: str) -> bool:
    if max(text, default="\0") < "\u0e00":  # below Thai: Latin and the rest need none (no regex)
        return False
    return _compiled(_SEGMENTED).search(text) is not None


@cache
def _compiled(pattern: str) -> re.Pattern:
    """The big character classes compile in milliseconds each, a fair part of a Latin
    leaflet's start-up: compiled when text first needs them, not at import."""
    return re.compile(pattern)


@cache
def is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def direction(text: str) -> str | None:
    """'rtl' or 'ltr' by the first strong character (the bidi algorithm's rules P2/P3),
    None when the text has no letters of either kind (digits, punctuation)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ckb", "dv"})


def lang_direction(lang: str) -> str:
    """The writing direction of a language tag: 'rtl' for Arabic, Persian, Urdu, Hebrew..."""
    return "rtl" if lang.lower().replace("_", "-").split("-")[0] in RTL_LANGUAGES else "ltr"


def primary_language(lang: str) -> str:
    """The language subtag of a BCP 47 tag: 'zh' for 'zh-Hant', 'ja' for 'ja_JP'."""
    return lang.lower().replace("_", "-").split("-")[0]


_HANGUL = "[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]"
# Chinese, Japanese and Korean letters: Han (with radicals and iteration marks), kana,
# bopomofo, Hangul
_EAST_ASIAN_LETTERS = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u303b\u3040-\u30ff\u3100-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003ffff"
)
_EAST_ASIAN = f"[{_EAST_ASIAN_LETTERS}]"
# East Asian letters and the full-width punctuation set among them (、。「」！): text set
# on a grid of squares, where a justified line may open room between any two characters
_SQUARE = f"[{_EAST_ASIAN_LETTERS}\u3000-\u3004\u3008-\u3020\uff01-\uff65]"
_FIRST_EAST_ASIAN = "\u1100"  # every class above starts here or later


def is_hangul(char: str) -> bool:
    return char >= _FIRST_EAST_ASIAN and _compiled(_HANGUL).match(char) is not None


def is_east_asian(char: str) -> bool:
    return char >= _FIRST_EAST_ASIAN and _compiled(_EAST_ASIAN).match(char) is not None


def is_square(char: str) -> bool:
    return char >= _FIRST_EAST_ASIAN and _compiled(_SQUARE).match(char) is not None


# Scripts whose typesetting breaks a word with a hyphen at a line end: Latin, Greek,
# Cyrillic, Armenian (everything handbill sets without shaping). Never Thai, Lao, Khmer,
# Myanmar (they break between words, unmarked), Chinese, Japanese, Korean, Arabic,
# Hebrew, or the Indic scripts.
def is_hyphenated_script(word: str) -> bool:
    return not needs_shaping(word)
