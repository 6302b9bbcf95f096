"""Statement: what is said. Read from Markdown with front matter, or from plain text.

A Statement knows nothing of pages. Its text is data, never markup: whatever the file
holds (`<b>`, `&amp;`) is printed literally.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from functools import cache

from .errors import InputError, StatementError


@dataclass(frozen=True)
class Span:
    """A run of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading or one bullet-list item of the body."""

    kind: str  # "paragraph" | "heading" | "bullet"
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Translation:
    """The title and slogans in a second language, for bilingual posters."""

    lang: str
    title: str
    slogans: tuple[str, ...] = ()


def translation_of(other: Statement) -> Translation:
    """A second statement file (`--translation FILE`) as the first one's translation: its
    language, title and slogans; its body is not printed (a bilingual poster has none)."""
    return Translation(other.lang, other.title, other.slogans)


@dataclass(frozen=True)
class Statement:
    title: str
    body: tuple[Block, ...]
    slogans: tuple[str, ...] = ()
    subtitle: str | None = None
    organisation: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str = "en"
    excerpt: str | None = None
    source: Path | None = None
    logo: Path | None = None  # an image file, already resolved against the statement's folder
    translation: Translation | None = None  # front matter 'translation:' (lang, title, slogans)
    qr_caption: str | None = None  # the words over the address under the QR code, in the statement's language

    @property
    def name(self) -> str:
        """The stem output files are named after."""
        return self.source.stem if self.source else "statement"


# --- reading ---------------------------------------------------------------------------

FRONT_MATTER_KEYS = ("title", "subtitle", "organisation", "date", "url", "lang", "slogans", "excerpt", "logo", "translation",
                     "qr_caption")
KEY_ALIASES = MappingProxyType({"organization": "organisation"})
MARKDOWN_SUFFIXES = (".md", ".markdown")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SLOGAN_MAX_WORDS = 12
# markdown-it stops reading, silently, at its nesting limit (20 in its CommonMark preset):
# quotes of a forwarded e-mail or a deep list would vanish. Ours is higher and bounded, and
# past MARKDOWN_MAX_DEPTH (block levels: one a quote, two a list) the statement is refused.
MARKDOWN_NESTING = 100
MARKDOWN_MAX_DEPTH = MARKDOWN_NESTING - 4
# Only ASCII whitespace is collapsed: a no-break space in "300 km" or "« Non »" is meant.
WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
# Files people pass by mistake, recognised by their first bytes, for a better message.
NOT_TEXT = MappingProxyType({b"PK\x03\x04": "a Word document or other zip file", b"%PDF": "a PDF",
                             b"{\\rtf": "an RTF document"})
# Characters no statement means, refused with their line: C0 and C1 controls but the ASCII
# whitespace (tab, line ends, form feed, collapsed as spaces), and U+FFFD, which a broken
# copy or a wrong encoding leaves where text was lost.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def read_statement(
    path: str | Path, *, title: str | None = None, url: str | None = None, lang: str | None = None
) -> Statement:
    """Read a statement from Markdown (.md, .markdown) or plain text (anything else).

    The keyword overrides (the command line's --title, --url, --lang) win over the file;
    `url=""` removes the file's URL. Every problem raises InputError, one sentence long.
    """
    path = Path(path)
    text = _read_text(path)
    return _statement(path, text, path.suffix.lower() in MARKDOWN_SUFFIXES, title=title, url=url, lang=lang)


def statement_from_text(
    text: str, *, name: str, markdown: bool, title: str | None = None, url: str | None = None, lang: str | None = None
) -> Statement:
    """A statement that never was a file (a web form's text), read as read_statement reads
    a file: `name` stands where the file name would, in messages and output names. It may
    not name a logo: a path in text from elsewhere must not reach this machine's files."""
    where = Path(name)
    text = _normalised(where, text.removeprefix("\ufeff"))
    return _statement(where, text, markdown, title=title, url=url, lang=lang, files=False)


def _statement(
    path: Path, text: str, markdown: bool, *, title: str | None, url: str | None, lang: str | None, files: bool = True
) -> Statement:
    """The statement in `text`, `path` naming it; `files`: whether it may name a logo file."""
    if markdown:
        fields, body, opens_with_title = _read_markdown(path, text)
    else:
        fields, body, opens_with_title = *_read_plain_text(text), False
    _apply_overrides(path, fields, title=title, url=url, lang=lang)
    if url is None and "url" in fields:  # said now, when the statement is read, not by the first layout with a QR code
        fields["url"] = _checked_url(fields["url"], f"the statement {path}", f"{path}: url")
    if "logo" in fields and not files:
        raise StatementError(f"{path}: logo: a statement given as text cannot name an image file; remove the 'logo:' line")
    if "logo" in fields:  # a path in the file is relative to the file, wherever handbill runs
        fields["logo"] = path.parent / fields["logo"]
        if not fields["logo"].is_file():  # said now, whether or not a layout prints it
            raise StatementError(
                f"{path}: logo: no such image file {fields['logo']}; the path is relative to the "
                f"statement's folder: check it, or remove the 'logo:' line"
            )
    # The title: front matter or --title, else an opening "# heading", else the first slogan.
    if "title" not in fields and opens_with_title:
        fields["title"], body = body[0].text, body[1:]
    if "title" not in fields and fields.get("slogans"):
        fields["title"] = fields["slogans"][0]
    if "title" not in fields:
        fix = ("add 'title:' to the front matter" if markdown
               else "end the text with a short slogan line ending in '!'")
        raise StatementError(f"{path}: the statement has no title; {fix} or pass --title")
    return Statement(body=tuple(body), source=path, **fields)


def _read_text(path: Path) -> str:
    """The file as text with "\\n" line ends, or an InputError saying why it cannot be."""
    if path.is_dir():
        raise StatementError(f"{path}: is a folder, not a statement; give the path of a .md or .txt file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StatementError(f"{path}: no such file; check the path and the file name") from None
    except OSError as err:
        raise StatementError(f"{path}: cannot be read ({err.strerror}); check the file's permissions") from err
    for magic, kind in NOT_TEXT.items():
        if data.startswith(magic):
            raise StatementError(f"{path}: this is {kind}; save the statement as UTF-8 plain text (.txt) "
                             "or Markdown (.md)")
    data = data.removeprefix(b"\xef\xbb\xbf")  # a BOM, as Windows editors write it
    if encoding := _utf16(data):  # Notepad's "Unicode", with or without its BOM
        try:
            return _normalised(path, data.decode(encoding).removeprefix("\ufeff"))
        except UnicodeDecodeError as err:
            raise StatementError(f"{path}: this looks like UTF-16 text but byte {err.start} is damaged; "
                                 "save the statement as UTF-8") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise StatementError(
            f"{path}: line {line}: byte 0x{data[err.start]:02X} is not UTF-8; save the file as UTF-8"
        ) from err
    return _normalised(path, text)


def _utf16(data: bytes) -> str | None:
    """The codec of UTF-16 text (a BOM, or NULs in every other byte as its ASCII characters
    and spaces give), or None: UTF-8 text has no NUL."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    pairs = len(data) // 2
    if not pairs or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= pairs / 10 and even <= odd / 20:
        return "utf-16-le"
    if even >= pairs / 10 and odd <= even / 20:
        return "utf-16-be"
    return None


def _normalised(path: Path, text: str) -> str:
    """Text with "\n" line ends, or an InputError if there is none or it holds a control."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise StatementError(f"{path}: the file is empty; write the statement in it")
    if found := CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        raise StatementError(f"{path}: line {line}: {_control_problem(found.group())}")
    return text


def _control_problem(char: str) -> str:
    """What is wrong with a CONTROL character and how to fix it, after "where: "."""
    if char == "\ufffd":
        return ("has U+FFFD '\ufffd', the mark of text lost in a broken copy or a wrong encoding; "
                "copy that passage again from its source")
    name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
    return (f"has the invisible control character {name}, which would print as a box or not at all; "
            "delete it, or save the file again as UTF-8 if it came from another encoding")


def _apply_overrides(path: Path, fields: dict, *, title: str | None, url: str | None, lang: str | None) -> None:
    if title is not None:
        if found := CONTROL.search(title):
            raise StatementError(f"{path}: --title: {_control_problem(found.group())}")
        fields["title"] = _clean(title)
        if not fields["title"]:
            raise StatementError(f"{path}: --title is empty; give the title text or leave --title out")
    if url is not None:
        fields["url"] = url.strip()
        if not fields["url"]:
            del fields["url"]
        else:  # said now, as --url's mistake, not later as the statement's
            fields["url"] = _checked_url(fields["url"], "--url", "--url")
    if lang is not None:
        fields["lang"] = _checked_language(f"{path}: --lang", lang.strip())


def _checked_url(url: str, where: str, place: str) -> str:
    """qr.check_url's verdict, as a Problem with the code "url" and the place it came from
    (a form can point at its url field)."""
    from .qr import check_url

    try:
        return check_url(url, where=where)
    except InputError as error:
        raise StatementError(replace(error.problem, code="url", where=place)) from None


def _clean(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def _checked_language(where: str, tag: str) -> str:
    if not LANGUAGE_TAG.match(tag):
        raise StatementError(f"{where}: {tag!r} is not a language tag like en, fil, ar or zh-Hant; write the tag")
    return tag


# --- plain text ------------------------------------------------------------------------

def _read_plain_text(text: str) -> tuple[dict, list[Block]]:
    """Paragraphs split at blank lines; the closing run of short "…!" lines are the slogans."""
    paragraphs = [p.split("\n") for p in re.split(r"\n[ \t]*\n", text.strip())]
    paragraphs = [[line.strip() for line in p if line.strip()] for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    slogans: list[str] = []
    while paragraphs and _is_slogan(paragraphs[-1]):
        slogans.insert(0, _clean(paragraphs.pop()[0]))
    body = [Block("paragraph", (Span(_clean(" ".join(lines))),)) for lines in paragraphs]
    return ({"slogans": tuple(slogans)} if slogans else {}), body


def _is_slogan(lines: list[str]) -> bool:
    return len(lines) == 1 and len(lines[0].split()) <= SLOGAN_MAX_WORDS and lines[0].endswith("!")


# --- Markdown: front matter ------------------------------------------------------------

def _read_markdown(path: Path, text: str) -> tuple[dict, list[Block], bool]:
    lines = text.split("\n")
    # Blank lines before the opening '---' are forgiven: read as Markdown, the front matter
    # would silently become a heading ("title: x" over '---' is a setext heading).
    start = next(n for n, line in enumerate(lines) if line.strip())
    if lines[start].rstrip() != "---":
        return {}, *_markdown_blocks(path, text, first_line=1)
    end = next((n for n in range(start + 1, len(lines)) if lines[n].rstrip() == "---"), None)
    if end is None:
        raise StatementError(f"{path}: line {start + 1}: the front matter opened with '---' is never closed; "
                         "add a line '---' where it ends")
    data = _parse_yaml(path, "\n".join(lines[start + 1 : end]), first_line=start + 2)
    fields = _front_matter_fields(f"{path}: front matter", data)
    return fields, *_markdown_blocks(path, "\n".join(lines[end + 1 :]), first_line=end + 2)


class _KeyGivenTwice(Exception):
    def __init__(self, key: str, line: int):  # line: 0-based, within the YAML
        super().__init__(key, line)
        self.key, self.line = key, line


@cache
def _front_matter_loader():
    """YAML's safe loader, but a key given twice is a mistake rather than the last one
    winning. (PyYAML is imported here, not at start-up: a .txt statement never needs it.)"""
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, str):  # other keys may be unhashable; YAML itself reports those
                    if key in seen:
                        raise _KeyGivenTwice(key, key_node.start_mark.line)
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_timestamp(self, node):
            """A date stays the text it was written as ("2024-03-18" is printed so); whether
            it is a real date is for _date to say, in a sentence, not for YAML in a traceback."""
            return self.construct_scalar(node)

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", FrontMatterLoader.construct_yaml_timestamp)
    return FrontMatterLoader


def _parse_yaml(path: Path, text: str, first_line: int) -> dict:
    import yaml

    try:
        data = yaml.load(text, Loader=_front_matter_loader())
    except _KeyGivenTwice as err:
        raise StatementError(f"{path}: front matter line {first_line + err.line}: {err.key!r} is given twice; "
                         "keep one") from None
    except yaml.MarkedYAMLError as err:
        mark, problem = err.problem_mark or err.context_mark, err.problem or err.context or "malformed"
        if err.context_mark and "quoted scalar" in (err.context or ""):
            # Point at where the quote opened, not where the text ran out.
            mark, problem = err.context_mark, "a quote opened on this line is never closed"
        place = f"front matter line {first_line + mark.line}" if mark else "front matter"  # mark.line is 0-based
        raise StatementError(f"{path}: {place}: YAML could not be read ({problem}); "
                         "check the quoting on that line") from err
    except yaml.YAMLError as err:
        raise StatementError(f"{path}: front matter: YAML could not be read ({err}); check the quoting") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StatementError(f"{path}: front matter: expected 'key: value' lines (like 'title: Homes, not rubble'), "
                         f"found a {_kind_of(data)}")
    return data


def _front_matter_fields(where: str, data: dict) -> dict:
    fields: dict = {}
    for key, value in data.items():
        name = KEY_ALIASES.get(key, key)
        if name not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS + tuple(KEY_ALIASES), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; remove it or rename it"
            raise StatementError(f"{where}: unknown key {key!r}{hint} (allowed: {', '.join(FRONT_MATTER_KEYS)})")
        if name in fields:
            raise StatementError(f"{where}: both 'organisation' and 'organization' are given; keep one")
        if name == "slogans":
            value = _slogans(where, value)
        elif name == "translation":
            value = _translation(where, value)
        elif name == "date":
            value = _date(where, value)
        else:
            value = _text(where, name, value)
        if value or name == "title":  # an empty subtitle is no subtitle; an empty title is a mistake
            fields[name] = value
    if "title" in fields and not fields["title"]:
        raise StatementError(f"{where}: 'title' is empty; write the title after 'title:' or remove the line")
    if "lang" in fields:
        _checked_language(f"{where}: 'lang'", fields["lang"])
    return fields


def _text(where: str, name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and (found := CONTROL.search(value)):  # a YAML escape ("\\0") can write one
        raise StatementError(f"{where}: {name}: {_control_problem(found.group())}")
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, (list, dict)):
        raise StatementError(f"{where}: {name!r} must be one line of text, not a {_kind_of(value)}; "
                         f"write it after '{name}:' (in quotes if it holds ': ')")
    raise StatementError(f"{where}: {name!r} was read as a {_kind_of(value)}, not text; put the value in quotes")


def date_problem(text: str) -> str | None:
    """What is wrong with a date as written, in words, or None. Free text ("Saturday 23
    March") is the writer's; a year-month-day must be in the calendar, and 01/05/2024
    means May in Manila and January in Chicago."""
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            dt.date(*(int(part) for part in text.split("-")))
        except ValueError:
            return f"{text} is not a date in the calendar (year-month-day); correct it"
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text):
        return f"{text} reads as different days in different countries; write 2024-05-01 or 1 May 2024"
    return None


def _date(where: str, value: object) -> str:
    """The date as written, unless date_problem finds one."""
    if value is None or isinstance(value, str):
        text = _clean(value or "")
        problem = date_problem(text)
        if problem:
            raise StatementError(f"{where}: date: {problem}")
        return text
    raise StatementError(f"{where}: 'date' must be a date like 2023-11-15, not a {_kind_of(value)}")


def _translation(where: str, value: object) -> Translation:
    """translation: {lang: ar, title: ..., slogans: [...]}"""
    example = "e.g. 'translation:' then indented 'lang: ar', 'title: ...', 'slogans:'"
    if not isinstance(value, dict):
        raise StatementError(f"{where}: 'translation' must hold lang, title and slogans ({example})")
    unknown = sorted(set(map(str, value)) - {"lang", "title", "slogans"})
    if unknown:
        raise StatementError(f"{where}: translation: unknown key {unknown[0]!r} (allowed: lang, title, slogans)")
    for key in ("lang", "title"):
        if not value.get(key):
            raise StatementError(f"{where}: translation: '{key}' is missing ({example})")
    lang = _text(where, "translation lang", value["lang"])
    _checked_language(f"{where}: translation 'lang'", lang)
    return Translation(lang, _text(where, "translation title", value["title"]), _slogans(where, value.get("slogans")))


def _slogans(where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise StatementError(f"{where}: 'slogans' must be a list (one \"- slogan\" per line)")
    slogans = []
    for number, slogan in enumerate(value, start=1):
        if isinstance(slogan, dict):
            raise StatementError(f"{where}: slogan {number} was read as 'key: value' because of its ': '; "
                             "put it in quotes")
        if not isinstance(slogan, str):
            raise StatementError(f"{where}: slogan {number} was read as a {_kind_of(slogan)}, not text; "
                             "put it in quotes")
        if found := CONTROL.search(slogan):
            raise StatementError(f"{where}: slogan {number}: {_control_problem(found.group())}")
        if not _clean(slogan):
            raise StatementError(f"{where}: slogan {number} is empty; write the slogan or remove its line")
        slogans.append(_clean(slogan))
    return tuple(slogans)


def _kind_of(value: object) -> str:
    kinds = [(bool, "yes/no value"), (int, "number"), (float, "number"), (list, "list"),
             (dict, "set of 'key: value' lines"), (dt.date, "date"), (str, "line of text")]
    return next((kind for cls, kind in kinds if isinstance(value, cls)), type(value).__name__)


# --- Markdown: body --------------------------------------------------------------------

class _NestedTooDeep(Exception):
    def __init__(self, line: int):  # line: 0-based, within the Markdown source
        super().__init__(line)
        self.line = line


def _too_deep(state, start_line: int, end_line: int, silent: bool) -> bool:
    """A block rule tried first on every line: past MARKDOWN_MAX_DEPTH it stops the parse
    (markdown-it itself would drop the rest of the container without a word)."""
    if state.level >= MARKDOWN_MAX_DEPTH:
        raise _NestedTooDeep(start_line)
    return False


def _markdown():
    # Text is data, never markup: raw HTML stays literal text, and so do entities (&amp;).
    from markdown_it import MarkdownIt  # imported here: a .txt statement never needs it

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MARKDOWN_NESTING})
    md.disable("entity")
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "handbill_too_deep", _too_deep)
    return md


def _markdown_blocks(path: Path, source: str, *, first_line: int) -> tuple[list[Block], bool]:
    """Paragraphs, headings and list items in order (blockquotes and rules flattened away),
    and whether the first of them is a "# heading" that opened the body. `first_line`: the
    file's line number of the source's first line, for messages."""
    try:
        tokens = _markdown().parse(source)
    except _NestedTooDeep as deep:
        raise StatementError(
            f"{path}: line {first_line + deep.line}: quotes ('>') and lists are nested too deep here "
            f"(over {MARKDOWN_MAX_DEPTH} levels, a list counting two); remove some of the '>' marks or indents"
        ) from None
    blocks: list[Block] = []
    items: list[list[Span]] = []  # the open list items, innermost last
    numbers: list[int | None] = []  # for each open list: the next item's number (None: bullets)
    kind = "paragraph"

    def emit(block_kind: str, spans: list[Span]) -> None:
        if items:  # inside a list item, everything joins that item's text
            items[-1].extend([Span(" "), *spans])
        elif tidy := _tidy(spans):
            blocks.append(Block(block_kind, tidy))

    def flush_item() -> None:
        if items and (tidy := _tidy(items[-1])):
            blocks.append(Block("bullet", tidy))
        if items:
            items[-1] = []

    opens_with_title = False
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            ordered = token.type == "ordered_list_open"
            numbers.append(int(token.attrGet("start") or 1) if ordered else None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif token.type == "list_item_open":
            flush_item()  # a nested list: the parent's text comes first, as its own bullet
            items.append([] if numbers[-1] is None else [Span(f"{numbers[-1]}. ")])
            if numbers[-1] is not None:
                numbers[-1] += 1
        elif token.type == "list_item_close":
            flush_item()
            items.pop()
        elif token.type in ("heading_open", "heading_close"):
            kind = "heading" if token.type == "heading_open" else "paragraph"
        elif token.type == "inline":
            emit(kind, _inline_spans(token.children or []))
            if index == 1 and tokens[0].tag == "h1":  # a "# heading" on the body's first line
                opens_with_title = len(blocks) == 1
        elif token.type in ("fence", "code_block"):  # e.g. paragraphs indented by four spaces
            for paragraph in re.split(r"\n[ \t]*\n", token.content):
                emit("paragraph", [Span(paragraph)])
    return blocks, opens_with_title


def _inline_spans(tokens: list) -> list[Span]:
    """Emphasis kept; links give their text, images their alt text, code its plain text."""
    spans: list[Span] = []
    bold = italic = 0
    for token in tokens:
        if token.type in ("strong_open", "strong_close"):
            bold += 1 if token.type == "strong_open" else -1
        elif token.type in ("em_open", "em_close"):
            italic += 1 if token.type == "em_open" else -1
        elif token.type in ("text", "text_special", "code_inline", "html_inline"):
            spans.append(Span(token.content, bold > 0, italic > 0))
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bold > 0, italic > 0))
        elif token.type == "image":
            alt = "".join(span.text for span in _inline_spans(token.children or []))
            spans.append(Span(alt, bold > 0, italic > 0))
        # link_open / link_close are markup only: the link's text comes as its own tokens
    return spans


def _tidy(spans: list[Span]) -> tuple[Span, ...]:
    """Whitespace collapsed and stripped at the edges, neighbours of one emphasis merged."""
    out: list[Span] = []
    for span in spans:
        text = WHITESPACE.sub(" ", span.text)
        if out and out[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        if out and (out[-1].bold, out[-1].italic) == (span.bold, span.italic):
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(replace(span, text=text))
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip(" "))
        out[-1] = replace(out[-1], text=out[-1].text.rstrip(" "))
    return tuple(span for span in out if span.text)


# --- describing ------------------------------------------------------------------------

def describe(statement: Statement) -> str:
    """A summary for `handbill inspect`: what was read, so an organiser can check it."""
    body = statement.body
    counts = {kind: sum(block.kind == kind for block in body) for kind in ("paragraph", "heading", "bullet")}
    words = sum(len(block.text.split()) for block in body)
    lines = [statement.title, "=" * min(len(statement.title), 72), ""]
    for label, value in [("Subtitle", statement.subtitle), ("Organisation", statement.organisation),
                         ("Date", statement.date), ("URL", statement.url), ("Language", statement.lang),
                         ("Excerpt", statement.excerpt), ("QR caption", statement.qr_caption),
                         ("Read from", statement.source)]:
        text = str(value) if value else "(none)"
        lines += textwrap.wrap(text, 76, initial_indent=f"{label + ':':<14}", subsequent_indent=" " * 14)
    summary = ", ".join(_count(n, kind) for kind, n in counts.items())
    lines += ["", f"Body: {summary}; {_count(words, 'word')}."]
    lines += ["", f"Slogans ({len(statement.slogans)}):" if statement.slogans else "Slogans: (none)"]
    lines += [f"  {slogan}" for slogan in statement.slogans]
    if statement.translation:
        t = statement.translation
        lines += ["", f"Translation ({t.lang}): {t.title}"] + [f"  {slogan}" for slogan in t.slogans]
    if body:
        lines += ["", "Body, block by block:"]
        width = len(str(len(body)))
        for number, block in enumerate(body, start=1):
            lines.append(f"  {number:>{width}}  {block.kind:<9}  {_shorten(block.text, 60)}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:  # end on a whole word when one is near
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
