"""The print shop's numbers live in printshop.py alone, and what handbill makes to them is
what its own preflight, judging by them, passes."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest
from PIL import Image

import handbill
from handbill import pdfx, printshop
from handbill.build import build
from handbill.options import BuildOptions
from handbill.errors import InputError
from handbill.layout import load_layout
from handbill.preflight import checks, preflight
from handbill.units import MM

from conftest import photo_layout

SOURCE = Path(handbill.__file__).resolve().parent
# The names the numbers had in the modules that kept their own copies before printshop.py.
RETIRED = frozenset({
    "MIN_STROKE", "HAIRLINE", "MIN_TEXT", "QUIET_ZONE", "QUIET_MODULES", "TAC_LIMIT", "REGISTERED", "MIN_PPI",
    "GOOD_PPI", "MAX_PPI", "IMAGE_ERROR_PPI", "MIN_QR_MODULE_MM", "GOOD_QR_MODULE_MM", "READ_DISTANCE_PER_WIDTH",
    "STEP", "BIG", "LIGHT", "REGISTRY",
})


def _module_level_names(tree: ast.Module) -> set[str]:
    """Every name a module binds by assignment at its top level (not by import)."""
    names: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


# What printshop.py itself defines (not what it imports, such as units.MM).
PRINTSHOP_NAMES = frozenset(name for name in _module_level_names(ast.parse((SOURCE / "printshop.py").read_text(encoding="utf-8")))
                            if name.isupper())


def test_no_other_module_keeps_its_own_copy_of_a_print_shop_number():
    copies = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "printshop.py":
            continue
        defined = _module_level_names(ast.parse(path.read_text(encoding="utf-8")))
        if defined & (PRINTSHOP_NAMES | RETIRED):
            copies[str(path.relative_to(SOURCE))] = sorted(defined & (PRINTSHOP_NAMES | RETIRED))
    assert not copies, f"define these in printshop.py and import them: {copies}"


def test_printshop_holds_only_frozen_values():
    def frozen(value) -> bool:
        if isinstance(value, (int, float, str, bytes, bool)):
            return True
        if isinstance(value, tuple):
            return all(frozen(v) for v in value)
        if isinstance(value, MappingProxyType):
            return all(frozen(k) and frozen(v) for k, v in value.items())
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return type(value).__dataclass_params__.frozen and all(frozen(getattr(value, f.name)) for f in dataclasses.fields(value))
        return False

    assert PRINTSHOP_NAMES
    for name in PRINTSHOP_NAMES:
        assert frozen(getattr(printshop, name)), name
    with pytest.raises(TypeError):
        printshop.TAC_LIMIT_PCT["coated"] = 400.0  # type: ignore[index]


def test_the_preflight_judges_by_printshops_numbers():
    for name in ("BLEED_MM", "SAFE_MM", "MIN_TEXT_PT", "TINY_TEXT_PT", "MIN_KNOCKOUT_PT", "RICH_BLACK_OK_PT",
                 "RICH_BLACK_ERROR_PT", "MIN_LINE_PT", "INVISIBLE_LINE_PT", "TAC_LIMIT_PCT", "REGISTERED_CONDITIONS",
                 "PDFX_VERSION", "PPI_SLACK"):
        assert getattr(checks, name) is getattr(printshop, name), name
    assert "PDFX_VERSION" not in vars(pdfx) and "REGISTRY" not in vars(pdfx)  # render takes them from printshop


def test_every_stock_writes_a_registered_condition_the_checker_reads_as_that_stock():
    assert pdfx.PAPERS == tuple(stock.name for stock in printshop.STOCKS)
    for stock in printshop.STOCKS:
        assert pdfx.condition_for(stock.name).identifier == stock.condition
        assert checks._registered(stock.condition) == stock.name
        assert printshop.TAC_LIMIT_PCT[stock.name] == stock.ink_limit_pct
    assert printshop.TAC_LIMIT_PCT == {"coated": 300.0, "uncoated": 260.0}  # PRINT-SHOP.md


@pytest.mark.parametrize("paper", ["coated", "uncoated"])
def test_what_handbill_prints_passes_its_own_preflight_without_a_warning(sample, tmp_path, paper):
    """Crop marks of MARK_WIDTH outside the bleed, 3 mm bleed, no line under MIN_LINE_PT, a QR
    code with its QR_QUIET_ZONE and modules of at least QR_MODULE_GOOD_MM: the checker,
    with the same numbers, finds nothing to warn about, on a single page or a sheet of copies."""
    built = build(sample, BuildOptions(layouts=("a4-leaflet", "a3-poster"), marks=True, stock=paper), out_dir=tmp_path / "kit")
    built += build(sample, BuildOptions(layouts=("a6-handbill",), stock=paper, sheet="A4"), out_dir=tmp_path / "sheet")
    for result in built:
        report = preflight(result.path)
        assert report.paper == paper
        assert [f.code for f in report.findings if f.severity != "note"] == [], result.path.name
        for page in report.pages:
            assert page.crop_marks
            assert min(page.bleed_mm.values()) >= printshop.BLEED_MM - 0.05
            assert page.thinnest_line == printshop.MARK_WIDTH == printshop.MIN_LINE_PT
            assert page.smallest_text >= printshop.MIN_TEXT_PT
            assert page.max_coverage <= printshop.TAC_LIMIT_PCT[paper]
            for code in page.qr_codes:
                assert code["quiet_zone_modules"] == printshop.QR_QUIET_ZONE
                assert code["module_mm"] >= printshop.QR_MODULE_GOOD_MM


# --- the two places where the builder and the checker disagreed -------------------------


def test_an_image_handbill_resampled_to_300_ppi_is_not_warned_about(tmp_path):
    """2000 px in a 100 mm box is resampled to 1181 px: 299.97 ppi. Before, the build's own
    preflight warned "300 ppi at the size it is printed; 300 ppi is best"."""
    block = '[[block]]\nrole = "image"\nsrc = "picture.png"\narea = { x = "0%", y = "0%", w = "100mm", h = "100mm" }\n'
    Image.new("RGB", (2000, 2000), (20, 120, 200)).save(tmp_path / "picture.png")
    layout = tmp_path / "photo.toml"
    layout.write_text(f'[page]\nsize = "A5"\n{block}\n[[block]]\nrole = "headline"\narea = {{ x = "0%", y = "75%", w = "100%", h = "20%" }}\n',
                      encoding="utf-8")
    statement = tmp_path / "call.md"
    statement.write_text("---\ntitle: Homes for all!\n---\n\nWe stand together.\n", encoding="utf-8")
    (result,) = build(statement, BuildOptions(layouts=(str(layout),)), out_dir=tmp_path / "out")
    (image,) = preflight(result.path, raster=False).pages[0].images
    assert image["pixels"] == [round(100 / 25.4 * printshop.IMAGE_GOOD_PPI)] * 2 and image["ppi"] == 300
    assert result.notices == () and result.warnings == ()


def test_an_image_the_builder_accepts_is_no_error_to_the_checker(tmp_path):
    """295 px in 50 mm is 149.86 ppi: "150 ppi" to both. Before, the builder let it through
    and its own preflight gate then refused the file: "is only 150 ppi"."""
    side = 295
    assert printshop.IMAGE_MIN_PPI - printshop.PPI_SLACK < side / (50 / 25.4) < printshop.IMAGE_MIN_PPI
    layout = photo_layout(tmp_path, Image.new("RGB", (side, side), (20, 120, 200)))
    statement = tmp_path / "call.md"
    statement.write_text("---\ntitle: Homes for all!\n---\n\nWe stand together.\n", encoding="utf-8")
    (result,) = build(statement, BuildOptions(layouts=(str(layout),)), out_dir=tmp_path / "out")
    assert any("150 ppi" in str(notice) for notice in result.notices)
    findings = [f for f in preflight(result.path, raster=False).findings if f.code == "image-resolution"]
    assert [f.severity for f in findings] == ["warning"]


def _qr_layout(folder: Path, module: str) -> Path:
    path = folder / "qr.toml"
    path.write_text(f'[page]\nsize = "A6"\n[[block]]\nrole = "qr"\nmodule = "{module}"\n'
                    'area = { x = "0%", y = "0%", w = "40mm", h = "50mm" }\n'
                    '[[block]]\nrole = "headline"\narea = { x = "0%", y = "70%", w = "100%", h = "30%" }\n', encoding="utf-8")
    return path


def test_a_layout_cannot_ask_for_qr_modules_the_checker_calls_an_error(tmp_path):
    """Before, module = "0.3mm" built a code of 0.31 mm modules without a word, and
    `handbill check` on that very file said error (qr-module-small)."""
    with pytest.raises(InputError, match=f"at least {printshop.QR_MODULE_MIN_MM:g}mm"):
        load_layout(_qr_layout(tmp_path, "0.3mm"))
    lowest = load_layout(_qr_layout(tmp_path, f"{printshop.QR_MODULE_MIN_MM:g}mm"))
    assert lowest.blocks_with_role("qr")[0].module_mm == printshop.QR_MODULE_MIN_MM


def test_a_layout_cannot_ask_for_text_the_checker_calls_an_error(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(f'[page]\nsize = "A6"\n[[block]]\nrole = "headline"\nsize = "{printshop.TINY_TEXT_PT - 0.5:g}pt"\n'
                    'area = { x = "0%", y = "0%", w = "100%", h = "30%" }\n', encoding="utf-8")
    with pytest.raises(InputError, match=f"use {printshop.MIN_TEXT_PT:g}pt or more"):
        load_layout(path)


def test_office_pages_and_tiles_keep_the_office_margin():
    from handbill import compose, impose, tiling

    assert compose.OFFICE_MARGIN is impose.OFFICE_MARGIN is tiling.OFFICE_MARGIN is printshop.OFFICE_MARGIN
    assert printshop.OFFICE_MARGIN == pytest.approx(5 * MM)
