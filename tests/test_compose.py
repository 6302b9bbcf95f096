"""Composition, checked on plain data (no PDF): no text leaves its box, body text is
100 % K at the largest size that fits, every word is placed in order, and text that does
not fit is an error that says how much, or continues where the layout says."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE
from handbill.compose import OFFICE_MARGIN, Geometry, _Composer, compose
from handbill.composition import Line, Polygon, Rect, TextRun
from handbill.errors import InputError, TooLongError
from handbill.layout import bundled_layouts, find_layout, load_layout, retarget
from handbill.statement import read_statement
from handbill.text.typeset import flow
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

EPS = 0.05  # pt
TEXT_ROLES = {"headline", "subtitle", "body", "slogans", "excerpt", "text", "footer", "qr", "event"}

WORDS = (
    "the families along the river have lived and worked here for generations paying rent "
    "water and light while the council planned a car park without asking anyone who would "
    "lose a home neighbours teachers drivers and cooks stand together demanding housing "
    "nearby public contracts and an honest meeting at an hour when working people can come"
).split()


def body_text(words: int) -> str:
    """`words` words in paragraphs of about 60, each starting with its number so order shows."""
    paragraphs, count, number = [], 0, 0
    while count < words:
        number += 1
        size = min(60, words - count)
        chosen = [f"Paragraph{number}"] + [WORDS[(count + i) % len(WORDS)] for i in range(size - 1)]
        paragraphs.append(" ".join(chosen) + ".")
        count += size
    # the Markdown a statement has: a heading, a bullet list, bold and italic
    extra = ["## What we ask", "- stop every eviction on the east bank;\n- publish the *contract* for the car park;\n- meet the residents in public.",
             "We will gather on **Saturday at ten** on the bridge."]
    return "\n\n".join(paragraphs[:1] + extra + paragraphs[1:])


def statement_file(tmp_path, words: int = 250, *, url: bool = True, subtitle: bool = False, slogans=None):
    slogans = ["Homes, not rubble!", "The river is ours too!", "Housing is a right!"] if slogans is None else slogans
    front = ["title: Homes Along the River Stay!", "organisation: Riverside Tenants' Union", "date: 2025-05-01"]
    if subtitle:
        front.append("subtitle: No evictions without a place to live")
    if url:
        front.append("url: https://example.org/statements/river-homes")
    if slogans:
        front.append("slogans:\n" + "\n".join(f"  - {s}" for s in slogans))
    front.append("excerpt: Three hundred families have been told to leave by the end of the month.")
    path = tmp_path / f"river-{words}.md"
    path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + body_text(words) + "\n", encoding="utf-8")
    return path


def statement(tmp_path, words: int = 250, **options):
    return read_statement(statement_file(tmp_path, words, **options))


def run_extent(run: TextRun) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the run's ink, in points."""
    face = FONTS.named(run.font)
    text = run.text.rstrip()
    width = sum(g.advance for g in run.glyphs) * run.size if run.glyphs else face.width(text, run.size)
    top, bottom = face.ink_extent(text) if text else (0.0, 0.0)
    return run.x, run.y + bottom * run.size, run.x + width, run.y + top * run.size


def text_boxes(layout, geometry, page_number):
    return [
        (block, geometry.place(block.area))
        for block in layout.blocks
        if block.role in TEXT_ROLES and (layout.repeat or block.page == page_number)
    ]


def containing(run, boxes):
    left, bottom, right, top = run_extent(run)
    return [
        block
        for block, box in boxes
        if left >= box.x - EPS and right <= box.right + EPS and bottom >= box.y - EPS and top <= box.top + EPS
    ]


def runs_of(page):
    return [item for item in page.items if isinstance(item, TextRun)]


def body_runs(layout, geometry, composition):
    runs = []
    for number, page in enumerate(composition.pages, 1):
        boxes = [(b, box) for b, box in text_boxes(layout, geometry, number) if b.role == "body"]
        runs.extend(run for run in runs_of(page) if containing(run, boxes))
    return runs


def letters(text: str) -> str:
    """The text without spaces, hyphens and bullets: what must survive line breaking."""
    return re.sub(r"[\s\-\u2022]", "", text)


# --- no text leaves its box ------------------------------------------------------------

LAYOUTS = [layout.name for layout in bundled_layouts()]  # every one, as it ships


@pytest.mark.parametrize("office", [False, True], ids=["print", "office"])
@pytest.mark.parametrize("name", LAYOUTS)
def test_no_text_leaves_its_blocks_area(tmp_path, name, office):
    layout = find_layout(name)
    geometry = Geometry.of(layout, office)
    words = 60 if "a6" in name or "a5" in name else 250
    composition = compose(statement(tmp_path, words), layout, office=office, fonts=FONTS)
    for number, page in enumerate(composition.pages, 1):
        boxes = text_boxes(layout, geometry, number)
        for run in runs_of(page):
            assert containing(run, boxes), f"{name} page {number}: {run.text!r} at {run_extent(run)} is outside every text block"


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_text_size_is_within_its_blocks_range(tmp_path, name):
    layout = find_layout(name)
    geometry = Geometry.of(layout, False)
    words = 60 if "a6" in name or "a5" in name else 250
    composition = compose(statement(tmp_path, words), layout, fonts=FONTS)
    for number, page in enumerate(composition.pages, 1):
        boxes = text_boxes(layout, geometry, number)
        for run in runs_of(page):
            ranges = [(min(6.0, b.size.min) if b.role == "qr" else b.size.min, b.size.max) for b in containing(run, boxes)]
            assert any(low - 1e-6 <= run.size <= high + 1e-6 for low, high in ranges), (run.text, run.size, ranges)


def test_body_text_is_100_percent_black(tmp_path):
    layout = find_layout("a4-leaflet")
    composition = compose(statement(tmp_path), layout, fonts=FONTS)
    runs = body_runs(layout, Geometry.of(layout, False), composition)
    assert runs
    assert {run.color for run in runs} == {(0.0, 0.0, 0.0, 1.0)}


# --- the body: the largest size that fits, every word, in order -------------------------


@pytest.mark.parametrize("words", [250, 900])
def test_the_body_is_set_at_the_largest_size_that_fits(tmp_path, words):
    layout = find_layout("a4-leaflet")
    geometry = Geometry.of(layout, False)
    the_statement = statement(tmp_path, words)
    composition = compose(the_statement, layout, fonts=FONTS)
    block = layout.blocks_with_role("body")[0]
    sizes = {run.size for run in body_runs(layout, geometry, composition)}
    assert len(sizes) == 1
    size = sizes.pop()
    assert block.size.min <= size <= block.size.max
    if size < block.size.max:
        composer = _Composer(the_statement, layout, geometry, [], FONTS)
        paragraphs = composer.body_paragraphs(block)
        frames, _owners = composer.columns(layout.blocks_with_role("body"))
        style = composer.style(block)
        assert flow(paragraphs, frames, size, style).fits
        assert not flow(paragraphs, frames, round(size + 0.1, 1), style).fits
    else:
        assert words == 250, "a long body should not reach the largest size"


@pytest.mark.parametrize(("name", "words"), [("a4-leaflet", 250), ("a4-leaflet", 900), ("a4-leaflet-2sided", 1800)])
def test_every_word_of_the_body_is_placed_in_order(tmp_path, name, words):
    layout = find_layout(name)
    the_statement = statement(tmp_path, words)
    composition = compose(the_statement, layout, fonts=FONTS)
    placed = "".join(run.text for run in body_runs(layout, Geometry.of(layout, False), composition))
    written = "".join(span.text for block in the_statement.body for span in block.spans)
    assert letters(placed) == letters(written)


def test_a_body_too_long_says_how_many_words_did_not_fit(tmp_path):
    with pytest.raises(TooLongError) as caught:
        compose(statement(tmp_path, 3000), find_layout("a4-leaflet"), fonts=FONTS)
    message = str(caught.value)
    counted = re.search(r"(\d+) of (\d+) words", message)
    assert counted, message
    left, total = int(counted[1]), int(counted[2])
    assert total >= 3000 and 0 < left < total, message
    assert "a4-leaflet-2sided" in message  # where it could continue
    assert "\n" not in message


def test_the_two_sided_leaflet_has_a_back_only_when_the_text_needs_it(tmp_path):
    layout = find_layout("a4-leaflet-2sided")
    assert len(compose(statement(tmp_path, 250), layout, fonts=FONTS).pages) == 1
    long = compose(statement(tmp_path, 1800), layout, fonts=FONTS)
    assert len(long.pages) == 2
    assert runs_of(long.pages[1])


def test_a_body_too_long_even_for_the_back_is_an_error(tmp_path):
    with pytest.raises(TooLongError, match=r"\d+ of \d+ words"):
        compose(statement(tmp_path, 6000), find_layout("a4-leaflet-2sided"), fonts=FONTS)


# --- placards -----------------------------------------------------------------------------


def test_a_placard_has_one_page_per_slogan(tmp_path):
    slogans = ["Homes, not rubble!", "The river is ours too!", "Housing is a right!", "No evictions!"]
    composition = compose(statement(tmp_path, slogans=slogans), find_layout("a3-placard"), fonts=FONTS)
    assert len(composition.pages) == 4
    for page, slogan in zip(composition.pages, slogans):
        assert letters(" ".join(run.text for run in runs_of(page))) == letters(slogan.upper())


def test_a_placard_without_slogans_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="slogans") as refused:
        compose(statement(tmp_path, slogans=[]), find_layout("a3-placard"), fonts=FONTS)
    assert refused.value.problem.code == "nothing-for-block"


# --- print and office geometry -------------------------------------------------------------


def test_shapes_touching_the_trim_run_3mm_into_the_bleed(tmp_path):
    layout = find_layout("a4-leaflet")
    composition = compose(statement(tmp_path), layout, fonts=FONTS)
    bleed = 3 * 72 / 25.4
    band = next(item for item in composition.pages[0].items if isinstance(item, Rect))
    assert composition.bleed == pytest.approx(bleed)
    assert band.x == pytest.approx(-bleed)
    assert band.x + band.w == pytest.approx(composition.width + bleed)
    assert band.y + band.h == pytest.approx(composition.height + bleed)
    assert band.y > 0  # its lower edge is inside the page: it stays where the layout put it


def item_extent(item):
    if isinstance(item, TextRun):
        return run_extent(item)
    if isinstance(item, Rect):
        return item.x, item.y, item.x + item.w, item.y + item.h
    if isinstance(item, Line):
        return min(item.x1, item.x2), min(item.y1, item.y2), max(item.x1, item.x2), max(item.y1, item.y2)
    if isinstance(item, Polygon):
        xs = [x for contour in item.contours for x, _y in contour]
        ys = [y for contour in item.contours for _x, y in contour]
        return min(xs), min(ys), max(xs), max(ys)
    raise AssertionError(f"unexpected item {type(item).__name__}")


@pytest.mark.parametrize("name", ["a4-leaflet", "a3-poster", "a3-placard"])
def test_office_mode_keeps_every_item_5mm_inside_the_trim(tmp_path, name):
    composition = compose(statement(tmp_path), find_layout(name), office=True, fonts=FONTS)
    assert composition.bleed == 0
    for page in composition.pages:
        for item in page.items:
            left, bottom, right, top = item_extent(item)
            assert left >= OFFICE_MARGIN - EPS and bottom >= OFFICE_MARGIN - EPS, item
            assert right <= composition.width - OFFICE_MARGIN + EPS, item
            assert top <= composition.height - OFFICE_MARGIN + EPS, item


# --- optional blocks ----------------------------------------------------------------------

LAYOUT = """\
name = "small"
description = "a layout written by the tests"

[page]
size = "A4"

[[block]]
role = "headline"
area = {{ x = "0%", y = "0%", w = "100%", h = "15%" }}

[[block]]
role = "subtitle"
area = {{ x = "0%", y = "16%", w = "100%", h = "6%" }}

[[block]]
role = "body"
area = {{ x = "0%", y = "25%", w = "100%", h = "50%" }}

[[block]]
role = "qr"
area = {{ x = "70%", y = "80%", w = "30%", h = "20%" }}
{qr}
"""


def small_layout(tmp_path, qr: str = ""):
    path = tmp_path / "small.toml"
    path.write_text(LAYOUT.format(qr=qr), encoding="utf-8")
    return load_layout(path)


def test_an_optional_qr_without_a_url_is_left_out_with_a_notice(tmp_path):
    composition = compose(statement(tmp_path, 100, url=False), small_layout(tmp_path, "optional = true"), fonts=FONTS)
    assert not any(isinstance(item, Polygon) for item in composition.pages[0].items)
    assert any(n.code == "left-out" and "(qr)" in n.where and "no url" in n.message for n in composition.notices), composition.notices


def test_a_required_qr_without_a_url_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        compose(statement(tmp_path, 100, url=False), small_layout(tmp_path), fonts=FONTS)
    problem = caught.value.problem
    assert (problem.code, problem.where) == ("nothing-for-block", "small block 4 (qr)")
    assert problem.fix.startswith("add 'url: https://…' to its front matter")
    assert "\n" not in str(caught.value)


def test_a_plain_text_statement_without_a_url_is_told_to_pass_url(tmp_path):
    path = tmp_path / "call.txt"
    path.write_text("We stand together.\n\nHomes now!\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pass --url https://… \(a \.txt has no front matter\)"):
        compose(read_statement(path), small_layout(tmp_path), fonts=FONTS)


def test_a_qr_with_a_url_is_placed(tmp_path):
    composition = compose(statement(tmp_path, 100), small_layout(tmp_path), fonts=FONTS)
    assert any(isinstance(item, Polygon) for item in composition.pages[0].items)
    texts = " ".join(run.text for run in runs_of(composition.pages[0]))
    assert "example.org/statements/river-homes" in texts.replace(" ", "")


def test_a_statement_without_a_subtitle_leaves_the_optional_block_out_quietly(tmp_path):
    """Nothing of the statement is lost, so no notice on every build."""
    composition = compose(statement(tmp_path, 100, subtitle=False), small_layout(tmp_path), fonts=FONTS)
    assert not any("subtitle" in str(notice) for notice in composition.notices), composition.notices


def test_a_present_subtitle_is_printed_without_a_notice(tmp_path):
    composition = compose(statement(tmp_path, 100, subtitle=True), small_layout(tmp_path), fonts=FONTS)
    assert not composition.notices
    texts = " ".join(run.text for run in runs_of(composition.pages[0]))
    assert "No evictions without a place to live" in texts


# --- headlines ----------------------------------------------------------------------------


def test_a_headline_too_long_for_its_area_says_how_much_did_not_fit(tmp_path):
    title = " ".join(["Homes along the river stay"] * 30)
    the_statement = read_statement(statement_file(tmp_path, 100), title=title)
    with pytest.raises(TooLongError) as caught:
        compose(the_statement, small_layout(tmp_path), fonts=FONTS)
    message = str(caught.value)
    assert "headline" in message and re.search(r"\d+ of 150 words are left over", message), message
    assert "\n" not in message


def test_a_word_too_wide_for_the_headline_is_named(tmp_path):
    word = "Riverbankhousingrightsforeveryfamilyandeveryneighbourhood"
    the_statement = read_statement(statement_file(tmp_path, 100), title=f"Stop {word}")
    with pytest.raises(TooLongError, match=f"\u201c{word}\u201d is too wide"):
        compose(the_statement, small_layout(tmp_path), fonts=FONTS)


def test_the_same_statement_and_layout_give_the_same_composition(tmp_path):
    the_statement, layout = statement(tmp_path, 400), find_layout("a4-leaflet")
    assert compose(the_statement, layout, fonts=FONTS) == compose(the_statement, layout, fonts=FONTS)


# --- blocks that would print over each other are refused -----------------------------

OVERLAP_LAYOUT = '''
name = "overlap"
[page]
size = "A5"
margin = "10mm"
{blocks}
'''


def block(role: str, y: str, h: str, w: str = "100%", **extra: str) -> str:
    keys = "".join(f'{key} = "{value}"\n' for key, value in extra.items())
    return f'[[block]]\nrole = "{role}"\narea = {{ x = "0%", y = "{y}", w = "{w}", h = "{h}" }}\n{keys}'


def compose_layout(tmp_path, *blocks: str):
    path = tmp_path / "overlap.toml"
    path.write_text(OVERLAP_LAYOUT.format(blocks="\n".join(blocks)), encoding="utf-8")
    return load_layout(path)


def compose_with(tmp_path, *blocks: str):
    return compose(statement(tmp_path), compose_layout(tmp_path, *blocks), fonts=FONTS)


def test_two_text_blocks_sharing_part_of_the_page_are_refused_naming_both(tmp_path):
    with pytest.raises(InputError, match=r"overlaps block 1 \(headline\) by \d+ x \d+ mm on A5") as refused:
        compose_with(tmp_path, block("headline", "0%", "30%"), block("slogans", "20%", "30%"))
    problem = refused.value.problem
    assert problem.code == "blocks-overlap" and problem.where.endswith("overlap.toml: block 2 (slogans)")


def test_a_shape_drawn_over_the_qr_code_is_refused(tmp_path):
    """It would eat into the quiet zone: the code might not scan."""
    with pytest.raises(InputError, match=r"block 3 \(shape\) is drawn over block 2 \(qr\)") as refused:
        compose_with(tmp_path, block("headline", "0%", "30%"), block("qr", "60%", "40%"),
                     block("shape", "70%", "30%", fill="ink"))
    assert refused.value.problem.code == "blocks-overlap" and "put the shape first" in refused.value.problem.fix


def test_a_shape_beneath_text_is_a_background_and_welcome(tmp_path):
    result = compose_with(tmp_path, block("shape", "0%", "40%", fill="ink"), block("headline", "0%", "30%", color="paper"))
    assert any(isinstance(item, TextRun) for item in result.pages[0].items)


def test_areas_in_mm_and_percent_that_meet_on_bigger_paper_are_refused_there(tmp_path):
    """% areas move with --paper, mm areas do not: on A2 the excerpt reaches the slogans."""
    path = tmp_path / "mixed.toml"
    path.write_text(OVERLAP_LAYOUT.format(blocks="\n".join([
        block("headline", "0%", "20%"), block("excerpt", "25%", "40%"), block("slogans", "130mm", "30mm"),
    ])), encoding="utf-8")
    layout = load_layout(path)
    compose(statement(tmp_path), layout, fonts=FONTS)  # on A5 the slogans sit below the excerpt
    with pytest.raises(InputError, match=r"block 3 \(slogans\) overlaps block 2 \(excerpt\) .* on A2"):
        compose(statement(tmp_path), retarget(layout, "A2"), fonts=FONTS)


def test_white_text_reaching_off_its_band_is_refused(tmp_path):
    """The part off the band would print white on white: in the file, gone on paper."""
    with pytest.raises(InputError) as refused:
        compose_with(tmp_path, block("shape", "0%", "20%", fill="ink"), block("headline", "0%", "30%", color="paper"))
    problem = refused.value.problem
    assert problem.code == "white-on-white" and problem.where.endswith("block 2 (headline)")
    assert "is in the paper's colour but not all of its area lies on a shape" in problem.message


@pytest.mark.parametrize("paper", ["A4", "Letter", "long-bond", "Legal"])
def test_the_leaflets_white_headline_and_event_stay_on_the_band_on_every_office_paper(paper):
    layout = retarget(find_layout("a4-leaflet"), paper)
    compose(read_statement(SAMPLE), layout, fonts=FONTS)  # would raise if any white text left the band


def test_a_web_address_too_long_to_print_under_the_qr_says_to_shorten_it(tmp_path):
    path = statement_file(tmp_path, 100)
    long_url = "https://example.org/statements/" + "a-very-long-name-" * 16 + "x"
    short = compose_layout(tmp_path, block("headline", "0%", "20%"), block("qr", "30%", "8%"))
    with pytest.raises(TooLongError, match=r"the web address .* is too long to print under the QR code .*short link"):
        compose(read_statement(path, url=long_url), short, fonts=FONTS)


def test_a_short_body_fills_its_columns_evenly_not_one_and_a_strip(tmp_path):
    layout = find_layout("a4-leaflet")
    composition = compose(statement(tmp_path, 150), layout, fonts=FONTS)
    geometry = Geometry.of(layout, False)
    runs = body_runs(layout, geometry, composition)
    middle = geometry.safe.x + geometry.safe.w / 2
    left = [run for run in runs if run.x < middle]
    right = [run for run in runs if run.x >= middle]
    assert left and right
    leading = max(run.size for run in runs) * layout.blocks_with_role("body")[0].leading
    assert abs(min(run.y for run in left) - min(run.y for run in right)) <= 2 * leading


def test_the_footer_never_leaves_its_dot_at_the_end_or_start_of_a_line(tmp_path):
    path = tmp_path / "wages.md"
    path.write_text("---\ntitle: Pay the wages now!\norganisation: Northgate Workers' Alliance of the Riverside\n"
                    "date: 2024-05-01\nurl: https://example.org/w\nslogans: [Pay us!]\n---\n\nWe are owed.\n", encoding="utf-8")
    composition = compose(read_statement(path), find_layout("a3-poster"), fonts=FONTS)
    lines: dict[float, str] = {}
    for run in runs_of(composition.pages[0]):
        lines[round(run.y, 1)] = lines.get(round(run.y, 1), "") + run.text
    footer = [text.strip() for text in lines.values() if "2024-05-01" in text or "Alliance" in text]
    assert len(footer) >= 2, footer  # it wraps in this width
    assert not any(text.endswith("\u00b7") or text.startswith("\u00b7") for text in footer)


def test_a_slogan_that_is_also_the_title_is_printed_once_and_said_so(tmp_path):
    path = tmp_path / "same.md"
    path.write_text("---\ntitle: Homes, not rubble!\nurl: https://e.org/x\nslogans: [\"Homes, not rubble!\", Housing now!]\n---\n\n"
                    "We stand together.\n", encoding="utf-8")
    composition = compose(read_statement(path), find_layout("a3-poster"), fonts=FONTS)
    assert [n.code for n in composition.notices].count("slogan-is-title") == 1
    assert any("printed once, as the headline" in str(notice) for notice in composition.notices)


def test_a_right_to_left_qr_caption_stays_under_the_code(tmp_path):
    path = tmp_path / "ar.md"
    path.write_text("---\ntitle: الحرية لفلسطين\nurl: https://e.org/p\nlang: ar\nslogans: [أوقفوا الحرب الآن!]\n"
                    "qr_caption: اقرأ البيان كاملاً\n---\n\nنحن نقف مع الشعب.\n", encoding="utf-8")
    composition = compose(read_statement(path), find_layout("a3-poster"), fonts=FONTS)
    items = composition.pages[0].items
    [code] = [item for item in items if isinstance(item, Polygon)]
    code_right = max(x for contour in code.contours for x, _ in contour)
    caption = [run for run in runs_of(composition.pages[0]) if "البيان" in run.text]
    assert caption and all(run.x > code_right - 80 * 2.8346 for run in caption)  # under the code, not 50 mm to its left
