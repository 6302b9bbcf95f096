"""Where the bundled fonts and layouts are, installed or in a source checkout."""

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def bundled_dir(name: str) -> Path:
    """The directory `assets` or `layouts`: inside the installed package (a wheel puts
    them there), or at the top of the source checkout (where they are kept)."""
    for base in (_HERE, _HERE.parent.parent):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"handbill is installed without its {name}/ directory; reinstall it")


def fonts_dir() -> Path:
    return bundled_dir("assets") / "fonts"


def layouts_dir() -> Path:
    return bundled_dir("layouts")
