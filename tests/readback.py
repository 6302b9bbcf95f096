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


def show_text_fills(path: Path, page: int = 0) -> list[tuple[str, tuple[float, ...]]]:
    """For every text-showing operator: the font's BaseFont and the fill colour it is
    painted in (the operands of the last k / sc / scn / g / rg before it)."""
    result = []
    with pikepdf.open(path) as pdf:
        pdf_page = pdf.pages[page]
        fonts_by_name = {str(k): str(v.get("/BaseFont", "?")) for k, v in pdf_page.Resources.get("/Font", {}).items()}
        fill: tuple[float, ...] = (0.0,)  # PDF's initial fill: DeviceGray black
        font = "?"
        stack = []
        for operands, operator in pikepdf.parse_content_stream(pdf_page):
            op = str(operator)
            if op == "q":
                stack.append(fill)
            elif op == "Q":
                fill = stack.pop() if stack else fill
            elif op in ("k", "g", "rg", "sc", "scn"):
                fill = tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name))
            elif op == "Tf":
                font = fonts_by_name.get(str(operands[0]), "?")
            elif op in ("Tj", "TJ", "'", '"'):
                result.append((font, fill))
    return result


def separations(path: Path) -> dict[str, str]:
    """Every Separation colour space: its colorant name -> its alternate space."""
    found = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            for value in _walk(obj):
                if isinstance(value, pikepdf.Array) and len(value) >= 3 and value[0] == pikepdf.Name("/Separation"):
                    found[str(value[1])] = str(value[2])
    return found


def stroke_widths_and_paths(path: Path, page: int = 0) -> list[tuple[float, str, list[tuple[float, float]]]]:
    """Every stroked path as (line width, stroke colour space name or 'k', its points in
    page space): enough to find the crop marks and check where they lie."""
    result = []
    with pikepdf.open(path) as pdf:
        width, space, points = 1.0, "DeviceGray", []
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[page]):
            op = str(operator)
            if op == "q":
                stack.append((width, space, list(ctm)))
            elif op == "Q":
                width, space, ctm = stack.pop()
            elif op == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                A, B, C, D, E, F = ctm
                ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
            elif op == "w":
                width = float(operands[0])
            elif op == "CS":
                space = str(operands[0])
            elif op == "K":
                space = "DeviceCMYK"
            elif op in ("m", "l"):
                x, y = float(operands[0]), float(operands[1])
                A, B, C, D, E, F = ctm
                points.append((A * x + C * y + E, B * x + D * y + F))
            elif op in ("S", "s"):
                result.append((width, space, points))
                points = []
            elif op in ("f", "F", "f*", "B", "B*", "b", "b*", "n"):
                points = []
    return result
