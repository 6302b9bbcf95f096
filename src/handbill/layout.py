"""Layout: where things go on the page. Pure data, loaded from TOML and validated strictly.

A Layout knows nothing of the text. Lengths stay in the units the file gave (a percentage
only means something once the paper is known), and compose.py resolves them to points.
The file format is documented in docs/layout-format.md.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .errors import LayoutError
from .limits import MAX_BLOCKS, MAX_PAGE
from .printshop import (BLEED_MM, GUTTER_MAX_MM, MIN_TEXT_PT, QR_MODULE_GOOD_MM, QR_MODULE_MIN_MM, QR_POSTER_MODULE_MM,
                        QR_POSTER_SHORT_SIDE_MM, TINY_TEXT_PT)
from .problems import Problem, did_you_mean
from .resources import layouts_dir
from .roles import PRINTS_THE_STATEMENT, ROLES
from .units import CMYK, MM, Length, Paper, parse_cmyk, parse_length, parse_mm, parse_paper, parse_pt


@dataclass(frozen=True)
class Area:
    x: Length
    y: Length  # from the top of the frame
    w: Length
    h: Length
    frame: str = "safe"  # "safe" (inside the margin) or "trim" (the finished page)


@dataclass(frozen=True)
class SizeRange:
    min: float  # pt
    max: float  # pt


@dataclass(frozen=True)
class BlockSpec:
    role: str
    area: Area
    where: str  # for messages: "block 3 (body)"
    page: int = 1
    font: str = "text"  # font role: "text" | "display"
    size: SizeRange = SizeRange(8, 11)
    leading: float = 1.3
    align: str = "left"  # left | center | right | justify
    valign: str = "top"  # top | middle | bottom
    color: CMYK = (0.0, 0.0, 0.0, 1.0)
    uppercase: bool = False
    columns: int = 1
    gutter_mm: float = 5.0
    hyphenate: bool = False
    continues: bool = False
    text: str | None = None
    optional: bool = False
    caption: str | None = None
    error_correction: str = "M"
    module_mm: float = QR_MODULE_GOOD_MM
    fill: CMYK | None = None
    shape: str = "rect"  # rect | rule
    stroke_pt: float = 1.0
    src: Path | None = None  # image: the file, resolved against the layout's folder
    fit: str = "contain"  # image, logo: contain (all of it, in the box) | cover (fill the box, cropped)
    translation: bool = False  # headline, slogans: print the statement's translation instead


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    paper: Paper
    bleed_mm: float
    margin_mm: float
    blocks: tuple[BlockSpec, ...]
    theme: dict[str, CMYK] = field(default_factory=dict)
    repeat: str | None = None  # "slogans": one page per slogan
    source: Path | None = None
    fonts: tuple[Path, ...] = ()  # TrueType files the layout adds to every font chain (like --font)

    @property
    def page_count(self) -> int:
        return max(block.page for block in self.blocks)

    def blocks_with_role(self, role: str) -> list[BlockSpec]:
        return [block for block in self.blocks if block.role == role]


# --- reading layout files --------------------------------------------------------------

DEFAULT_THEME: Mapping[str, CMYK] = MappingProxyType({"ink": (0.0, 0.0, 0.0, 1.0), "paper": (0.0, 0.0, 0.0, 0.0)})

_TOP_KEYS = ("name", "description", "repeat", "fonts", "page", "theme", "block")
_PAGE_KEYS = ("size", "orientation", "bleed", "margin")
_AREA_KEYS = ("x", "y", "w", "h")
_CHOICES = MappingProxyType({
    "frame": ("safe", "trim"),
    "font": ("text", "display"),
    "align": ("left", "center", "right", "justify"),
    "valign": ("top", "middle", "bottom"),
    "error_correction": ("L", "M", "Q", "H"),
    "shape": ("rect", "rule"),
    "orientation": ("portrait", "landscape"),
    "repeat": ("slogans",),
    "fit": ("contain", "cover"),
})


class _Problem(Exception):
    """A mistake found while reading a layout; turned into a LayoutError naming the file."""

    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where



def _check_keys(table: dict, allowed, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise _Problem(where, f"unknown key '{key}'{did_you_mean(key, allowed)}")


def _choice(table: dict, key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    choices = _CHOICES[key]
    if value not in choices:
        raise _Problem(where, f"{key} = {value!r} is not allowed{did_you_mean(value, choices)}")
    return value


def _typed(table: dict, key: str, kind, default, where: str):
    value = table.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = {bool: "true or false", int: "a whole number", float: "a number", str: "text in quotes"}[kind]
        raise _Problem(where, f"{key} must be {name}, not {value!r}")
    return value


def _value(parse, value, key: str, where: str):
    try:
        return parse(value)
    except ValueError as error:
        raise _Problem(where, f"{key}: {error}") from None


def load_layout(path: str | Path) -> Layout:
    """Read and check a layout file. Every mistake raises LayoutError (an InputError) with one sentence
    naming the file, the place (block number and role, or the line) and the fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Notepad) is no part of the text
    except FileNotFoundError:
        raise LayoutError(f"{path}: no such layout file; check the path, or name a bundled layout (handbill layouts)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LayoutError(f"{path}: cannot read the layout file ({error}); save it as UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LayoutError(f"{path}: not valid TOML: {error}; fix the syntax there (docs/layout-format.md shows the format)") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise LayoutError(
            f"{path}: arrays or tables are nested too deeply to read; a layout nests at most three deep "
            f"(docs/layout-format.md shows the format)"
        ) from None
    try:
        return _layout(data, path, text)
    except _Problem as problem:
        where = f"{path}: {problem.where}"
        raise LayoutError(Problem("error", "layout", where, f"{where}: {problem}")) from None


def _layout(data: dict, path: Path, text: str) -> Layout:
    _check_keys(data, _TOP_KEYS, "top level")
    name = _typed(data, "name", str, path.stem, "top level")
    description = _typed(data, "description", str, "", "top level")
    repeat = _choice(data, "repeat", None, "top level") if "repeat" in data else None

    page = data.get("page", {})
    if not isinstance(page, dict):
        raise _Problem("top level", "page must be a table: [page] with size = \"A4\"")
    _check_keys(page, _PAGE_KEYS, "[page]")
    orientation = _choice(page, "orientation", "portrait", "[page]")
    paper = _value(lambda v: parse_paper(v, orientation), page.get("size", "A4"), "size", "[page]")
    bleed_mm = _value(parse_mm, page.get("bleed", f"{BLEED_MM:g}mm"), "bleed", "[page]")
    margin_mm = _value(parse_mm, page.get("margin", "10mm"), "margin", "[page]")
    if not 0 <= bleed_mm <= 20:
        raise _Problem("[page]", f"bleed = {page['bleed']!r} is out of range; print shops ask for {BLEED_MM:g}mm (0-20mm allowed)")
    if not 0 <= margin_mm < min(paper.width_mm, paper.height_mm) / 3:
        raise _Problem("[page]", f"margin = {page.get('margin', '10mm')!r} leaves no room on {paper.name}; use a smaller margin")

    theme = dict(DEFAULT_THEME)
    raw_theme = data.get("theme", {})
    if not isinstance(raw_theme, dict):
        raise _Problem("top level", "theme must be a table: [theme] with name = \"cmyk(c,m,y,k)\"")
    for key, value in raw_theme.items():
        theme[key] = _value(parse_cmyk, value, key, "[theme]")

    raw_blocks = data.get("block", [])
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise _Problem("top level", "the layout has no blocks; add [[block]] tables (docs/layout-format.md)")
    if len(raw_blocks) > MAX_BLOCKS:
        raise _Problem("top level", f"the layout has {len(raw_blocks)} blocks, past handbill's limit of at most {MAX_BLOCKS}; "
                                    f"put fewer blocks on its pages")
    header_lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[block]]")]
    blocks = []
    for index, raw in enumerate(raw_blocks):
        line = f", line {header_lines[index]}" if index < len(header_lines) else ""
        block = _block(raw, index + 1, line, paper, margin_mm, theme)
        if block.src is not None:  # relative to the layout file, wherever handbill runs
            block = replace(block, src=path.parent / block.src)
        blocks.append(block)

    fonts = _font_files(data.get("fonts", []), path)
    roles = {block.role for block in blocks}
    if not roles & set(PRINTS_THE_STATEMENT):
        raise _Problem("blocks", "the layout prints none of the statement: add a headline, body or slogans block")
    if repeat == "slogans" and "slogans" not in roles:
        raise _Problem("top level", "repeat = \"slogans\" needs a slogans block to put each slogan in; add one")
    return Layout(name, description, paper, bleed_mm, margin_mm, tuple(blocks), theme, repeat, path, fonts)


def _font_files(raw: object, path: Path) -> tuple[Path, ...]:
    """fonts = ["fonts/MyFace.ttf"]: relative to the layout file, wherever handbill runs."""
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise _Problem("top level", 'fonts must be a list of .ttf files, e.g. fonts = ["fonts/MyFace.ttf"]')
    files = tuple(path.parent / item for item in raw)
    for item, file in zip(raw, files):
        if file.is_dir():
            raise _Problem("top level", f"fonts: {item!r} is a folder, not a font file; give the path of a .ttf file in it")
        if not file.is_file():
            raise _Problem("top level", f"fonts: no such font file {item!r} (relative to the layout file); check the path")
    return files


def _block(raw: object, number: int, line: str, paper: Paper, margin_mm: float, theme: dict[str, CMYK]) -> BlockSpec:
    if not isinstance(raw, dict):
        raise _Problem(f"block {number}{line}", "must be a table: [[block]] followed by role = ... and area = ...")
    role = raw.get("role")
    if role is None:
        raise _Problem(f"block {number}{line}", f"has no role; add role = \"...\" (one of: {', '.join(ROLES)})")
    if role not in ROLES:
        raise _Problem(f"block {number}{line}", f"role = {role!r} is unknown{did_you_mean(role, ROLES)}")
    kind = ROLES[role]
    where = f"block {number} ({role}{line})"
    _check_keys(raw, kind.keys, where)

    frame = _choice(raw, "frame", kind.frame, where)
    area = _area(raw.get("area"), frame, paper, margin_mm, where)
    options: dict = {"role": role, "area": area, "where": f"block {number} ({role})"}
    options["page"] = _typed(raw, "page", int, 1, where)
    if options["page"] < 1:
        raise _Problem(where, "page must be 1 or more")
    if options["page"] > MAX_PAGE:
        raise _Problem(where, f"page = {options['page']} is past handbill's limit of at most {MAX_PAGE} pages; "
                              f"number the pages from 1 without gaps")
    options["optional"] = _typed(raw, "optional", bool, kind.optional, where)

    def colour(key: str, default: str | None) -> CMYK | None:
        value = raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, str) and value in theme:
            return theme[value]
        if isinstance(value, str) and not value.strip().lower().startswith(("cmyk", "#", "rgb")):
            raise _Problem(where, f"{key} = {value!r} is not a theme colour{did_you_mean(value, theme)}")
        return _value(parse_cmyk, value, key, where)

    def require(key: str) -> None:
        """A key the role cannot do without, refused in words when the block lacks it."""
        if key in kind.required and key not in raw:
            raise _Problem(where, _REQUIRED[key])

    if "fill" in kind.keys:
        require("fill")
        options["fill"] = colour("fill", None)
    if "shape" in kind.keys:
        options["shape"] = _choice(raw, "shape", "rect", where)
    if "stroke" in kind.keys:
        options["stroke_pt"] = _value(parse_pt, raw.get("stroke", "1pt"), "stroke", where)
        height_pt = area.h.to_pt(_frame_mm(paper, margin_mm, frame)[1] * MM)
        if not 0 < options["stroke_pt"] <= height_pt + 0.01:
            raise _Problem(
                where, f"stroke = {raw.get('stroke')!r} must be thicker than 0 and at most the area's height "
                f"({height_pt:.4g}pt); give a thinner rule or a taller area"
            )
    if "src" in kind.keys:
        require("src")
        options["src"] = Path(_typed(raw, "src", str, None, where))
    if "fit" in kind.keys:
        options["fit"] = _choice(raw, "fit", "contain", where)
    if "font" in kind.keys:
        options["font"] = _choice(raw, "font", kind.font, where)
    if "size" in kind.keys:
        low, high = kind.size
        options["size"] = _size(raw.get("size"), low, high, where)
    if "align" in kind.keys:
        options["align"] = _choice(raw, "align", kind.align, where)
    if "color" in kind.keys:
        options["color"] = colour("color", "ink")
    if "caption" in kind.keys:
        options["caption"] = _typed(raw, "caption", str, None, where) if "caption" in raw else None
    if "error_correction" in kind.keys:
        options["error_correction"] = _choice(raw, "error_correction", "M", where)
    if "module" in kind.keys:
        poster = min(paper.width_mm, paper.height_mm) >= QR_POSTER_SHORT_SIDE_MM
        default_module = f"{QR_POSTER_MODULE_MM if poster else QR_MODULE_GOOD_MM:g}mm"
        options["module_mm"] = _value(parse_mm, raw.get("module", default_module), "module", where)
        if options["module_mm"] < QR_MODULE_MIN_MM:  # what the preflight calls an error
            raise _Problem(where, f"module must be at least {QR_MODULE_MIN_MM:g}mm; {QR_MODULE_GOOD_MM:g}mm is the smallest that phones read well")
    if "leading" in kind.keys:
        options["leading"] = _typed(raw, "leading", float, 1.05 if options["font"] == "display" else 1.3, where)
        if not 0.8 <= options["leading"] <= 3:
            raise _Problem(where, f"leading = {options['leading']} is a multiple of the type size; use 0.8-3 (1.3 for text)")
    if "valign" in kind.keys:
        options["valign"] = _choice(raw, "valign", kind.valign, where)
    if "uppercase" in kind.keys:
        options["uppercase"] = _typed(raw, "uppercase", bool, False, where)
    if "translation" in kind.keys:
        options["translation"] = _typed(raw, "translation", bool, False, where)
    if "columns" in kind.keys:
        options["columns"] = _typed(raw, "columns", int, 1, where)
        if not 1 <= options["columns"] <= 6:
            raise _Problem(where, f"columns = {options['columns']} is out of range; use 1-6")
    if "gutter" in kind.keys:
        options["gutter_mm"] = _value(parse_mm, raw.get("gutter", "5mm"), "gutter", where)
        if not 0 <= options["gutter_mm"] <= GUTTER_MAX_MM:
            raise _Problem(where, f"gutter = {raw['gutter']!r} is out of range; use 0-{GUTTER_MAX_MM:g}mm (5mm is usual)")
    if "hyphenate" in kind.keys:
        options["hyphenate"] = _typed(raw, "hyphenate", bool, False, where)
    if "continues" in kind.keys:
        options["continues"] = _typed(raw, "continues", bool, False, where)
    if "text" in kind.keys:
        require("text")
        options["text"] = _typed(raw, "text", str, None, where)
    return BlockSpec(**options)


# A required key a block lacks, in words: what it is for and an example.
_REQUIRED = MappingProxyType({
    "fill": "a shape needs fill = \"<colour>\" (a theme colour or \"cmyk(c,m,y,k)\")",
    "src": "an image needs src = \"photo.jpg\" (a PNG or JPEG, relative to the layout file)",
    "text": "a text block needs text = \"...\" (the words to print)",
})


def _area(raw: object, frame: str, paper: Paper, margin_mm: float, where: str) -> Area:
    example = "area = { x = \"0%\", y = \"0%\", w = \"100%\", h = \"20%\" }"
    if raw is None:
        raise _Problem(where, f"has no area; add {example}")
    if not isinstance(raw, dict):
        raise _Problem(where, f"area must be a table: {example}")
    _check_keys(raw, _AREA_KEYS, f"{where}, area")
    missing = [key for key in _AREA_KEYS if key not in raw]
    if missing:
        raise _Problem(where, f"area lacks {', '.join(missing)}; write {example}")
    x, y, w, h = (_value(parse_length, raw[key], f"area.{key}", where) for key in _AREA_KEYS)
    area = Area(x, y, w, h, frame)
    _fits(area, paper, margin_mm, where)
    return area


def _frame_mm(paper: Paper, margin_mm: float, frame: str) -> tuple[float, float]:
    """The width and height in mm of the frame an area is measured in."""
    inset = margin_mm if frame == "safe" else 0.0
    return paper.width_mm - 2 * inset, paper.height_mm - 2 * inset


def _fits(area: Area, paper: Paper, margin_mm: float, where: str) -> None:
    """Raise _Problem if the area has no size or runs off its frame on this paper."""
    x, y, w, h, frame = area.x, area.y, area.w, area.h, area.frame
    frame_w, frame_h = _frame_mm(paper, margin_mm, frame)

    def mm(length: Length, of: float) -> float:
        return length.to_pt(of * MM) / MM

    x0, y0, width, height = mm(x, frame_w), mm(y, frame_h), mm(w, frame_w), mm(h, frame_h)
    if width <= 0 or height <= 0:
        raise _Problem(where, "area has no size; give w and h greater than 0")
    tolerance = 0.01
    if x0 < -tolerance or y0 < -tolerance or x0 + width > frame_w + tolerance or y0 + height > frame_h + tolerance:
        raise _Problem(
            where,
            f"the area ({x0:g}, {y0:g}) + {width:g} x {height:g} mm runs off the {frame} area of "
            f"{frame_w:g} x {frame_h:g} mm on {paper.name}; make x + w at most 100% and y + h at most 100%",
        )


def _size(raw: object, low: float, high: float, where: str) -> SizeRange:
    if raw is None:
        return SizeRange(low, high)
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        size = _value(parse_pt, raw, "size", where)
        return _checked_range(size, size, where)
    if not isinstance(raw, dict):
        raise _Problem(where, "size must be { min = \"8pt\", max = \"11pt\" } or one size such as \"24pt\"")
    _check_keys(raw, ("min", "max"), f"{where}, size")
    given_max = _value(parse_pt, raw["max"], "size.max", where) if "max" in raw else None
    # only max given: the role's smallest size, unless max is smaller still
    minimum = _value(parse_pt, raw["min"], "size.min", where) if "min" in raw else min(low, given_max or low)
    maximum = given_max if given_max is not None else max(high, minimum)
    return _checked_range(minimum, maximum, where)


def _checked_range(minimum: float, maximum: float, where: str) -> SizeRange:
    if minimum < TINY_TEXT_PT:
        raise _Problem(where, f"size.min = {minimum:g}pt is too small to read; use {MIN_TEXT_PT:g}pt or more")
    if minimum > maximum:
        raise _Problem(where, f"size.min ({minimum:g}pt) is larger than size.max ({maximum:g}pt); swap them")
    return SizeRange(round(minimum, 3), round(maximum, 3))


def retarget(layout: Layout, paper: str) -> Layout:
    """The layout on another paper ("Letter", "long bond", "210 x 297 mm"), turned as the
    layout is turned. Areas in % follow the paper; an area in mm that no longer fits, or a
    margin that leaves no room, raises LayoutError naming the layout and the block."""
    orientation = "landscape" if layout.paper.width_mm > layout.paper.height_mm else "portrait"
    try:
        target = parse_paper(paper, orientation)
    except ValueError as error:
        raise LayoutError(f"--paper {paper}: {error}") from None
    where = f"the layout {layout.name} cannot go on {target.name}"
    if not layout.margin_mm < min(target.width_mm, target.height_mm) / 3:
        raise LayoutError(f"{where}: its {layout.margin_mm:g}mm margin leaves no room; choose a larger paper")
    for block in layout.blocks:
        try:
            _fits(block.area, target, layout.margin_mm, block.where)
        except _Problem as problem:
            raise LayoutError(f"{where}: {problem.where}: {problem}") from None
    # a QR code on smaller paper gets smaller modules, down to the 0.5 mm phones still read
    shrink = min(target.width_mm, target.height_mm) / min(layout.paper.width_mm, layout.paper.height_mm)
    blocks = tuple(
        replace(block, module_mm=max(min(QR_MODULE_GOOD_MM, block.module_mm), block.module_mm * shrink)) if "module" in ROLES[block.role].keys and shrink < 1 else block
        for block in layout.blocks
    )
    return replace(layout, paper=target, blocks=blocks)


def bundled_layouts() -> list[Layout]:
    """Every layout shipped with handbill, by name."""
    return sorted((load_layout(path) for path in layouts_dir().glob("*.toml")), key=lambda layout: layout.name)


def find_layout(name_or_path: str | Path, *, page_size: str | None = None) -> Layout:
    """A bundled layout by name ("a4-leaflet"), or a layout file by path; re-targeted to
    the paper `page_size` (see retarget) when given."""
    layout = _find_layout(name_or_path)
    return retarget(layout, page_size) if page_size else layout


def _find_layout(name_or_path: str | Path) -> Layout:
    text = str(name_or_path)
    candidate = Path(text)
    if text.endswith(".toml") or "/" in text or "\\" in text or candidate.is_file():
        return load_layout(candidate)
    bundled = layouts_dir() / f"{text}.toml"
    if bundled.is_file():
        return load_layout(bundled)
    names = sorted(path.stem for path in layouts_dir().glob("*.toml"))
    close = difflib.get_close_matches(text, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise LayoutError(
        f"no layout named '{text}'; {hint}the bundled layouts are {', '.join(names)} "
        f"(or give the path of a .toml file)"
    )
