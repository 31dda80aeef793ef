"""What crosses the process boundary: a :class:`Job` for a worker and the :class:`Reply` it
sends back (both picklable)."""

from __future__ import annotations

from dataclasses import dataclass

from plangraph.analysis.catalogue import NamedQuery


@dataclass(frozen=True)
class Job:
    """A unit of work for a worker process."""

    kind: str
    """"sparql" (a protocol request), "named" (a query of the library) or "graphs"."""
    query: str = ""
    """The text to evaluate (:attr:`plangraph.rdf.sparql.QueryInfo.text`)."""
    source: str = ""
    """The query as the client wrote it (syntax errors are placed in it)."""
    fmt: str = "json"
    result_kind: str = "results"
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    named: NamedQuery | None = None
    bindings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reply:
    """A worker's answer: an HTTP status, a Content-Type and the body."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
