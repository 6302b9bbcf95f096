"""A plain progress bar on stderr: done/total, elapsed, time left.

On a terminal it redraws one line; elsewhere (a log file, CI) it prints a plain line at
most every few seconds and at the end, so logs stay readable. No dependency needed.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, *, label: str = "", stream: TextIO | None = None, every_s: float = 2.0):
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every_s = every_s
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._last = float("-inf")

    def step(self, *, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.tty or self.done == self.total or now - self._last >= self.every_s:
            self._last = now
            self._show(now)

    def line(self, now: float | None = None) -> str:
        elapsed = (now if now is not None else time.monotonic()) - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        width = 24
        filled = round(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.label}[{bar}] {self.done}/{self.total}{failed}  {elapsed:.1f}s elapsed, ~{left:.1f}s left"

    def _show(self, now: float) -> None:
        if self.tty:
            end = "\n" if self.done == self.total else ""
            self.stream.write(f"\r{self.line(now)}\x1b[K{end}")
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()

    def say(self, message: str) -> None:
        """A line (a failed row) that must not be drawn over by the bar."""
        self.stream.write(("\r\x1b[K" if self.tty else "") + message + "\n")
        self.stream.flush()
