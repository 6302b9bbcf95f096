"""What `handbill serve` and `handbill worker` run."""

from __future__ import annotations

import subprocess
import sys

from .app import Settings, create_app
from .jobs import run_worker


def serve(*, host: str = "127.0.0.1", port: int = 8000, queue: str | None = None, workers: int | None = None,
          ttl: float = 3600, time_limit: float = 60) -> None:
    """The page on host:port until stopped. Without `queue`: jobs run in an embedded pool of
    `workers` processes (default 2). With `queue`: jobs go to RQ on that Redis, and
    `workers` (default 0) `handbill worker` processes are started here beside the page."""
    import uvicorn

    settings = Settings(queue=queue, workers=workers if workers is not None and not queue else 2,
                        ttl=ttl, time_limit=time_limit)
    helpers = [subprocess.Popen([sys.executable, "-m", "handbill", "worker", "--queue", queue], preexec_fn=_die_with_parent)
               for _ in range(workers or 0)] if queue else []

    def stop_helpers() -> None:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                helper.kill()

    app = create_app(settings)
    jobs = f"jobs on {_shown(queue)}" + (f", {workers} worker{'s' if workers != 1 else ''} here" if workers else "") \
        if queue else f"jobs in {settings.workers} worker processes"
    print(f"handbill: the page is at http://{host}:{port}/ ({jobs}); Ctrl+C stops it", file=sys.stderr, flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("handbill: note: this page is open to the network without TLS; put it behind a reverse proxy "
              "with TLS (README: Web page)", file=sys.stderr, flush=True)
    app.state.on_close.append(stop_helpers)  # uvicorn re-raises SIGTERM after shutdown: no `finally` here would run
    try:
        # no access log: the ids in the addresses are the keys to the organisers' files
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False)
    finally:
        stop_helpers()


def _die_with_parent() -> None:
    """In a helper worker, before exec: on Linux it gets SIGTERM when `handbill serve` dies, however it dies."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def worker(*, queue: str, burst: bool = False) -> None:
    print(f"handbill: running jobs from {_shown(queue)}; Ctrl+C stops", file=sys.stderr, flush=True)
    run_worker(queue, burst=burst)


def _shown(url: str) -> str:
    """The queue's address without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()
    return url
