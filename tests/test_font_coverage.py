"""The coverage table (assets/fonts/coverage.json, fontcoverage.py) answers "which face has
this character" without parsing the bundled fonts: it must say exactly what their cmaps
say, so that a font replaced without regenerating it fails here, not in a leaflet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from handbill import fontcoverage
from handbill.fontcoverage import Coverage
from handbill.resources import fonts_dir

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_is_what_the_bundled_fonts_cmaps_map_exactly():
    files = fontcoverage.bundled_files()
    shipped = json.loads((fonts_dir() / fontcoverage.TABLE).read_text(encoding="ascii"))
    assert sorted(shipped) == files, "regenerate: python -m handbill.fontcoverage"
    assert shipped == fontcoverage.generate(files), "a bundled font changed: python -m handbill.fontcoverage"
    assert (fonts_dir() / fontcoverage.TABLE).read_text(encoding="ascii") == fontcoverage.serialise(shipped)


def test_coverage_ranges_answer_as_the_set_they_were_made_from():
    codes = {0, 1, 2, 5, 7, 8, 9, 0x4E00, 0x10FFFD}
    coverage = Coverage.of(codes)
    assert set(coverage) == codes
    assert all((code in coverage) == (code in codes) for code in range(-1, 12))
    assert coverage.covers(7, 9) and coverage.covers(0, 2) and not coverage.covers(1, 5)
    assert Coverage.of(()).starts == () and 3 not in Coverage.of(())


_PARSED = """
import sys
from reportlab.pdfbase import pdfmetrics
from handbill.statement import read_statement
from handbill.compose import compose
from handbill.fonts import FontSet
from handbill.layout import find_layout
fonts = FontSet.bundled()
composition = compose(read_statement(sys.argv[1]), find_layout("a4-leaflet"), fonts=fonts)
used = {item.font for page in composition.pages for item in page.items if hasattr(item, "glyphs")}
parsed = {name for name in pdfmetrics.getRegisteredFontNames() if name in fonts._by_name}
first = {fonts.primary(role).name for role in ("text", "display")}  # asked for line metrics
print(len(parsed), len(parsed - used - first))
"""


def test_a_japanese_leaflet_parses_only_the_faces_that_set_it():
    # before the table: 36 faces parsed, 4 of them setting text (bench/FINDINGS.md)
    out = subprocess.run([sys.executable, "-c", _PARSED, str(ROOT / "bench" / "statements" / "udhr-ja.md")],
                         check=True, capture_output=True, text=True).stdout
    parsed, idle = map(int, out.split())
    assert idle == 0 and parsed <= 5
