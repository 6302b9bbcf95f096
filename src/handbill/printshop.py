"""The print shop's rules: every number a print-ready file is made to and checked against.

The producers (layout, compose, qr, images, mono, impose, tiling, render, pdfx) make files
to these numbers and the preflight checks any PDF against the very same ones, so what
handbill builds is what `handbill check` passes. A rule lives here once, with where its
number comes from; a module that needs it imports it and never keeps a copy
(tests/test_printshop.py checks both).

Sources, as cited beside each number:
- PRINT-SHOP.md: the project's summary of what print-ready means (kept with the project's
  shared notes), itself the common practice of offset print shops under ISO 12647-2 and
  the German PSO (ProzessStandard Offsetdruck);
- ISO 216 (paper sizes) lives in units.py; ISO/IEC 18004 (QR Code) for the quiet zone;
- ISO 15930-4:2003 (PDF/X-1a:2003; ISO 15930-1:2001 was PDF/X-1a:2001) for the file;
- the printing conditions registered at color.org (ICC): FOGRA39 = ISO 12647-2:2004 offset
  on coated paper, FOGRA52 = PSO Uncoated v3 (ISO 12647-2:2013, uncoated white paper);
- "handbill's" where a number is handbill's own judgement: a severity step or a design
  default, not a trade rule.

Lengths say their unit in their name (_MM, _PT); the few in points that producers draw
with (OFFICE_MARGIN, MARK_*) are marked "pt". Values are immutable: numbers, strings,
tuples, frozen dataclasses and read-only mappings.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from .units import MM

# --- Page geometry ----------------------------------------------------------------------

BLEED_MM = 3.0  # PRINT-SHOP.md: 3 mm on every side (Europe, Asia; 1/8 in = 3.175 mm in the US)
SAFE_MM = 3.0  # PRINT-SHOP.md: text and the QR code 3-5 mm inside the trim; closer is warned
OFFICE_MARGIN_MM = 5.0  # office printers cannot print the outer ~5 mm: --office pages and tiled sheets keep inside it
OFFICE_MARGIN = OFFICE_MARGIN_MM * MM  # pt

# Crop marks (PRINT-SHOP.md): 0.25 pt lines, never thinner, about 5 mm long, starting at
# least the bleed width away from the trim corner so they never print inside the bleed.
MARK_OFFSET = BLEED_MM * MM  # pt
MARK_LENGTH = 5.0 * MM  # pt

GUTTER_MAX_MM = 50.0  # handbill's: the widest space between columns a layout may ask for (5-6 mm is usual)

# --- Lines and text ---------------------------------------------------------------------

MIN_LINE_PT = 0.25  # PRINT-SHOP.md: the smallest line (about 0.1 mm); thinner breaks up on the plate
INVISIBLE_LINE_PT = 0.1  # handbill's: a line thinner than this is an error, 0.1-0.25 pt a warning
MARK_WIDTH = MIN_LINE_PT  # pt. PRINT-SHOP.md: crop marks 0.25 pt, never thinner
MIN_TEXT_PT = 6.0  # PRINT-SHOP.md: the smallest text
TINY_TEXT_PT = 4.0  # handbill's: no layout may ask for less; the checker calls it an error, 4-6 pt a warning
MIN_KNOCKOUT_PT = 8.0  # PRINT-SHOP.md: white (knock-out) text on a colour at least 8 pt, and bold-ish

# Rich black (PRINT-SHOP.md): body text and thin lines in 100 % K only; four-colour black
# only for large areas and text of about 24 pt and up, since small rich-black text blurs
# when the plates are a hair out of register.
RICH_BLACK_OK_PT = 24.0  # PRINT-SHOP.md
RICH_BLACK_ERROR_PT = 12.0  # handbill's: rich-black text under this is an error, 12-24 pt a warning
RICH_BLACK_MIN_K = 0.8  # handbill's reading of "rich black": K at least 80 % ...
RICH_BLACK_MIN_CMY = 0.15  # ... with at least 15 % of C+M+Y under it

# --- Ink and paper ----------------------------------------------------------------------


@dataclass(frozen=True)
class Stock:
    """A paper the print shop prints on, as --paper names it, with the most ink it takes
    and the registered printing condition handbill's PDF/X files name for it."""

    name: str  # "coated" | "uncoated"
    ink_limit_pct: float  # total area coverage: the most C+M+Y+K of any colour, in %
    condition: str  # OutputConditionIdentifier, registered at color.org (no profile embedded)
    condition_info: str  # the output intent's /Info: the condition in words


# Total area coverage (PRINT-SHOP.md): at most 300 % on coated paper, the usual limit for
# sheet-fed offset under ISO 12647-2 / PSO; about 260 % on uncoated paper, where the ink
# soaks in and dries slowly: stricter than the standard's characterisation, as shops ask.
STOCKS = (
    Stock("coated", 300.0, "FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004), offset on coated paper"),
    Stock("uncoated", 260.0, "FOGRA52", "PSO Uncoated v3 (FOGRA52), offset on uncoated white paper"),
)
TAC_LIMIT_PCT = MappingProxyType({stock.name: stock.ink_limit_pct for stock in STOCKS})  # by stock name

# Printing conditions registered at color.org that need no embedded profile, and the stock
# each one means (the checker reads a foreign file's output intent with it).
REGISTERED_CONDITIONS = MappingProxyType({
    "FOGRA39": "coated", "FOGRA51": "coated", "FOGRA47": "uncoated", "FOGRA52": "uncoated",
    "FOGRA29": "uncoated", "CGATS21-2-CRPC1": "uncoated", "CGATS21-2-CRPC5": "uncoated",
    "CGATS21-2-CRPC6": "coated", "CGATS21-2-CRPC7": "coated", "GRACOL": "coated", "SWOP": "coated",
    "JC200103": "coated", "JAPANCOLOR2001COATED": "coated", "JAPANCOLOR2001UNCOATED": "uncoated",
})

# --- PDF/X-1a (ISO 15930-4:2003) ----------------------------------------------------------

PDFX_VERSION = "PDF/X-1a:2003"  # GTS_PDFXVersion, as the standard spells it
PDFX_PDF_VERSIONS = ("1.3", "1.4")  # ISO 15930-4: PDF/X-1a:2003 is PDF 1.4 at most
ICC_REGISTRY = "http://www.color.org"  # the output intent's /RegistryName for registered conditions

# --- Images -----------------------------------------------------------------------------

IMAGE_GOOD_PPI = 300  # PRINT-SHOP.md: 300 ppi at the size printed; less is a notice (build) or a warning (check)
IMAGE_MIN_PPI = 150  # PRINT-SHOP.md: a poster seen from a metre may go down to 150; less is refused
IMAGE_MAX_PPI = 450  # handbill's: more is pixels the press cannot show, resampled down to IMAGE_GOOD_PPI
# An image is judged by its resolution to the nearest whole ppi, as both the build and the
# check print it: whole pixels cannot make exactly 300.0 ppi (an image handbill resamples
# to 300 ppi for a 100 mm box has 1181 px, 299.97 ppi), and "150 ppi ... is only 150 ppi"
# must not be an error.
PPI_SLACK = 0.5

# --- QR codes (ISO/IEC 18004) -----------------------------------------------------------

QR_QUIET_ZONE = 4  # modules of background on every side: ISO/IEC 18004 (4 modules for QR Code)
QR_QUIET_ZONE_ERROR = 2  # handbill's: fewer clear modules is an error, 2-3 a warning
QR_MODULE_MIN_MM = 0.4  # PRINT-SHOP.md: "at least 0.4-0.5 mm"; under 0.4 print runs modules together
QR_MODULE_GOOD_MM = 0.5  # PRINT-SHOP.md's upper figure: a leaflet's default, and what a smaller paper shrinks to
QR_POSTER_MODULE_MM = 1.0  # handbill's: a poster's default, read from further (a tenth of the distance)
QR_POSTER_SHORT_SIDE_MM = 297.0  # handbill's: paper this wide or more (A3 and up) is a poster
QR_READ_DISTANCE_PER_WIDTH = 10  # PRINT-SHOP.md: a code is read from about ten times its width

# --- Photocopies (--mono) ---------------------------------------------------------------

MONO_TINT_STEP = 0.2  # PRINT-SHOP.md: gray tints that differ by at least 20 % (a copier cannot tell 40 from 50 % K)
# PRINT-SHOP.md: "no huge solid areas that eat toner"; what huge means is handbill's:
MONO_BAND_AREA = 0.08  # of the page's area: a fill larger than this is a band, not a detail
MONO_BAND_LIGHT = 0.3  # a band lighter than this K tint is kept: it costs little toner
