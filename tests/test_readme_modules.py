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
