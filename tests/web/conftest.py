"""The web tests' fixtures: an app on either job backend, a real redis-server on a free
loopback port, RQ workers, and the statements typed into the page.

Under CI=true a missing redis-server or chromium fails the tests that need it; elsewhere
they are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
GAZA = DATA / "ilps-ap-gaza-2023.txt"
GAZA_TITLE = "Stop the genocide in Gaza"
ARABIC_TITLE = "أوقفوا الإبادة في غزة"
ARABIC_TEXT = ("نقف مع الشعب الفلسطيني ضد الإبادة والفصل العنصري. نطالب بوقف فوري للحصار والعدوان على غزة، "
               "وبحماية المدنيين والأطفال والمستشفيات والمدارس.\n\n"
               "الحرية لفلسطين من النهر إلى البحر.\n\nأوقفوا الحرب الآن!")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(program: str, why: str) -> str:
    """The path of `program`; skipped without it, or failed under CI."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed ({why}); apt-get install {program}"
        if IN_CI:
            pytest.fail(f"CI: {message}")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A redis-server of the tests' own on a free 127.0.0.1 port, nothing saved to disk."""
    program = need("redis-server", "the RQ backend's tests run against a real Redis")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Workers:
    """`handbill worker` processes on the tests' Redis."""

    def __init__(self, url: str, count: int):
        self.processes = [subprocess.Popen([sys.executable, "-m", "handbill", "worker", "--queue", url],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                          for _ in range(count)]

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def rq_workers(redis_url):
    workers = Workers(redis_url, 2)
    yield workers
    workers.stop()


@pytest.fixture(scope="session")
def gaza_text() -> str:
    return GAZA.read_text(encoding="utf-8")


def wait_done(client, url: str, seconds: float = 60) -> dict:
    """Poll a job's status until it is done or failed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.1)
    raise TimeoutError(f"{url} not done after {seconds} s")
