"""PDF/X-1a:2003 (ISO 15930-4): what the print shop's files declare.

render.py writes these into the PDF it makes (no post-processing pass, so it costs
nothing): the Info keys (GTS_PDFXVersion, Title, CreationDate, ModDate, Trapped /False),
the trailer ID (reportlab's, fixed by its invariant mode), and one OutputIntent naming a
printing condition registered at color.org, so the ICC profile need not be embedded.
The rest of X-1a (CMYK/gray/spot only, every font embedded, no transparency, TrimBox on
every page) is how render draws anyway; tests read each of these back from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from .printshop import STOCKS


@dataclass(frozen=True)
class PrintingCondition:
    identifier: str  # OutputConditionIdentifier, as registered
    info: str  # a human description, /Info


CONDITIONS = MappingProxyType({
    stock.name: PrintingCondition(stock.condition, stock.condition_info) for stock in STOCKS
})
PAPERS = tuple(CONDITIONS)


def condition_for(paper: str) -> PrintingCondition:
    return CONDITIONS[paper]
