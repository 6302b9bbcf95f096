"""No hidden state: what one build does never changes what a later build makes.

handbill is to run inside a long-lived web service that builds for many organisers in one
process. These tests build in one process in several orders, after builds with other fonts,
and from two threads at once, and check that each build comes out as it does alone; and that
no module of the package keeps a dict, list or set that a build changes.

They go through the command line and build(), which exist before and after fonts became a
value passed in (handbill.fonts.FontSet), so the same tests show the bug and the fix.
"""

from __future__ import annotations

import collections.abc
import hashlib
import importlib
import pkgutil
import subprocess
import sys
import threading
from pathlib import Path

import handbill
from handbill.cli import main
from handbill.resources import bundled_dir, fonts_dir

from conftest import DATA

PRIVATE_CHAR = "\ue123"  # in no bundled font: only the test font below has it
ARABIC = DATA / "scripts" / "ar.md"
LATIN = DATA / "river-homes.md"
URL = "https://example.org/statements/river-homes"


def extra_font(folder: Path, name: str = "Extra.ttf", family: str = "HandbillTestExtra") -> Path:
    """Noto Sans with one more character, PRIVATE_CHAR (drawn as its 'A'), under its own
    names (a PostScript name of its own: two fonts of one name cannot share a PDF)."""
    from fontTools.ttLib import TTFont

    font = TTFont(fonts_dir() / "noto-sans" / "NotoSans-Regular.ttf")
    glyph = font.getBestCmap()[ord("A")]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[ord(PRIVATE_CHAR)] = glyph
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = family
    path = folder / name
    font.save(path)
    return path


def custom_layout(folder: Path, font: Path) -> Path:
    """The bundled A5 leaflet under another name, with `font` in its fonts = [...]."""
    text = (bundled_dir("layouts") / "a5-leaflet.toml").read_text(encoding="utf-8")
    path = folder / "custom.toml"
    path.write_text(f'name = "custom"\nfonts = ["{font.name}"]\n{text}', encoding="utf-8")
    return path


def private_statement(folder: Path) -> Path:
    path = folder / "private.md"
    path.write_text(
        f"---\ntitle: Homes for all\nurl: {URL}\nslogans:\n  - Homes, not rubble!\n---\n\n"
        f"The tenants of the river bank {PRIVATE_CHAR} stay.\n",
        encoding="utf-8",
    )
    return path


def outcome(capsys, *argv: str) -> tuple[int, str]:
    """(exit code, the error line) of `handbill build ...`."""
    code = main(["build", *argv])
    error = capsys.readouterr().err.strip()
    return code, error


def test_a_layouts_own_font_does_not_leak_into_later_layouts(tmp_path, capsys):
    """`--layout custom.toml --layout a5-leaflet` built, and the reverse order failed, on the
    same text: the custom layout's font joined every chain for the rest of the process."""
    font = extra_font(tmp_path)
    layout = custom_layout(tmp_path, font)
    statement = private_statement(tmp_path)
    out = str(tmp_path / "out")

    # alone: the custom layout has the character, a5-leaflet does not
    assert outcome(capsys, str(statement), "--layout", str(layout), "--out", out)[0] == 0
    alone = outcome(capsys, str(statement), "--layout", "a5-leaflet", "--out", out)
    assert alone[0] == 1 and "U+E123" in alone[1] and "--font PATH" in alone[1]
    # one after the other, in both orders: a5-leaflet fails as it does alone
    for order in ((str(layout), "a5-leaflet"), ("a5-leaflet", str(layout))):
        args = [arg for name in order for arg in ("--layout", name)]
        assert outcome(capsys, str(statement), *args, "--out", out) == alone, order
    assert outcome(capsys, str(statement), "--layout", "a5-leaflet", "--out", out) == alone
    # and --font, given to one build, is not there for the next
    assert outcome(capsys, str(statement), "--layout", "a5-leaflet", "--font", str(font), "--out", out)[0] == 0
    assert outcome(capsys, str(statement), "--layout", "a5-leaflet", "--out", out) == alone


def test_two_user_fonts_of_one_file_name_are_two_fonts(tmp_path, capsys):
    """A font's registered name comes from its content, not its file name: a second
    Extra.ttf elsewhere, without the character, does not stand in for the first."""
    with_char = extra_font(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    plain = other / "Extra.ttf"
    plain.write_bytes((fonts_dir() / "noto-sans" / "NotoSans-Regular.ttf").read_bytes())
    statement = private_statement(tmp_path)
    out = str(tmp_path / "out")
    assert outcome(capsys, str(statement), "--layout", "a5-leaflet", "--font", str(with_char), "--out", out)[0] == 0
    code, error = outcome(capsys, str(statement), "--layout", "a5-leaflet", "--font", str(plain), "--out", out)
    assert code == 1 and "U+E123" in error


def test_a_users_font_of_a_bundled_fonts_postscript_name_is_still_the_users(tmp_path, capsys):
    """reportlab's registry gives a new font the one already registered under the same
    PostScript name: a user's Noto Sans with one more character was drawn (and its
    coverage checked) as the bundled Noto Sans, depending on which was registered first."""
    newer = extra_font(tmp_path, "NotoSansNewer.ttf", family="NotoSans-Regular")
    statement = private_statement(tmp_path)
    out = tmp_path / "out"
    assert outcome(capsys, str(statement), "--layout", "a5-leaflet", "--font", str(newer), "--out", str(out))[0] == 0
    from handbill.preflight import preflight

    report = preflight(out / "private-a5-leaflet.pdf", name="private", raster=False)
    names = {font.name for page in report.pages for font in page.fonts}
    assert "NotoSans-Regular" in names and any(name.startswith("NotoSans-Regular-") for name in names), names


# --- the same kit, byte for byte, whatever came before ---------------------------------

KIT = ("a4-leaflet", "a3-poster")


def _fresh_kit(statement: Path, out: Path) -> dict[str, str]:
    """The kit as a new process builds it, with nothing built before."""
    subprocess.run(
        [sys.executable, "-m", "handbill", "build", str(statement), "--out", str(out), "--url", URL],
        check=True, capture_output=True,
    )
    return {path.name: _digest(path) for path in sorted(out.glob("*.pdf"))}


def _kit(statement: Path, out: Path, layouts=KIT) -> dict[str, str]:
    from handbill.build import build

    from handbill.options import BuildOptions

    built = build(statement, BuildOptions(layouts=tuple(layouts)), out_dir=out, url=URL)
    return {b.path.name: _digest(b.path) for b in built}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_same_kit_is_the_same_bytes_in_any_order_after_other_fonts_and_from_two_threads(tmp_path, capsys):
    statements = (LATIN, ARABIC)
    fresh = {s.name: _fresh_kit(s, tmp_path / f"fresh-{s.stem}") for s in statements}
    # other text in the same faces first (Urdu: Noto Sans Arabic, its glyphs kerned otherwise)
    _kit(DATA / "scripts" / "ur.md", tmp_path / "urdu")
    # and other fonts: a build with --font, and a layout that brings its own
    font = extra_font(tmp_path)
    assert main(["build", str(private_statement(tmp_path)), "--layout", "a5-leaflet", "--font", str(font),
                 "--out", str(tmp_path / "other")]) == 0
    assert main(["build", str(private_statement(tmp_path)), "--layout", str(custom_layout(tmp_path, font)),
                 "--out", str(tmp_path / "other")]) == 0
    capsys.readouterr()
    runs = 0
    for order in (statements, statements[::-1]):
        for layouts in (KIT, KIT[::-1]):
            for statement in order:
                runs += 1
                got = _kit(statement, tmp_path / f"run-{runs}", layouts)
                assert got == fresh[statement.name], (statement.name, layouts)
    # two threads at once, each building both kits
    results: dict[str, dict[str, str]] = {}
    failures: list[BaseException] = []

    def work(name: str, order) -> None:
        try:
            for statement in order:
                results[f"{name}-{statement.stem}"] = _kit(statement, tmp_path / f"{name}-{statement.stem}")
        except BaseException as error:  # shown by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(name, order))
               for name, order in (("one", statements), ("two", statements[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    for name in ("one", "two"):
        for statement in statements:
            assert results[f"{name}-{statement.stem}"] == fresh[statement.name], (name, statement.name)


# --- module globals ---------------------------------------------------------------------


def _modules():
    """Every module of the package, imported."""
    names = [handbill.__name__] + [
        info.name for info in pkgutil.walk_packages(handbill.__path__, prefix=handbill.__name__ + ".")
    ]
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


_MUTABLE = (collections.abc.MutableMapping, collections.abc.MutableSequence, collections.abc.MutableSet)


def _frozen(value, depth: int = 0):
    """A comparable copy of a container's contents, inner containers included."""
    if depth > 6:
        return repr(value)
    if isinstance(value, collections.abc.Mapping):
        return ("map", tuple((repr(key), _frozen(item, depth + 1)) for key, item in value.items()))
    if isinstance(value, (collections.abc.Set)):
        return ("set", tuple(sorted(repr(item) for item in value)))
    if isinstance(value, (list, tuple, collections.abc.MutableSequence)):
        return ("seq", tuple(_frozen(item, depth + 1) for item in value))
    return ("object", id(value))


def _snapshot():
    """Each module's globals: what every name is bound to, and what each mutable container holds."""
    state = {}
    for module in _modules():
        for name, value in vars(module).items():
            if name.startswith("__"):  # __builtins__, __dict__-like interpreter bookkeeping
                continue
            contents = _frozen(value) if isinstance(value, _MUTABLE) else None
            state[f"{module.__name__}.{name}"] = (id(value), contents)
    return state


def test_no_module_global_changes_when_building(tmp_path, capsys):
    """A build leaves every module's globals as it found them: no dict, list or set grows,
    none is rebound. (Caches of immutable data, keyed by their inputs, live in
    functools.cache, which is no module global: they are allowed.) Nothing is allowed-listed."""
    before = _snapshot()
    font = extra_font(tmp_path)
    statement = private_statement(tmp_path)
    out = str(tmp_path / "out")
    assert main(["build", str(LATIN), "--out", out, "--url", URL]) == 0
    assert main(["build", str(ARABIC), "--out", out, "--marks"]) == 0
    assert main(["build", str(statement), "--layout", str(custom_layout(tmp_path, font)), "--out", out]) == 0
    assert main(["build", str(statement), "--layout", "a5-leaflet", "--font", str(font), "--out", out,
                 "--sheet", "A4"]) == 0
    assert main(["build", str(ARABIC), "--layout", "a3-poster", "--size", "A2", "--tile", "A4", "--out", out]) == 0
    assert main(["build", str(LATIN), "--layout", "a6-handbill", "--url", URL, "--out", out, "--preview"]) == 0
    events = tmp_path / "events.csv"
    events.write_text("name,date,place\nCebu,2024-03-18,Plaza\nDavao,2024-03-19,Park\n", encoding="utf-8")
    assert main(["batch", str(LATIN), "--events", str(events), "--layout", "a6-handbill", "--url", URL,
                 "--out", str(tmp_path / "batch")]) == 0
    assert main(["check", str(tmp_path / "out" / "ar-a4-leaflet.pdf"), "--statement", str(ARABIC)]) == 0
    _every_other_command(tmp_path, font)
    capsys.readouterr()
    changed = _changed(before, _snapshot())
    assert not changed, f"module globals changed (or added) by building: {changed}"


def _changed(before: dict, after: dict) -> list[str]:
    """The globals rebound, grown or shrunk, and those that one snapshot has and the other
    not (a `global NAME` first bound during a build is state too)."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def test_a_global_first_bound_during_a_build_counts_as_a_change(monkeypatch):
    """The comparison once looked only at the names there before, so a module that first
    binds a global while building (`global _CACHE; _CACHE = {}`) passed."""
    import handbill.batch

    before = _snapshot()
    monkeypatch.setattr(handbill.batch, "_ADDED_BY_A_BUILD", [], raising=False)
    assert _changed(before, _snapshot()) == ["handbill.batch._ADDED_BY_A_BUILD"]


def _every_other_command(tmp_path: Path, font: Path) -> None:
    """What the command line does besides the builds above: --json, --office, --mono, the
    uncoated stock, a translation, --stack and --duplex, a batch of several rows in forked
    workers with a font, inspect, layouts (and their thumbnails), check on a damaged file."""
    out = str(tmp_path / "more")
    assert main(["build", str(LATIN), "--url", URL, "--out", out, "--json", "--office", "--mono"]) == 0
    assert main(["build", str(LATIN), "--url", URL, "--out", out, "--paper", "uncoated", "--paper", "Letter",
                 "--layout", "a3-poster-bilingual", "--translation", str(ARABIC)]) == 0
    assert main(["build", str(LATIN), "--url", URL, "--out", out, "--layout", "a5-duplex", "--sheet", "A4",
                 "--duplex", "long-edge", "--stack"]) == 0
    assert main(["build", str(LATIN), "--out", out, "--layout", "no-such-layout", "--json"]) == 1  # an error
    events = tmp_path / "rows.csv"
    events.write_text("name,date,place\n" + "".join(f"Town {n},2024-03-18,Plaza {n}\n" for n in range(9)),
                      encoding="utf-8")
    from handbill.batch import run_batch
    from handbill.options import BuildOptions

    result = run_batch(private_statement(tmp_path), events, BuildOptions(layouts=("a6-handbill",), fonts=(str(font),)),
                       out_dir=tmp_path / "rows", workers=2)
    assert not result.failures and len(result.written) == 9
    assert main(["inspect", str(LATIN)]) == 0
    assert main(["layouts"]) == 0
    assert main(["layouts", "--preview", str(tmp_path / "thumbnails")]) == 0
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes((tmp_path / "out" / "ar-a4-leaflet.pdf").read_bytes()[:3000])
    assert main(["check", str(damaged)]) == 1
    assert main(["check", str(damaged), "--json"]) == 1


def _bound_at_top_level(module) -> set[str]:
    """The names a module's own top-level statements bind (not those it imports)."""
    import ast

    names: set[str] = set()
    for node in ast.parse(Path(module.__file__).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            names.update(name.id for name in ast.walk(target) if isinstance(name, ast.Name))
    return names


def test_no_module_defines_a_dict_list_or_set():
    """The issue asks that grep find no module-level mutable state: a table a module keeps
    is a tuple, a frozenset or a read-only mapping (types.MappingProxyType), so that no
    build can change it, rather than a dict, list or set that no build happens to change
    yet. (`__all__` is the interpreter's, a list by custom.)"""
    found = []
    for module in _modules():
        for name in sorted(_bound_at_top_level(module) - {"__all__"}):
            if isinstance(vars(module).get(name), _MUTABLE):
                found.append(f"{module.__name__}.{name}")
    assert found == []


# Parameters whose values come from what organisers write: a cache keyed by one grows with
# every statement a long-running service builds, unless it is bounded.
_TEXT_PARAMETERS = {"text", "word", "token", "url", "matrix", "faces", "extra"}


def test_every_cache_keyed_by_statement_text_is_bounded_and_holds_immutable_values():
    """functools.cache on shape(face, text), the widths, hyphenation and line breaks kept
    every word of every statement ever built: a web service's memory grew with each build
    (about 0.3 MB a leaflet of new words) and was never given back. linebreak.segments also
    handed the one cached list to every caller."""
    import inspect

    unbounded = []
    for module in _modules():
        for name, value in vars(module).items():
            if not callable(getattr(value, "cache_info", None)) or getattr(value, "__module__", None) != module.__name__:
                continue
            parameters = set(inspect.signature(value).parameters)
            if parameters & _TEXT_PARAMETERS and value.cache_info().maxsize is None:
                unbounded.append(f"{module.__name__}.{name}")
    assert unbounded == []
    from handbill.text.linebreak import segments

    assert isinstance(segments("Homes, not rubble", "en"), tuple)
