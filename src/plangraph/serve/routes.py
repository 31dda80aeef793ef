"""The route table and its handlers. Handlers find the server's state in
``request.app.state.ctx`` (:class:`Context`) and raise on any refusal; the answers to failures
are written in one place, :mod:`plangraph.serve.errors`."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from plangraph.analysis.catalogue import NamedQuery, catalogue
from plangraph.serve.bounded import BoundedQueries
from plangraph.serve.cache import ResultCache, etag, matches, validators
from plangraph.serve.config import ServerConfig
from plangraph.serve.description import SD_PREFIXES, DatasetInfo, service_description
from plangraph.serve.errors import HttpError
from plangraph.serve.jobs import Job, Reply
from plangraph.serve.negotiation import NotAcceptable, media_type, negotiate
from plangraph.serve.protocol import ProtocolRequest, named_job, read_body, request_job
from plangraph.serve.security import SECURITY_HEADERS
from plangraph.serve.serialize import triples_body

STATIC_DIR = Path(__file__).parent / "static"


@dataclass
class Context:
    """What the handlers share: the configuration, the worker pool and the dataset's
    figures."""

    config: ServerConfig
    pool: Any
    dataset: DatasetInfo = field(default_factory=DatasetInfo)
    cache: ResultCache | None = None
    bounded: BoundedQueries | None = None
    """Queries answered in this process (:mod:`plangraph.serve.bounded`), once its copy of
    the store is loaded."""


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
        media_type=reply.media_type or None,
        headers={**dict(SECURITY_HEADERS), **dict(reply.headers)},
    )


def deadline(ctx: Context) -> float:
    """The deadline of a request that arrives now: its whole budget, reading the body and
    waiting for a worker included."""
    return time.monotonic() + ctx.config.timeout


async def answer(
    ctx: Context, job: Job, until: float, method: str, if_none_match: str | None
) -> Reply:
    """Run a job by the request's deadline. A deterministic one gets HTTP validators: 304 to
    a GET or HEAD that has its answer already, and its answer from the result cache if one is
    kept (:mod:`plangraph.serve.cache`)."""
    if not job.deterministic or not ctx.dataset.id:
        return await evaluate(ctx, job, until)
    tag = etag(ctx.dataset.id, job)
    headers = validators(tag)
    if method in ("GET", "HEAD") and matches(if_none_match, tag):
        return Reply(304, "", b"", headers)
    if ctx.cache is not None:
        hit = ctx.cache.get(tag)
        if hit is not None:
            return hit
    reply = await evaluate(ctx, job, until)
    if reply.status == 200:
        reply = dataclasses.replace(reply, headers=reply.headers + headers)
        if ctx.cache is not None:
            ctx.cache.put(tag, reply)
    return reply


async def evaluate(ctx: Context, job: Job, until: float) -> Reply:
    """A job's answer: here when its work is bounded (:mod:`plangraph.serve.bounded`), else
    from a worker process that is killed if it overruns ``until``."""
    if ctx.bounded is not None and ctx.bounded.bounded(job):
        return ctx.bounded.run(job, max(until - time.monotonic(), 0.0))
    reply: Reply = await ctx.pool.run(job, until)
    return reply


async def sparql_reply(ctx: Context, req: ProtocolRequest, until: float) -> Reply:
    """The answer to a SPARQL protocol request (raises on refusals): a query goes to a worker,
    no query is the service description."""
    try:
        async with asyncio.timeout(max(until - time.monotonic(), 0)):
            job = await request_job(req, ctx.config.max_body)
    except TimeoutError:
        raise HttpError(408, "the request body did not arrive within the time limit") from None
    if job is None:
        return describe(ctx, req.accept, req.endpoint)
    return await answer(ctx, job, until, req.method, req.if_none_match)


async def sparql(request: Request) -> Response:
    """``/sparql`` (as a route: when CORS is on; else :mod:`plangraph.serve.app` answers it
    before any routing, with the same :func:`sparql_reply`)."""
    ctx = context(request)
    until = deadline(ctx)
    req = ProtocolRequest(
        request.method,
        request.url.query,
        request.headers.get("content-type", ""),
        request.headers.get("accept"),
        str(request.url.replace(query="")),
        lambda: read_body(request, ctx.config.max_body),
        request.headers.get("if-none-match"),
    )
    return respond(await sparql_reply(ctx, req, until))


def describe(ctx: Context, accept: str | None, endpoint: str) -> Reply:
    """The service description, in the RDF format the client accepts (Turtle otherwise)."""
    try:
        fmt = negotiate(accept, "graph")
    except NotAcceptable:
        fmt = "turtle"
    triples = service_description(endpoint, ctx.dataset, ctx.config)
    return Reply(200, media_type("graph", fmt), triples_body(triples, fmt, SD_PREFIXES))


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
    reply = await answer(ctx, job, until, request.method, request.headers.get("if-none-match"))
    return respond(reply)


async def index(_request: Request) -> Response:
    """``/``: the query page."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


ROUTES: list[BaseRoute] = [
    Route("/", index),
    Route("/sparql", sparql, methods=["GET", "POST", "HEAD"]),
    Route("/queries", list_queries),
    Route("/queries/{name:path}", run_named),
    Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
]
