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
    helpers = []
    if queue:
        helpers = [subprocess.Popen([sys.executable, "-m", "handbill", "worker", "--queue", queue])
                   for _ in range(workers or 0)]
    try:
        # no access log: the ids in the addresses are the keys to the organisers' files
        uvicorn.run(create_app(settings), host=host, port=port, access_log=False, log_level="warning",
                    server_header=False)
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            helper.wait(timeout=10)


def worker(*, queue: str, burst: bool = False) -> None:
    run_worker(queue, burst=burst)
