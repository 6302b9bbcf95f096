"""The errors handbill reports to a person.

Every mistake a user can make (a bad statement, a bad layout, text that does not fit, a
character no font has) becomes a HandbillError carrying a Problem (problems.py) whose
sentence names the file, the place and the fix. The command line prints it without a
traceback; `--json` and the web service read the Problem itself.
"""

from __future__ import annotations

from .problems import Problem, from_message


class HandbillError(Exception):
    """A problem with the user's input or the work asked for; the message says what to do.

    Made from a Problem, or from a sentence (which becomes a Problem with the class's code,
    until the place that raises it gives it a code of its own)."""

    code = "error"

    def __init__(self, problem_or_message: Problem | str):
        if isinstance(problem_or_message, Problem):
            problem = problem_or_message
        else:
            problem = from_message(str(problem_or_message), code=self.code)
        super().__init__(str(problem))
        self.problem = problem

    def __reduce__(self):  # a batch worker's error crosses processes whole, with its code
        return type(self), (self.problem,)


class InputError(HandbillError):
    """A statement or layout file that cannot be used as it is."""

    code = "input"


class StatementError(InputError):
    """A statement that cannot be used as it is."""

    code = "statement"


class LayoutError(InputError):
    """A layout file that cannot be used as it is (or not on the paper asked for)."""

    code = "layout"


class TooLongError(HandbillError):
    """The text does not fit its area at the smallest size the layout allows."""

    code = "too-long"


class MissingGlyphError(HandbillError):
    """A character that none of the shipped fonts can draw."""

    code = "missing-glyph"
