"""Page-space arithmetic: PDF's 2-D affine matrices (a b c d e f) and boxes (x0 y0 x1 y1)."""

from __future__ import annotations

import math

from .marks import BBox, Matrix

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EVERYWHERE: BBox = (-1e9, -1e9, 1e9, 1e9)  # the clip before anything clips


def multiply(m1: Matrix, m2: Matrix) -> Matrix:
    """m1 then m2 (PDF's row-vector convention: m1 × m2)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2, a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def bbox_of(points: list[tuple[float, float]]) -> BBox:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def transformed_box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> BBox:
    """The page-space box around a rectangle's four corners under m."""
    return bbox_of([apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))])


def intersect(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def scale(m: Matrix) -> float:
    """How much a length grows under m, on average over directions (sqrt of |det|)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def normalised(x0: float, y0: float, x1: float, y1: float) -> BBox:
    """A box with its corners in order, whichever two corners the file gave."""
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
