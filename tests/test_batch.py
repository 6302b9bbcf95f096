"""Event kits in batch: one kit per CSV row with that row's event and url, named after the
row; a bad row is reported by its line and the others still build; a progress bar on
stderr and a summary at the end; exit 1 if any row failed."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import SAMPLE, SAMPLE_URL
from handbill.batch import read_events, run_batch, slug
from handbill.cli import main
from handbill.errors import InputError
from handbill.progress import Progress
from handbill.options import BuildOptions
from readback import boxes, qr_codes, size_mm, squeeze, text

HEADER = "name,date,time,place,note,url\n"
GOOD = (
    "Riverside,2025-05-03,10:00,East bank landing,Bring water,https://example.org/rallies/riverside\n"
    "Old Town,2025-05-03,15:00,Market square,,\n"
)


def csv_file(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "rallies.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_each_row_gets_a_kit_named_after_it(tmp_path):
    result = run_batch(SAMPLE, csv_file(tmp_path, GOOD), out_dir=tmp_path / "out", workers=1)
    names = sorted(path.name for path in result.written)
    assert names == [
        "river-homes-old-town-a3-poster.pdf", "river-homes-old-town-a4-leaflet.pdf",
        "river-homes-riverside-a3-poster.pdf", "river-homes-riverside-a4-leaflet.pdf",
    ]
    assert not result.failures and result.rows == 2


def test_the_poster_prints_the_rows_event_and_its_own_url(tmp_path):
    run_batch(SAMPLE, csv_file(tmp_path, GOOD), out_dir=tmp_path, workers=1)
    riverside = tmp_path / "river-homes-riverside-a3-poster.pdf"
    words = squeeze(text(riverside))
    assert squeeze("2025-05-03 \u00b7 10:00 \u00b7 East bank landing") in words and "Bringwater" in words
    assert qr_codes(riverside, dpi=100) == ["https://example.org/rallies/riverside"]
    old_town = tmp_path / "river-homes-old-town-a3-poster.pdf"
    assert "Marketsquare" in squeeze(text(old_town))
    assert qr_codes(old_town, dpi=100) == [SAMPLE_URL]  # no url in the row: the statement's
    width, height = size_mm(boxes(old_town)["TrimBox"])
    assert (round(width), round(height)) == (297, 420)


def test_a_bad_row_is_reported_by_line_and_the_others_still_build(tmp_path):
    body = (
        "Riverside,2025-05-03,10:00,East bank landing,,\n"
        "Nowhere,2025-05-03,10:00,,,\n"  # line 3: no place
        "Badlink,2025-05-03,10:00,Bridge,,htp//nope\n"  # line 4: bad url
        "Longwinded,2025-05-03,10:00,Bridge," + "very " * 300 + "long note,\n"  # line 5: too long
        "Old Town,2025-05-03,15:00,Market square,,\n"
    )
    result = run_batch(SAMPLE, csv_file(tmp_path, body), out_dir=tmp_path, workers=1)
    by_line = {failure.line: failure for failure in result.failures}
    assert sorted(by_line) == [3, 4, 5]
    assert "no place" in by_line[3].message
    assert "htp//nope" in by_line[4].message
    assert "(event)" in by_line[5].message  # names the layout's event block
    assert {path.name for path in result.written} >= {"river-homes-riverside-a3-poster.pdf", "river-homes-old-town-a3-poster.pdf"}
    assert not list(tmp_path.glob("river-homes-badlink-*")) and not list(tmp_path.glob("river-homes-longwinded-*"))


def test_city_may_stand_for_name_and_extra_cells_are_caught(tmp_path):
    rows, failures = read_events(csv_file(tmp_path, "Cebu,Plaza,too,many\nDavao,Rizal Park\n", header="city,place\n"))
    assert [row.name for row in rows] == ["Davao"]
    assert failures[0].line == 2 and "more cells" in failures[0].message


def test_two_rows_with_the_same_name_do_not_overwrite_each_other(tmp_path):
    rows, failures = read_events(csv_file(tmp_path, "Cebu,,,A,,\ncebu,,,B,,\n"))
    assert len(rows) == 1 and failures[0].line == 3 and "line 2" in failures[0].message


def test_a_header_without_place_is_one_sentence_naming_the_file(tmp_path):
    with pytest.raises(InputError, match=r"rallies\.csv: line 1: .*place"):
        read_events(csv_file(tmp_path, "Cebu\n", header="name\n"))


def test_names_become_file_safe_slugs():
    assert slug("Quezon City") == "quezon-city" and slug("Bogotá / Centro") == "bogota-centro"


def test_forked_workers_build_the_same_files(tmp_path):
    body = "".join(f"Town {n},2025-05-03,10:00,Square {n},,\n" for n in range(9))
    result = run_batch(SAMPLE, csv_file(tmp_path, body), BuildOptions(layouts=["a3-poster"]), out_dir=tmp_path, workers=2)
    assert len(result.written) == 9 and not result.failures
    assert "Square7" in squeeze(text(tmp_path / "river-homes-town-7-a3-poster.pdf"))


def test_the_command_shows_progress_and_a_summary_and_exits_1_on_a_bad_row(tmp_path, capsys):
    events = csv_file(tmp_path, GOOD + "Nowhere,,,,,\n")
    code = main(["batch", str(SAMPLE), "--events", str(events), "--out", str(tmp_path / "out"), "--layout", "a3-poster"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2/2" in captured.err and "left" in captured.err  # the bar: counts and time left
    assert "line 4 (Nowhere)" in captured.err
    assert "2 of 3 events built, 2 PDFs" in captured.out and "line 4 (Nowhere): has no place" in captured.out


def test_the_progress_bar_prints_plain_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream=stream, every_s=0)
    for _ in range(3):
        progress.step()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in stream.getvalue() and lines[-1].split("]")[1].startswith(" 3/3")


def test_a_plain_build_of_the_poster_has_no_event_and_no_notice(tmp_path):
    from handbill.build import build

    [built] = build(SAMPLE, BuildOptions(layouts=["a3-poster"]), out_dir=tmp_path)
    assert not any("event" in str(notice) for notice in built.notices)


@pytest.mark.parametrize("content", ["", HEADER, HEADER + "\n,,,,,\n"])
def test_an_events_file_without_events_is_an_error_naming_it(tmp_path, capsys, content):
    events = tmp_path / "rallies.csv"
    events.write_text(content, encoding="utf-8")
    code = main(["batch", str(SAMPLE), "--events", str(events), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("handbill: error: ") and "rallies.csv" in err and err.count("\n") == 1


def test_a_row_with_a_quoted_newline_is_reported_by_the_line_it_starts_on(tmp_path):
    body = 'Riverside,,,,"line one\nline two",\nOld Town,,,,,\n'  # lines 2-3 and 4, neither with a place
    rows, failures = read_events(csv_file(tmp_path, body))
    assert [(failure.line, failure.name) for failure in failures] == [(2, "Riverside"), (4, "Old Town")]


def test_batch_names_files_as_build_does_with_paper_office_and_mono(tmp_path):
    result = run_batch(SAMPLE, csv_file(tmp_path, GOOD), BuildOptions(layouts=["a4-leaflet"], page_size="Letter", office=True, mono=True), out_dir=tmp_path / "out", workers=1)
    assert sorted(path.name for path in result.written) == [
        "river-homes-old-town-a4-leaflet-Letter-office-mono.pdf", "river-homes-riverside-a4-leaflet-Letter-office-mono.pdf"]
    path = result.written[0]
    got = boxes(path)
    assert got["MediaBox"] == got["TrimBox"]  # --office: no bleed
    assert size_mm(got["TrimBox"]) == pytest.approx((215.9, 279.4), abs=0.01)
    with pikepdf.open(path) as pdf:
        assert "/OutputIntents" not in pdf.Root  # --office: not for the print shop
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                assert str(operator) not in ("rg", "RG", "sc", "SC")
                if str(operator) in ("k", "K"):
                    assert [float(v) for v in operands[:3]] == [0, 0, 0]  # --mono: K only


def test_batch_paper_letter_names_files_like_build(tmp_path, capsys):
    code = main(["batch", str(SAMPLE), "--events", str(csv_file(tmp_path, GOOD)), "--out", str(tmp_path / "out"),
                 "--layout", "a3-poster", "--paper", "Letter"])
    assert code == 0, capsys.readouterr().err
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "river-homes-old-town-a3-poster-Letter.pdf", "river-homes-riverside-a3-poster-Letter.pdf"]


def test_batch_preview_writes_each_page_and_a_contact_sheet_per_row(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["batch", str(SAMPLE), "--events", str(csv_file(tmp_path, GOOD)), "--out", str(out), "--preview"])
    assert code == 0, capsys.readouterr().err
    for row in ("riverside", "old-town"):
        for layout in ("a4-leaflet", "a3-poster"):
            assert (out / f"river-homes-{row}-{layout}.png").is_file()
        assert Image.open(out / f"river-homes-{row}-contact-sheet.png").width > 300
    assert "previews: 4 page PNGs" in capsys.readouterr().out


def test_layouts_without_an_event_block_get_one_notice_for_the_whole_batch(tmp_path, capsys):
    events = csv_file(tmp_path, GOOD)
    plain = tmp_path / "plain.toml"
    plain.write_text('[page]\nsize = "A5"\n[[block]]\nrole = "headline"\narea = { x = "0%", y = "0%", w = "100%", h = "30%" }\n')
    code = main(["batch", str(SAMPLE), "--events", str(events), "--out", str(tmp_path / "a"), "--layout", str(plain)])
    assert code == 0
    assert capsys.readouterr().err.count("no event block in plain") == 1
    code = main(["batch", str(SAMPLE), "--events", str(events), "--out", str(tmp_path / "b"), "--layout", "a3-poster"])
    assert code == 0 and "event block" not in capsys.readouterr().err


def test_a_date_or_time_that_would_print_wrong_fails_its_row_only(tmp_path):
    body = (
        "One,2025-05-32,10:00,Bridge,,\n"  # line 2: no such day
        "Two,01/05/2025,10:00,Bridge,,\n"  # line 3: May or January?
        "Three,2025-05-03,25:99,Bridge,,\n"  # line 4: no such time
        "Four,Saturday 3 May,10:00,Bridge,,\n"  # free text is the writer's
    )
    result = run_batch(SAMPLE, csv_file(tmp_path, body), BuildOptions(layouts=["a6-handbill"]), out_dir=tmp_path, workers=1)
    by_line = {failure.line: failure.message for failure in result.failures}
    assert sorted(by_line) == [2, 3, 4]
    assert "not a date in the calendar" in by_line[2]
    assert "different days in different countries" in by_line[3]
    assert "not a time of day" in by_line[4]
    assert len(result.written) == 1


def test_a_city_column_is_printed_with_the_place_when_the_place_does_not_name_it(tmp_path):
    from handbill.batch import read_events

    path = csv_file(tmp_path, "Cebu,2025-05-03,10:00,Plaza Independencia,,\nDavao,2025-05-03,10:00,Rizal Park Davao,,\n",
                    header="city,date,time,place,note,url\n")
    rows, failures = read_events(path)
    assert not failures
    assert [row.event.place for row in rows] == ["Plaza Independencia, Cebu", "Rizal Park Davao"]


def test_a_character_no_font_has_in_a_row_names_the_rows_column_not_the_statement(tmp_path, capsys):
    """It said "STATEMENT.md (event): no font has ...", sending the organiser to a file
    the character is not in."""
    events = csv_file(tmp_path, "Cebu,2025-05-03,9:00,Plaza \u272a Independencia,,\n")
    assert main(["batch", str(SAMPLE), "--events", str(events), "--layout", "a6-handbill", "--url", SAMPLE_URL,
                 "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr().out
    assert f"{events}: line 2 (Cebu): the events row (place): no font has the character '\u272a'" in said
    assert str(SAMPLE) not in said


# issue 15: names in every script


def test_names_in_every_script_keep_their_letters_and_never_share_a_file(tmp_path, capsys):
    body = ("東京,2025-05-03,10:00,Square 1,,\nกรุงเทพ,2025-05-03,10:00,Square 2,,\n"
            "القاهرة,2025-05-03,10:00,Square 3,,\nदिल्ली,2025-05-03,10:00,Square 4,,\n")
    events = csv_file(tmp_path, body)
    out = tmp_path / "out"
    code = main(["batch", str(SAMPLE), "--events", str(events), "--out", str(out), "--layout", "a3-poster"])
    printed = capsys.readouterr().out
    files = sorted(path.name for path in out.iterdir())
    assert files == sorted(f"river-homes-{name}-a3-poster.pdf" for name in ("東京", "กรุงเทพ", "القاهرة", "दिल्ली"))
    assert code == 0 and "4 of 4 events built, 4 PDFs" in printed


def test_two_rows_whose_names_fold_to_one_file_name_are_refused_by_line_before_building(tmp_path):
    rows, failures = read_events(csv_file(tmp_path, "東京!,,,A,,\n東京?,,,B,,\nÉcole,,,C,,\nécole,,,D,,\n"))
    assert [row.name for row in rows] == ["東京!", "École"]
    assert [(failure.line, "line" in failure.message) for failure in failures] == [(3, True), (5, True)]
    assert "line 2" in failures[0].message and "line 4" in failures[1].message


def test_file_slugs_keep_every_script_and_are_safe_and_short():
    import unicodedata

    from handbill.batch import file_slug

    assert file_slug("Quezon City") == "quezon-city" and file_slug("Bogotá / Centro") == "bogota-centro"
    assert file_slug("東京 駅") == "東京-駅" and file_slug("दिल्ली") == "दिल्ली"
    assert file_slug('a/b\\c:d*e?f"g<h>i|j\x00k\x1fl.m') == "a-b-c-d-e-f-g-h-i-j-k-l-m"
    decomposed = unicodedata.normalize("NFD", "서울")
    assert file_slug(decomposed) == unicodedata.normalize("NFC", "서울")
    long = file_slug("東" * 300)
    assert len(long.encode()) <= 96 and long == "東" * 32
    assert file_slug("!!!") == ""


def test_a_failing_row_never_deletes_the_files_of_a_row_that_built(tmp_path):
    """A failing row removed its own file names, so no stale file of an earlier run passes
    for this one; a row "a" with layouts poster and big-poster has the file name
    river-homes-a-big-poster.pdf, which is row "a big"'s poster: its failure deleted them."""
    poster = (Path(__file__).parent.parent / "layouts" / "a3-poster.toml").read_text(encoding="utf-8")
    (tmp_path / "poster.toml").write_text(poster, encoding="utf-8")
    (tmp_path / "big-poster.toml").write_text(poster, encoding="utf-8")
    body = "a big,2025-05-03,10:00,Square,,\na,2025-05-03,10:00,Square \u272a,,\n"
    options = BuildOptions(layouts=[str(tmp_path / "poster.toml"), str(tmp_path / "big-poster.toml")])
    out = tmp_path / "out"
    result = run_batch(SAMPLE, csv_file(tmp_path, body), options, out_dir=out, workers=1)
    assert sorted(path.name for path in out.iterdir()) == ["river-homes-a-big-big-poster.pdf", "river-homes-a-big-poster.pdf"]
    assert result.built == 1 and len(result.written) == 2
    assert [failure.line for failure in result.failures] == [3]
    assert "river-homes-a-big-poster.pdf" in result.failures[0].message and "line 2" in result.failures[0].message


def test_a_row_whose_file_name_would_pass_255_bytes_fails_alone(tmp_path):
    statement = tmp_path / ("s" * 180 + ".md")
    statement.write_text(Path(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    body = "Cebu,2025-05-03,10:00,Square,,\n" + "L" * 315 + ",2025-05-03,10:00,Square,,\n"
    result = run_batch(statement, csv_file(tmp_path, body), BuildOptions(layouts=["a6-handbill"]), out_dir=tmp_path / "out",
                       workers=1)
    assert result.built == 1 and [failure.line for failure in result.failures] == [3]
    message = result.failures[0].message
    assert "bytes" in message and "shorter name" in message and "\n" not in message


def test_a_315_character_name_is_cut_not_fatal(tmp_path):
    body = "Cebu,2025-05-03,10:00,Square,,\n" + "L" * 315 + ",2025-05-03,10:00,Square,,\n"
    result = run_batch(SAMPLE, csv_file(tmp_path, body), BuildOptions(layouts=["a6-handbill"]), out_dir=tmp_path / "out",
                       workers=1, url=SAMPLE_URL)
    assert result.built == 2 and not result.failures
    assert all(len(path.name.encode()) < 200 for path in result.written)


def test_a_cell_past_csvs_field_limit_is_one_sentence(tmp_path, capsys):
    events = csv_file(tmp_path, "Cebu,2025-05-03,10:00,Square,\"" + "x" * 200_000 + "\",\n")
    assert main(["batch", str(SAMPLE), "--events", str(events), "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr().err
    assert f"{events}: line 2: a cell is longer than" in said and "Traceback" not in said and said.count("\n") == 1


def test_a_header_naming_a_column_twice_is_refused_by_line_1(tmp_path):
    with pytest.raises(InputError, match=r"rallies\.csv: line 1: the header names the column 'place' twice"):
        read_events(csv_file(tmp_path, "Cebu,Plaza,Park\n", header="name,place,place\n"))


def test_an_empty_out_is_refused_with_a_sentence(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    events = csv_file(tmp_path, GOOD)
    assert main(["batch", str(SAMPLE), "--events", str(events), "--out", ""]) == 1
    assert "--out is empty" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))
