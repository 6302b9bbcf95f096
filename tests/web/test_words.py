"""The page's own words live in words.py: every word the templates and the script use is
there, and every translation has the same keys as English."""

from __future__ import annotations

import re
from pathlib import Path

from handbill.web.words import CATALOGUES, ENGLISH, words

WEB = Path(__file__).resolve().parents[2] / "src" / "handbill" / "web"


def test_every_word_the_templates_and_the_script_use_is_in_the_catalogue():
    used = set()
    for template in (WEB / "templates").glob("*.html"):
        used |= set(re.findall(r"\bw\.(\w+)", template.read_text(encoding="utf-8")))
    script = (WEB / "static" / "handbill.js").read_text(encoding="utf-8")
    used |= set(re.findall(r"\bW\.(\w+)", script))
    used |= {f"state_{state}" for state in ("queued", "running", "done", "failed")}  # W["state_" + state]
    assert used and not used - set(ENGLISH), sorted(used - set(ENGLISH))


def test_every_catalogue_has_the_same_keys_as_english():
    for lang, catalogue in CATALOGUES.items():
        assert set(catalogue) == set(ENGLISH), lang
    assert words("xx") is ENGLISH and words("en-GB") is ENGLISH


def test_no_words_are_written_into_the_templates_outside_the_catalogue():
    for template in (WEB / "templates").glob("*.html"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", template.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<[^>]*>", "", text)
        assert not re.findall(r"[A-Za-z]{3,}", text), template.name
