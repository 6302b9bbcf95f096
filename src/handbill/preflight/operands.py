"""What each PDF operator's operands must be, read and checked in one step.

A content stream is a list of operands then an operator, and nothing in the file says the
operands suit the operator (`BT /F1 12 Tf Tc ...` is Tc with nothing). Each operator's
row in the interpreter's table names its Operands: a reader that takes the operands as
pikepdf parsed them and gives back the values the handler works with (floats for
numbers, pikepdf objects for the rest), or None when they do not fit: wrong count, wrong
kind, or a number no PDF reader can hold. A handler thus only ever sees operands that fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

import pikepdf

# pikepdf gives integers as int and reals as Decimal. A bool is an int to Python but not a
# number to PDF (`true Tc` is a type error), so kinds are told by exact type, not isinstance.
NUMBER_TYPES = frozenset((int, Decimal))


class Kind(NamedTuple):
    """A kind of operand: how to tell one, and its name in a message."""

    accepts: Callable[[object], bool]
    one: str  # "a name"
    many: str  # "names"


NAME = Kind(lambda value: isinstance(value, pikepdf.Name), "a name", "names")
STRING = Kind(lambda value: isinstance(value, pikepdf.String), "a string", "strings")
ARRAY = Kind(lambda value: isinstance(value, pikepdf.Array), "an array", "arrays")
PROPERTIES = Kind(lambda value: isinstance(value, (pikepdf.Dictionary, pikepdf.Name)),
                  "a dictionary or a name", "dictionaries or names")
INLINE_IMAGE = Kind(lambda value: isinstance(value, pikepdf.PdfInlineImage), "an inline image", "inline images")
NUMBER = Kind(lambda value: type(value) in NUMBER_TYPES, "a number", "numbers")


class Operands(NamedTuple):
    """An operator's operands: `read` checks and converts them (None: they do not fit);
    `words` says what they should be, for the message when they do not."""

    read: Callable[[list], tuple | None]
    words: str


def numbers(operands) -> tuple[float, ...] | None:
    """All the operands as floats, or None when one is not a number, or is too big for any
    reader (past a float's range: PDF's own limit for reals is about 3.4e38)."""
    items = tuple(operands)  # pikepdf makes each Python operand anew on every access: once
    # C-level all the way (issuperset over map, map, sum): this runs for most instructions
    if not NUMBER_TYPES.issuperset(map(type, items)):
        return None
    values = tuple(map(float, items))
    # one sum finds an infinity among them (inf, or inf - inf = nan) without a loop
    return values if math.isfinite(sum(values)) else None


def none() -> Operands:
    """An operator that takes no operands: stray ones before it are left unused, as
    pdfium, MuPDF and Ghostscript leave them, and the operator runs."""
    return Operands(lambda operands: (), "nothing")


def of_numbers(count: int) -> Operands:
    """Exactly `count` numbers: the commonest row, so its reader is `numbers` inlined."""
    number_types, isfinite = NUMBER_TYPES, math.isfinite

    def read(operands) -> tuple[float, ...] | None:
        if len(operands) != count:
            return None
        items = tuple(operands)  # pikepdf makes each Python operand anew on every access: once
        if not number_types.issuperset(map(type, items)):
            return None
        values = tuple(map(float, items))
        return values if isfinite(sum(values)) else None

    return Operands(read, counted(["a number"] * count))


def of(*kinds: Kind) -> Operands:
    """Exactly these operands, in this order; numbers among them come back as floats."""
    if len(kinds) == 1 and kinds[0] is not NUMBER:
        # one name, string, array or inline image (Tj, TJ, Do, gs, ...): nothing to convert
        accepts = kinds[0].accepts

        def read_one(operands) -> tuple | None:
            if len(operands) != 1:
                return None
            value = operands[0]  # pikepdf makes the Python operand anew on every access: once
            return (value,) if accepts(value) else None

        return Operands(read_one, kinds[0].one)

    def read(operands) -> tuple | None:
        if len(operands) != len(kinds):
            return None
        values = []
        for kind, value in zip(kinds, tuple(operands)):
            if not kind.accepts(value):
                return None
            if kind is NUMBER:
                value = float(value)
                if not math.isfinite(value):
                    return None
            values.append(value)
        return tuple(values)

    return Operands(read, counted([kind.one for kind in kinds]))


def colour_components(pattern: bool) -> Operands:
    """sc/SC: one number per component of the colour space; scn/SCN: the same, or a
    pattern's name after its components (none for a coloured pattern). The values come
    back as they were (numbers as floats); the space decides what they mean."""

    def read(operands) -> tuple | None:
        items = tuple(operands)  # pikepdf makes each Python operand anew on every access: once
        if not items:
            return None
        name = items[-1] if pattern and NAME.accepts(items[-1]) else None
        components = numbers(items[:-1] if name is not None else items)
        if components is None:
            return None
        return components if name is None else (*components, name)

    return Operands(read, "colour components (numbers)" + (" or a pattern name" if pattern else ""))


PLURALS = MappingProxyType({kind.one: kind.many for kind in (NAME, STRING, ARRAY, PROPERTIES, INLINE_IMAGE, NUMBER)})


def counted(words: list[str]) -> str:
    """["a number", "a number", "a string"] -> "2 numbers and a string"; [] -> "nothing"."""
    runs: list[list] = []
    for word in words:
        if runs and runs[-1][0] == word:
            runs[-1][1] += 1
        else:
            runs.append([word, 1])
    parts = [word if count == 1 else f"{count} {PLURALS.get(word, word)}" for word, count in runs]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def described(operands) -> str:
    """The operands an instruction was given, in words: "nothing", "a name", "2 numbers"."""
    return counted([_word(value) for value in operands])


def _word(value) -> str:
    if type(value) in NUMBER_TYPES:
        return "a number" if math.isfinite(value) else "a number too big for any reader"
    for kind in (NAME, STRING, ARRAY, INLINE_IMAGE):
        if kind.accepts(value):
            return kind.one
    if isinstance(value, pikepdf.Dictionary):
        return "a dictionary"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"
