"""Build options as one validated value (options.py), the kit in memory (make_kit), a
statement from text (statement_from_text), problems as data, and --json: the library
refuses what the command line refuses, before anything is built."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE, SAMPLE_URL
from handbill.batch import run_batch
from handbill.build import Document, build, make_kit
from handbill.cli import main
from handbill.errors import HandbillError, InputError
from handbill.options import BuildOptions
from handbill.problems import Problem, from_finding
from handbill.resources import layouts_dir
from handbill.statement import read_statement, statement_from_text

# --- the options refuse impossible combinations themselves ---------------------------


def test_the_library_refuses_tile_with_sheet_and_duplex_before_writing_anything(tmp_path):
    """Before: build() took tile + sheet + duplex and wrote river-homes-a6-handbill-tiles-A5-4up-A4.pdf;
    only the CLI refused it."""
    with pytest.raises(InputError) as refused:
        build(SAMPLE, BuildOptions(layouts=["a6-handbill"], tile="A5", sheet="A4", duplex="long-edge"), out_dir=tmp_path)
    assert refused.value.problem.code == "options-conflict"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("options, code, where", [
    (dict(stack=True), "options-conflict", "--sheet"),
    (dict(duplex="long-edge"), "options-conflict", "--sheet"),
    (dict(tile="A4", sheet="A4"), "options-conflict", "--tile"),
    (dict(tile="A4", marks=True), "options-conflict", "--tile"),
    (dict(overlap_mm=5.0), "options-conflict", "--overlap"),
    (dict(office=True, marks=True), "options-conflict", "--office"),
    (dict(tile="A4", overlap_mm=-1.0), "option-value", "--overlap"),
    (dict(sheet="A44"), "paper-size", "--sheet"),
    (dict(page_size="210x297"), "paper-size", "--paper"),
    (dict(stock="glossy"), "option-choice", "stock"),
    (dict(duplex="sideways", sheet="A4"), "option-choice", "duplex"),
    (dict(office="yes"), "option-type", "office"),
    (dict(layouts="a4-leaflet"), "option-type", "layouts"),
])
def test_each_impossible_request_is_one_sentence_with_a_code(options, code, where):
    with pytest.raises(InputError) as refused:
        BuildOptions(**options)
    problem = refused.value.problem
    assert (problem.code, problem.where) == (code, where)
    assert "\n" not in str(problem) and str(problem) == str(refused.value)


def test_a_near_miss_is_suggested_in_one_way_for_layouts_and_options(tmp_path):
    """options.py had its own copy of layout.py's suggestion helper; both now say it with
    problems.did_you_mean, so a layout's unknown key and an unknown option read alike."""
    from handbill import layout, options, problems

    assert not hasattr(layout, "_suggest") and not hasattr(options, "_suggest")
    with pytest.raises(InputError, match=r"unknown build option 'tiles'; did you mean 'tile'\?$"):
        BuildOptions.from_mapping({"tiles": "A4"})
    assert problems.did_you_mean("tiles", ("tile", "sheet")) == "; did you mean 'tile'?"
    assert problems.did_you_mean(7, ("tile", "sheet")) == "; use one of: tile, sheet"


def test_options_are_frozen_and_lists_become_tuples():
    options = BuildOptions(layouts=["a4-leaflet"], fonts=[])
    assert options.layouts == ("a4-leaflet",)
    with pytest.raises(AttributeError):
        options.office = True  # type: ignore[misc]


def test_from_mapping_refuses_an_unknown_key_with_the_nearest_name():
    with pytest.raises(InputError) as refused:
        BuildOptions.from_mapping({"layouts": ["a4-leaflet"], "ofice": True})
    assert refused.value.problem.code == "option-unknown"
    assert "did you mean 'office'?" in str(refused.value)


def test_from_mapping_reads_back_what_as_dict_gives():
    options = BuildOptions(layouts=("a3-poster",), size="A1", tile="A4", overlap_mm=5, stock="uncoated")
    assert BuildOptions.from_mapping(json.loads(json.dumps(options.as_dict()))) == options


# --- duplicate output names ------------------------------------------------------------


def same_name_layout(tmp_path):
    """A copy of the bundled leaflet in another folder: the same name, so the same file name."""
    copy = tmp_path / "mine" / "a4-leaflet.toml"
    copy.parent.mkdir()
    copy.write_text((layouts_dir() / "a4-leaflet.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def test_two_layouts_with_one_file_name_are_refused_before_anything_is_written(tmp_path):
    """Before: both were built, the second overwrote the first, and "wrote" was said twice."""
    out = tmp_path / "out"
    with pytest.raises(InputError) as refused:
        build(SAMPLE, BuildOptions(layouts=["a4-leaflet", str(same_name_layout(tmp_path))]), out_dir=out)
    assert refused.value.problem.code == "duplicate-output"
    assert refused.value.problem.where == "river-homes-a4-leaflet.pdf"
    assert not out.exists() or not list(out.iterdir())


def test_the_command_line_says_the_duplicate_once_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["build", str(SAMPLE), "--layout", "a4-leaflet", "--layout", "a4-leaflet", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and "wrote" not in captured.out
    assert captured.err.count("\n") == 1 and "would both be written as river-homes-a4-leaflet.pdf" in captured.err


def test_batch_refuses_two_layouts_with_one_file_name_too(tmp_path):
    events = tmp_path / "rallies.csv"
    events.write_text("name,place\nRiverside,East bank\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        run_batch(SAMPLE, events, BuildOptions(layouts=["a3-poster", "a3-poster"]), out_dir=tmp_path / "out", workers=1)
    assert refused.value.problem.code == "duplicate-output"


# --- every statement field is checked when the statement is read --------------------------


def bad_url_statement(tmp_path):
    path = tmp_path / "call.md"
    path.write_text("---\ntitle: Homes now!\nurl: example.org/homes\nslogans: [Homes now!]\n---\n\nWe stand.\n",
                    encoding="utf-8")
    return path


def test_a_bad_url_fails_when_the_statement_is_read(tmp_path):
    """Before: read_statement took it, and only a layout with a QR code refused it."""
    with pytest.raises(InputError, match=r"has no 'https://' in front"):
        read_statement(bad_url_statement(tmp_path))


def test_a_bad_url_fails_inspect_and_a_placard_build(tmp_path, capsys):
    path = bad_url_statement(tmp_path)
    assert main(["inspect", str(path)]) == 1
    assert main(["build", str(path), "--layout", "a3-placard", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("handbill: error: the url 'example.org/homes' in the statement") == 2
    assert not (tmp_path / "out").exists()


def test_a_good_url_given_on_the_command_line_stands_in_for_a_bad_one_in_the_file(tmp_path):
    statement = read_statement(bad_url_statement(tmp_path), url=SAMPLE_URL)
    assert statement.url == SAMPLE_URL


# --- statement_from_text and make_kit, for the web service --------------------------------


def test_a_statement_from_text_is_the_statement_from_the_file():
    text = SAMPLE.read_text(encoding="utf-8")
    from_file = read_statement(SAMPLE)
    from_text = statement_from_text(text, name="river-homes", markdown=True)
    assert from_text.name == "river-homes"
    assert from_text == type(from_file)(**{**from_file.__dict__, "source": from_text.source})


def test_a_statement_from_text_names_itself_in_messages_and_names_no_files():
    with pytest.raises(InputError, match=r"^form: the file is empty"):
        statement_from_text(" \n", name="form", markdown=True)
    with pytest.raises(InputError, match=r"^form: logo: a statement given as text cannot name an image file"):
        statement_from_text("---\ntitle: T\nlogo: /etc/passwd\n---\n\nText.\n", name="form", markdown=True)


def test_make_kit_makes_the_documents_in_memory_as_build_writes_them(tmp_path):
    statement = read_statement(SAMPLE)
    options = BuildOptions(layouts=("a5-leaflet",), sheet="A4")
    before = set(tmp_path.iterdir())
    [document] = make_kit(statement, options)
    assert isinstance(document, Document) and set(tmp_path.iterdir()) == before
    assert document.name == "river-homes-a5-leaflet-2up-A4.pdf" and document.pdf.startswith(b"%PDF")
    assert [p.code for p in document.problems] == ["not-printed", "sheet-nearly-full"]
    [built] = build(SAMPLE, options, out_dir=tmp_path)
    assert built.path.name == document.name and built.path.read_bytes() == document.pdf


# --- problems as data -------------------------------------------------------------------------


def test_an_error_made_from_a_sentence_carries_a_problem_with_its_class_code():
    error = InputError("call.md: something is wrong; fix it")
    assert error.problem == Problem("error", "input", "", "call.md: something is wrong; fix it")
    assert HandbillError("x").problem.code == "error"


def test_a_problem_reads_as_its_sentence_and_its_fix():
    problem = Problem("note", "sheet-nearly-full", "--sheet", "2 copies nearly fill the A4 sheet", "cut exactly")
    assert str(problem) == "2 copies nearly fill the A4 sheet; cut exactly"
    assert problem.as_dict()["text"] == str(problem)
    with pytest.raises(ValueError):
        Problem("fatal", "x", "", "y")


def test_a_preflight_finding_maps_to_a_problem_as_the_build_words_its_warnings():
    from handbill.preflight.checks import Finding

    problem = from_finding(Finding("warning", 2, "thin-line", "a line is thin"), file="x.pdf")
    assert (problem.severity, problem.code, problem.where, str(problem)) == ("warning", "thin-line", "x.pdf, page 2",
                                                                            "page 2: a line is thin")


# --- --json ------------------------------------------------------------------------------------


def test_build_json_lists_each_file_with_its_problems(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--layout", "a4-leaflet", "--out", str(tmp_path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] is True
    [document] = report["documents"]
    assert document["path"] == str(tmp_path / "river-homes-a4-leaflet.pdf") and document["pages"] == 1
    assert [p["code"] for p in document["problems"]] == ["not-printed"]
    assert set(document["problems"][0]) == {"severity", "code", "where", "message", "fix", "text"}


def test_build_json_gives_the_error_as_a_problem_too(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--layout", "a4-leaflet", "--layout", "a4-leaflet", "--out", str(tmp_path), "--json"])
    captured = capsys.readouterr()
    assert code == 1 and json.loads(captured.out)["error"]["code"] == "duplicate-output"
    assert captured.err.startswith("handbill: error:")


def test_build_json_gives_options_that_do_not_go_together_as_a_problem_too(tmp_path, capsys):
    """--tile with --sheet is the command's misuse (exit 2, with the usage line); with --json
    it printed nothing on stdout, so a script had only the exit code to go on."""
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(SAMPLE), "--tile", "A4", "--sheet", "A4", "--out", str(tmp_path), "--json"])
    captured = capsys.readouterr()
    assert exit_.value.code == 2
    error = json.loads(captured.out)["error"]
    assert (error["code"], error["where"]) == ("options-conflict", "--tile")
    assert captured.err.rstrip().endswith(f"handbill: error: {error['message']}")
    assert not list(tmp_path.iterdir())


def test_batch_json_lists_rows_files_and_failures(tmp_path, capsys):
    events = tmp_path / "rallies.csv"
    events.write_text("name,place,date\nRiverside,East bank,2025-05-03\nOld Town,,2025-05-03\n", encoding="utf-8")
    code = main(["batch", str(SAMPLE), "--events", str(events), "--layout", "a3-poster", "--out", str(tmp_path / "out"),
                 "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False and (report["rows"], report["built"]) == (2, 1)
    assert report["written"] == [str(tmp_path / "out" / "river-homes-riverside-a3-poster.pdf")]
    assert [(f["line"], f["code"]) for f in report["failures"]] == [(3, "event-row")]


def test_a_bad_url_is_a_problem_with_the_code_url_and_where_it_came_from(tmp_path):
    path = bad_url_statement(tmp_path)
    with pytest.raises(InputError) as refused:
        read_statement(path)
    assert (refused.value.problem.code, refused.value.problem.where) == ("url", f"{path}: url")
    with pytest.raises(InputError) as refused:
        read_statement(SAMPLE, url="example.org")
    assert (refused.value.problem.code, refused.value.problem.where) == ("url", "--url")


def test_any_mapping_a_form_may_send_is_options_or_one_of_handbills_own_errors():
    """For the web service: whatever JSON arrives, the answer is options or a Problem, never a traceback."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    names = list(BuildOptions.__dataclass_fields__) + ["ofice", "paper", ""]
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
        | st.sampled_from(["A4", "A5", "coated", "uncoated", "long-edge", "a4-leaflet"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
        max_leaves=4,
    )

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.sampled_from(names), values, max_size=5))
    def check(data):
        try:
            options = BuildOptions.from_mapping(data)
        except HandbillError as error:
            assert "\n" not in str(error) and error.problem.code.startswith(("option", "paper-size"))
        else:
            assert BuildOptions.from_mapping(options.as_dict()) == options

    check()
