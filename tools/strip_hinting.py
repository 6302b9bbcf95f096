"""Strip TrueType hinting from the bundled fonts, once (a dev-time tool; not run by builds).

Hinting is a program in the font that snaps outlines to a screen's pixel grid at small
sizes. A print RIP at 1,200-2,400 dpi ignores it, yet reportlab embeds it in every subset
it cuts: about 40 % of the embedded font bytes of a Latin leaflet. This removes it from
the files in assets/fonts/ (or the folder given) in place:

- every glyph's instructions (glyf), and the font programs and tables that only hinting
  reads: fpgm, prep, cvt, hdmx, LTSH, VDMX (and DSIG, a signature the change would break);
- maxp's hinting limits set to what no program needs.

Outlines, advances, the cmap, kerning and shaping tables (GDEF, GSUB, GPOS), names and
licences are untouched: tables fontTools is not asked to read are written back as they
were, and glyph boxes are not recomputed. Running it again changes nothing.

    .venv/bin/pip install fonttools        # in the test extras
    .venv/bin/python tools/strip_hinting.py [FOLDER]
    .venv/bin/python -m handbill.fontcoverage   # then check the coverage table is unchanged
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "DSIG")
DEFAULT = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def strip(path: Path) -> tuple[int, int]:
    """Strip `path` in place; (bytes before, bytes after)."""
    before = path.stat().st_size
    font = TTFont(path, recalcBBoxes=False, recalcTimestamp=False)
    if "glyf" not in font:
        raise SystemExit(f"{path}: not a TrueType (glyf) font")
    hinted = any(tag in font for tag in HINTING_TABLES)
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.isComposite() or glyph.numberOfContours > 0:
            program = getattr(glyph, "program", None)
            if program is not None and program.getBytecode():
                hinted = True
            glyph.removeHinting()
    if not hinted:
        return before, before  # written as it was: nothing to strip
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    if maxp.tableVersion >= 0x00010000:
        maxp.maxZones = 1
        maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = 0
        maxp.maxInstructionDefs = maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
    font.save(path)
    return before, path.stat().st_size


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    total_before = total_after = 0
    for path in sorted(folder.rglob("*.ttf")):
        before, after = strip(path)
        total_before, total_after = total_before + before, total_after + after
        print(f"{path.relative_to(folder)}: {before:,} -> {after:,} bytes")
    print(f"total: {total_before:,} -> {total_after:,} bytes")


if __name__ == "__main__":
    main()
