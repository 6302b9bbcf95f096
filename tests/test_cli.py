"""The command line's promises: exit codes, one-line errors, no PDF after a failure,
--help everywhere, the listing and inspect commands, file names, any working folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, SAMPLE_URL
from handbill.cli import main

REPO = Path(__file__).resolve().parent.parent
GOOD_HEAD = "---\ntitle: Homes now\nurl: https://example.org/s\nslogans:\n  - Homes, not rubble!\n---\n\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main() in-process: (exit code, stdout, stderr). argparse's SystemExit becomes a code."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def handbill(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m handbill` as a person runs it, in another folder."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "handbill", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def statement(folder: Path, body: str, name: str = "s.md", head: str = GOOD_HEAD) -> Path:
    path = folder / name
    path.write_text(head + body, encoding="utf-8")
    return path


def assert_one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("handbill: error: ")
    return lines[0]


# --- success ---------------------------------------------------------------------------

def test_building_the_kit_exits_0_and_names_files_after_statement_and_layout(capsys, tmp_path):
    code, out, err = run(capsys, "build", str(SAMPLE), "--out", str(tmp_path))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["river-homes-a3-poster.pdf", "river-homes-a4-leaflet.pdf"]
    assert "wrote" in out and "river-homes-a4-leaflet.pdf" in out



def test_inspect_prints_the_title_the_slogans_and_the_url(capsys):
    code, out, _ = run(capsys, "inspect", str(SAMPLE))
    assert code == 0
    for expected in ("Homes Along the River Stay!", "Homes, not rubble!", "The river is ours too!",
                     "Housing is a right!", SAMPLE_URL):
        assert expected in out


def test_inspect_shows_the_command_lines_overrides(capsys):
    code, out, _ = run(capsys, "inspect", str(SAMPLE), "--title", "Another title", "--url", "https://example.org/other")
    assert code == 0
    assert "Another title" in out and "https://example.org/other" in out


@pytest.mark.parametrize("argv", [[], ["build"], ["inspect"], ["layouts"]])
def test_help_is_there_for_every_command(capsys, argv):
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0
    assert out.startswith("usage: handbill")


def test_python_m_handbill_works_from_another_folder(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    statement_path = statement(tmp_path, "We meet on the bridge at ten.\n", name="rally.md")
    result = handbill("build", str(statement_path), "--layout", "a4-leaflet", cwd=tmp_path / "elsewhere")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "out" / "rally-a4-leaflet.pdf").is_file()


# --- failures: exit 1, one line, no PDF ------------------------------------------------

def fails(capsys, tmp_path, *argv: str) -> str:
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, *argv, "--out", str(out_dir))
    assert code == 1, err
    line = assert_one_line_error(err)
    if out_dir.exists():
        assert not list(out_dir.iterdir()), "a failed build left files behind"
    return line


def test_a_text_too_long_exits_1_and_says_how_much_did_not_fit(capsys, tmp_path):
    long = statement(tmp_path, "\n\n".join(["We will not leave our homes by the river. " * 40] * 12))
    line = fails(capsys, tmp_path, "build", str(long), "--layout", "a4-leaflet")
    assert "too long" in line and " words" in line


def test_a_bad_layout_exits_1_and_names_the_file_and_the_key(capsys, tmp_path):
    layout = tmp_path / "mine.toml"
    layout.write_text((REPO / "layouts" / "a4-leaflet.toml").read_text(encoding="utf-8").replace(
        'role = "body"', 'role = "body"\ncolour = "red"', 1), encoding="utf-8")
    line = fails(capsys, tmp_path, "build", str(SAMPLE), "--layout", str(layout))
    assert "mine.toml" in line and "colour" in line


def test_an_unknown_layout_name_exits_1(capsys, tmp_path):
    line = fails(capsys, tmp_path, "build", str(SAMPLE), "--layout", "a4-leaflett")
    assert "a4-leaflett" in line


def test_a_missing_statement_file_exits_1_and_names_it(capsys, tmp_path):
    line = fails(capsys, tmp_path, "build", str(tmp_path / "nowhere.md"))
    assert "nowhere.md" in line


@pytest.mark.parametrize("url", ["ftp://example.org/s", "example.org/s", "javascript:alert(1)"])
def test_a_url_that_is_not_http_exits_1(capsys, tmp_path, url):
    line = fails(capsys, tmp_path, "build", str(SAMPLE), "--url", url)
    assert "url" in line.lower()


def test_an_emoji_exits_1_naming_the_character_and_its_code_point(capsys, tmp_path):
    path = statement(tmp_path, "We stay in our homes \U0001F3E0 by the river.\n")
    line = fails(capsys, tmp_path, "build", str(path))
    assert "\U0001F3E0" in line and "U+1F3E0" in line


def test_a_failed_build_removes_the_stale_pdf_of_an_earlier_run(capsys, tmp_path):
    path = statement(tmp_path, "We meet on the bridge at ten.\n")
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "build", str(path), "--out", str(out_dir))
    assert code == 0, err
    assert len(list(out_dir.glob("*.pdf"))) == 2
    statement(tmp_path, "We meet on the bridge \U0001F309 at ten.\n")
    code, _, err = run(capsys, "build", str(path), "--out", str(out_dir))
    assert code == 1
    assert_one_line_error(err)
    assert not list(out_dir.iterdir()), "the PDFs of the earlier run are still there"


def test_debug_shows_the_traceback(capsys, tmp_path):
    code, _, err = run(capsys, "--debug", "build", str(tmp_path / "nowhere.md"), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("handbill: error: ")


# --- usage errors: exit 2 --------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["build", str(SAMPLE), "--colour", "red"],
    ["build"],
    [],
    ["print", str(SAMPLE)],
    ["build", str(SAMPLE), "--office", "--marks"],
])
def test_using_the_command_wrongly_exits_2_without_a_traceback(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err
    assert "error:" in err.strip().splitlines()[-1]
    assert not (tmp_path / "out").exists(), "a usage error still built something"


def test_usage_errors_from_a_real_process_exit_2_too(tmp_path):
    result = handbill("build", "--office", "--marks", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_second_statement_file_is_the_bilingual_posters_translation(capsys, tmp_path):
    first = statement(tmp_path, "We stand together.\n")
    second = statement(tmp_path, "Magkaisa tayo.\n", name="fil.md",
                       head="---\ntitle: Tahanan, hindi guho!\nlang: fil\nslogans:\n  - Karapatan ang pabahay!\n---\n\n")
    code, out, err = run(capsys, "build", str(first), "--layout", "a3-poster-bilingual", "--translation", str(second),
                         "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "translat" not in out  # no "left out: no translated headline" notice


def test_a_missing_translation_file_is_one_line_and_exit_1(capsys, tmp_path):
    code, _, err = run(capsys, "build", str(statement(tmp_path, "Body.\n")), "--translation", str(tmp_path / "nope.md"),
                       "--out", str(tmp_path / "out"))
    assert code == 1
    assert "nope.md" in assert_one_line_error(err)


def test_a_bad_url_given_on_the_command_line_is_blamed_on_url_not_on_the_statement(capsys, tmp_path):
    code, _, err = run(capsys, "build", str(statement(tmp_path, "Body.\n")), "--url", "ftp://example.org/s",
                       "--out", str(tmp_path / "out"))
    assert code == 1
    line = assert_one_line_error(err)
    assert "in --url" in line and "s.md" not in line
