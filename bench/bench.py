"""How fast is handbill? Run: .venv/bin/python bench/bench.py

Measures, on this machine:
  - the median wall time of a whole `handbill build` process making the kit (A4 leaflet
    and A3 poster), start-up and imports included, for each statement;
  - documents per second when one process builds 50 (fonts loaded once);
  - the size of the A4 leaflet.
Targets (2-core machine): kit <= 0.35 s, >= 20 documents/s, leaflet <= 80 KB.
Timings are noisy: this is a script to read, not a test that fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = [
    (ROOT / "examples" / "housing-not-demolitions.md", []),
    (ROOT / "bench" / "statements" / "ilps-ap-gaza-2023.txt", ["--url", "https://ilps.info/statements/gaza"]),
]


def whole_process(statement: Path, extra: list[str], runs: int) -> list[float]:
    # As an installed handbill runs: pip compiles the bytecode when it installs a package,
    # so a shell's PYTHONDONTWRITEBYTECODE (which would recompile every module on every
    # run, ~80 ms) is left out; the warm-up run writes the bytecode of an editable install.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    times = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "handbill", "build", str(statement), "--out", out, "--marks", *extra]
        subprocess.run(command, check=True, capture_output=True, env=environment)  # warm the caches
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=environment)
            times.append(time.perf_counter() - start)
    return times


def in_process(statement: Path, extra: list[str], documents: int) -> tuple[float, int]:
    from handbill.build import build

    url = extra[1] if extra else None
    with tempfile.TemporaryDirectory() as out:
        build(statement, out_dir=out, url=url)  # fonts registered, caches warm: a long-running process
        start = time.perf_counter()
        for number in range(documents):
            layout = ("a4-leaflet", "a3-poster")[number % 2]
            build(statement, layouts=[layout], out_dir=out, url=url, marks=True)
        elapsed = time.perf_counter() - start
        leaflet = next(Path(out).glob("*-a4-leaflet.pdf")).stat().st_size
    return documents / elapsed, leaflet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="whole-process runs per statement")
    parser.add_argument("--documents", type=int, default=50, help="documents built in one process")
    args = parser.parse_args()
    print("| statement | kit, whole process (median of %d) | documents/s in one process | A4 leaflet |" % args.runs)
    print("| --- | --- | --- | --- |")
    for statement, extra in STATEMENTS:
        if not statement.exists():
            continue
        times = whole_process(statement, extra, args.runs)
        rate, leaflet = in_process(statement, extra, args.documents)
        print(
            f"| {statement.name} | {statistics.median(times):.3f} s (min {min(times):.3f}) "
            f"| {rate:.1f} | {leaflet / 1024:.1f} KB |"
        )


if __name__ == "__main__":
    main()
