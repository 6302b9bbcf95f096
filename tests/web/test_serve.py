"""`handbill serve` and `handbill worker`, the commands the README gives, as processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

from .conftest import free_port, wait_for_port

URL = "https://example.org/statements/gaza"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _post_build(base: str) -> dict:
    boundary = "handbill-test-boundary"
    fields = {"text": "We meet on the bridge at ten.", "title": "Homes now!", "url": URL, "layouts": "a7-handbill"}
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    body += f"--{boundary}--\r\n"
    request = urllib.request.Request(base + "/api/builds", data=body.encode(), method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        job = json.loads(response.read())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = _get(base + job["url"])
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise TimeoutError("the build did not finish")


def _serve(log, *arguments: str):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "handbill", "serve", "--port", str(port), *arguments],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, 30)
    except TimeoutError:
        process.kill()
        raise
    return process, f"http://127.0.0.1:{port}"


def _stop(process) -> str:
    """SIGTERM, as a service manager stops it: the server and its workers end within seconds."""
    process.terminate()
    process.wait(timeout=20)
    return process.log_path.read_text(encoding="utf-8", errors="replace")


def _log(tmp_path):
    path = tmp_path / "serve.log"
    return path, path.open("wb")


def test_handbill_serve_starts_the_page_on_loopback_and_builds(tmp_path):
    path, log = _log(tmp_path)
    process, base = _serve(log, "--workers", "1")
    process.log_path = path
    try:
        assert _get(base + "/healthz") == {"ok": True, "backend": "pool", "workers": 1}
        with urllib.request.urlopen(base + "/", timeout=30) as page:
            assert b"<textarea" in page.read()
        assert _post_build(base)["state"] == "done"
    finally:
        stderr = _stop(process)
    assert f"the page is at {base}/" in stderr
    assert "Homes" not in stderr and "bridge" not in stderr  # nothing of the statement in the log


def test_handbill_serve_with_a_queue_starts_its_workers(redis_url, tmp_path):
    path, log = _log(tmp_path)
    process, base = _serve(log, "--queue", redis_url, "--workers", "1")
    process.log_path = path
    try:
        deadline = time.monotonic() + 30
        while _get(base + "/healthz")["workers"] < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        health = _get(base + "/healthz")
        assert health["backend"] == "rq" and health["workers"] >= 1
        assert _post_build(base)["state"] == "done"
        helpers = _children(process.pid)
        assert helpers
    finally:
        stderr = _stop(process)
    assert "bridge" not in stderr
    deadline = time.monotonic() + 15  # the workers it started stop with it
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if _alive(pid)]


def _children(pid: int) -> list[int]:
    from pathlib import Path

    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_the_queue_password_is_never_printed():
    from handbill.web.serve import _shown

    assert _shown("redis://:s3cret@10.0.0.5:6379/0") == "redis://:***@10.0.0.5:6379/0"
    assert _shown("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
