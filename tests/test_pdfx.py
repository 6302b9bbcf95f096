"""Print-shop output is PDF/X-1a:2003: the keys, the output intent, nothing that breaks it;
and the same input gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import photo_layout
from handbill.build import build
from handbill.options import BuildOptions

STATEMENT = """---
title: Water is a right!
organisation: Riverside Tenants
date: 2025-06-01
url: https://example.org/water
slogans:
  - Water is a right!
  - No to the price hike!
excerpt: The water company wants to double the price. We say no.
---

The water company wants to double the price of water in the riverside barangays. Families
already spend a tenth of what they earn on it. Join the assembly on Saturday.
"""


@pytest.fixture(scope="module")
def statement(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdfx") / "water.md"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kit(statement, tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("kit")
    return [b.path for b in build(statement, BuildOptions(layouts=["a4-leaflet", "a3-poster"], marks=True), out_dir=out)]


def test_print_shop_output_declares_pdfx_1a_2003(kit):
    for path in kit:
        with pikepdf.open(path) as pdf:
            info = pdf.docinfo
            assert str(info.GTS_PDFXVersion) == "PDF/X-1a:2003"
            assert str(info.Title) == "Water is a right!"
            assert str(info.CreationDate).startswith("D:") and str(info.ModDate) == str(info.CreationDate)
            assert str(info.Trapped) == "/False"
            assert pdf.pdf_version in ("1.3", "1.4")
            assert len(pdf.trailer.ID) == 2


def test_coated_paper_is_the_default_output_intent_fogra39(kit):
    for path in kit:
        with pikepdf.open(path) as pdf:
            (intent,) = pdf.Root.OutputIntents
            assert intent.Type == pikepdf.Name.OutputIntent and intent.S == pikepdf.Name.GTS_PDFX
            assert str(intent.OutputConditionIdentifier) == "FOGRA39"
            assert str(intent.RegistryName) == "http://www.color.org"
            assert str(intent.Info)


def test_uncoated_paper_names_fogra52(statement, tmp_path):
    (built,) = build(statement, BuildOptions(layouts=["a4-leaflet"], stock="uncoated"), out_dir=tmp_path)
    with pikepdf.open(built.path) as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA52"


def test_office_output_is_not_pdfx(statement, tmp_path):
    (built,) = build(statement, BuildOptions(layouts=["a4-leaflet"], office=True), out_dir=tmp_path)
    with pikepdf.open(built.path) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/GTS_PDFXVersion" not in pdf.docinfo


def _everything(pdf):
    for obj in pdf.objects:
        yield from _walk(obj, 0)


def _walk(obj, depth):
    yield obj
    if depth < 8 and isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for key, value in obj.items():
            yield (key, value)
            yield from _walk(value, depth + 1)
    elif depth < 8 and isinstance(obj, pikepdf.Array):
        for value in obj:
            yield from _walk(value, depth + 1)


def test_nothing_in_the_file_breaks_pdfx_1a(kit, statement, tmp_path):
    layout = photo_layout(tmp_path, Image.new("RGBA", (600, 600), (200, 30, 30, 128)))
    (with_image,) = build(statement, BuildOptions(layouts=[str(layout)]), out_dir=tmp_path / "out")
    for path in [*kit, with_image.path]:
        with pikepdf.open(path) as pdf:
            assert not pdf.is_encrypted
            for page in pdf.pages:
                assert "/TrimBox" in page
            for item in _everything(pdf):
                if isinstance(item, tuple):
                    key, value = item
                    assert key not in ("/SMask", "/BM", "/JS", "/JavaScript", "/AA", "/OpenAction"), (path, key)
                    if key in ("/CA", "/ca"):
                        assert float(value) == 1.0
                elif isinstance(item, pikepdf.Name):
                    assert str(item) not in ("/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased", "/JPXDecode"), (path, item)
            for page in pdf.pages:
                for _, operator in pikepdf.parse_content_stream(page):
                    assert str(operator) not in ("rg", "RG"), path


def test_the_same_input_gives_the_same_bytes(statement, tmp_path):
    layout = photo_layout(tmp_path, Image.new("RGB", (600, 600), (20, 120, 200)))
    first = build(statement, BuildOptions(layouts=["a4-leaflet", str(layout)], marks=True), out_dir=tmp_path / "one")
    second = build(statement, BuildOptions(layouts=["a4-leaflet", str(layout)], marks=True), out_dir=tmp_path / "two")
    for a, b in zip(first, second):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_the_command_line_chooses_the_paper_and_the_mono_variant(statement, tmp_path, capsys):
    from handbill.cli import main

    assert main(["build", str(statement), "--layout", "a4-leaflet", "--out", str(tmp_path), "--paper", "uncoated", "--mono"]) == 0
    (path,) = tmp_path.glob("*.pdf")
    assert path.name == "water-a4-leaflet-uncoated-mono.pdf"  # beside, not over, the coated print
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA52"
