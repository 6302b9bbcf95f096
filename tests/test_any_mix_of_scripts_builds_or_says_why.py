"""Property: a statement mixing any of the scripts handbill sets (Arabic, Devanagari,
Thai, Khmer, Myanmar, CJK, Hangul, Cyrillic, Greek... and Latin, digits, brackets) builds
on every bundled layout, or stops with one of handbill's own errors (too long, no
slogans). Never a traceback, and never a file its own preflight refuses: fuzzing found
both, so the search stays in the suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.build import PreflightFailed, build
from handbill.errors import HandbillError
from handbill.layout import bundled_layouts
from handbill.options import BuildOptions

SCRIPTS = Path(__file__).resolve().parent / "data" / "scripts"
WORDS = sorted({w for p in SCRIPTS.glob("*.md") for w in p.read_text(encoding="utf-8").split("---", 2)[-1].split()}
               | {"homes", "(2024)", "«rights»", "—", "…", "350", "https://example.org/x"})
LANGS = sorted(p.stem for p in SCRIPTS.glob("*.md")) + ["en"]
LAYOUTS = [layout.name for layout in bundled_layouts()]


def line(draw, low: int, high: int) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=low, max_size=high))).replace('"', "")


@st.composite
def statements(draw) -> str:
    slogans = [line(draw, 1, 6) + "!" for _ in range(draw(st.integers(0, 3)))]
    front = [f'title: "{line(draw, 1, 8)}"', "url: https://example.org/s", f"lang: {draw(st.sampled_from(LANGS))}"]
    if slogans:
        front.append("slogans:\n" + "".join(f'  - "{s}"\n' for s in slogans).rstrip())
    body = "\n\n".join(line(draw, 3, 60) for _ in range(draw(st.integers(1, 6))))
    return "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=statements(), layout=st.sampled_from(LAYOUTS))
def test_a_mix_of_scripts_builds_or_stops_with_one_of_handbills_own_errors(tmp_path, text, layout):
    path = tmp_path / "mix.md"
    path.write_text(text, encoding="utf-8")
    try:
        build(path, BuildOptions(layouts=[layout]), out_dir=tmp_path / "out")
    except PreflightFailed as refused:  # handbill made a file it would not send to print
        raise AssertionError(f"{layout}: {refused}") from None
    except HandbillError:
        pass  # too long for the layout, no slogans for a placard: said in one sentence
