"""What a viewer and a phone see: pypdfium2 rasters the page and extracts the text layer,
zxing-cpp finds and decodes QR codes in the raster.

Reading distance uses the print trade's rule of thumb (PRINT-SHOP.md): a QR code can be
scanned from about ten times its width (the code itself, without the quiet zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..printshop import QR_QUIET_ZONE, QR_READ_DISTANCE_PER_WIDTH
from ..units import MM
from .opening import UnreadablePdf

QR_DPI = 150  # enough for modules of 0.4 mm (2.4 px) at a cost of ~0.1 s for an A4 page
MAX_PIXELS = 12_000_000  # big posters are rastered coarser, so memory stays modest
# A page where no code is found at QR_DPI is rastered again finer, so that a code too small
# to print well (modules of 0.2 mm) is found and flagged rather than silently missed.
QR_FINE_DPI = 300  # modules of 0.2 mm are 2.4 px (zxing reads codes down to about 1.8 px)
MAX_FINE_PIXELS = 20_000_000  # an A3 page with bleed at 300 dpi; bigger pages get fewer dpi


@dataclass(frozen=True)
class QrCode:
    text: str
    version: int | None
    error_correction: str
    module_mm: float | None
    width_mm: float
    quiet_modules: int | None  # light modules all round (the least side), up to 4
    dark_on_light: bool
    centre_mm: tuple[float, float]  # from the trim's bottom-left corner

    @property
    def reading_distance_m(self) -> float:
        return self.width_mm * QR_READ_DISTANCE_PER_WIDTH / 1000

    def as_dict(self) -> dict:
        return {
            "text": self.text, "version": self.version, "error_correction": self.error_correction,
            "module_mm": self.module_mm, "width_mm": self.width_mm, "quiet_zone_modules": self.quiet_modules,
            "dark_on_light": self.dark_on_light, "reading_distance_m": round(self.reading_distance_m, 2),
        }


class UnreadablePage(NamedTuple):
    """A page pdfium could not load or draw: what a viewer (and a RIP) may fail on too."""

    reason: str


def _open(source: str | Path | bytes, label: str):
    """pdfium's view of the file. pikepdf repairs more than pdfium does, so a file that
    read_pdf accepted may still fail here: that is one clear line, not a traceback."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as error:
        raise UnreadablePdf(f"{label} is damaged: a PDF viewer cannot open it ({_reason(error)}); export it again as PDF from the program that made it") from None


def _reason(error: BaseException) -> str:
    """pdfium's words, plainly: "Failed to load document (PDFium: Data format error)." ->
    "data format error"; "Failed to load page." -> "failed to load page"."""
    words = str(error).strip().rstrip(".") or type(error).__name__
    if "(PDFium: " in words:
        words = words.split("(PDFium: ", 1)[1].rstrip(")")
    return words[:1].lower() + words[1:]


def text_layer(source: str | Path | bytes, label: str = "the PDF") -> str:
    """The text of every page, as a viewer extracts it (for copy, search and screen readers).
    A page pdfium cannot load adds no text (qr_codes reports it)."""
    import pypdfium2 as pdfium

    document = _open(source, label)
    texts = []
    try:
        for index in range(len(document)):
            try:
                texts.append(document[index].get_textpage().get_text_range())
            except pdfium.PdfiumError:
                continue
    finally:
        document.close()
    return "\n".join(texts)


def qr_codes(source: str | Path | bytes, trims: list[tuple[float, float, float, float]],
             label: str = "the PDF") -> list[list[QrCode] | UnreadablePage]:
    """QR codes found on each page, measured on a raster of the page; an UnreadablePage
    in place of the list for a page pdfium cannot load or draw."""
    import pypdfium2 as pdfium

    document = _open(source, label)
    found: list[list[QrCode] | UnreadablePage] = []
    try:
        for index in range(len(document)):
            try:
                page = document[index]
                width, height = page.get_size()
                trim = trims[index] if index < len(trims) else (0, 0, width, height)
                found.append(_page_codes(page, trim))
            except pdfium.PdfiumError as error:
                found.append(UnreadablePage(_reason(error)))
    finally:
        document.close()
    return found


def _page_codes(page, trim) -> list[QrCode]:
    """The codes on one page: at QR_DPI, and when none is found there, once more finer,
    since a code whose modules are under a pixel at QR_DPI is invisible to the decoder."""
    width, height = page.get_size()
    area = max(width * height, 1.0)
    coarse = min(QR_DPI, _dpi_within(MAX_PIXELS, area))
    codes = _decode(page, coarse, trim)
    fine = min(QR_FINE_DPI, _dpi_within(MAX_FINE_PIXELS, area))
    if not codes and fine > coarse * 1.25:  # a second pass barely finer would see no more
        codes = _decode(page, fine, trim)
    return codes


def _dpi_within(pixels: int, area_pt2: float) -> float:
    """The resolution at which a page of `area_pt2` square points is `pixels` pixels."""
    return (pixels / area_pt2) ** 0.5 * 72


def _decode(page, dpi: float, trim) -> list[QrCode]:
    import zxingcpp

    image = page.render(scale=dpi / 72, may_draw_forms=False, grayscale=True).to_pil()
    if image.mode != "L":
        image = image.convert("L")
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    height = page.get_size()[1]
    return [_measure(result, image, dpi, trim, height) for result in results]


def _measure(result, image, dpi: float, trim, page_height: float) -> QrCode:
    points = [result.position.top_left, result.position.top_right, result.position.bottom_right, result.position.bottom_left]
    xs, ys = [p.x for p in points], [p.y for p in points]
    x0, x1, y0, y1 = min(xs), max(xs) + 1, min(ys), max(ys) + 1
    extra = result.extra if isinstance(result.extra, dict) else {}
    try:
        version = int(extra.get("Version"))
    except (TypeError, ValueError):
        version = None
    modules = 17 + 4 * version if version else None
    width_px = ((x1 - x0) + (y1 - y0)) / 2
    module_px = width_px / modules if modules else None
    px_to_mm = 25.4 / dpi
    # the trim in pixels (PDF y grows upwards, the raster's downwards)
    scale = dpi / 72
    trim_px = (trim[0] * scale, (page_height - trim[3]) * scale, trim[2] * scale, (page_height - trim[1]) * scale)
    quiet = _quiet_modules(image, (x0, y0, x1, y1), module_px, trim_px) if module_px else None
    dark = _is_dark(image, x0 + (module_px or 2) / 2, y0 + (module_px or 2) / 2)  # the finder's outer ring
    centre = ((x0 + x1) / 2 / scale - trim[0], page_height - (y0 + y1) / 2 / scale - trim[1])
    return QrCode(
        text=result.text, version=version, error_correction=str(extra.get("ECLevel", result.ec_level or "?")),
        module_mm=round(module_px * px_to_mm, 2) if module_px else None, width_mm=round(width_px * px_to_mm, 1),
        quiet_modules=quiet, dark_on_light=dark, centre_mm=(round(centre[0] / MM, 1), round(centre[1] / MM, 1)),
    )


def _is_dark(image, x: float, y: float) -> bool:
    x, y = int(min(max(x, 0), image.width - 1)), int(min(max(y, 0), image.height - 1))
    return image.getpixel((x, y)) < 128


def _quiet_modules(image, box, module_px: float, trim_px) -> int:
    """How many modules of light background surround the code (the worst side), up to 4.
    Paper beyond the trim is cut away, so it does not count as quiet zone."""
    x0, y0, x1, y1 = box
    margin = max(1.0, module_px / 4)  # look at the middle of each ring of modules, not its anti-aliased rims
    least = QR_QUIET_ZONE
    for side in ("left", "right", "top", "bottom"):
        count = 0
        for k in range(1, QR_QUIET_ZONE + 1):
            near, far = (k - 1) * module_px + margin, k * module_px - margin
            if side == "left":
                strip = (x0 - far, y0, x0 - near, y1)
            elif side == "right":
                strip = (x1 + near, y0, x1 + far, y1)
            elif side == "top":
                strip = (x0, y0 - far, x1, y0 - near)
            else:
                strip = (x0, y1 + near, x1, y1 + far)
            if not _light(image, strip, trim_px):
                break
            count = k
        least = min(least, count)
    return least


def _light(image, strip, trim_px) -> bool:
    a, b, c, d = strip
    if a < trim_px[0] - 0.5 or b < trim_px[1] - 0.5 or c > trim_px[2] + 0.5 or d > trim_px[3] + 0.5:
        return False  # the quiet zone would be cut off
    box = (int(a), int(b), max(int(a) + 1, int(round(c))), max(int(b) + 1, int(round(d))))
    if box[0] < 0 or box[1] < 0 or box[2] > image.width or box[3] > image.height:
        return False
    low, _ = image.crop(box).getextrema()
    return low >= 160
