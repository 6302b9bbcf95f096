"""reportlab behind one door: the only module that touches reportlab's private parts.

render.py draws with reportlab's public canvas; fonts.py asks reportlab to read TrueType
files. What reportlab has no public way to do is here, each with a test in
tests/test_pdfcanvas.py that fails loudly when a reportlab upgrade takes it away (and
pyproject.toml bounds reportlab below its next major version):

- `text_operator`: a raw operator in a text object (`PDFTextObject._code`): a stroke width
  for emboldened text, a text rise, the marked content (`/Span <</ActualText ...>> BDC ...
  EMC`) that gives a shaped line its text.
- `show_spaced`: a TJ array (strings and position adjustments) in one operator, which
  reportlab's text object writes only for its own HarfBuzz shaping: render draws a shaped
  run, or a line's words, with one operator, not one per glyph or word.
- `add_info_strings`, `add_catalog_entry`: keys reportlab's Info dictionary and Catalog do
  not know (PDF/X's GTS_PDFXVersion and OutputIntents): `canvas._doc`,
  `document._timeStamp`, `PDFInfo._dateFormatter`, `PDFCatalog.__NoDefault__`.
- `PdfFont`: a TrueType font that can draw glyphs without a character of their own (shaped
  Arabic, Indic conjuncts) and reads them back as the text they stand for. It gives each
  (glyph, text) pair a code of Unicode's supplementary private use area, in its own cmap
  copy (`face.charToGlyph`), and writes the pair's text into the ToUnicode map of the
  subsets it embeds, replacing reportlab's (`addObjects`, `TTFont.State.subsets`,
  `ttfonts.SUBSETN`, `PDFDocument.idToObject`). This was a global monkeypatch of
  `ttfonts.makeToUnicodeCMap`, which changed the ToUnicode map of every TrueType font in
  the process and read a module-level table; now only handbill's own fonts are touched, and
  each keeps its own table.
- `register_font`: reportlab's registry gives a new name the font already registered for
  the same PostScript name, if any (`pdfmetrics.registerFont`), so a font someone else in
  the process registered first (a test's, another library's) would stand in for ours, and
  ours would lack its private codes. We put ours under our name (`pdfmetrics._fonts`).
- `read_font(..., postscript_suffix=...)`: a user's font is named in the PDF by its
  PostScript name and a hash of its bytes (`face.name`): reportlab names a document's font
  objects by PostScript name, so two fonts of one name (a newer Noto Sans Arabic beside the
  bundled one, two versions of a user's face) could not share a PDF, and the second to be
  registered would be drawn as the first.
- `font_bytes`: the bytes of a font file as reportlab read them (`face._ttf_data`), for
  the glyf and hmtx look-ups and for HarfBuzz.
- reportlab's TrueType module is imported with HarfBuzz marked absent (`sys.modules`),
  since handbill never asks reportlab to shape: a Latin build does not load HarfBuzz.
- `rl_config.useA85 = 0`, set on import: streams are Flate-compressed binary; reportlab's
  default also wraps them in ASCII85, a 7-bit encoding for mail transport that makes files
  25 % larger and slower to write. reportlab reads it from its global configuration when
  it writes a stream and has no per-canvas setting, so it stays a process-wide switch; it
  changes only how streams are encoded (both are valid PDF, read the same everywhere),
  never what they hold, so nothing built in the process depends on when it was set.

Why the private codes do not make a document depend on what was built before it: a code,
once given, always stands for the same glyph and text, and never reaches the file.
reportlab numbers a subset's characters in the order the document first draws them, embeds
the subset's glyphs in that order, and the ToUnicode map is written per subset index; the
widths written are the glyph's own advance (its hmtx entry), not the advance it was first
drawn with (HarfBuzz's kerning changes that from text to text). So the same drawing gives
the same bytes whatever codes other documents took first.

Thread safety: reportlab's registry of fonts is process-global; `register_font` adds each
name once, under a lock, and a name stands for one file's content for good (fonts.py
derives the names of users' fonts from a hash of their bytes). A font's private codes are
given under the font's lock. reportlab reads a font file with one shared read position
(`TTFontFile.seek`) when it cuts a subset, so `addObjects` holds the font's subsetting lock:
two documents saved at once on two threads take turns there.
"""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString

from . import truetype


def _ttfonts_without_harfbuzz():
    """reportlab's TrueType module, imported without the HarfBuzz it tries to import for
    shaping (`try: import uharfbuzz`): every face handbill registers is shapable=False
    (text/shaping.py shapes, and imports HarfBuzz only when a script needs it), so a Latin
    build need not load it. While this one import runs, `uharfbuzz` is marked absent
    (sys.modules[name] = None makes `import` fail); the mark is removed after. Nothing
    changes if reportlab's module or HarfBuzz is loaded already."""
    if "reportlab.pdfbase.ttfonts" in sys.modules or "uharfbuzz" in sys.modules:
        from reportlab.pdfbase import ttfonts

        return ttfonts
    sys.modules["uharfbuzz"] = None
    try:
        from reportlab.pdfbase import ttfonts
    finally:
        if sys.modules.get("uharfbuzz", 0) is None:
            del sys.modules["uharfbuzz"]
    return ttfonts


ttfonts = _ttfonts_without_harfbuzz()
TTFont = ttfonts.TTFont

rl_config.useA85 = 0  # see the module's docstring

# Registering a font checks reportlab's registry and adds to it: one at a time, so that two
# threads never make two fonts of one name (one would hold private codes the other lacks).
_REGISTERING = threading.Lock()

PRIVATE_START = 0xF0000  # supplementary private use area A, then B: 131,068 codes a font
_PRIVATE_END = 0x10FFFD


class PdfFont(TTFont):
    """A TrueType font as handbill embeds it: shaped glyphs drawn by private-use codes that
    read back as their text (see the module's docstring). One per font file and process."""

    def __init__(self, name: str, source: str | io.BytesIO):
        # shapable=False: we shape text ourselves (text/shaping.py), reportlab need not
        super().__init__(name, source, shapable=False)
        # the characters the file itself maps, before any private code is added
        self.coverage: frozenset[int] = frozenset(self.face.charToGlyph)
        # the file's tables, as the one TrueType reader (truetype.py) finds them
        self.tables: truetype.Tables = truetype.tables(font_bytes(self))
        self._assigning = threading.Lock()
        self._subsetting = threading.Lock()
        self._private: dict[tuple[int, str], str] = {}  # (glyph, text) -> its character
        self._actual_text: dict[int, str] = {}  # private code -> the text it stands for
        self._next = PRIVATE_START

    def glyph_char(self, glyph: int, text: str) -> str:
        """A character that draws `glyph` and reads back as `text` (several characters, or
        none for the second glyph of a cluster): the text itself when the font's own cmap
        says so, else a private code kept for this pair from now on."""
        if len(text) == 1 and self.face.charToGlyph.get(ord(text)) == glyph:
            return text
        char = self._private.get((glyph, text))
        if char is not None:
            return char
        with self._assigning:
            char = self._private.get((glyph, text))
            if char is None:
                code = self._next
                while code in self.coverage:  # never a code the font itself maps
                    code += 1
                if code > _PRIVATE_END:
                    raise OverflowError(f"{self.fontName}: no private-use code left for another shaped glyph")
                self._next = code + 1
                # width and text first, the cmap entry last: a reader that finds the code finds all
                self.face.charWidths[code] = self.advance(glyph)
                self._actual_text[code] = text
                self.face.charToGlyph[code] = glyph
                char = self._private[(glyph, text)] = chr(code)
        return char

    def advance(self, glyph: int) -> int:
        """The glyph's own advance width (hmtx), in thousandths of the size."""
        return round(truetype.advance_width(self.tables, glyph) * 1000 / self.face.unitsPerEm)

    def addObjects(self, doc) -> None:
        """reportlab's embedding of this font's subsets in `doc`, with our ToUnicode maps."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        with self._subsetting:
            super().addObjects(doc)
        for number, subset in enumerate(subsets):
            base = b"".join((ttfonts.SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)).decode("latin-1")
            doc.idToObject["toUnicodeCMap:" + base].content = self.to_unicode_cmap(base, subset)

    def to_unicode_cmap(self, fontname: str, subset: list[int]) -> str:
        """reportlab's ToUnicode map with the real text of our private codes, and every code
        in UTF-16 (reportlab writes characters beyond U+FFFF wrongly)."""
        entries = []
        for index, code in enumerate(subset):
            text = self._actual_text.get(code, chr(code))
            entries.append(f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>")
        return "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
            f"/CMapName /{fontname} def", "/CMapType 2 def",
            "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
            f"{len(subset)} beginbfchar", *entries, "endbfchar",
            "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
        ])


def read_font(name: str, data: bytes, filename: str, *, postscript_suffix: str = "") -> PdfFont:
    """A font from a file's bytes (raises reportlab's TTFError, or worse, when they are not
    a TrueType font reportlab can embed), its PostScript name in the PDF followed by
    `postscript_suffix`. Not registered."""
    source = io.BytesIO(data)
    source.name = filename  # reportlab names the file in its errors by this
    font = PdfFont(name, source)
    font.face.name += postscript_suffix.encode("ascii")
    return font


def register_font(name: str, path: Path | None = None, *, font: PdfFont | None = None) -> PdfFont:
    """The font registered under `name`: registered now, from `font` or else the file at
    `path`, if no font is yet. A name stands for one file's content for good."""
    with _REGISTERING:
        if name in pdfmetrics.getRegisteredFontNames():
            registered = pdfmetrics.getFont(name)
            if not isinstance(registered, PdfFont):
                raise RuntimeError(f"reportlab has a font {name} that handbill did not register")
            return registered
        font = font if font is not None else PdfFont(name, str(path))
        pdfmetrics.registerFont(font)
        if pdfmetrics.getFont(name) is not font:  # given to a font of the same PostScript name
            pdfmetrics._fonts[name] = font
        return font


def font_bytes(font: TTFont) -> bytes:
    """The font file's bytes, as reportlab read them."""
    return font.face._ttf_data


# --- the canvas ---------------------------------------------------------------------------


def text_operator(text_object, operator: str) -> None:
    """Append a raw operator (`0.5 w`, `/Span <<...>> BDC`, `EMC`) to a text object."""
    text_object._code.append(operator)


def show_spaced(text_object, parts: list[str | float]) -> None:
    """One text-showing operator for `parts`, in the text object's current font and size:
    strings are drawn, each number moves what follows left by that many thousandths of the
    size (a TJ array: `[(ab) -120 (c)] TJ`; `(abc) Tj` when there is no number). Where the
    characters fall into two of reportlab's subsets of the font (256 characters each), the
    array is cut there and the subset's font selected, as reportlab's own `textOut` does.
    (`_code`, `_fontname`, `_fontsize`, `_leading`, `_curSubset`, `_canvas._doc`.)"""
    canvas = text_object._canvas
    font = pdfmetrics.getFont(text_object._fontname)
    code = text_object._code
    array: list[str] = []

    def flush() -> None:
        if len(array) == 1 and array[0].startswith("("):
            code.append(f"{array[0]} Tj")
        elif any(item.startswith("(") for item in array):
            code.append(f"[{' '.join(array)}] TJ")
        array.clear()  # numbers alone move nothing that is drawn: dropped

    for part in parts:
        if isinstance(part, str):
            for subset, chunk in font.splitString(part, canvas._doc):
                if subset != text_object._curSubset:
                    flush()
                    name = font.getSubsetInternalName(subset, canvas._doc)
                    code.append(f"{name} {fp_str(text_object._fontsize)} Tf {fp_str(text_object._leading)} TL")
                    text_object._curSubset = subset
                if array and array[-1].startswith("("):
                    array[-1] = array[-1][:-1] + canvas._escape(chunk) + ")"
                else:
                    array.append(f"({canvas._escape(chunk)})")
        elif part:
            array.append(fp_str(part))
    flush()


def add_catalog_entry(canvas, key: str, value) -> None:
    """A key of the document catalog that reportlab does not write by itself."""
    catalog = canvas._doc.Catalog
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, key]
    setattr(catalog, key, value)


def add_info_strings(canvas, entries: dict[str, str]) -> None:
    """Keys of the Info dictionary beyond reportlab's own (reportlab's values are kept)."""
    document = canvas._doc
    info = _InfoWithExtras()
    info.__dict__.update(document.info.__dict__)  # what the canvas was told so far
    info.extras = dict(entries)
    document.info = info


class _InfoWithExtras(PDFInfo):
    """reportlab's Info dictionary, in its order, then our strings. The dates are
    reportlab's invariant ones (a constant), so the same input still gives the same bytes."""

    extras: dict[str, str]

    def format(self, document):
        date = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary({
            "Title": PDFString(self.title), "Author": PDFString(self.author),
            "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
            "Creator": PDFString(self.creator), "Producer": PDFString(self.producer),
            "CreationDate": date, "ModDate": date, "Trapped": PDFName("False"),
            **{key: PDFString(value) for key, value in self.extras.items()},
        }).format(document)
