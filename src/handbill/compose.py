"""compose(Statement, Layout) -> Composition: the one place that decides.

It resolves the layout's areas to points, sets every text block at the largest size that
fits, flows the body through its columns (and onto continuation pages), places the QR
code, and returns pages of placed items. Pure: no PDF is written here, so every promise
("every word is placed", "no line leaves its area") can be checked on plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .fonts import FontSet
from .composition import Composition, Item, Line, Metadata, Page, Rect, TextRun
from .errors import InputError, LayoutError, TooLongError
from .layout import Area, BlockSpec, Layout, SizeRange
from .printshop import MIN_TEXT_PT, OFFICE_MARGIN
from .problems import Problem, note
from .roles import COVER_ROLES, READ_ROLES, ROLES, Reading
from .units import MM
from .qr import check_url, place_qr
from .statement import Statement
from .text.paragraph import Paragraph, make_paragraph
from .text.typeset import Frame, Setting, TextStyle, balance_columns, fit

WHITE = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Box:
    """A rectangle in points, PDF coordinates (y up)."""

    x: float
    y: float  # bottom
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def intersect(self, other: Box) -> Box:
        x, y = max(self.x, other.x), max(self.y, other.y)
        return Box(x, y, max(0.0, min(self.right, other.right) - x), max(0.0, min(self.top, other.top) - y))


@dataclass(frozen=True)
class Geometry:
    """The page in points: trim size, bleed, safe area."""

    width: float
    height: float
    bleed: float
    margin: float
    office: bool

    @classmethod
    def of(cls, layout: Layout, office: bool) -> Geometry:
        margin = max(layout.margin_mm * MM, OFFICE_MARGIN) if office else layout.margin_mm * MM
        bleed = 0.0 if office else layout.bleed_mm * MM
        return cls(layout.paper.width_mm * MM, layout.paper.height_mm * MM, bleed, margin, office)

    @property
    def trim(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def safe(self) -> Box:
        m = self.margin
        return Box(m, m, self.width - 2 * m, self.height - 2 * m)

    @property
    def printable(self) -> Box:
        """Where anything may be drawn: the bleed box, or 5 mm inside the edge for office printers."""
        if self.office:
            m = OFFICE_MARGIN
            return Box(m, m, self.width - 2 * m, self.height - 2 * m)
        b = self.bleed
        return Box(-b, -b, self.width + 2 * b, self.height + 2 * b)

    def place(self, area: Area) -> Box:
        frame = self.safe if area.frame == "safe" else self.trim
        w, h = area.w.to_pt(frame.w), area.h.to_pt(frame.h)
        x = frame.x + area.x.to_pt(frame.w)
        top = frame.top - area.y.to_pt(frame.h)
        box = Box(x, top - h, w, h)
        return box.intersect(self.printable) if self.office else box

    def bled(self, box: Box) -> Box:
        """A shape that touches the trim edge continues into the bleed (no white sliver
        after cutting); for office printing it stops 5 mm inside the edge."""
        if self.office:
            return box.intersect(self.printable)
        near = 0.01
        x0 = box.x - self.bleed if box.x <= near else box.x
        y0 = box.y - self.bleed if box.y <= near else box.y
        x1 = box.right + self.bleed if box.right >= self.width - near else box.right
        y1 = box.top + self.bleed if box.top >= self.height - near else box.top
        return Box(x0, y0, x1 - x0, y1 - y0)


@dataclass(frozen=True)
class Event:
    """One rally for the layout's event block: "date · time · place", then the note."""

    place: str
    date: str = ""
    time: str = ""
    note: str = ""

    def lines(self) -> list[str]:
        head = " · ".join(part for part in (self.date, self.time, self.place) if part)
        return [text for text in (head, self.note) if text]


@dataclass
class SetBody:
    """The body as set for one layout: the slow part of compose, and the same for every
    rally of a batch. Give compose() one per (statement body, layout, office) to keep it
    between calls; it is filled by the first."""

    runs: dict[int, list[TextRun]] | None = None  # by page
    dropped: set[int] = field(default_factory=set)  # continuation pages the text did not reach


def layout_fonts(fonts: FontSet, layout: Layout) -> FontSet:
    """`fonts` with the layout's own `fonts = [...]` at the end of every chain, for this
    layout only. A file there that is no font handbill can embed is the layout's mistake:
    the sentence names the layout file and its key."""
    try:
        return fonts.with_files(layout.fonts)
    except InputError as error:
        where = f"{layout.source or layout.name}: top level: fonts"
        raise LayoutError(Problem("error", "layout", where, f"{where}: {error}")) from None


def compose(
    statement: Statement, layout: Layout, *, fonts: FontSet, office: bool = False, event: Event | None = None,
    set_body: SetBody | None = None,
) -> Composition:
    """The statement laid out: pages of placed items, set in `fonts` and the layout's own
    fonts (which join the end of every chain, like --font, for this layout only). `event`
    fills the layout's event block (handbill batch); `set_body` keeps the set body across
    calls (see SetBody)."""
    fonts = layout_fonts(fonts, layout)
    fonts.check_statement_coverage(_statement_parts(statement), source=_source(statement))
    if event is not None:  # a batch row's own words: its column, not the statement, is where to fix them
        fonts.check_statement_coverage(_event_parts(event), source="the events row")
    geometry = Geometry.of(layout, office)
    _refuse_overlaps(layout, geometry)
    _refuse_paper_coloured_text_off_its_ground(layout, geometry)
    composer = _Composer(statement, layout, geometry, event, fonts)
    if layout.repeat == "slogans":
        if not statement.slogans:
            raise InputError(Problem(
                "error", "nothing-for-block", _source(statement),
                f"{_source(statement)}: the layout {layout.name} prints one slogan per page, and the statement has none",
                "add 'slogans:' to its front matter, or end a .txt with short lines ending in '!'",
            ))
        pages = [composer.page(1, slogans=(slogan,)) for slogan in statement.slogans]
    else:
        set_body = set_body or SetBody()
        if set_body.runs is None:
            set_body.runs, set_body.dropped = composer.body()
        body_runs, dropped = set_body.runs, set_body.dropped
        pages = [
            composer.page(number, slogans=statement.slogans, body_runs=body_runs.get(number, []))
            for number in range(1, layout.page_count + 1)
            if number not in dropped
        ]
    # a note is said once in a document, however many pages or blocks give rise to it
    notices = tuple(dict.fromkeys(composer.notices + _not_printed(statement, layout)))
    metadata = Metadata(
        title=statement.title,
        author=statement.organisation or "",
        subject=statement.subtitle or statement.excerpt or f"{statement.title} ({layout.description})",
        lang=statement.lang,
    )
    return Composition(geometry.width, geometry.height, geometry.bleed, tuple(pages), metadata, notices)


def _statement_parts(statement: Statement) -> list[tuple[str, str]]:
    """Every text of the statement, with where it stands, for messages."""
    s, t = statement, statement.translation
    parts = [("title", s.title), ("subtitle", s.subtitle or ""), ("excerpt", s.excerpt or ""),
             ("organisation", s.organisation or ""), ("date", s.date or "")]
    parts += [(f"body, paragraph {n}", block.text) for n, block in enumerate(s.body, 1)]
    parts += [(f"slogan {n}", slogan) for n, slogan in enumerate(s.slogans, 1)]
    if t:
        parts += [("translated title", t.title)] + [(f"translated slogan {n}", x) for n, x in enumerate(t.slogans, 1)]
    return [(where, text) for where, text in parts if text]


def _event_parts(event: Event) -> list[tuple[str, str]]:
    """Every text of a rally, by the column it came from."""
    parts = [("date", event.date), ("time", event.time), ("place", event.place), ("note", event.note)]
    return [(where, text) for where, text in parts if text]


def _refuse_overlaps(layout: Layout, geometry: Geometry) -> None:
    """Two blocks that are read (text, the QR code) must not share any of the page, and a
    shape or picture must not be drawn over one: text would print over text, or a band
    would eat into the QR's quiet zone. Checked on this paper, since % areas move with it."""
    for number in range(1, layout.page_count + 1):
        placed = [(block, geometry.place(block.area)) for block in layout.blocks if block.page == number]
        for index, (lower, lower_box) in enumerate(placed):
            if lower.role not in READ_ROLES:
                continue
            for upper, upper_box in placed[index + 1:]:
                shared = lower_box.intersect(upper_box)
                if shared.w < 0.5 or shared.h < 0.5:  # points: touching edges are fine
                    continue
                what = "is drawn over" if upper.role in COVER_ROLES else "overlaps"
                raise InputError(Problem(
                    "error", "blocks-overlap", f"{_layout_source(layout)}: {upper.where}",
                    f"{_layout_source(layout)}: {upper.where} {what} {lower.where} by "
                    f"{shared.w / MM:.0f} x {shared.h / MM:.0f} mm on {layout.paper.name} paper",
                    f"move or shrink one of them{' (or put the shape first, as a background)' if upper.role in COVER_ROLES else ''}",
                ))


def _refuse_paper_coloured_text_off_its_ground(layout: Layout, geometry: Geometry) -> None:
    """Text in the paper's colour (white, knocked out of a band) must lie wholly on a fill
    drawn before it: the part off the band would print white on white, there in the file
    and gone on paper."""
    for number in range(1, layout.page_count + 1):
        grounds: list[Box] = []
        for block in (b for b in layout.blocks if b.page == number):
            box = geometry.place(block.area)
            role = ROLES[block.role]
            if role.ground and block.shape == "rect":
                grounds.append(geometry.bled(box) if role.placer == "shape" else box)
            elif role.reads and role.placer != "qr" and not any(block.color):
                if not any(_covers(ground, box) for ground in grounds):
                    raise InputError(Problem(
                        "error", "white-on-white", f"{_layout_source(layout)}: {block.where}",
                        f"{_layout_source(layout)}: {block.where} is in the paper's colour but not all of its area "
                        f"lies on a shape beneath it on {layout.paper.name} paper, so text there would print white on "
                        f"white", "keep the block inside its band, or give it a colour",
                    ))


def _covers(outer: Box, inner: Box, slack: float = 0.5) -> bool:
    return (outer.x <= inner.x + slack and outer.y <= inner.y + slack
            and outer.right >= inner.right - slack and outer.top >= inner.top - slack)


def _layout_source(layout: Layout) -> str:
    return str(layout.source) if layout.source else f"the layout {layout.name}"


def _not_printed(statement: Statement, layout: Layout) -> list[Problem]:
    """A notice for each part of the statement no block of the layout prints (the body,
    excerpt and slogans are each other's stand-ins, and a placard prints only slogans)."""
    roles = {block.role for block in layout.blocks}
    translated = any(block.translation for block in layout.blocks)
    unprinted = [
        ("subtitle", statement.subtitle and "subtitle" not in roles),
        (f"logo ({statement.logo.name if statement.logo else ''})", statement.logo and "logo" not in roles),
        ("translation", statement.translation and not translated),
    ]
    return [note("not-printed", layout.name, f"{layout.name} has no {what.split(' ')[0]} block: the statement's {what} is not printed")
            for what, missing in unprinted if missing]


def _source(statement: Statement) -> str:
    return str(statement.source) if statement.source else "the statement"


class _Composer:
    """The work of one compose() call: the statement, the layout and where things go."""

    def __init__(self, statement: Statement, layout: Layout, geometry: Geometry, event: Event | None, fonts: FontSet):
        self.statement = statement
        self.fonts = fonts
        self.layout = layout
        self.geometry = geometry
        self.event = event
        self.notices: list[Problem] = []  # this call's, returned in the Composition

    def where(self, block: BlockSpec) -> str:
        return f"{self.layout.name} {block.where}"

    # --- pages ---------------------------------------------------------------------

    def page(self, number: int, *, slogans: tuple[str, ...], body_runs: list[TextRun] | None = None) -> Page:
        """The page's items in the layout's block order: what comes later is drawn on top,
        and the text layer reads in that order. The body, set for all pages at once, goes
        where the page's first body block stands."""
        items: list[Item] = []
        body_placed = False
        for block in self.layout.blocks:
            if block.page != number:
                continue
            placer = ROLES[block.role].placer
            if placer == "body":
                if not body_placed:
                    items.extend(body_runs or ())
                    body_placed = True
                continue
            items.extend(_PLACERS[placer](self, block, slogans, items))
        return Page(tuple(items))

    def text_block(self, block: BlockSpec, slogans: tuple[str, ...], beneath: list[Item]) -> list[Item]:
        """A block of the statement's text (the role's text function says which), set at
        the largest size that fits."""
        box = self.geometry.place(block.area)
        paragraphs = self.paragraphs(block, slogans)
        if not paragraphs:
            return []
        setting = fit(paragraphs, [Frame(box.x, box.top, box.w, box.h)], block.size, self.style(block))
        if not setting.fits:
            raise self.too_long(block, setting, paragraphs)
        return list(setting.runs)

    def shape(self, block: BlockSpec, slogans: tuple[str, ...], beneath: list[Item]) -> list[Item]:
        box = self.geometry.place(block.area)
        if block.shape == "rule":
            box = self.geometry.bled(box) if block.area.frame == "trim" else box
            y = box.top - block.stroke_pt / 2
            return [Line(box.x, y, box.right, y, block.stroke_pt, block.fill)]
        box = self.geometry.bled(box)
        return [Rect(box.x, box.y, box.w, box.h, block.fill)]

    # --- text ----------------------------------------------------------------------

    def style(self, block: BlockSpec) -> TextStyle:
        role = ROLES[block.role]
        return TextStyle(
            space_face=self.fonts.primary(block.font),
            color=block.color,
            align=block.align,
            valign=block.valign,
            leading=block.leading,
            hyphenate=block.hyphenate,
            break_anywhere=role.break_anywhere,
            balance=role.balance and block.align != "justify",
            lang=self.statement.lang,
            paragraph_space=role.paragraph_space,
            heavy=block.font == "display",
        )

    def paragraphs(self, block: BlockSpec, slogans: tuple[str, ...]) -> list[Paragraph]:
        """The statement's text for a block; [] (with a notice) for an optional block the
        statement has nothing for."""
        if block.translation:
            return self.translated(block)
        role = ROLES[block.role]
        # only this block's role's text function runs: what it notes is about this block
        read = role.texts(Reading(self.statement, self.layout, block, slogans, self.event))
        self.notices.extend(read.notes)
        if not read.texts:
            if block.optional and role.quiet:
                return []  # a plain build has no rally, many statements no subtitle: nothing is lost
            missing = role.missing or block.role
            fill = role.fill or f"add '{block.role}:' to its front matter"
            return self.nothing_for(block, missing, f"{fill}, or mark the block optional = true in the layout")
        return self.plain_paragraphs(block, list(read.texts), f"{_source(self.statement)} ({block.role})", self.statement.lang)

    def translated(self, block: BlockSpec) -> list[Paragraph]:
        """A bilingual layout's second language: the translation's title or slogans."""
        read = ROLES[block.role].translated(Reading(self.statement, self.layout, block, (), self.event))
        if not read.texts:
            return self.nothing_for(block, f"translated {block.role}",
                                    "add 'translation:' with 'lang:', 'title:' and 'slogans:' to its front matter")
        lang = self.statement.translation.lang
        return self.plain_paragraphs(block, list(read.texts), f"{_source(self.statement)} (translated {block.role})", lang)

    def nothing_for(self, block: BlockSpec, missing: str, fix: str) -> list[Paragraph]:
        """The statement has nothing for the block: an optional one is left out with a
        notice, a required one is an error saying how to fill it."""
        if block.optional:
            where = self.where(block)
            self.notices.append(note("left-out", where, f"{where} left out: the statement has no {missing}"))
            return []
        raise InputError(Problem(
            "error", "nothing-for-block", self.where(block),
            f"{_source(self.statement)}: the layout {self.layout.name} has a {block.role} block "
            f"({block.where}) and the statement has no {missing}", fix,
        ))

    def plain_paragraphs(self, block: BlockSpec, texts: list[str], where: str, lang: str) -> list[Paragraph]:
        """One paragraph a text, without emphasis, in the block's font (headline, slogans...)."""
        return [
            make_paragraph([(text, False, False)], fonts=self.fonts, role=block.font, uppercase=block.uppercase, where=where, lang=lang)
            for text in texts
        ]

    def too_long(self, block: BlockSpec, setting: Setting, paragraphs: list[Paragraph]) -> TooLongError:
        source = _source(self.statement)
        if setting.too_wide:
            return TooLongError(
                f"{source}: the word \u201c{setting.too_wide}\u201d is too wide for {self.where(block)} even at "
                f"{block.size.min:g} pt; shorten the {block.role}, or lower size.min or widen the block in the layout"
            )
        total = sum(len(p.words) for p in paragraphs)
        return TooLongError(
            f"{source}: the {block.role} does not fit {self.where(block)} even at {block.size.min:g} pt: "
            f"{setting.words_left} of {total} words are left over; shorten it, or lower size.min "
            f"or enlarge the block in the layout"
        )

    # --- body ----------------------------------------------------------------------

    def body(self) -> tuple[dict[int, list[TextRun]], set[int]]:
        """Flow the whole body through the body blocks: the blocks that always print, then,
        only if the text needs them, the blocks marked `continues` (a back side). Returns
        the runs for each page, and the continuation pages nothing reached."""
        blocks = self.layout.blocks_with_role("body")
        if not blocks:
            return {}, set()
        first = blocks[0]
        if not self.statement.body:
            raise InputError(
                f"{_source(self.statement)}: the statement has no body text for the layout "
                f"{self.layout.name}; write the text below the front matter, or choose a poster layout"
            )
        paragraphs = self.body_paragraphs(first)
        style = self.style(first)
        always = [b for b in blocks if not b.continues]
        extra = [b for b in blocks if b.continues]
        for count in range(len(extra) + 1):
            chain = always + extra[:count]
            frames, owners = self.columns(chain, rtl=sum(p.rtl for p in paragraphs) > len(paragraphs) / 2)
            setting = fit(paragraphs, frames, first.size, style)
            if setting.fits:
                break
        else:
            raise self.body_too_long(first, setting, paragraphs, bool(extra))
        if len(chain) == 1 and len(frames) > 1:
            setting = balance_columns(paragraphs, frames, setting, style)
        by_page: dict[int, list[TextRun]] = {}
        for frame_runs, owner in zip(setting.runs_by_frame, owners):
            by_page.setdefault(owner.page, []).extend(frame_runs)
        reached = {owner.page for owner, runs in zip(owners, setting.runs_by_frame) if runs}
        return by_page, {b.page for b in extra} - reached - {b.page for b in always}

    def body_paragraphs(self, block: BlockSpec) -> list[Paragraph]:
        where = f"{_source(self.statement)} (body)"
        return [
            make_paragraph(
                [(span.text, span.bold, span.italic) for span in b.spans],
                fonts=self.fonts,
                role=block.font,
                kind=b.kind,
                uppercase=block.uppercase,
                where=where,
                lang=self.statement.lang,
            )
            for b in self.statement.body
        ]

    def columns(self, blocks: list[BlockSpec], *, rtl: bool = False) -> tuple[list[Frame], list[BlockSpec]]:
        frames: list[Frame] = []
        owners: list[BlockSpec] = []
        for block in blocks:
            box = self.geometry.place(block.area)
            gutter = block.gutter_mm * MM
            width = (box.w - gutter * (block.columns - 1)) / block.columns
            # a right-to-left body is read from the right-hand column
            for column in reversed(range(block.columns)) if rtl else range(block.columns):
                frames.append(Frame(box.x + column * (width + gutter), box.top, width, box.h))
                owners.append(block)
        return frames, owners

    def body_too_long(self, block: BlockSpec, setting: Setting, paragraphs: list[Paragraph], continued: bool) -> TooLongError:
        total = sum(len(p.words) for p in paragraphs)
        onward = "" if continued else ", or use a layout where the text continues overleaf (a4-leaflet-2sided)"
        return TooLongError(
            f"{_source(self.statement)}: the text is too long for {self.layout.name} even at "
            f"{block.size.min:g} pt: {setting.words_left} of {total} words "
            f"({setting.paragraphs_left} paragraph{'s' if setting.paragraphs_left != 1 else ''}) do not fit; shorten it, lower the body's size.min{onward}"
        )

    # --- images --------------------------------------------------------------------

    def image(self, block: BlockSpec, slogans: tuple[str, ...], beneath: list[Item]) -> list[Item]:
        """A photo (the layout's src) or the statement's logo, flattened onto the fill of
        the topmost shape under the middle of its box (else paper white)."""
        from .images import place_image

        path = ROLES[block.role].picture(self.statement, block)
        if path is None:
            if block.optional:
                return []  # a statement without a logo loses nothing: no notice on every build
            raise InputError(
                f"{_source(self.statement)}: the layout {self.layout.name} has a logo block ({block.where}) "
                f"and the statement has no logo; add 'logo: file.png' to its front matter, or mark the block optional = true"
            )
        box = self.geometry.place(block.area)
        middle = (box.x + box.w / 2, box.y + box.h / 2)
        ground = WHITE
        for item in beneath:
            if isinstance(item, Rect) and item.x <= middle[0] <= item.x + item.w and item.y <= middle[1] <= item.y + item.h:
                ground = item.color
        image, notes = place_image(
            path, (box.x, box.y, box.w, box.h), fit=block.fit, align=block.align, valign=block.valign,
            beneath=ground, where=self.where(block),
        )
        self.notices.extend(notes)
        return [image]

    # --- QR code -------------------------------------------------------------------

    def qr(self, block: BlockSpec, slogans: tuple[str, ...], beneath: list[Item]) -> list[Item]:
        box = self.geometry.place(block.area)
        if not self.statement.url and block.optional:
            return self.nothing_for(block, "url", "")
        if not self.statement.url:
            source = self.statement.source
            plain = source is not None and source.suffix.lower() not in (".md", ".markdown")
            how = "pass --url https://… (a .txt has no front matter)" if plain else "add 'url: https://…' to its front matter or pass --url"
            raise InputError(Problem(
                "error", "nothing-for-block", self.where(block),
                f"{_source(self.statement)}: {self.where(block)} puts the web address of the full text in a QR code "
                f"and the statement has none", f"{how}, or choose a layout without a QR code (a3-placard)",
            ))
        # read_statement checked it; a Statement made in code, or a batch row's url, may not have been
        url = check_url(self.statement.url, where=f"the statement {_source(self.statement)}")
        # the statement's own words, in its language, before the layout's (English) ones
        texts = [t for t in (self.statement.qr_caption or block.caption, url) if t]
        paragraphs = [make_paragraph([(t, False, False)], fonts=self.fonts, role=block.font, where=self.where(block))
                      for t in texts]
        caption_frame = Frame(box.x, box.top, box.w, box.h * 0.4)
        style = replace(self.style(block), balance=False, fixed_align=True)  # under the code, in any script
        caption = fit(paragraphs, [caption_frame], SizeRange(min(MIN_TEXT_PT, block.size.min), block.size.max), style)
        if not caption.fits:
            raise TooLongError(
                f"{_source(self.statement)}: the web address {url} is too long to print under the QR code of "
                f"{self.where(block)}, even at {min(MIN_TEXT_PT, block.size.min):g} pt; use a shorter address for the full "
                f"text (a short link), or give the QR block more room in the layout"
            )
        gap = 1.5 * MM
        # the caption was set from the block's top; it will sit under the code
        caption_height = box.top - min(run.y for run in caption.runs) + 0.3 * caption.size
        side = min(box.w, box.h - caption_height - gap)
        x = {"left": box.x, "right": box.right - side}.get(block.align, box.x + (box.w - side) / 2)
        y = box.top - side
        placement = place_qr(
            url,
            x=x,
            y=y,
            size=side,
            error_correction=block.error_correction,
            min_module_pt=block.module_mm * MM,
            color=block.color,
            where=self.where(block),
        )
        # the quiet zone is paper-white even on a coloured background
        items: list[Item] = [Rect(x, y, side, side, WHITE), placement.polygon]
        items.extend(run.moved(-(side + gap)) for run in caption.runs)
        return items


# How each role's blocks are placed (roles.Role.placer); "body" is flowed through all its
# blocks at once, by _Composer.body.
_PLACERS = MappingProxyType({
    "text": _Composer.text_block,
    "qr": _Composer.qr,
    "shape": _Composer.shape,
    "image": _Composer.image,
})
