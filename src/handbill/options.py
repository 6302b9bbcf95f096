"""BuildOptions: what to make of a statement, as one value that refuses impossible requests.

The command line, build, batch and the web service all make one and pass it on, so a rule
about which options go together lives here and nowhere else. "Paper" is named apart by
what it means: `stock` (what the print shop prints on: the PDF/X output intent),
`page_size` (every layout re-targeted to it), `sheet` (copies n-up on it), `size` (the
layout enlarged to it) and `tile` (an enlarged poster cut onto it).

The statement's own overrides (--title, --url, --lang) are not here: they change the
statement, which is read (read_statement, statement_from_text) before it is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType

from .arrange import Arrangement
from .errors import InputError
from .pdfx import PAPERS
from .problems import Problem, did_you_mean
from .units import parse_paper

DUPLEX = ("long-edge", "short-edge")
DEFAULT_OVERLAP_MM = 10.0  # what neighbouring tiles share when --overlap is not given


@dataclass(frozen=True)
class BuildOptions:
    layouts: tuple[str, ...] = ()  # bundled layout names or .toml paths; () is the kit
    stock: str = "coated"  # the paper printed on: "coated" (FOGRA39) or "uncoated" (FOGRA52, files end in -uncoated)
    office: bool = False  # for an office printer: no bleed or marks, 5 mm inside the edge, no PDF/X
    mono: bool = False  # gray only (K), for photocopying
    marks: bool = False  # crop marks outside the bleed
    page_size: str | None = None  # re-target every layout to this paper ("Letter", "210 x 297 mm")
    sheet: str | None = None  # copies n-up on sheets of this paper, with cut marks
    stack: bool = False  # with sheet: different pages share a sheet in cut-and-stack order
    duplex: str | None = None  # with sheet: "long-edge" or "short-edge", backs registered with fronts
    size: str | None = None  # enlarge (or reduce) each layout to exactly this paper
    tile: str | None = None  # cut the (enlarged) poster onto sheets of this paper
    overlap_mm: float | None = None  # with tile: what neighbouring sheets share; None is 10 mm
    fonts: tuple[str, ...] = ()  # TrueType files added to the end of every font chain (--font)
    translation: str | None = None  # a second statement file: its title and slogans are the translation

    def __post_init__(self) -> None:
        # lists and paths are taken as given and kept as the immutable values they stand for
        for name in ("layouts", "fonts"):
            value = getattr(self, name)
            if isinstance(value, (str, Path)) or not isinstance(value, (list, tuple)):
                _refuse("option-type", name, f"{name} must be a list of {_WHAT[name]}, not {value!r}")
            if not all(isinstance(item, (str, Path)) for item in value):
                _refuse("option-type", name, f"{name} must be a list of {_WHAT[name]}, not {value!r}")
            object.__setattr__(self, name, tuple(str(item) for item in value))
        if isinstance(self.translation, Path):
            object.__setattr__(self, "translation", str(self.translation))
        if isinstance(self.overlap_mm, int) and not isinstance(self.overlap_mm, bool):
            object.__setattr__(self, "overlap_mm", float(self.overlap_mm))
        for field in fields(self):
            _check_type(field.name, getattr(self, field.name))
        self._check_choices()
        self._check_combinations()
        self._check_papers()

    def _check_choices(self) -> None:
        if self.stock not in PAPERS:
            _refuse("option-choice", "stock", f"the stock {self.stock!r} is not one handbill knows{did_you_mean(self.stock, PAPERS)}")
        if self.duplex is not None and self.duplex not in DUPLEX:
            _refuse("option-choice", "duplex", f"--duplex {self.duplex!r} is not a way to turn a sheet{did_you_mean(self.duplex, DUPLEX)}")

    def _check_combinations(self) -> None:
        """The options that do not go together, each said as the command line has said it."""
        if self.office and self.marks:
            _refuse("options-conflict", "--office", "--office and --marks do not go together: office pages have no bleed to mark")
        if (self.stack or self.duplex) and not self.sheet:
            _refuse("options-conflict", "--sheet",
                    "--stack and --duplex arrange copies on a sheet; give --sheet PAPER too (e.g. --sheet A4)")
        if self.tile and self.sheet:
            _refuse("options-conflict", "--tile",
                    "--tile and --sheet do not go together: a tiled poster is one big page cut up, not copies")
        if self.tile and self.marks:
            _refuse("options-conflict", "--tile",
                    "--tile and --marks do not go together: the tiles carry their own trim marks; leave out --marks")
        if self.overlap_mm is not None and not self.tile:
            _refuse("options-conflict", "--overlap", "--overlap is for tiles; give --tile PAPER too (e.g. --tile A4)")
        if self.overlap_mm is not None and not math.isfinite(self.overlap_mm):
            _refuse("option-value", "--overlap", f"--overlap {self.overlap_mm} is not a length; give e.g. 10mm")
        if self.overlap_mm is not None and self.overlap_mm < 0:
            _refuse("option-value", "--overlap", "--overlap cannot be negative; give e.g. 10mm")

    def _check_papers(self) -> None:
        """Every paper named can be read, so no build gets half way before finding out."""
        for flag, value in (("--paper", self.page_size), ("--sheet", self.sheet), ("--size", self.size), ("--tile", self.tile)):
            if value is None:
                continue
            try:
                parse_paper(value)
            except ValueError as error:
                _refuse("paper-size", flag, f"{flag} {value}: {error}")

    @property
    def arrangement(self) -> Arrangement:
        """What becomes of each composed document before render (sheets, sizes, tiles)."""
        overlap = DEFAULT_OVERLAP_MM if self.overlap_mm is None else self.overlap_mm
        return Arrangement(self.sheet, self.stack, self.duplex, self.size, self.tile, overlap)

    @property
    def arranged(self) -> bool:
        """Whether the files are other than the layouts' own pages (named for it)."""
        return bool(self.sheet or self.size or self.tile)

    @property
    def pdfx(self) -> str | None:
        """The PDF/X-1a printing condition: for the print shop; office prints and tiles come
        off a desktop printer and have none."""
        return None if self.office or self.tile else self.stock

    @property
    def uncoated(self) -> bool:
        return self.stock == "uncoated"

    @classmethod
    def from_mapping(cls, data: dict) -> BuildOptions:
        """Options from a web form or JSON: the field names as keys; an unknown key is
        refused (with the nearest name), never ignored."""
        if not isinstance(data, dict):
            _refuse("option-type", "", f"build options must be a mapping of names to values, not {type(data).__name__}")
        names = tuple(field.name for field in fields(cls))
        for key in data:
            if key not in names:
                _refuse("option-unknown", str(key), f"unknown build option {key!r}{did_you_mean(str(key), names)}")
        return cls(**data)

    def as_dict(self) -> dict:
        """The options as JSON values (from_mapping reads them back)."""
        return {field.name: list(value) if isinstance(value := getattr(self, field.name), tuple) else value
                for field in fields(self)}


_WHAT = MappingProxyType({"layouts": "layout names or .toml paths", "fonts": ".ttf paths"})
_BOOLS = ("office", "mono", "marks", "stack")
_TEXTS = ("stock",)
_OPTIONAL_TEXTS = ("page_size", "sheet", "duplex", "size", "tile", "translation")


def _check_type(name: str, value: object) -> None:
    if name in _BOOLS and not isinstance(value, bool):
        _refuse("option-type", name, f"the option {name} must be true or false, not {value!r}")
    if name in _TEXTS and not isinstance(value, str):
        _refuse("option-type", name, f"the option {name} must be text, not {value!r}")
    if name in _OPTIONAL_TEXTS and value is not None and not (isinstance(value, str) and value.strip()):
        _refuse("option-type", name, f"the option {name} must be text (or left out), not {value!r}")
    if name == "overlap_mm" and value is not None and not isinstance(value, float):
        _refuse("option-type", name, f"the option overlap_mm must be a number of millimetres, not {value!r}")



def _refuse(code: str, where: str, message: str) -> None:
    raise InputError(Problem("error", code, where, message))
