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
from plangraph.serve.serialize import Late, TooMany, boolean_body, graph_body, solutions_body

log = logging.getLogger("plangraph.serve.worker")


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
    """Run one job on a pyoxigraph store within ``seconds`` (checked as the answer is
    written) and at most ``max_results`` rows or triples."""
    from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Variable

    if job.kind == "graphs":
        result = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = {sol["g"].value: int(sol["n"].value) for sol in result}
        return Reply(
            200, "application/json", json.dumps({"graphs": counts, "quads": len(store)}).encode()
        )
    kwargs: dict[str, Any] = {}
    text = job.query
    if job.kind == "named":
        from plangraph.errors import PlangraphError

        assert job.named is not None
        try:
            terms = job.named.bind(dict(job.bindings))
        except PlangraphError as exc:
            return error_reply(400, str(exc))
        text = job.named.text
        kwargs["substitutions"] = {Variable(k): v for k, v in terms.items()}
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["base_iri"] = job.base
        if job.default_graphs is not None or job.named_graphs is not None:
            kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs or ()]
        elif job.union:
            kwargs["use_default_graph_as_union"] = True

    def evaluate() -> Any:
        return store.query(text, **kwargs)

    deadline = time.monotonic() + seconds
    try:
        result = evaluate()
    except SyntaxError as exc:
        return reply_for(engine_syntax_error(job.source or text, exc))
    try:
        if isinstance(result, QueryBoolean):
            if job.result_kind != "results":
                return error_reply(406, "an ASK query gives a boolean: ask for a results format")
            return Reply(200, media_type("results", job.fmt), boolean_body(bool(result), job.fmt))
        if isinstance(result, QuerySolutions):
            if job.result_kind != "results":
                return error_reply(406, "a SELECT query gives a table: ask for a results format")
            body = solutions_body(result, evaluate, job.fmt, max_results, deadline)
            return Reply(200, media_type("results", job.fmt), body)
        if job.result_kind != "graph":
            return error_reply(
                406, "a CONSTRUCT or DESCRIBE query gives a graph: ask for an RDF format"
            )
        body = graph_body(result, job.fmt, max_results, deadline)
        return Reply(200, media_type("graph", job.fmt), body)
    except TooMany as exc:
        return too_many(max_results, exc.what)
    except Late:
        return timed_out()


def serve_jobs(sock: socket.socket, store: Any, max_results: int) -> None:
    """A worker's loop: answer the jobs that arrive on ``sock`` until it closes."""
    buffer = bytearray()
    while True:
        try:
            job, seconds = read_frame(sock, buffer)
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
