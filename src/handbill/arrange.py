"""The arrangement of a composed document on paper before render: copies n-up on a sheet
(--sheet, --stack, --duplex), enlarged to another paper (--size), cut onto tiles (--tile,
--overlap). impose.py and tiling.py do the work; this says which, and names the file."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .layout import Layout


@dataclass(frozen=True)
class Arrangement:
    """What becomes of each composed document before render: copies n-up on a sheet
    (`sheet`, `stack`, `duplex`), enlarged to another paper (`size`), cut onto tiles
    (`tile`, `overlap_mm`). Paper names as units.parse_paper reads them."""

    sheet: str | None = None
    stack: bool = False
    duplex: str | None = None  # "long-edge" | "short-edge"
    size: str | None = None
    tile: str | None = None
    overlap_mm: float = 10.0

    def paper(self, name: str, flag: str):
        from .units import parse_paper

        try:
            return parse_paper(name)
        except ValueError as error:
            raise InputError(f"{flag} {name}: {error}") from None

    def name(self, base: str, layout: Layout) -> str:
        """e.g. s-a5-leaflet-2up-A4.pdf, s-a3-poster-A1-tiles-A4.pdf"""
        from .impose import grid, scaled_size
        from .units import MM

        stem = base.removesuffix(".pdf")
        width, height = layout.paper.width_mm * MM, layout.paper.height_mm * MM
        if self.size:
            size = self.paper(self.size, "--size")
            _factor, width, height = scaled_size(width, height, size)
            stem += f"-{paper_slug(size.name)}"
        if self.tile:
            stem += f"-tiles-{paper_slug(self.paper(self.tile, '--tile').name)}"
        if self.sheet:
            sheet = self.paper(self.sheet, "--sheet")
            stem += f"-{len(grid(width, height, 0.0, sheet, name=layout.name).slots)}up-{paper_slug(sheet.name)}"
        return stem + ".pdf"

    def layout(self, layout: Layout) -> Layout:
        """The layout to compose: with --size, one that scaling makes exactly that size (impose.for_size)."""
        from .impose import for_size

        return for_size(layout, self.paper(self.size, "--size")) if self.size else layout

    def marks(self, office: bool) -> bool:
        return bool(self.sheet) and not office  # a sheet of copies is useless without its cut marks

    def apply(self, composition, *, office: bool, name: str, fonts):
        """The composition arranged; `fonts` (a fonts.FontSet) sets the tiles' own words."""
        from . import impose

        if self.tile:
            from .tiling import tile

            from .units import MM, Paper

            own = Paper("its own size", composition.width / MM, composition.height / MM)
            size = self.paper(self.size, "--size") if self.size else own
            return tile(composition, size, self.paper(self.tile, "--tile"), self.overlap_mm, name=name, fonts=fonts)
        if self.size:
            composition = impose.scaled(composition, self.paper(self.size, "--size"))
        if self.sheet:
            composition = impose.n_up(
                composition, self.paper(self.sheet, "--sheet"), office=office, stack=self.stack, duplex=self.duplex,
                name=name,
            )
        return composition


def paper_slug(paper_name: str) -> str:
    """A paper's name as a file name has it: "long bond" -> "longbond"."""
    return paper_name.replace(" ", "")
