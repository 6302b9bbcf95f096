"""`pip install .` makes a real wheel that carries everything handbill needs at run time:
every module, the fonts with their licences, the bundled layouts and the example statement —
and the installed package builds a PDF and draws the layouts' thumbnails from any folder. Built offline (no build isolation, no index) from a
copy of the source tree, so the checkout gets no build/ or egg-info litter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "src", "assets", "layouts", "examples")

pytestmark = pytest.mark.slow  # a few seconds: pip builds and installs a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, tree / name)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "--wheel-dir", str(out), str(tree)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    wheels = list(out.glob("handbill-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict[str, str]:
    """The wheel installed into a folder of its own, away from the checkout: the environment
    that runs it."""
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {**os.environ, "PYTHONPATH": str(target)}


@pytest.fixture(scope="module")
def names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_module_of_the_package(names):
    modules = {f"handbill/{p.relative_to(REPO / 'src' / 'handbill').as_posix()}"
               for p in (REPO / "src" / "handbill").rglob("*.py")}
    missing = sorted(modules - names)
    assert not missing, f"not in the wheel (add their packages to pyproject.toml): {missing}"


def test_the_wheel_holds_every_font_and_its_licence(names):
    fonts = REPO / "assets" / "fonts"
    for font in fonts.rglob("*.ttf"):
        assert f"handbill/assets/fonts/{font.relative_to(fonts).as_posix()}" in names
    for family in (p for p in fonts.iterdir() if p.is_dir()):
        licences = [n for n in names if n.startswith(f"handbill/assets/fonts/{family.name}/")
                    and any(word in n.rsplit("/", 1)[1].upper() for word in ("OFL", "LICEN", "COPYING", "COPYRIGHT"))]
        assert licences, f"the wheel has no licence for {family.name}"
    assert "handbill/assets/fonts/noto-sans/OFL.txt" in names


def test_the_wheel_holds_every_bundled_layout(names):
    layouts = sorted((REPO / "layouts").glob("*.toml"))
    assert len(layouts) >= 3
    for layout in layouts:
        assert f"handbill/layouts/{layout.name}" in names


def test_the_wheel_holds_the_example_statement(names):
    assert "handbill/examples/housing-not-demolitions.md" in names  # `handbill layouts --preview` fills with it


def test_the_wheel_declares_the_handbill_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert "handbill = handbill.__main__:main" in archive.read(entry_points).decode()


def test_the_installed_wheel_builds_a_leaflet_from_any_folder(installed, tmp_path):
    """The fonts and layouts are found inside the package."""
    statement = tmp_path / "rally.md"
    statement.write_text("---\ntitle: Meet us on the bridge\nurl: https://example.org/r\n"
                         "slogans:\n  - Homes, not rubble!\n---\n\nSaturday at ten, bring a friend.\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([sys.executable, "-m", "handbill", "build", str(statement), "--layout", "a4-leaflet"],
                         cwd=elsewhere, env=installed, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert (elsewhere / "out" / "rally-a4-leaflet.pdf").read_bytes().startswith(b"%PDF")
    where = subprocess.run([sys.executable, "-c", "import handbill; print(handbill.__file__)"],
                           cwd=elsewhere, env=installed, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip().startswith(installed["PYTHONPATH"])


def test_the_installed_wheel_draws_the_layouts_thumbnails_with_its_example(installed, tmp_path):
    run = subprocess.run([sys.executable, "-m", "handbill", "layouts", "--preview", "thumbs"],
                         cwd=tmp_path, env=installed, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "thumbs" / "a4-leaflet.png").read_bytes().startswith(b"\x89PNG")


def test_the_wheel_holds_the_web_page_and_every_asset_it_serves(names):
    web = REPO / "src" / "handbill" / "web"
    for asset in [*(web / "templates").glob("*.html"), *(web / "static").rglob("*.*")]:
        assert f"handbill/web/{asset.relative_to(web).as_posix()}" in names, asset
    for layout in (REPO / "layouts").glob("*.toml"):  # the gallery's thumbnails
        assert f"handbill/web/static/thumbnails/{layout.stem}.png" in names, layout.stem
