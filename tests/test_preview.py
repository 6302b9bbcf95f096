"""Previews: a PNG of each page beside each PDF, a contact sheet of the kit, and a
thumbnail of every bundled layout; read back with Pillow."""

from __future__ import annotations

import pytest
from PIL import Image

from conftest import SAMPLE, SAMPLE_URL
from handbill.cli import main
from handbill.layout import bundled_layouts
from readback import page_count
from handbill.preview import PREVIEW_DPI, THUMBNAIL_DPI, layout_thumbnails

MM = 72 / 25.4


def px(mm: float, dpi: float) -> int:
    return round(mm * MM * dpi / 72)


def test_build_preview_writes_a_png_of_each_page_and_a_contact_sheet(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--preview"])
    assert code == 0, capsys.readouterr().err
    leaflet = Image.open(tmp_path / "river-homes-a4-leaflet.png")
    poster = Image.open(tmp_path / "river-homes-a3-poster.png")
    # the whole page with its 3 mm bleed, at the preview resolution
    assert abs(leaflet.width - px(216, PREVIEW_DPI)) <= 1 and abs(leaflet.height - px(303, PREVIEW_DPI)) <= 1
    assert abs(poster.height - px(426, PREVIEW_DPI)) <= 1
    sheet = Image.open(tmp_path / "river-homes-contact-sheet.png")
    assert sheet.width > sheet.height  # the pages side by side
    assert sheet.height >= 300


def test_a_two_page_layout_gets_a_png_per_page(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--layout", "a4-leaflet-2sided", "--preview"])
    assert code == 0, capsys.readouterr().err
    pages = page_count(tmp_path / "river-homes-a4-leaflet-2sided.pdf")
    pngs = sorted(path.name for path in tmp_path.glob("river-homes-a4-leaflet-2sided*.png"))
    expected = [f"river-homes-a4-leaflet-2sided-p{n}.png" for n in range(1, pages + 1)] if pages > 1 else ["river-homes-a4-leaflet-2sided.png"]
    assert pngs == expected


def test_every_bundled_layout_gets_a_thumbnail(tmp_path):
    paths, problems = layout_thumbnails(tmp_path, SAMPLE)
    names = {layout.name for layout in bundled_layouts()}
    assert {path.stem for path in paths} | {problem.split(":")[0] for problem in problems} == names
    assert not problems
    for path in paths:
        image = Image.open(path)
        assert 60 <= image.width <= 600 and 60 <= image.height <= 600


def test_layouts_preview_command_writes_the_thumbnails(tmp_path, capsys):
    code = main(["layouts", "--preview", str(tmp_path / "thumbs"), "--statement", str(SAMPLE)])
    assert code == 0, capsys.readouterr().err
    poster = Image.open(tmp_path / "thumbs" / "a3-poster.png")
    assert abs(poster.width - px(303, THUMBNAIL_DPI)) <= 1


def test_the_contact_sheet_of_one_pdf_labels_its_pages_with_the_layout(tmp_path, capsys, monkeypatch):
    from PIL import ImageDraw

    labels, draw_text = [], ImageDraw.ImageDraw.text

    def recording(self, xy, text, **kwargs):  # the labels the contact sheet draws
        labels.append(text)
        return draw_text(self, xy, text, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording)
    code = main(["build", str(SAMPLE), "--out", str(tmp_path), "--layout", "a5-duplex", "--sheet", "A4",
                 "--duplex", "long-edge", "--preview"])
    assert code == 0, capsys.readouterr().err
    assert labels == ["a5-duplex-2up-A4 p1", "a5-duplex-2up-A4 p2"]  # not "A4 p1": the statement's name is what goes


def test_a_two_sided_layouts_thumbnail_shows_its_pages_side_by_side(tmp_path):
    paths, _ = layout_thumbnails(tmp_path, SAMPLE)
    duplex = Image.open(tmp_path / "a5-duplex.png")
    page_w, page_h = px(154, THUMBNAIL_DPI), px(216, THUMBNAIL_DPI)  # A5 with its bleed
    assert abs(duplex.height - page_h) <= 1
    assert 2 * page_w < duplex.width <= 2 * page_w + 10  # front and back, a small gap between
    placard = Image.open(tmp_path / "a3-placard.png")  # one page per slogan: the thumbnail shows one
    assert abs(placard.width - px(426, THUMBNAIL_DPI)) <= 1



def test_layout_thumbnails_of_a_plain_text_statement_take_its_url_from_the_command_line(tmp_path, capsys):
    statement = tmp_path / "call.txt"
    statement.write_text("We stand with the families.\n\nHomes now!\n", encoding="utf-8")
    code = main(["layouts", "--preview", str(tmp_path / "thumbs"), "--statement", str(statement), "--url", "https://e.org/s"])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "thumbs" / "a4-leaflet.png").exists()


def test_layouts_preview_onto_a_file_is_one_sentence_naming_the_option(tmp_path, capsys):
    """It said "File exists: PATH" (the OSError's words), with no way out."""
    taken = tmp_path / "thumbnails"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["layouts", "--preview", str(taken)]) == 1
    error = capsys.readouterr().err.strip()
    assert error == (f"handbill: error: --preview {taken}: is a file, not a folder; "
                     "give the folder to write the thumbnails in")
    assert taken.read_text(encoding="utf-8") == "not a folder"


# issue 15: previews written atomically, never through a symlink


def _trap(folder: Path, name: str, outside: Path) -> Path:
    """A symlink `name` in `folder` to `outside`, a file that must stay as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).symlink_to(outside)
    return folder / name


@pytest.mark.parametrize("command", ["build", "batch", "layouts"])
def test_a_preview_never_writes_through_a_symlink_outside_out(tmp_path, command):
    outside = tmp_path / "elsewhere" / "precious.png"
    outside.parent.mkdir()
    outside.write_bytes(b"not to be overwritten")
    out = tmp_path / "out"
    if command == "build":
        links = [_trap(out, "river-homes-a6-handbill.png", outside), _trap(out, "river-homes-contact-sheet.png", outside)]
        args = ["build", str(SAMPLE), "--layout", "a6-handbill", "--url", SAMPLE_URL, "--preview", "--out", str(out)]
    elif command == "batch":
        events = tmp_path / "rallies.csv"
        events.write_text("name,date,time,place\nCebu,2025-05-03,10:00,Square\n", encoding="utf-8")
        links = [_trap(out, "river-homes-cebu-a6-handbill.png", outside),
                 _trap(out, "river-homes-cebu-contact-sheet.png", outside)]
        args = ["batch", str(SAMPLE), "--events", str(events), "--layout", "a6-handbill", "--url", SAMPLE_URL, "--preview",
                "--out", str(out)]
    else:
        links = [_trap(out, "a6-handbill.png", outside)]
        args = ["layouts", "--preview", str(out)]
    assert main(args) == 0
    assert outside.read_bytes() == b"not to be overwritten"
    for link in links:
        assert not link.is_symlink() and Image.open(link).format == "PNG"
    assert not list(out.glob(".*.part"))


def test_a_preview_that_cannot_be_written_names_the_folder_and_leaves_nothing(tmp_path, monkeypatch):
    import errno
    import os

    from handbill import preview

    pdf = tmp_path / "kit" / "leaflet.pdf"
    main(["build", str(SAMPLE), "--layout", "a6-handbill", "--url", SAMPLE_URL, "--out", str(pdf.parent)])
    pdf = next(pdf.parent.glob("*.pdf"))
    (pdf.parent / f"{pdf.stem}.png").write_bytes(b"an earlier preview")

    def full_disk(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(source))

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError) as caught:
        preview.page_pngs(pdf)
    assert caught.value.filename == str(pdf.parent) and f"cannot write {pdf.stem}.png" in caught.value.strerror
    assert ".part" not in str(caught.value)
    assert sorted(path.name for path in pdf.parent.iterdir()) == [pdf.name, f"{pdf.stem}.png"]
