"""`handbill check`: a print shop's preflight, read from the PDF itself.

Each deliberately bad file below is made with reportlab's canvas (or pikepdf) the way a
careless program would make it; the preflight must name its problem and exit 1. Every
bundled layout's own output must pass with no errors.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
import qrcode
from PIL import Image as PILImage
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from handbill.build import build
from handbill.cli import main
from handbill.layout import bundled_layouts
from handbill.preflight import preflight
from handbill.options import BuildOptions

MM = 72 / 25.4
ROOT = Path(__file__).resolve().parent.parent
FONT = "PreflightTestSans"
pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "assets" / "fonts" / "noto-sans" / "NotoSans-Regular.ttf")))

A4 = (210 * MM, 297 * MM)
BLEED = 3 * MM
URL = "https://example.org/s/river"

STATEMENT = """---
title: Homes by the River
organisation: Riverside Residents' Union
date: 2025-05-01
url: https://example.org/s/river
excerpt: The city wants the riverbank for a mall. We want our homes.
slogans:
  - Homes, not malls!
  - The river is ours!
---

For forty years, three hundred families have lived on the riverbank. The city now plans
to clear the land for a shopping mall, without consultation and without relocation.

We ask the council to stop the clearing order, meet the residents' union, and put the
families' right to housing before the developer's profit.

Join us at the city hall on Saturday at nine in the morning.
"""


# --- making PDFs ----------------------------------------------------------------------


def make_pdf(draw, *, bleed: float = BLEED, trim: tuple[float, float] = A4, font: str = FONT) -> bytes:
    """One page, trim `trim` with `bleed` round it, TrimBox and BleedBox set, the origin at
    the trim's corner; `draw(canvas)` adds the content. Clean unless `draw` spoils it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(trim[0] + 2 * bleed, trim[1] + 2 * bleed), initialFontName=font, invariant=1)
    canvas.setTitle("Preflight test")
    canvas.setTrimBox((bleed, bleed, bleed + trim[0], bleed + trim[1]))
    canvas.setBleedBox((0, 0, trim[0] + 2 * bleed, trim[1] + 2 * bleed))
    canvas.translate(bleed, bleed)
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.setStrokeColor(CMYKColor(0, 0, 0, 1))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def text(canvas: Canvas, words: str = "Homes, not malls!", size: float = 12, x: float = 30 * MM, y: float = 200 * MM) -> None:
    canvas.setFont(FONT, size)
    canvas.drawString(x, y, words)


def codes(report) -> set[str]:
    return {finding.code for finding in report.findings}


def errors(report) -> set[str]:
    return {finding.code for finding in report.errors}


def check_exit(tmp_path: Path, pdf: bytes, *args: str) -> int:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return main(["check", str(path), *args])


def draw_qr(canvas: Canvas, x: float, y: float, module: float) -> int:
    """The QR code for URL as vector squares, its bottom-left corner at (x, y), no quiet
    zone of its own; returns its width in modules."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(URL)
    matrix = code.get_matrix()
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                canvas.rect(x + column * module, y + (len(matrix) - 1 - row) * module, module, module, stroke=0, fill=1)
    return len(matrix)


# --- a clean file passes --------------------------------------------------------------


def test_a_clean_file_has_no_errors_and_exits_0(tmp_path, capsys):
    pdf = make_pdf(lambda c: text(c))
    report = preflight(pdf)
    assert not report.errors, report.errors
    assert check_exit(tmp_path, pdf) == 0
    out = capsys.readouterr().out
    assert "trim A4 portrait (210 × 297 mm), bleed 3 mm on every side" in out
    assert "no errors" in out


def test_the_trim_size_is_named_and_the_bleed_measured_on_each_side():
    report = preflight(make_pdf(lambda c: text(c), trim=(215.9 * MM, 330.2 * MM), bleed=0.125 * 72))
    page = report.pages[0]
    assert page.trim.startswith("long bond portrait")
    assert page.bleed_mm == {"left": 3.2, "right": 3.2, "bottom": 3.2, "top": 3.2}
    assert preflight(make_pdf(lambda c: text(c), trim=(150 * MM, 150 * MM))).pages[0].trim == "150 × 150 mm"


# --- each bad file names its problem ------------------------------------------------


def test_rgb_colour_is_an_error(tmp_path):
    def draw(c):
        c.setFillColorRGB(1, 0, 0)
        c.rect(20 * MM, 20 * MM, 50 * MM, 50 * MM, stroke=0, fill=1)

    pdf = make_pdf(draw)
    assert "rgb-colour" in errors(preflight(pdf))
    assert check_exit(tmp_path, pdf) == 1


def test_an_unembedded_font_is_an_error_even_helvetica(tmp_path, capsys):
    def draw(c):
        c.setFont("Helvetica", 12)
        c.drawString(30 * MM, 30 * MM, "Hello")

    pdf = make_pdf(draw)
    report = preflight(pdf)
    assert "font-not-embedded" in errors(report)
    assert any("Helvetica" in f.advice for f in report.errors)
    assert check_exit(tmp_path, pdf) == 1
    assert "NOT EMBEDDED" in capsys.readouterr().out


def test_a_colour_that_touches_the_trim_without_bleed_is_an_error(tmp_path):
    def draw(c):
        c.setFillColor(CMYKColor(0, 0.9, 0.9, 0))
        c.rect(0, 250 * MM, 210 * MM, 47 * MM, stroke=0, fill=1)  # a band at the top, cut at the trim

    pdf = make_pdf(draw)
    report = preflight(pdf)
    sliver = [f for f in report.errors if f.code == "content-short-of-bleed"]
    assert len(sliver) == 1 and "reaches the left, right and top edges" in sliver[0].advice
    assert check_exit(tmp_path, pdf) == 1


def test_a_page_with_no_bleed_at_all_is_flagged_and_a_band_to_its_edge_is_an_error():
    clean = preflight(make_pdf(lambda c: text(c), bleed=0))
    assert "no-bleed" in codes(clean) and not clean.errors

    def band(c):
        c.setFillColor(CMYKColor(0, 0.9, 0.9, 0))
        c.rect(0, 250 * MM, 210 * MM, 47 * MM, stroke=0, fill=1)

    assert "content-short-of-bleed" in errors(preflight(make_pdf(band, bleed=0)))


def test_a_low_resolution_image_is_an_error_and_a_middling_one_a_warning(tmp_path):
    def draw_at(pixels):
        def draw(c):
            image = PILImage.new("CMYK", (pixels, pixels), (0, 100, 100, 0))
            c.drawImage(_reader(image), 30 * MM, 30 * MM, 100 * MM, 100 * MM)
        return draw

    low = make_pdf(draw_at(300))  # 300 px over 100 mm: 76 ppi
    report = preflight(low)
    assert "image-resolution" in errors(report)
    assert report.pages[0].images[0]["ppi"] == 76
    assert check_exit(tmp_path, low) == 1
    middling = preflight(make_pdf(draw_at(900)))  # 229 ppi
    assert "image-resolution" in {f.code for f in middling.warnings} and not middling.errors


def _reader(image):
    from reportlab.lib.utils import ImageReader

    return ImageReader(image)


def test_an_image_with_a_soft_mask_is_transparency_and_an_error(tmp_path):
    def draw(c):
        image = PILImage.new("RGBA", (1200, 1200), (255, 0, 0, 128))
        c.drawImage(_reader(image), 30 * MM, 30 * MM, 100 * MM, 100 * MM, mask="auto")

    pdf = make_pdf(draw)
    report = preflight(pdf)
    assert "transparency" in errors(report)
    assert any("soft mask" in f.advice for f in report.errors)
    assert check_exit(tmp_path, pdf) == 1


def test_constant_alpha_below_1_is_an_error(tmp_path):
    def draw(c):
        c.setFillAlpha(0.5)
        c.setFillColor(CMYKColor(1, 0, 0, 0))
        c.rect(20 * MM, 20 * MM, 50 * MM, 50 * MM, stroke=0, fill=1)

    pdf = make_pdf(draw)
    report = preflight(pdf)
    assert any(f.code == "transparency" and "opacity 50 %" in f.advice for f in report.errors)
    assert check_exit(tmp_path, pdf) == 1


def test_a_qr_code_without_quiet_zone_is_an_error(tmp_path):
    def draw(c):
        m = 2 * MM
        c.setFillColor(CMYKColor(0, 0, 0, 1))
        c.rect(40 * MM, 40 * MM, 70 * MM, 70 * MM, stroke=0, fill=1)  # a dark box round the code
        c.setFillColor(CMYKColor(0, 0, 0, 0))
        c.rect(40 * MM + m, 40 * MM + m, 70 * MM - 2 * m, 70 * MM - 2 * m, stroke=0, fill=1)
        draw_qr(c, 40 * MM + 2 * m, 40 * MM + 2 * m, m)  # 1 module of white between box and code

    pdf = make_pdf(draw)
    report = preflight(pdf)
    [code] = report.pages[0].qr_codes
    assert code["text"] == URL and code["quiet_zone_modules"] == 1
    assert "qr-quiet-zone" in errors(report)
    assert check_exit(tmp_path, pdf) == 1


def test_a_good_qr_code_is_measured_and_its_reading_distance_given():
    modules = []
    report = preflight(make_pdf(lambda c: modules.append(draw_qr(c, 40 * MM, 40 * MM, 2 * MM))))
    [code] = report.pages[0].qr_codes
    assert code["text"] == URL and code["quiet_zone_modules"] == 4
    assert code["module_mm"] == pytest.approx(2.0, abs=0.05)
    width = modules[0] * 2
    assert code["width_mm"] == pytest.approx(width, abs=0.5)
    assert code["reading_distance_m"] == pytest.approx(width / 100, abs=0.01)  # ten times its width
    assert "qr-quiet-zone" not in codes(report) and not report.errors


def test_a_qr_code_with_modules_under_half_a_millimetre_is_flagged():
    report = preflight(make_pdf(lambda c: draw_qr(c, 40 * MM, 40 * MM, 0.45 * MM)))
    [code] = report.pages[0].qr_codes
    assert code["module_mm"] == pytest.approx(0.45, abs=0.05)
    assert "qr-module-small" in {f.code for f in report.warnings}


def test_white_text_below_8_pt_on_a_colour_is_an_error(tmp_path):
    def draw(c):
        c.setFillColor(CMYKColor(0, 1, 1, 0))
        c.rect(20 * MM, 190 * MM, 170 * MM, 30 * MM, stroke=0, fill=1)
        c.setFillColor(CMYKColor(0, 0, 0, 0))
        text(c, "small print in white", size=6.5)

    pdf = make_pdf(draw)
    assert "knockout-text-small" in errors(preflight(pdf))
    assert check_exit(tmp_path, pdf) == 1


def test_small_text_in_rich_black_is_an_error(tmp_path):
    def draw(c):
        c.setFillColor(CMYKColor(0.6, 0.4, 0.4, 1))
        text(c, "rich black body text", size=9)

    pdf = make_pdf(draw)
    assert "rich-black-text" in errors(preflight(pdf))
    assert check_exit(tmp_path, pdf) == 1

    def headline(c):
        c.setFillColor(CMYKColor(0.6, 0.4, 0.4, 1))
        text(c, "RICH BLACK HEADLINE", size=36)

    assert "rich-black-text" not in codes(preflight(make_pdf(headline)))


def test_ink_over_the_paper_limit_is_an_error_and_the_limit_follows_the_paper(tmp_path):
    def draw(c):
        c.setFillColor(CMYKColor(0.7, 0.7, 0.6, 0.8))  # 280 %
        c.rect(20 * MM, 20 * MM, 100 * MM, 100 * MM, stroke=0, fill=1)

    pdf = make_pdf(draw)
    uncoated = preflight(pdf, paper="uncoated")
    assert "ink-coverage" in errors(uncoated) and uncoated.pages[0].max_coverage == 280
    assert "ink-coverage" not in codes(preflight(pdf, paper="coated"))
    assert check_exit(tmp_path, pdf, "--paper", "uncoated") == 1
    assert check_exit(tmp_path, pdf, "--paper", "coated") == 0

    def over_300(c):
        c.setFillColor(CMYKColor(1, 1, 1, 0.5))  # 350 %
        c.rect(20 * MM, 20 * MM, 100 * MM, 100 * MM, stroke=0, fill=1)

    assert "ink-coverage" in errors(preflight(make_pdf(over_300), paper="coated"))


def test_hairlines_and_tiny_text_are_found_and_the_smallest_measured():
    def draw(c):
        c.setLineWidth(0)
        c.line(20 * MM, 20 * MM, 100 * MM, 20 * MM)
        text(c, "fine print", size=3.5)

    report = preflight(make_pdf(draw))
    assert report.pages[0].thinnest_line == 0 and report.pages[0].smallest_text == 3.5
    assert {"thin-line", "small-text"} <= errors(report)


def test_text_past_the_trim_is_an_error_and_text_near_it_a_warning():
    near = preflight(make_pdf(lambda c: text(c, x=1.5 * MM)))
    assert "text-near-edge" in codes(near) and not near.errors
    cut = preflight(make_pdf(lambda c: text(c, "This line runs far off the right edge of the page", size=30, x=150 * MM)))
    assert "text-cut-off" in errors(cut)


def test_crop_marks_are_found_and_marks_that_start_inside_the_bleed_are_an_error():
    def marks(offset_mm):
        def draw(c):
            c.setLineWidth(0.25)
            w, h = A4
            for x, sx in ((0, -1), (w, 1)):
                for y, sy in ((0, -1), (h, 1)):
                    c.line(x + sx * offset_mm * MM, y, x + sx * (offset_mm + 5) * MM, y)
                    c.line(x, y + sy * offset_mm * MM, x, y + sy * (offset_mm + 5) * MM)
        return draw

    def padded(draw):  # room outside the bleed for the marks
        buffer = io.BytesIO()
        room = 12 * MM
        c = Canvas(buffer, pagesize=(A4[0] + 2 * room, A4[1] + 2 * room), initialFontName=FONT, invariant=1)
        c.setTrimBox((room, room, room + A4[0], room + A4[1]))
        c.setBleedBox((room - BLEED, room - BLEED, room + A4[0] + BLEED, room + A4[1] + BLEED))
        c.translate(room, room)
        c.setStrokeColor(CMYKColor(0, 0, 0, 1))
        draw(c)
        c.showPage()
        c.save()
        return buffer.getvalue()

    good = preflight(padded(marks(3)))
    assert good.pages[0].crop_marks and "crop-marks-in-bleed" not in codes(good)
    assert "crop-marks-in-bleed" in errors(preflight(padded(marks(1))))


def test_the_registration_colour_inside_the_page_is_an_error():
    from reportlab.lib.colors import CMYKColorSep

    def draw(c):
        c.setFillColor(CMYKColorSep(1, 1, 1, 1, spotName="All"))
        text(c, "registration black")

    assert "registration-colour" in errors(preflight(make_pdf(draw)))


# --- files that cannot be checked ------------------------------------------------------


@pytest.mark.parametrize("content, words", [
    (b"Dear organisers,\nhere is the leaflet.\n", "is not a PDF"),
    (b"", "is an empty file"),
    (None, "is damaged"),
])
def test_a_file_that_is_not_a_readable_pdf_gets_one_clear_line(tmp_path, capsys, content, words):
    if content is None:
        content = make_pdf(lambda c: text(c))[:700]  # cut off mid-file
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("handbill: error: ") and words in err
    assert "Traceback" not in err


def test_a_damaged_but_repairable_pdf_is_read_with_a_warning():
    pdf = make_pdf(lambda c: text(c))
    broken = pdf[: pdf.rfind(b"startxref")] + b"startxref\n12345\n%%EOF\n"  # the index points nowhere
    report = preflight(broken)
    assert "repaired" in {f.code for f in report.warnings} and not report.errors


def test_an_encrypted_pdf_gets_one_clear_line(tmp_path, capsys):
    path = tmp_path / "locked.pdf"
    with pikepdf.open(io.BytesIO(make_pdf(lambda c: text(c)))) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="shop", user="", R=6))
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "encrypted" in err


def test_a_missing_file_gets_one_clear_line(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere.pdf")]) == 1
    assert "no such file" in capsys.readouterr().err


# --- PDF/X-1a ---------------------------------------------------------------------------


def test_pdfx_requirements_are_each_reported_met_or_not():
    report = preflight(make_pdf(lambda c: text(c)))
    assert not report.pdfx_claimed
    unmet = {r.what for r in report.pdfx if not r.met}
    assert "GTS_PDFXVersion is PDF/X-1a:2003" in unmet
    assert "every page has a TrimBox" not in unmet and "every font embedded" not in unmet
    assert "not-pdfx" in {f.code for f in report.warnings}


def test_a_file_that_claims_pdfx_but_breaks_it_has_errors():
    def draw(c):
        c.setFillColorRGB(0, 0, 1)
        c.rect(20 * MM, 20 * MM, 50 * MM, 50 * MM, stroke=0, fill=1)

    with pikepdf.open(io.BytesIO(make_pdf(draw))) as pdf:
        pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1a:2003"
        out = io.BytesIO()
        pdf.save(out)
    report = preflight(out.getvalue())
    pdfx = [f.advice for f in report.errors if f.code == "pdfx"]
    assert any("only CMYK, gray and spot colour" in advice for advice in pdfx)
    assert any("OutputIntent" in advice for advice in pdfx)


def test_a_proper_output_intent_meets_pdfx_and_sets_the_paper():
    with pikepdf.open(io.BytesIO(make_pdf(lambda c: text(c)))) as pdf:
        pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1a:2003"
        pdf.Root.OutputIntents = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, OutputConditionIdentifier="FOGRA47",
            RegistryName="http://www.color.org", Info="Uncoated offset, PSO Uncoated ISO12647 (FOGRA47)",
        )]))
        out = io.BytesIO()
        pdf.save(out)
    report = preflight(out.getvalue())
    assert all(r.met for r in report.pdfx), [r.what for r in report.pdfx if not r.met]
    assert report.paper == "uncoated" and report.paper_from == "output intent"
    assert not report.errors


# --- --statement and --json ------------------------------------------------------------


@pytest.fixture
def statement(tmp_path) -> Path:
    path = tmp_path / "river.md"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


def test_with_a_statement_every_paragraph_must_be_in_the_text_layer(tmp_path, statement, capsys):
    out = tmp_path / "out"
    [leaflet] = build(statement, BuildOptions(layouts=["a4-leaflet"]), out_dir=out)
    assert main(["check", str(leaflet.path), "--statement", str(statement)]) == 0
    assert "statement: 3 of 3 paragraphs in the text layer" in capsys.readouterr().out

    lost = statement.with_name("more.md")
    lost.write_text(STATEMENT + "\nA fourth paragraph that the leaflet never printed.\n", encoding="utf-8")
    assert main(["check", str(leaflet.path), "--statement", str(lost), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["statement"]["found"] == 3 and data["statement"]["paragraphs"] == 4
    assert any(f["code"] == "statement-missing" and "fourth paragraph" in f["advice"] for f in data["findings"])


def test_json_gives_the_same_findings_as_data(tmp_path, capsys):
    def draw(c):
        c.setFillColorRGB(1, 0, 0)
        text(c)

    assert check_exit(tmp_path, make_pdf(draw), "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == 1 and data["ok"] is False
    assert data["counts"]["error"] >= 1
    [page] = data["pages"]
    assert page["trim_mm"] == [210, 297] and page["bleed_mm"]["top"] == 3
    assert "DeviceRGB" in page["colour_spaces"]
    assert page["fonts"] == [{"name": "NotoSans-Regular", "type": "TrueType", "embedded": True, "subset": True}]
    finding = next(f for f in data["findings"] if f["code"] == "rgb-colour")
    assert finding == {"severity": "error", "page": 1, "code": "rgb-colour", "advice": finding["advice"]}
    assert {r["what"] for r in data["pdfx"]["requirements"]} >= {"no transparency", "every font embedded"}


# --- handbill's own output ---------------------------------------------------------------


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("kit")
    source = folder / "river.md"
    source.write_text(STATEMENT, encoding="utf-8")
    names = [layout.name for layout in bundled_layouts()]
    paths = [b.path for b in build(source, BuildOptions(layouts=names, marks=True), out_dir=folder / "out")]
    paths += [b.path for b in build(source, BuildOptions(layouts=names, office=True), out_dir=folder / "office")]
    return paths


def test_every_bundled_layout_builds_to_a_file_with_no_errors(kit):
    for path in kit:
        office = "office" in path.name
        report = preflight(path, print_shop=not office)
        assert not report.errors, (path.name, [f.advice for f in report.errors])
        for page in report.pages:
            assert page.crop_marks != office
            assert page.qr_codes == [] or page.qr_codes[0]["text"] == URL


def test_check_exits_0_on_every_bundled_layouts_print_output(kit):
    for path in kit:
        if "office" not in path.name:
            assert main(["check", str(path)]) == 0, path.name


def test_handbills_print_output_is_pdfx_1a(kit):
    prints = [path for path in kit if "office" not in path.name]
    reports = [preflight(path, raster=False) for path in prints]
    assert all(r.pdfx_claimed for r in reports)
    for path, report in zip(prints, reports):
        assert all(r.met for r in report.pdfx), (path.name, [r.what for r in report.pdfx if not r.met])


def test_build_refuses_a_file_that_fails_preflight_and_leaves_nothing(tmp_path, statement, monkeypatch, capsys):
    import handbill.build

    def spoilt(composition, **_):
        return make_pdf(lambda c: (c.setFillColorRGB(1, 0, 0), text(c)))

    monkeypatch.setattr(handbill.build, "render", spoilt)
    out = tmp_path / "out"
    assert main(["build", str(statement), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "would fail a print shop's preflight" in err and "RGB" in err
    assert not list(out.glob("*.pdf")) if out.exists() else True


def test_build_prints_the_preflights_warnings(tmp_path, statement, monkeypatch, capsys):
    import handbill.build

    monkeypatch.setattr(handbill.build, "render", lambda composition, **_: make_pdf(lambda c: text(c, x=1 * MM)))
    assert main(["build", str(statement), "--layout", "a4-leaflet", "--out", str(tmp_path)]) == 0
    assert "warning: page 1: some text is closer than 3 mm" in capsys.readouterr().out
