"""The rules a print shop's preflight applies, each with one sentence of advice.

Input: the marks reading.py found in the PDF (marks.py). Output: facts per page (what a prepress
operator reads off first: trim, bleed, fonts, inks) and findings (severity, page, code,
advice). The numbers are a print shop's: 3 mm bleed, 300 % ink on coated paper and
260 % on uncoated, 6 pt text, 0.25 pt lines, 150 and 300 ppi images, PDF/X-1a:2003.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..units import MM, PAPER_SIZES
from ..printshop import (BLEED_MM, IMAGE_GOOD_PPI, IMAGE_MIN_PPI, INVISIBLE_LINE_PT, MARK_OFFSET, MIN_KNOCKOUT_PT,
                         MIN_LINE_PT, MIN_TEXT_PT, PDFX_PDF_VERSIONS, PDFX_VERSION, PPI_SLACK, REGISTERED_CONDITIONS,
                         RICH_BLACK_ERROR_PT, RICH_BLACK_MIN_CMY, RICH_BLACK_MIN_K, RICH_BLACK_OK_PT, SAFE_MM,
                         STOCKS, TAC_LIMIT_PCT, TINY_TEXT_PT)
from .marks import BBox, Document, FontInfo, Image, PageMarks, Paint

EDGE = 0.5  # pt: how near the trim counts as touching it
ACCEPTED_SPACES = ("DeviceCMYK", "DeviceGray", "Separation", "DeviceN", "Indexed DeviceCMYK",
                   "Indexed DeviceGray", "Indexed Separation", "stencil", "Pattern")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning" | "note"
    page: int | None  # 1-based; None for the whole document
    code: str  # stable, for scripts: "rgb-colour", "bleed-short", ...
    advice: str  # one sentence, in words a volunteer understands

    def as_dict(self) -> dict:
        return {"severity": self.severity, "page": self.page, "code": self.code, "advice": self.advice}


@dataclass
class PageFacts:
    number: int
    trim: str  # "A4 portrait (210 × 297 mm)"
    trim_mm: tuple[float, float]
    bleed_mm: dict[str, float]  # left, right, bottom, top
    crop_marks: bool
    fonts: list[FontInfo]
    colour_spaces: list[str]
    colour_operators: list[str]  # "k", "K", "rg", "scn", ...: the operators that set colours
    max_coverage: float | None  # % of the darkest fill, stroke or text
    smallest_text: float | None  # pt
    thinnest_line: float | None  # pt
    images: list[dict]
    qr_codes: list[dict] = field(default_factory=list)


@dataclass
class Requirement:
    what: str
    met: bool
    fix: str  # how to meet it, when it is not


def trim_name(width_mm: float, height_mm: float) -> str:
    """ "A4 portrait (210 × 297 mm)", or just the size in mm when it has no name."""
    short, long = sorted((width_mm, height_mm))
    size = f"{_mm(width_mm)} × {_mm(height_mm)} mm"
    for name, (a, b) in PAPER_SIZES.items():
        if abs(a - short) <= 1.0 and abs(b - long) <= 1.0:
            turn = "" if abs(short - long) < 1 else " landscape" if width_mm > height_mm else " portrait"
            return f"{name}{turn} ({size})"
    return size


def _mm(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _pct(paint: Paint) -> str:
    if paint.inks is not None and len(paint.inks) == 4 and paint.space in ("DeviceCMYK", "DeviceGray"):
        return "C{:.0f} M{:.0f} Y{:.0f} K{:.0f}".format(*(v * 100 for v in paint.inks))
    return paint.space


# The colour-setting operators, fill before stroke, in the order reports list them.
COLOUR_OPERATORS = ("k", "K", "g", "G", "rg", "RG", "sc", "SC", "scn", "SCN")


def describe_image(image: Image, trim: BBox) -> str:
    """An image as a volunteer can find it on the page: "the 40 × 30 mm image at 12 mm
    from the left, 20 mm from the top" (the file's internal names mean nothing to them)."""
    width, height = (round(v / MM) for v in image.placed)
    left, top = (image.bbox[0] - trim[0]) / MM, (trim[3] - image.bbox[3]) / MM
    return f"the {width} × {height} mm image {_from_edge(left, 'left')}, {_from_edge(top, 'top', at=False)}"


def _from_edge(mm: float, edge: str, at: bool = True) -> str:
    where = f"the {edge} edge" if mm < 0.5 else f"{mm:.0f} mm from the {edge}"
    return f"at {where}" if at else where


def check_page(marks: PageMarks, *, paper: str, print_shop: bool) -> tuple[PageFacts, list[Finding]]:
    n = marks.number
    findings: list[Finding] = []

    def add(severity: str, code: str, advice: str) -> None:
        findings.append(Finding(severity, n, code, advice))

    trim = marks.trim or marks.art or marks.media
    bleed_box = _clamp(marks.bleed or marks.media, marks.media)
    width_mm, height_mm = (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM
    bleed = {
        "left": max(0.0, (trim[0] - bleed_box[0]) / MM), "right": max(0.0, (bleed_box[2] - trim[2]) / MM),
        "bottom": max(0.0, (trim[1] - bleed_box[1]) / MM), "top": max(0.0, (bleed_box[3] - trim[3]) / MM),
    }
    if marks.damaged:
        add("error", "damaged-content", f"part of the page cannot be read ({marks.damaged}); export the PDF again from the program that made it")

    # Geometry: bleed, what touches the trim, crop marks
    short_sides = [side for side, value in bleed.items() if value < BLEED_MM - 0.05]
    sliver = _short_of_bleed(marks, trim) if print_shop else {}
    by_thing: dict[str, list[tuple[str, float]]] = {}
    for side, (what, beyond) in sliver.items():
        by_thing.setdefault(what, []).append((side, beyond))
    for what, sides in by_thing.items():
        names = [side for side, _ in sides]
        edges = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        reach = max(beyond for _, beyond in sides)
        add("error", "content-short-of-bleed",
            f"{what} reaches the {edges} edge{'s' if len(names) > 1 else ''} of the page but goes only {reach:.1f} mm past; extend it {BLEED_MM:g} mm beyond the trim into the bleed, or a white sliver will show after cutting")
    if print_shop and short_sides and not sliver:
        if all(bleed[s] < 0.05 for s in bleed):
            add("warning", "no-bleed", f"the page has no bleed; print shops want {BLEED_MM:g} mm on every side (the page size plus {2 * BLEED_MM:g} mm), so ask yours or rebuild with bleed")
        else:
            sides = ", ".join(f"{s} {bleed[s]:.1f} mm" for s in short_sides)
            add("warning", "bleed-short", f"the bleed is narrower than {BLEED_MM:g} mm ({sides}); print shops want {BLEED_MM:g} mm on every side")
    if marks.bleed and marks.trim and not _inside(marks.trim, marks.bleed):
        add("error", "boxes", "the TrimBox is not inside the BleedBox; the file's page boxes are broken, so export it again")
    crop_marks, marks_in_bleed = _crop_marks(marks, trim, bleed_box)
    if marks_in_bleed:
        add("error", "crop-marks-in-bleed", f"crop marks start inside the bleed and will print on the cut piece; start them at least {MARK_OFFSET / MM:g} mm from the trim corner")

    # Fonts
    for font in marks.fonts:
        if not font.embedded:
            add("error", "font-not-embedded",
                f"the font {font.name} is not embedded, so the print shop's computer will swap it for another; embed all fonts when you export the PDF")

    # Colour
    spaces = sorted(marks.spaces)
    for space in spaces:
        family = space.split(" ")[0]
        if "RGB" in space or space == "CalRGB":
            add("error", "rgb-colour", f"the page uses {space} colour, which presses cannot print as it is; convert every colour and image to CMYK")
        elif family in ("Lab", "CalGray") or space.startswith("unknown"):
            add("error", "colour-space", f"the page uses {space} colour; convert it to CMYK, gray or a spot colour")
        elif space in ("ICCBased CMYK", "ICCBased gray"):
            add("warning", "icc-colour", f"the page uses {space} colour (tagged with a profile), which PDF/X-1a does not allow; export with colours left as plain CMYK")
    inked = [g for g in marks.glyphs if not g.invisible]
    painted = [f.paint for f in marks.fills] + [s.paint for s in marks.strokes] + [g.paint for g in inked]
    coverages = [(p.coverage, p) for p in painted if p.coverage is not None and p.space != "Separation All"]
    max_coverage = max((c for c, _ in coverages), default=None)
    limit = TAC_LIMIT_PCT[paper]
    if max_coverage is not None and max_coverage > limit + 0.5:
        worst = max(coverages, key=lambda item: item[0])[1]
        add("error", "ink-coverage",
            f"a colour uses {max_coverage:.0f} % ink ({_pct(worst)}), more than the {limit:.0f} % {paper} paper takes; the ink will not dry and will smear, so lighten it (a rich black of C60 M40 Y40 K100 is 240 %)")
    registration = [f for f in marks.fills + marks.strokes if f.paint.space == "Separation All" and _overlaps(f.bbox, trim, inset=0.5)]
    registration += [g for g in inked if g.paint.space == "Separation All"]
    if registration:
        add("error", "registration-colour", "the registration colour (ink on every plate) is used inside the page; it is for crop marks only, so use 100 % K for black")

    # Text: size, knock-out, rich black, safe zone
    sizes = [g.size for g in inked if g.size > 0]
    smallest_text = min(sizes) if sizes else None
    if smallest_text is not None and smallest_text < MIN_TEXT_PT - 0.05:
        severity = "error" if smallest_text < TINY_TEXT_PT else "warning"
        add(severity, "small-text", f"the smallest text is {smallest_text:.1f} pt; below {MIN_TEXT_PT:g} pt it is hard to read and may fill in, so make it bigger")
    knockout = [g.size for g in inked if g.paint.white and g.size < MIN_KNOCKOUT_PT - 0.05]
    if knockout:
        add("error", "knockout-text-small",
            f"white text as small as {min(knockout):.1f} pt is printed on a colour; the ink fills it in, so make white text at least {MIN_KNOCKOUT_PT:g} pt and bold")
    rich = [g for g in inked if _rich_black(g.paint) and g.size < RICH_BLACK_OK_PT]
    if rich:
        worst = min(rich, key=lambda g: g.size)
        severity = "error" if worst.size < RICH_BLACK_ERROR_PT else "warning"
        add(severity, "rich-black-text",
            f"{worst.size:.1f} pt text is in rich black ({_pct(worst.paint)}); small text in four inks blurs when the plates are a hair out of register, so set text under {RICH_BLACK_OK_PT:g} pt in 100 % K only")
    safe = (trim[0] + SAFE_MM * MM, trim[1] + SAFE_MM * MM, trim[2] - SAFE_MM * MM, trim[3] - SAFE_MM * MM)
    in_page = [g for g in inked if _overlaps(g.bbox, trim, inset=0) and g.size > 0]
    cut = [g for g in in_page if not _inside(g.bbox, _grow(trim, 1 * MM))]
    if cut:
        add("error", "text-cut-off", f"text in {cut[0].font} runs past the edge of the page and will be cut off; move it at least {SAFE_MM:g} mm inside the trim")
    elif print_shop and any(not _inside(g.bbox, _grow(safe, 0.5)) for g in in_page):
        add("warning", "text-near-edge", f"some text is closer than {SAFE_MM:g} mm to the edge of the page, where the cut can wander; move it further in")

    # Lines
    visible_strokes = [s for s in marks.strokes if not s.paint.white]
    thinnest = min((s.width for s in visible_strokes), default=None)
    if thinnest is not None and thinnest < MIN_LINE_PT - 0.005:
        severity = "error" if thinnest < INVISIBLE_LINE_PT else "warning"
        words = "a hairline (width 0)" if thinnest == 0 else f"{thinnest:.2f} pt"
        add(severity, "thin-line", f"a line is {words} thin; below {MIN_LINE_PT:g} pt (0.1 mm) lines break up or vanish on the press, so make it thicker")

    # Transparency
    for what in dict.fromkeys(marks.white_overprint):
        add("error", "white-overprint", f"{what} is set to overprint: on press white overprinting prints nothing, so it "
            f"vanishes though the screen shows it; turn overprint off for white objects (knock them out)")
    transparency = list(marks.transparency)
    transparency += [f"{describe_image(i, trim)} has a soft mask (transparent pixels)" for i in marks.images if i.soft_mask]
    for what in dict.fromkeys(transparency):
        add("error", "transparency", f"the page uses transparency ({what}); print shops' PDF/X-1a workflow needs it flattened, so export as PDF/X-1a or remove the effect")

    # Images
    image_facts = []
    for image in marks.images:
        ppi = image.ppi
        image_facts.append({
            "name": image.name, "pixels": list(image.pixels), "placed_mm": [round(v / MM, 1) for v in image.placed],
            "position_mm": [round((image.bbox[0] - trim[0]) / MM, 1), round((trim[3] - image.bbox[3]) / MM, 1)],
            "ppi": None if ppi == float("inf") else round(ppi), "colour_space": image.space, "soft_mask": image.soft_mask,
            "max_ink_coverage": image.ink,
        })
        what = describe_image(image, trim)
        if image.ink is not None and image.ink > TAC_LIMIT_PCT[paper] + 0.5:
            add("error", "ink-coverage",
                f"{what} carries up to {image.ink:.0f} % ink, more than the {TAC_LIMIT_PCT[paper]:.0f} % {paper} paper takes; "
                f"the ink will not dry and will smear, so convert it to CMYK with a total ink limit (or give it as RGB and let handbill convert it)")
        if image.jpeg2000:
            add("error", "image-jpeg2000", f"{what} is JPEG 2000, which PDF/X-1a does not allow; save it as JPEG or PNG")
        if image.stencil or image.bits == 1:
            continue  # line art: judged by other rules (1200 ppi), not by photo rules
        if ppi < IMAGE_MIN_PPI - PPI_SLACK:
            add("error", "image-resolution", f"{what} is only {ppi:.0f} ppi at the size it is printed; it will look blurred and blocky, so use a bigger image ({IMAGE_GOOD_PPI} ppi) or print it smaller")
        elif ppi < IMAGE_GOOD_PPI - PPI_SLACK:
            add("warning", "image-resolution", f"{what} is {ppi:.0f} ppi at the size it is printed; {IMAGE_GOOD_PPI} ppi is best, though a poster seen from a metre away may do with {IMAGE_MIN_PPI}")

    for subtype in dict.fromkeys(marks.annotations):
        add("warning", "annotation", f"the page has a {subtype} annotation set to print; flatten or remove it, since print workflows may drop it")

    facts = PageFacts(
        number=n, trim=trim_name(width_mm, height_mm), trim_mm=(round(width_mm, 1), round(height_mm, 1)),
        bleed_mm={side: round(value, 1) for side, value in bleed.items()}, crop_marks=crop_marks, fonts=marks.fonts,
        colour_spaces=spaces, colour_operators=[op for op in COLOUR_OPERATORS if op in marks.colour_operators],
        max_coverage=max_coverage, smallest_text=smallest_text,
        thinnest_line=None if thinnest is None else round(thinnest, 3), images=image_facts,
    )
    return facts, findings


def _rich_black(paint: Paint) -> bool:
    if paint.space != "DeviceCMYK" or paint.inks is None:
        return False
    c, m, y, k = paint.inks
    return k >= RICH_BLACK_MIN_K and c + m + y >= RICH_BLACK_MIN_CMY


def _clamp(box: BBox, outer: BBox) -> BBox:
    return (max(box[0], outer[0]), max(box[1], outer[1]), min(box[2], outer[2]), min(box[3], outer[3]))


def _inside(inner: BBox, outer: BBox) -> bool:
    return inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01 and inner[3] <= outer[3] + 0.01


def _grow(box: BBox, by: float) -> BBox:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _overlaps(box: BBox, area: BBox, inset: float) -> bool:
    return box[0] < area[2] - inset and box[2] > area[0] + inset and box[1] < area[3] - inset and box[3] > area[1] + inset


def _short_of_bleed(marks: PageMarks, trim: BBox) -> dict[str, tuple[str, float]]:
    """Sides where something inked reaches the trim edge from inside the page but does not
    continue 3 mm beyond it: side -> (what it is, how far past the trim it goes, in mm)."""
    things = [(f.bbox, f.paint, "a coloured area") for f in marks.fills]
    things += [(i.bbox, None, describe_image(i, trim)) for i in marks.images if not i.stencil]
    need = BLEED_MM * MM - 0.1 * MM
    found: dict[str, tuple[str, float]] = {}
    for box, paint, what in things:
        if paint is not None and (paint.white or paint.space == "Separation All"):
            continue
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0 or not _overlaps(box, trim, inset=EDGE):
            continue
        if paint is not None and paint.inks is not None and len(paint.inks) == 4:
            what = f"a coloured area ({_pct(paint)})"
        past = {"left": trim[0] - box[0], "right": box[2] - trim[2], "bottom": trim[1] - box[1], "top": box[3] - trim[3]}
        for side, beyond in past.items():
            if -EDGE <= beyond < need and side not in found:
                found[side] = (what, max(beyond, 0.0) / MM)
    return found


def _crop_marks(marks: PageMarks, trim: BBox, bleed: BBox) -> tuple[bool, bool]:
    """(crop marks drawn, some start inside the bleed). A crop mark is a thin stroke
    outside the trim, lined up with one of its edges."""
    found = in_bleed = 0
    for stroke in marks.strokes:
        x0, y0, x1, y1 = stroke.bbox
        w = stroke.width / 2 + 0.5
        horizontal = y1 - y0 <= 2 * w and any(abs((y0 + y1) / 2 - y) < 1 for y in (trim[1], trim[3]))
        vertical = x1 - x0 <= 2 * w and any(abs((x0 + x1) / 2 - x) < 1 for x in (trim[0], trim[2]))
        if horizontal and (x1 <= trim[0] + 0.5 or x0 >= trim[2] - 0.5):
            found += 1
            in_bleed += x1 > bleed[0] + 0.5 and x0 < bleed[2] - 0.5
        elif vertical and (y1 <= trim[1] + 0.5 or y0 >= trim[3] - 0.5):
            found += 1
            in_bleed += y1 > bleed[1] + 0.5 and y0 < bleed[3] - 0.5
    return found >= 4, in_bleed > 0


# --- PDF/X-1a --------------------------------------------------------------------------


def pdfx_requirements(document: Document, facts: list[PageFacts], findings: list[Finding]) -> list[Requirement]:
    """Each requirement of PDF/X-1a:2003 (ISO 15930-4), met or not."""
    info = document.info
    intents = [i for i in document.output_intents if i.get("S") == "/GTS_PDFX"]
    condition = intents[0].get("OutputConditionIdentifier", "") if intents else ""
    registered = _registered(condition) is not None
    has_profile = bool(intents) and "DestOutputProfile" in intents[0]
    codes = {(f.code) for f in findings}
    pages = document.pages
    return [
        Requirement(f"GTS_PDFXVersion is {PDFX_VERSION}", info.get("GTS_PDFXVersion") == PDFX_VERSION,
                    f"export as {PDFX_VERSION} (the Info dictionary names the standard)"),
        Requirement(f"PDF version {' or '.join(PDFX_PDF_VERSIONS)}", document.version in PDFX_PDF_VERSIONS,
                    f"{PDFX_VERSION} is PDF {PDFX_PDF_VERSIONS[-1]} at most, and this file is PDF {document.version}"),
        Requirement("the trailer has an ID", document.has_id, "the file has no ID; export it again as PDF/X-1a"),
        Requirement("the Info has a Title", bool(info.get("Title", "").strip()), "give the document a title"),
        Requirement("the Info has CreationDate and ModDate", "CreationDate" in info and "ModDate" in info,
                    "the file lacks its creation and modification dates; export it again as PDF/X-1a"),
        Requirement("Trapped is True or False", info.get("Trapped") in ("/True", "/False"),
                    "the Info dictionary must say whether the file is trapped (Trapped False is usual)"),
        Requirement("one GTS_PDFX OutputIntent naming a printing condition", len(intents) == 1 and bool(condition),
                    f"add an output intent naming the printing condition ({', '.join(f'{s.condition} {s.name}' for s in STOCKS)})"),
        Requirement("the printing condition is registered or its profile embedded", registered or has_profile,
                    f"the printing condition \"{condition}\" is not one registered at color.org and no profile is embedded"),
        Requirement("every page has a TrimBox", all(p.trim or p.art for p in pages), "give every page a TrimBox (the finished size)"),
        Requirement("BleedBox within the MediaBox", all(p.bleed is None or _inside(p.bleed, p.media) for p in pages) and "boxes" not in codes,
                    "the BleedBox reaches outside the MediaBox, or the TrimBox outside the BleedBox"),
        Requirement("only CMYK, gray and spot colour", not codes & {"rgb-colour", "colour-space", "icc-colour"},
                    "convert every colour and image to CMYK"),
        Requirement("every font embedded", "font-not-embedded" not in codes, "embed every font"),
        Requirement("no transparency", "transparency" not in codes, "flatten transparency (soft masks, opacity, blend modes)"),
        Requirement("no JPEG 2000 images", "image-jpeg2000" not in codes, "save images as JPEG or PNG"),
        Requirement("no JavaScript or actions", not document.scripts, f"remove {', '.join(document.scripts)}"),
    ]


def _registered(condition: str) -> str | None:
    """The paper ("coated"/"uncoated") of a registered printing condition, or None."""
    key = condition.upper().replace(" ", "").replace("_", "")
    for name, paper in REGISTERED_CONDITIONS.items():
        if name.replace("-", "") in key.replace("-", ""):
            return paper
    return None


def paper_of(document: Document) -> str | None:
    """The paper the file's output intent names, when it names a known condition."""
    for intent in document.output_intents:
        paper = _registered(intent.get("OutputConditionIdentifier", "") + intent.get("OutputCondition", ""))
        if paper:
            return paper
    return None
