"""Reading a PDF back with real tools: what the file holds, not what the code meant.

pikepdf parses the file (boxes, fonts, content operators), pypdfium2 renders and
extracts text as a viewer would, zxing-cpp decodes QR codes from the rendering.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import zxingcpp

MM = 72 / 25.4


def boxes(path: Path, page: int = 0) -> dict[str, tuple[float, ...]]:
    with pikepdf.open(path) as pdf:
        p = pdf.pages[page].obj
        return {
            name: tuple(float(v) for v in p[f"/{name}"])
            for name in ("MediaBox", "TrimBox", "BleedBox")
            if f"/{name}" in p
        }


def size_mm(box: tuple[float, ...]) -> tuple[float, float]:
    return ((box[2] - box[0]) / MM, (box[3] - box[1]) / MM)


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


@dataclass(frozen=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool


def fonts(path: Path) -> list[FontInfo]:
    """Every font the file's pages use, as pdffonts would list them."""
    found: dict[str, FontInfo] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            resources = page.obj.get("/Resources", {})
            for font in resources.get("/Font", {}).values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font["/DescendantFonts"][0].get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                name = str(font.get("/BaseFont", "?"))
                found[name] = FontInfo(name, str(font.get("/Subtype")), embedded)
    return list(found.values())


def operators(path: Path) -> list[tuple[str, list]]:
    """Every content-stream operator on every page, with its operands."""
    result = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                result.append((str(operator), list(operands)))
    return result


def colour_spaces(path: Path) -> set[str]:
    """Names of every colour space object anywhere in the file."""
    names = set()
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            for value in _walk(obj):
                if isinstance(value, pikepdf.Name) and str(value) in (
                    "/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased", "/DeviceCMYK", "/DeviceGray", "/Separation",
                ):
                    names.add(str(value))
    return names


def _walk(obj, depth: int = 0):
    if depth > 8:
        return
    yield obj
    if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
        for value in obj.values():
            yield from _walk(value, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            yield from _walk(value, depth + 1)


def info(path: Path) -> dict[str, str]:
    with pikepdf.open(path) as pdf:
        result = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
        if "/Lang" in pdf.Root:
            result["Lang"] = str(pdf.Root.Lang)
        return result


def text(path: Path) -> str:
    """The text layer, as a viewer extracts it."""
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def squeeze(text: str) -> str:
    """Text compared for words in order: NFC, without whitespace and hyphens (line-end
    hyphens are the typesetter's, not the author's; pdfium reports them as U+FFFE)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\-\u00ad\u2010\ufffe]", "", text)


def render(path: Path, page: int = 0, dpi: float = 150, *, crop_to_trim: bool = False):
    """A PIL image of the page as a viewer draws it (the whole MediaBox)."""
    document = pdfium.PdfDocument(str(path))
    try:
        pdf_page = document[page]
        bitmap = pdf_page.render(scale=dpi / 72, may_draw_forms=False)
        return bitmap.to_pil()
    finally:
        document.close()


def qr_codes(path: Path, page: int = 0, dpi: float = 300) -> list[str]:
    image = render(path, page, dpi)
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]
