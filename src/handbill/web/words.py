"""Every word the page itself says, in one place, so that it can be translated.

`words(lang)` gives the catalogue for a language; English is the only one today. A
translation is a second mapping with the same keys (a test checks the keys match), picked
by the request's Accept-Language in app.py. The templates say `w.key`; app.js gets the
same mapping as JSON in the page. The statement's own words are never here.
"""

from __future__ import annotations

from types import MappingProxyType

ENGLISH = MappingProxyType({
    "site": "handbill",
    "tagline": "A statement in, print-ready leaflets and posters out.",
    "nav_build": "Make a kit",
    "nav_check": "Check a PDF",
    "nav_batch": "Many rallies",
    "skip": "Skip to the form",
    "statement": "The statement",
    "open_file": "Open a .md or .txt file",
    "open_file_hint": "Its text goes into the box below; nothing is sent until you type or press Make.",
    "title": "Title",
    "title_hint": "Printed largest. Empty: the first slogan.",
    "subtitle": "Subtitle",
    "organisation": "Organisation",
    "date": "Date",
    "date_hint": "As it should print, e.g. 2024-03-18.",
    "url": "Address of the full text (for the QR code)",
    "url_hint": "https://… Leaflets and posters need it for their QR code.",
    "lang": "Language",
    "lang_hint": "A language tag: en, fil, ar, th, ja…",
    "text": "The statement's text",
    "text_hint": "Paste or type it. Blank lines between paragraphs; **bold**, *italic*, ## headings and - lists work.",
    "slogans": "Slogans, one per line",
    "slogans_hint": "Empty: the short closing lines of the text that end in ! are the slogans.",
    "excerpt": "Excerpt for posters",
    "more_fields": "More: subtitle, organisation, date, URL, language, excerpt, logo",
    "logo": "Logo (PNG or JPEG)",
    "layouts": "Layouts",
    "layouts_hint": "None chosen: the kit (an A4 leaflet and an A3 poster).",
    "pages_of": "pages",
    "page_of": "page",
    "paper": "Paper and printer",
    "page_size": "Paper size",
    "page_size_own": "As each layout is made",
    "printer": "Printer",
    "printer_print_shop": "Print shop (PDF/X, bleed)",
    "printer_office": "Office printer (no bleed)",
    "printer_photocopier": "Photocopier (gray only)",
    "stock": "Print shop paper",
    "stock_coated": "Coated",
    "stock_uncoated": "Uncoated",
    "marks": "Crop marks",
    "make": "Make the PDFs",
    "preview": "Preview",
    "preview_hint": "It is made again a moment after you stop typing.",
    "nothing_yet": "Type a statement to see its pages here.",
    "state_queued": "Waiting for a free worker…",
    "state_running": "Making the PDFs…",
    "state_done": "Done.",
    "state_failed": "Not made. What to change:",
    "download": "Download",
    "download_all": "Download all (zip)",
    "delete": "Delete from the server now",
    "deleted": "Deleted.",
    "kept_for": "Kept on the server for {ttl}, then deleted.",
    "one_hour": "one hour",
    "hours": "{n} hours",
    "one_minute": "one minute",
    "minutes": "{n} minutes",
    "seconds": "{n} seconds",
    "page": "page",
    "error": "Error",
    "warning": "Warning",
    "note": "Note",
    "network_error": "The server did not answer; try again.",
    "check_title": "Check a PDF",
    "report": "What a print shop would say",
    "check_intro": "Any PDF, from Canva, Word or handbill: what a print shop would say of it, page by page.",
    "pdf_file": "The PDF (up to 50 MB)",
    "check_paper": "Paper it will be printed on",
    "check_paper_auto": "As the PDF says (else uncoated)",
    "check": "Check it",
    "checking": "Checking…",
    "check_ok": "No errors: a print shop should take it.",
    "check_errors": "Errors a print shop would refuse it for:",
    "batch_title": "Many rallies: one kit each",
    "batch_intro": "A CSV with a row per rally (name or city, date, time, place, note, url): one kit per row, all in one zip.",
    "events": "Rallies (CSV)",
    "make_batch": "Make the kits",
    "bad_rows": "Rows not made:",
    "rows_done": "rows",
    "gone": "There is no such job: it was deleted, or its time on the server is over.",
    "back": "Back to the form",
    "footer": "Nothing you type is kept after {ttl}. handbill is free software (GPL-3.0).",
})

CATALOGUES = MappingProxyType({"en": ENGLISH})


def words(lang: str = "en") -> MappingProxyType:
    return CATALOGUES.get(lang.split("-")[0].lower(), ENGLISH)
