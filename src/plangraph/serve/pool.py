"""The worker processes, seen from the server: hand a job to a free worker, wait for its reply
within the request's deadline, kill a worker that overruns it.

Workers are forked from the zygote (:mod:`plangraph.serve.zygote`), which holds the loaded
store, so the pool is elastic: ``size`` workers are kept ready, and when they are all busy a
new one is forked (a few milliseconds) up to ``max_size``. Every query then gets its own
process at once and the operating system shares the CPUs among them, so a burst of slow
queries does not make a cheap one wait for a free worker (issue 15, item 3). Waiting for a
worker, when ``max_size`` are busy, uses the same deadline as the evaluation: the answer
comes by the deadline plus :data:`~plangraph.serve.config.GRACE_SECONDS` at the latest.

All methods but :meth:`WorkerPool.start` and :meth:`WorkerPool.close` run on the server's
event loop; the fork handshake (blocking) runs in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.reduction import send_handle
from pathlib import Path
from typing import Any, cast

from plangraph.serve.config import GRACE_SECONDS
from plangraph.serve.errors import INTERNAL_ERROR, error_reply
from plangraph.serve.jobs import Job, Reply, frame, take_frame
from plangraph.serve.worker import timed_out
from plangraph.serve.zygote import zygote_main

log = logging.getLogger("plangraph.serve.pool")

IDLE_SECONDS = 60.0
"""Workers beyond ``size`` that stay idle this long are retired."""


class WorkerStartError(RuntimeError):
    """The zygote could not load the dataset."""


class _Channel(asyncio.Protocol):
    """The server's end of a worker's socket: frames out, one reply frame back per job."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Reply] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        reply = take_frame(self.buffer)
        if reply is not None and self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(EOFError("the worker closed its socket"))


@dataclass(eq=False)
class _Worker:
    pid: int
    sock: socket.socket
    idle_since: float = field(default_factory=time.monotonic)
    channel: _Channel | None = None


class WorkerPool:
    """``size`` worker processes kept ready, up to ``max_size`` under load."""

    def __init__(
        self, data_file: Path, size: int, max_results: int, max_size: int | None = None
    ) -> None:
        self.data_file = data_file
        self.size = size
        self.max_size = max(size, max_size or size)
        self.max_results = max_results
        self.quads = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._zygote: Any = None
        self._control: Any = None
        self._control_lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._waiters: list[asyncio.Future[_Worker]] = []  # requests waiting, oldest first
        self._live = 0  # workers alive or being forked
        self._forking = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._forker = ThreadPoolExecutor(1, thread_name_prefix="plangraph-fork")
        self._started = False
        self._closed = False

    # -- processes ---------------------------------------------------------------------------

    def _start_zygote(self) -> None:
        control, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=zygote_main,
            args=(child, str(self.data_file), self.max_results),
            daemon=True,
            name="plangraph-zygote",
        )
        process.start()
        child.close()
        try:
            status, detail = control.recv()
        except EOFError:
            status, detail = "failed", "the process exited while loading"
        if status != "ready":
            process.join(5)
            raise WorkerStartError(f"could not load {self.data_file}: {detail}")
        self._zygote, self._control, self.quads = process, control, detail

    def _fork(self) -> _Worker:
        """A new worker (blocking: the handshake with the zygote). A zygote that died is
        restarted once."""
        ours, theirs = socket.socketpair()
        try:
            with self._control_lock:
                for attempt in (1, 2):
                    try:
                        self._control.send("fork")
                        send_handle(self._control, theirs.fileno(), self._zygote.pid)
                        pid: int = self._control.recv()
                        break
                    except (EOFError, OSError):
                        if attempt == 2 or self._closed:
                            raise
                        log.error("the zygote died; starting a new one")
                        self._start_zygote()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return _Worker(pid, ours)

    def start(self) -> None:
        """Load the dataset in the zygote and fork ``size`` workers (blocking); a second call
        does nothing."""
        if self._started:
            return
        self._started = True
        self._start_zygote()
        for _ in range(self.size):
            self._idle.append(self._fork())
            self._live += 1

    def _kill(self, worker: _Worker) -> None:
        self._live -= 1
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        if worker.channel is not None and worker.channel.transport is not None:
            worker.channel.transport.close()
        else:
            worker.sock.close()
        self._fork_for_waiters()

    def close(self) -> None:
        """Stop every worker and the zygote."""
        self._closed = True
        for worker in self._idle:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        self._idle.clear()
        if self._control is not None:
            self._control.close()
        if self._zygote is not None:
            self._zygote.kill()
            self._zygote.join(5)
        self._forker.shutdown(wait=False)

    # -- jobs ----------------------------------------------------------------------------------

    def _hand_over(self, worker: _Worker) -> None:
        """A free worker goes to the request that asked last (the others are older and
        nearer their deadline), or to the idle list."""
        while self._waiters:
            waiter = self._waiters.pop()
            if not waiter.done():
                waiter.set_result(worker)
                return
        worker.idle_since = time.monotonic()
        self._idle.append(worker)

    def _fork_for_waiters(self) -> None:
        """Fork (in the background) one worker per waiting request, up to ``max_size``."""
        loop = asyncio.get_running_loop()
        while self._forking < len(self._waiters) and self._live < self.max_size:
            self._live += 1
            self._forking += 1
            task = loop.create_task(self._fork_one())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _fork_one(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            worker = await loop.run_in_executor(self._forker, self._fork)
        except Exception:
            self._live -= 1
            log.exception("could not fork a worker")
            return
        finally:
            self._forking -= 1
        self._hand_over(worker)

    async def _acquire(self, deadline: float) -> _Worker | None:
        """A free worker, or None if none is free by the deadline. When all are busy, a new
        one is forked if fewer than ``max_size`` live."""
        if self._idle:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._fork_for_waiters()
        try:
            return await asyncio.wait_for(waiter, max(deadline - time.monotonic(), 0))
        except TimeoutError:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if waiter.done() and not waiter.cancelled():  # handed over just now
                self._hand_over(waiter.result())
            return None

    def _release(self, worker: _Worker) -> None:
        self._hand_over(worker)
        if len(self._idle) > self.size:
            now = time.monotonic()
            while len(self._idle) > self.size and now - self._idle[0].idle_since > IDLE_SECONDS:
                self._kill(self._idle.pop(0))

    async def run(self, job: Job, deadline: float) -> Reply:
        """Run a job on a worker; the answer comes by ``deadline`` (a ``time.monotonic()``
        value) plus the grace period, after which the worker is killed and 503 answered."""
        worker = await self._acquire(deadline)
        if worker is None:
            return error_reply(503, "the server is busy: no worker became free in time")
        loop = asyncio.get_running_loop()
        remaining = deadline - time.monotonic()
        expiry = None
        try:
            if worker.channel is None:
                _, worker.channel = await loop.create_connection(_Channel, sock=worker.sock)
            channel = worker.channel
            assert channel.transport is not None
            waiter: asyncio.Future[Reply] = loop.create_future()
            channel.waiter = waiter
            channel.transport.write(frame((job, remaining)))
            expiry = loop.call_later(max(remaining, 0) + GRACE_SECONDS, _expire, waiter)
            reply = await waiter
        except TimeoutError:
            log.warning("query over its deadline; killing worker %s", worker.pid)
            self._kill(worker)
            return timed_out()
        except (EOFError, OSError):
            log.exception("worker %s failed", worker.pid)
            self._kill(worker)
            return error_reply(500, INTERNAL_ERROR)
        except BaseException:  # the request was cancelled (client gone): the worker is unusable
            self._kill(worker)
            raise
        finally:
            if expiry is not None:
                expiry.cancel()
        self._release(worker)
        return reply


def _expire(waiter: asyncio.Future[Reply]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())
