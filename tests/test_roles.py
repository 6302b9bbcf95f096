"""The one table of block roles (roles.py): the layout reference is made from it, layout
validation and compose's dispatch follow it, and a role's text function runs only for a
block of that role, so what it notes is said once."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbill.build import build
from handbill.compose import _PLACERS, compose
from handbill.layout import find_layout, load_layout
from handbill.roles import KEY_DOCS, ROLES, doc_with_tables
from handbill.statement import read_statement
from handbill.fonts import FontSet

FONTS = FontSet.bundled()  # the bundled fonts: what a build without --font sets with

DOCS = Path(__file__).parent.parent / "docs" / "layout-format.md"
GAZA = Path(__file__).parent / "data" / "statements" / "ilps-ap-gaza-2023.txt"


def test_the_layout_reference_holds_the_tables_made_from_the_role_table():
    text = DOCS.read_text(encoding="utf-8")
    assert doc_with_tables(text) == text, "run: python -m handbill.roles docs/layout-format.md"


def test_every_key_a_role_allows_is_documented_for_that_role_and_no_other():
    documented: dict[str, set[str]] = {}
    for key, roles, _, _ in KEY_DOCS:
        documented.setdefault(key, set()).update(roles)
    allowed: dict[str, set[str]] = {}
    for name, role in ROLES.items():
        for key in role.keys:
            allowed.setdefault(key, set()).add(name)
    assert documented == allowed


def test_every_role_has_a_placer_and_every_text_role_a_text_function():
    for name, role in ROLES.items():
        assert role.placer == "body" or role.placer in _PLACERS, name
        assert (role.texts is not None) == (role.placer == "text"), name
        assert (role.size is not None) == ("size" in role.keys), name
        assert set(role.required) <= set(role.keys), name
        assert (role.translated is not None) == ("translation" in role.keys), name
        assert (role.picture is not None) == (role.placer == "image"), name


@pytest.mark.parametrize("layout", ["a4-leaflet", "a3-poster"])
def test_the_slogan_that_is_also_the_title_is_noted_once_per_document(layout):
    """Before: the eager dict of text functions ran the slogans' for every text block, so
    the note came 4 times on the leaflet and 6 on the poster, each naming another block."""
    statement = read_statement(GAZA, url="https://example.org/gaza")
    composition = compose(statement, find_layout(layout), fonts=FONTS)
    said = [notice for notice in composition.notices if notice.code == "slogan-is-title"]
    assert len(said) == 1, [str(notice) for notice in said]
    assert "(slogans)" in said[0].where


def test_the_gaza_kit_builds_with_one_note_each_about_the_title_slogan(tmp_path):
    for built in build(GAZA, out_dir=tmp_path, url="https://example.org/gaza"):
        assert [n.code for n in built.notices].count("slogan-is-title") == 1, built.notices


def test_a_role_only_reads_what_its_own_text_function_gives(tmp_path):
    """A footer with neither organisation nor date is left out with a notice naming the
    footer alone (not, as before, every text block that ran the footer's function)."""
    statement = read_statement(GAZA, url="https://example.org/gaza")
    composition = compose(statement, find_layout("a4-leaflet"), fonts=FONTS)
    left_out = [notice for notice in composition.notices if notice.code == "left-out"]
    assert [notice.where for notice in left_out] == ["a4-leaflet block 7 (footer)"]


def test_a_layout_mistake_is_a_problem_with_the_file_and_block_as_its_place(tmp_path):
    from handbill.errors import InputError

    path = tmp_path / "bad.toml"
    path.write_text('[[block]]\nrole = "headline"\narea = { x = "0%", y = "0%", w = "100%", h = "20%" }\ncolumns = 2\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_layout(path)
    problem = refused.value.problem
    assert (problem.code, problem.where) == ("layout", f"{path}: block 1 (headline, line 1)")
    assert str(problem).startswith(f"{path}: block 1 (headline, line 1): unknown key 'columns'")
