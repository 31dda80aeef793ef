"""The worker processes, in the server process: hand a job to a free worker, wait for its reply
within the budget, and kill and replace a worker that overruns it."""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from plangraph.serve.config import GRACE_SECONDS
from plangraph.serve.errors import INTERNAL_ERROR, error_reply
from plangraph.serve.jobs import Job, Reply
from plangraph.serve.worker import timed_out, worker_main

log = logging.getLogger("plangraph.serve.pool")


class WorkerStartError(RuntimeError):
    """A worker process could not load the dataset."""


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class WorkerPool:
    """Worker processes, each with its own store; ``call`` is blocking (run it in a thread)."""

    def __init__(self, data_file: Path, size: int, max_results: int) -> None:
        self.data_file = data_file
        self.size = size
        self.max_results = max_results
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = False

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker_main,
            args=(child, str(self.data_file), self.max_results),
            daemon=True,
            name="plangraph-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", "the worker exited while loading"
        if status != "ready":
            process.join(5)
            raise WorkerStartError(f"could not load {self.data_file}: {detail}")
        with self._lock:
            self._all.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers (in parallel) and wait until each has loaded the dataset;
        a second call does nothing."""
        if self._started:
            return
        self._started = True
        errors: list[Exception] = []

        def one() -> None:
            try:
                self._idle.put(self._spawn())
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=one) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise errors[0]

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.process.kill()
            worker.process.join(5)
        finally:
            worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        def run() -> None:
            self._discard(worker)
            if self._closed:
                return
            try:
                self._idle.put(self._spawn())
            except Exception:
                log.exception("could not start a replacement worker")

        threading.Thread(target=run, daemon=True).start()

    def call(self, job: Job, timeout: float) -> Reply:
        """Run a job on a free worker; the whole call takes at most ``timeout`` seconds plus
        a grace period, after which the worker is killed (and replaced) and 503 answered."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return error_reply(503, "the server is busy: no worker became free in time")
        remaining = deadline - time.monotonic()
        try:
            worker.conn.send((job, remaining))
            if worker.conn.poll(max(remaining, 0) + GRACE_SECONDS):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            log.exception("worker %s failed", worker.process.pid)
            self._replace(worker)
            return error_reply(500, INTERNAL_ERROR)
        log.warning("query over the %.1f s limit; killing worker %s", timeout, worker.process.pid)
        self._replace(worker)
        return timed_out(timeout)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._discard(worker)
