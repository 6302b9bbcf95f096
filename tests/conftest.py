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
