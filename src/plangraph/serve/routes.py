"""The route table and its handlers. Handlers find the server's state in
``request.app.state.ctx`` (:class:`Context`) and raise on any refusal; the answers to failures
are written in one place, :mod:`plangraph.serve.errors`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from plangraph.analysis.catalogue import NamedQuery, catalogue
from plangraph.serve.config import ServerConfig
from plangraph.serve.description import SD_PREFIXES, DatasetInfo, service_description
from plangraph.serve.errors import HttpError
from plangraph.serve.jobs import Job, Reply
from plangraph.serve.negotiation import NotAcceptable, media_type, negotiate
from plangraph.serve.protocol import named_job, protocol_params, sparql_job
from plangraph.serve.security import SECURITY_HEADERS
from plangraph.serve.serialize import graph_body

STATIC_DIR = Path(__file__).parent / "static"


@dataclass
class Context:
    """What the handlers share: the configuration, the worker pool and the dataset's
    figures."""

    config: ServerConfig
    pool: Any
    dataset: DatasetInfo = field(default_factory=DatasetInfo)


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def respond(reply: Reply) -> Response:
    """A worker's (or an error's) :class:`Reply` as an HTTP response, with the security
    headers (set here too because the answer to an unexpected exception is written outside
    every middleware)."""
    return Response(
        reply.body,
        status_code=reply.status,
        media_type=reply.media_type,
        headers={**dict(SECURITY_HEADERS), **dict(reply.headers)},
    )


def deadline(ctx: Context) -> float:
    """The deadline of a request that arrives now: its whole budget, reading the body and
    waiting for a worker included."""
    return time.monotonic() + ctx.config.timeout


async def dispatch(ctx: Context, job: Job, until: float) -> Response:
    """Run a job on the pool by the request's deadline."""
    return respond(await ctx.pool.run(job, until))


async def sparql(request: Request) -> Response:
    """``/sparql``: the SPARQL 1.1 Protocol; without a query, the service description."""
    ctx = context(request)
    until = deadline(ctx)
    try:
        with anyio.fail_after(max(until - time.monotonic(), 0)):
            params = await protocol_params(request, ctx.config.max_body)
    except TimeoutError:
        raise HttpError(408, "the request body did not arrive within the time limit") from None
    job = sparql_job(params, request.headers.get("accept"), endpoint_url(request))
    if job is None:
        return describe(request, ctx)
    return await dispatch(ctx, job, until)


def endpoint_url(request: Request) -> str:
    """The URL of the endpoint as the client addressed it (no query string)."""
    return str(request.url.replace(query=""))


def describe(request: Request, ctx: Context) -> Response:
    try:
        fmt = negotiate(request.headers.get("accept"), "graph")
    except NotAcceptable:
        fmt = "turtle"
    triples = service_description(endpoint_url(request), ctx.dataset, ctx.config)
    return Response(graph_body(triples, fmt, SD_PREFIXES), media_type=media_type("graph", fmt))


def named_queries(ctx: Context) -> dict[str, NamedQuery]:
    return catalogue(ctx.config.queries_dir)


async def list_queries(request: Request) -> Response:
    """``/queries``: the named queries as JSON."""
    items = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [
                {"name": p.name, "kind": p.kind, "description": p.description} for p in q.params
            ],
            "columns": list(q.columns),
            "query": q.text,
        }
        for q in named_queries(context(request)).values()
    ]
    return JSONResponse(items)


async def run_named(request: Request) -> Response:
    """``/queries/<name>?param=value``: one named query with bound values."""
    ctx = context(request)
    until = deadline(ctx)
    name = request.path_params["name"]
    named = named_queries(ctx).get(name)
    if named is None:
        raise HttpError(404, f"no query named '{name}' (see /queries)")
    job = named_job(named, request.url.query, request.headers.get("accept"), ctx.config.max_body)
    return await dispatch(ctx, job, until)


async def index(_request: Request) -> Response:
    """``/``: the query page."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


ROUTES: list[BaseRoute] = [
    Route("/", index),
    Route("/sparql", sparql, methods=["GET", "POST"]),
    Route("/queries", list_queries),
    Route("/queries/{name:path}", run_named),
    Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
]
