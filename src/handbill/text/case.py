"""Capitals for headlines, by each language's rules (str.upper knows none of them).

Greek all-caps drops the accents ("Στέγη" -> "ΣΤΕΓΗ", not "ΣΤΈΓΗ") but keeps the
dialytika, and adds one where the accent showed that two vowels are not a diphthong
("Μάιος" -> "ΜΑΪΟΣ"); the word "ή" ("or") keeps its accent, as ICU's Greek uppercasing
does. Turkish and Azerbaijani capitalise i as İ.
"""

from __future__ import annotations

import re
import unicodedata

from .scripts import primary_language

_ACCENTS = "\u0300\u0301\u0342\u0313\u0314\u0345"  # varia, tonos/oxia, perispomeni, breathings, ypogegrammeni
_DIALYTIKA = "\u0308"
# a Greek vowel with an accent, then ι or υ without one: the pair is two syllables
_SPLIT_DIPHTHONG = re.compile(f"([αεοηωυ][{_ACCENTS}]+)([ιυ])(?![\u0300-\u036f])")
_GREEK_WORD = re.compile("[\u0370-\u03ff\u1f00-\u1fff][\u0370-\u03ff\u1f00-\u1fff\u0300-\u036f]*")


def upper(text: str, lang: str = "") -> str:
    """`text` in capitals, the way the language writes them."""
    if primary_language(lang) in ("tr", "az"):
        text = text.replace("i", "\u0130")
    if re.search("[\u0370-\u03ff\u1f00-\u1fff]", text):
        return _GREEK_WORD.sub(lambda word: _greek_upper(word.group()), text).upper()
    return text.upper()


def _greek_upper(word: str) -> str:
    """One Greek word in capitals: accents dropped, dialytika kept or added."""
    if unicodedata.normalize("NFC", word) in ("ή", "Ή"):
        return "Ή"
    decomposed = unicodedata.normalize("NFD", word.lower())
    decomposed = _SPLIT_DIPHTHONG.sub(lambda pair: pair.group(1) + pair.group(2) + _DIALYTIKA, decomposed)
    bare = "".join(char for char in decomposed if char not in _ACCENTS)
    return unicodedata.normalize("NFC", bare.upper())
