"""How many organisers can the web page serve at once? Run:

    .venv/bin/python bench/bench_web.py [--organisers 20] [--kits 1] [--backends pool,rq1,rq2]

For each backend it starts `handbill serve` on a free 127.0.0.1 port (the embedded pool of
2 processes; or RQ on a redis-server of its own with 1 or 2 `handbill worker`s), builds one
kit to warm the workers, then lets N organisers at once (threads) each do what the page
does: POST the Gaza statement (the kit: A4 leaflet + A3 poster, with page previews), poll
the job's state (GET ...?wait=10, answered when it changes, as the page does), download the kit's zip. It reports seconds per kit (p50, p95, max, from
the POST to the zip in hand), kits per second, failures, and the peak memory (RSS summed over
the server and every process under it, sampled every 0.1 s; Redis's own beside it).
Loopback only; bounded in count (organisers x kits) and time (--timeout per backend).
Also: one warm worker's documents per second through work.execute (the web's one door
into the library, PDFs only), in this process.
Timings are noisy: this is a script to read, not a test that fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

STATEMENT = ROOT / "tests" / "web" / "data" / "ilps-ap-gaza-2023.txt"
TITLE = "Stop the genocide in Gaza"
URL = "https://example.org/statements/gaza"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and every process under it."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


class Peak:
    """The largest tree_rss of some processes, sampled in a thread."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(tree_rss(pid) for pid in self.pids))
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "handbill-bench-boundary"
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    return (body + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def one_kit(base: str, text: str, deadline: float) -> float:
    """What the page does for one kit; its seconds, or an exception."""
    started = time.monotonic()
    body, kind = multipart({"text": text, "title": TITLE, "url": URL})
    request = urllib.request.Request(base + "/api/builds", data=body, method="POST", headers={"Content-Type": kind})
    with urllib.request.urlopen(request, timeout=30) as response:
        job = json.loads(response.read())
    while True:
        with urllib.request.urlopen(base + job["url"] + "?wait=10", timeout=30) as response:
            status = json.loads(response.read())
        if status["state"] == "done":
            break
        if status["state"] == "failed":
            raise RuntimeError(status["problems"][0]["message"])
        if time.monotonic() > deadline:
            raise TimeoutError("past the benchmark's time limit")
    with urllib.request.urlopen(base + status["kit"], timeout=30) as response:
        assert response.read()[:2] == b"PK"
    return time.monotonic() - started


def run(backend: str, organisers: int, kits: int, timeout: float, text: str) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    redis = None
    arguments = ["--workers", "2"]
    folder = tempfile.mkdtemp(prefix="bench-web-")
    if backend.startswith("rq"):
        redis_port = free_port()
        redis = subprocess.Popen([shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--dir", folder],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        arguments = ["--queue", f"redis://127.0.0.1:{redis_port}/0", "--workers", backend[2:]]
    server = subprocess.Popen([sys.executable, "-m", "handbill", "serve", "--port", str(port), *arguments],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(base + "/healthz")
        if redis is not None:  # its workers have registered
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if json.loads(response.read())["workers"] >= int(backend[2:]):
                        break
                time.sleep(0.2)
        for _ in range(int(backend[2:]) if redis is not None else 2):  # warm every worker
            one_kit(base, text, time.monotonic() + 60)
        peak = Peak([server.pid])
        redis_peak = Peak([redis.pid]) if redis is not None else None
        seconds: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + timeout

        def organiser() -> None:
            for _ in range(kits):
                try:
                    took = one_kit(base, text, deadline)
                    with lock:
                        seconds.append(took)
                except Exception as error:  # counted, not raised: a failure is a figure here
                    with lock:
                        failures.append(f"{type(error).__name__}: {error}")

        started = time.monotonic()
        threads = [threading.Thread(target=organiser, daemon=True) for _ in range(organisers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic() + 5))
        elapsed = time.monotonic() - started
        memory = peak.stop()
        redis_memory = redis_peak.stop() if redis_peak else 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    ordered = sorted(seconds)
    return {
        "backend": backend, "organisers": organisers, "kits": len(seconds), "failures": len(failures),
        "p50": statistics.median(ordered) if ordered else None,
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else None,
        "max": ordered[-1] if ordered else None,
        "kits_per_s": len(seconds) / elapsed if elapsed else 0,
        "peak_mb": memory / 1e6, "redis_mb": redis_memory / 1e6, "why": failures[:3],
    }


def documents_per_second(text: str, count: int = 20) -> float:
    """One warm process, work.execute: the kit without previews, `count` times."""
    from handbill.web import work

    job = {"kind": "build", "text": text, "fields": {"title": TITLE, "url": URL}, "previews": False}
    work.execute(job)
    started = time.monotonic()
    documents = sum(len(work.execute(job)["files"]) for _ in range(count))
    return documents / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisers", type=int, default=20)
    parser.add_argument("--kits", type=int, default=1, help="kits each organiser builds, one after another")
    parser.add_argument("--backends", default="pool,rq1,rq2")
    parser.add_argument("--timeout", type=float, default=120, help="seconds each backend's run may take")
    args = parser.parse_args()
    args.organisers, args.kits = min(args.organisers, 200), min(args.kits, 20)  # bounded
    text = STATEMENT.read_text(encoding="utf-8")
    print(f"{os.cpu_count()} cores; {args.organisers} organisers at once, {args.kits} kit(s) each "
          f"(the Gaza statement: A4 leaflet + A3 poster, page previews, the zip)")
    print(f"{'backend':<8} {'kits':>5} {'fail':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'kits/s':>7} "
          f"{'peak MB':>8} {'redis MB':>9}")
    for backend in args.backends.split(","):
        if backend.startswith("rq") and not shutil.which("redis-server"):
            print(f"{backend:<8} skipped: no redis-server")
            continue
        r = run(backend, args.organisers, args.kits, args.timeout, text)
        def f(value):
            return f"{value:7.2f}" if value is not None else "      -"
        print(f"{r['backend']:<8} {r['kits']:>5} {r['failures']:>5} {f(r['p50'])} {f(r['p95'])} {f(r['max'])} "
              f"{r['kits_per_s']:7.2f} {r['peak_mb']:8.0f} {r['redis_mb']:9.0f}" + (f"  {r['why']}" if r["why"] else ""))
    print(f"one warm worker, work.execute without previews: {documents_per_second(text):.1f} documents/s")


if __name__ == "__main__":
    main()
