"""`handbill check` on content streams nobody should write, and the boundary round reading.

A content stream is operands followed by an operator, and nothing in the file makes them
fit (`BT /F1 12 Tf Tc 100 700 Td (Hello) Tj ET` is Tc with nothing). The interpreter's
table says what each operator takes; an instruction that does not fit is skipped, the rest
of the page is read, and the page is reported as damaged content, in one line. Anything
else that goes wrong while reading a foreign file is "FILE is damaged (...)", never a
traceback, as text and as JSON. The pages here are made with pikepdf, content and all.
"""

from __future__ import annotations

import io
import json

import pikepdf
import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.cli import main
from handbill.preflight import Report, UnreadablePdf, preflight
from handbill.preflight.reading import read_pdf
from test_preflight import make_pdf, text

# Every operator of PDF 1.7 (ISO 32000-1, annex A), with the operands it takes ("" for
# none), written out here rather than taken from the interpreter's table, so that the
# table is checked against the standard.
PDF_OPERATORS = {
    "b": "", "B": "", "b*": "", "B*": "", "BDC": "/MC1 /MC1", "BI": "", "BMC": "/MC1", "BT": "", "BX": "",
    "c": "1 2 3 4 5 6", "cm": "1 0 0 1 0 0", "CS": "/CS1", "cs": "/CS1", "d": "[3] 0", "d0": "1 0",
    "d1": "1 0 0 0 1 1", "Do": "/Fm1", "DP": "/MC1 /MC1", "EI": "", "EMC": "", "ET": "", "EX": "", "f": "", "F": "",
    "f*": "", "G": "0.5", "g": "0.5", "gs": "/GS1", "h": "", "i": "1", "ID": "", "j": "1", "J": "1", "K": "0 0 0 1",
    "k": "0 0 0 1", "l": "1 2", "m": "1 2", "M": "4", "MP": "/MC1", "n": "", "q": "", "Q": "", "re": "0 0 10 10",
    "RG": "1 0 0", "rg": "1 0 0", "ri": "/Perceptual", "s": "", "S": "", "SC": "1", "sc": "1", "SCN": "1",
    "scn": "1", "sh": "/Sh1", "T*": "", "Tc": "1", "Td": "1 2", "TD": "1 2", "Tf": "/F1 12", "Tj": "(x)",
    "TJ": "[(x) 10 (y)]", "TL": "14", "Tm": "1 0 0 1 0 0", "Tr": "1", "Ts": "2", "Tw": "1", "Tz": "90", "v": "1 2 3 4",
    "w": "1", "W": "", "W*": "", "y": "1 2 3 4", "'": "(x)", '"': "1 2 (x)",
}
TAKES_OPERANDS = sorted(op for op, operands in PDF_OPERATORS.items() if operands)

NAMES = ["/F1", "/GS1", "/Fm1", "/Im1", "/CS1", "/Sh1", "/P1", "/MC1"]  # each in the page's resources


def page_with(content: bytes, size: tuple[float, float] = (595, 842)) -> bytes:
    """A one-page PDF drawing `content`, whose resources hold one of each kind a content
    stream can name (font, graphics state, form, image, colour space, shading, pattern,
    marked-content properties), so that names in it can find something."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=size)
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    form = pdf.make_stream(b"0 0 1 0 k 0 0 10 10 re f BT /F1 8 Tf (in a form) Tj ET", Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Form, BBox=[0, 0, 20, 20])
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    image = pdf.make_stream(bytes(range(16)), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=2, Height=2,
                            ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)
    separation = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/Spot"), pikepdf.Name.DeviceCMYK,
                                pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[0, 1, 0, 0], N=1)])
    shading = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceCMYK, Coords=[0, 0, 100, 0],
                                 Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 0, 0, 0], N=1))
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=font),
        ExtGState=pikepdf.Dictionary(GS1=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, LW=2, OP=True)),
        XObject=pikepdf.Dictionary(Fm1=form, Im1=image),
        ColorSpace=pikepdf.Dictionary(CS1=separation),
        Shading=pikepdf.Dictionary(Sh1=shading),
        Pattern=pikepdf.Dictionary(P1=pikepdf.Dictionary(PatternType=2, Shading=shading)),
        Properties=pikepdf.Dictionary(MC1=pikepdf.Dictionary(MCID=0)),
    )
    page.obj.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def damage(report: Report) -> list[str]:
    return [f.advice for f in report.findings if f.code == "damaged-content"]


# --- the reproductions: a text operator without its operand ------------------------------


@pytest.mark.parametrize("operator", ["Tc", "Tw", "TL", "Tz"])
def test_a_text_operator_without_its_operand_is_one_line_not_a_traceback(tmp_path, capsys, operator):
    path = tmp_path / "flyer.pdf"
    path.write_bytes(page_with(f"BT /F1 12 Tf {operator} 100 700 Td (Hello) Tj ET".encode()))
    assert main(["check", str(path)]) == 1  # damaged content is an error: viewers read it differently
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and captured.err == ""
    said = [line for line in captured.out.splitlines() if operator in line]
    assert said == [f"  error: part of the page cannot be read (its content gives {operator} nothing where it needs a number);"
                    " export the PDF again from the program that made it"]


@pytest.mark.parametrize("operator", ["Tc", "Tw", "TL", "Tz"])
def test_a_text_operator_without_its_operand_is_skipped_and_the_rest_is_read(operator):
    report = preflight(page_with(f"BT /F1 12 Tf {operator} 100 700 Td (Hello) Tj ET".encode()), raster=False)
    [page] = report.pages
    assert page.smallest_text == 12  # the Hello after it was measured
    assert [font.name for font in page.fonts] == ["Helvetica"]
    assert len(damage(report)) == 1


@pytest.mark.parametrize("operator", ["Tc", "Tw", "TL", "Tz"])
def test_a_text_operator_without_its_operand_as_json(tmp_path, capsys, operator):
    path = tmp_path / "flyer.pdf"
    path.write_bytes(page_with(f"BT /F1 12 Tf {operator} 100 700 Td (Hello) Tj ET".encode()))
    assert main(["check", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["error"] is None and data["pages"][0]["smallest_text_pt"] == 12
    [finding] = [f for f in data["findings"] if f["code"] == "damaged-content"]
    assert f"gives {operator} nothing where it needs a number" in finding["advice"]


# --- every operator, every way its operands can be wrong ----------------------------------


def test_the_table_has_every_operator_of_pdf_and_takes_each_one_s_operands():
    from handbill.preflight.interpreter import OPERATORS

    assert len(PDF_OPERATORS) == 73  # ISO 32000-1, annex A
    assert set(OPERATORS) == set(PDF_OPERATORS) | {"INLINE IMAGE"}  # pikepdf's BI ... ID ... EI
    content = " ".join(f"{operands} {op}" for op, operands in PDF_OPERATORS.items() if op not in ("BI", "ID", "EI"))
    assert damage(preflight(page_with(f"BT {content} ET".encode()), raster=False)) == []


@pytest.mark.parametrize("operator", TAKES_OPERANDS)
def test_any_operator_without_its_operands_is_damaged_content(operator):
    for content in (f"BT /F1 12 Tf {operator} (after) Tj ET", f"q {operator} Q 0 0 1 0 k 0 0 10 10 re f"):
        report = preflight(page_with(content.encode()), raster=False)
        [said] = damage(report)
        assert f"gives {operator} nothing where it needs" in said
        assert report.pages[0].max_coverage is not None  # what came after it was read


@pytest.mark.parametrize("content, words", [
    (b"BT /F1 12 Tf /Wide Tc (x) Tj ET", "gives Tc a name where it needs a number"),
    (b"BT /F1 12 Tf (wide) Tz (x) Tj ET", "gives Tz a string where it needs a number"),
    (b"BT /F1 12 Tf 1 2 Tw (x) Tj ET", "gives Tw 2 numbers where it needs a number"),
    (b"true w 0 0 m 10 10 l S", "gives w a boolean where it needs a number"),
    (b"[1 0 0 1 0 0] cm", "gives cm an array where it needs 6 numbers"),
    (b"BT 12 /F1 Tf (x) Tj ET", "gives Tf a number and a name where it needs a name and a number"),
    (b"BT /F1 12 Tf [(x)] Tj ET", "gives Tj an array where it needs a string"),
    (b"BT /F1 12 Tf (x) TJ ET", "gives TJ a string where it needs an array"),
    (b"(Fm1) Do", "gives Do a string where it needs a name"),
    (b"null 0 0 1 rg", "gives rg null and 3 numbers where it needs 3 numbers"),
    (b"/CS1 cs (tint) sc", "gives sc a string where it needs colour components (numbers)"),
    (b"1" + b"0" * 400 + b".5 w", "gives w a number too big for any reader where it needs a number"),
])
def test_an_operand_of_the_wrong_kind_is_damaged_content(content, words):
    report = preflight(page_with(content), raster=False)
    [said] = damage(report)
    assert words in said


def test_an_inline_image_without_its_data_is_damaged_content_in_words():
    report = preflight(page_with(b"0 0 0 1 k 0 0 10 10 re f BI EI"), raster=False)
    assert damage(report) == ["part of the page cannot be read (its content cannot be parsed); "
                              "export the PDF again from the program that made it"]


def test_stray_operands_before_an_operator_that_takes_none_are_ignored_as_every_reader_does():
    document = read_pdf(page_with(b"0 0 0 1 k 10 10 50 50 re 7 f 1 2 q Q"))
    [page] = document.pages
    assert page.damaged is None and len(page.fills) == 1 and page.fills[0].paint.inks == (0, 0, 0, 1)


def test_unbalanced_q_and_Q_and_text_outside_BT_are_read_without_damage():
    report = preflight(page_with(b"Q Q q q q 0 0 1 0 k 0 0 10 10 re f Q /F1 9 Tf 10 10 Td (loose) Tj ET ET BT"), raster=False)
    assert damage(report) == [] and report.pages[0].smallest_text == 9


# --- the boundary: whatever else goes wrong is one line ----------------------------------


def _fault_of_ours(*args, **kwargs):
    raise ZeroDivisionError("division by zero")


def test_an_unforeseen_error_while_reading_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    from handbill.preflight.interpreter import Interpreter

    monkeypatch.setattr(Interpreter, "show", _fault_of_ours)
    pdf = page_with(b"BT /F1 12 Tf (Hello) Tj ET")
    with pytest.raises(UnreadablePdf, match=r"^flyer\.pdf is damaged \(division by zero\); export it again") as caught:
        preflight(pdf, name="flyer.pdf", raster=False)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)  # kept for --debug
    path = tmp_path / "flyer.pdf"
    path.write_bytes(pdf)
    for flag in ([], ["--json"]):
        assert main(["check", str(path), *flag]) == 1
        captured = capsys.readouterr()
        assert captured.err == f"handbill: error: {path} is damaged (division by zero); export it again as PDF from the program that made it\n"
        if flag:
            data = json.loads(captured.out)
            assert data["ok"] is False and data["error"] == captured.err.removeprefix("handbill: error: ").strip()
            assert data["counts"] == {"error": 1, "warning": 0, "note": 0} and data["pages"] == []
        else:
            assert captured.out == ""


def test_an_unreadable_file_as_json_is_a_report_with_its_error(tmp_path, capsys):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"Dear organisers,\nhere is the leaflet.\n")
    assert main(["check", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["schema"] == 1 and data["file"] == str(path) and data["ok"] is False
    assert data["error"] == f"{path} is not a PDF; export or save it as PDF first"
    assert data["findings"] == [{"severity": "error", "page": None, "code": "unreadable", "advice": data["error"]}]
    assert captured.err == f"handbill: error: {data['error']}\n"


def test_a_cut_off_embedded_truetype_program_falls_back_to_the_descriptor():
    def cut_font(document, page):
        for font in page.Resources.Font.values():
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            program = descriptor.FontFile2
            program.write(program.read_bytes()[:300])

    with pikepdf.open(io.BytesIO(make_pdf(lambda c: text(c)))) as document:
        cut_font(document, document.pages[0].obj)
        out = io.BytesIO()
        document.save(out)
    report = preflight(out.getvalue(), raster=False)
    assert report.pages[0].fonts[0].embedded and report.pages[0].smallest_text == 12


# --- any sequence of operators: a report, or one sentence ---------------------------------

EVERY_OPERATOR = sorted(PDF_OPERATORS)
NUMBERS = st.one_of(st.integers(-2000, 2000).map(str),
                    st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: f"{x:.3f}"),
                    st.just("1" + "0" * 60 + ".0"))  # past any float32 a RIP keeps
OPERANDS = st.one_of(
    NUMBERS, NUMBERS, NUMBERS,
    st.sampled_from(NAMES + ["/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern", "/Nowhere"]),
    st.sampled_from(["(Hello)", "<48656c6c6f>", "()", "(\\(x\\) \\\\)"]),
    st.sampled_from(["[(Hel) -120 (lo)]", "[1 2]", "[]", "[/F1 (x)]", "[[3] 0]"]),
    st.sampled_from(["<< /MCID 0 >>", "true", "false", "null"]),
)
INLINE_IMAGES = st.sampled_from([
    "BI /W 2 /H 2 /BPC 8 /CS /CMYK ID \x00\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0\xd0\xe0\xf0 EI",
    "BI /W 1 /H 1 /IM true ID \x80 EI",
    "BI /W 2 /H 2 /BPC 8 /CS /CS1 ID abcd EI",
    "BI /W 2", "ID xx", "EI", "BI", "BI /W 1 /H 1 /BPC 8 ID",
])
INSTRUCTIONS = st.one_of(
    st.tuples(st.lists(OPERANDS, max_size=7), st.sampled_from(EVERY_OPERATOR)).map(lambda i: " ".join([*i[0], i[1]])),
    INLINE_IMAGES,
    st.sampled_from(["BT", "ET", "q", "Q", "BX", "EX", "nonsense"]),  # unbalanced, nested, unknown
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(INSTRUCTIONS, max_size=30))
def test_any_sequence_of_operators_gives_a_report_or_one_sentence(instructions):
    pdf = page_with("\n".join(instructions).encode("latin-1"), size=(60, 60))  # small: a quick raster
    try:
        result = preflight(pdf)
    except UnreadablePdf as error:
        # a refusal, not an error of ours that the boundary turned into "damaged"
        cause = error.__cause__ or error.__context__
        assert cause is None or isinstance(cause, (pikepdf.PdfError, pypdfium2.PdfiumError)), repr(cause)
    else:
        assert isinstance(result, Report)
