"""Preflight: what a print shop checks before it prints, read from the PDF itself.

    reading.py       the PDF -> pages of marks (fills, strokes, glyphs, images), with pikepdf;
                     its jobs in opening.py, actions.py, annotations.py, interpreter.py
                     (with operands.py), colour.py, fonts.py, marks.py and geometry.py;
                     an embedded font program is read with the package's one TrueType
                     reader, ../truetype.py
    checks.py        the rules: facts per page and findings (severity, page, code, advice)
    raster.py        the page as seen: QR codes decoded (zxing-cpp) and the text layer (pdfium)
    report.py        findings as text or as JSON

Whatever goes wrong while checking a foreign file ends as UnreadablePdf, one sentence
("FILE is damaged (...)"), never a traceback: see opening.damage_boundary.

`handbill build` runs the structural part (fast) on every file before writing it;
`handbill check` runs all of it on any PDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..printshop import QR_MODULE_GOOD_MM, QR_MODULE_MIN_MM, QR_QUIET_ZONE, QR_QUIET_ZONE_ERROR
from .checks import PDFX_VERSION, Finding, PageFacts, Requirement, check_page, paper_of, pdfx_requirements
from .opening import UnreadablePdf, damage_boundary, label_of
from .reading import read_pdf

__all__ = ["Finding", "Report", "UnreadablePdf", "preflight", "PDFX_VERSION"]

SEVERITIES = ("error", "warning", "note")


@dataclass
class Report:
    file: str
    pages: list[PageFacts]
    findings: list[Finding]
    pdfx_claimed: bool
    pdfx: list[Requirement]
    paper: str
    paper_from: str  # "--paper", "output intent" or "default"
    output_condition: str | None
    statement: dict | None = field(default=None)  # paragraphs found/missing, with --statement

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def errors(self) -> list[Finding]:
        return self.of("error")

    @property
    def warnings(self) -> list[Finding]:
        return self.of("warning")


def preflight(
    source: str | Path | bytes,
    *,
    name: str = "",
    paper: str | None = None,
    statement=None,
    raster: bool = True,
    print_shop: bool = True,
) -> Report:
    """Check the PDF at `source` (a path or its bytes).

    paper: "coated" or "uncoated" (ink limit); None takes it from the file's output intent,
    else uncoated (the usual leaflet paper, and the stricter limit).
    statement: a Statement whose paragraphs must all be in the text layer.
    raster: also raster the pages to find QR codes and read the text layer (slower).
    print_shop: False for office-printer output (no bleed, not PDF/X) so that those are not flagged.
    """
    label = label_of(source, name)
    # the boundary holds the checks too: a file shaped as no rule foresaw (a NaN where a
    # size belongs) must not end `check` in a traceback either
    with damage_boundary(label):
        return _preflight(source, label, paper, statement, raster=raster, print_shop=print_shop)


def _preflight(source, label: str, paper: str | None, statement, *, raster: bool, print_shop: bool) -> Report:
    document = read_pdf(source, name=label)
    intent_paper = paper_of(document)
    chosen = paper or intent_paper or "uncoated"
    paper_from = "--paper" if paper else "output intent" if intent_paper else "default"
    facts: list[PageFacts] = []
    findings: list[Finding] = []
    for page in document.pages:
        page_facts, page_findings = check_page(page, paper=chosen, print_shop=print_shop)
        facts.append(page_facts)
        findings.extend(page_findings)
    conditions = [i.get("OutputConditionIdentifier") for i in document.output_intents if i.get("S") == "/GTS_PDFX"]
    condition = conditions[0] if conditions else None
    if paper and intent_paper and paper != intent_paper:
        findings.append(Finding("warning", None, "paper-mismatch",
                                f"the file is made for {intent_paper} paper ({condition}) but you said {paper}; ask the print shop which paper they will use"))
    claimed = document.info.get("GTS_PDFXVersion")
    requirements = pdfx_requirements(document, facts, findings)
    if claimed:
        for requirement in requirements:
            if not requirement.met:
                findings.append(Finding("error", None, "pdfx", f"the file says it is {claimed} but {requirement.what} is not met: {requirement.fix}"))
    elif print_shop:
        findings.append(Finding("warning", None, "not-pdfx",
                                f"the file is not {PDFX_VERSION}, the format print shops ask for; export as {PDFX_VERSION} (handbill build does this)"))
    if document.repairs:
        findings.append(Finding("warning", None, "repaired",
                                f"the file is damaged ({document.repairs[0]}) and had to be repaired to be read; export it again, since the print shop's software may not repair it the same way"))
    if document.scripts:
        findings.append(Finding("error", None, "scripts", f"the file contains {', '.join(document.scripts)}; remove them, print workflows refuse active content"))
    report = Report(label, facts, findings, bool(claimed), requirements, chosen, paper_from, condition)
    if raster:
        _raster_checks(source, document, report, statement)
    report.findings.sort(key=lambda f: (f.page or 0, SEVERITIES.index(f.severity)))
    return report


def _raster_checks(source, document, report: Report, statement) -> None:
    from .raster import UnreadablePage, qr_codes, text_layer

    trims = [p.trim or p.art or p.media for p in document.pages]
    for facts, codes in zip(report.pages, qr_codes(source, trims, report.file)):
        n = facts.number
        if isinstance(codes, UnreadablePage):
            report.findings.append(Finding("error", n, "damaged-content",
                f"a PDF viewer cannot draw the page ({codes.reason}); export the PDF again from the program that made it"))
            continue
        for code in codes:
            facts.qr_codes.append(code.as_dict())
            where = f"the QR code for {code.text}"
            if code.quiet_modules is not None and code.quiet_modules < QR_QUIET_ZONE:
                severity = "error" if code.quiet_modules < QR_QUIET_ZONE_ERROR else "warning"
                report.findings.append(Finding(severity, n, "qr-quiet-zone",
                    f"{where} has only {code.quiet_modules} module{'s' if code.quiet_modules != 1 else ''} of clear space around it; phones need {QR_QUIET_ZONE} modules of white on every side, so move other things away from it"))
            if code.module_mm is not None and code.module_mm < QR_MODULE_GOOD_MM:
                severity = "error" if code.module_mm < QR_MODULE_MIN_MM else "warning"
                report.findings.append(Finding(severity, n, "qr-module-small",
                    f"{where} has modules of {code.module_mm:.2f} mm; below {QR_MODULE_GOOD_MM} mm print spreads them together, so make the code bigger or the address shorter"))
            if not code.dark_on_light:
                report.findings.append(Finding("warning", n, "qr-inverted",
                    f"{where} is light on dark; many phone scanners cannot read that, so print it dark on light"))
            distance = code.reading_distance_m
            words = f"{distance * 100:.0f} cm" if distance < 1 else f"{distance:.1f} m"
            report.findings.append(Finding("note", n, "qr-code",
                f"{where} is {code.width_mm:.0f} mm wide with {code.module_mm} mm modules and can be scanned from about {words} (ten times its width)"))
    if statement is not None:
        _statement_checks(statement, text_layer(source, report.file), report)


def carries_full_text(found: int, paragraphs: int) -> bool:
    """Whether a file with `found` of a statement's paragraphs is meant to carry all of them:
    it holds most of them (more than half). Fewer is a poster's or handbill's excerpt."""
    return paragraphs > 0 and found * 2 > paragraphs


def squeeze(text: str) -> str:
    """Text compared for words in order: NFC, case folded (headlines may be set in capitals),
    without whitespace, hyphens and soft hyphens (line breaks and hyphenation are the
    typesetter's, not the author's)."""
    return re.sub(r"[\s\-\u00ad\u2010\ufffe\ufeff]", "", unicodedata.normalize("NFC", text).casefold())


def _statement_checks(statement, text: str, report: Report) -> None:
    layer = squeeze(text)
    blocks = [block.text for block in statement.body if block.text.strip()]
    missing = [b for b in blocks if squeeze(b) not in layer]
    found = len(blocks) - len(missing)
    title_found = squeeze(statement.title) in layer
    report.statement = {
        "paragraphs": len(blocks), "found": found,
        "missing": [_shorten(b) for b in missing], "title_found": title_found,
    }
    slogans_found = [s for s in statement.slogans if squeeze(s) in layer]
    if not found and not title_found and not slogans_found:
        report.findings.append(Finding("error", None, "statement-not-here",
            "the file holds none of this statement: not its title, a slogan or a paragraph; check that it is the "
            "right file for the right statement, and rebuild it if the statement has changed"))
    elif carries_full_text(found, len(blocks)):
        # a leaflet: what it lacks, something lost
        for paragraph in missing:
            report.findings.append(Finding("error", None, "statement-missing",
                f"the paragraph \"{_shorten(paragraph)}\" is not in the file's text; the statement has changed since, or something lost it: rebuild the file from the statement"))
        if not title_found:
            report.findings.append(Finding("warning", None, "statement-title-absent",
                f"the statement's title \"{_shorten(statement.title)}\" is not in the file's text"))
    else:
        # a poster, handbill or placard prints the headline, slogans and an excerpt, not the body
        title = f"{'' if title_found else 'not '}its title \"{_shorten(statement.title)}\""
        report.findings.append(Finding("note", None, "statement-excerpt",
            f"the file carries {found} of the statement's {len(blocks)} paragraphs (not the full text) and {title}, as a poster or handbill does; print a leaflet too for those who want to read it all"))
    if statement.url:
        codes = [c["text"] for page in report.pages for c in page.qr_codes]
        if codes and statement.url not in codes:
            report.findings.append(Finding("warning", None, "qr-wrong-address",
                f"no QR code leads to the statement's address {statement.url} (found: {', '.join(codes)}); fine if the "
                f"code is meant to lead elsewhere (a rally's own page), else rebuild the file"))
        elif not codes:
            report.findings.append(Finding("note", None, "qr-missing",
                f"no readable QR code leads to the statement's address {statement.url}; add one, or print the address where people can see it"))


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
