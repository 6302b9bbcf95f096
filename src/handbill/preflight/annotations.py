"""A page's annotations: which of them print, and where their appearance is drawn.

A printing annotation prints its normal appearance (/AP /N), a form XObject fitted into
the annotation's /Rect; its fonts and colours reach the press like the page's own, so the
interpreter draws it like any other form, with the matrix worked out here.
"""

from __future__ import annotations

from typing import NamedTuple

import pikepdf

from .geometry import IDENTITY, transformed_box
from .marks import BBox, Matrix

ANNOT_PRINT, ANNOT_HIDDEN = 4, 2  # annotation flags (/F)


class Appearance(NamedTuple):
    """What a printing annotation draws: its form, placed on the page by `matrix`."""

    form: pikepdf.Stream
    matrix: Matrix  # the form's space (after its own /Matrix) -> the page
    label: str  # "the appearance of a Widget annotation", for messages


def annotations(page) -> list[pikepdf.Dictionary]:
    """A page object's annotations that are dictionaries (a broken file may hold others)."""
    annots = page.get("/Annots")
    return [a for a in annots if isinstance(a, pikepdf.Dictionary)] if isinstance(annots, pikepdf.Array) else []


def subtype(annot) -> str:
    return str(annot.get("/Subtype", "/?"))[1:]


def printing_annotations(page) -> list[pikepdf.Dictionary]:
    """Those that print: the Print flag set and the Hidden flag not."""
    printing = []
    for annot in annotations(page):
        flags = int(annot.get("/F", 0))
        if flags & ANNOT_PRINT and not flags & ANNOT_HIDDEN:
            printing.append(annot)
    return printing


def appearance(annot, rect: BBox | None) -> Appearance | None:
    """The printing annotation's appearance and where it goes, or None when it draws
    nothing (no appearance, no /Rect, or a box of no size)."""
    form = normal_appearance(annot)
    if form is None or rect is None or "/BBox" not in form:
        return None
    matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
    box = transformed_box(matrix, *(float(v) for v in form.BBox))
    if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        return None
    # ISO 32000 12.5.5: the appearance's box, transformed by its Matrix, is fitted to /Rect
    sx, sy = (rect[2] - rect[0]) / (box[2] - box[0]), (rect[3] - rect[1]) / (box[3] - box[1])
    fit = (sx, 0.0, 0.0, sy, rect[0] - sx * box[0], rect[1] - sy * box[1])
    return Appearance(form, fit, f"the appearance of a {subtype(annot)} annotation")


def normal_appearance(annot) -> pikepdf.Stream | None:
    """The form an annotation prints: /AP /N, or for one with states (a check box) the
    state /AS names."""
    appearances = annot.get("/AP")
    normal = appearances.get("/N") if isinstance(appearances, pikepdf.Dictionary) else None
    if isinstance(normal, pikepdf.Stream):
        return normal
    if isinstance(normal, pikepdf.Dictionary) and "/AS" in annot:
        chosen = normal.get(str(annot.AS))
        return chosen if isinstance(chosen, pikepdf.Stream) else None
    return None
