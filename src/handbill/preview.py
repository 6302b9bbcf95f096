"""Previews: PNGs of what was built, to look at before printing or to send round.

`page_pngs` writes a PNG of each page beside a PDF, `contact_sheet` puts a kit's pages
side by side on one image, `layout_thumbnails` renders every bundled layout with a sample
statement (docs/thumbnails). pypdfium2 and Pillow are imported here only, so a build
without --preview does not pay for them.
"""

from __future__ import annotations

from pathlib import Path

PREVIEW_DPI = 50  # enough to judge a page on screen; an A3 page is 585 x 827 px
THUMBNAIL_DPI = 24  # a contact sheet's or a thumbnail's page: about 200-400 px tall
PAD = 16  # px around and between pages on a contact sheet
LABEL = 18  # px under each page for its name


def page_images(pdf: Path | bytes, dpi: float):
    """PIL images of the pages as a viewer draws them, trim and bleed included."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return [page.render(scale=dpi / 72, may_draw_forms=False).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def page_pngs(pdf: Path, dpi: float = PREVIEW_DPI) -> list[Path]:
    """<name>.png beside a one-page PDF; <name>-p1.png, -p2.png ... for more pages."""
    images = page_images(pdf, dpi)
    paths = []
    for number, image in enumerate(images, 1):
        suffix = f"-p{number}" if len(images) > 1 else ""
        path = pdf.with_name(f"{pdf.stem}{suffix}.png")
        paths.append(_save(image, path))
    return paths


def previews(pdfs: list[Path], sheet: Path, *, prefix: str = "") -> list[Path]:
    """What --preview writes for a kit: a PNG of each page beside each PDF, and the contact
    sheet `sheet`. The page PNGs, written."""
    pngs = [png for pdf in pdfs for png in page_pngs(pdf)]
    contact_sheet(pdfs, sheet, prefix=prefix)
    return pngs


def contact_sheet(pdfs: list[Path], target: Path, *, prefix: str = "", height_px: int = 300) -> Path:
    """Every page of every PDF in a row, each scaled to the same height and labelled
    with its file's name after `prefix` (the statement's name, which every file of a kit
    starts with): the whole kit at a glance."""
    from PIL import Image, ImageDraw

    tiles: list[tuple[str, Image.Image]] = []
    for pdf in pdfs:
        images = page_images(pdf, THUMBNAIL_DPI * 2)
        for number, image in enumerate(images, 1):
            width = max(1, round(image.width * height_px / image.height))
            label = (pdf.stem.removeprefix(prefix) or pdf.stem) + (f" p{number}" if len(images) > 1 else "")
            tiles.append((label, image.resize((width, height_px), Image.LANCZOS)))
    width = PAD + sum(image.width + PAD for _, image in tiles)
    sheet = Image.new("RGB", (max(width, 2 * PAD), height_px + 2 * PAD + LABEL), "#d9d9d9")
    draw = ImageDraw.Draw(sheet)
    x = PAD
    for label, image in tiles:
        sheet.paste(image, (x, PAD))
        draw.text((x, PAD + height_px + 4), label[: max(8, (image.width + PAD) // 6)], fill="#222222")
        x += image.width + PAD
    return _save(sheet, target)


def _save(image, path: Path) -> Path:
    """The image as a PNG at `path`, written as the PDFs are: to a temporary file beside, then
    renamed into place, so no partial PNG is ever under its name, and a symlink already there
    is replaced, never followed to a file outside the folder."""
    import io

    from .build import write_atomically

    data = io.BytesIO()
    image.save(data, format="PNG", optimize=True)
    write_atomically(path, data.getvalue())
    return path


def _side_by_side(images: list, gap: int, background: str):
    """The images in a row, `gap` px apart, tops aligned."""
    from PIL import Image

    row = Image.new("RGB", (sum(image.width for image in images) + gap * (len(images) - 1),
                            max(image.height for image in images)), background)
    x = 0
    for image in images:
        row.paste(image, (x, 0))
        x += image.width + gap
    return row


def layout_thumbnails(
    out_dir: Path, statement_path: Path, dpi: float = THUMBNAIL_DPI, *, url: str | None = None, title: str | None = None,
    fonts=None,
) -> tuple[list[Path], list[str]]:
    """<layout>.png of every bundled layout, built with the statement in memory (nothing
    but the PNGs is written): the layout's pages side by side (the back of a two-sided
    leaflet too; a placard's one page, not one per slogan); and a sentence for each layout
    that the statement cannot fill. `fonts`: a fonts.FontSet (None: the bundled fonts)."""
    from .compose import compose, layout_fonts
    from .errors import HandbillError
    from .fonts import FontSet
    from .layout import bundled_layouts
    from .render import render
    from .statement import read_statement

    from .build import out_folder

    statement = read_statement(statement_path, url=url, title=title)  # --url, --title: as build takes them
    out_folder(out_dir, option="--preview", what="the thumbnails").mkdir(parents=True, exist_ok=True)
    paths, problems = [], []
    for layout in bundled_layouts():
        try:
            fonts_here = layout_fonts(fonts or FontSet.bundled(), layout)
            pdf = render(compose(statement, layout, fonts=fonts_here), fonts=fonts_here)
        except HandbillError as error:
            problems.append(f"{layout.name}: {error}")
            continue
        pages = page_images(pdf, dpi)[: layout.page_count]
        path = out_dir / f"{layout.name}.png"
        paths.append(_save(_side_by_side(pages, gap=round(dpi / 6), background="#d9d9d9"), path))
    return paths, problems


def sample_statement() -> Path:
    """The example statement: in the installed package (handbill/examples) or the checkout."""
    from .resources import bundled_dir

    return bundled_dir("examples") / "housing-not-demolitions.md"
