"""build, end to end: what any statement gets (a kit even without slogans, every part of it
printed or said not to be), and that a failed build leaves no PDF behind, not even the
stale one of an earlier run."""

from __future__ import annotations

import pytest

from conftest import SAMPLE
from handbill.build import build
from handbill.errors import InputError
from handbill.options import BuildOptions

GOOD_LAYOUT = '''
name = "tiny"
[page]
size = "A6"
[[block]]
role = "headline"
area = { x = "0%", y = "0%", w = "100%", h = "30%" }
'''


def test_a_layout_that_no_longer_loads_removes_the_pdf_it_made_before(tmp_path):
    layout = tmp_path / "tiny.toml"
    layout.write_text(GOOD_LAYOUT, encoding="utf-8")
    (first,) = build(SAMPLE, BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    assert first.path.exists()
    layout.write_text(GOOD_LAYOUT.replace("[page]", "[page"), encoding="utf-8")  # a syntax error
    with pytest.raises(InputError, match="not valid TOML"):
        build(SAMPLE, BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    assert not first.path.exists()


def test_a_statement_that_no_longer_reads_removes_the_pdfs_it_made_before(tmp_path):
    statement = tmp_path / "call.md"
    statement.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    built = build(statement, out_dir=tmp_path / "out")
    assert all(b.path.exists() for b in built)
    statement.write_text("---\ntitle: [unclosed\n---\nWe stand together.\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML"):
        build(statement, out_dir=tmp_path / "out")
    assert not any(b.path.exists() for b in built)


def test_a_second_statement_file_gives_the_bilingual_posters_other_language(tmp_path):
    from readback import squeeze, text

    first = tmp_path / "en.md"
    first.write_text("---\ntitle: Homes, not rubble!\nurl: https://example.org/h\nlang: en\nslogans:\n"
                     "  - Housing is a right!\n---\n\nWe stand together.\n", encoding="utf-8")
    second = tmp_path / "fil.md"
    second.write_text("---\ntitle: Tahanan, hindi guho!\nlang: fil\nslogans:\n  - Karapatan ang pabahay!\n"
                      "---\n\nMagkaisa tayo.\n", encoding="utf-8")
    (poster,) = build(first, BuildOptions(layouts=["a3-poster-bilingual"], translation=second), out_dir=tmp_path / "out")
    printed = squeeze(text(poster.path)).casefold()
    for words in ("Homes, not rubble!", "Housing is a right!", "Tahanan, hindi guho!", "Karapatan ang pabahay!"):
        assert squeeze(words).casefold() in printed
    assert not [notice for notice in poster.notices if "translat" in str(notice)]


def test_an_out_folder_that_is_a_file_is_one_sentence(tmp_path):
    taken = tmp_path / "out"
    taken.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match=r"--out .*out: is a file, not a folder"):
        build(SAMPLE, out_dir=taken)


def test_a_statement_with_only_a_title_and_a_url_gets_the_kit_with_a_note_for_the_slogans(tmp_path):
    path = tmp_path / "pay.md"
    path.write_text("---\ntitle: Pay the wages now\nurl: https://example.org/pay\n---\n\nWe are owed three months.\n",
                    encoding="utf-8")
    leaflet, poster = build(path, out_dir=tmp_path / "out")
    for built in (leaflet, poster):
        assert built.path.exists()
        assert any(n.code == "left-out" and n.where.endswith("(slogans)") and "no slogans" in n.message for n in built.notices)


def test_every_part_of_the_statement_is_printed_or_said_not_to_be(tmp_path):
    from readback import squeeze, text

    leaflet, poster = build(SAMPLE, out_dir=tmp_path / "out")
    subtitle = "No evictions without a place to live"
    assert squeeze(subtitle).casefold() in squeeze(text(poster.path)).casefold()  # the poster prints it
    assert "a4-leaflet has no subtitle block: the statement's subtitle is not printed" in map(str, leaflet.notices)
    assert [n.code for n in leaflet.notices] == ["not-printed"]
    (bilingual_less,) = build(SAMPLE, BuildOptions(layouts=["a4-leaflet"], translation=SAMPLE), out_dir=tmp_path / "two")
    assert "a4-leaflet has no translation block: the statement's translation is not printed" in map(str, bilingual_less.notices)


def test_from_the_command_line_too_a_statement_that_no_longer_reads_removes_the_pdfs_it_made_before(tmp_path, capsys):
    """Before: the CLI always passed an Arrangement, which build took for a re-arranged
    build, so the stale leaflet and poster stayed behind to be taken for new ones."""
    from handbill.cli import main

    statement = tmp_path / "call.md"
    statement.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", str(statement), "--out", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").iterdir())) == 2
    statement.write_text("---\ntitle: [unclosed\n---\nWe stand together.\n", encoding="utf-8")
    assert main(["build", str(statement), "--out", str(tmp_path / "out")]) == 1
    assert not list((tmp_path / "out").iterdir())


def test_writing_a_pdf_never_changes_the_process_umask(tmp_path, monkeypatch):
    """write_atomically read the umask by setting it to 0 and back: for that moment, a file
    made by any other thread of the process (a web service builds on several) was writable
    by anyone. The PDF still gets what a new file gets: 0666 less the umask."""
    import os

    from handbill.build import write_atomically

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"%PDF")  # the permissions any new file here gets

    def umask(_mask):
        raise AssertionError("the process's umask was changed")

    monkeypatch.setattr(os, "umask", umask)
    target = tmp_path / "made.pdf"
    write_atomically(target, b"%PDF-1.4 made")
    assert target.read_bytes() == b"%PDF-1.4 made"
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []  # nothing left beside it
