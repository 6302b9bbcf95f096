"""Duplex leaflets: a front and a back, the back registering with the front when printed
long-edge or short-edge, alone or n-up."""

from __future__ import annotations

import pytest
from readback import boxes, page_count, qr_codes, squeeze, text

from conftest import SAMPLE_URL
from handbill.build import build
from handbill.cli import main
from handbill.compose import compose
from handbill.composition import Placed
from handbill.impose import flip_axis, n_up
from handbill.layout import find_layout
from handbill.statement import read_statement
from handbill.units import parse_paper
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with


@pytest.fixture(scope="module")
def duplex(sample):
    return compose(read_statement(sample), find_layout("a5-duplex"), fonts=FONTS)


def test_the_duplex_leaflet_has_the_call_on_the_front_and_the_whole_statement_on_the_back(sample, tmp_path):
    [built] = build(sample, BuildOptions(layouts=["a5-duplex"]), out_dir=tmp_path)
    assert page_count(built.path) == 2
    statement = read_statement(sample)
    words = squeeze(text(built.path))
    assert squeeze(statement.excerpt) in words
    for block in statement.body:
        assert squeeze(block.text) in words
    assert qr_codes(built.path, page=0) == [SAMPLE_URL]
    # front and back are the same size and centred on the same media: a duplex printer registers them
    assert boxes(built.path, 0) == boxes(built.path, 1)


def _sheet_point(item: Placed, u: float, v: float) -> tuple[float, float]:
    """Where the copy's own point (u, v) lands on the sheet."""
    if item.rotate == 180:
        return item.x + item.width - u, item.y + item.height - v
    return item.x + u, item.y + v


@pytest.mark.parametrize("how", ["long-edge", "short-edge"])
def test_n_up_backs_stand_exactly_behind_their_fronts(duplex, how):
    sheets = n_up(duplex, parse_paper("A4"), duplex=how)
    assert len(sheets.pages) == 2
    front = [i for i in sheets.pages[0].items if isinstance(i, Placed)]
    back = [i for i in sheets.pages[1].items if isinstance(i, Placed)]
    assert len(front) == len(back) == 2
    W, H = sheets.width, sheets.height
    axis = flip_axis(W, H, how)
    for f, b in zip(front, back):
        assert f.page is duplex.pages[0] and b.page is duplex.pages[1]
        for u, v in [(0, 0), (f.width, 0), (10, f.height), (f.width / 3, f.height / 2)]:
            x, y = _sheet_point(f, u, v)
            # the sheet turned over: the point behind (x, y), in the back page's coordinates
            behind = (W - x, y) if axis == "x" else (x, H - y)
            # the copy turned like a book page: its front's left edge is its back's right edge
            assert _sheet_point(b, f.width - u, v) == pytest.approx(behind, abs=1e-6)


def test_long_edge_on_a_landscape_sheet_turns_about_the_long_side():
    assert flip_axis(297, 210, "long-edge") == "y"
    assert flip_axis(210, 297, "long-edge") == "x"
    assert flip_axis(297, 210, "short-edge") == "x"


def test_an_n_up_duplex_file_has_a_back_sheet_after_each_front_with_the_same_boxes(sample, tmp_path):
    [built] = build(sample, BuildOptions(layouts=["a5-duplex"], sheet="A4", duplex="long-edge"), out_dir=tmp_path)
    assert built.path.name == "river-homes-a5-duplex-2up-A4.pdf"
    assert page_count(built.path) == 2
    assert boxes(built.path, 0) == boxes(built.path, 1)
    assert qr_codes(built.path, page=0) == [SAMPLE_URL, SAMPLE_URL]


def test_duplex_with_an_odd_number_of_pages_is_one_sentence(sample, tmp_path, capsys):
    code = main(["build", str(sample), "--layout", "a5-leaflet", "--sheet", "A4", "--duplex", "long-edge",
                 "--out", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert "pairs (front, back)" in err and "\n" not in err
