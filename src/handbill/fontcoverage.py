"""Which characters each bundled font has, without parsing the font: a table made once.

"Which face has this character" asks the faces of a chain in turn, and a Japanese leaflet
would otherwise parse some 30 faces (every Noto script face, both NanumSquare weights) only to
learn they lack a kanji: reportlab reads a whole file to answer. The bundled files never
change, so what each one's cmap maps is written once, as code-point ranges, into
assets/fonts/coverage.json (shipped with the fonts), and read on the first question.

Regenerate it whenever a bundled font changes (tests/test_font_coverage.py fails until
then, comparing it with the fonts' own cmaps as reportlab reads them):

    python -m handbill.fontcoverage

A user's font (--font, a layout's fonts) is not in the table: fonts.py reads its cmap.
"""

from __future__ import annotations

import json
import sys
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from .resources import fonts_dir

TABLE = "coverage.json"  # in assets/fonts/


@dataclass(frozen=True)
class Coverage:
    """A set of code points as sorted, disjoint ranges: `starts[i]` to `ends[i]`, inclusive."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @staticmethod
    def of(codes: Iterable[int]) -> Coverage:
        starts: list[int] = []
        ends: list[int] = []
        for code in sorted(set(codes)):
            if ends and code == ends[-1] + 1:
                ends[-1] = code
            else:
                starts.append(code)
                ends.append(code)
        return Coverage(tuple(starts), tuple(ends))

    def __contains__(self, code: int) -> bool:
        at = bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]

    def covers(self, first: int, last: int) -> bool:
        """Whether every code from `first` to `last` (inclusive) is in the set."""
        at = bisect_right(self.starts, first) - 1
        return at >= 0 and last <= self.ends[at]

    def __iter__(self):
        for start, end in zip(self.starts, self.ends):
            yield from range(start, end + 1)


@cache
def _table() -> Mapping[str, tuple[int, ...]]:
    """relative path (noto-sans/NotoSans-Regular.ttf) -> its ranges, flat: start, end, start, end..."""
    with open(fonts_dir() / TABLE, encoding="ascii") as file:
        return MappingProxyType({path: tuple(flat) for path, flat in json.load(file).items()})


@cache
def bundled(relative_path: str) -> Coverage | None:
    """What the bundled font file at `relative_path` (under assets/fonts/) maps; None if
    the table does not know the file."""
    flat = _table().get(relative_path)
    return None if flat is None else Coverage(flat[0::2], flat[1::2])


def generate(paths: Iterable[str]) -> dict[str, list[int]]:
    """The table for the bundled files `paths` (relative to assets/fonts/), read with
    reportlab as fonts.py reads a face: what its cmap maps."""
    from .pdfcanvas import PdfFont

    table = {}
    for relative in sorted(set(paths)):
        coverage = Coverage.of(PdfFont(Path(relative).stem, str(fonts_dir() / relative)).coverage)
        table[relative] = [code for pair in zip(coverage.starts, coverage.ends) for code in pair]
    return table


def serialise(table: dict[str, list[int]]) -> str:
    """One line per file: diffs stay readable, and the same table gives the same text."""
    lines = [f"  {json.dumps(path)}: {json.dumps(flat, separators=(',', ':'))}" for path, flat in sorted(table.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def bundled_files() -> list[str]:
    """Every font file the bundled chains name."""
    from .fonts import CHAINS

    return sorted({path for styles in CHAINS.values() for files in styles.values() for path in files})


def main() -> None:
    target = fonts_dir() / TABLE
    target.write_text(serialise(generate(bundled_files())), encoding="ascii")
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
