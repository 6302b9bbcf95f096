"""Speed that stays: the work a build must not repeat, counted rather than timed (timings
live in bench/, never in tests). Fitting places only the lines it keeps; a word is cut at a
hyphenation point once, however many sizes are tried; a library import does not load the
rasteriser."""

from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLE
from handbill.compose import compose
from handbill.fonts import FontSet
from handbill.layout import find_layout
from handbill.statement import read_statement
from handbill.text import typeset

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with


def _count_placed_lines(monkeypatch) -> list[int]:
    placed = [0]
    original = typeset._place_line

    def counting(*args, **kwargs):
        placed[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(typeset, "_place_line", counting)
    return placed


def test_fitting_and_balancing_place_only_the_lines_that_are_drawn(monkeypatch):
    placed = _count_placed_lines(monkeypatch)
    composition = compose(read_statement(SAMPLE), find_layout("a4-leaflet"), fonts=FONTS)
    # every line placed is a line on the page: its runs share a baseline (a bullet too)
    lines = {(round(item.y, 2), round(item.size, 2), item.font.split("-")[0])
             for page in composition.pages for item in page.items if hasattr(item, "glyphs")}
    assert placed[0] > 20
    assert placed[0] <= len(lines) + 2  # (two blocks may share a baseline); main placed 54 for 28


def test_a_setting_places_its_lines_only_when_asked_and_then_as_placing_at_once_would(monkeypatch):
    statement = read_statement(SAMPLE)
    layout = find_layout("a4-leaflet")
    from handbill.compose import Geometry, _Composer

    composer = _Composer(statement, layout, Geometry.of(layout, False), None, FONTS)
    block = layout.blocks_with_role("body")[0]
    paragraphs = composer.body_paragraphs(block)
    frames, _owners = composer.columns(layout.blocks_with_role("body"))
    style = composer.style(block)
    placed = _count_placed_lines(monkeypatch)
    lazy = typeset.flow(paragraphs, frames, 9.0, style, place=False)
    assert placed[0] == 0
    assert lazy.runs_by_frame == typeset.flow(paragraphs, frames, 9.0, style).runs_by_frame
    assert [len(baselines) for baselines in lazy.baselines_by_frame] == [
        len({round(run.y, 2) for run in runs}) for runs in lazy.runs_by_frame
    ]


def test_a_word_is_cut_once_however_many_sizes_fitting_tries():
    from handbill.text.paragraph import make_paragraph

    word = make_paragraph([("demolitions", False, False)], role="text", where="test", lang="en", fonts=FONTS).words[0]
    head, tail = word.cut(4, True)
    assert word.cut(4, True) == (head, tail)
    assert word.cut(4, True)[0] is head  # the same pieces: measured once
    assert head.text == "demo-" and tail.text == "litions"


def test_importing_the_library_does_not_load_the_rasteriser_or_the_previews():
    code = (
        "import sys\n"
        "from handbill.build import build, make_document\n"
        "from handbill.compose import compose\n"
        "from handbill.render import render\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pypdfium2', 'zxingcpp'))\n"
                "loaded += [m for m in ('handbill.preview', 'handbill.preflight.raster') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _text_operators(statement_path) -> tuple[int, int, int]:
    """(text-showing operators, text runs, lines) of the statement's A4 leaflet."""
    import pikepdf

    from handbill.render import render

    composition = compose(read_statement(statement_path), find_layout("a4-leaflet"), fonts=FONTS)
    runs = [item for page in composition.pages for item in page.items if hasattr(item, "glyphs")]
    lines = {(page_number, round(run.y, 2)) for page_number, page in enumerate(composition.pages)
             for run in page.items if hasattr(run, "glyphs")}
    with pikepdf.open(__import__("io").BytesIO(render(composition, fonts=FONTS))) as pdf:
        shown = sum(1 for page in pdf.pages for _, operator in pikepdf.parse_content_stream(page)
                    if str(operator) in ("Tj", "TJ", "'", '"'))
    return shown, len(runs), len(lines)


def test_a_latin_line_is_drawn_with_one_text_operator_per_style_not_one_per_word():
    shown, runs, lines = _text_operators(SAMPLE)
    assert runs > 3 * lines  # justified lines: a run per word
    assert shown <= lines + 10  # a line, and the few that change font (bold, italics) within it


def test_a_shaped_run_is_drawn_with_one_text_operator_not_one_per_glyph():
    from pathlib import Path

    statement = Path(__file__).parent / "data" / "scripts" / "ar.md"
    shown, runs, lines = _text_operators(statement)
    # each run once, and each line's invisible anchor (main drew a glyph at a time: 151)
    assert shown <= runs + lines
