"""What ``plangraph serve`` was asked for: the dataset, the named queries and the limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GRACE_SECONDS = 0.5
"""How long after the budget a worker may still answer before it is killed."""


@dataclass(frozen=True)
class ServerConfig:
    """The options of ``plangraph serve`` (docs/endpoint.md explains each)."""

    data_file: Path
    queries_dir: Path | None = None
    timeout: float = 10.0
    max_results: int = 100_000
    max_body: int = 100_000
    cors: tuple[str, ...] = ()
    workers: int = 2
    """Worker processes kept ready."""
    max_workers: int = 32
    """Most worker processes at once (queries evaluated at the same time)."""
    cache_mb: int = 0
    """Memory for remembered answers (0: no result cache)."""
    inline_work: int = 20_000
    """Most work (patterns × their matches) of a query answered in the server process, without
    a worker (:mod:`plangraph.serve.bounded`); 0: every query in a worker, and no copy of the
    store in the server process."""
