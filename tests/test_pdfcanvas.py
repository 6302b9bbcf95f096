"""pdfcanvas.py, the one door to reportlab's private parts: each private part it uses is
checked here, so that a reportlab upgrade that takes one away fails here, loudly, by name,
and not somewhere deep in a build. Each test checks the part is there, then that the file
made through it says what it should (read back with pikepdf and pypdfium2).
"""

from __future__ import annotations

import io
import re
import threading
import uuid
from importlib.metadata import version
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from reportlab import rl_config
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import PDFArray, PDFCatalog, PDFDictionary, PDFDocument, PDFInfo, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from handbill import pdfcanvas
from handbill.fonts import FontSet
from handbill.resources import fonts_dir

ROOT = Path(__file__).resolve().parent.parent
NOTO = fonts_dir() / "noto-sans" / "NotoSans-Regular.ttf"
ARABIC = fonts_dir() / "noto-sans-arabic" / "NotoSansArabic-Regular.ttf"


def _canvas(font: str = "NotoSans-Regular") -> tuple[Canvas, io.BytesIO]:
    FontSet.bundled().primary("text")  # registered
    buffer = io.BytesIO()
    return Canvas(buffer, pagesize=(200, 200), invariant=1, initialFontName=font), buffer


def _fresh_font(path: Path = ARABIC) -> pdfcanvas.PdfFont:
    """A PdfFont of its own, under a name no other test uses."""
    return pdfcanvas.register_font(f"pdfcanvas-test-{uuid.uuid4().hex}", path)


def test_reportlab_is_within_the_bound_pyproject_gives():
    """pdfcanvas leans on reportlab's private parts: pyproject bounds it below the next
    major version, and the installed one is within the bound."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    bound = re.search(r'"reportlab>=([\d.]+),<(\d+)"', pyproject)
    assert bound, "pyproject.toml must bound reportlab above, e.g. reportlab>=4.0,<6"
    major = int(version("reportlab").split(".")[0])
    assert int(bound[1].split(".")[0]) <= major < int(bound[2])


def test_a_raw_operator_goes_into_the_text_object():
    """text_operator: PDFTextObject._code, the operators of a text object so far."""
    canvas, buffer = _canvas()
    text = canvas.beginText()
    assert isinstance(text, PDFTextObject) and isinstance(text._code, list)
    pdfcanvas.text_operator(text, "/Span <</ActualText <FEFF0041>>> BDC")
    text.setTextOrigin(10, 10)
    text.textOut("A")
    pdfcanvas.text_operator(text, "EMC")
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        operators = [str(op) for _operands, op in pikepdf.parse_content_stream(pdf.pages[0])]
    assert operators.index("BDC") < operators.index("Tj") < operators.index("EMC")
    assert operators.index("BT") < operators.index("BDC") and operators.index("EMC") < operators.index("ET")


def test_info_strings_and_a_catalog_entry_reportlab_does_not_know():
    """add_info_strings and add_catalog_entry: Canvas._doc, its info and Catalog,
    PDFDocument._timeStamp, PDFInfo._dateFormatter, PDFCatalog.__NoDefault__."""
    canvas, buffer = _canvas()
    assert isinstance(canvas._doc, PDFDocument)
    assert hasattr(canvas._doc, "_timeStamp") and isinstance(canvas._doc.info, PDFInfo)
    assert hasattr(PDFInfo, "_dateFormatter") and isinstance(PDFCatalog.__NoDefault__, list)
    pdfcanvas.add_info_strings(canvas, {"GTS_PDFXVersion": "PDF/X-1a:2003"})
    pdfcanvas.add_catalog_entry(canvas, "OutputIntents", PDFArray([
        PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
                       "OutputConditionIdentifier": PDFString("FOGRA39")}),
    ]))
    canvas.setTitle("A title set after")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert str(pdf.trailer.Info.Title) == "A title set after"  # reportlab's own keys stay
        assert str(pdf.trailer.Info.CreationDate) == str(pdf.trailer.Info.ModDate)
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"
        assert "/Pages" in pdf.Root


def test_a_shaped_glyph_reads_back_as_its_text_and_has_its_own_width():
    """PdfFont: face.charToGlyph and charWidths take the private code; its addObjects finds
    TTFont.state[doc].subsets, names them with ttfonts.SUBSETN, and replaces the
    ToUnicode stream reportlab made (PDFDocument.idToObject)."""
    assert hasattr(TTFont, "State") and callable(ttfonts.SUBSETN) and ttfonts.SUBSETN(0) == b"AAAAAA"
    assert isinstance(PDFDocument().idToObject, dict)
    font = _fresh_font()
    lam, alef = (font.face.charToGlyph[ord(c)] for c in "لا")
    char = font.glyph_char(lam, "لا")  # a glyph standing for two letters: the cmap has no such character
    assert ord(char) >= pdfcanvas.PRIVATE_START and font.glyph_char(lam, "لا") == char
    assert font.glyph_char(alef, "ا") == "ا"  # the font's own character, where the cmap says so
    assert font.face.charWidths[ord(char)] == font.face.charWidths[ord("ل")]  # the glyph's own advance
    canvas, buffer = _canvas()
    text = canvas.beginText()
    text.setFont(font.fontName, 20)
    text.setTextOrigin(20, 100)
    text.textOut(char)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = pdf.pages[0].Resources.Font
        [arabic] = [f for f in fonts.values() if "NotoSansArabic" in str(f.BaseFont)]
        cmap = arabic.ToUnicode.read_bytes().decode()
    # the code drawn reads back as both letters, in UTF-16 (reportlab's own map would give the private code)
    assert re.search(r"<[0-9A-F]{2}> <06440627>", cmap)
    document = pdfium.PdfDocument(data)
    try:  # a viewer reads both letters (in the order it draws them: render's ActualText puts them right)
        assert sorted(document[0].get_textpage().get_text_range().strip()) == sorted("لا")
    finally:
        document.close()


def test_private_codes_are_given_once_a_pair_from_many_threads_at_once():
    """Two documents drawn at once ask one font for codes: each (glyph, text) gets one code,
    and no code stands for two."""
    font = _fresh_font()
    pairs = [(glyph, text) for glyph in range(100, 160) for text in ("x", "yz", "")]
    found: list[dict] = []

    def ask() -> None:
        found.append({pair: font.glyph_char(*pair) for pair in pairs})

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(one == found[0] for one in found)
    codes = [ord(char) for char in found[0].values()]
    assert len(set(codes)) == len(pairs)
    assert all(font.face.charToGlyph[ord(found[0][pair])] == pair[0] for pair in pairs)


def test_a_font_of_a_registered_postscript_name_is_still_ours():
    """register_font: pdfmetrics.registerFont gives a new name the font already registered
    for the same PostScript name; pdfmetrics._fonts puts ours under our name."""
    assert isinstance(pdfmetrics._fonts, dict)
    pdfmetrics.registerFont(TTFont(f"foreign-{uuid.uuid4().hex}", str(NOTO)))  # someone else's, first
    name = f"pdfcanvas-test-{uuid.uuid4().hex}"
    font = pdfcanvas.register_font(name, NOTO)
    assert isinstance(font, pdfcanvas.PdfFont) and pdfmetrics.getFont(name) is font
    assert pdfcanvas.register_font(name, NOTO) is font  # once a name


def test_a_users_font_is_named_by_its_postscript_name_and_a_hash_in_the_pdf():
    """read_font(postscript_suffix=...): TTFontFace.name, what reportlab writes as BaseFont."""
    name = f"pdfcanvas-test-{uuid.uuid4().hex}"
    font = pdfcanvas.read_font(name, NOTO.read_bytes(), str(NOTO), postscript_suffix="-0123abcd")
    assert isinstance(font.face.name, bytes) and font.face.name == b"NotoSans-Regular-0123abcd"
    pdfcanvas.register_font(name, font=font)
    canvas, buffer = _canvas()
    canvas.setFont(name, 12)
    canvas.drawString(20, 20, "Homes")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        names = {str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()}
    assert "/AAAAAA+NotoSans-Regular-0123abcd" in names


def test_font_bytes_are_the_files_bytes():
    """font_bytes: TTFontFile._ttf_data."""
    font = _fresh_font(NOTO)
    assert pdfcanvas.font_bytes(font) == NOTO.read_bytes()


def test_streams_are_not_ascii85():
    """rl_config.useA85, off: streams are Flate-compressed binary."""
    assert rl_config.useA85 == 0
    canvas, buffer = _canvas()
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.rect(10, 10, 50, 50, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    assert b"/ASCII85Decode" not in buffer.getvalue() and b"/FlateDecode" in buffer.getvalue()


def test_reportlab_is_imported_without_harfbuzz_and_shaped_scripts_still_build(tmp_path):
    # every face is registered shapable=False: reportlab never shapes, so its module is
    # imported with HarfBuzz marked absent, and a Latin build never loads HarfBuzz
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).parent / "data"
    code = (
        "import sys\n"
        "from handbill.build import build\n"
        "from reportlab.pdfbase import ttfonts\n"
        "assert ttfonts.uharfbuzz is None\n"
        f"build({str(data / 'river-homes.md')!r}, out_dir={str(tmp_path / 'latin')!r})\n"
        "assert 'uharfbuzz' not in sys.modules, 'a Latin build loaded HarfBuzz'\n"
        f"build({str(data / 'scripts' / 'ar.md')!r}, out_dir={str(tmp_path / 'arabic')!r})\n"
        "assert 'uharfbuzz' in sys.modules and ttfonts.uharfbuzz is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert len(list((tmp_path / "arabic").glob("*.pdf"))) == 2
