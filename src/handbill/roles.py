"""The block roles: one table of what each role of a layout block is.

For every role: the keys its block may have and their defaults, what it reads of the
statement (a function called only for a block of that role), how it is placed (the name
of a placer in compose.py) and styled. layout.py validates blocks against it, compose.py
dispatches on it, and the role and key tables of docs/layout-format.md are made from it
(`python -m handbill.roles` prints them; a test checks the file against them).

Adding a role is one entry in ROLES (plus its placer in compose.py if none fits).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable

from .problems import Problem, note

if TYPE_CHECKING:
    from .layout import BlockSpec, Layout
    from .statement import Statement

COMMON_KEYS = ("role", "area", "frame", "page", "optional")
TEXT_KEYS = ("font", "size", "leading", "align", "valign", "color", "uppercase")


@dataclass(frozen=True)
class Reading:
    """What a block's text function is given: the statement, and where the block stands."""

    statement: Statement
    layout: Layout
    block: BlockSpec
    slogans: tuple[str, ...]  # the page's slogans: all of them, or a placard page's one
    event: object | None  # compose.Event (has .lines()), for batch's rallies


@dataclass(frozen=True)
class Texts:
    """A block's texts, one paragraph each, and what is worth saying about them."""

    texts: tuple[str, ...]
    notes: tuple[Problem, ...] = ()


TextFunction = Callable[[Reading], Texts]
PictureFunction = Callable[["Statement", "BlockSpec"], "Path | None"]


@dataclass(frozen=True)
class Role:
    name: str
    placer: str  # compose's way of placing it: "text", "body", "qr", "shape" or "image"
    keys: tuple[str, ...]  # every key a block of this role may have, "role" and "area" too
    content: str  # what it prints, for docs/layout-format.md
    texts: TextFunction | None = None  # the statement's text it prints (placer "text")
    translated: TextFunction | None = None  # with translation = true: the translation's text it prints instead
    picture: PictureFunction | None = None  # the image file it prints (placer "image")
    size: tuple[float, float] | None = None  # pt: the size range when the block gives none
    font: str = "text"  # "text" or "display": the default face
    align: str = "left"
    valign: str = "top"
    frame: str = "safe"
    optional: bool = False  # left out (with a notice) when the statement has nothing for it
    required: tuple[str, ...] = ()  # keys a block of this role must give
    reads: bool = True  # it is read: nothing may overlap it or be drawn over it
    covers: bool = False  # opaque (shape, picture): fine beneath text, never over it
    ground: bool = False  # a rectangle of its own colour: text in the paper's colour may lie on it
    balance: bool = False  # display text: lines of even length
    break_anywhere: bool = False  # a word wider than the block may break inside it
    paragraph_space: float = 0.5  # between paragraphs, in lines
    missing: str = ""  # what the statement lacks when there is nothing to print, in words
    fill: str = ""  # how to give the statement what it lacks
    quiet: bool = False  # an optional block left out without a notice (nothing is lost)

    @property
    def display(self) -> bool:
        return self.font == "display"


# --- what each text role reads of the statement -----------------------------------------

def _title(r: Reading) -> Texts:
    return Texts((r.statement.title,))


def _subtitle(r: Reading) -> Texts:
    return Texts((r.statement.subtitle,) if r.statement.subtitle else ())


def _excerpt(r: Reading) -> Texts:
    s = r.statement
    return Texts((s.excerpt,) if s.excerpt else (s.body[0].text,) if s.body else ())


def _footer(r: Reading) -> Texts:
    s = r.statement
    # no-break spaces round the dot: a line never ends "Alliance ·" nor starts "· 2024"
    parts = [part for part in (s.organisation, s.date) if part]
    return Texts(("\u00a0\u00b7\u00a0".join(parts),) if parts else ())


def _own_text(r: Reading) -> Texts:
    return Texts((r.block.text or "",))


def _event(r: Reading) -> Texts:
    return Texts(tuple(r.event.lines()) if r.event else ())


def _translated_title(r: Reading) -> Texts:
    t = r.statement.translation
    return Texts((t.title,) if t else ())


def _translated_slogans(r: Reading) -> Texts:
    t = r.statement.translation
    return Texts(t.slogans if t else ())


def _layout_picture(statement: Statement, block: BlockSpec) -> Path | None:
    return block.src


def _statement_logo(statement: Statement, block: BlockSpec) -> Path | None:
    return statement.logo


def _slogans(r: Reading) -> Texts:
    """The slogans, less one that the page's headline already prints (a .txt statement's
    title is its first slogan): the same words twice on a poster read as a mistake."""
    slogans = r.slogans
    if not any(b.role == "headline" and b.page == r.block.page for b in r.layout.blocks):
        return Texts(slogans)
    title = " ".join(r.statement.title.split()).casefold()
    others = tuple(slogan for slogan in slogans if " ".join(slogan.split()).casefold() != title)
    if not others:
        return Texts(slogans)
    if len(others) == len(slogans):
        return Texts(others)
    where = f"{r.layout.name} {r.block.where}"  # said, so that nothing is dropped silently
    said = note("slogan-is-title", where, f"{where}: the slogan that is also the title is printed once, as the headline")
    return Texts(others, (said,))


# --- the table --------------------------------------------------------------------------

_TEXT = COMMON_KEYS + TEXT_KEYS

# read-only: the table is the same for every build in the process
ROLES: MappingProxyType[str, Role] = MappingProxyType({role.name: role for role in (
    Role("headline", "text", _TEXT + ("translation",), "the statement's title", _title, _translated_title,
         size=(24, 72), font="display", balance=True),
    Role("subtitle", "text", _TEXT, "the statement's subtitle", _subtitle,
         size=(12, 24), optional=True, balance=True, quiet=True),
    Role("body", "body", _TEXT + ("columns", "gutter", "hyphenate", "continues"),
         "the whole body: paragraphs, headings, bullet lists, in its columns", size=(8, 11), break_anywhere=True),
    Role("slogans", "text", _TEXT + ("translation",),
         "every slogan, each its own line group; on a `repeat = \"slogans\"` layout, the page's one slogan", _slogans,
         _translated_slogans, size=(18, 60), font="display", balance=True, paragraph_space=0.35),
    Role("excerpt", "text", _TEXT, "the statement's excerpt (else its first paragraph)", _excerpt,
         size=(11, 20), balance=True),
    Role("text", "text", _TEXT + ("text",), "the block's own `text`", _own_text,
         size=(9, 14), balance=True, required=("text",)),
    Role("footer", "text", _TEXT, "organisation and date", _footer,
         size=(7, 9), optional=True, missing="organisation or date"),
    Role("event", "text", _TEXT,
         "a rally's \"date · time · place\" and, below it, its note; filled by `handbill batch --events rallies.csv`. "
         "Mark it `optional = true` so a plain build leaves it out (silently: there is no event to lose)", _event,
         size=(12, 36), quiet=True, fill="build it with handbill batch --events"),
    Role("qr", "qr", COMMON_KEYS + ("font", "size", "align", "color", "caption", "error_correction", "module"),
         "the QR code of the statement's url, with the url printed under it",
         size=(6, 9), align="center", break_anywhere=True),
    Role("shape", "shape", COMMON_KEYS + ("fill", "shape", "stroke"), "a filled rectangle or a rule, in a colour",
         frame="trim", required=("fill",), reads=False, covers=True, ground=True),
    Role("image", "image", COMMON_KEYS + ("src", "fit", "align", "valign"), "the layout's own picture (`src`)",
         picture=_layout_picture, align="center", valign="middle", required=("src",), reads=False, covers=True,
         ground=True),
    Role("logo", "image", COMMON_KEYS + ("fit", "align", "valign"), "the file named by the statement's `logo:`",
         picture=_statement_logo, align="center", valign="middle", optional=True, reads=False, covers=True),
)})

TEXT_ROLES = tuple(name for name, role in ROLES.items() if role.placer in ("text", "body"))
READ_ROLES = frozenset(name for name, role in ROLES.items() if role.reads)
COVER_ROLES = frozenset(name for name, role in ROLES.items() if role.covers)
PRINTS_THE_STATEMENT = ("headline", "body", "slogans")  # a layout needs one of them


def role(name: str) -> Role:
    return ROLES[name]


# --- the tables of docs/layout-format.md --------------------------------------------------

# (key, the roles the row is about, meaning, default): the roles of a key's rows together
# are exactly the roles that allow it (a test checks), so the doc cannot drift from ROLES.
KEY_DOCS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("role", tuple(ROLES), ", ".join(f"`{name}`" for name in ROLES), "required"),
    ("area", tuple(ROLES), "`{ x, y, w, h }`, lengths", "required"),
    ("frame", tuple(ROLES), "`\"safe\"` (inside the margin) or `\"trim\"` (the finished page)",
     "`\"safe\"` (`\"trim\"` for shapes)"),
    ("page", tuple(ROLES), "which page of the layout, from 1", "1"),
    ("font", TEXT_ROLES + ("qr",), "`\"text\"` (the text family) or `\"display\"` (heavy condensed)",
     "`display` for headline and slogans, else `text`"),
    ("size", TEXT_ROLES + ("qr",), "`{ min = \"8pt\", max = \"11pt\" }`: the largest size that fits is used",
     "by role (the role table below)"),
    ("leading", TEXT_ROLES, "line height as a multiple of the size", "1.3 body, 1.05 display"),
    ("align", TEXT_ROLES + ("qr",), "`left`, `center`, `right`, `justify`; in a right-to-left paragraph (Arabic, Persian, "
     "Urdu, Hebrew) `left` and `right` swap, so `left` means \"where lines start\", and justified lines end on the right",
     "`left` (`center` for qr)"),
    ("valign", TEXT_ROLES, "`top`, `middle`, `bottom`", "`top`"),
    ("color", TEXT_ROLES + ("qr",), "a colour", "`ink`"),
    ("uppercase", TEXT_ROLES, "set the text in capitals", "false"),
    ("translation", ("headline", "slogans"), "`true`: print the statement's translation (front matter `translation:` "
     "with `lang`, `title`, `slogans`) instead; for bilingual posters", "false"),
    ("columns", ("body",), "number of columns", "1"),
    ("gutter", ("body",), "space between columns", "`\"5mm\"`"),
    ("hyphenate", ("body",), "hyphenate (for justified text)", "false"),
    ("continues", ("body",), "`true`: this body block only receives text that did not fit the blocks before it; a page "
     "holding nothing else needed is left out", "false"),
    ("text", ("text",), "the literal text to print (e.g. \"Read the full statement\")", "required for `text`"),
    ("optional", tuple(ROLES), "leave the block out, with a notice, when the statement has nothing for it",
     "false (true for " + ", ".join(name for name, r in ROLES.items() if r.optional) + ")"),
    ("caption", ("qr",), "text printed with the URL under the code", "none"),
    ("error_correction", ("qr",), "`L`, `M`, `Q` or `H`", "`M`"),
    ("module", ("qr",), "the smallest module size allowed", "`\"0.5mm\"`, `\"1mm\"` on A3 and larger"),
    ("fill", ("shape",), "the colour of the shape", "required for shape"),
    ("shape", ("shape",), "`rect` or `rule` (a horizontal line across the area's top)", "`rect`"),
    ("stroke", ("shape",), "a rule's thickness", "`\"1pt\"`"),
    ("src", ("image",), "the image file (PNG or JPEG), relative to the layout file", "required for image"),
    ("fit", ("image", "logo"), "`contain` (the whole image, as large as fits the area) or `cover` (fills the area, the "
     "overflow cropped evenly)", "`contain`"),
    ("align", ("image", "logo"), "where a `contain` image sits in its area: `left`/`center`/`right`", "`center`"),
    ("valign", ("image", "logo"), "where a `contain` image sits in its area: `top`/`middle`/`bottom`", "`middle`"),
)


def _roles_in_words(names: tuple[str, ...]) -> str:
    if set(names) == set(ROLES):
        return "all"
    if set(names) == set(TEXT_ROLES):
        return "text roles"
    if set(names) == set(TEXT_ROLES) | {"qr"}:
        return "text roles, qr"
    return ", ".join(names)


def key_table() -> str:
    """docs/layout-format.md's table of block keys, by role."""
    lines = ["| key | roles | meaning | default |", "| --- | --- | --- | --- |"]
    lines += [f"| `{key}` | {_roles_in_words(names)} | {meaning} | {default} |" for key, names, meaning, default in KEY_DOCS]
    return "\n".join(lines)


def role_table() -> str:
    """docs/layout-format.md's table of roles: what each prints, its sizes and defaults."""
    lines = ["| role | prints | size (pt) | font | optional |", "| --- | --- | --- | --- | --- |"]
    for name, r in ROLES.items():
        size = f"{r.size[0]:g}-{r.size[1]:g}" if r.size else "-"
        font = r.font if r.size else "-"
        lines.append(f"| {name} | {r.content} | {size} | {font} | {'yes' if r.optional else 'no'} |")
    return "\n".join(lines)


def doc_tables() -> str:
    return f"{key_table()}\n\nWhat each role prints, and its defaults:\n\n{role_table()}\n"


DOC_BEGIN = "<!-- role tables: made by `python -m handbill.roles` from src/handbill/roles.py; do not edit -->"
DOC_END = "<!-- end of role tables -->"


def doc_with_tables(document: str) -> str:
    """The layout reference with its role tables made afresh between the markers."""
    head, rest = document.split(DOC_BEGIN, 1)
    _, tail = rest.split(DOC_END, 1)
    return f"{head}{DOC_BEGIN}\n{doc_tables()}\n{DOC_END}{tail}"


if __name__ == "__main__":  # python -m handbill.roles [docs/layout-format.md]: rewrite the doc's tables
    import sys

    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
        path.write_text(doc_with_tables(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(doc_tables())
