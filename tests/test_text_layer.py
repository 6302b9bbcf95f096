"""The text layer reads in reading order: right-to-left lines with Latin words, numbers,
brackets and marks, lines of every script, as pdfium (a viewer, and our preflight)
extracts them; and a right-to-left leaflet starts in its right-hand column."""

from __future__ import annotations

import random
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from readback import text as pdf_text
from test_scripts import reads_in_order, style

from handbill.build import build
from handbill.composition import Composition, Metadata, Page
from handbill.render import render
from handbill.text.bidi import pdf_reading_order
from handbill.text.paragraph import make_paragraph
from handbill.text.typeset import Frame, flow
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

# words that trip a reader's guess at reading order: Latin and numbers in right-to-left
# text, brackets and quotes beside them, vowel marks, a Persian zero-width non-joiner
MIXED_WORDS = [
    "سكان", "المدينة", "فورًا", "(شمال", "المدينة).", "«عدالت»", "می‌خواهیم", "ہم", "۴۶۷", "۲۰۲۴",
    "שלום", "הריסות", "(ראו", 'דו"ח', "12/2024).", "APAUPO", "Kalinaw", "2024", "350", "10%", "،", "!",
]
# left-to-right scripts whose glyphs are reordered or stacked: Devanagari i-signs, Thai
# and Khmer marks, Japanese and Korean
SHAPED_WORDS = ["किराया", "ज़मीन", "प्रति", "บ้านเรือน", "ที่อยู่", "ពលរដ្ឋ", "ចេញ", "住まい", "権利", "가구가", "350", "(2024)"]


def _read_back(paragraph_texts: list[tuple[str, str]], width: float, size: float, align: str) -> str:
    """The text pdfium extracts from the paragraphs (text, language) set in one column,
    words too wide for it cut (between clusters)."""
    paragraphs = [make_paragraph([(text, False, False)], role="text", where="t", lang=lang, fonts=FONTS) for text, lang in paragraph_texts]
    setting = flow(paragraphs, [Frame(10, 2990, width, 2980)], size, replace(style(align), break_anywhere=True))
    assert setting.fits
    composition = Composition(400, 3000, 0.0, (Page(tuple(setting.runs)),), Metadata("t", "t", "t", "ar"))
    document = pdfium.PdfDocument(render(composition, fonts=FONTS))
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("words, languages", [(MIXED_WORDS, ["ar", "he", "fa", "ur", "en"]), (SHAPED_WORDS, ["hi", "th", "ja"])])
def test_random_paragraphs_read_back_in_reading_order(seed, words, languages):
    rng = random.Random(seed)
    texts = [(" ".join(rng.choice(words) for _ in range(rng.randint(2, 20))), rng.choice(languages)) for _ in range(3)]
    extracted = _read_back(texts, rng.choice([90, 150, 300]), rng.choice([9, 14, 24]), rng.choice(["left", "justify", "center"]))
    for text, _lang in texts:
        assert reads_in_order(text, extracted), (text, extracted)


HARD = {
    "he": "אנחנו, תושבי העיר, מתנגדים להריסת בתינו. מאז 2024 איבדו יותר מ־350 משפחות את ביתן, לפי ארגון APAUPO (ראו דו\"ח 12/2024).",
    "ar": "نطالب بوقف الهدم فورًا وبسكن لائق لكل عائلة (شمال المدينة، 350 عائلة).",
    "fa": "ما می‌خواهیم که از سال ۱۴۰۳ بیش از ۳۵۰ خانواده بی‌خانمان نشوند. «عدالت» برای همه!",
    "ur": "ہم ۲۰۲۴ سے ۴۶۷ خاندانوں کی بے دخلی کے خلاف ہیں۔ حکومت فوری طور پر یہ ظلم بند کرے!",
}


@pytest.mark.parametrize("lang", sorted(HARD))
def test_a_leaflet_in_a_right_to_left_language_reads_back_in_order(tmp_path, lang):
    """The audit's cases: a bracket between a Latin name and Hebrew, a tanween, Persian
    half-spaces and guillemets, Urdu digits, a title and a slogan with brackets."""
    path = tmp_path / f"{lang}.md"
    path.write_text(
        f"---\ntitle: \"{HARD[lang].split()[0]} (2024)\"\nurl: https://e.org\nlang: {lang}\n"
        f"slogans: [\"{HARD[lang].split()[1]} (APAUPO)!\"]\n---\n\n{HARD[lang]}\n",
        encoding="utf-8",
    )
    [leaflet] = build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    extracted = pdf_text(leaflet.path)
    for text in (HARD[lang], f"{HARD[lang].split()[0]} (2024)", f"{HARD[lang].split()[1]} (APAUPO)!"):
        assert reads_in_order(text, extracted), (text, extracted)


def test_what_pdfium_is_handed_for_a_line():
    """Left-to-right text as it is; right-to-left words in the order pdfium reverses back
    (bidi.py says how it reads)."""
    assert pdf_reading_order("abc def") == "abc def"
    assert pdf_reading_order("אב גד") == "גד אב"
    assert pdf_reading_order("2024 אב") == "אב 2024"


def test_a_right_to_left_body_starts_in_the_right_hand_column(tmp_path):
    words = "نحن سكان المدينة نرفض هدم بيوتنا ونطالب بسكن لائق لكل عائلة".split()
    body = " ".join(words[i % len(words)] for i in range(420))
    path = tmp_path / "ar.md"
    path.write_text(f"---\ntitle: السكن حق\nurl: https://e.org\nlang: ar\nslogans: [السكن حق]\n---\n\nالبداية {body} النهاية\n", encoding="utf-8")
    [leaflet] = build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    document = pdfium.PdfDocument(str(leaflet.path))
    try:
        page = document[0]
        middle = page.get_width() / 2
        text = page.get_textpage()

        def x_of(word: str) -> float:
            searcher = text.search(word)
            first = searcher.get_next()
            assert first is not None, word
            return text.get_charbox(first[0])[0]

        assert x_of("البداية") > middle > x_of("النهاية")
    finally:
        document.close()
