"""The content-stream interpreter: a page's drawing instructions -> its marks.

pikepdf parses a content stream into instructions (operands, operator). We walk them
keeping the graphics state (CTM, clip, colours, line width, font, text matrix) and note
each painted thing as plain data (marks.py), following forms into their own streams.

Every operator of PDF 1.7 has a row in OPERATORS: the operands it takes (how many, of what
kind) and its handler. An instruction whose operands do not fit its row is not run: its
handler never sees them, so no handler can trip over a missing or wrong-typed operand
(`BT /F1 12 Tf Tc ...`). Such an operator is skipped, as Ghostscript's PDF interpreter
(the RIP side) skips it after a stackunderflow or typecheck error (unless told to stop
on errors), and as pdfium does for `Tz`, `k`/`K`, `rg`/`RG`, `m` and `l` with the wrong
operand count; the rest of the stream is read on. Viewers do not agree on it (pdfium and
MuPDF read a missing number as 0 for `Tc`, `Tw`, `TL`: MuPDF even sets `Tz` to 0,
collapsing the text), so what prints may differ from what was seen on screen: the page is
noted as damaged, which checks.py reports as damaged content. An operator that takes no
operands (`f`, `Q`, `ET`) runs even with stray operands before it, as pdfium, MuPDF and
Ghostscript all draw it, and that is no damage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import NamedTuple

import pikepdf

from .colour import describe_space, device_paint, image_ink, initial_paint, inline_image_space, space_named
from .fonts import MeasuredFont, describe_font
from .geometry import EVERYWHERE, IDENTITY, apply, bbox_of, intersect, multiply, scale, transformed_box
from .marks import BLACK, BBox, Fill, FontInfo, Glyphs, Image, Matrix, PageMarks, Paint, Stroke
from .opening import Repairs, first_line
from .operands import ARRAY, INLINE_IMAGE, NAME, NUMBER, PROPERTIES, STRING, Operands, colour_components, described, none, of, of_numbers

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
    """A row of the table: the operands the operator takes, and its handler, which is
    given them read (numbers as floats) and only when they fit."""

    operands: Operands
    # None: the operator changes nothing a press check looks at (marked content, dashes,
    # line joins, Type 3 glyph metrics, ...); it is known, so it is no damage
    handle: Callable[[StreamRun, tuple], None] | None


def _save(run: StreamRun, values) -> None:
    run.saved.append(run.state)


def _restore(run: StreamRun, values) -> None:
    if run.saved:  # a Q without its q restores nothing (every reader ignores it)
        run.state = run.saved.pop()


def _concatenate(run: StreamRun, values) -> None:
    run.state = run.state._replace(ctm=multiply(values, run.state.ctm))


def _line_width(run: StreamRun, values) -> None:
    run.state = run.state._replace(line_width=values[0])


def _graphics_state(run: StreamRun, values) -> None:
    run.state = run.interpreter.graphics_state(run.state, values[0], run.resources)


def _path_point(run: StreamRun, values) -> None:
    """m, l: a point the path passes through."""
    run.path.append(apply(run.state.ctm, values[0], values[1]))


def _curve_points(run: StreamRun, values) -> None:
    """c, v, y: the points a curve passes through or pulls towards (it lies within them)."""
    ctm = run.state.ctm
    run.path.extend([apply(ctm, values[i], values[i + 1]) for i in range(0, len(values), 2)])


def _rectangle(run: StreamRun, values) -> None:
    x, y, w, h = values
    ctm = run.state.ctm
    run.path.extend(apply(ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))


def _clip(run: StreamRun, values) -> None:
    run.pending_clip = True


def _painter(fill: bool, stroke: bool) -> Callable[[StreamRun, tuple], None]:
    """A path-painting operator's handler (n paints nothing but still ends the path and clips)."""

    def paint(run: StreamRun, values) -> None:
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


def _device_colour(space: str, fill: bool, operator: str) -> Callable[[StreamRun, tuple], None]:
    """g/G, rg/RG, k/K: a device space and a colour in it."""

    def set_colour(run: StreamRun, values) -> None:
        run.interpreter.marks.colour_operators.add(operator)
        run.state = _with_paint(run.state, fill, space, device_paint(space, list(values)))

    return set_colour


def _colour_space(fill: bool) -> Callable[[StreamRun, tuple], None]:
    """cs/CS: a colour space, starting at its initial colour."""

    def set_space(run: StreamRun, values) -> None:
        space = space_named(values[0], run.resources)
        run.state = _with_paint(run.state, fill, space, initial_paint(space))

    return set_space


def _colour(fill: bool, operator: str) -> Callable[[StreamRun, tuple], None]:
    """sc/SC/scn/SCN: a colour in the current space (or a pattern)."""

    def set_colour(run: StreamRun, values) -> None:
        run.interpreter.marks.colour_operators.add(operator)
        space = run.state.fill_space if fill else run.state.stroke_space
        paint = run.interpreter.paint(space, values, run.resources)
        run.state = _with_paint(run.state, fill, space, paint)

    return set_colour


def _with_paint(state: State, fill: bool, space: str, paint: Paint) -> State:
    if fill:
        return state._replace(fill_space=space, fill=paint)
    return state._replace(stroke_space=space, stroke=paint)


def _shading(run: StreamRun, values) -> None:
    run.interpreter.shading(run.state, values[0], run.resources)


def _draw_object(run: StreamRun, values) -> None:
    run.interpreter.draw_object(run.state, values[0], run.resources, run.depth)


def _inline_image(run: StreamRun, values) -> None:
    run.interpreter.inline_image(run.state, values[0])


def _begin_text(run: StreamRun, values) -> None:
    run.text_matrix = run.line_matrix = IDENTITY


def _font(run: StreamRun, values) -> None:
    name, size = values
    run.state = run.state._replace(font=run.interpreter.font(name, run.resources), font_size=size)


def _text_state(field: str, convert: Callable[[float], float | int] = float) -> Callable[[StreamRun, tuple], None]:
    """Tc, Tw, TL, Tz, Ts, Tr: one number into the text state."""

    def set_field(run: StreamRun, values) -> None:
        run.state = run.state._replace(**{field: convert(values[0])})

    return set_field


def _move_text(run: StreamRun, values) -> None:
    x, y = values
    run.text_matrix = run.line_matrix = multiply((1, 0, 0, 1, x, y), run.line_matrix)


def _move_text_and_lead(run: StreamRun, values) -> None:
    run.state = run.state._replace(leading=-values[1])
    _move_text(run, values)


def _next_line(run: StreamRun, values) -> None:
    run.text_matrix = run.line_matrix = multiply((1, 0, 0, 1, 0, -run.state.leading), run.line_matrix)


def _text_matrix(run: StreamRun, values) -> None:
    run.text_matrix = run.line_matrix = values


def _show(run: StreamRun, values) -> None:
    run.text_matrix = run.interpreter.show(run.state, values[0], run.text_matrix)


def _next_line_show(run: StreamRun, values) -> None:
    _next_line(run, values)
    _show(run, values[-1:])


def _next_line_spaced_show(run: StreamRun, values) -> None:
    run.state = run.state._replace(word_spacing=values[0], char_spacing=values[1])
    _next_line_show(run, values)


def _begin_compatibility(run: StreamRun, values) -> None:
    run.compatibility += 1


def _end_compatibility(run: StreamRun, values) -> None:
    run.compatibility = max(0, run.compatibility - 1)


NONE = none()
ONE_NUMBER = of_numbers(1)
TWO_NUMBERS = of_numbers(2)
FOUR_NUMBERS = of_numbers(4)
SIX_NUMBERS = of_numbers(6)
ONE_NAME = of(NAME)

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
    "d": Operator(of(ARRAY, NUMBER), None),
    "ri": Operator(ONE_NAME, None),
    "i": Operator(ONE_NUMBER, None),
    "gs": Operator(ONE_NAME, _graphics_state),
    # paths
    "m": Operator(TWO_NUMBERS, _path_point),
    "l": Operator(TWO_NUMBERS, _path_point),
    "c": Operator(SIX_NUMBERS, _curve_points),
    "v": Operator(FOUR_NUMBERS, _curve_points),
    "y": Operator(FOUR_NUMBERS, _curve_points),
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
    "SC": Operator(colour_components(pattern=False), _colour(fill=False, operator="SC")),
    "sc": Operator(colour_components(pattern=False), _colour(fill=True, operator="sc")),
    "SCN": Operator(colour_components(pattern=True), _colour(fill=False, operator="SCN")),
    "scn": Operator(colour_components(pattern=True), _colour(fill=True, operator="scn")),
    "G": Operator(ONE_NUMBER, _device_colour("DeviceGray", fill=False, operator="G")),
    "g": Operator(ONE_NUMBER, _device_colour("DeviceGray", fill=True, operator="g")),
    "RG": Operator(of_numbers(3), _device_colour("DeviceRGB", fill=False, operator="RG")),
    "rg": Operator(of_numbers(3), _device_colour("DeviceRGB", fill=True, operator="rg")),
    "K": Operator(FOUR_NUMBERS, _device_colour("DeviceCMYK", fill=False, operator="K")),
    "k": Operator(FOUR_NUMBERS, _device_colour("DeviceCMYK", fill=True, operator="k")),
    # shadings, images, forms
    "sh": Operator(ONE_NAME, _shading),
    "Do": Operator(ONE_NAME, _draw_object),
    "INLINE IMAGE": Operator(of(INLINE_IMAGE), _inline_image),
    "BI": Operator(NONE, None),
    "ID": Operator(NONE, None),
    "EI": Operator(NONE, None),
    # text
    "BT": Operator(NONE, _begin_text),
    "ET": Operator(NONE, None),
    "Tc": Operator(ONE_NUMBER, _text_state("char_spacing")),
    "Tw": Operator(ONE_NUMBER, _text_state("word_spacing")),
    "Tz": Operator(ONE_NUMBER, _text_state("horizontal_scale", lambda percent: percent / 100)),
    "TL": Operator(ONE_NUMBER, _text_state("leading")),
    "Tf": Operator(of(NAME, NUMBER), _font),
    "Tr": Operator(ONE_NUMBER, _text_state("render_mode", int)),
    "Ts": Operator(ONE_NUMBER, _text_state("rise")),
    "Td": Operator(TWO_NUMBERS, _move_text),
    "TD": Operator(TWO_NUMBERS, _move_text_and_lead),
    "Tm": Operator(SIX_NUMBERS, _text_matrix),
    "T*": Operator(NONE, _next_line),
    "Tj": Operator(of(STRING), _show),
    "TJ": Operator(of(ARRAY), _show),
    "'": Operator(of(STRING), _next_line_show),
    '"': Operator(of(NUMBER, NUMBER, STRING), _next_line_spaced_show),
    # Type 3 glyphs
    "d0": Operator(TWO_NUMBERS, None),
    "d1": Operator(SIX_NUMBERS, None),
    # marked content
    "MP": Operator(ONE_NAME, None),
    "DP": Operator(of(NAME, PROPERTIES), None),
    "BMC": Operator(ONE_NAME, None),
    "BDC": Operator(of(NAME, PROPERTIES), None),
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
        except IndexError:
            # pikepdf lets a C++ range error out as IndexError ("BI EI": an inline image
            # with no dictionary and no data), in words no one could act on
            self.repairs.take()
            self.marks.note_damage("its content cannot be parsed")
            return None
        warned = self.repairs.take()
        if warned:
            self.marks.note_damage(warned[0])
        return instructions

    def run(self, instructions, resources, state: State, depth: int) -> None:
        """Interpret one content stream's instructions, starting in `state`."""
        self.note_fonts(resources)
        run = StreamRun(self, resources, state, depth)
        row_of = OPERATORS.get
        for instruction in instructions:
            # attribute access, not tuple unpacking: unpacking pikepdf's instructions costs 8 µs each
            operands = instruction.operands
            op = str(instruction.operator)
            row = row_of(op)
            if row is None:
                if not run.compatibility:
                    # binary junk or a truncated stream parses into "operators" no PDF has
                    self.marks.note_damage(f"its content has {ascii(op[:12])}, which is no PDF operator")
                continue
            (read, wants), handle = row
            values = read(operands)
            if values is None:
                self.marks.note_damage(f"its content gives {op} {described(operands)} where it needs {wants}")
            elif handle is not None:
                handle(run, values)

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

    def paint(self, space: str, operands: tuple, resources) -> Paint:
        """sc/scn's colour (numbers read as floats, maybe a pattern's name) in `space`."""
        if space == "Pattern" or space.startswith("Pattern"):
            if operands and isinstance(operands[-1], pikepdf.Name):
                self._pattern(operands[-1], resources)
            return Paint("Pattern", None)
        # scn's trailing name belongs to a pattern space: in any other, the numbers count
        return device_paint(space, [v for v in operands if type(v) is float])

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
