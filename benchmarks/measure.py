"""Wall time and peak memory of benchmark stages.

Peak memory is the kernel's own high-water mark of resident memory (``VmHWM`` in
``/proc/self/status``), reset at the start of each stage by writing ``5`` to
``/proc/self/clear_refs`` (Linux ≥ 4.0). So a stage's peak is exact (no sampling, no tracemalloc
slowdown) and includes everything the process holds while the stage runs (interpreter, imports,
the stage's inputs); ``base`` is the resident memory when the stage started, so ``peak - base``
is what the stage itself added at its worst. Child processes a stage starts (HermiT's JVM, the
SHACL pool) are measured separately and reported beside it.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
_KB = re.compile(r"^(VmHWM|VmRSS):\s+(\d+)\s+kB", re.M)


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS since the last reset) of this process in MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        values = {k: int(v) / 1024 for k, v in _KB.findall(fh.read())}
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS; False where the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def children_peak_mb() -> float:
    """Largest peak RSS among this process's waited-for children (MiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@dataclass
class Stage:
    """One measured stage."""

    name: str
    seconds: float | None
    peak_mb: float
    base_mb: float
    children_mb: float = 0.0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class Meter:
    """Records stages of one process: time and peak RSS of each."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self._name: str | None = None
        self._start = 0.0
        self._base = 0.0
        self._children = 0.0

    def begin(self, name: str) -> None:
        """Start a stage (ends the current one, if any)."""
        self.end()
        reset_peak()
        self._name = name
        self._base = memory_mb()[0]
        self._children = children_peak_mb()
        self._start = time.perf_counter()

    def end(self, note: str = "", **extra: Any) -> Stage | None:
        """End the current stage and record it."""
        if self._name is None:
            return None
        seconds = time.perf_counter() - self._start
        _rss, peak = memory_mb()
        children = children_peak_mb()
        stage = Stage(
            self._name,
            seconds,
            peak,
            self._base,
            children if children > self._children else 0.0,
            note,
            dict(extra),
        )
        self.stages.append(stage)
        self._name = None
        print(
            f"  {stage.name:58} {seconds:9.2f} s  peak {peak:7.0f} MB"
            + (f"  (+child {stage.children_mb:.0f} MB)" if stage.children_mb else "")
            + (f"  {note}" if note else ""),
            flush=True,
        )
        return stage

    def cancel(self) -> None:
        """Drop the current stage without recording it."""
        self._name = None

    def run(self, name: str, fn: Callable[[], T], note: str = "") -> T:
        """Run fn as one stage."""
        self.begin(name)
        value = fn()
        self.end(note)
        return value

    def add(self, stage: Stage) -> None:
        """Record a stage measured elsewhere."""
        self.stages.append(stage)
        seconds = "—" if stage.seconds is None else f"{stage.seconds:9.2f} s"
        print(f"  {stage.name:58} {seconds:>11}  peak {stage.peak_mb:7.0f} MB  {stage.note}")


def _limit_memory(extra_gb: float) -> None:
    """Cap this process's address space at its current size plus ``extra_gb`` (so a query that
    materialises an exploding result fails instead of exhausting the machine)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        match = re.search(r"^VmSize:\s+(\d+)\s+kB", fh.read(), re.M)
    if match:
        limit = int(match.group(1)) * 1024 + int(extra_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(fn: Callable[[], Any], conn: Connection, extra_gb: float) -> None:
    _limit_memory(extra_gb)
    reset_peak()
    start = time.perf_counter()
    try:
        value = fn()
        error = ""
    except Exception as exc:  # report, do not hang the parent
        value, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    conn.send((seconds, memory_mb()[1], value, error))
    conn.close()


def capped(
    fn: Callable[[], Any], cap: float, extra_gb: float = 6.0
) -> tuple[float | None, float, Any, str]:
    """Run fn in a forked child, killed after ``cap`` seconds, its address space capped at the
    parent's plus ``extra_gb``.

    Returns (seconds or None when capped, child's peak RSS in MiB, fn's value, error text).
    The child shares the parent's memory copy-on-write, so inputs need not be reloaded.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child, extra_gb))
    proc.start()
    child.close()
    if parent.poll(cap):
        try:
            seconds, peak, value, error = parent.recv()
        except EOFError:
            seconds, peak, value, error = None, 0.0, None, "child died (memory cap?)"
        proc.join()
        return seconds, peak, value, error
    if proc.pid is not None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    return None, 0.0, None, f"> {cap:.0f} s (stopped)"
