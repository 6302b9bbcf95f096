"""How fast is handbill, per script, against Typst? Run: .venv/bin/python bench/bench_kits.py

From a fresh clone:
    python3 -m venv .venv && .venv/bin/pip install -e '.[test]' typst
    .venv/bin/python bench/bench_kits.py            # --runs 15 --warm 40 by default

Measures, on this machine, in ONE run with the cases interleaved (each round runs every
case once, so a noisy VM's drift hits them all alike):
  - the kit (A4 leaflet + A3 poster, --marks): one whole `handbill build` process, start-up
    and imports included, for two Latin statements (the example, the ILPS Gaza statement),
    an Arabic and a Japanese one (bench/statements/: UDHR preamble and articles 1-5);
  - Typst's one A4 leaflet of comparable content (the example's text, two columns): one
    whole `python -c 'import typst; typst.compile(...)'` process;
  - `python -c pass`, the interpreter alone, for scale;
  - the peak memory (ru_maxrss) of each child process;
  - a warm leaflet: one process builds the A4 leaflet in memory (compose, render,
    preflight read-back; nothing written) N times after a warm-up; ms per leaflet.
Reports medians (and the min) and the issue's targets (issue 9, item 8):
  Latin kit <= 2x Typst's leaflet; Arabic/Japanese kit <= 1.5x the Latin kit;
  warm leaflet <= 35 ms; peak memory <= 80 MB for any script.
Timings are noisy: this is a script to read, not a test that fails.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATEMENTS = HERE / "statements"
KITS = [
    ("Latin (example, .md)", STATEMENTS / "housing-not-demolitions.md", []),
    ("Latin (ILPS Gaza, .txt)", STATEMENTS / "ilps-ap-gaza-2023.txt", ["--url", "https://ilps.info/statements/gaza"]),
    ("Arabic (UDHR, .md)", STATEMENTS / "udhr-ar.md", []),
    ("Japanese (UDHR, .md)", STATEMENTS / "udhr-ja.md", []),
]


def environment() -> dict[str, str]:
    # As an installed handbill runs: pip compiles bytecode on install, so a shell's
    # PYTHONDONTWRITEBYTECODE (which recompiles every module on every run) is left out.
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def handbill_command() -> list[str]:
    script = Path(sys.executable).with_name("handbill")  # the console script pip installed
    return [str(script)] if script.exists() else [sys.executable, "-m", "handbill"]


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()}")
    child.stderr.close()
    return elapsed, usage.ru_maxrss


def _typst_escape(text: str) -> str:
    text = re.sub(r"([\\#*_`$<>@\[\]~/=+-])", r"\\\1", text)
    text = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"*\1*", text)  # Markdown bold -> Typst strong
    return re.sub(r"\\\*(.+?)\\\*", r"_\1_", text)  # Markdown emphasis -> Typst emph


def typst_leaflet(statement: Path) -> str:
    """The example statement as a Typst A4 leaflet like handbill's: the same Noto Sans files
    (handbill's assets, so Typst reads and subsets the same faces), a red title banner,
    two justified, hyphenated columns of body (headings, lists, bold and italics kept), the
    slogans in red and the organisation at the foot. (No QR code: Typst has none built in.)"""
    _, front, body = statement.read_text(encoding="utf-8").split("---\n", 2)
    fields = dict(re.findall(r"^(\w+): (.+)$", front, re.M))
    slogans = re.findall(r"^  - (.+)$", front, re.M)
    lines = []
    for block in body.strip().split("\n\n"):
        for line in block.splitlines():
            if line.startswith("## "):
                lines.append("== " + _typst_escape(line[3:]))
            elif line.startswith("- "):
                lines.append("- " + _typst_escape(line[2:]))
            else:
                lines.append(_typst_escape(line))
        lines.append("")
    red = 'rgb("#e5322d")'
    return "\n".join([
        '#set page(paper: "a4", margin: (x: 14mm, top: 0mm, bottom: 12mm))',
        '#set text(font: "Noto Sans", size: 9pt, lang: "en", hyphenate: true)',
        "#set par(justify: true, leading: 0.5em, spacing: 0.9em)",
        "#show heading: set text(size: 9pt, weight: \"bold\")",
        f"#block(fill: {red}, width: 100% + 28mm, inset: (x: 14mm, y: 12mm), outset: (x: 0mm))["
        f"#text(font: \"Noto Sans\", stretch: 62.5%, weight: \"black\", size: 40pt, fill: white)"
        f"[{_typst_escape(fields['title'])}]]",
        "#columns(2, gutter: 6mm)[",
        *lines,
        "]",
        "#v(1fr)",
        *(f"#text(font: \"Noto Sans\", stretch: 62.5%, weight: \"black\", size: 22pt, fill: {red})"
          f"[{_typst_escape(slogan)}] \\" for slogan in slogans),
        f"#text(size: 7pt)[{_typst_escape(fields['organisation'])} · {_typst_escape(fields['date'])} · "
        f"{_typst_escape(fields['url'])}]",
        "",
    ])


def warm_leaflet(statement: Path, runs: int) -> tuple[float, float, float]:
    """Median ms per A4 leaflet built in memory in one warm process: the whole document
    (compose, render, preflight), and compose and render alone."""
    from handbill.build import load_statement, make_document
    from handbill.compose import compose
    from handbill.layout import find_layout
    from handbill.pdfx import condition_for
    from handbill.render import render

    statement_value = load_statement(statement)
    layout = find_layout("a4-leaflet")
    pdfx = condition_for("coated")

    def whole() -> None:
        make_document(statement_value, layout, name="a4-leaflet.pdf", marks=True, pdfx=pdfx)

    composition = compose(statement_value, layout)
    for _ in range(3):  # warm-up: fonts parsed, caches full
        whole()
    figures = []
    for step in (whole, lambda: compose(statement_value, layout), lambda: render(composition, marks=True, pdfx=pdfx)):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        figures.append(statistics.median(times) * 1000)
    return figures[0], figures[1], figures[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds of whole processes (each case once a round)")
    parser.add_argument("--warm", type=int, default=40, help="leaflets built in the warm process")
    parser.add_argument("--no-typst", action="store_true", help="leave Typst out")
    args = parser.parse_args()
    env = environment()
    handbill = handbill_command()
    work = Path(tempfile.mkdtemp(prefix="handbill-bench-"))
    try:
        cases: list[tuple[str, list[str]]] = [("python -c pass", [sys.executable, "-c", "pass"])]
        for label, statement, extra in KITS:
            cases.append((f"kit: {label}", [*handbill, "build", str(statement), "--out", str(work / "out"), "--marks", *extra]))
        typst_note = ""
        if not args.no_typst:
            try:
                import typst  # noqa: F401
            except ImportError:
                typst_note = "Typst: `pip install typst` failed or was not run; no comparison."
            else:
                source = work / "leaflet.typ"
                source.write_text(typst_leaflet(STATEMENTS / "housing-not-demolitions.md"), encoding="utf-8")
                fonts = str(HERE.parent / "assets" / "fonts" / "noto-sans")
                code = (f"import typst; typst.compile({str(source)!r}, output={str(work / 'leaflet.pdf')!r}, "
                        f"font_paths=[{fonts!r}], ignore_system_fonts=True)")
                cases.append(("Typst: one A4 leaflet (example text)", [sys.executable, "-c", code]))
        for _, command in cases:  # warm-up: bytecode written, files in the page cache
            run(command, env)
        times: dict[str, list[float]] = {label: [] for label, _ in cases}
        memory: dict[str, int] = {label: 0 for label, _ in cases}
        for _ in range(args.runs):
            order = list(cases)
            random.shuffle(order)  # interleaved, in a different order every round
            for label, command in order:
                elapsed, peak = run(command, env)
                times[label].append(elapsed)
                memory[label] = max(memory[label], peak)
        medians = {label: statistics.median(values) for label, values in times.items()}
        whole, compose_ms, render_ms = warm_leaflet(STATEMENTS / "housing-not-demolitions.md", args.warm)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    typst_label = "Typst: one A4 leaflet (example text)"
    latin = medians[f"kit: {KITS[0][0]}"]
    print(f"whole processes: median of {args.runs} rounds, interleaved; {os.cpu_count()} cores; {sys.version.split()[0]}")
    print()
    print("| case | median s (min) | vs Typst | vs Latin kit | peak MB |")
    print("| --- | --- | --- | --- | --- |")
    for label, _ in cases:
        vs_typst = f"{medians[label] / medians[typst_label]:.2f}x" if typst_label in medians else "-"
        vs_latin = f"{medians[label] / latin:.2f}x" if label.startswith("kit") else "-"
        print(f"| {label} | {medians[label]:.3f} ({min(times[label]):.3f}) | {vs_typst} | {vs_latin} "
              f"| {memory[label] / 1024:.0f} |")
    print()
    print(f"warm A4 leaflet (example), one process, median of {args.warm}: {whole:.1f} ms "
          f"(compose {compose_ms:.1f} ms, render {render_ms:.1f} ms, the rest is the preflight read-back)")
    print()
    print("targets: Latin kit <= 2x Typst's leaflet; Arabic/Japanese kit <= 1.5x the Latin kit; "
          "warm leaflet <= 35 ms; peak memory <= 80 MB")
    if typst_note:
        print(typst_note)


if __name__ == "__main__":
    main()
