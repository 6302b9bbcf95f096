"""--mono: gray only (K), for photocopied leaflets; distinct colours stay 20 % apart."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import photo_layout
from handbill.build import build
from handbill.layout import bundled_layouts
from handbill.mono import darkness, gray_ladder
from handbill.printshop import MONO_BAND_AREA, MONO_TINT_STEP
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

STATEMENT = """---
title: Land to the tillers!
organisation: Farmers' Alliance
date: 2025-05-01
url: https://example.org/land
slogans:
  - Land to the tillers!
  - Stop the land grab!
excerpt: Three hundred families farm this land. It is theirs.
---

Three hundred families have farmed the valley for three generations. A developer now claims
it. We ask every union and parish to stand with them at the provincial capitol on Monday.
"""


@pytest.fixture(scope="module")
def statement(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mono") / "land.md"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


def ink_operators(path: Path):
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                numeric = str(operator) in ("k", "K", "g", "G")
                yield str(operator), [float(v) for v in operands] if numeric else operands


def test_mono_output_has_no_cyan_magenta_or_yellow_anywhere(statement, tmp_path):
    names = [layout.name for layout in bundled_layouts()]
    built = build(statement, BuildOptions(layouts=names, mono=True, marks=True), out_dir=tmp_path)
    for result in built:
        assert result.path.name.endswith("-mono.pdf")
        for operator, operands in ink_operators(result.path):
            assert operator not in ("rg", "RG", "sc", "SC"), result.path
            if operator in ("k", "K"):
                assert operands[:3] == [0, 0, 0], (result.path, operands)


def test_mono_prints_images_on_k_alone(statement, tmp_path):
    layout = photo_layout(tmp_path, Image.new("RGB", (600, 600), (200, 30, 30)))
    (result,) = build(statement, BuildOptions(layouts=[str(layout)], mono=True), out_dir=tmp_path / "out")
    with pikepdf.open(result.path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        cyan, magenta, yellow, black = pikepdf.PdfImage(image).as_pil_image().split()
        assert cyan.getextrema() == magenta.getextrema() == yellow.getextrema() == (0, 0)
        assert black.getextrema()[0] > 0


def test_distinct_colours_become_tints_at_least_20_percent_apart():
    colours = {(0, 0, 0, 0), (0, 0, 0, 1), (0, 0.95, 0.9, 0), (0, 0.8, 0.9, 0.1), (0.6, 0.4, 0.4, 1), (0, 0, 0, 0.5)}
    ladder = gray_ladder(colours)
    for a, b in combinations(colours, 2):
        if round(darkness(a), 4) != round(darkness(b), 4):
            assert abs(ladder[a] - ladder[b]) >= MONO_TINT_STEP - 1e-9, (a, b, ladder)
    assert ladder[(0, 0, 0, 0)] == 0 and ladder[(0, 0, 0, 1)] == 1


def test_the_ladder_keeps_the_order_of_lightness():
    colours = {(0, 0, 0, k / 10) for k in range(0, 11, 3)} | {(0, 1, 1, 0)}
    ladder = gray_ladder(colours)
    ordered = sorted(colours, key=darkness)
    assert [ladder[c] for c in ordered] == sorted(ladder[c] for c in ordered)


def test_the_kit_in_mono_is_named_mono_and_keeps_the_colour_files(statement, tmp_path):
    build(statement, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    build(statement, BuildOptions(layouts=["a4-leaflet"], mono=True), out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["land-a4-leaflet-mono.pdf", "land-a4-leaflet.pdf"]


def test_mono_leaves_out_a_large_band_and_flattens_a_logo_on_it_onto_paper(statement, tmp_path):
    """A band half the page in solid gray eats toner and prints blotchy on a copier: it
    goes, and the transparent logo that stood on it is flattened onto paper, not onto a
    box of the band's gray."""
    picture = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    picture.paste((0, 0, 0, 255), (200, 200, 400, 400))
    layout = photo_layout(tmp_path, picture, band="cmyk(0,100,100,0)")
    (result,) = build(statement, BuildOptions(layouts=[str(layout)], mono=True), out_dir=tmp_path / "out")
    assert not [ops for op, ops in ink_operators(result.path) if op == "k" and ops[3] not in (0.0, 1.0)]
    with pikepdf.open(result.path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        pixels = pikepdf.PdfImage(image).as_pil_image()
    assert pixels.getpixel((2, 2)) == (0, 0, 0, 0)  # paper round the logo
    assert pixels.getpixel((300, 300)) == (0, 0, 0, 255)  # the logo itself: black


def test_the_kits_headline_band_goes_and_its_white_headline_prints_black(statement, tmp_path):
    from handbill.compose import compose
    from handbill.composition import Rect, TextRun
    from handbill.layout import find_layout
    from handbill.mono import monochrome
    from handbill.statement import read_statement

    composition = monochrome(compose(read_statement(statement), find_layout("a4-leaflet"), fonts=FONTS))
    area = composition.width * composition.height
    items = composition.pages[0].items
    assert not [i for i in items if isinstance(i, Rect) and i.w * i.h > MONO_BAND_AREA * area and i.color[3] > 0.3]
    title = read_statement(statement).title
    headline = [i for i in items if isinstance(i, TextRun) and i.text.strip() and i.text.strip() in title]
    assert headline and all(run.color == (0.0, 0.0, 0.0, 1.0) for run in headline)
