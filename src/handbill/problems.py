"""Problems as data: one value for a build's errors, its notices and the preflight's findings.

A Problem is what went wrong (or what a person should know), where, and what to do. The
command line prints `str(problem)`, the sentence handbill has always printed; `--json` and
the web service read `problem.as_dict()`, and tests look at `problem.code` rather than at
the words, which may be improved without breaking anyone.

`message` is the whole sentence a person reads, the place named in it as people say it
("a4-leaflet block 5 (slogans): ..."); `where` is that place alone, for a program (empty
when the sentence names no place it could point at); `fix` is what to do, written after
the message with "; " when the message does not already say it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str  # stable, for programs: "slogan-is-title", "duplicate-output", ...
    where: str  # the file, block or line it is about, for programs; "" for none
    message: str  # the sentence a person reads, naming the place
    fix: str = ""  # what to do; "" when the message already says it (or nothing can be done)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:  # a typo here would hide an error as a note
            raise ValueError(f"severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")

    def __str__(self) -> str:
        return f"{self.message}; {self.fix}" if self.fix else self.message

    def as_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "where": self.where,
                "message": self.message, "fix": self.fix, "text": str(self)}


def error(code: str, where: str, message: str, fix: str = "") -> Problem:
    return Problem("error", code, where, message, fix)


def warning(code: str, where: str, message: str, fix: str = "") -> Problem:
    return Problem("warning", code, where, message, fix)


def note(code: str, where: str, message: str, fix: str = "") -> Problem:
    return Problem("note", code, where, message, fix)


def from_finding(finding, *, file: str = "") -> Problem:
    """A preflight Finding (preflight/checks.py) as a Problem: its page becomes the place,
    its advice the sentence, as the build prints a warning ("page 2: ...")."""
    page = f"page {finding.page}" if finding.page else ""
    where = ", ".join(part for part in (file, page) if part)
    message = f"{page}: {finding.advice}" if page else finding.advice
    return Problem(finding.severity, finding.code, where, message)


def from_message(message: str, severity: Severity = "error", code: str = "") -> Problem:
    """A sentence that was never split into parts (most errors, for now) as a Problem."""
    return Problem(severity, code or severity, "", message)


def did_you_mean(word: object, choices) -> str:
    """What ends a sentence about a word that is not one of `choices`: the nearest choice
    ("; did you mean 'tile'?"), else all of them."""
    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; use one of: {', '.join(map(str, choices))}"
