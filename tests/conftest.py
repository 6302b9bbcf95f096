"""Shared fixtures: the project's own sample statement, written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "river-homes.md"
SAMPLE_URL = "https://example.org/statements/river-homes"


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE


def photo_layout(folder: Path, picture, *, band: str | None = None) -> Path:
    """An A5 layout in `folder` placing `picture` (a PIL image, saved beside it) 50 mm
    square at the top left, over a full-width band of colour `band` if given, with a
    headline below: the smallest layout that prints an image."""
    picture.save(folder / "picture.png")
    shape = f'[[block]]\nrole = "shape"\narea = {{ x = "0%", y = "0%", w = "100%", h = "50%" }}\nfill = "{band}"\n' if band else ""
    layout = folder / "photo.toml"
    layout.write_text(f'''
[page]
size = "A5"
{shape}
[[block]]
role = "image"
src = "picture.png"
area = {{ x = "0%", y = "0%", w = "50mm", h = "50mm" }}
[[block]]
role = "headline"
area = {{ x = "0%", y = "60%", w = "100%", h = "30%" }}
''', encoding="utf-8")
    return layout
