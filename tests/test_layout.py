"""Layouts: every bundled one loads, and every kind of mistake in a layout file is one
sentence naming the file, the block and the key."""

from __future__ import annotations

import pytest

from handbill.cli import main
from handbill.errors import InputError
from handbill.layout import bundled_layouts, find_layout, load_layout
from handbill.resources import layouts_dir
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

BUNDLED = sorted(path.stem for path in layouts_dir().glob("*.toml"))

HEAD = """\
name = "test"
description = "a layout written by the tests"

[page]
size = "A4"
margin = "10mm"
"""

HEADLINE = """
[[block]]
role = "headline"
area = { x = "0%", y = "0%", w = "100%", h = "20%" }
"""

SLOGANS = """
[[block]]
role = "slogans"
area = { x = "0%", y = "70%", w = "100%", h = "30%" }
"""


def body(extra: str = "", area: str = '{ x = "0%", y = "25%", w = "100%", h = "40%" }') -> str:
    return f"""
[[block]]
role = "body"
area = {area}
{extra}
"""


def write(tmp_path, text: str, name: str = "bad.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_layout(path)
    message = str(caught.value)
    assert "\n" not in message, f"the message is more than one line: {message!r}"
    assert message.startswith(str(path)), f"the message does not name the file: {message!r}"
    return message


# --- the bundled layouts --------------------------------------------------------------


def test_the_required_layouts_are_bundled():
    assert {"a4-leaflet", "a3-poster", "a3-placard"} <= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_layout_loads_and_describes_itself(name):
    layout = find_layout(name)
    assert layout.name == name
    assert layout.description
    assert {"headline", "body", "slogans"} & {block.role for block in layout.blocks}


def test_handbill_layouts_lists_every_bundled_layout_with_its_description(capsys):
    assert main(["layouts"]) == 0
    out = capsys.readouterr().out
    for layout in bundled_layouts():
        line = next(line for line in out.splitlines() if line.split()[0] == layout.name)
        assert layout.description in line


# --- a good layout and its defaults ---------------------------------------------------


def test_a_small_layout_loads_with_a_3mm_bleed_10mm_margin_and_a4_paper_by_default(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + HEADLINE + body() + SLOGANS, "good.toml"))
    assert [block.role for block in layout.blocks] == ["headline", "body", "slogans"]
    assert layout.bleed_mm == 3
    assert layout.margin_mm == 10
    assert (layout.paper.width_mm, layout.paper.height_mm) == (210, 297)


def test_headline_and_slogans_default_to_the_display_font_and_body_to_the_text_font(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + HEADLINE + body() + SLOGANS, "good.toml"))
    fonts = {block.role: block.font for block in layout.blocks}
    assert fonts == {"headline": "display", "body": "text", "slogans": "display"}


def test_body_text_defaults_to_100_percent_black(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + body(), "good.toml"))
    assert layout.blocks[0].color == (0, 0, 0, 1)


@pytest.mark.parametrize(("size", "module"), [("A3", 1.0), ("A4", 0.5), ("A5", 0.5)])
def test_a_qr_module_defaults_to_1mm_on_posters_and_half_a_mm_on_leaflets(tmp_path, size, module):
    qr = '\n[[block]]\nrole = "qr"\narea = { x = "70%", y = "70%", w = "30%", h = "30%" }\n'
    layout = load_layout(write(tmp_path, HEAD.replace('"A4"', f'"{size}"') + body() + qr, "good.toml"))
    assert layout.blocks_with_role("qr")[0].module_mm == module
    assert layout.blocks_with_role("qr")[0].error_correction == "M"


def test_the_theme_always_has_ink_and_paper(tmp_path):
    text = HEAD + '\n[theme]\naccent = "cmyk(0,95,90,0)"\n' + body()
    layout = load_layout(write(tmp_path, text, "good.toml"))
    assert layout.theme["ink"] == (0, 0, 0, 1)
    assert layout.theme["paper"] == (0, 0, 0, 0)
    assert layout.theme["accent"] == pytest.approx((0, 0.95, 0.9, 0))


def test_a_theme_colour_is_used_by_name(tmp_path):
    text = HEAD + '\n[theme]\naccent = "cmyk(0,95,90,0)"\n' + HEADLINE + 'color = "accent"\n' + body()
    layout = load_layout(write(tmp_path, text, "good.toml"))
    assert layout.blocks[0].color == pytest.approx((0, 0.95, 0.9, 0))


# --- every kind of mistake -------------------------------------------------------------

MISTAKES = {
    "unknown key, with a suggestion": (
        HEAD + HEADLINE + body('colour = "ink"'),
        ["block 2 (body", "'colour'", "did you mean 'color'?"],
    ),
    "unknown key at the top": (HEAD.replace("name =", "nmae =") + body(), ["top level", "'nmae'", "did you mean 'name'?"]),
    "unknown key in the page": (HEAD.replace("margin =", "margins =") + body(), ["[page]", "'margins'", "'margin'"]),
    "unknown role": (
        HEAD + body() + '\n[[block]]\nrole = "headlin"\narea = { x = "0%", y = "0%", w = "100%", h = "10%" }\n',
        ["block 2", "role", "'headlin'", "did you mean 'headline'?"],
    ),
    "block without a role": (HEAD + body() + '\n[[block]]\narea = { x = "0%", y = "0%", w = "10%", h = "10%" }\n', ["block 2", "no role"]),
    "area off the page": (
        HEAD + HEADLINE + body(area='{ x = "50%", y = "25%", w = "60%", h = "40%" }'),
        ["block 2 (body", "area", "runs off", "x + w at most 100%"],
    ),
    "area off the page in mm": (
        HEAD + HEADLINE + body(area='{ x = "0mm", y = "250mm", w = "100%", h = "40mm" }'),
        ["block 2 (body", "area", "runs off"],
    ),
    "area missing a key": (
        HEAD + HEADLINE + body(area='{ x = "0%", y = "25%", w = "100%" }'),
        ["block 2 (body", "area lacks h"],
    ),
    "area with an unknown key": (
        HEAD + HEADLINE + body(area='{ x = "0%", y = "25%", w = "100%", h = "10%", z = "1%" }'),
        ["block 2 (body", "area", "'z'"],
    ),
    "no area": (HEAD + '\n[[block]]\nrole = "body"\n', ["block 1 (body", "no area"]),
    "RGB colour": (HEAD + HEADLINE + body('color = "rgb(255,0,0)"'), ["block 2 (body", "color", "CMYK, not RGB"]),
    "hex colour": (HEAD + HEADLINE + body('color = "#ff0000"'), ["block 2 (body", "color", "CMYK, not RGB"]),
    "unknown theme colour": (
        HEAD + '\n[theme]\naccent = "cmyk(0,95,90,0)"\n' + HEADLINE + body('color = "accnet"'),
        ["block 2 (body", "color", "'accnet'", "not a theme colour", "did you mean 'accent'?"],
    ),
    "bad theme colour": (HEAD + '\n[theme]\naccent = "red"\n' + body(), ["[theme]", "accent", "not a colour"]),
    "bad length unit": (
        HEAD + HEADLINE + body(area='{ x = "0%", y = "25%", w = "100px", h = "40%" }'),
        ["block 2 (body", "area.w", "100px", "mm, cm, in, pt or %"],
    ),
    "a length without a unit": (HEAD.replace('"10mm"', "10") + body(), ["[page]", "margin", "no unit", '"10mm"']),
    "size.min larger than size.max": (
        HEAD + HEADLINE + body('size = { min = "12pt", max = "9pt" }'),
        ["block 2 (body", "size.min (12pt) is larger than size.max (9pt)"],
    ),
    "no headline, body or slogans": (
        HEAD + '\n[[block]]\nrole = "footer"\narea = { x = "0%", y = "90%", w = "100%", h = "10%" }\n',
        ["headline, body or slogans"],
    ),
    "no blocks at all": (HEAD, ["no blocks"]),
    "text block without text": (
        HEAD + body() + '\n[[block]]\nrole = "text"\narea = { x = "0%", y = "0%", w = "100%", h = "10%" }\n',
        ["block 2 (text", "text = "],
    ),
    "shape without fill": (
        HEAD + body() + '\n[[block]]\nrole = "shape"\narea = { x = "0%", y = "0%", w = "100%", h = "10%" }\n',
        ["block 2 (shape", "fill"],
    ),
    "repeat slogans without a slogans block": (
        'repeat = "slogans"\n' + HEAD + HEADLINE,
        ["repeat", "slogans block"],
    ),
    "a choice not allowed": (HEAD + HEADLINE + body('align = "centre"'), ["block 2 (body", "align", "did you mean 'center'?"]),
    "a key of the wrong type": (HEAD + HEADLINE + body("columns = \"2\""), ["block 2 (body", "columns", "whole number"]),
    "unknown paper": (HEAD.replace('"A4"', '"A44"') + body(), ["[page]", "size", "A44", "not a paper size"]),
}


@pytest.mark.parametrize("kind", list(MISTAKES))
def test_every_mistake_is_one_line_naming_the_file_the_block_and_the_key(tmp_path, kind):
    text, expected = MISTAKES[kind]
    message = error_for(tmp_path, text)
    for part in expected:
        assert part in message, f"{kind}: {part!r} is not in {message!r}"


def test_a_block_mistake_names_the_line_of_its_block(tmp_path):
    text = HEAD + HEADLINE + body('colour = "ink"')
    line = text.splitlines().index("[[block]]", text.splitlines().index("[[block]]") + 1) + 1
    assert f"line {line}" in error_for(tmp_path, text)


def test_a_toml_syntax_error_names_the_line(tmp_path):
    text = HEAD + HEADLINE + 'size = { min = "8pt", max = \n'
    message = error_for(tmp_path, text)
    line = len(text.splitlines())
    assert "not valid TOML" in message
    assert f"line {line}" in message


def test_a_missing_layout_file_is_named(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(InputError, match="no such layout file") as caught:
        find_layout(str(path))
    assert str(path) in str(caught.value)


def test_an_unknown_bundled_name_suggests_the_closest():
    with pytest.raises(InputError) as caught:
        find_layout("a4-leaflt")
    message = str(caught.value)
    assert "no layout named 'a4-leaflt'" in message
    assert "did you mean 'a4-leaflet'?" in message
    assert "\n" not in message


# --- the command line ------------------------------------------------------------------

STATEMENT = """\
---
title: Rivers Are Not Dumps
url: https://example.org/rivers
slogans:
  - Clean rivers now!
---

We ask the city to stop the dumping upstream of the homes by the river.
"""


@pytest.mark.parametrize("kind", ["unknown key, with a suggestion", "area off the page", "RGB colour", "shape without fill"])
def test_a_bad_layout_on_the_command_line_is_one_line_and_exit_1(tmp_path, capsys, kind):
    layout = write(tmp_path, MISTAKES[kind][0])
    statement = tmp_path / "rivers.md"
    statement.write_text(STATEMENT, encoding="utf-8")
    code = main(["build", str(statement), "--layout", str(layout), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("handbill: error: ")
    assert str(layout) in lines[0]
    assert "Traceback" not in captured.err
    assert not list(tmp_path.rglob("*.pdf"))  # a failed build leaves no PDF


def test_small_paper_without_a_margin_is_one_line_not_a_traceback(tmp_path):
    text = '[page]\nsize = "25 x 30 mm"\n' + body(area='{ x = "0%", y = "0%", w = "100%", h = "100%" }')
    message = error_for(tmp_path, text)
    assert "[page]" in message and "margin" in message


def test_a_size_with_only_a_max_below_the_roles_smallest_is_that_one_size(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + body('size = { max = "6pt" }'), "good.toml"))
    assert (layout.blocks[0].size.min, layout.blocks[0].size.max) == (6, 6)


def test_a_size_with_only_a_min_keeps_the_roles_largest(tmp_path):
    layout = load_layout(write(tmp_path, HEAD + body('size = { min = "9pt" }'), "good.toml"))
    assert (layout.blocks[0].size.min, layout.blocks[0].size.max) == (9, 11)


def test_a_layout_can_add_a_font_which_joins_the_end_of_every_chain(tmp_path):
    from handbill import fonts
    from handbill.compose import compose
    from handbill.statement import read_statement
    from conftest import SAMPLE

    (tmp_path / "fonts").mkdir()
    face = tmp_path / "fonts" / "Extra.ttf"
    face.write_bytes((fonts.fonts_dir() / "noto-sans-thai" / "NotoSansThai-Regular.ttf").read_bytes())
    path = write(tmp_path, 'fonts = ["fonts/Extra.ttf"]\n' + body(), name="with-font.toml")
    layout = load_layout(path)
    assert layout.fonts == (face,)
    compose(read_statement(SAMPLE), layout, fonts=FONTS)
    assert FONTS.with_files(layout.fonts).chain("text")[-1].path == face.resolve()
    assert all(one.path != face.resolve() for one in FONTS.chain("text"))  # for that layout only


def test_a_layout_font_that_is_no_font_names_the_layout_and_its_key(tmp_path, capsys):
    """A file that is there but is no TrueType font was named alone (it came from
    --font, or from which layout?); from the command line it also built nothing."""
    from conftest import SAMPLE

    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "Extra.ttf").write_text("not a font", encoding="utf-8")
    path = write(tmp_path, 'fonts = ["fonts/Extra.ttf"]\n' + body(), name="with-font.toml")
    assert main(["build", str(SAMPLE), "--layout", str(path), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"handbill: error: {path}: top level: fonts: ") and "not a TrueType font" in error
    assert "\n" not in error and not (tmp_path / "out").exists()


def test_a_layout_font_that_is_not_there_is_named(tmp_path):
    message = error_for(tmp_path, 'fonts = ["fonts/Nowhere.ttf"]\n' + body())
    assert "top level: fonts: no such font file 'fonts/Nowhere.ttf'" in message
    (tmp_path / "fonts").mkdir()
    message = error_for(tmp_path, 'fonts = ["fonts"]\n' + body())
    assert "top level: fonts: 'fonts' is a folder, not a font file; give the path of a .ttf file in it" in message
