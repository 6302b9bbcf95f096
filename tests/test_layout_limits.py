"""Limits on layouts, stated once in handbill.limits (issue 15): a layout of 10,000 blocks, a
block on page 100,000,000, or a poster cut into 4,000 tiles is refused at once in one
sentence naming the limit, instead of building for minutes."""

from __future__ import annotations

import time

import pytest

from handbill.cli import main
from handbill.limits import MAX_BLOCKS, MAX_PAGE, MAX_TILES
from handbill.layout import load_layout

from test_layout import HEAD, HEADLINE, body, error_for, write


def test_the_limits_are_generous_for_every_bundled_layout():
    from handbill.layout import bundled_layouts
    for layout in bundled_layouts():
        assert len(layout.blocks) * 10 <= MAX_BLOCKS and layout.page_count * 10 <= MAX_PAGE


def test_a_layout_of_10000_blocks_is_refused_at_once_naming_the_limit(tmp_path):
    started = time.monotonic()
    message = error_for(tmp_path, HEAD + HEADLINE * 10_000)
    assert time.monotonic() - started < 5
    assert "10000 blocks" in message and f"at most {MAX_BLOCKS}" in message, message


def test_a_layout_of_as_many_blocks_as_the_limit_loads(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + HEADLINE * MAX_BLOCKS))
    assert len(layout.blocks) == MAX_BLOCKS


@pytest.mark.parametrize("page", [100_000_000, 100_000, MAX_PAGE + 1])
def test_a_block_on_page_100000000_is_refused_naming_the_block_and_the_limit(tmp_path, page):
    message = error_for(tmp_path, HEAD + HEADLINE + body(f"page = {page}"))
    assert "block 2 (body" in message and f"page = {page}" in message and f"at most {MAX_PAGE}" in message, message


def test_a_block_on_the_last_page_allowed_loads(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + HEADLINE + body(f"page = {MAX_PAGE}")))
    assert layout.page_count == MAX_PAGE


def test_a_poster_of_4000_tiles_is_refused_at_once_naming_the_limit(sample, tmp_path, capsys):
    started = time.monotonic()
    code = main(["build", str(sample), "--layout", "a3-poster", "--size", "5000 x 5000 mm", "--tile", "A7",
                 "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert time.monotonic() - started < 20
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert f"at most {MAX_TILES}" in err and "A7" in err and "sheets" in err, err
    assert not list(tmp_path.iterdir())
