"""What a worker process does: evaluate jobs on the store within their budget.

A worker checks the deadline between result rows and answers 503 itself when streaming results
run late; a query blocked inside one evaluation step is stopped by the pool, which kills the
process (:mod:`plangraph.serve.pool`). Workers are forked from the zygote
(:mod:`plangraph.serve.zygote`), which loaded the store once.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from typing import Any

from plangraph.rdf.sparql import engine_syntax_error
from plangraph.serve.errors import INTERNAL_ERROR, error_reply, reply_for
from plangraph.serve.jobs import Job, Reply, frame, read_frame
from plangraph.serve.negotiation import media_type
from plangraph.serve.serialize import boolean_body, graph_body, solutions_body

log = logging.getLogger("plangraph.serve.worker")


class _Budget:
    """The deadline of one job inside a worker, checked between rows."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def exceeded(self) -> bool:
        return time.monotonic() > self.deadline


def too_many(max_results: int, what: str) -> Reply:
    """413: the answer would have more than ``max_results`` rows or triples."""
    return error_reply(
        413,
        f"the result has more than {max_results} {what}: add LIMIT to the query "
        "(or start the server with a larger --max-results)",
        max_results=max_results,
    )


def timed_out(seconds: float | None = None) -> Reply:
    """503: the query ran out of time and was stopped."""
    return error_reply(
        503,
        "the query took longer than the server's time limit"
        + (f" ({seconds:g} s)" if seconds else "")
        + " and was stopped",
    )


def execute(store: Any, job: Job, max_results: int, seconds: float) -> Reply:
    """Run one job on a pyoxigraph store within ``seconds`` (checked between rows) and
    at most ``max_results`` rows or triples."""
    from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

    budget = _Budget(seconds)
    if job.kind == "graphs":
        result = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = {sol["g"].value: int(sol["n"].value) for sol in result}
        return Reply(
            200, "application/json", json.dumps({"graphs": counts, "quads": len(store)}).encode()
        )
    if job.kind == "named":
        return _execute_named(store, job, max_results)
    kwargs: dict[str, Any] = {"base_iri": job.base}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs or ()]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as exc:
        return reply_for(engine_syntax_error(job.source or job.query, exc))
    if isinstance(result, QueryBoolean):
        if job.result_kind != "results":
            return error_reply(406, "an ASK query gives a boolean: ask for a results format")
        return Reply(200, media_type("results", job.fmt), boolean_body(bool(result), job.fmt))
    if isinstance(result, QuerySolutions):
        if job.result_kind != "results":
            return error_reply(406, "a SELECT query gives a table: ask for a results format")
        variables = [v.value for v in result.variables]
        rows = []
        for i, sol in enumerate(result):
            if i >= max_results:
                return too_many(max_results, "rows")
            if i % 64 == 0 and budget.exceeded():
                return timed_out()
            rows.append(list(sol))  # the values in the order of the variables, None if unbound
        if budget.exceeded():
            return timed_out()
        return Reply(200, media_type("results", job.fmt), solutions_body(variables, rows, job.fmt))
    if job.result_kind != "graph":
        return error_reply(
            406, "a CONSTRUCT or DESCRIBE query gives a graph: ask for an RDF format"
        )
    triples = []
    for i, triple in enumerate(result):
        if i >= max_results:
            return too_many(max_results, "triples")
        if i % 64 == 0 and budget.exceeded():
            return timed_out()
        triples.append(triple)
    return Reply(200, media_type("graph", job.fmt), graph_body(triples, job.fmt))


def _execute_named(store: Any, job: Job, max_results: int) -> Reply:
    from plangraph.analysis.backends import EmbeddedBackend
    from plangraph.errors import PlangraphError

    assert job.named is not None
    try:
        result = EmbeddedBackend(store).select(job.named, dict(job.bindings))
    except PlangraphError as exc:
        return error_reply(400, str(exc))
    if len(result.rows) > max_results:
        return too_many(max_results, "rows")
    return Reply(
        200, media_type("results", job.fmt), solutions_body(result.columns, result.rows, job.fmt)
    )


def serve_jobs(sock: socket.socket, store: Any, max_results: int) -> None:
    """A worker's loop: answer the jobs that arrive on ``sock`` until it closes."""
    while True:
        try:
            job, seconds = read_frame(sock)
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, job, max_results, seconds)
        except Exception:
            log.exception("query failed: %r", job.query or job.kind)
            reply = error_reply(500, INTERNAL_ERROR)
        try:
            sock.sendall(frame(reply))
        except OSError:
            return
