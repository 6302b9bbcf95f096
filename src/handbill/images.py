"""Images and logos: a PNG or JPEG file -> an Image item that prints well.

The file is read with Pillow, cropped (fit = "cover") or kept whole (fit = "contain"),
its transparency flattened onto the colour beneath it, converted to CMYK and checked for
resolution at the size it is placed. Pillow is imported only when a layout has an image.

The RGB -> CMYK conversion is full gray-component replacement done by hand: K takes the
gray part of every pixel (K = 1 - max(R, G, B)), and C, M, Y the colour's own hue at full
strength ((max - R) / max, ...), so a logo's red stays red beside the layout's accent,
not the brick-brown it turns when its colour is left weakened by K. Black and grays
print on the K plate alone (sharp text in a scanned logo, no muddy rich black). Dark,
saturated colours would pass the 260 % uncoated limit: their C, M and Y are scaled down
to it. It is not a colour-managed conversion (no open CMYK profile is bundled); for
exact brand colours, supply the image already in CMYK.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .composition import Image
from .errors import InputError
from .printshop import IMAGE_GOOD_PPI, IMAGE_MAX_PPI, IMAGE_MIN_PPI, PPI_SLACK, TAC_LIMIT_PCT
from .problems import Problem, note
from .units import CMYK, MM

INCH = 72.0


def place_image(
    path: Path,
    box: tuple[float, float, float, float],
    *,
    fit: str = "contain",
    align: str = "center",
    valign: str = "middle",
    beneath: CMYK = (0.0, 0.0, 0.0, 0.0),
    where: str,
) -> tuple[Image, tuple[Problem, ...]]:
    """The image in `path` placed in `box` = (x, y, w, h) points, flattened onto `beneath`,
    and a note if it will print soft."""
    from PIL import Image as PILImage

    picture = _open(path, where)
    x, y, w, h = box
    width, height = picture.size
    if fit == "cover":  # crop the pixels to the box's shape, centred: no clipping in the PDF
        scale = max(w / width, h / height)
        keep_w, keep_h = min(width, round(w / scale)), min(height, round(h / scale))
        left, top = (width - keep_w) // 2, (height - keep_h) // 2
        picture = picture.crop((left, top, left + keep_w, top + keep_h))
        placed_w, placed_h = w, h
    else:
        scale = min(w / width, h / height)
        placed_w, placed_h = width * scale, height * scale
        x += {"left": 0.0, "right": w - placed_w}.get(align, (w - placed_w) / 2)
        y += {"bottom": 0.0, "top": h - placed_h}.get(valign, (h - placed_h) / 2)
    ppi = picture.size[0] / (placed_w / INCH)
    size_mm = f"{placed_w / MM:.0f} x {placed_h / MM:.0f} mm"
    if ppi < IMAGE_MIN_PPI - PPI_SLACK:
        need = _pixels_for(placed_w, placed_h, IMAGE_MIN_PPI)
        raise InputError(
            f"{path}: the image is only {ppi:.0f} ppi at its placed size of {size_mm} ({where}); "
            f"print needs at least {IMAGE_MIN_PPI} ppi, so use an image of at least {need} pixels "
            f"({_pixels_for(placed_w, placed_h, IMAGE_GOOD_PPI)} for {IMAGE_GOOD_PPI} ppi), or place it smaller"
        )
    notes: tuple[Problem, ...] = ()
    if ppi < IMAGE_GOOD_PPI - PPI_SLACK:
        notes = (note(
            "image-soft", f"{path} ({where})",
            f"{path}: {ppi:.0f} ppi at {size_mm} ({where}) will print a little soft; "
            f"{_pixels_for(placed_w, placed_h, IMAGE_GOOD_PPI)} pixels would give {IMAGE_GOOD_PPI} ppi",
        ),)
    elif ppi > IMAGE_MAX_PPI:
        target = (max(1, round(placed_w / INCH * IMAGE_GOOD_PPI)), max(1, round(placed_h / INCH * IMAGE_GOOD_PPI)))
        picture = picture.resize(target, PILImage.Resampling.LANCZOS)
    cmyk = flatten_to_cmyk(picture, beneath)
    image = Image(x, y, placed_w, placed_h, "CMYK", cmyk.size, cmyk.tobytes(), str(path), ground=beneath)
    if picture.mode == "RGBA" and picture.getchannel("A").getextrema()[0] < 255:
        straight = flatten_to_cmyk(picture.convert("RGB").convert("RGBA"), beneath)
        image = replace(image, straight=straight.tobytes(), alpha=picture.getchannel("A").tobytes())
    return image, notes


def _pixels_for(w: float, h: float, ppi: float) -> str:
    return f"{round(w / INCH * ppi)} x {round(h / INCH * ppi)}"


def _open(path: Path, where: str):
    """The image as RGBA; InputError for a missing, unreadable or unsupported file."""
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    if not path.is_file():
        raise InputError(f"{path}: no such image file ({where}); check the path, which is relative to the file that names it")
    try:
        with PILImage.open(path) as opened:
            if opened.format not in ("PNG", "JPEG"):
                raise InputError(f"{path}: is {opened.format or 'an unknown'} image ({where}); save it as PNG or JPEG")
            upright = ImageOps.exif_transpose(opened)  # a phone photo stands as it was taken
            if upright.mode == "CMYK":  # already separated: keep its inks, no alpha to flatten
                return upright.copy()  # (Pillow undoes Adobe's inverted CMYK JPEGs itself)
            return upright.convert("RGBA")
    except InputError:
        raise
    except PILImage.DecompressionBombError:  # Pillow's guard against a file that would fill the memory
        raise InputError(
            f"{path}: the image has too many pixels to open safely ({where}); scale it down to what is "
            f"printed ({IMAGE_GOOD_PPI} ppi at the placed size is plenty) and save it again"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read the image ({where}): {error}; save it again as PNG or JPEG") from None


def flatten_to_cmyk(picture, beneath: CMYK):
    """RGBA (or CMYK) pixels -> CMYK pixels, transparency flattened onto the `beneath` colour."""
    from PIL import Image as PILImage
    from PIL import ImageChops

    if picture.mode == "CMYK":
        return picture
    red, green, blue, alpha = picture.split()
    brightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    black = ImageChops.invert(brightest)
    cyan, magenta, yellow = (_hue_ink(brightest, channel) for channel in (red, green, blue))
    cyan, magenta, yellow = _within_ink_limit(cyan, magenta, yellow, black)
    cmyk = PILImage.merge("CMYK", (cyan, magenta, yellow, black))
    if alpha.getextrema()[0] == 255:
        return cmyk
    ground = PILImage.new("CMYK", cmyk.size, tuple(round(v * 255) for v in beneath))
    return PILImage.composite(cmyk, ground, alpha)


INK_LIMIT = min(TAC_LIMIT_PCT.values()) / 100  # C+M+Y+K of any converted pixel: the uncoated limit, so safe on either paper


def _hue_ink(brightest, channel):
    """One of C, M, Y: how far the channel falls short of the pixel's brightest, as a
    share of it ((max - R) / max), so the hue keeps its strength under K."""
    from PIL import ImageMath

    return ImageMath.lambda_eval(
        lambda a: a["convert"]((a["float"](a["hi"]) - a["float"](a["ch"])) * 255.0 / (a["float"](a["hi"]) + 0.001), "L"),
        hi=brightest, ch=channel,
    )


def _within_ink_limit(cyan, magenta, yellow, black):
    """C, M and Y scaled down together where C+M+Y+K would pass INK_LIMIT (dark,
    saturated colours: a navy of RGB 0/0/60 would take 276 %)."""
    from PIL import ImageMath

    def scaled(channel):  # channel x room / max(room, C+M+Y): unchanged wherever it fits
        return ImageMath.lambda_eval(
            lambda a: a["convert"](
                a["float"](a["ch"]) * (INK_LIMIT * 255.0 - a["float"](a["k"]))
                / a["max"](INK_LIMIT * 255.0 - a["float"](a["k"]), a["float"](a["c"]) + a["float"](a["m"]) + a["float"](a["y"])),
                "L",
            ),
            ch=channel, c=cyan, m=magenta, y=yellow, k=black,
        )

    return scaled(cyan), scaled(magenta), scaled(yellow)


def gray_of(image: Image, ground_tint: float) -> Image:
    """The image in gray only, for --mono: CMYK with the K plate alone (so it prints, and
    shows on screen, exactly like the K tints around it); a transparent image flattened
    again onto `ground_tint`, the K tint its ground colour became."""
    from PIL import Image as PILImage
    from PIL import ImageChops

    def lightness(data: bytes):
        return PILImage.frombytes(image.mode, image.pixels, data).convert("RGB").convert("L")

    flat = lightness(image.data)
    if image.alpha:
        ground = PILImage.new("L", image.pixels, round((1 - ground_tint) * 255))
        flat = PILImage.composite(lightness(image.straight), ground, PILImage.frombytes("L", image.pixels, image.alpha))
    none = PILImage.new("L", image.pixels, 0)
    k_only = PILImage.merge("CMYK", (none, none, none, ImageChops.invert(flat)))
    return replace(image, mode="CMYK", data=k_only.tobytes(), straight=b"", alpha=b"")
