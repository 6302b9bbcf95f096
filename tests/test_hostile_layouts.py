"""Hostile and careless layout files (issue 15): numbers that overflow, nan, absurd
gutters and rules, deep nesting, a BOM; each one sentence naming the file, the block, the
key and the fix, never a traceback."""

from __future__ import annotations

import pytest

from handbill.errors import InputError
from handbill.layout import load_layout

from test_layout import HEAD, HEADLINE, body, error_for, write

HUGE = "1" + "0" * 400  # a float of it is infinity


def shape(extra: str) -> str:
    return f"""
[[block]]
role = "shape"
fill = "ink"
area = {{ x = "0%", y = "90%", w = "100%", h = "5%" }}
{extra}
"""


def qr(extra: str) -> str:
    return f"""
[[block]]
role = "qr"
area = {{ x = "60%", y = "70%", w = "40%", h = "30%" }}
{extra}
"""


@pytest.mark.parametrize("text, key", [
    (HEAD + HEADLINE + body(f'size = {{ min = "8pt", max = "{HUGE}pt" }}'), "size.max"),
    (HEAD + HEADLINE + body(f'size = "{HUGE}pt"'), "size"),
    (HEAD + HEADLINE + shape(f'shape = "rule"\nstroke = "{HUGE}pt"'), "stroke"),
    (HEAD + HEADLINE + qr(f'module = "{HUGE}mm"'), "module"),
    (HEAD + HEADLINE + body(f'gutter = "{HUGE}mm"'), "gutter"),
])
def test_a_number_that_overflows_to_infinity_is_one_sentence_naming_the_block_and_key(tmp_path, text, key):
    message = error_for(tmp_path, text)
    assert "block" in message and key in message, message
    assert "too large" in message, message
    assert "inf" not in message.replace("infinity", ""), message


@pytest.mark.parametrize("text, key", [
    (HEAD + HEADLINE + body("size = nan"), "size"),
    (HEAD + HEADLINE + body("size = { min = nan, max = \"11pt\" }"), "size.min"),
    (HEAD + HEADLINE + body("gutter = nan"), "gutter"),
    (HEAD + HEADLINE + body("size = inf"), "size"),
    (HEAD + HEADLINE + qr("module = -inf"), "module"),
])
def test_nan_and_inf_sizes_are_not_a_number_and_never_write_nanmm(tmp_path, text, key):
    message = error_for(tmp_path, text)
    assert "block" in message and key in message, message
    assert "nanmm" not in message and "infmm" not in message and "nanpt" not in message, message
    assert "not a number" in message and '"12' in message, message


@pytest.mark.parametrize("gutter", ["-5mm", "5000mm", "-0.1mm"])
def test_a_negative_or_huge_gutter_is_refused_naming_the_block(tmp_path, gutter):
    message = error_for(tmp_path, HEAD + HEADLINE + body(f'columns = 2\ngutter = "{gutter}"'))
    assert "block 2 (body" in message and "gutter" in message and "mm" in message, message


def test_the_bundled_gutters_and_a_gutter_of_zero_are_fine(tmp_path):
    for gutter in ("0mm", "6mm", "12mm"):
        load_layout(write(tmp_path, HEAD + HEADLINE + body(f'columns = 2\ngutter = "{gutter}"')))


@pytest.mark.parametrize("stroke", ["100000pt", "0pt", "-1pt", "200mm"])
def test_a_rule_thicker_than_its_area_or_of_no_thickness_is_refused(tmp_path, stroke):
    message = error_for(tmp_path, HEAD + HEADLINE + body() + shape(f'shape = "rule"\nstroke = "{stroke}"'))
    assert "block 3 (shape" in message and "stroke" in message, message


def test_a_rule_as_thick_as_its_area_is_fine(tmp_path):
    # 5 % of the 277 mm safe height of A4 is 13.85 mm, 39.26 pt
    load_layout(write(tmp_path, HEAD + HEADLINE + body() + shape('shape = "rule"\nstroke = "39pt"')))


def test_arrays_nested_100000_deep_are_one_sentence_not_a_recursion_error(tmp_path):
    text = HEAD + HEADLINE + body("size = " + "[" * 100_000 + "]" * 100_000)
    message = error_for(tmp_path, text)
    assert "nested" in message, message


def test_a_layout_saved_with_a_utf8_bom_is_read(tmp_path):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + HEADLINE + body()).encode("utf-8"))
    layout = load_layout(path)
    assert layout.name == "test" and len(layout.blocks) == 2
