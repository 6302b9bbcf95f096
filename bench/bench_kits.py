"""How fast is handbill, per script, against Typst? Run: .venv/bin/python bench/bench_kits.py

From a fresh clone:
    python3 -m venv .venv && .venv/bin/pip install -e '.[test]' typst
    .venv/bin/python bench/bench_kits.py                    # --runs 15 --warm 40 by default
    .venv/bin/python bench/bench_kits.py --against 6186bb2  # and that commit, in the same run

handbill is measured as a user runs it: this checkout (and --against's commit, taken
with `git archive`) is built into a wheel and installed into a throwaway venv of its
own (bytecode compiled, as pip does; no editable-install hook), whose dependencies are
this venv's; the `handbill` console script of that venv is what is timed.

Measures, on this machine, in ONE run with the cases interleaved (each round runs every
case once, so a noisy VM's drift hits them all alike):
  - the kit (A4 leaflet + A3 poster, --marks): one whole `handbill build` process, start-up
    and imports included, for two Latin statements (the example, the ILPS Gaza statement),
    an Arabic and a Japanese one (bench/statements/: UDHR preamble and articles 1-5);
  - Typst's one A4 leaflet of comparable content (the example's text, two columns): one
    whole `python -c 'import typst; typst.compile(...)'` process;
  - `python -c pass`, the interpreter alone, for scale;
  - the peak memory (ru_maxrss) of each child process (this process imports nothing big:
    Linux counts a child's memory before exec, a copy of its parent's, in its peak);
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


def install(tree: Path, work: Path, name: str) -> Path:
    """`tree` built into a wheel and installed into a venv of its own; returns its
    `handbill` console script. The venv borrows this venv's packages (a .pth file), so
    nothing is downloaded; --no-build-isolation, as tests/test_wheel.py builds."""
    wheels = work / f"wheels-{name}"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
                    "--wheel-dir", str(wheels), str(tree)], check=True, capture_output=True)
    venv = work / f"venv-{name}"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    import sysconfig

    Path(site, "_bench_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
                    *map(str, wheels.glob("handbill-*.whl"))], check=True, capture_output=True)
    return venv / "bin" / "handbill"


def checkout(revision: str, work: Path) -> Path:
    """The tree of `revision` (what a wheel is built from), via git archive."""
    tree = work / f"tree-{revision}"
    tree.mkdir()
    # piped straight into tar: the fonts (13 MB) never pass through this process, whose
    # peak memory would otherwise become every child's (see run)
    git = subprocess.Popen(["git", "-C", str(HERE.parent), "archive", revision, "pyproject.toml", "README.md", "src",
                            "assets", "layouts", "examples"], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tree)], stdin=git.stdout, check=True)
    git.stdout.close()
    if git.wait():
        raise SystemExit(f"git archive {revision} failed")
    return tree


def this_tree(work: Path) -> Path:
    """This checkout as it is (uncommitted changes too), without its venv and caches."""
    tree = work / "tree-this"
    for name in ("pyproject.toml", "README.md", "src", "assets", "layouts", "examples"):
        source = HERE.parent / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            tree.mkdir(exist_ok=True)
            shutil.copy2(source, tree / name)
    return tree


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (KB) of one child
    process. On a busy machine the CPU time is the steadier figure. Linux counts in a
    child's peak the memory it had before exec, which is its parent's peak: this process
    must stay small (it imports nothing big, and holds no big data), or every figure
    starts from its size (`python -c pass` shows the floor)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()}")
    child.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


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
    from handbill.build import make_document
    from handbill.compose import compose
    from handbill.fonts import FontSet
    from handbill.layout import find_layout
    from handbill.options import BuildOptions
    from handbill.pdfx import condition_for
    from handbill.render import render
    from handbill.statement import read_statement

    statement_value = read_statement(statement)
    layout = find_layout("a4-leaflet")
    pdfx = condition_for("coated")
    fonts = FontSet.bundled()
    options = BuildOptions(marks=True)

    def whole() -> None:
        make_document(statement_value, layout, options, fonts=fonts, name="a4-leaflet.pdf")

    composition = compose(statement_value, layout, fonts=fonts)
    for _ in range(3):  # warm-up: fonts parsed, caches full
        whole()
    figures = []
    for step in (whole, lambda: compose(statement_value, layout, fonts=fonts), lambda: render(composition, fonts=fonts, marks=True, pdfx=pdfx)):
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
    parser.add_argument("--against", metavar="REV", help="also measure this git revision (e.g. 6186bb2), interleaved")
    parser.add_argument("--warm-child", type=int, help=argparse.SUPPRESS)  # the warm process itself
    args = parser.parse_args()
    if args.warm_child:
        print(*warm_leaflet(STATEMENTS / "housing-not-demolitions.md", args.warm_child))
        return
    env = environment()
    work = Path(tempfile.mkdtemp(prefix="handbill-bench-"))
    try:
        installs = [("", install(this_tree(work), work, "this"))]
        if args.against:
            installs.append((f" [{args.against}]", install(checkout(args.against, work), work, args.against)))
        cases: list[tuple[str, list[str]]] = [("python -c pass", [sys.executable, "-c", "pass"])]
        for label, statement, extra in KITS:
            for suffix, handbill in installs:
                cases.append((f"kit: {label}{suffix}", [str(handbill), "build", str(statement), "--out", str(work / "out"),
                                                       "--marks", *extra]))
        typst_note = ""
        if not args.no_typst:
            # asked in a child: this process stays small, since a child's peak memory
            # (ru_maxrss) starts from its parent's size at the fork (Linux counts the
            # memory the child had before exec)
            if subprocess.run([sys.executable, "-c", "import typst"], capture_output=True).returncode:
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
        cpu: dict[str, list[float]] = {label: [] for label, _ in cases}
        memory: dict[str, int] = {label: 0 for label, _ in cases}
        for _ in range(args.runs):
            order = list(cases)
            random.shuffle(order)  # interleaved, in a different order every round
            for label, command in order:
                elapsed, cpu_seconds, peak = run(command, env)
                times[label].append(elapsed)
                cpu[label].append(cpu_seconds)
                memory[label] = max(memory[label], peak)
        medians = {label: statistics.median(values) for label, values in times.items()}
        # the warm leaflet in each installed venv's python, in turn, three times: the median
        warm: dict[str, list[tuple[float, ...]]] = {suffix: [] for suffix, _ in installs}
        for _ in range(3):
            for suffix, handbill in installs:
                out = subprocess.run([str(handbill.with_name("python")), __file__, "--warm-child", str(args.warm)],
                                     check=True, capture_output=True, text=True, env=env).stdout
                warm[suffix].append(tuple(map(float, out.split())))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    typst_label = "Typst: one A4 leaflet (example text)"
    print(f"whole processes: median of {args.runs} rounds, interleaved; {os.cpu_count()} cores; {sys.version.split()[0]}")
    print()
    print("| case | wall s: median (min) | vs Typst | vs Latin kit | CPU s: median | peak MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, _ in cases:
        vs_typst = f"{medians[label] / medians[typst_label]:.2f}x" if typst_label in medians else "-"
        same = f"kit: {KITS[0][0]}" + (label[label.index(" ["):] if " [" in label else "")
        vs_latin = f"{medians[label] / medians[same]:.2f}x" if label.startswith("kit") else "-"
        print(f"| {label} | {medians[label]:.3f} ({min(times[label]):.3f}) | {vs_typst} | {vs_latin} "
              f"| {statistics.median(cpu[label]):.3f} | {memory[label] / 1024:.0f} |")
    print()
    for suffix, figures in warm.items():
        whole, compose_ms, render_ms = (statistics.median(column) for column in zip(*figures))
        print(f"warm A4 leaflet (example){suffix}, one process, median of {args.warm} (x3 processes): {whole:.1f} ms "
              f"(compose {compose_ms:.1f} ms, render {render_ms:.1f} ms, the rest is the preflight read-back)")
    print()
    print("targets: Latin kit <= 2x Typst's leaflet; Arabic/Japanese kit <= 1.5x the Latin kit; "
          "warm leaflet <= 35 ms; peak memory <= 80 MB")
    if typst_note:
        print(typst_note)


if __name__ == "__main__":
    main()
