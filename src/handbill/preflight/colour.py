"""Colour as a press sees it: a colour space object described in words, and a colour's
values turned into inks (CMYK fractions, a spot ink's tint) where they can be known."""

from __future__ import annotations

from types import MappingProxyType

import pikepdf

from .marks import Paint

# A colour space operand or key -> its family. /G, /RGB and /CMYK are the abbreviations
# inline images use.
DEVICE_SPACES = MappingProxyType({
    "/DeviceGray": "DeviceGray", "/DeviceRGB": "DeviceRGB", "/DeviceCMYK": "DeviceCMYK",
    "/G": "DeviceGray", "/RGB": "DeviceRGB", "/CMYK": "DeviceCMYK", "/Pattern": "Pattern",
})
ICC_COMPONENTS = MappingProxyType({1: "gray", 3: "RGB", 4: "CMYK"})


def describe_space(space) -> str:
    """A colour space object -> its family in words: "DeviceRGB", "ICCBased RGB", "Separation All"."""
    if isinstance(space, pikepdf.Name):
        return DEVICE_SPACES.get(str(space), str(space)[1:])
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])[1:]
        if family == "ICCBased" and len(space) > 1:
            components = int(space[1].get("/N", 0))
            return "ICCBased " + ICC_COMPONENTS.get(components, f"{components} components")
        if family == "Separation" and len(space) > 1:
            return f"Separation {str(space[1])[1:]}"
        if family == "DeviceN" and len(space) > 1:
            return "DeviceN " + "+".join(str(n)[1:] for n in space[1])
        if family in ("Indexed", "I") and len(space) > 1:
            return f"Indexed {describe_space(space[1])}"
        if family == "Pattern":
            return "Pattern"
        return family
    return "unknown"


def space_named(name, resources) -> str:
    """A colour space operand (a device space's name, or a key in the resources'
    /ColorSpace) -> its family."""
    key = str(name)
    if key in DEVICE_SPACES:
        return DEVICE_SPACES[key]
    spaces = resources.get("/ColorSpace")
    if spaces is None or key not in spaces:
        return f"unknown colour space {key}"
    return describe_space(spaces[key])


def inline_image_space(inline) -> str:
    """An inline image's colour space family (abbreviated names allowed)."""
    value = inline.obj.get("/ColorSpace", inline.obj.get("/CS", pikepdf.Name.DeviceGray)) if hasattr(inline, "obj") else None
    if value is None:
        return "unknown"
    return DEVICE_SPACES.get(str(value), str(value)) if isinstance(value, pikepdf.Name) else describe_space(value)


def device_paint(space: str, values: list[float]) -> Paint:
    """A colour's values in a space -> its inks, where the space says what they are."""
    if space == "DeviceCMYK" and len(values) == 4:
        inks = tuple(min(max(v, 0.0), 1.0) for v in values)
        return Paint(space, inks, white=sum(inks) < 0.005)
    if space in ("DeviceGray", "ICCBased gray") and len(values) == 1:
        k = 1 - min(max(values[0], 0.0), 1.0)
        return Paint(space, (0.0, 0.0, 0.0, k), white=k < 0.005)
    if space == "ICCBased CMYK" and len(values) == 4:
        return Paint(space, tuple(values), white=sum(values) < 0.005)
    if space in ("DeviceRGB", "ICCBased RGB", "CalRGB") and len(values) == 3:
        return Paint(space, None, white=min(values) > 0.995)
    if space.startswith("Separation") and len(values) == 1:
        tint = min(max(values[0], 0.0), 1.0)
        # the registration colour prints on every plate: four inks at that tint
        inks = (tint,) * 4 if space == "Separation All" else (tint,)
        return Paint(space, inks, white=tint < 0.005 and space != "Separation None")
    if space.startswith("DeviceN") and values:
        return Paint(space, tuple(values), white=sum(values) < 0.005)
    return Paint(space, None)


def initial_paint(space: str) -> Paint:
    """The colour a colour space starts with when it is selected (black, or full tint)."""
    if space == "DeviceCMYK" or space == "ICCBased CMYK":
        return Paint(space, (0.0, 0.0, 0.0, 1.0))
    if space.startswith("Separation"):
        return device_paint(space, [1.0])
    return device_paint(space, [0.0]) if space in ("DeviceGray", "ICCBased gray") else Paint(space, None)


def image_ink(image) -> float | None:
    """The highest total ink (C+M+Y+K, percent) of a CMYK image, over areas of a few
    pixels (a box-filtered copy of at most a megapixel: presses care about areas, not
    lone pixels); None when the pixels cannot be decoded here."""
    from PIL import ImageMath

    try:
        picture = pikepdf.PdfImage(image).as_pil_image()
    except Exception:  # an exotic filter or a damaged stream: judged by nothing, not guessed
        return None
    if picture.mode != "CMYK":
        return None
    factor = max(1, round((picture.width * picture.height / 1_000_000) ** 0.5))
    if factor > 1:
        picture = picture.reduce(factor)  # a box filter: the mean of each factor x factor area
    c, m, y, k = picture.split()
    total = ImageMath.lambda_eval(lambda bands: bands["c"] + bands["m"] + bands["y"] + bands["k"], c=c, m=m, y=y, k=k)
    return round(total.getextrema()[1] / 255 * 100, 1)
