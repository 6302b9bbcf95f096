"""Where a word may be hyphenated, by the language's pyphen dictionary.

Only words in scripts whose typesetting hyphenates (Latin, Greek, Cyrillic: see
scripts.is_hyphenated_script): pyphen ships a Thai dictionary, but Thai, like Lao, Khmer,
Myanmar and CJK, breaks between words without a mark, and Arabic, Hebrew and the Indic
scripts do not hyphenate at all.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from functools import cache, lru_cache
from pathlib import Path

import pyphen

from .scripts import is_hyphenated_script

_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?…"


@cache
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    # Languages without a dictionary (Filipino, say) are simply not hyphenated.
    found = pyphen.language_fallback(lang.replace("-", "_"))
    if not found:
        return None
    path = Path(pyphen.LANGUAGES[found])
    pyphen.hdcache.setdefault(path, _patterns(path))  # pyphen's own cache, filled from ours
    return pyphen.Pyphen(lang=found, left=2, right=3)


def _patterns(path: Path) -> pyphen.HyphDict:
    """pyphen parses a dictionary's patterns in ~0.1 s, half of a whole build; the parsed
    patterns are kept in the user's cache folder and read back in a few ms. Any trouble
    with the cache (read-only home, a stale or damaged file) just means parsing again."""
    stat = path.stat()
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handbill"
    cached = folder / f"hyph-{path.stem}-{pyphen.__version__}-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    try:
        with cached.open("rb") as file:
            patterns = pickle.load(file)
        if isinstance(patterns, pyphen.HyphDict):
            return patterns
    except Exception:  # a missing or unreadable cache is not an error
        pass
    patterns = pyphen.HyphDict(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(patterns, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cached)
    except OSError:
        pass
    return patterns


@lru_cache(maxsize=1 << 15)  # bounded: its keys come from statements, which a service sees without end
def break_points(word: str, lang: str) -> tuple[tuple[int, bool], ...]:
    """Positions in `word` where a line may break, each with whether a hyphen must be
    added there (False after a hyphen the word already has: "ethnic-|cleansing")."""
    if _is_address(word):
        return _address_break_points(word)
    points: dict[int, bool] = {}
    for i, char in enumerate(word[:-1]):
        # after a hyphen or slash between letters ("ethnic-|cleansing"), never inside a
        # number: a phone number or a date broken over two lines is misread
        if char in "-‐–/" and i > 0 and not (word[i - 1].isdigit() or word[i + 1].isdigit()):
            points[i + 1] = False
    dictionary = _dictionary(lang) if is_hyphenated_script(word) else None
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


def _is_address(word: str) -> bool:
    return "://" in word or word.startswith("www.") or "@" in word.strip(_PUNCTUATION)


def _address_break_points(word: str) -> tuple[tuple[int, bool], ...]:
    """A web address is never hyphenated: an added hyphen would be typed into the
    browser. It may break after a slash (not inside "//") or before . - _ ? & = # @, the
    way style guides break URLs, so a line never ends in a hyphen that looks added."""
    points = []
    for i in range(1, len(word)):
        before, here = word[i - 1], word[i]
        after_slash = before == "/" and here != "/"
        if after_slash or (here in ".-_?&=#@" and before != "/"):
            points.append((i, False))
    return tuple(points)
