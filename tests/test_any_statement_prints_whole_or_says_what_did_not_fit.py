"""Properties over generated statements: the a4-leaflet either prints every paragraph, in
order, or says how much did not fit (TooLongError) — it never clips, drops or fails
otherwise. Compose and render run in-process; the PDF is read back with pypdfium2."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from handbill.compose import compose
from handbill.errors import TooLongError
from handbill.layout import find_layout
from handbill.render import render
from handbill.statement import Block, Span, Statement
from readback import squeeze, text
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

VOCABULARY = (
    "we", "the", "city", "homes", "river", "families", "a", "right", "to", "housing", "and",
    "work", "school", "council", "not", "of", "our", "street", "bridge", "water", "light",
    # long words, for the hyphenator and the line breaker
    "internationalisation", "counterrevolutionaries", "responsibilities", "neighbourhoods",
    "Kalinaw-Riverside", "misrepresentation", "extraordinarily",
)
PUNCTUATION = ("", "", "", "", ",", ".", ";", ":", "!", "?", "\u2019s", " \u2013")

word = st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(PUNCTUATION)).map("".join)


@st.composite
def paragraphs(draw) -> list[list[Span]]:
    """3 to 12 paragraphs of 20 to 2,000 words in all; some runs of words bold or italic."""
    total = draw(st.one_of(st.integers(20, 700), st.integers(700, 2000)))  # a leaflet holds about 900
    count = draw(st.integers(3, 12))
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=count - 1, max_size=count - 1, unique=True)))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    result = []
    for size in sizes:
        words = draw(st.lists(word, min_size=size, max_size=size))
        spans, at = [], 0
        while at < len(words):
            run = draw(st.integers(1, 12))
            emphasis = draw(st.sampled_from(("plain", "plain", "plain", "bold", "italic")))
            chunk = " ".join(words[at:at + run]) + (" " if at + run < len(words) else "")
            spans.append(Span(chunk, bold=emphasis == "bold", italic=emphasis == "italic"))
            at += run
        result.append(spans)
    return result


def statement_of(body: list[list[Span]]) -> Statement:
    return Statement(
        title="Homes along the river stay",
        body=tuple(Block("paragraph", tuple(spans)) for spans in body),
        slogans=("Homes, not rubble!", "Housing is a right!"),
        organisation="Riverside Tenants' Union",
        url="https://example.org/statements/generated",
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=paragraphs())
def test_the_leaflet_prints_every_paragraph_in_order_or_says_how_much_did_not_fit(tmp_path: Path, body):
    statement = statement_of(body)
    try:
        composition = compose(statement, find_layout("a4-leaflet"), fonts=FONTS)
    except TooLongError as error:
        event("too long")
        message = str(error)
        assert re.search(r"\b\d+ of \d+ words\b", message), message
        assert "\n" not in message
        return
    event("fits")
    pdf = tmp_path / "generated.pdf"
    pdf.write_bytes(render(composition, fonts=FONTS))
    printed = squeeze(text(pdf))
    position = 0
    for block in statement.body:
        found = printed.find(squeeze(block.text), position)
        assert found >= 0, f"a paragraph is missing or out of order: {block.text[:80]!r}"
        position = found + len(squeeze(block.text))
