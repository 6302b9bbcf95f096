"""The errors handbill reports to a person.

Every mistake a user can make (a bad statement, a bad layout, text that does not fit, a
character no font has) becomes a HandbillError whose message is one sentence that names
the file, the place and the fix. The command line prints it without a traceback.
"""


class HandbillError(Exception):
    """A problem with the user's input or the work asked for; the message says what to do."""


class InputError(HandbillError):
    """A statement or layout file that cannot be used as it is."""


class TooLongError(HandbillError):
    """The text does not fit its area at the smallest size the layout allows."""


class MissingGlyphError(HandbillError):
    """A character that none of the shipped fonts can draw."""
