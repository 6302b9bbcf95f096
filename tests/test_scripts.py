"""Every language of the movement: fonts, fallback, shaping, right-to-left, line breaking.

The sample statements in tests/data/scripts/ (one per language, written for these tests)
are built into a leaflet and a poster, and the PDFs are read back: fonts embedded, text
extracted in reading order, glyphs compared with an independent HarfBuzz run, lines
rendered and compared with reference images.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from PIL import Image, ImageChops, ImageFilter
from readback import fonts as pdf_fonts
from readback import text as pdf_text

from handbill import fonts
from handbill.build import build
from handbill.composition import Composition, Metadata, Page, TextRun
from handbill.errors import InputError, MissingGlyphError
from handbill.layout import SizeRange
from handbill.render import render
from handbill.statement import read_statement
from handbill.text.scripts import is_rtl_char
from handbill.text.paragraph import make_paragraph
from handbill.text.typeset import Frame, TextStyle, fit, flow
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

DATA = Path(__file__).parent / "data" / "scripts"
SAMPLES = sorted(path.stem for path in DATA.glob("*.md"))
RTL = {"ar", "fa", "ur", "he"}
INK = (0.0, 0.0, 0.0, 1.0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("scripts")
    result: dict[str, dict[str, Path]] = {}
    for lang in SAMPLES:
        result[lang] = {b.layout: b.path for b in build(DATA / f"{lang}.md", BuildOptions(layouts=["a4-leaflet", "a3-poster"]), out_dir=out)}
    return result


def style(align: str = "left", lang: str = "en") -> TextStyle:
    return TextStyle(space_face=FONTS.primary("text"), color=INK, align=align, lang=lang)


def lines_of(runs: list[TextRun]) -> list[list[TextRun]]:
    """Runs grouped by baseline, top line first, each line's runs left to right."""
    by_y: dict[float, list[TextRun]] = {}
    for run in runs:
        by_y.setdefault(round(run.y, 2), []).append(run)
    return [sorted(by_y[y], key=lambda run: run.x) for y in sorted(by_y, reverse=True)]


def line_text(line: list[TextRun]) -> str:
    return "".join(run.text for run in line)


def run_width(run: TextRun) -> float:
    """How far the run's ink can reach: a trailing space draws nothing."""
    if run.glyphs:
        return sum(glyph.advance for glyph in run.glyphs) * run.size
    return FONTS.named(run.font).width(run.text.rstrip(), run.size)


def letters(text: str) -> str:
    """Only letters, marks and digits, NFKC: what must survive extraction whatever a
    reader does with spaces and line ends."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c)[0] in "LMN")


# where a viewer ends a line inside a paragraph: a line break, after the typesetter's
# hyphen, or pdfium's mark for a hyphen it took away (U+FFFE)
_LINE_END = r"(?:-?\r\n|\ufffe(?:\r\n)?)?"


def reads_in_order(expected: str, extracted: str) -> bool:
    """Whether `extracted` holds `expected` (NFC, whitespace normalised) character for
    character in reading order: the statement's spaces as any whitespace, and nothing
    else between two characters but a line end."""
    expected = " ".join(unicodedata.normalize("NFC", expected).split())
    pattern = "".join(r"\s+" if char == " " else re.escape(char) + _LINE_END for char in expected)
    return re.search(pattern, unicodedata.normalize("NFC", extracted)) is not None


# --- every language builds, with every font embedded --------------------------------------


def test_there_is_a_sample_in_every_script_the_issue_lists():
    assert {"fil", "id", "vi", "ru", "el", "ar", "fa", "ur", "he", "hi", "ne", "bn", "ta", "si",
            "th", "lo", "km", "my", "zh-Hans", "zh-Hant", "ja", "ko"} <= set(SAMPLES)


@pytest.mark.parametrize("lang", SAMPLES)
def test_a_leaflet_and_a_poster_build_in_every_language_with_every_font_embedded(built, lang):
    for layout in ("a4-leaflet", "a3-poster"):
        found = pdf_fonts(built[lang][layout])
        assert found and all(font.embedded for font in found), (layout, found)


@pytest.mark.parametrize("lang", SAMPLES)
def test_each_script_is_set_in_a_face_made_for_it(built, lang):
    """Per-run fallback: the statement's script has its own face in the PDF."""
    expected = {
        "ar": "Arabic", "fa": "Arabic", "ur": "Arabic", "he": "Hebrew", "hi": "Devanagari", "ne": "Devanagari",
        "bn": "Bengali", "ta": "Tamil", "si": "Sinhala", "th": "Thai", "lo": "Lao", "km": "Khmer",
        "my": "Myanmar", "zh-Hans": "DroidSansFallback", "zh-Hant": "DroidSansFallback",
        "ja": "DroidSansFallback", "ko": "NanumSquare",
    }.get(lang, "NotoSans-")
    names = [font.name for font in pdf_fonts(built[lang]["a4-leaflet"])]
    assert any(expected in name for name in names), names


# --- the text layer ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SAMPLES)
def test_the_extracted_text_is_the_statements_text_in_reading_order(built, lang):
    """Every paragraph, the title and the slogans come back from the text layer as a
    viewer extracts it, character for character in the order they are read: right to
    left scripts, marks, numbers and brackets included."""
    statement = read_statement(DATA / f"{lang}.md")
    leaflet = pdf_text(built[lang]["a4-leaflet"])
    for text in (statement.title, *statement.slogans, *(block.text for block in statement.body)):
        assert reads_in_order(text, leaflet), (text, leaflet)
    poster = pdf_text(built[lang]["a3-poster"])  # its headline is in capitals
    for slogan in statement.slogans:
        assert reads_in_order(slogan, poster), (slogan, poster)


def test_a_ligature_reads_back_as_its_letters(tmp_path):
    """Arabic lam-alef is one glyph for two letters; the text layer has both, in order."""
    path = tmp_path / "lam.md"
    path.write_text("---\ntitle: لا للحرب\nurl: https://e.org\nslogans: [لا للهدم]\n---\n\nلا للهدم، لا للحرب.\n", encoding="utf-8")
    [leaflet] = build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    assert reads_in_order("لا للهدم، لا للحرب.", pdf_text(leaflet.path))


# --- the glyphs drawn are HarfBuzz's --------------------------------------------------------


def _independent_glyph_ids(run: TextRun, lang: str | None) -> list[int]:
    face = FONTS.named(run.font)
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(face.path))))
    buffer = hb.Buffer()
    buffer.add_str(run.text.strip())
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if run.rtl else "ltr"
    if lang:
        buffer.language = lang
    hb.shape(font, buffer, {"kern": True, "liga": True})
    space = face.ttf.face.charToGlyph.get(32)
    return [info.codepoint for info in buffer.glyph_infos if info.codepoint != space]


def _glyph_ids(run: TextRun) -> list[int]:
    space = FONTS.named(run.font).ttf.face.charToGlyph.get(32)
    return [glyph.id for glyph in run.glyphs if glyph.id != space]


@pytest.mark.parametrize("lang", ["ar", "fa", "ur", "he", "hi", "ne", "bn", "ta", "si", "th", "lo", "km", "my", "ja", "ko"])
def test_glyph_ids_and_order_per_line_match_an_independent_harfbuzz_run(lang):
    statement = read_statement(DATA / f"{lang}.md")
    paragraph = make_paragraph([(statement.body[0].text, False, False)], role="text", where="test", lang=lang, fonts=FONTS)
    setting = flow([paragraph], [Frame(0, 1000, 220, 1000)], 10, style(lang=lang))
    shaped = [run for run in setting.runs if run.glyphs]
    assert shaped
    for run in shaped:
        ours = _glyph_ids(run)
        assert ours == _independent_glyph_ids(run, lang), run.text
        assert 0 not in ours  # never .notdef


@pytest.mark.parametrize("lang, text", [("ur", "۲۰۲۴ سے ۴۶۷ خاندان"), ("ne", "झण्डा ५८९ परिवार")])
def test_harfbuzz_is_told_the_language_and_picks_its_local_forms(lang, text):
    """Urdu digits and Nepali झ and ५ have forms of their own in the Noto faces, which
    HarfBuzz picks only when it knows the language."""
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang=lang, fonts=FONTS)
    runs = [run for run in flow([paragraph], [Frame(0, 1000, 500, 1000)], 10, style(lang=lang)).runs if run.glyphs]
    ours = [gid for run in runs for gid in _glyph_ids(run)]
    assert ours == [gid for run in runs for gid in _independent_glyph_ids(run, lang)]
    assert ours != [gid for run in runs for gid in _independent_glyph_ids(run, None)]  # the language told


def test_latin_takes_the_fast_path_without_shaping():
    paragraph = make_paragraph([("Housing, not demolitions! Kalinaw City, 2024.", False, False)], role="text", where="t", fonts=FONTS)
    setting = flow([paragraph], [Frame(0, 500, 300, 500)], 10, style())
    assert setting.runs and not any(run.glyphs for run in setting.runs)


# --- line breaking ----------------------------------------------------------------------------

_NO_LINE_START = "。、，．」』）！？：；・ーぁぃぅぇぉっゃゅょ!?)"


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "zh-Hant"])
def test_cjk_never_starts_a_line_with_a_closing_mark(lang):
    body = read_statement(DATA / f"{lang}.md").body[0].text
    paragraph = make_paragraph([(body, False, False)], role="text", where="t", lang=lang, fonts=FONTS)
    for width in range(60, 260, 7):  # many widths: many different breaks
        setting = flow([paragraph], [Frame(0, 5000, width, 5000)], 10, style("justify", lang))
        lines = [line_text(line) for line in lines_of(setting.runs)]
        assert letters("".join(lines)) == letters(body)
        for line in lines[1:]:
            assert line[0] not in _NO_LINE_START, (width, line)
        for line in lines[:-1]:
            assert line.rstrip()[-1] not in "「『（", (width, line)


THAI_WORDS = ["พวกเรา", "ชาว", "ชุมชน", "ขอ", "คัดค้าน", "การ", "ไล่", "รื้อ", "บ้าน", "เรือน", "ของ", "ประชาชน"]


def test_thai_breaks_only_between_words():
    text = "".join(THAI_WORDS)
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang="th", fonts=FONTS)
    for width in range(40, 200, 5):
        setting = flow([paragraph], [Frame(0, 5000, width, 5000)], 10, style(lang="th"))
        lines = [line_text(line).strip() for line in lines_of(setting.runs)]
        assert "".join(lines) == text
        position = 0
        for line in lines:  # every line is whole words
            words = []
            while position < len(THAI_WORDS) and len("".join(words)) < len(line):
                words.append(THAI_WORDS[position])
                position += 1
            assert "".join(words) == line, (width, line)


def test_korean_breaks_at_spaces_never_inside_a_word():
    body = read_statement(DATA / "ko.md").body[0].text
    paragraph = make_paragraph([(body, False, False)], role="text", where="t", lang="ko", fonts=FONTS)
    words = set(body.split())
    for width in range(80, 240, 9):
        setting = flow([paragraph], [Frame(0, 5000, width, 5000)], 10, style(lang="ko"))
        for line in lines_of(setting.runs):
            assert all(word in words for word in line_text(line).split()), line_text(line)


# --- right to left ------------------------------------------------------------------------------


def test_rtl_paragraphs_align_right_with_numbers_and_latin_left_to_right_inside():
    text = "نطالب منذ عام 2024 بوقف الهدم، كما قالت منظمة APAUPO في بيانها (الكامل) اليوم أمام المحكمة."
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang="ar", fonts=FONTS)
    assert paragraph.rtl
    frame = Frame(0, 1000, 160, 1000)
    setting = flow([paragraph], [frame], 10, style("left", "ar"))
    lines = lines_of(setting.runs)
    assert len(lines) >= 3
    for line in lines:  # the layout's "left" is where lines start: the right, in Arabic
        right = max(run.x + run_width(run) for run in line)
        assert right == pytest.approx(frame.x + frame.w, abs=0.05)
    runs = setting.runs
    year = next(run for run in runs if "2024" in run.text)
    assert not year.rtl and year.text.strip() == "2024"  # drawn left to right, in order
    latin = next(run for run in runs if "APAUPO" in run.text)
    assert not latin.glyphs and latin.text.strip() == "APAUPO"  # Latin, drawn left to right
    # logical order, right to left: the word before APAUPO ("منظمة") stands to its right
    line = next(line for line in lines if latin in line)
    arabic_before = [run for run in line if run.rtl and "منظمة" in run.text]
    assert arabic_before and arabic_before[0].x > latin.x


def test_rtl_justified_lines_fill_the_line_and_the_last_line_sits_right():
    text = " ".join(["نطالب بوقف الهدم فورا وبسكن لائق لكل عائلة في المدينة"] * 3)
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang="ar", fonts=FONTS)
    frame = Frame(0, 1000, 150, 1000)
    lines = lines_of(flow([paragraph], [frame], 10, style("justify", "ar")).runs)
    for line in lines:
        right = max(run.x + run_width(run) for run in line)
        assert right == pytest.approx(frame.w, abs=0.05)
    for line in lines[:-1]:
        assert min(run.x for run in line) == pytest.approx(0, abs=0.05)


def test_brackets_in_rtl_text_are_mirrored():
    paragraph = make_paragraph([("حي الكرامة (شمال)", False, False)], role="text", where="t", lang="ar", fonts=FONTS)
    runs = sorted(flow([paragraph], [Frame(0, 100, 400, 100)], 10, style()).runs, key=lambda run: run.x)
    # drawn left to right, the leftmost bracket closes the logical text: the closing
    # bracket's glyph is the opening one's shape, mirrored, and the other way round
    drawn = []
    for run in runs:
        cmap = FONTS.named(run.font).ttf.face.charToGlyph
        drawn += ["(" if g.id == cmap.get(40) else ")" for g in run.glyphs if g.id in (cmap.get(40), cmap.get(41))]
    assert drawn == ["(", ")"]
    assert [run.text.strip() for run in runs if run.text.strip() in "()"] == [")", "("]


# --- missing glyphs and added fonts ---------------------------------------------------------------


def test_a_missing_glyph_names_the_character_its_code_where_it_is_and_how_to_add_a_font(tmp_path):
    path = tmp_path / "s.md"
    path.write_text("---\ntitle: Homes\nurl: https://e.org\n---\n\nA raised fist ✊ for the tenants.\n", encoding="utf-8")
    with pytest.raises(MissingGlyphError) as caught:
        build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    message = str(caught.value)
    assert "'✊'" in message and "U+270A" in message and "RAISED FIST" in message
    assert str(path) in message and "(body, paragraph 1)" in message and "for the tenants" in message
    assert "--font PATH" in message and "\n" not in message
    assert not list(tmp_path.glob("*.pdf"))


def test_a_font_added_with_font_joins_the_end_of_every_chain(tmp_path):
    extra = fonts.fonts_dir() / "noto-sans-thai" / "NotoSansThai-Regular.ttf"
    with_extra = FONTS.with_files([extra])
    for role in ("text", "display"):
        assert with_extra.chain(role)[-1].path == extra.resolve()
        assert with_extra.chain(role)[:-1] == FONTS.chain(role)
    # a value: the bundled set is as it was, and adding the same file again changes nothing
    assert all(face.path != extra.resolve() for face in FONTS.chain("display"))
    assert with_extra.with_files([extra]) == with_extra


def test_a_font_that_is_not_truetype_is_a_one_line_error(tmp_path):
    bogus = tmp_path / "font.ttf"
    bogus.write_bytes(b"OTTO not really a font")
    with pytest.raises(InputError, match=r"font\.ttf: not a TrueType font handbill can embed"):
        FONTS.with_files([bogus])
    with pytest.raises(InputError, match="no such font file"):
        FONTS.with_files([tmp_path / "missing.ttf"])


def test_a_folder_given_as_a_font_is_called_a_folder(tmp_path, capsys):
    """`--font ~/fonts` said "no such font file", of a folder that is plainly there."""
    from handbill.cli import main

    from conftest import SAMPLE

    with pytest.raises(InputError, match=r"is a folder, not a font file; give the path of a \.ttf file in it"):
        FONTS.with_files([tmp_path])
    assert main(["build", str(SAMPLE), "--font", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"handbill: error: {tmp_path}: is a folder, not a font file; give the path of a .ttf file in it")


# --- bilingual -------------------------------------------------------------------------------------


def test_the_bilingual_poster_sets_title_and_slogans_in_both_languages(tmp_path):
    path = tmp_path / "bi.md"
    path.write_text(
        "---\ntitle: Free Palestine\nurl: https://e.org/p\nlang: fil\nslogans:\n  - Itigil ang digmaan!\n"
        "translation:\n  lang: ar\n  title: الحرية لفلسطين\n  slogans:\n    - أوقفوا الحرب الآن!\n---\n\nTigil-putukan na.\n",
        encoding="utf-8",
    )
    [poster] = build(path, BuildOptions(layouts=["a3-poster-bilingual"]), out_dir=tmp_path)
    extracted = pdf_text(poster.path)
    for text in ("Free Palestine", "Itigil ang digmaan!"):
        assert letters(text) in letters(extracted)
    for text in ("الحرية لفلسطين", "أوقفوا الحرب الآن!"):
        assert reads_in_order(text, extracted), (text, extracted)
    assert not [notice for notice in poster.notices if "translat" in str(notice)]


def test_a_translation_needs_its_language_and_title(tmp_path):
    path = tmp_path / "bi.md"
    path.write_text("---\ntitle: T\ntranslation:\n  title: عنوان\n---\n\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"translation: 'lang' is missing"):
        read_statement(path)


def test_lang_sets_the_direction_of_a_paragraph_that_opens_with_a_latin_name():
    text = "APAUPO تطالب بوقف الهدم"
    assert not make_paragraph([(text, False, False)], role="text", where="t", lang="en", fonts=FONTS).rtl
    assert make_paragraph([(text, False, False)], role="text", where="t", lang="ar", fonts=FONTS).rtl


# --- what the lines look like ---------------------------------------------------------------------

REFERENCE_LINES = {
    "arabic": ("ar", "الحرية لفلسطين، أوقفوا الحرب الآن"),
    "devanagari": ("hi", "आवास हमारा अधिकार है, बुलडोज़र बंद करो"),
    "thai": ("th", "พวกเราขอคัดค้านการไล่รื้อบ้านเรือน"),
    "japanese": ("ja", "住まいは権利だ。強制退去をやめろ！"),
}


def _render_line(lang: str, text: str, x: float = 10) -> Image.Image:
    paragraph = make_paragraph([(text, False, False)], role="text", where="t", lang=lang, fonts=FONTS)
    setting = fit([paragraph], [Frame(x, 50, 400, 40)], SizeRange(20, 20), style("left", lang))
    page = Page(tuple(setting.runs))
    composition = Composition(420, 60, 0.0, (page,), Metadata("line", "test", "line", lang))
    document = pdfium.PdfDocument(render(composition, fonts=FONTS))
    try:
        return document[0].render(scale=2).to_pil().convert("L")
    finally:
        document.close()


# One wrong glyph (a nukta missing, a Thai vowel sign changed) differs from the reference
# by 70 and more in some 5 x 5 pixel square; the same line drawn a fraction of a point
# aside, every glyph snapped to other pixels, by 35 at most.
_MOST_DIFFERENT = 50


def local_difference(image: Image.Image, reference: Image.Image) -> int:
    """The largest mean difference (0-255) between the two images over any 5 x 5 pixel
    square, each square matched within a pixel: blind to anti-aliasing and to a glyph
    snapped one pixel aside, not to one wrong glyph, which a whole-image mean averages
    away (a missing nukta moves the mean of this line by 0.03)."""
    closest = None
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            moved = ImageChops.offset(image, dx, dy)
            difference = ImageChops.difference(moved, reference).filter(ImageFilter.BoxBlur(2))
            closest = difference if closest is None else ImageChops.darker(closest, difference)
    return closest.getextrema()[1]


def _reference(name: str) -> Image.Image:
    return Image.open(DATA / f"line-{name}.png").convert("L")


@pytest.mark.parametrize("name", sorted(REFERENCE_LINES))
def test_a_line_renders_like_its_reference_image(name):
    lang, text = REFERENCE_LINES[name]
    image = _render_line(lang, text)
    reference_path = DATA / f"line-{name}.png"
    if not reference_path.exists():  # written once, checked by eye, committed
        image.save(reference_path)
        pytest.fail(f"{reference_path.name} written: look at it, and commit it if the line is right")
    reference = _reference(name)
    assert image.size == reference.size
    ink = sum(image.histogram()[:128])
    assert ink > 500  # the line is there
    assert local_difference(image, reference) < _MOST_DIFFERENT


# each reference line with one character changed
ALTERED_LINES = {
    "arabic": "الحرية لفلسطين، أوقفوا الحرب الان",  # آ -> ا
    "devanagari": "आवास हमारा अधिकार है, बुलडोजर बंद करो",  # ज़ -> ज: the nukta
    "thai": "พวกเราขอคัดค้านการไล่รื้อบ้านเรีอน",  # ื -> ี
    "japanese": "住まいは権利だ。強制退去をやめる！",  # ろ -> る
}


@pytest.mark.parametrize("name", sorted(ALTERED_LINES))
def test_the_reference_image_comparison_sees_one_wrong_character(name):
    lang, _text = REFERENCE_LINES[name]
    assert local_difference(_render_line(lang, ALTERED_LINES[name]), _reference(name)) >= _MOST_DIFFERENT


def test_the_reference_image_comparison_forgives_a_line_a_fraction_of_a_point_aside():
    lang, text = REFERENCE_LINES["thai"]
    assert local_difference(_render_line(lang, text, x=10.2), _reference("thai")) < _MOST_DIFFERENT


def test_an_rtl_bullet_hangs_on_the_right():
    paragraph = make_paragraph([("وقف الهدم فورا", False, False)], role="text", kind="bullet", where="t", lang="ar", fonts=FONTS)
    frame = Frame(0, 100, 300, 100)
    runs = flow([paragraph], [frame], 10, style("left", "ar")).runs
    bullet = next(run for run in runs if run.text.strip() == "\u2022")
    words = [run for run in runs if run is not bullet]
    assert bullet.x > max(run.x + run_width(run) for run in words)
    assert bullet.x + run_width(bullet) == pytest.approx(frame.w, abs=0.05)


def test_the_qr_caption_can_be_in_the_statements_own_language(tmp_path):
    path = tmp_path / "ar.md"
    path.write_text("---\ntitle: الحرية لفلسطين\nurl: https://e.org/p\nlang: ar\nslogans: [أوقفوا الحرب الآن!]\n"
                    "qr_caption: اقرأ البيان كاملاً\n---\n\nنحن نقف مع الشعب الفلسطيني.\n", encoding="utf-8")
    [leaflet] = build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    extracted = pdf_text(leaflet.path)
    assert "اقرأ البيان كاملاً" in extracted and "Read the full statement" not in extracted


@pytest.mark.parametrize("slogan", ["350 אנחנו, भत्काउने!", "۳۵۰ 2024, نطالب!", "сноса تک!"])
def test_huge_right_to_left_slogans_pass_the_builds_own_preflight(tmp_path, slogan):
    """Found by fuzzing: "350 " (Latin) or "۳۵۰ " (shaped) at the right end of a
    right-to-left line drew its trailing space past the trim; and the preflight took a
    322 pt Arabic line to reach half an em below its baseline (the whole font's descent,
    not the glyphs used), past the trim. Either way the build refused its own file."""
    path = tmp_path / "rtl.md"
    path.write_text(f"---\ntitle: Homes\nslogans: [\"{slogan}\"]\n---\n\nBody.\n", encoding="utf-8")
    [placard] = build(path, BuildOptions(layouts=["a3-placard"]), out_dir=tmp_path)
    assert placard.path.exists()


@pytest.mark.parametrize("plain, marked", [
    ("Stop the war! Paris, Berlin and Rome march on Saturday.",
     "Stop\u200e the war!\u200e Paris,\u200e Berlin and\u200e Rome march on Saturday.\u200e"),
    ("شعارنا: Stop the war! نسير يوم السبت.",
     "شعارنا: \u200eStop the war\u200e! نسير\u200f يوم\u061c السبت.\u200f"),
])
def test_bidi_marks_steer_the_algorithm_and_leave_no_ink(tmp_path, plain, marked):
    """LRM, RLM and ALM, as Word and web pages leave them: the page is the same, pixel for pixel."""
    pages = []
    for name, body in (("plain", plain), ("marked", marked)):
        folder = tmp_path / name
        folder.mkdir()
        mark = "\u200e" if name == "marked" else ""  # and in the title, the headline, a slogan
        (folder / "s.md").write_text(f"---\ntitle: Title{mark}\nurl: https://example.org/s\nslogans: [\"{mark}Go!\"]\n---\n"
                                     f"{body}\n", encoding="utf-8")
        (pdf,) = build(folder / "s.md", BuildOptions(layouts=["a4-leaflet"]), out_dir=folder)
        document = pdfium.PdfDocument(pdf.path)
        pages.append(document[0].render(scale=1).to_pil().convert("L"))
        document.close()
    assert ImageChops.difference(*pages).getbbox() is None


def test_a_bidi_mark_steers_the_levels_as_the_strong_letter_it_stands_for():
    from handbill.text.bidi import levels

    text = "شعارنا: Stop the war!"
    assert levels(text, True)[-1] == 1  # between "war" and the paragraph's end: right to left
    assert levels(text + "\u200e", True)[-2] == 2  # an LRM after it keeps it with the English
    assert levels("Stop the war!\u200f", False)[-2] == 0 and levels("Stop the war!\u200f", False)[-1] == 1


def _leaflet_page(folder: Path, body: str):
    folder.mkdir()
    (folder / "s.md").write_text(f"---\ntitle: Title\nurl: https://example.org/s\n---\n{body}\n", encoding="utf-8")
    (pdf,) = build(folder / "s.md", BuildOptions(layouts=["a4-leaflet"]), out_dir=folder)
    document = pdfium.PdfDocument(pdf.path)
    page = document[0].render(scale=1).to_pil().convert("L")
    document.close()
    return page


def test_an_isolate_keeps_english_in_order_inside_arabic_and_is_never_drawn(tmp_path):
    """'شعارنا: ⁦Stop the war!⁩' prints "Stop the war!" in its order, the '!' at its end, as an
    LRM after the '!' prints it; without either the '!' goes to the Arabic side."""
    isolated = _leaflet_page(tmp_path / "isolate", "شعارنا: \u2066Stop the war!\u2069")
    marked = _leaflet_page(tmp_path / "mark", "شعارنا: Stop the war!\u200e")
    plain = _leaflet_page(tmp_path / "plain", "شعارنا: Stop the war!")
    assert ImageChops.difference(isolated, marked).getbbox() is None
    assert ImageChops.difference(isolated, plain).getbbox() is not None


def test_explicit_embeddings_overrides_and_isolates_set_the_levels():
    from handbill.text.bidi import levels

    text = "شعارنا: \u2066Stop the war!\u2069"
    assert levels(text, True)[text.index("S"):text.index("!") + 1] == [2] * len("Stop the war!")
    assert levels("a\u202ebc\u202cd", False) == [0, 0, 1, 1, 1, 0]  # an override: "bc" drawn right to left
    assert levels("x \u2067abc def\u2069 y", False) == [0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0]
    assert levels("\u2068שלום\u2069 abc", False) == [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]  # FSI: by its first letter
    assert levels("a\u202bb c\u202cd", False) == [0, 0, 2, 2, 2, 2, 0]  # an embedding: Latin one level up
