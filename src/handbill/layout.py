"""Layout: where things go on the page. Pure data, loaded from TOML and validated strictly.

A Layout knows nothing of the text. Lengths stay in the units the file gave (a percentage
only means something once the paper is known), and compose.py resolves them to points.
The file format is documented in docs/layout-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CMYK = tuple[float, float, float, float]  # each 0..1 (fraction of full ink)

MM = 72 / 25.4  # points in a millimetre

TEXT_ROLES = ("headline", "subtitle", "body", "slogans", "excerpt", "text", "footer")
ROLES = TEXT_ROLES + ("qr", "shape")


@dataclass(frozen=True)
class Length:
    """A length as written: 12 mm, 24 pt, 40 %."""

    value: float
    unit: str  # "mm" | "pt" | "%"  (cm and in are converted to mm on reading)

    def to_pt(self, reference_pt: float = 0.0) -> float:
        """Points; a percentage is of `reference_pt`."""
        if self.unit == "mm":
            return self.value * MM
        if self.unit == "pt":
            return self.value
        return self.value / 100 * reference_pt


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
class Paper:
    name: str  # "A4", "long bond", or "210 x 297 mm"
    width_mm: float  # already turned for the orientation
    height_mm: float


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
    module_mm: float = 0.5
    fill: CMYK | None = None
    shape: str = "rect"  # rect | rule
    stroke_pt: float = 1.0


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

    @property
    def page_count(self) -> int:
        return max(block.page for block in self.blocks)

    def blocks_with_role(self, role: str) -> list[BlockSpec]:
        return [block for block in self.blocks if block.role == role]
