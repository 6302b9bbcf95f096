"""Jobs: one small interface, two implementations.

    submit(job) -> id        a job is the plain dict work.execute takes
    status(id) -> Status     None when the id is unknown, deleted or past its time to live
    delete(id) -> bool
    close()

`PoolJobs` runs jobs in a pool of worker processes on this machine, results in this
process's memory; `QueueJobs` puts them on an RQ queue in Redis, where `handbill worker`
processes on any number of machines run them, results in Redis. Both keep a result for
`ttl` seconds and no longer, and stop a job after `time_limit` seconds (work.execute).
Job ids are secrets.token_urlsafe(24): 192 random bits, unguessable.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from . import work

QUEUE_NAME = "handbill"
DELETED = "handbill:deleted:"  # + a job id: deleted by its organiser while it ran (RQ)


@dataclass(frozen=True)
class Status:
    state: str  # queued | running | done | failed
    result: dict | None = None  # work.execute's result once done or failed
    progress: tuple[int, int] | None = None  # (done, total) rows of a batch


class Jobs(Protocol):
    ttl: float
    time_limit: float

    def submit(self, job: dict) -> str: ...
    def status(self, job_id: str) -> Status | None: ...
    def delete(self, job_id: str) -> bool: ...
    def health(self) -> dict: ...
    def sweep(self) -> None: ...
    def close(self) -> None: ...


class Busy(Exception):
    """More jobs are waiting than the server takes: try again shortly."""


def new_id() -> str:
    return secrets.token_urlsafe(24)


def _crashed(what: str) -> dict:
    return work.failed([work.problem(f"the job stopped unexpectedly ({what}); nothing was kept",
                                     code="job-crashed", fix="try again; if it happens again, tell whoever runs this server")])


# --- embedded: a pool of processes on this machine -----------------------------------------

def _pool_task(job: dict, time_limit: float, job_id: str, progress) -> dict:
    """In a pool worker process."""
    def report(done: int, total: int) -> None:
        if progress is not None:
            progress[job_id] = (done, total)

    return work.execute(job, time_limit=time_limit, on_progress=report)


@dataclass
class _Entry:
    future: object
    expires: float
    progress: bool = False


class PoolJobs:
    """Jobs in a concurrent.futures.ProcessPoolExecutor of `workers` processes (started
    with forkserver: a fresh interpreter each, not a fork of the threaded server), results
    in memory. Each result is forgotten `ttl` seconds after it is submitted (and again
    checked on every read), or when deleted."""

    def __init__(self, *, workers: int = 2, ttl: float = 3600, time_limit: float = 60, max_waiting: int = 200,
                 clock=time.monotonic):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        # a worker is replaced after 100 jobs: whatever a build leaves behind in a process
        # (handbill's fonts are process-global until issue 9 lands) lives at most that long
        self._executor = ProcessPoolExecutor(max(1, workers), mp_context=self._context, initializer=work.warm,
                                             max_tasks_per_child=100)
        self.workers, self.ttl, self.time_limit, self._clock = workers, ttl, time_limit, clock
        self.max_waiting = max_waiting
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._manager = None  # started for the first batch: the channel its progress comes back on
        self._progress = None

    def submit(self, job: dict) -> str:
        with self._lock:
            waiting = sum(not entry.future.done() for entry in self._entries.values())
        if waiting >= self.max_waiting:
            raise Busy(waiting)
        job_id = new_id()
        progress = self._progress_channel() if job["kind"] == "batch" else None
        future = self._executor.submit(_pool_task, job, self.time_limit, job_id, progress)
        with self._lock:
            self._sweep()
            self._entries[job_id] = _Entry(future, self._clock() + self.ttl, progress is not None)
        return job_id

    def _progress_channel(self):
        with self._lock:
            if self._manager is None:
                self._manager = self._context.Manager()
                self._progress = self._manager.dict()
            return self._progress

    def status(self, job_id: str) -> Status | None:
        with self._lock:
            self._sweep()
            entry = self._entries.get(job_id)
        if entry is None:
            return None
        future = entry.future
        progress = self._progress.get(job_id) if entry.progress and self._progress is not None else None
        if not future.done():
            return Status("running" if future.running() else "queued", progress=progress)
        try:
            result = future.result()
        except Exception as error:  # a worker that died (BrokenProcessPool), a bug in a job
            result = _crashed(type(error).__name__)
        return Status(result["state"], result, progress)

    def delete(self, job_id: str) -> bool:
        with self._lock:
            entry = self._entries.pop(job_id, None)
        if entry is None:
            return False
        entry.future.cancel()  # a queued job never runs; a running one's result is dropped
        if entry.progress and self._progress is not None:
            self._progress.pop(job_id, None)
        return True

    def sweep(self) -> None:
        with self._lock:
            self._sweep()

    def _sweep(self) -> None:
        now = self._clock()
        for job_id in [job_id for job_id, entry in self._entries.items() if entry.expires <= now]:
            entry = self._entries.pop(job_id)
            entry.future.cancel()
            if entry.progress and self._progress is not None:
                self._progress.pop(job_id, None)

    def health(self) -> dict:
        return {"ok": True, "backend": "pool", "workers": self.workers}

    def close(self) -> None:
        """Stop at once: queued jobs are cancelled, running ones stopped (their results were
        to be dropped anyway), and the worker processes end with the server."""
        processes = list(getattr(self._executor, "_processes", {}).values())  # no public way to reach them
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)
        if self._manager is not None:
            self._manager.shutdown()
        with self._lock:
            self._entries.clear()


# --- RQ on Redis --------------------------------------------------------------------------

def rq_task(job: dict, time_limit: float) -> dict:
    """In an RQ work horse (`handbill worker`)."""
    from rq import get_current_job

    current = get_current_job()

    def report(done: int, total: int) -> None:
        if current is not None:
            current.meta["progress"] = [done, total]
            current.save_meta()

    result = work.execute(job, time_limit=time_limit, on_progress=report)
    if current is not None and current.connection.exists(DELETED + current.id):
        # deleted while it ran (QueueJobs.delete): RQ would save the PDFs (and the job, the
        # statement in its arguments) for result_ttl; 0 makes it delete the job instead
        current.result_ttl = 0
        return work.failed([])
    return result


class QueueJobs:
    """Jobs on the RQ queue "handbill" in the Redis at `url`; results in Redis, kept `ttl`
    seconds after the job ends (a job still queued after `ttl` is dropped)."""

    def __init__(self, url: str, *, ttl: float = 3600, time_limit: float = 60, max_waiting: int = 1000):
        from redis import Redis
        from rq import Queue

        self.url, self.ttl, self.time_limit, self.max_waiting = url, ttl, time_limit, max_waiting
        self._redis = Redis.from_url(url)
        self._queue = Queue(QUEUE_NAME, connection=self._redis)

    def submit(self, job: dict) -> str:
        if self._queue.count >= self.max_waiting:
            raise Busy(self._queue.count)
        job_id = new_id()
        ttl = max(1, int(self.ttl))
        self._queue.enqueue(
            rq_task, job, self.time_limit, job_id=job_id, description="handbill job",  # never the statement: RQ logs it
            job_timeout=int(self.time_limit) + 30,  # a backstop: work.execute stops the job at time_limit itself
            result_ttl=ttl, ttl=ttl, failure_ttl=ttl,
        )
        return job_id

    def status(self, job_id: str) -> Status | None:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        if self._redis.exists(DELETED + job_id):
            return None
        try:
            job = Job.fetch(job_id, connection=self._redis)
            state = job.get_status()
        except NoSuchJobError:
            return None
        if state is None:
            return None
        progress = tuple(job.meta["progress"]) if job.meta.get("progress") else None
        if state == JobStatus.FINISHED:
            result = job.return_value()
            if result is None:
                return None  # the result expired between the two reads
            return Status(result["state"], result, progress)
        if state in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            latest = job.latest_result()
            exc = (latest.exc_string if latest is not None else "") or ""
            if "JobTimeoutException" in exc:
                result = work.failed([work.problem(
                    f"the job took longer than its time limit of {self.time_limit:g} s and was stopped",
                    code="time-limit", fix="choose fewer layouts, or shorten the statement, and try again")])
            else:
                result = _crashed(str(state.value))
            return Status("failed", result, progress)
        if state == JobStatus.STARTED:
            return Status("running", progress=progress)
        return Status("queued", progress=progress)

    def delete(self, job_id: str) -> bool:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        try:
            job = Job.fetch(job_id, connection=self._redis)
        except NoSuchJobError:
            return False
        # status() no longer answers for it, from now on
        self._redis.set(DELETED + job_id, b"1", ex=max(1, int(self.ttl + self.time_limit + 60)))
        if job.get_status() == JobStatus.STARTED:
            # RQ's delete() does not stop a running job, and its work horse would save the
            # job and its PDFs again when it ends; told by the mark, rq_task has RQ delete
            # the job instead (result_ttl 0), within the time limit
            return True
        job.delete()
        return True

    def health(self) -> dict:
        from rq import Worker

        try:
            self._redis.ping()
            workers = Worker.count(queue=self._queue)
        except Exception as error:  # Redis down or unreachable
            return {"ok": False, "backend": "rq", "error": type(error).__name__}
        return {"ok": True, "backend": "rq", "workers": workers, "queued": self._queue.count}

    def sweep(self) -> None:
        pass  # Redis expires the keys itself

    def close(self) -> None:
        self._redis.close()


def run_worker(url: str, *, burst: bool = False) -> None:
    """`handbill worker`: run jobs from the queue until stopped. The library is imported
    before the work loop, so each job's forked work horse starts warm."""
    from redis import Redis
    from rq import Queue, Worker

    class QuickToStopWorker(Worker):
        """RQ's worker without its command channel (pub/sub, for `rq` CLI's stop-job and
        shutdown commands): closing it on SIGTERM waits out a 60 s read, so a worker took a
        minute to stop. A signal stops this one at once when idle, after its job when busy."""

        def subscribe(self):
            pass

        def unsubscribe(self):
            pass

    work.warm()
    connection = Redis.from_url(url)
    QuickToStopWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(
        burst=burst, logging_level="WARNING")


def make_jobs(*, queue: str | None, workers: int, ttl: float, time_limit: float, max_waiting: int) -> Jobs:
    if queue:
        return QueueJobs(queue, ttl=ttl, time_limit=time_limit, max_waiting=max_waiting)
    return PoolJobs(workers=workers, ttl=ttl, time_limit=time_limit, max_waiting=max_waiting)
