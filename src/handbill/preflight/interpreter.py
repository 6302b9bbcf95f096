"""The content-stream interpreter: a page's drawing instructions -> its marks.

pikepdf parses a content stream into instructions (operands, operator). We walk them
keeping the graphics state (CTM, clip, colours, line width, font, text matrix) and note
each painted thing as plain data (marks.py), following forms into their own streams.

Every operator of PDF 1.7 has a row in OPERATORS: the operands it takes (how many, of what
kind) and its handler. An instruction whose operands do not fit its row is not run: its
handler never sees them, so no handler can trip over a missing or wrong-typed operand
(`BT /F1 12 Tf Tc ...`). Such an operator is skipped, as Ghostscript's PDF interpreter
(the RIP side) skips it after a stackunderflow or typecheck error, and as pdfium does for
`Tz`, the colour and the path operators whose operand count is wrong; the rest of the
stream is read on. Viewers do not agree on it (pdfium and MuPDF read a missing number as
0 for `Tc`, `Tw`, `TL`: MuPDF even sets `Tz` to 0, collapsing the text), so what prints
may differ from what was seen on screen: the page is noted as damaged, which checks.py
reports as damaged content. An operator that takes no operands runs even with stray ones
before it: every reader ignores them (pdfium, MuPDF and Ghostscript alike).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

import pikepdf

from .colour import describe_space, device_paint, image_ink, initial_paint, inline_image_space, space_named
from .fonts import MeasuredFont, describe_font
from .geometry import EVERYWHERE, IDENTITY, apply, bbox_of, intersect, multiply, scale, transformed_box
from .marks import BLACK, BBox, Fill, FontInfo, Glyphs, Image, Matrix, PageMarks, Paint, Stroke
from .opening import Repairs, first_line

MAX_FORM_DEPTH = 12  # forms drawing forms; deeper than this is a loop or a broken file


class State(NamedTuple):
    """The graphics state: what q saves and Q restores, and what each mark is drawn in."""

    ctm: Matrix = IDENTITY
    clip: BBox = EVERYWHERE
    fill: Paint = BLACK
    stroke: Paint = BLACK
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    line_width: float = 1.0
    overprint_fill: bool = False  # ExtGState /op (or /OP where /op is absent)
    overprint_stroke: bool = False  # ExtGState /OP
    font: MeasuredFont | None = None
    font_size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render_mode: int = 0


# --- operands ---------------------------------------------------------------------------


class Kind(NamedTuple):
    """A kind of operand: how to tell one, and its name in a message."""

    accepts: Callable[[object], bool]
    one: str  # "a number"
    many: str  # "numbers"


def _is_number(value) -> bool:
    # pikepdf gives integers as int and reals as Decimal; a bool is an int to Python but
    # not a number to PDF (`true Tc` is a type error), and neither is an infinite real
    return (type(value) is int or type(value) is Decimal) and math.isfinite(value)


NUMBER = Kind(_is_number, "a number", "numbers")
NAME = Kind(lambda value: isinstance(value, pikepdf.Name), "a name", "names")
STRING = Kind(lambda value: isinstance(value, pikepdf.String), "a string", "strings")
ARRAY = Kind(lambda value: isinstance(value, pikepdf.Array), "an array", "arrays")
PROPERTIES = Kind(lambda value: isinstance(value, (pikepdf.Dictionary, pikepdf.Name)),
                  "a dictionary or a name", "dictionaries or names")
INLINE_IMAGE = Kind(lambda value: isinstance(value, pikepdf.PdfInlineImage), "an inline image", "inline images")


class Exactly(NamedTuple):
    """These operands, in this order. An operator that takes none ignores stray ones."""

    kinds: tuple[Kind, ...]

    def fit(self, operands) -> bool:
        kinds = self.kinds
        if not kinds:
            return True
        return len(operands) == len(kinds) and all(kind.accepts(value) for kind, value in zip(kinds, operands))

    def words(self) -> str:
        return _counted([kind.one for kind in self.kinds], {kind.one: kind.many for kind in self.kinds})


class ColourComponents(NamedTuple):
    """sc/SC: one number per component of the colour space; scn/SCN: the same, or a
    pattern's name after its components (none for a coloured pattern)."""

    pattern: bool

    def fit(self, operands) -> bool:
        if not operands:
            return False
        components = operands[:-1] if self.pattern and NAME.accepts(operands[-1]) else operands
        return all(_is_number(value) for value in components)

    def words(self) -> str:
        return "colour components (numbers)" + (" or a pattern name" if self.pattern else "")


def _counted(words: list[str], plural: dict[str, str]) -> str:
    """["a number", "a number", "a string"] -> "2 numbers and a string"; [] -> "nothing"."""
    runs: list[list] = []
    for word in words:
        if runs and runs[-1][0] == word:
            runs[-1][1] += 1
        else:
            runs.append([word, 1])
    parts = [word if count == 1 else f"{count} {plural.get(word, word)}" for word, count in runs]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _operand_word(value) -> str:
    if _is_number(value):
        return "a number"
    for kind in (NAME, STRING, ARRAY, INLINE_IMAGE):
        if kind.accepts(value):
            return kind.one
    if isinstance(value, pikepdf.Dictionary):
        return "a dictionary"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, Decimal)):
        return "an infinite number"
    return f"a {type(value).__name__}"


def describe_operands(operands) -> str:
    """The operands an instruction was given, in words: "nothing", "a name", "2 numbers"."""
    words = [_operand_word(value) for value in operands]
    return _counted(words, {"a number": "numbers", "a name": "names", "a string": "strings", "an array": "arrays"})


def _floats(operands) -> tuple[float, ...]:
    return tuple(float(value) for value in operands)


# --- the operators ------------------------------------------------------------------------


class StreamRun:
    """One content stream being interpreted: the state that lives only as long as the
    stream (saved states, the path being built, the text matrices)."""

    __slots__ = ("interpreter", "resources", "state", "saved", "path", "pending_clip", "compatibility",
                 "text_matrix", "line_matrix", "depth")

    def __init__(self, interpreter: Interpreter, resources, state: State, depth: int):
        self.interpreter = interpreter
        self.resources = resources
        self.state = state
        self.saved: list[State] = []  # q pushes, Q pops
        self.path: list[tuple[float, float]] = []  # the current path's points, on the page
        self.pending_clip = False  # W or W*: the next painting operator also clips
        self.compatibility = 0  # inside BX ... EX unknown operators are allowed
        self.text_matrix = self.line_matrix = IDENTITY
        self.depth = depth  # how many forms deep


class Operator(NamedTuple):
    operands: Exactly | ColourComponents
    # None: the operator changes nothing a press check looks at (marked content, dashes,
    # line joins, Type 3 glyph metrics, ...); it is known, so it is no damage
    handle: Callable[[StreamRun, list], None] | None


def _save(run: StreamRun, operands) -> None:
    run.saved.append(run.state)


def _restore(run: StreamRun, operands) -> None:
    if run.saved:  # a Q without its q restores nothing (every reader ignores it)
        run.state = run.saved.pop()


def _concatenate(run: StreamRun, operands) -> None:
    run.state = run.state._replace(ctm=multiply(_floats(operands), run.state.ctm))


def _line_width(run: StreamRun, operands) -> None:
    run.state = run.state._replace(line_width=float(operands[0]))


def _graphics_state(run: StreamRun, operands) -> None:
    run.state = run.interpreter.graphics_state(run.state, operands[0], run.resources)


def _path_points(run: StreamRun, operands) -> None:
    """m, l, c, v, y: the points they pass through or pull towards (the curve lies within them)."""
    ctm = run.state.ctm
    numbers = _floats(operands)
    run.path.extend(apply(ctm, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2))


def _rectangle(run: StreamRun, operands) -> None:
    x, y, w, h = _floats(operands)
    ctm = run.state.ctm
    run.path.extend(apply(ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))


def _clip(run: StreamRun, operands) -> None:
    run.pending_clip = True


def _painter(fill: bool, stroke: bool) -> Callable[[StreamRun, list], None]:
    """A path-painting operator's handler (n paints nothing but still ends the path and clips)."""

    def paint(run: StreamRun, operands) -> None:
        if run.path:
            box = bbox_of(run.path)
            state = run.state
            if fill:
                run.interpreter.fill(state, intersect(box, state.clip))
            if stroke:
                run.interpreter.stroke(state, box)
            if run.pending_clip:
                run.state = state._replace(clip=intersect(state.clip, box))
        run.path, run.pending_clip = [], False

    return paint


def _device_colour(space: str, fill: bool, operator: str) -> Callable[[StreamRun, list], None]:
    """g/G, rg/RG, k/K: a device space and a colour in it."""

    def set_colour(run: StreamRun, operands) -> None:
        run.interpreter.marks.colour_operators.add(operator)
        run.state = _with_paint(run.state, fill, space, device_paint(space, list(_floats(operands))))

    return set_colour


def _colour_space(fill: bool) -> Callable[[StreamRun, list], None]:
    """cs/CS: a colour space, starting at its initial colour."""

    def set_space(run: StreamRun, operands) -> None:
        space = space_named(operands[0], run.resources)
        run.state = _with_paint(run.state, fill, space, initial_paint(space))

    return set_space


def _colour(fill: bool, operator: str) -> Callable[[StreamRun, list], None]:
    """sc/SC/scn/SCN: a colour in the current space (or a pattern)."""

    def set_colour(run: StreamRun, operands) -> None:
        run.interpreter.marks.colour_operators.add(operator)
        space = run.state.fill_space if fill else run.state.stroke_space
        paint = run.interpreter.paint(space, operands, run.resources)
        run.state = _with_paint(run.state, fill, space, paint)

    return set_colour


def _with_paint(state: State, fill: bool, space: str, paint: Paint) -> State:
    if fill:
        return state._replace(fill_space=space, fill=paint)
    return state._replace(stroke_space=space, stroke=paint)


def _shading(run: StreamRun, operands) -> None:
    run.interpreter.shading(run.state, operands[0], run.resources)


def _draw_object(run: StreamRun, operands) -> None:
    run.interpreter.draw_object(run.state, operands[0], run.resources, run.depth)


def _inline_image(run: StreamRun, operands) -> None:
    run.interpreter.inline_image(run.state, operands[0])


def _begin_text(run: StreamRun, operands) -> None:
    run.text_matrix = run.line_matrix = IDENTITY


def _font(run: StreamRun, operands) -> None:
    font = run.interpreter.font(operands[0], run.resources)
    run.state = run.state._replace(font=font, font_size=float(operands[1]))


def _text_state(field: str, convert: Callable[[float], float | int]) -> Callable[[StreamRun, list], None]:
    """Tc, Tw, TL, Tz, Ts, Tr: one number into the text state."""

    def set_field(run: StreamRun, operands) -> None:
        run.state = run.state._replace(**{field: convert(operands[0])})

    return set_field


def _move_text(run: StreamRun, operands) -> None:
    x, y = _floats(operands)
    run.text_matrix = run.line_matrix = multiply((1, 0, 0, 1, x, y), run.line_matrix)


def _move_text_and_lead(run: StreamRun, operands) -> None:
    run.state = run.state._replace(leading=-float(operands[1]))
    _move_text(run, operands)


def _next_line(run: StreamRun, operands) -> None:
    run.text_matrix = run.line_matrix = multiply((1, 0, 0, 1, 0, -run.state.leading), run.line_matrix)


def _text_matrix(run: StreamRun, operands) -> None:
    run.text_matrix = run.line_matrix = _floats(operands)


def _show(run: StreamRun, operands) -> None:
    run.text_matrix = run.interpreter.show(run.state, operands[0], run.text_matrix)


def _next_line_show(run: StreamRun, operands) -> None:
    _next_line(run, operands)
    _show(run, operands[-1:])


def _next_line_spaced_show(run: StreamRun, operands) -> None:
    run.state = run.state._replace(word_spacing=float(operands[0]), char_spacing=float(operands[1]))
    _next_line_show(run, operands)


def _begin_compatibility(run: StreamRun, operands) -> None:
    run.compatibility += 1


def _end_compatibility(run: StreamRun, operands) -> None:
    run.compatibility = max(0, run.compatibility - 1)


def _operands(*kinds: Kind) -> Exactly:
    return Exactly(kinds)


NONE = _operands()
ONE_NUMBER = _operands(NUMBER)
TWO_NUMBERS = _operands(NUMBER, NUMBER)
FOUR_NUMBERS = _operands(NUMBER, NUMBER, NUMBER, NUMBER)
SIX_NUMBERS = _operands(*(NUMBER,) * 6)
ONE_NAME = _operands(NAME)

# Every operator of PDF 1.7 (ISO 32000-1, annex A), and pikepdf's name for an inline image
# (it reads BI ... ID ... EI as one instruction; a stray BI, ID or EI is left as it is).
OPERATORS: Mapping[str, Operator] = MappingProxyType({
    # graphics state
    "q": Operator(NONE, _save),
    "Q": Operator(NONE, _restore),
    "cm": Operator(SIX_NUMBERS, _concatenate),
    "w": Operator(ONE_NUMBER, _line_width),
    "J": Operator(ONE_NUMBER, None),
    "j": Operator(ONE_NUMBER, None),
    "M": Operator(ONE_NUMBER, None),
    "d": Operator(_operands(ARRAY, NUMBER), None),
    "ri": Operator(ONE_NAME, None),
    "i": Operator(ONE_NUMBER, None),
    "gs": Operator(ONE_NAME, _graphics_state),
    # paths
    "m": Operator(TWO_NUMBERS, _path_points),
    "l": Operator(TWO_NUMBERS, _path_points),
    "c": Operator(SIX_NUMBERS, _path_points),
    "v": Operator(FOUR_NUMBERS, _path_points),
    "y": Operator(FOUR_NUMBERS, _path_points),
    "h": Operator(NONE, None),
    "re": Operator(FOUR_NUMBERS, _rectangle),
    "S": Operator(NONE, _painter(fill=False, stroke=True)),
    "s": Operator(NONE, _painter(fill=False, stroke=True)),
    "f": Operator(NONE, _painter(fill=True, stroke=False)),
    "F": Operator(NONE, _painter(fill=True, stroke=False)),
    "f*": Operator(NONE, _painter(fill=True, stroke=False)),
    "B": Operator(NONE, _painter(fill=True, stroke=True)),
    "B*": Operator(NONE, _painter(fill=True, stroke=True)),
    "b": Operator(NONE, _painter(fill=True, stroke=True)),
    "b*": Operator(NONE, _painter(fill=True, stroke=True)),
    "n": Operator(NONE, _painter(fill=False, stroke=False)),
    "W": Operator(NONE, _clip),
    "W*": Operator(NONE, _clip),
    # colour
    "CS": Operator(ONE_NAME, _colour_space(fill=False)),
    "cs": Operator(ONE_NAME, _colour_space(fill=True)),
    "SC": Operator(ColourComponents(pattern=False), _colour(fill=False, operator="SC")),
    "sc": Operator(ColourComponents(pattern=False), _colour(fill=True, operator="sc")),
    "SCN": Operator(ColourComponents(pattern=True), _colour(fill=False, operator="SCN")),
    "scn": Operator(ColourComponents(pattern=True), _colour(fill=True, operator="scn")),
    "G": Operator(ONE_NUMBER, _device_colour("DeviceGray", fill=False, operator="G")),
    "g": Operator(ONE_NUMBER, _device_colour("DeviceGray", fill=True, operator="g")),
    "RG": Operator(_operands(NUMBER, NUMBER, NUMBER), _device_colour("DeviceRGB", fill=False, operator="RG")),
    "rg": Operator(_operands(NUMBER, NUMBER, NUMBER), _device_colour("DeviceRGB", fill=True, operator="rg")),
    "K": Operator(FOUR_NUMBERS, _device_colour("DeviceCMYK", fill=False, operator="K")),
    "k": Operator(FOUR_NUMBERS, _device_colour("DeviceCMYK", fill=True, operator="k")),
    # shadings, images, forms
    "sh": Operator(ONE_NAME, _shading),
    "Do": Operator(ONE_NAME, _draw_object),
    "INLINE IMAGE": Operator(_operands(INLINE_IMAGE), _inline_image),
    "BI": Operator(NONE, None),
    "ID": Operator(NONE, None),
    "EI": Operator(NONE, None),
    # text
    "BT": Operator(NONE, _begin_text),
    "ET": Operator(NONE, None),
    "Tc": Operator(ONE_NUMBER, _text_state("char_spacing", float)),
    "Tw": Operator(ONE_NUMBER, _text_state("word_spacing", float)),
    "Tz": Operator(ONE_NUMBER, _text_state("horizontal_scale", lambda value: float(value) / 100)),
    "TL": Operator(ONE_NUMBER, _text_state("leading", float)),
    "Tf": Operator(_operands(NAME, NUMBER), _font),
    "Tr": Operator(ONE_NUMBER, _text_state("render_mode", int)),
    "Ts": Operator(ONE_NUMBER, _text_state("rise", float)),
    "Td": Operator(TWO_NUMBERS, _move_text),
    "TD": Operator(TWO_NUMBERS, _move_text_and_lead),
    "Tm": Operator(SIX_NUMBERS, _text_matrix),
    "T*": Operator(NONE, _next_line),
    "Tj": Operator(_operands(STRING), _show),
    "TJ": Operator(_operands(ARRAY), _show),
    "'": Operator(_operands(STRING), _next_line_show),
    '"': Operator(_operands(NUMBER, NUMBER, STRING), _next_line_spaced_show),
    # Type 3 glyphs
    "d0": Operator(TWO_NUMBERS, None),
    "d1": Operator(SIX_NUMBERS, None),
    # marked content
    "MP": Operator(ONE_NAME, None),
    "DP": Operator(_operands(NAME, PROPERTIES), None),
    "BMC": Operator(ONE_NAME, None),
    "BDC": Operator(_operands(NAME, PROPERTIES), None),
    "EMC": Operator(NONE, None),
    # compatibility
    "BX": Operator(NONE, _begin_compatibility),
    "EX": Operator(NONE, _end_compatibility),
})


# --- the interpreter ------------------------------------------------------------------------


class Interpreter:
    """Interprets a page's content streams (and the forms, patterns and annotation
    appearances they draw); what it sees goes into `marks`."""

    def __init__(self, marks: PageMarks, repairs: Repairs):
        self.marks = marks
        self.repairs = repairs
        self.fonts: dict[str, FontInfo] = {}  # every font in any Resources we pass, by object
        self.font_cache: dict = {}  # a font's object (or contents) -> its measures

    def parse(self, owner):
        """The instructions of a page's or form's content, or None when it cannot be read.
        qpdf reads what it can of a broken stream and only warns about the rest, so its
        warnings while parsing mean damage too, as much as an exception does."""
        try:
            instructions = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as error:
            self.repairs.take()
            self.marks.note_damage(first_line(error))
            return None
        warned = self.repairs.take()
        if warned:
            self.marks.note_damage(warned[0])
        return instructions

    def run(self, instructions, resources, state: State, depth: int) -> None:
        """Interpret one content stream's instructions, starting in `state`."""
        self.note_fonts(resources)
        run = StreamRun(self, resources, state, depth)
        operators = OPERATORS
        for instruction in instructions:
            # attribute access, not tuple unpacking: unpacking pikepdf's instructions costs 8 µs each
            operands = instruction.operands
            op = str(instruction.operator)
            operator = operators.get(op)
            if operator is None:
                if not run.compatibility:
                    # binary junk or a truncated stream parses into "operators" no PDF has
                    self.marks.note_damage(f"its content has {ascii(op[:12])}, which is no PDF operator")
            elif not operator.operands.fit(operands):
                self.marks.note_damage(
                    f"its content gives {op} {describe_operands(operands)} where it needs {operator.operands.words()}")
            elif operator.handle is not None:
                operator.handle(run, operands)

    def run_form(self, state: State, form, label: str, resources, depth: int) -> None:
        """Draw a form XObject (or an annotation's appearance) in `state`."""
        if depth >= MAX_FORM_DEPTH:
            return
        matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
        ctm = multiply(matrix, state.ctm)
        clip = state.clip
        if "/BBox" in form:
            clip = intersect(clip, transformed_box(ctm, *(float(v) for v in form.BBox)))
        group = form.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            self.marks.transparency.append(f"a transparency group in {label}")
        inner = state._replace(ctm=ctm, clip=clip)
        form_resources = form.get("/Resources") or resources
        instructions = self.parse(form)
        if instructions is not None:
            self.run(instructions, form_resources, inner, depth + 1)

    # Painting ----------------------------------------------------------------------------

    def fill(self, state: State, box: BBox) -> None:
        self.marks.fills.append(Fill(state.fill, box))
        self.marks.spaces.add(state.fill.space)
        if state.overprint_fill and state.fill.white:
            self.marks.white_overprint.append("a white area")

    def stroke(self, state: State, box: BBox) -> None:
        """A stroke along a path within `box`: the line reaches half its width past it."""
        width = state.line_width * scale(state.ctm)
        grown = (box[0] - width / 2, box[1] - width / 2, box[2] + width / 2, box[3] + width / 2)
        self.marks.strokes.append(Stroke(state.stroke, width, intersect(grown, state.clip)))
        self.marks.spaces.add(state.stroke.space)
        if state.overprint_stroke and state.stroke.white:
            self.marks.white_overprint.append("a white line")

    def paint(self, space: str, operands, resources) -> Paint:
        if space == "Pattern" or space.startswith("Pattern"):
            if operands and isinstance(operands[-1], pikepdf.Name):
                self._pattern(operands[-1], resources)
            return Paint("Pattern", None)
        # scn's trailing name belongs to a pattern space: in any other, the numbers count
        return device_paint(space, [float(v) for v in operands if _is_number(v)])

    def _pattern(self, name, resources) -> None:
        patterns = resources.get("/Pattern")
        if patterns is None or str(name) not in patterns:
            return
        pattern = patterns[str(name)]
        if int(pattern.get("/PatternType", 0)) == 2 and "/Shading" in pattern:
            space = pattern.Shading.get("/ColorSpace")
            if space is not None:
                self.marks.spaces.add(describe_space(space))
        elif "/Resources" in pattern:  # a tiling pattern: its cell is a small content stream
            self.note_fonts(pattern.Resources)
            spaces = pattern.Resources.get("/ColorSpace") or {}
            for value in spaces.values():
                self.marks.spaces.add(describe_space(value))

    def shading(self, state: State, name, resources) -> None:
        shadings = resources.get("/Shading")
        if shadings is None or str(name) not in shadings:
            return
        space = describe_space(shadings[str(name)].get("/ColorSpace", pikepdf.Name.DeviceGray))
        self.marks.spaces.add(space)
        self.marks.fills.append(Fill(Paint(space, None), state.clip))

    def graphics_state(self, state: State, name, resources) -> State:
        """gs: an ExtGState's line width, overprint and font, and its transparency in words."""
        states = resources.get("/ExtGState")
        if states is None or str(name) not in states:
            return state
        gs = states[str(name)]
        for key, what in (("/ca", "fill"), ("/CA", "stroke")):
            if key in gs and float(gs[key]) < 1:
                self.marks.transparency.append(f"{what} opacity {float(gs[key]) * 100:g} % in graphics state {str(name)[1:]}")
        mask = gs.get("/SMask")
        if mask is not None and mask != pikepdf.Name.None_:
            self.marks.transparency.append(f"a soft mask in graphics state {str(name)[1:]}")
        blend = gs.get("/BM")
        if blend is not None:
            modes = [str(m) for m in blend] if isinstance(blend, pikepdf.Array) else [str(blend)]
            if modes and modes[0] not in ("/Normal", "/Compatible"):
                self.marks.transparency.append(f"blend mode {modes[0][1:]} in graphics state {str(name)[1:]}")
        if "/LW" in gs:
            state = state._replace(line_width=float(gs.LW))
        if "/OP" in gs:  # stroking overprint; the non-stroking one too, unless /op says otherwise
            state = state._replace(overprint_stroke=bool(gs.OP), overprint_fill=bool(gs.get("/op", gs.OP)))
        elif "/op" in gs:
            state = state._replace(overprint_fill=bool(gs.op))
        if "/Font" in gs:
            font_ref, size = gs.Font
            state = state._replace(font=self.font_object(font_ref), font_size=float(size))
        return state

    # XObjects and images --------------------------------------------------------------------

    def draw_object(self, state: State, name, resources, depth: int) -> None:
        objects = resources.get("/XObject")
        if objects is None or str(name) not in objects:
            return
        xobject = objects[str(name)]
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(state, str(name)[1:], xobject)
        elif subtype == "/Form":
            self.run_form(state, xobject, f"form {str(name)[1:]}", resources, depth)

    def _placement(self, state: State) -> tuple[tuple[float, float], BBox]:
        """An image's size on the page and the box it covers (it fills the unit square)."""
        m = state.ctm
        return (math.hypot(m[0], m[1]), math.hypot(m[2], m[3])), intersect(transformed_box(m, 0, 0, 1, 1), state.clip)

    def _image(self, state: State, name: str, image) -> None:
        placed, box = self._placement(state)
        stencil = bool(image.get("/ImageMask", False))
        space = "stencil" if stencil else describe_space(image.get("/ColorSpace", pikepdf.Name.DeviceGray))
        filters = image.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
        record = Image(
            name=name, pixels=(int(image.get("/Width", 0)), int(image.get("/Height", 0))), placed=placed,
            space=space, bits=int(image.get("/BitsPerComponent", 1 if stencil else 8)), stencil=stencil,
            soft_mask="/SMask" in image, jpeg2000="/JPXDecode" in names, bbox=box,
            ink=image_ink(image) if space == "DeviceCMYK" else None,
        )
        self._add_image(state, record)

    def inline_image(self, state: State, inline) -> None:
        placed, box = self._placement(state)
        try:
            stencil = bool(inline.image_mask)
            space = "stencil" if stencil else inline_image_space(inline)
            bits = int(inline.bits_per_component)
            pixels = (int(inline.width), int(inline.height))
        except (pikepdf.PdfError, NotImplementedError, ValueError, AttributeError):
            stencil, space, bits, pixels = False, "unknown", 8, (0, 0)
        self._add_image(state, Image("inline", pixels, placed, space, bits, stencil, False, False, box))

    def _add_image(self, state: State, image: Image) -> None:
        self.marks.images.append(image)
        if image.stencil:
            self.fill(state, image.bbox)
        else:
            self.marks.spaces.add(image.space)

    # Text -----------------------------------------------------------------------------------

    def note_fonts(self, resources) -> None:
        """Every font in a Resources dictionary is listed, used or not: an unembedded
        font the print shop's RIP must find is a risk even if only a hidden field uses it."""
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            return
        for font in fonts.values():
            self.font_object(font)

    def font(self, name, resources) -> MeasuredFont | None:
        fonts = resources.get("/Font")
        if fonts is None or str(name) not in fonts:
            return None
        return self.font_object(fonts[str(name)])

    def font_object(self, font) -> MeasuredFont:
        # a font stored directly in the resources has no object number, and each access
        # gives a new Python wrapper (so no id()): such a font is known by its contents
        key = font.objgen if font.is_indirect else font.unparse()
        if key in self.font_cache:
            return self.font_cache[key]
        info, measured = describe_font(font)
        self.fonts[f"{info.name}/{key}"] = info
        self.font_cache[key] = measured
        return measured

    def show(self, state: State, operand, text_matrix: Matrix) -> Matrix:
        """Tj, TJ, ' and ": note the glyphs shown, and return the text matrix after them."""
        font = state.font
        size = state.font_size
        scale_h = state.horizontal_scale
        advance = 0.0
        items = operand if isinstance(operand, (pikepdf.Array, list)) else [operand]
        for item in items:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                if font is None:
                    advance += len(data) * (0.5 * size + state.char_spacing) * scale_h
                    continue
                widths, default = font.widths, font.default_width
                if font.two_byte:
                    codes = [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
                    spaces = 0
                else:
                    codes = data  # bytes iterate as ints
                    spaces = data.count(32)  # word spacing applies to single-byte code 32 only
                total = sum(widths.get(code, default) for code in codes) * font.scale
                advance += (total * size + len(codes) * state.char_spacing + spaces * state.word_spacing) * scale_h
            else:
                try:
                    advance -= float(item) / 1000 * size * scale_h
                except (TypeError, ValueError):
                    pass
        rendering = multiply(text_matrix, state.ctm)
        top, bottom = (font.top, font.bottom) if font else (0.75, -0.25)
        low, high = state.rise + bottom * size, state.rise + top * size
        corners = [apply(rendering, x, y) for x, y in ((0, low), (advance, low), (0, high), (advance, high))]
        em = size * math.hypot(rendering[2], rendering[3])
        mode = state.render_mode
        paint = state.stroke if mode in (1, 5) else state.fill
        name = font.name if font else "(no font)"
        glyphs = Glyphs(name, round(em, 2), paint, mode in (3, 7), intersect(bbox_of(corners), state.clip))
        self.marks.glyphs.append(glyphs)
        if not glyphs.invisible:
            self.marks.spaces.add(paint.space)
            overprint = state.overprint_stroke if mode in (1, 5) else state.overprint_fill
            if overprint and paint.white:
                self.marks.white_overprint.append("white text")
        return multiply((1, 0, 0, 1, advance, 0), text_matrix)
