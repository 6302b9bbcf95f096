"""Images and logos: placed from the layout (src) or the statement (logo:), converted to
CMYK, flattened onto what lies beneath, checked for resolution, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from handbill.build import build
from handbill.errors import InputError
from handbill.images import flatten_to_cmyk
from handbill.options import BuildOptions

RED = "cmyk(0,100,100,0)"


def write_layout(folder: Path, *, image_block: str, name: str = "photo-test") -> Path:
    layout = folder / f"{name}.toml"
    layout.write_text(f'''
name = "{name}"
[page]
size = "A5"
margin = "10mm"

[[block]]
role = "shape"
area = {{ x = "0%", y = "0%", w = "100%", h = "50%" }}
fill = "{RED}"

{image_block}

[[block]]
role = "headline"
area = {{ x = "0%", y = "60%", w = "100%", h = "30%" }}
''', encoding="utf-8")
    return layout


def image_block(src: str = "picture.png", fit: str = "contain", size: str = "50mm") -> str:
    return f'''[[block]]
role = "image"
src = "{src}"
fit = "{fit}"
area = {{ x = "0%", y = "0%", w = "{size}", h = "{size}" }}
'''


def write_statement(folder: Path, extra: str = "") -> Path:
    statement = folder / "call.md"
    statement.write_text(f"---\ntitle: Homes for all!\n{extra}---\n\nWe stand together.\n", encoding="utf-8")
    return statement


def disc_on_transparency(side: int) -> Image.Image:
    """A black disc on a fully transparent square: the corners must come out as what lies beneath."""
    picture = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((side // 4, side // 4, 3 * side // 4, 3 * side // 4), fill=(0, 0, 0, 255))
    return picture


def pixels_of(picture: Image.Image) -> list[tuple[int, ...]]:
    return [picture.getpixel((x, 0)) for x in range(picture.width)]


def only_image(pdf_path: Path):
    with pikepdf.open(pdf_path) as pdf:
        images = [pikepdf.PdfImage(obj) for obj in pdf.pages[0].get_images().values()]
        assert len(images) == 1
        image = images[0]
        return str(image.obj.ColorSpace), image.width, image.height, dict(image.obj.items()), image.as_pil_image()


def placed_width_pt(pdf_path: Path) -> float:
    """The width the page's one image is drawn at: the `cm` just before its `Do`."""
    with pikepdf.open(pdf_path) as pdf:
        last_cm = None
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "cm":
                last_cm = [float(v) for v in operands]
            if str(operator) == "Do":
                return last_cm[0]
    raise AssertionError("no image drawn")


def built(tmp_path: Path, picture: Image.Image, *, block: str | None = None, fmt: str = "PNG", **options) -> Path:
    src = "picture.png" if fmt == "PNG" else "picture.jpg"
    picture.save(tmp_path / src, fmt)
    layout = write_layout(tmp_path, image_block=block or image_block(src))
    (result,) = build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out", **options)
    return result.path


def test_an_image_is_printed_in_cmyk_with_no_mask(tmp_path):
    path = built(tmp_path, Image.new("RGB", (600, 600), (20, 120, 200)))
    space, width, height, keys, _ = only_image(path)
    assert space == "/DeviceCMYK"
    assert (width, height) == (600, 600)
    assert "/SMask" not in keys and "/Mask" not in keys


def test_an_image_keeps_its_pixels_at_the_placed_size(tmp_path):
    path = built(tmp_path, Image.new("RGB", (600, 600), (20, 120, 200)))
    ppi = 600 / (placed_width_pt(path) / 72)
    assert ppi == pytest.approx(600 / (50 / 25.4), rel=0.01)  # 50 mm wide: 305 ppi


def test_a_transparent_png_over_a_red_band_is_flattened_onto_red(tmp_path):
    path = built(tmp_path, disc_on_transparency(600))
    _, _, _, _, pixels = only_image(path)
    assert pixels.mode == "CMYK"
    assert pixels.getpixel((2, 2)) == (0, 255, 255, 0)  # the corner: the band's red, not white
    assert pixels.getpixel((300, 300)) == (0, 0, 0, 255)  # the disc: black on K alone


def test_a_transparent_png_on_paper_is_flattened_onto_white(tmp_path):
    block = '''[[block]]
role = "image"
src = "picture.png"
area = { x = "0%", y = "70%", w = "40mm", h = "40mm" }
'''
    path = built(tmp_path, disc_on_transparency(600), block=block)
    _, _, _, _, pixels = only_image(path)
    assert pixels.getpixel((2, 2)) == (0, 0, 0, 0)


def test_black_and_gray_pixels_print_on_k_alone():
    picture = Image.new("RGBA", (3, 1))
    picture.putdata([(0, 0, 0, 255), (128, 128, 128, 255), (255, 255, 255, 255)])
    assert pixels_of(flatten_to_cmyk(picture, (0, 0, 0, 0))) == [(0, 0, 0, 255), (0, 0, 0, 127), (0, 0, 0, 0)]


def test_no_pixel_carries_more_than_260_percent_ink():
    picture = Image.new("RGBA", (256, 3))
    picture.putdata([(v, 0, 255 - v, 255) for v in range(256)] + [(0, 0, v, 255) for v in range(256)]
                    + [(v // 4, v // 8, v // 3, 255) for v in range(256)])  # vivid, and dark and saturated
    assert max(sum(p) for p in pixels_of(flatten_to_cmyk(picture, (0, 0, 0, 0)))) <= 2.6 * 255 + 2


def test_a_logo_red_stays_red_not_brick_brown():
    """RGB 200/20/30 keeps its hue at full strength beside the layout's accent (0/95/90/0)."""
    picture = Image.new("RGBA", (1, 1), (200, 20, 30, 255))
    c, m, y, k = pixels_of(flatten_to_cmyk(picture, (0, 0, 0, 0)))[0]
    assert c == 0 and m >= 0.88 * 255 and y >= 0.83 * 255 and k <= 0.23 * 255


def test_a_jpeg_photo_is_placed_too(tmp_path):
    path = built(tmp_path, Image.new("RGB", (600, 600), (200, 180, 40)), fmt="JPEG")
    assert only_image(path)[0] == "/DeviceCMYK"


def test_cover_crops_the_image_to_the_box(tmp_path):
    path = built(tmp_path, Image.new("RGB", (1200, 600), (20, 120, 200)), block=image_block(fit="cover"))
    _, width, height, _, _ = only_image(path)
    assert (width, height) == (600, 600)


def test_a_low_resolution_image_is_refused_with_its_ppi_and_the_pixels_it_needs(tmp_path):
    with pytest.raises(InputError) as error:
        built(tmp_path, Image.new("RGB", (200, 200), (20, 120, 200)))
    message = str(error.value)
    assert "picture.png" in message and "102 ppi" in message and "50 x 50 mm" in message
    assert "295 x 295" in message  # the pixels 150 ppi needs
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_an_image_below_300_ppi_builds_with_a_notice(tmp_path):
    Image.new("RGB", (400, 400), (20, 120, 200)).save(tmp_path / "picture.png")
    layout = write_layout(tmp_path, image_block=image_block())
    (result,) = build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    assert any(n.code == "image-soft" and "203 ppi" in n.message for n in result.notices)


def test_a_huge_image_is_resampled_to_300_ppi(tmp_path):
    path = built(tmp_path, Image.new("RGB", (1500, 1500), (20, 120, 200)))
    assert only_image(path)[1] == round(50 / 25.4 * 300)


def test_a_missing_image_is_a_clear_error(tmp_path):
    layout = write_layout(tmp_path, image_block=image_block("nowhere.png"))
    with pytest.raises(InputError, match=r"nowhere\.png: no such image file .*block 2 \(image\)"):
        build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")


def test_an_unreadable_image_is_a_clear_error(tmp_path):
    (tmp_path / "broken.png").write_text("not a picture")
    layout = write_layout(tmp_path, image_block=image_block("broken.png"))
    with pytest.raises(InputError, match=r"broken\.png: cannot read the image"):
        build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")


def test_the_src_is_relative_to_the_layout_file(tmp_path, monkeypatch):
    (tmp_path / "layouts").mkdir()
    Image.new("RGB", (600, 600), (20, 120, 200)).save(tmp_path / "layouts" / "picture.png")
    layout = write_layout(tmp_path / "layouts", image_block=image_block())
    statement = write_statement(tmp_path)
    monkeypatch.chdir("/")
    (result,) = build(statement, BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    assert only_image(result.path)[0] == "/DeviceCMYK"


LOGO_BLOCK = '''[[block]]
role = "logo"
area = { x = "70%", y = "70%", w = "30mm", h = "30mm" }
'''


def test_the_statements_logo_is_placed_by_a_logo_block(tmp_path):
    (tmp_path / "art").mkdir()
    disc_on_transparency(400).save(tmp_path / "art" / "fist.png")
    layout = write_layout(tmp_path, image_block=LOGO_BLOCK)
    statement = write_statement(tmp_path, "logo: art/fist.png\n")
    (result,) = build(statement, BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    space, width, _, _, pixels = only_image(result.path)
    assert (space, width) == ("/DeviceCMYK", 400)
    assert pixels.getpixel((1, 1)) == (0, 0, 0, 0)  # on paper, not on the red band


def test_a_logo_block_without_a_logo_is_left_out_quietly(tmp_path):
    """A statement without a logo loses nothing: no notice on every build."""
    layout = write_layout(tmp_path, image_block=LOGO_BLOCK)
    (result,) = build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    assert not any("logo" in str(notice) for notice in result.notices)
    with pikepdf.open(result.path) as pdf:
        assert not list(pdf.pages[0].get_images())


def test_a_logo_that_no_block_prints_is_said(tmp_path):
    (tmp_path / "art").mkdir()
    disc_on_transparency(400).save(tmp_path / "art" / "fist.png")
    statement = tmp_path / "call.md"
    statement.write_text("---\ntitle: Homes for all!\nslogans: [Homes now!]\nlogo: art/fist.png\n---\n\nWe stand.\n",
                         encoding="utf-8")
    (result,) = build(statement, BuildOptions(layouts=["a3-placard"]), out_dir=tmp_path / "out")
    assert any(n.code == "not-printed" and "a3-placard has no logo block" in n.message and "fist.png" in n.message
               for n in result.notices)


def test_a_cmyk_jpeg_keeps_its_own_inks(tmp_path):
    path = built(tmp_path, Image.new("CMYK", (600, 600), (255, 0, 0, 0)), fmt="JPEG")
    _, _, _, _, pixels = only_image(path)
    c, m, y, k = pixels.getpixel((300, 300))
    assert c > 240 and max(m, y, k) < 15


def test_a_photo_taken_sideways_is_placed_upright(tmp_path):
    picture = Image.new("RGB", (600, 400), (20, 120, 200))  # stored lying down, as phones do
    exif = picture.getexif()
    exif[0x0112] = 6  # orientation: turn 90° to view
    picture.save(tmp_path / "picture.jpg", exif=exif)
    layout = write_layout(tmp_path, image_block=image_block("picture.jpg"))
    (result,) = build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    _, width, height, _, _ = only_image(result.path)
    assert (width, height) == (400, 600)


def test_an_image_too_big_to_open_safely_is_refused_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)  # Pillow's guard, lowered to keep the test small
    Image.new("RGB", (300, 300), (20, 120, 200)).save(tmp_path / "picture.png")
    layout = write_layout(tmp_path, image_block=image_block())
    with pytest.raises(InputError, match=r"picture\.png: the image has too many pixels to open safely"):
        build(write_statement(tmp_path), BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")


def test_a_statement_naming_a_missing_logo_is_an_error_even_where_no_layout_prints_it(tmp_path):
    statement = write_statement(tmp_path, "logo: art/missing.png\n")
    with pytest.raises(InputError, match=r"call\.md: logo: no such image file .*missing\.png"):
        build(statement, BuildOptions(layouts=["a3-placard"]), out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("layout", ["a4-leaflet", "a3-poster"])
def test_the_bundled_leaflet_and_poster_print_the_statements_logo(tmp_path, layout):
    (tmp_path / "art").mkdir()
    disc_on_transparency(600).save(tmp_path / "art" / "fist.png")
    statement = tmp_path / "call.md"
    statement.write_text(
        "---\ntitle: Homes for all!\nurl: https://example.org/homes\nslogans:\n  - Homes, not rubble!\n"
        "organisation: Riverside Tenants' Union\nlogo: art/fist.png\n---\n\nWe stand together.\n",
        encoding="utf-8",
    )
    (result,) = build(statement, BuildOptions(layouts=[layout]), out_dir=tmp_path / "out")
    space, _, _, _, _ = only_image(result.path)  # one image: the logo (resampled to 300 ppi)
    assert space == "/DeviceCMYK"


def test_a_cmyk_image_with_more_ink_than_the_paper_takes_is_refused(tmp_path):
    """Its own inks are kept (see above), so they are checked: 400 % would not dry."""
    from handbill.build import PreflightFailed

    with pytest.raises(PreflightFailed, match=r"carries up to 400 % ink, more than the 300 % coated paper takes"):
        built(tmp_path, Image.new("CMYK", (600, 600), (255, 255, 255, 255)), fmt="JPEG")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_rgb_images_converted_by_handbill_stay_within_the_ink_limit(tmp_path):
    from handbill.preflight import preflight

    path = built(tmp_path, Image.new("RGB", (600, 600), (40, 10, 60)))  # a dark purple: rich in every ink
    assert not [f for f in preflight(path, raster=False).findings if f.code == "ink-coverage"]
