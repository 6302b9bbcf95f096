"""`handbill check` on hard cases: damaged files, posters, tiny QR codes, hidden fonts and scripts.

Each file is made here, deliberately bad, with reportlab or pikepdf; the finding is read
back from `handbill check` (or the preflight it runs). The helpers that make clean pages
are test_preflight's.
"""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from PIL import Image as PILImage
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from handbill.cli import main
from handbill.preflight import preflight
from test_preflight import MM, draw_qr, errors, make_pdf, text

# --- 1. files pikepdf repairs but pdfium cannot open: one line, exit 1 -------------------


def _empty_pdf() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def _cut_at_the_end() -> bytes:
    return make_pdf(lambda c: text(c))[:-200]  # the xref table and trailer gone


def _zeros_in_the_middle() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    for i in range(20):
        canvas.rect(10 + i, 10, 5, 5, fill=1)
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    middle = len(pdf) // 2
    return pdf[:middle] + bytes(500) + pdf[middle + 500:]


@pytest.mark.parametrize("make, words", [
    (_empty_pdf, "has no pages"),
    (_cut_at_the_end, "a PDF viewer cannot open it"),
    (_zeros_in_the_middle, "a PDF viewer cannot open it"),
])
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_file_a_viewer_cannot_open_gets_one_clear_line(tmp_path, capsys, make, words, json_flag):
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(make())
    assert main(["check", str(path), *json_flag]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("handbill: error: ")
    assert words in captured.err and "Traceback" not in captured.err
    if json_flag:  # a script gets a report too: the same sentence, as the one error
        data = json.loads(captured.out)
        assert data["ok"] is False and data["error"] == captured.err.removeprefix("handbill: error: ").strip()
        assert data["findings"] == [{"severity": "error", "page": None, "code": "unreadable", "advice": data["error"]}]
    else:
        assert captured.out == ""


def test_a_page_a_viewer_cannot_load_is_damaged_content(tmp_path, capsys):
    with pikepdf.open(io.BytesIO(make_pdf(lambda c: text(c)))) as pdf:
        pdf.pages[0].obj.Type = pikepdf.Name.Pagina  # pikepdf reads the page; pdfium refuses it
        out = io.BytesIO()
        pdf.save(out)
    report = preflight(out.getvalue())
    [finding] = [f for f in report.errors if f.code == "damaged-content"]
    assert finding.page == 1 and "cannot draw the page" in finding.advice
    assert check_exit(tmp_path, out.getvalue()) == 1


def check_exit(tmp_path, pdf: bytes, *args: str) -> int:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return main(["check", str(path), *args])


# --- 2. a poster carries an excerpt of the statement, a leaflet all of it ------------------

PARAGRAPHS = [
    "The river is ours.",
    "Three hundred families live on its bank.",
    "The council wants a mall there.",
    "Meet us at the city hall on Saturday.",
]
TITLE = "Homes by the River"


def _statement(tmp_path):
    path = tmp_path / "river.md"
    path.write_text(f"---\ntitle: {TITLE}\n---\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def _printing(*lines: str) -> bytes:
    def draw(c):
        for row, line in enumerate(lines):
            text(c, line, y=(250 - 12 * row) * MM)
    return make_pdf(draw)


def test_a_poster_with_an_excerpt_of_the_statement_gets_a_note_not_errors(tmp_path, capsys):
    poster = _printing(TITLE.upper(), PARAGRAPHS[0], "Homes, not malls!")
    assert check_exit(tmp_path, poster, "--statement", str(_statement(tmp_path)), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["statement"] == {"paragraphs": 4, "found": 1, "missing": PARAGRAPHS[1:], "title_found": True}
    [note] = [f for f in data["findings"] if f["code"] == "statement-excerpt"]
    assert note["severity"] == "note"
    assert "carries 1 of the statement's 4 paragraphs (not the full text) and its title" in note["advice"]
    assert not any(f["code"] == "statement-missing" for f in data["findings"])


def test_a_leaflet_holding_most_of_the_statement_is_an_error_per_lost_paragraph(tmp_path, capsys):
    leaflet = _printing(TITLE, *PARAGRAPHS[:3])  # the last paragraph lost
    assert check_exit(tmp_path, leaflet, "--statement", str(_statement(tmp_path))) == 1
    out = capsys.readouterr().out
    assert "statement: 3 of 4 paragraphs in the text layer, title found" in out
    assert out.count("error: the paragraph") == 1 and "Meet us at the city hall" in out


def test_a_file_holding_none_of_the_statement_is_an_error(tmp_path, capsys):
    """The wrong file, or the statement rewritten since: not ready for the print shop."""
    other = _printing("Wages now!", "The factory owes three months of pay.")
    assert check_exit(tmp_path, other, "--statement", str(_statement(tmp_path))) == 1
    assert "error: the file holds none of this statement" in capsys.readouterr().out


# --- 3. a QR code too small to decode at 150 dpi -----------------------------------------


def test_a_qr_code_too_small_for_the_first_raster_is_found_finer_and_is_an_error():
    a6 = (105 * MM, 148 * MM)
    report = preflight(make_pdf(lambda c: draw_qr(c, 30 * MM, 60 * MM, 0.2 * MM), trim=a6))
    [code] = report.pages[0].qr_codes
    assert code["module_mm"] == pytest.approx(0.2, abs=0.03)
    assert "qr-module-small" in errors(report)


# --- 4. what reading.py did not read ------------------------------------------------------


def _with(pdf: bytes, change) -> bytes:
    """The PDF after `change(pikepdf.Pdf, page dictionary)`."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        change(document, document.pages[0].obj)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _add_annotation(document, page, annotation) -> None:
    annotations = page.get("/Annots") or pikepdf.Array()
    annotations.append(document.make_indirect(annotation))
    page.Annots = annotations


def _free_text(document, page) -> None:
    """A FreeText comment set to print, drawn in Helvetica, which is not embedded."""
    helvetica = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                          BaseFont=pikepdf.Name.Helvetica))
    appearance = document.make_stream(b"BT /Helv 10 Tf 2 4 Td (Approved) Tj ET")
    appearance.Type, appearance.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    appearance.BBox = [0, 0, 60, 16]
    appearance.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica))
    _add_annotation(document, page, pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText, Rect=[100, 100, 160, 116], F=4,
        Contents="Approved", AP=pikepdf.Dictionary(N=appearance)))


def test_a_font_in_a_printing_annotations_appearance_must_be_embedded(tmp_path):
    pdf = _with(make_pdf(lambda c: text(c)), _free_text)
    report = preflight(pdf)
    assert any(f.code == "font-not-embedded" and "Helvetica" in f.advice for f in report.errors)
    assert "annotation" in {f.code for f in report.warnings}
    assert check_exit(tmp_path, pdf) == 1


def _actions(document, page) -> None:
    page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('hi')"))
    for action in (pikepdf.Dictionary(S=pikepdf.Name.Launch, F="run.exe"),
                   pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/")):
        _add_annotation(document, page, pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action))


def test_scripts_and_launches_on_a_page_or_a_link_are_found():
    report = preflight(_with(make_pdf(lambda c: text(c)), _actions), raster=False)
    [finding] = [f for f in report.errors if f.code == "scripts"]
    assert "a JavaScript action on page 1" in finding.advice
    assert "a Launch action on a Link annotation on page 1" in finding.advice
    assert "URI" not in finding.advice  # a web link only moves the reader
    assert not next(r for r in report.pdfx if r.what == "no JavaScript or actions").met


@pytest.mark.parametrize("content", [
    b"BT /F1 12 Tf 30 30 Td (Homes, not malls!) Tj ET 0 0 1 rg 10 10 50 50 re f (unclosed",  # cut short
    bytes(range(256)) * 4,  # binary junk where the drawing should be
])
def test_a_content_stream_that_cannot_be_parsed_is_damaged_content(content):
    def spoil(document, page):
        page.Contents = document.make_stream(content)

    report = preflight(_with(make_pdf(lambda c: text(c)), spoil), raster=False)
    [finding] = [f for f in report.errors if f.code == "damaged-content"]
    assert finding.page == 1 and "cannot be read" in finding.advice


def test_a_content_stream_with_only_known_operators_is_not_damaged():
    report = preflight(make_pdf(lambda c: text(c)), raster=False)
    assert "damaged-content" not in errors(report)


def test_a_font_stored_directly_in_the_resources_is_listed_once(tmp_path, capsys):
    def helvetica(c):
        c.setFont("Helvetica", 12)
        c.drawString(30 * MM, 30 * MM, "Hello")

    def inline_the_font(document, page):
        fonts = page.Resources.Font
        for name in list(fonts.keys()):
            fonts[name] = pikepdf.Dictionary({key: value for key, value in fonts[name].items()})

    pdf = _with(make_pdf(helvetica), inline_the_font)
    report = preflight(pdf)
    assert [f.name for f in report.pages[0].fonts].count("Helvetica") == 1
    assert [f.code for f in report.errors].count("font-not-embedded") == 1
    check_exit(tmp_path, pdf)
    out = capsys.readouterr().out
    assert "(pages 1, 1)" not in out and out.count("Helvetica (Type 1, NOT EMBEDDED)") == 1


# --- 5. images named so a volunteer can find them -----------------------------------------


def test_an_image_is_named_by_its_size_and_place_on_the_page(tmp_path, capsys):
    from reportlab.lib.utils import ImageReader

    def draw(c):
        image = PILImage.new("CMYK", (120, 90), (0, 100, 100, 0))  # 76 ppi at 40 × 30 mm
        c.drawImage(ImageReader(image), 12 * MM, (297 - 20 - 30) * MM, 40 * MM, 30 * MM)

    pdf = make_pdf(draw)
    [finding] = [f for f in preflight(pdf).errors if f.code == "image-resolution"]
    assert finding.advice.startswith("the 40 × 30 mm image at 12 mm from the left, 20 mm from the top is only 76 ppi")
    assert "FormXob" not in finding.advice
    check_exit(tmp_path, pdf, "--json")
    [image] = json.loads(capsys.readouterr().out)["pages"][0]["images"]
    assert image["placed_mm"] == [40, 30] and image["position_mm"] == [12, 20]


# --- 6. the colour operators in use -------------------------------------------------------


def test_the_colour_operators_in_use_are_reported(tmp_path, capsys):
    def draw(c):
        c.setFillGray(0.5)
        c.rect(20 * MM, 20 * MM, 10 * MM, 10 * MM, stroke=0, fill=1)
        c.setStrokeColorRGB(0, 0, 1)
        c.line(20 * MM, 40 * MM, 60 * MM, 40 * MM)

    pdf = make_pdf(draw)  # make_pdf sets CMYK fill and stroke (k, K) first
    check_exit(tmp_path, pdf, "--json")
    [page] = json.loads(capsys.readouterr().out)["pages"]
    assert page["colour_operators"] == ["k", "K", "g", "RG"]
    check_exit(tmp_path, pdf)
    assert "colour: DeviceGray, DeviceRGB; set with k, K, g, RG" in capsys.readouterr().out


def test_a_cmyk_only_page_reports_only_cmyk_operators():
    report = preflight(make_pdf(lambda c: (c.setFillColor(CMYKColor(0, 1, 1, 0)), text(c))), raster=False)
    assert report.pages[0].colour_operators == ["k", "K"]


# --- white set to overprint: it vanishes on press -----------------------------------------


@pytest.mark.parametrize("what, draw", [
    ("white text", lambda c: (c.setFillColor(CMYKColor(0, 0, 0, 0)), text(c, size=14))),
    ("a white area", lambda c: (c.setFillColor(CMYKColor(0, 0, 0, 0)), c.rect(30 * MM, 30 * MM, 40 * MM, 20 * MM, fill=1, stroke=0))),
])
def test_white_set_to_overprint_is_an_error(what, draw):
    def overprinted(canvas):
        canvas.setFillOverprint(True)
        draw(canvas)

    report = preflight(make_pdf(overprinted), raster=False)
    assert any(f.code == "white-overprint" and f"{what} is set to overprint" in f.advice for f in report.errors)


def test_coloured_text_set_to_overprint_is_fine():
    def overprinted(canvas):
        canvas.setFillOverprint(True)
        text(canvas)

    assert not [f for f in preflight(make_pdf(overprinted), raster=False).findings if f.code == "white-overprint"]
