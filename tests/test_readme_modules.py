"""The README's module list is the tree: every module of src/handbill is named in it, and
every file it names exists. (A new engineer reads that list first; a stale one misleads.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "handbill"


def _module_list() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\nsrc/handbill/\n")
    return readme[start: readme.index("\nassets/fonts/", start)]


def _entries(listing: str) -> dict[str, str]:
    """Top-level name (file.py or folder/) -> its description, continuation lines included."""
    entries: dict[str, str] = {}
    current = None
    for line in listing.splitlines():
        named = re.match(r"^  (\S+)\s+(.*)$", line)
        if named:
            current = named.group(1)
            entries[current] = named.group(2)
        elif current and line.startswith("    "):
            entries[current] += " " + line.strip()
    return entries


def test_every_module_is_in_the_readme_list_and_every_listed_file_exists():
    entries = _entries(_module_list())
    listed = " ".join(f"{name} {text}" for name, text in entries.items())
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "__init__.py":
            assert path.name in listed, f"README's module list does not name src/handbill/{path.name}"
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert f"{folder.name}/" in entries, f"README's module list does not name src/handbill/{folder.name}/"
        for module in sorted(folder.glob("*.py")):
            if module.name != "__init__.py":
                assert re.search(rf"\b{module.stem}\b", entries[f"{folder.name}/"]), (
                    f"README's line for {folder.name}/ does not name its module {module.stem}"
                )
    for name in re.findall(r"(?<![/\w])([a-z_]+\.py)\b", listed):
        assert (PACKAGE / name).is_file(), f"README's module list names {name}, which src/handbill does not have"


def _named_modules(docstring: str) -> set[str]:
    """The module files a docstring names: `name.py`, and `../name.py` for the package's own."""
    return set(re.findall(r"(?<![\w])((?:\.\./)?[a-z_]+\.py)\b", docstring))


def test_the_preflight_docstrings_name_its_modules_where_they_are():
    """preflight/__init__.py and reading.py list the preflight's modules by job: every one of
    them, and none that is not there (truetype.py moved up to the package when fonts.py
    took it as its reader too; operands.py came with the operator table)."""
    import handbill.preflight
    import handbill.preflight.reading

    folder = PACKAGE / "preflight"
    modules = {path.name for path in folder.glob("*.py")} - {"__init__.py"}
    for module in (handbill.preflight, handbill.preflight.reading):
        named = _named_modules(module.__doc__)
        for name in named:
            assert (folder / name).resolve().is_file(), f"{module.__name__}'s docstring names {name}, which is not there"
    listed = _named_modules(handbill.preflight.__doc__)
    assert modules - listed == set(), f"preflight's docstring does not name {sorted(modules - listed)}"


def test_no_module_defines_a_function_or_class_twice():
    """A merge left arrange.py with two `_slug`s (and build.py a third copy): the second
    silently replaces the first, so an edit to the first would change nothing."""
    import ast

    twice = []
    for path in sorted(PACKAGE.rglob("*.py")):
        seen: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name in seen:
                    twice.append(f"{path.relative_to(PACKAGE)}: {node.name}")
                seen.add(node.name)
    assert twice == []
