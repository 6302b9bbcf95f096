"""Any paper: --paper re-targets a layout (its orientation kept), areas in % follow the
paper, every box in the written PDF is exact, and a layout that cannot adapt says so in
one sentence naming the layout and the block."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from conftest import SAMPLE
from handbill.build import build
from handbill.cli import main
from handbill.compose import Geometry, compose
from handbill.composition import TextRun
from handbill.errors import InputError
from handbill.layout import find_layout, retarget
from handbill.roles import TEXT_ROLES
from handbill.statement import read_statement
from handbill.units import parse_paper
from handbill.options import BuildOptions
from readback import boxes, size_mm, squeeze, text
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

PAPERS = {"Letter": (215.9, 279.4), "long-bond": (215.9, 330.2), "Legal": (215.9, 355.6), "A5": (148, 210),
          "B4": (250, 353), "Tabloid": (279.4, 431.8), "210 x 297 mm": (210, 297), "A0": (841, 1189)}


@pytest.mark.parametrize("name, size", PAPERS.items())
def test_every_paper_size_is_known_in_mm(name, size):
    paper = parse_paper(name)
    assert (paper.width_mm, paper.height_mm) == size


def test_a_landscape_layout_stays_landscape_on_other_paper():
    portrait = retarget(find_layout("a4-leaflet"), "Letter")
    assert (portrait.paper.width_mm, portrait.paper.height_mm) == (215.9, 279.4)
    landscape = replace(find_layout("a4-leaflet"), paper=parse_paper("A4", "landscape"))
    turned = retarget(landscape, "Letter")
    assert (turned.paper.width_mm, turned.paper.height_mm) == (279.4, 215.9)


@pytest.mark.parametrize("paper, size", [("Letter", (215.9, 279.4)), ("long-bond", (215.9, 330.2))])
def test_the_leaflet_on_letter_and_long_bond_has_exact_boxes(tmp_path, paper, size):
    [built] = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], page_size=paper), out_dir=tmp_path)
    assert built.path.name == f"river-homes-a4-leaflet-{parse_paper(paper).name.replace(' ', '')}.pdf"
    got = boxes(built.path)
    width, height = size_mm(got["TrimBox"])
    assert (round(width, 2), round(height, 2)) == size
    bleed_w, bleed_h = size_mm(got["BleedBox"])
    assert (round(bleed_w, 2), round(bleed_h, 2)) == (size[0] + 6, size[1] + 6)
    # every word of the statement is on the page
    statement = read_statement(SAMPLE)
    assert all(squeeze(paragraph.text) in squeeze(text(built.path)) for paragraph in statement.body)


def _text_boxes(layout, office=False):
    geometry = Geometry.of(layout, office)
    return [geometry.place(block.area) for block in layout.blocks if block.role in TEXT_ROLES + ("qr",)]


@pytest.mark.parametrize("name", ["a4-leaflet", "a3-poster"])
@pytest.mark.parametrize("paper", ["Letter", "long bond", "A4", "Tabloid"])
def test_no_text_leaves_its_areas_on_other_paper(name, paper):
    layout = find_layout(name, page_size=paper)
    composition = compose(read_statement(SAMPLE), layout, fonts=FONTS)
    areas = _text_boxes(layout)
    slack = 0.5  # pt: side bearings and rounding
    for page in composition.pages:
        for run in (item for item in page.items if isinstance(item, TextRun)):
            width = stringWidth(run.text, run.font, run.size)
            assert any(
                box.x - slack <= run.x and run.x + width <= box.right + slack and box.y - run.size <= run.y <= box.top
                for box in areas
            ), f"{run.text!r} at ({run.x:.1f}, {run.y:.1f}) is outside every text area of {name} on {paper}"


def test_a_layout_with_an_area_in_mm_that_no_longer_fits_says_so(tmp_path):
    path = tmp_path / "wide.toml"
    path.write_text(
        'name = "wide"\n[page]\nsize = "A3"\nmargin = "10mm"\n'
        '[[block]]\nrole = "headline"\narea = { x = "0mm", y = "0mm", w = "250mm", h = "40mm" }\n'
    )
    with pytest.raises(InputError) as caught:
        find_layout(str(path), page_size="A5")
    message = str(caught.value)
    assert "wide" in message and "A5" in message and "block 1 (headline)" in message
    assert "\n" not in message


def test_text_that_cannot_fit_the_smaller_paper_names_the_layout_and_block(tmp_path):
    with pytest.raises(Exception) as caught:
        build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], page_size="A6"), out_dir=tmp_path)
    assert "a4-leaflet" in str(caught.value) and "block" in str(caught.value)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_paper_that_is_not_a_size_is_a_one_line_error(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--paper", "A9"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "A9" in err and "W x H mm" in err


def test_paper_takes_a_size_and_a_stock_together(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--layout", "a4-leaflet", "--paper", "Letter", "--paper", "uncoated"])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "river-homes-a4-leaflet-Letter-uncoated.pdf").is_file()


@pytest.mark.parametrize("paper, suffix, size", [
    ("8.5 x 13 in", "8.5x13in", (215.9, 330.2)),
    ("8.5x13in", "8.5x13in", (215.9, 330.2)),
    ("210x297mm", "210x297mm", (210, 297)),
    ("297 x 210 mm", "210x297mm", (210, 297)),  # turned portrait like the layout: named as printed
])
def test_a_paper_given_by_its_size_is_exact_and_names_the_file_as_printed(tmp_path, capsys, paper, suffix, size):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--layout", "a4-leaflet", "--paper", paper])
    assert code == 0, capsys.readouterr().err
    [path] = tmp_path.iterdir()
    assert path.name == f"river-homes-a4-leaflet-{suffix}.pdf"
    assert size_mm(boxes(path)["TrimBox"]) == pytest.approx(size, abs=0.01)


def test_a_paper_size_without_a_unit_says_which_unit_to_write(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--paper", "210x297"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and '"210 x 297 mm"' in err
