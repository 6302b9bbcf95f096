"""Tiling: an A3 poster enlarged to A1 and cut onto A4 sheets that overlap, read back from the PDF."""

from __future__ import annotations

import pytest
from PIL import ImageChops, ImageStat
from readback import MM, boxes, page_count, qr_codes, render, size_mm, text

from conftest import SAMPLE_URL
from handbill.build import build
from handbill.cli import main
from handbill.compose import compose
from handbill.composition import Placed, TextRun
from handbill.impose import OFFICE_MARGIN, for_size, scale_to
from handbill.layout import find_layout
from handbill.statement import read_statement
from handbill.tiling import LABEL_STRIP, _poster_marks, plan, tile
from handbill.units import parse_paper
from handbill.options import BuildOptions
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

DPI = 100


@pytest.fixture(scope="module")
def poster(sample):
    """The A3 poster composed to be enlarged to A1 (impose.for_size), as build does."""
    return compose(read_statement(sample), for_size(find_layout("a3-poster"), parse_paper("A1")), fonts=FONTS)


@pytest.fixture(scope="module")
def tiles(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiles")
    [built] = build(sample, BuildOptions(layouts=["a3-poster"], size="A1", tile="A4"), out_dir=out)
    return built


def test_an_a3_poster_scales_to_exactly_a1_by_exactly_two(poster):
    """Composed on A1 / 2 = 297 x 420.5 mm: A1 is 594 x 841 mm, not twice A3 (594 x 840)."""
    factor, width, height = scale_to(poster, parse_paper("A1"))
    assert factor == 2.0
    assert (width / MM, height / MM) == pytest.approx((594, 841))


def test_the_file_is_an_assembly_page_then_one_page_per_sheet_named_for_it(tiles, poster):
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    assert tiles.path.name == "river-homes-a3-poster-A1-tiles-A4.pdf"
    assert page_count(tiles.path) == 1 + t.rows * t.columns
    assert t.rows * t.columns <= 16


def test_every_sheet_is_exactly_a4_with_no_bleed(tiles):
    for page in range(page_count(tiles.path)):
        b = boxes(tiles.path, page)
        assert b["MediaBox"] == b["TrimBox"]
        assert sorted(size_mm(b["TrimBox"])) == pytest.approx([210, 297], abs=0.01)


def test_each_sheet_is_labelled_with_its_row_column_and_the_grid(tiles):
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    words = text(tiles.path)
    for row in range(1, t.rows + 1):
        for column in range(1, t.columns + 1):
            assert f"row {row}, column {column} of {t.rows} x {t.columns}" in words
    assert f"{t.rows * t.columns} A4 sheets: {t.rows} rows x {t.columns} columns, 10 mm overlap" in words


def test_neighbouring_sheets_show_the_same_pixels_where_they_overlap(tiles):
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    px = DPI / 72
    m = OFFICE_MARGIN  # the region shown starts here from the sheet's left and top edges
    overlap, inset = 10 * MM, 2  # pixels kept off the clip edge (anti-aliasing)

    def sheet(row, column):
        return render(tiles.path, 1 + row * t.columns + column, DPI).convert("L")

    def crop(image, left, top, right, bottom):  # in points from the sheet's top-left corner
        x, y = round(left * px), round(top * px)
        return image.crop((x + inset, y + inset, x + round((right - left) * px) - inset, y + round((bottom - top) * px) - inset))

    first, right, below = sheet(0, 0), sheet(0, 1), sheet(1, 0)
    pairs = [
        (crop(first, m + t.area_w - overlap, m, m + t.area_w, m + t.area_h), crop(right, m, m, m + overlap, m + t.area_h)),
        (crop(first, m, m + t.area_h - overlap, m + t.area_w, m + t.area_h), crop(below, m, m, m + t.area_w, m + overlap)),
    ]
    for a, b in pairs:
        assert a.size == b.size
        assert ImageStat.Stat(a).stddev[0] > 10  # something is printed there
        assert ImageStat.Stat(ImageChops.difference(a, b)).mean[0] < 3


def test_sheets_keep_a_printer_safe_margin(tiles):
    margin = int((OFFICE_MARGIN - 0.5 * MM) * DPI / 72)
    for page in (0, 1, page_count(tiles.path) - 1):
        image = render(tiles.path, page, DPI).convert("L")
        w, h = image.size
        for box in ((0, 0, w, margin), (0, h - margin, w, h), (0, 0, margin, h), (w - margin, 0, w, h)):
            assert image.crop(box).getextrema()[0] == 255


def test_the_poster_is_placed_whole_and_vector_on_every_sheet(poster):
    tiled = tile(poster, parse_paper("A1"), parse_paper("A4"), 10, fonts=FONTS)
    for page in tiled.pages[1:]:
        placed = [item for item in page.items if isinstance(item, Placed)]
        assert len(placed) == 1 and placed[0].page is poster.pages[0]
    assert all(p.scale == 2.0 for page in tiled.pages[1:] for p in page.items if isinstance(p, Placed))
    # each sheet's region starts one step after its neighbour's: the overlap is what was asked
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    assert t.area_w - t.step_x == pytest.approx(10 * MM)
    assert t.columns * t.step_x + 10 * MM >= 594 * MM and t.rows * t.step_y + 10 * MM >= 841 * MM
    assert t.area_h == pytest.approx(t.sheet_h - 2 * OFFICE_MARGIN - LABEL_STRIP)


def test_the_overlap_is_configurable(sample, tmp_path):
    assert main(["build", str(sample), "--layout", "a3-poster", "--size", "A1", "--tile", "A4",
                 "--overlap", "20mm", "--out", str(tmp_path)]) == 0
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 20 * MM)
    path = tmp_path / "river-homes-a3-poster-A1-tiles-A4.pdf"
    assert page_count(path) == 1 + t.rows * t.columns
    assert "20 mm overlap" in text(path)


def test_overlap_without_tiles_is_a_usage_error(sample, tmp_path):
    with pytest.raises(SystemExit) as exit:
        main(["build", str(sample), "--overlap", "10mm", "--out", str(tmp_path)])
    assert exit.value.code == 2


def test_tiles_with_crop_marks_are_a_usage_error(sample, tmp_path, capsys):
    """Tiles carry their own trim marks; --marks would make each tile larger than A4."""
    with pytest.raises(SystemExit) as exit:
        main(["build", str(sample), "--size", "A1", "--tile", "A4", "--marks", "--out", str(tmp_path)])
    assert exit.value.code == 2
    assert "--marks" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_no_overlap_needs_no_unit(sample, tmp_path, capsys):
    code = main(["build", str(sample), "--layout", "a3-poster", "--size", "A1", "--tile", "A4", "--overlap", "0",
                 "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert "0 mm overlap" in text(tmp_path / "river-homes-a3-poster-A1-tiles-A4.pdf")


@pytest.mark.parametrize("arrangement, written", [
    (["--tile", "A4"], "river-homes-a3-poster-tiles-A4.pdf"),
    (["--size", "A2"], "river-homes-a3-poster-A2.pdf"),
])
def test_tile_or_size_without_a_layout_enlarges_the_poster_only(sample, tmp_path, capsys, arrangement, written):
    code = main(["build", str(sample), *arrangement, "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert [path.name for path in tmp_path.iterdir()] == [written]


def test_the_help_says_tile_and_size_enlarge_the_poster_only(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    words = " ".join(capsys.readouterr().out.split())
    assert words.count("with no --layout, the poster only") == 2


def test_the_assembly_page_has_no_text_below_six_points(poster):
    tiled = tile(poster, parse_paper("A1"), parse_paper("A4"), 10, fonts=FONTS)
    [mini] = [item for item in tiled.pages[0].items if isinstance(item, Placed)]
    assert all(run.size * mini.scale >= 6 for run in mini.page.items if isinstance(run, TextRun))
    assert any(isinstance(run, TextRun) for run in mini.page.items)  # the headline stays


def test_the_assembly_page_shows_a_gray_square_where_the_qr_code_goes(tiles, capsys):
    """The grid crosses the miniature: a code there would fail the quiet-zone check, or
    scan off the wrong page. The real code is on the sheets, taped together."""
    assert qr_codes(tiles.path, page=0, dpi=150) == []
    assert main(["check", str(tiles.path)]) == 0


def test_the_grid_slides_so_the_qr_code_lies_whole_on_one_sheet_and_scans_there(tiles):
    """A code cut by a seam and taped may not scan: where the sheets' slack allows, the
    grid is shifted so one sheet holds all of it."""
    scanned = [page for page in range(1, page_count(tiles.path)) if qr_codes(tiles.path, page=page, dpi=150)]
    assert len(scanned) == 1
    assert qr_codes(tiles.path, page=scanned[0], dpi=150) == [SAMPLE_URL]


def test_without_a_qr_code_the_grid_stays_centred_on_the_poster():
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    cover_w = t.columns * t.step_x + 10 * MM
    assert t.origin_x == pytest.approx(-(cover_w - 594 * MM) / 2)


def test_no_alignment_cross_is_drawn_in_the_qr_codes_quiet_zone():
    t = plan(594 * MM, 841 * MM, parse_paper("A4"), 10 * MM)
    everywhere = _poster_marks(t, 594 * MM, 841 * MM, 10 * MM)
    x, y, w, h = t.region(1, 1)  # a cross sits in the overlap to the right of this sheet
    square = (x + w - 60 * MM, y + h / 2 - 30 * MM, x + w + 10 * MM, y + h / 2 + 30 * MM)
    kept = _poster_marks(t, 594 * MM, 841 * MM, 10 * MM, keep_clear=square)
    assert len(kept) < len(everywhere)
    inside = [s for s in kept if square[0] <= s[0] <= square[2] and square[1] <= s[1] <= square[3]]
    assert not inside
