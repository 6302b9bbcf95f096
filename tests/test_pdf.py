"""What the written PDF holds, read back with real tools (pikepdf, pypdfium2, zxing-cpp):
the print-ready promises (boxes, marks, fonts, CMYK, QR, every word, same bytes), checked
on the file, not on the code's intentions."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from conftest import SAMPLE
from handbill.build import build
from handbill.statement import read_statement
from handbill.options import BuildOptions
from readback import (
    MM, boxes, colour_spaces, fonts, info, operators, qr_codes, render, separations,
    show_text_fills, squeeze, stroke_widths_and_paths, text,
)

A4 = (595.2756, 841.8898)
A3 = (841.8898, 1190.5512)
BLEED = 3 * MM  # 8.504 pt
URL = "https://example.org/kit/river-homes?from=leaflet"
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict[str, Path]:
    """The leaflet with crop marks and a URL from the command line, and the poster."""
    out = tmp_path_factory.mktemp("kit")
    leaflet, = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], marks=True), out_dir=out, url=URL)
    poster, = build(SAMPLE, BuildOptions(layouts=["a3-poster"], marks=True), out_dir=out)
    return {"leaflet": leaflet.path, "poster": poster.path}


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    built, = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], office=True), out_dir=tmp_path_factory.mktemp("office"))
    return built.path


def both(kit):
    return [kit["leaflet"], kit["poster"]]


# --- boxes and marks -------------------------------------------------------------------

@pytest.mark.parametrize("which, size", [("leaflet", A4), ("poster", A3)])
def test_the_trim_box_is_exactly_the_paper_size(kit, which, size):
    x0, y0, x1, y1 = boxes(kit[which])["TrimBox"]
    assert (x1 - x0, y1 - y0) == pytest.approx(size, abs=0.01)


@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_the_bleed_box_is_3_mm_outside_the_trim_on_every_side(kit, which):
    b = boxes(kit[which])
    trim, bleed = b["TrimBox"], b["BleedBox"]
    assert trim[0] - bleed[0] == pytest.approx(BLEED, abs=0.01)
    assert trim[1] - bleed[1] == pytest.approx(BLEED, abs=0.01)
    assert bleed[2] - trim[2] == pytest.approx(BLEED, abs=0.01)
    assert bleed[3] - trim[3] == pytest.approx(BLEED, abs=0.01)


def crop_marks(path: Path):
    return [(w, space, pts) for w, space, pts in stroke_widths_and_paths(path) if space == "/All"]


def test_crop_marks_are_drawn_in_the_registration_colour_at_a_quarter_point(kit):
    marks = crop_marks(kit["leaflet"])
    assert len(marks) >= 8
    assert all(w == pytest.approx(0.25) for w, _, _ in marks)
    assert separations(kit["leaflet"]) == {"/All": "/DeviceCMYK"}


def test_crop_marks_lie_outside_the_bleed_and_inside_the_media_box(kit):
    b = boxes(kit["leaflet"])
    media, bleed = b["MediaBox"], b["BleedBox"]
    for _, _, points in crop_marks(kit["leaflet"]):
        for x, y in points:
            assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
            outside = x <= bleed[0] + 0.01 or x >= bleed[2] - 0.01 or y <= bleed[1] + 0.01 or y >= bleed[3] - 0.01
            assert outside, f"a crop mark point ({x:.2f}, {y:.2f}) lies inside the bleed {bleed}"
        # each mark is a segment wholly outside: both of its ends on the same outer side
        (xa, ya), (xb, yb) = points
        assert (max(xa, xb) <= bleed[0] + 0.01 or min(xa, xb) >= bleed[2] - 0.01
                or max(ya, yb) <= bleed[1] + 0.01 or min(ya, yb) >= bleed[3] - 0.01)


def test_without_marks_the_media_box_is_the_bleed_box(kit, tmp_path):
    built, = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"]), out_dir=tmp_path)
    b = boxes(built.path)
    assert b["MediaBox"] == pytest.approx(b["BleedBox"], abs=0.01)
    assert not crop_marks(built.path)


# --- fonts and colour ------------------------------------------------------------------

@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_every_font_is_embedded_and_subset(kit, which):
    found = fonts(kit[which])
    assert found
    for font in found:
        assert font.embedded, f"{font.name} is not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+.+", font.name), f"{font.name} is not a subset"


@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_no_base_14_font_is_referenced_anywhere(kit, which):
    raw = kit[which].read_bytes()
    with pikepdf.open(kit[which]) as pdf:
        names = {str(obj.get("/BaseFont")) for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name("/Font")}
    for family in BASE14:
        assert not any(family in name for name in names), names
        assert family.encode() not in raw


@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_no_rgb_operator_and_no_rgb_colour_space(kit, which):
    path = kit[which]
    for operator, operands in operators(path):
        assert operator not in ("rg", "RG"), f"RGB operator {operator} {operands}"
        if operator in ("sc", "SC", "scn", "SCN"):
            numbers = [v for v in operands if not isinstance(v, pikepdf.Name)]
            assert len(numbers) != 3, f"a three-component colour {operator} {operands}"
    spaces = colour_spaces(path)
    assert not spaces & {"/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased"}, spaces
    assert spaces <= {"/DeviceCMYK", "/Separation"}


@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_all_text_is_painted_in_cmyk_never_in_the_default_gray(kit, which):
    fills = show_text_fills(kit[which])
    assert fills
    for font, fill in fills:
        assert len(fill) == 4, f"text in {font} is painted in {fill}, not CMYK"


def test_body_text_is_100_percent_black(kit):
    body = [fill for font, fill in show_text_fills(kit["leaflet"]) if font.endswith("NotoSans-Regular")]
    assert len(body) > 20
    assert set(body) == {(0.0, 0.0, 0.0, 1.0)}


# --- QR, text, metadata ----------------------------------------------------------------

def test_the_leaflet_qr_code_scans_as_the_url_from_the_command_line(kit):
    assert qr_codes(kit["leaflet"], dpi=200) == [URL]


def test_the_poster_qr_code_scans_as_the_statements_url(kit):
    assert qr_codes(kit["poster"], dpi=100) == [read_statement(SAMPLE).url]


def test_the_leaflet_holds_every_paragraph_of_the_statement(kit):
    printed = squeeze(text(kit["leaflet"]))
    statement = read_statement(SAMPLE)
    assert len(statement.body) >= 6
    position = 0
    for block in statement.body:
        found = printed.find(squeeze(block.text), position)
        assert found >= 0, f"missing or out of order: {block.text[:60]!r}"
        position = found


def test_the_poster_holds_the_headline_and_every_slogan(kit):
    printed = squeeze(text(kit["poster"])).casefold()  # the poster sets its headline in capitals
    statement = read_statement(SAMPLE)
    assert squeeze(statement.title).casefold() in printed
    for slogan in statement.slogans:
        assert squeeze(slogan).casefold() in printed


@pytest.mark.parametrize("layout", ["a4-leaflet", "a3-poster", "a6-handbill"])
def test_a_long_url_printed_under_the_qr_is_broken_but_never_hyphenated(tmp_path, layout):
    """Whoever types the printed address must type what the QR code holds: a line may
    break inside it, but no hyphen is ever added ("housing-not-de-molitions")."""
    url = "https://example.org/statements/housing-not-demolitions"
    built, = build(SAMPLE, BuildOptions(layouts=[layout]), out_dir=tmp_path, url=url)
    footer = f"{read_statement(SAMPLE).organisation} · 2025-05-01"  # pdfium may read it between the lines
    printed = re.sub(r"\s", "", text(built.path).replace("\ufffe", "-").replace(footer, ""))
    assert url in printed


@pytest.mark.parametrize("which", ["leaflet", "poster"])
def test_title_author_subject_and_language_are_set(kit, which):
    meta = info(kit[which])
    statement = read_statement(SAMPLE)
    assert meta["Title"] == statement.title
    assert meta["Author"] == statement.organisation
    assert meta["Subject"]
    assert meta["Lang"] == "en"


def test_building_twice_gives_identical_bytes(kit, tmp_path):
    again, = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], marks=True), out_dir=tmp_path, url=URL)
    assert again.path.read_bytes() == kit["leaflet"].read_bytes()
    poster, = build(SAMPLE, BuildOptions(layouts=["a3-poster"], marks=True), out_dir=tmp_path)
    assert poster.path.read_bytes() == kit["poster"].read_bytes()


# --- bleed and office ------------------------------------------------------------------

def is_red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 110 and b < 110


def test_a_band_touching_the_trim_edge_runs_into_the_bleed(kit):
    """The leaflet's headline band touches the top trim edge: the strip between the trim
    and the bleed edge above it is red, not white paper."""
    path = kit["leaflet"]
    dpi = 72
    image = render(path, dpi=dpi).convert("RGB")
    media, trim, bleed = (boxes(path)[k] for k in ("MediaBox", "TrimBox", "BleedBox"))
    scale = dpi / 72
    x = round((trim[0] + trim[2]) / 2 * scale)
    # image rows grow downwards from the media top
    for y_pt in (bleed[3] - 1.5, (bleed[3] + trim[3]) / 2, trim[3] + 1.5):
        row = round((media[3] - y_pt) * scale)
        assert is_red(image.getpixel((x, row))), f"not red at {y_pt:.1f} pt: {image.getpixel((x, row))}"
    above = round((media[3] - bleed[3] - 3) * scale)  # beyond the bleed: paper
    assert image.getpixel((x, above)) == (255, 255, 255)


def test_office_pages_are_the_trim_size_with_no_bleed_and_no_marks(office):
    b = boxes(office)
    assert b["MediaBox"] == pytest.approx((0, 0, *A4), abs=0.01)
    for name in ("TrimBox", "BleedBox"):
        if name in b:
            assert b[name] == pytest.approx(b["MediaBox"], abs=0.01)
    assert not crop_marks(office)


def test_office_pages_keep_everything_5_mm_inside_the_edge(office):
    dpi = 100
    image = render(office, dpi=dpi).convert("L")
    width, height = image.size
    border = int(5 * MM * dpi / 72) - 1
    inner = image.crop((border, border, width - border, height - border))
    assert inner.getextrema()[0] < 128  # something is printed
    for box in ((0, 0, width, border), (0, height - border, width, height),
                (0, 0, border, height), (width - border, 0, width, height)):
        assert image.crop(box).getextrema() == (255, 255), f"ink within 5 mm of the edge in {box}"


def test_office_pages_still_hold_every_paragraph(office):
    printed = squeeze(text(office))
    for block in read_statement(SAMPLE).body:
        assert squeeze(block.text) in printed


# --- hostile text ----------------------------------------------------------------------

HOSTILE = [
    "<b>x</b>",
    "&amp;",
    "<font color=\"[[[getattr(pow, Word('__globals__'))]]]\">",
    "<para>",
    "&lt;i&gt;",
]


def built_text(path: Path) -> str:
    built, = build(path, BuildOptions(layouts=["a4-leaflet"]), out_dir=path.parent, url="https://example.org/h")
    return squeeze(text(built.path))


def test_markup_in_a_plain_text_statement_is_printed_literally(tmp_path):
    statement = tmp_path / "hostile.txt"
    statement.write_text(
        "\n\n".join(f"Here is {h} as written, and more words after it." for h in HOSTILE)
        + "\n\nLoud <b>and</b> &amp; clear!\n",
        encoding="utf-8",
    )
    printed = built_text(statement)
    for h in HOSTILE + ["Loud <b>and</b> &amp; clear!"]:
        assert squeeze(h) in printed, f"{h!r} was not printed as written"


def test_markup_in_a_markdown_statement_is_printed_literally(tmp_path):
    """Markdown's own syntax still counts (`__x__` is bold there, so the payload's
    underscores are escaped as a writer would); everything reportlab would read as markup
    is printed as written, in the body, the title and the slogans."""
    payload = "<font color=\"[[[getattr(pow, Word('\\_\\_globals\\_\\_'))]]]\">"
    statement = tmp_path / "hostile.md"
    statement.write_text(
        "---\ntitle: \"<i>Plain</i> text &amp; only\"\n"
        "slogans:\n  - \"<b>Loud</b> &amp; clear!\"\n---\n\n"
        + "\n\n".join(f"Here is {h} as written, and more words after it." for h in HOSTILE[:2] + [payload] + HOSTILE[3:])
        + "\n",
        encoding="utf-8",
    )
    printed = built_text(statement)
    for h in HOSTILE + ["<b>Loud</b> &amp; clear!", "<i>Plain</i> text &amp; only"]:
        assert squeeze(h) in printed, f"{h!r} was not printed as written"
