"""The two job backends behind one interface, below the API: a bug in a job, a full queue."""

from __future__ import annotations

import json
import time

import pytest
from starlette.testclient import TestClient

from handbill.web.app import Settings, create_app
from handbill.web.jobs import Busy, PoolJobs, QueueJobs


@pytest.fixture(params=["pool", "rq"])
def jobs(request):
    if request.param == "pool":
        backend = PoolJobs(workers=1, ttl=60, time_limit=30, max_waiting=3)
    else:
        request.getfixturevalue("rq_workers")
        backend = QueueJobs(request.getfixturevalue("redis_url"), ttl=60, time_limit=30, max_waiting=3)
    yield backend
    backend.close()


def _wait(jobs, job_id, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = jobs.status(job_id)
        if status is not None and status.state in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise TimeoutError(job_id)


def test_a_bug_in_a_job_is_a_failed_job_that_shows_no_traceback(jobs):
    status = _wait(jobs, jobs.submit({"kind": "no-such-kind"}))
    assert status.state == "failed"
    [problem] = status.result["problems"]
    assert problem["code"] == "job-crashed"
    assert "Traceback" not in json.dumps(status.result) and "no-such-kind" not in json.dumps(status.result)


def test_a_full_queue_refuses_more_jobs(jobs):
    slow = {"kind": "build", "text": "x" * 10, "fields": {"title": "Homes now!", "url": "https://example.org/"},
            "layouts": ["a4-leaflet", "a3-poster", "a5-leaflet", "a6-handbill", "a7-handbill"]}
    with pytest.raises(Busy):
        for _ in range(12):
            jobs.submit(slow)


def test_a_full_queue_is_a_503_that_says_try_again():
    backend = PoolJobs(workers=1, ttl=60, time_limit=30, max_waiting=0)
    with TestClient(create_app(Settings(), jobs=backend)) as client:
        response = client.post("/api/builds", data={"text": "We meet at ten.", "title": "Homes now!"})
    assert response.status_code == 503 and response.headers["retry-after"] == "30"
    assert response.json()["problems"][0]["code"] == "busy"


def test_the_web_package_keeps_no_mutable_state_in_its_modules():
    """Everything the app keeps lives on the app object create_app returns."""
    import importlib
    import pkgutil

    import handbill.web

    for module_info in pkgutil.iter_modules(handbill.web.__path__):
        module = importlib.import_module(f"handbill.web.{module_info.name}")
        for name, value in vars(module).items():
            if not name.startswith("__"):
                assert not isinstance(value, (dict, list, set, bytearray)), f"handbill.web.{module_info.name}.{name}"
