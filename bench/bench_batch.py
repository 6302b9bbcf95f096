"""How fast is `handbill batch`? Run: .venv/bin/python bench/bench_batch.py [--events 100]

Builds the kit (A4 leaflet + A3 poster) for N generated events, in this process (as the
`batch` command does: the statement, layouts and fonts loaded once), into a temporary
folder, and reports seconds, documents per second and peak memory (ru_maxrss).
Target (2-core machine): 100 events x kit in <= 10 s, peak memory <= 300 MB.
Timings are noisy: this is a script to read, not a test that fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

STATEMENT = ROOT / "examples" / "housing-not-demolitions.md"
CITIES = ["Kalinaw City", "Quezon City", "Cebu", "Davao", "Iloilo", "Baguio", "Bacolod", "Cagayan de Oro", "Tacloban", "Naga"]


def write_events(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "date", "time", "place", "note", "url"])
        for n in range(count):
            city = CITIES[n % len(CITIES)]
            writer.writerow([
                f"{city} {n + 1}", "2024-03-23", f"{9 + n % 8}:00", f"Plaza {n + 1}, {city}",
                "Bring banners and water" if n % 2 else "", f"https://example.org/rallies/{n + 1}" if n % 3 else "",
            ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    args = parser.parse_args()
    from handbill.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "rallies.csv"
        write_events(events, args.events)
        started = time.perf_counter()
        result = run_batch(STATEMENT, events, out_dir=Path(tmp) / "out", workers=args.workers)
        seconds = time.perf_counter() - started
        size = sum(path.stat().st_size for path in result.written)
    # ru_maxrss is in KB on Linux; for children it is the largest one, so the parent plus
    # every worker at that size bounds the total (forked pages are shared, so it is less)
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    parent, child = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    peak_mb = parent + (workers * child if workers > 1 else 0)
    documents = len(result.written)
    print(f"{args.events} events x kit: {documents} PDFs in {seconds:.2f} s "
          f"({documents / seconds:.1f} documents/s, {seconds / args.events * 1000:.0f} ms per event), "
          f"{size / documents / 1024:.0f} KB per PDF, peak memory {peak_mb:.0f} MB "
          f"(parent {parent:.0f} MB + {workers} worker(s) of at most {child:.0f} MB), {len(result.failures)} failed")
    print(f"targets: <= 10 s {'ok' if seconds <= 10 else 'MISSED'}, <= 300 MB {'ok' if peak_mb <= 300 else 'MISSED'}")


if __name__ == "__main__":
    main()
