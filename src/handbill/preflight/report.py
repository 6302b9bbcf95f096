"""A preflight Report as text for a person, or as JSON for a script (schema in docs/check.md)."""

from __future__ import annotations

import json

from . import Report, UnreadablePdf

SCHEMA_VERSION = 1
UNREADABLE = "unreadable"  # the finding's code when the file could not be read at all


def as_text(report: Report) -> str:
    lines = []
    count = len(report.pages)
    pdfx = "claims " + ("PDF/X" if report.pdfx_claimed else "no PDF/X")
    lines.append(f"{report.file}: {count} page{'s' if count != 1 else ''}, {pdfx}; ink limit for {report.paper} paper ({report.paper_from})")
    document = [f for f in report.findings if f.page is None]
    # the same advice on many pages (a tiled poster without bleed) is said once, with its pages
    pages_of: dict[tuple[str, str], list[int]] = {}
    for finding in report.findings:
        if finding.page is not None:
            pages = pages_of.setdefault((finding.severity, finding.advice), [])
            if finding.page not in pages:  # the same finding twice on a page is said once
                pages.append(finding.page)
    for facts in report.pages:
        lines.append("")
        bleed = facts.bleed_mm
        if len(set(bleed.values())) == 1:
            bleed_words = f"bleed {bleed['left']:g} mm on every side"
        else:
            bleed_words = "bleed " + ", ".join(f"{side} {value:g} mm" for side, value in bleed.items())
        lines.append(f"page {facts.number}: trim {facts.trim}, {bleed_words}, crop marks {'yes' if facts.crop_marks else 'no'}")
        if facts.fonts:
            fonts = ", ".join(f"{f.name} ({f.type}, {'embedded' if f.embedded else 'NOT EMBEDDED'}{', subset' if f.subset else ''})" for f in facts.fonts)
            lines.append(f"  fonts: {fonts}")
        coverage = f"; most ink {facts.max_coverage:.0f} %" if facts.max_coverage is not None else ""
        operators = f"; set with {', '.join(facts.colour_operators)}" if facts.colour_operators else ""
        lines.append(f"  colour: {', '.join(facts.colour_spaces) or 'none'}{operators}{coverage}")
        sizes = []
        if facts.smallest_text is not None:
            sizes.append(f"smallest text {facts.smallest_text:g} pt")
        if facts.thinnest_line is not None:
            sizes.append(f"thinnest line {facts.thinnest_line:g} pt")
        if sizes:
            lines.append("  " + ", ".join(sizes))
        for image in facts.images:
            ppi = f"{image['ppi']} ppi" if image["ppi"] is not None else "size unknown"
            left, top = image["position_mm"]
            lines.append(f"  image {image['placed_mm'][0]:g} × {image['placed_mm'][1]:g} mm, {left:g} mm from the left and {top:g} mm from the top: {image['pixels'][0]} × {image['pixels'][1]} px = {ppi}, {image['colour_space']}")
        for code in facts.qr_codes:
            lines.append(f"  QR: {code['text']} ({code['width_mm']:g} mm, modules {code['module_mm']} mm, quiet zone {code['quiet_zone_modules']} modules, readable from about {code['reading_distance_m']:g} m)")
        for finding in report.findings:
            if finding.page == facts.number and finding.code != "qr-code":
                pages = pages_of[(finding.severity, finding.advice)]
                if pages[0] != facts.number:
                    continue
                also = f" (pages {_ranges(pages)})" if len(pages) > 1 else ""
                lines.append(f"  {finding.severity}: {finding.advice}{also}")
    lines.append("")
    met = sum(r.met for r in report.pdfx)
    lines.append(f"PDF/X-1a:2003: {met} of {len(report.pdfx)} requirements met" + (f" (output intent {report.output_condition})" if report.output_condition else ""))
    for requirement in report.pdfx:
        if not requirement.met:
            lines.append(f"  not met: {requirement.what}")
    if report.statement is not None:
        s = report.statement
        title = "title found" if s["title_found"] else "title not found"
        lines.append(f"statement: {s['found']} of {s['paragraphs']} paragraphs in the text layer, {title}")
    for finding in document:
        lines.append(f"{finding.severity}: {finding.advice}")
    errors, warnings = len(report.errors), len(report.warnings)
    lines.append("")
    if errors:
        lines.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}: fix the errors before sending this file to print")
    else:
        # a file that is not PDF/X prints on an office printer; a print shop asks for PDF/X-1a
        where = "ready for the print shop" if report.pdfx_claimed else "ready to print (not PDF/X: for a print shop, export as PDF/X-1a)"
        lines.append(f"no errors, {_count(warnings, 'warning')}: {where}" if warnings else f"no errors, no warnings: {where}")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False)


def as_data(report: Report) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "file": report.file,
        "ok": not report.errors,
        "error": None,  # what stopped the check; only a file that cannot be read has one
        "counts": {severity: len(report.of(severity)) for severity in ("error", "warning", "note")},
        "paper": report.paper,
        "paper_from": report.paper_from,
        "pages": [
            {
                "page": p.number,
                "trim": p.trim,
                "trim_mm": list(p.trim_mm),
                "bleed_mm": p.bleed_mm,
                "crop_marks": p.crop_marks,
                "fonts": [{"name": f.name, "type": f.type, "embedded": f.embedded, "subset": f.subset} for f in p.fonts],
                "colour_spaces": p.colour_spaces,
                "colour_operators": p.colour_operators,
                "max_ink_coverage": p.max_coverage,
                "smallest_text_pt": p.smallest_text,
                "thinnest_line_pt": p.thinnest_line,
                "images": p.images,
                "qr_codes": p.qr_codes,
            }
            for p in report.pages
        ],
        "pdfx": {
            "claimed": report.pdfx_claimed,
            "output_condition": report.output_condition,
            "requirements": [{"what": r.what, "met": r.met} for r in report.pdfx],
        },
        "statement": report.statement,
        "findings": [f.as_dict() for f in report.findings],
    }


def unreadable_as_json(file: str, error: UnreadablePdf) -> str:
    return json.dumps(unreadable_as_data(file, error), indent=2, ensure_ascii=False)


def unreadable_as_data(file: str, error: UnreadablePdf) -> dict:
    """The report of a file that could not be read (not a PDF, encrypted, damaged): the
    same keys as any report, so a script reads `ok`, `error` and `findings` alike, with
    nothing measured and the one sentence the command line prints as the one error."""
    message = str(error)
    return {
        "schema": SCHEMA_VERSION,
        "file": file,
        "ok": False,
        "error": message,
        "counts": {"error": 1, "warning": 0, "note": 0},
        "paper": None,
        "paper_from": None,
        "pages": [],
        "pdfx": {"claimed": False, "output_condition": None, "requirements": []},
        "statement": None,
        "findings": [{"severity": "error", "page": None, "code": UNREADABLE, "advice": message}],
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)
