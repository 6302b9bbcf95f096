"""Statement: what is said. Read from Markdown with front matter, or from plain text.

A Statement knows nothing of pages. Its text is data, never markup: whatever the file
holds (`<b>`, `&amp;`) is printed literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

    @property
    def name(self) -> str:
        """The stem output files are named after."""
        return self.source.stem if self.source else "statement"
