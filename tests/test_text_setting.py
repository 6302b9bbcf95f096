"""Setting text the way each script's typesetters do: which face sets which character,
where lines break and words are cut, hyphens, capitals, justification, and what a
missing character's error says."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from test_scripts import DATA, THAI_WORDS, line_text, lines_of, style

from handbill.build import build
from handbill.errors import MissingGlyphError
from handbill.statement import read_statement
from handbill.text.case import upper
from handbill.text.hyphenate import break_points
from handbill.text.linebreak import cut_points
from handbill.text.scripts import is_hangul
from handbill.text.paragraph import make_paragraph
from handbill.text.typeset import Frame, flow
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with


def pieces(text: str, lang: str, **options):
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang=lang, **options, fonts=FONTS)
    return [piece for word in paragraph.words for piece in word.pieces]


# --- which face ------------------------------------------------------------------------------


def test_every_hangul_letter_is_set_in_one_face():
    """Droid Sans Fallback has 가 and the jamo; a Korean word must not borrow them."""
    body = read_statement(DATA / "ko.md").body[0].text
    faces = {piece.face.name for piece in pieces(body + " 350가구가 가나다", "ko") if any(is_hangul(c) for c in piece.text)}
    assert faces == {"NanumSquareR"}


@pytest.mark.parametrize("lang", ["zh-Hans", "ja"])
def test_punctuation_between_east_asian_letters_takes_an_east_asian_face(lang):
    text = "他说“我们”……——这是我们的家园·我们的权利。" if lang == "zh-Hans" else "「開発」の名の下で……私たちは“いいえ”と言う——住まい·権利。"
    for piece in pieces(text, lang):
        if any(c in "“”‘’…—·" for c in piece.text):
            assert not piece.face.name.startswith("NotoSans-"), (piece.text, piece.face.name)


@pytest.mark.parametrize("lang, text", [("ja", "第1条 すべての人に人権を!"), ("zh-Hans", "自2024年以来，350户家庭")])
def test_ascii_digits_and_signs_between_east_asian_letters_take_the_latin_face(lang, text):
    # as the same characters elsewhere in the document; not NanumSquare's Latin (a Korean
    # face a Japanese or Chinese leaflet would then load for a few digits)
    for piece in pieces(text, lang):
        if any(c.isascii() and not c.isspace() for c in piece.text):
            assert piece.face.name.startswith("NotoSans-"), (piece.text, piece.face.name)


def test_punctuation_in_latin_text_stays_in_the_latin_face():
    for piece in pieces("They said “no”… — the homes stay · always.", "en"):
        assert piece.face.name == "NotoSans-Regular", piece.text


# --- breaking lines and cutting words ----------------------------------------------------------


@pytest.mark.parametrize("lang, word", [("th", "ประชาชน"), ("th", "ประชาธิปไตย"), ("hi", "विस्थापन"), ("ar", "المدينة"), ("ja", "ショッピング")])
def test_scripts_that_do_not_hyphenate_are_never_hyphenated(lang, word):
    assert break_points(word, lang) == ()


def test_latin_greek_and_cyrillic_still_hyphenate():
    for word, lang in (("demolitions", "en"), ("κατεδαφίσεις", "el"), ("принудительного", "ru")):
        assert any(hyphen for _position, hyphen in break_points(word, lang)), word


def test_a_justified_thai_leaflet_has_no_line_ending_in_a_hyphen():
    body = read_statement(DATA / "th.md").body[0].text
    paragraph = make_paragraph([(body, False, False)], role="text", where="t", lang="th", fonts=FONTS)
    thai = replace(style("justify", "th"), hyphenate=True)
    for width in range(60, 240, 6):
        for line in lines_of(flow([paragraph], [Frame(0, 5000, width, 5000)], 10, thai).runs):
            assert not line_text(line).rstrip().endswith("-"), (width, line_text(line))


# small kana and the long-vowel mark, which Japanese never starts a line with
_SMALL_KANA = "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー"


def test_japanese_lines_never_start_with_a_small_kana_or_a_long_vowel_mark():
    text = "ショッピングセンターでちょっとコーヒーを飲みながら、ニュースをチェックする。キャンペーンはフェスティバルのようだ。"
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang="ja", fonts=FONTS)
    for width in range(40, 200, 3):
        lines = [line_text(line) for line in lines_of(flow([paragraph], [Frame(0, 5000, width, 5000)], 10, style(lang="ja")).runs)]
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in _SMALL_KANA, (width, line)


@pytest.mark.parametrize("lang, word", [("km", "ពលរដ្ឋចេញសារក្សត្រ"), ("my", "သားများကျွန်ုပ်တို့မင်္ဂလာ"), ("th", "ลำบากน้ำใจ")])
def test_a_word_too_long_for_its_line_is_cut_only_between_clusters(lang, word):
    """A Khmer vowel sign stays with its consonant ("ច|េញ" never), a subscript consonant
    with its coeng, Myanmar ာ and း with the letter before them ("သ|ား" never)."""
    paragraph = make_paragraph([(word, False, False)], role="text", where="t", lang=lang, fonts=FONTS)
    cutting = replace(style(lang=lang), break_anywhere=True)
    allowed = set(cut_points(word))
    for width in range(30, 90, 3):
        lines = [line_text(line) for line in lines_of(flow([paragraph], [Frame(0, 5000, width, 5000)], 10, cutting).runs)]
        assert "".join(lines) == word, width
        at = 0
        for line in lines[:-1]:
            at += len(line)
            assert at in allowed, (width, lines)
            assert not unicodedata.category(word[at]).startswith("M")


def test_justified_thai_opens_room_only_at_its_spaces():
    """Thai words are broken by a dictionary, not by spaces: a justified line widens its
    spaces only, each by an em at most, and a line without one stays where lines start."""
    text = "".join(THAI_WORDS) + " " + "".join(THAI_WORDS) + "".join(THAI_WORDS)
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang="th", fonts=FONTS)
    frame = Frame(0, 5000, 120, 5000)
    lines = lines_of(flow([paragraph], [frame], 10, style("justify", "th")).runs)
    assert len(lines) > 3
    for line in lines[:-1]:
        room = [glyph for run in line for glyph in run.glyphs if glyph.text == "" and glyph.advance > 0.001]
        assert not room, line_text(line)  # no room opened between words without a space
        spaces = [glyph.advance for run in line for glyph in run.glyphs if glyph.text == " "]
        assert max(spaces, default=0) <= 1.3  # em: the space and an em at most
        if " " not in line_text(line).strip():
            assert min(run.x for run in line) == pytest.approx(frame.x)


# --- capitals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, capitals", [
    ("Στέγη, όχι κατεδαφίσεις!", "ΣΤΕΓΗ, ΟΧΙ ΚΑΤΕΔΑΦΙΣΕΙΣ!"),
    ("Μάιος", "ΜΑΪΟΣ"),  # the accent kept the vowels apart: a dialytika says so now
    ("προϊόν", "ΠΡΟΪΟΝ"),  # a dialytika stays
    ("παίζω", "ΠΑΙΖΩ"),
    ("στέγη ή κατεδάφιση", "ΣΤΕΓΗ Ή ΚΑΤΕΔΑΦΙΣΗ"),  # "or" keeps its accent
])
def test_greek_capitals_drop_their_accents(text, capitals):
    assert upper(text, "el") == capitals


def test_a_greek_headline_is_set_in_capitals_without_accents():
    paragraph = make_paragraph([("Στέγη, όχι κατεδαφίσεις!", False, False)], role="display", uppercase=True, where="t", lang="el", fonts=FONTS)
    assert " ".join(word.text for word in paragraph.words) == "ΣΤΕΓΗ, ΟΧΙ ΚΑΤΕΔΑΦΙΣΕΙΣ!"


def test_other_capitals_are_unchanged():
    assert upper("Housing, not demolitions!", "en") == "HOUSING, NOT DEMOLITIONS!"
    assert upper("istanbul", "tr") == "İSTANBUL"


# --- a character no font has ---------------------------------------------------------------------


def test_every_missing_character_is_named_in_one_sentence_with_where_the_first_is(tmp_path):
    path = tmp_path / "s.md"
    path.write_text(
        "---\ntitle: Homes\nurl: https://e.org\nslogans: [Homes now!]\n---\n\n"
        "Our homes stand.\n\nA raised fist ✊ for the tenants, a house 🏠, fire 🔥 ✊, peace ☮, a heart ❤️ and the earth 🌍.\n",
        encoding="utf-8",
    )
    with pytest.raises(MissingGlyphError) as caught:
        build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "(body, paragraph 2)" in message
    for named in ("'✊' (U+270A RAISED FIST)", "'🏠' (U+1F3E0 HOUSE BUILDING)", "'🔥' (U+1F525 FIRE)", "'☮' (U+262E PEACE SYMBOL)"):
        assert named in message
    assert "and 2 more" in message and "VARIATION" not in message  # ❤ and 🌍; U+FE0F is no character of its own
    assert "\u201cA raised fist ✊ for the tenants" in message  # where the first one is
    assert "--font PATH" in message
    assert not list(tmp_path.glob("*.pdf"))


def test_characters_missing_anywhere_in_the_statement_are_named_together(tmp_path):
    """Title, slogans and body at once: an organiser fixes them all in one go."""
    path = tmp_path / "s.md"
    path.write_text("---\ntitle: Homes ✊\nurl: https://e.org\nslogans: [Solidarity 🤝 forever!]\n---\n\n"
                    "First.\n\nA house 🏠 here.\n", encoding="utf-8")
    with pytest.raises(MissingGlyphError) as caught:
        build(path, BuildOptions(layouts=["a3-poster"]), out_dir=tmp_path)  # the poster prints no body: still named
    message = str(caught.value)
    assert "(title)" in message and "3 characters" in message
    for named in ("U+270A", "U+1F91D", "U+1F3E0"):
        assert named in message


# --- a face without a heavy weight, in a headline ---------------------------------------------------


def _text_shown_by_render_mode(path) -> dict[int, int]:
    """How many text-showing operators the page draws in each render mode (Tr)."""
    import pikepdf

    counts: dict[int, int] = {}
    mode = 0
    with pikepdf.open(path) as pdf:
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "Tr":
                mode = int(operands[0])
            elif str(operator) in ("Tj", "TJ", "'", '"'):
                counts[mode] = counts.get(mode, 0) + 1
    return counts


def test_a_chinese_or_japanese_headline_is_drawn_heavy_and_the_body_is_not(tmp_path):
    """Droid Sans Fallback has one weight: a CJK headline is outlined as well as filled
    (render mode 2) to stand beside the heavy Latin ones; reading text stays as it is."""
    path = tmp_path / "ja.md"
    path.write_text("---\ntitle: 住まいは権利だ\nurl: https://e.org/x\nlang: ja\nslogans: [強制退去をやめろ！]\n---\n\n"
                    "私たちは、住まいを奪う強制退去に反対します。\n", encoding="utf-8")
    poster, leaflet = build(path, BuildOptions(layouts=["a3-poster", "a4-leaflet"]), out_dir=tmp_path)
    assert _text_shown_by_render_mode(poster.path).get(2, 0) > 0
    body_only = tmp_path / "body.toml"
    body_only.write_text('[page]\nsize = "A5"\n[[block]]\nrole = "body"\narea = { x = "0%", y = "0%", w = "100%", h = "50%" }\n',
                         encoding="utf-8")
    (body,) = build(path, BuildOptions(layouts=[str(body_only)]), out_dir=tmp_path)
    assert _text_shown_by_render_mode(body.path).get(2, 0) == 0


def test_a_phone_number_or_a_date_is_never_broken_at_its_hyphens():
    from handbill.text.hyphenate import break_points

    assert break_points("0917-123-4567", "en") == ()
    assert break_points("2024-05-15", "ar") == ()
    assert (7, False) in break_points("ethnic-cleansing", "en")


def test_tight_display_leading_keeps_thai_marks_off_the_next_line():
    """A headline's 0.95 leading suits Latin capitals; Thai stacks tone marks over vowels
    above and vowels below, and its lines must not touch (ู merging with ่ reads as
    another word)."""
    paragraph = make_paragraph([("บ้านอยู่ใกล้ที่ทำงาน ใช่ไหม ผู้คนไม่ได้ถูกไล่รื้อ", False, False)], role="display", where="t", lang="th", fonts=FONTS)
    setting = flow([paragraph], [Frame(0, 1000, 300, 1000)], 40.0, replace(style(lang="th"), leading=0.95))
    baselines = sorted({round(run.y, 2) for run in setting.runs}, reverse=True)
    assert len(baselines) >= 2
    top, bottom = paragraph.ink_extent
    assert baselines[0] - baselines[1] >= (top - bottom) * 40.0


def test_brackets_round_latin_inside_arabic_stay_a_pair_around_it():
    """The bidi algorithm's rule N0: "(URC)" after a Latin name in an Arabic paragraph
    is drawn "(URC)", not "(Urban Rights Coalition (URC"."""
    from handbill.text.bidi import levels, visual_order

    text = "ائتلاف Urban Rights Coalition (URC) – ائتلاف"
    line_levels = levels(text, True)
    drawn = "".join(visual_order(list(text), line_levels))
    assert "(URC)" in drawn and "Urban Rights Coalition" in drawn
    arabic = "نحن (في غزة) هنا"  # brackets round Arabic take the paragraph's direction
    assert [level for char, level in zip(arabic, levels(arabic, True)) if char in "()"] == [1, 1]


def test_bold_japanese_in_the_body_is_drawn_heavier_than_the_rest(tmp_path):
    """One CJK weight: **bold** and headings would read like the rest; they are outlined."""
    path = tmp_path / "ja.md"
    path.write_text("---\ntitle: 住まいは権利だ\nurl: https://e.org/x\nlang: ja\n---\n\n私たちは、**政治的な決定**に反対します。\n",
                    encoding="utf-8")
    body_only = tmp_path / "body.toml"
    body_only.write_text('[page]\nsize = "A5"\n[[block]]\nrole = "body"\narea = { x = "0%", y = "0%", w = "100%", h = "50%" }\n',
                         encoding="utf-8")
    (built,) = build(path, BuildOptions(layouts=[str(body_only)]), out_dir=tmp_path)
    modes = _text_shown_by_render_mode(built.path)
    assert modes.get(2, 0) > 0 and modes.get(0, 0) > 0  # the bold phrase heavier, the rest as it is
