"""n-up imposition: copies of a leaflet on a larger sheet, with cut marks, read back from the PDF."""

from __future__ import annotations

import pytest
from readback import MM, boxes, operators, page_count, qr_codes, size_mm, squeeze, text

from conftest import SAMPLE_URL
from handbill.build import build
from handbill.cli import main
from handbill.compose import compose
from handbill.composition import Page, Placed
from handbill.errors import InputError
from handbill.impose import grid, n_up
from handbill.layout import find_layout
from handbill.statement import read_statement
from handbill.units import parse_paper
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with


@pytest.fixture(scope="module")
def two_up(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("2up")
    [built] = build(sample, BuildOptions(layouts=["a5-leaflet"], sheet="A4"), out_dir=out)
    return built


@pytest.fixture(scope="module")
def four_up(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("4up")
    [built] = build(sample, BuildOptions(layouts=["a6-handbill"], sheet="A4"), out_dir=out)
    return built


def placed(composition, page=0):
    return [item for item in composition.pages[page].items if isinstance(item, Placed)]


def test_an_a5_leaflet_comes_out_two_up_on_a_landscape_a4_sheet_named_for_it(two_up):
    assert two_up.path.name == "river-homes-a5-leaflet-2up-A4.pdf"
    assert page_count(two_up.path) == 1
    b = boxes(two_up.path)
    assert size_mm(b["TrimBox"]) == pytest.approx((297, 210), abs=0.01)
    assert size_mm(b["BleedBox"]) == pytest.approx((303, 216), abs=0.01)
    media = b["MediaBox"]
    assert media[0] <= b["BleedBox"][0] and media[2] >= b["BleedBox"][2]


def test_an_a6_handbill_comes_out_four_up_on_a_portrait_a4_sheet(four_up):
    assert four_up.path.name == "river-homes-a6-handbill-4up-A4.pdf"
    assert size_mm(boxes(four_up.path)["TrimBox"]) == pytest.approx((210, 297), abs=0.01)


def test_an_a7_handbill_comes_out_eight_up_on_a_landscape_a4_sheet_and_every_copy_scans(sample, tmp_path):
    [built] = build(sample, BuildOptions(layouts=["a7-handbill"], sheet="A4"), out_dir=tmp_path)
    assert built.path.name == "river-homes-a7-handbill-8up-A4.pdf"
    assert size_mm(boxes(built.path)["TrimBox"]) == pytest.approx((297, 210), abs=0.01)
    assert qr_codes(built.path, dpi=300) == [SAMPLE_URL] * 8


def test_every_copy_prints_the_whole_text(two_up, four_up, sample):
    statement = read_statement(sample)
    words_two = squeeze(text(two_up.path))
    assert words_two.count(squeeze(statement.title)) == 2
    assert words_two.count(squeeze(statement.body[-1].text)) == 2
    assert squeeze(text(four_up.path)).count(squeeze(statement.excerpt)) == 4


def test_the_qr_code_still_decodes_on_a_two_up_sheet(two_up):
    assert qr_codes(two_up.path, dpi=300) == [SAMPLE_URL, SAMPLE_URL]


def test_cut_marks_stand_outside_the_sheet_at_every_cut_between_copies(two_up):
    trim = boxes(two_up.path)["TrimBox"]
    middle = (trim[0] + trim[2]) / 2
    # thin strokes in the registration colour that lie on a vertical line near the middle
    xs = []
    ops = operators(two_up.path)
    for (op, args), (next_op, next_args) in zip(ops, ops[1:]):
        if op == "m" and next_op == "l" and abs(float(args[0]) - float(next_args[0])) < 1e-6:
            x, y1, y2 = float(args[0]), float(args[1]), float(next_args[1])
            if abs(x - middle) < 5 * MM and (max(y1, y2) <= trim[1] or min(y1, y2) >= trim[3]):
                xs.append(round(x, 2))
    # A5 on A4 leaves 1 mm between the copies: two cuts, each marked top and bottom
    assert sorted(set(xs)) == pytest.approx([middle - 0.5 * MM, middle + 0.5 * MM], abs=0.01)
    assert len(xs) == 4


def test_copies_keep_their_bleed_on_the_sheet_edges_and_share_what_is_left_between_them(sample):
    composition = compose(read_statement(sample), find_layout("a5-leaflet"), fonts=FONTS)
    sheet = n_up(composition, parse_paper("A4"))
    left, right = sorted(placed(sheet), key=lambda p: p.x)
    bleed = 3 * MM
    assert left.x == pytest.approx(0) and right.x + right.width == pytest.approx(297 * MM)
    assert left.clip[0] == pytest.approx(-bleed)  # the sheet's left edge: full bleed
    assert left.clip[0] + left.clip[2] == pytest.approx(left.width + 0.5 * MM)  # half the 1 mm gap
    assert right.clip[0] == pytest.approx(-0.5 * MM)
    assert any(n.code == "sheet-nearly-full" and "0.5 mm between them" in n.message for n in sheet.notices)


def test_where_the_sheet_has_room_copies_are_centred_with_their_whole_bleed():
    g = grid(148 * MM, 210 * MM, 3 * MM, parse_paper("320 x 450 mm"))  # four A5 on an SRA3 press sheet
    assert (g.columns, g.rows) == (2, 2)
    assert all(b == pytest.approx(3 * MM) for slot in g.slots for b in slot.bleeds)
    xs = sorted({round(s.x / MM, 3) for s in g.slots})
    assert xs[1] - (xs[0] + 148) == pytest.approx(6)  # a gutter of twice the bleed
    assert xs[0] == pytest.approx((320 - 2 * 148 - 6) / 2)  # centred


def test_without_stack_each_page_fills_a_sheet_of_its_own(sample):
    placards = compose(read_statement(sample), find_layout("a3-placard"), fonts=FONTS)
    sheets = n_up(placards, parse_paper("A2"))
    assert len(sheets.pages) == len(placards.pages)
    for sheet, page in zip(sheets.pages, placards.pages):
        assert {id(p.page) for p in sheet.items if isinstance(p, Placed)} == {id(page)}


def test_stack_orders_different_pages_for_cut_and_stack(sample):
    """Five pages, two slots: sheet s holds pages s and s+3 (slot 1 pile, then slot 2 pile)."""
    placards = compose(read_statement(sample), find_layout("a3-placard"), fonts=FONTS)
    pages = tuple(Page(page.items) for page in placards.pages + placards.pages[:2])  # five page objects
    composition = type(placards)(placards.width, placards.height, placards.bleed, pages, placards.metadata)
    sheets = n_up(composition, parse_paper("A2"), stack=True)
    assert len(sheets.pages) == 3
    order = {id(page): number for number, page in enumerate(pages)}
    slots = [[order[id(p.page)] for p in sorted(placed(sheets, s), key=lambda p: -p.y)] for s in range(3)]
    assert slots == [[0, 3], [1, 4], [2]]


def test_office_sheets_have_no_bleed_and_cut_ticks_inside_the_printable_area(sample, tmp_path):
    [built] = build(sample, BuildOptions(layouts=["a5-leaflet"], office=True, sheet="A4"), out_dir=tmp_path)
    b = boxes(built.path)
    assert b["MediaBox"] == b["TrimBox"] == pytest.approx((0, 0, 297 * MM, 210 * MM), abs=0.01)
    composition = n_up(compose(read_statement(sample), find_layout("a5-leaflet"), office=True, fonts=FONTS), parse_paper("A4"), office=True)
    lines = [item for item in composition.pages[0].items if not isinstance(item, Placed)]
    assert lines and all(5 * MM - 0.01 <= min(l.y1, l.y2) and max(l.y1, l.y2) <= 205 * MM + 0.01 for l in lines)


def test_a_page_too_big_for_the_sheet_is_one_sentence(sample, tmp_path, capsys):
    assert main(["build", str(sample), "--layout", "a3-poster", "--sheet", "A4", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("handbill: error:") and "choose a larger --sheet" in err and "\n" not in err
    assert "an A4 sheet" in err and "a A4" not in err


def test_a_page_too_big_for_the_sheet_is_named_by_its_layout():
    with pytest.raises(InputError, match=r"^a3-poster: its 297 x 420 mm page does not fit on an A4 sheet; "):
        grid(297 * MM, 420 * MM, 3 * MM, parse_paper("A4"), name="a3-poster")


def test_duplex_on_a_one_page_layout_names_the_layout(sample):
    leaflet = compose(read_statement(sample), find_layout("a5-leaflet"), fonts=FONTS)
    with pytest.raises(InputError, match="a5-leaflet makes 1 page"):
        n_up(leaflet, parse_paper("A4"), duplex="long-edge", name="a5-leaflet")


def test_the_kit_on_a_sheet_names_the_layout_that_does_not_fit(sample, tmp_path, capsys):
    assert main(["build", str(sample), "--sheet", "A4", "--out", str(tmp_path)]) == 1
    assert "a3-poster: its 297 x 420 mm page does not fit on an A4 sheet" in capsys.readouterr().err


def test_stack_and_duplex_without_a_sheet_are_usage_errors(sample, tmp_path):
    with pytest.raises(SystemExit) as exit:
        main(["build", str(sample), "--stack", "--out", str(tmp_path)])
    assert exit.value.code == 2


def test_the_same_input_gives_the_same_sheet_bytes(sample, tmp_path):
    first = build(sample, BuildOptions(layouts=["a6-handbill"], sheet="A4"), out_dir=tmp_path / "1")[0]
    second = build(sample, BuildOptions(layouts=["a6-handbill"], sheet="A4"), out_dir=tmp_path / "2")[0]
    assert first.path.read_bytes() == second.path.read_bytes()
