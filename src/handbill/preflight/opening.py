"""Opening a foreign PDF, and the one way reading it can fail: UnreadablePdf.

What could stop a press before it starts (not a PDF at all, a password, a file too damaged
to parse) is said here in one sentence naming the file. qpdf (through pikepdf) repairs
what it can; what it repaired is collected (Repairs) so that the report can say the file
was damaged even when it could be read. Anything else that goes wrong while reading a
foreign file, even a fault of ours, also becomes "FILE is damaged (...)" (the boundary),
never a traceback.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf

from ..errors import HandbillError

EXPORT_AGAIN = "export it again as PDF from the program that made it"


class UnreadablePdf(HandbillError):
    """A file that is not a PDF, is damaged, or is encrypted."""


def label_of(source: str | Path | bytes, name: str = "") -> str:
    """What a file is called in messages: the name given, its file name, or "the PDF"."""
    return name or (Path(source).name if not isinstance(source, bytes) else "the PDF")


@contextmanager
def opened_pdf(source: str | Path | bytes, label: str) -> Iterator[pikepdf.Pdf]:
    """The PDF at `source` (a path or its bytes), open while the block runs; a file that
    cannot be opened, or is locked, raises UnreadablePdf saying why."""
    check_header(source, label)
    try:
        pdf = pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except pikepdf.PasswordError:
        raise UnreadablePdf(f"{label} is encrypted (password-protected); save it again without a password, since a print shop cannot preflight or print a locked file") from None
    except FileNotFoundError:
        raise UnreadablePdf(f"{label}: no such file; check the path") from None
    except IsADirectoryError:
        raise UnreadablePdf(f"{label} is a folder, not a PDF; give the path of the .pdf file") from None
    except pikepdf.PdfError as error:
        raise UnreadablePdf(f"{label} is damaged and cannot be read ({first_line(error)}); {EXPORT_AGAIN}") from None
    with pdf:
        if pdf.is_encrypted:
            raise UnreadablePdf(f"{label} is encrypted; save it again without a password or restrictions, since print shops refuse locked files")
        if len(pdf.pages) == 0:
            raise UnreadablePdf(f"{label} has no pages; {EXPORT_AGAIN}")
        yield pdf


@contextmanager
def damage_boundary(label: str) -> Iterator[None]:
    """Whatever fails inside the block becomes UnreadablePdf: "FILE is damaged (...)".

    The kinds of damage qpdf and malformed dictionaries cause are expected, and say only
    what was wrong. Anything else is unforeseen (a file shaped in a way no check here
    thought of, or a fault of ours): the user still gets one line, and the original error
    stays attached as the cause, for `--debug` and for the tests that look for such faults.
    Our own HandbillErrors (UnreadablePdf among them) already say what to do and pass on.
    """
    try:
        yield
    except HandbillError:
        raise
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise UnreadablePdf(damaged(label, error)) from None
    except Exception as error:  # the boundary: never a traceback for a foreign file
        raise UnreadablePdf(damaged(label, error)) from error


def damaged(label: str, error: BaseException) -> str:
    return f"{label} is damaged ({first_line(error)}); {EXPORT_AGAIN}"


def check_header(source: str | Path | bytes, label: str) -> None:
    """A file that does not even start like a PDF gets a plainer message than a parser's."""
    if isinstance(source, bytes):
        head = source[:1024]
    else:
        try:
            with open(source, "rb") as file:
                head = file.read(1024)
        except FileNotFoundError:
            raise UnreadablePdf(f"{label}: no such file; check the path") from None
        except IsADirectoryError:
            raise UnreadablePdf(f"{label} is a folder, not a PDF; give the path of the .pdf file") from None
    if b"%PDF-" not in head:
        kind = "an empty file" if not head else "not a PDF"
        raise UnreadablePdf(f"{label} is {kind}; export or save it as PDF first")


def first_line(error: BaseException) -> str:
    """An error's message, short: its first line, without the file's path qpdf puts first
    (the caller names the file), or the error's kind when it has no message."""
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return line.split(": ", 1)[-1][:160]


class Repairs:
    """qpdf's warnings (what it had to repair), collected as they come: get_warnings()
    hands each out only once, and a page needs to know which came from its content."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.said: list[str] = []

    def take(self) -> list[str]:
        """The warnings since the last call, without the file and object qpdf puts first."""
        fresh = [w.split(": ", 1)[-1] for w in self.pdf.get_warnings()]
        self.said.extend(fresh)
        return fresh

    def in_order(self) -> list[str]:
        """All of them, the most telling first."""
        return sorted(self.said, key=lambda w: w == "file is damaged")
