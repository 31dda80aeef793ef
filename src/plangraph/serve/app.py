"""The SPARQL endpoint: SPARQL 1.1 Protocol over the compiled dataset, read-only and bounded.

- ``/sparql``: SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``)
  for SELECT, ASK, CONSTRUCT and DESCRIBE; with no query, the Service Description;
- ``/queries``: the named queries of ``queries/`` as JSON; ``/queries/<name>?param=…`` runs one
  with bound values;
- ``/``: the query page (``plangraph/serve/static/``).

The package, one job per module: :mod:`~plangraph.serve.app` (this factory),
:mod:`~plangraph.serve.routes` (route table and handlers), :mod:`~plangraph.serve.config`,
:mod:`~plangraph.serve.protocol` (reading requests), :mod:`~plangraph.serve.negotiation`,
:mod:`~plangraph.serve.errors` (the one place failures become answers),
:mod:`~plangraph.serve.jobs`, :mod:`~plangraph.serve.worker` (the process that evaluates),
:mod:`~plangraph.serve.pool`, :mod:`~plangraph.serve.serialize`,
:mod:`~plangraph.serve.description` (service description) and
:mod:`~plangraph.serve.security` (headers).

Queries run in worker *processes*, each holding its own in-memory pyoxigraph store loaded from
the dataset file. A query that exceeds its time budget is answered 503 and its worker killed and
replaced, so the evaluation really stops: pyoxigraph offers no way to cancel a query, and a
blocking operator (ORDER BY, GROUP BY, COUNT) cannot be interrupted from Python while it runs.
The number of workers bounds how many queries evaluate at once; the others wait for a worker
within the same budget. Only a query whose work is proven small (:mod:`plangraph.serve.bounded`:
basic graph patterns whose matches multiply to at most ``--inline-work``) is answered in the
server process, on its own copy of the store, since it cannot run away.

Every query passes :mod:`plangraph.rdf.sparql` before it is evaluated: updates are refused
(403), SERVICE is refused (400), so the server never contacts another host.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response

from plangraph.rdf.sparql import SparqlRequestError, engine_decodes_escapes
from plangraph.serve.bounded import BoundedQueries
from plangraph.serve.cache import ResultCache, dataset_id
from plangraph.serve.config import ServerConfig
from plangraph.serve.errors import HttpError, reply_for
from plangraph.serve.jobs import Job
from plangraph.serve.negotiation import NotAcceptable
from plangraph.serve.pool import WorkerPool
from plangraph.serve.protocol import ProtocolRequest, check_length, too_large
from plangraph.serve.routes import ROUTES, Context, deadline, respond, sparql_reply
from plangraph.serve.security import SECURITY_HEADERS, SecurityHeaders

log = logging.getLogger("plangraph.serve")


async def on_error(request: Request, exc: Exception) -> Response:
    """Every exception a handler raises, answered by :func:`plangraph.serve.errors.reply_for`."""
    reply = reply_for(exc)
    if reply.status == 500:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return respond(reply)


class Application:
    """The ASGI application: ``/sparql`` is answered here, before any routing or middleware
    (the hot path: it is most requests, and Starlette's routing, middleware and request
    objects cost more than the rest of the server's work on a light query); every other path,
    and ``/sparql`` too when CORS is on, goes to the Starlette app. Both call the same
    :func:`~plangraph.serve.routes.sparql_reply` and :func:`~plangraph.serve.errors.reply_for`,
    and send the same security headers."""

    def __init__(self, ctx: Context, starlette: Starlette) -> None:
        self.ctx = ctx
        self.starlette = starlette
        self.state = starlette.state
        self.fast = not ctx.config.cors

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.fast and scope["type"] == "http" and scope["path"] == "/sparql":
            await self._sparql(scope, receive, send)
        else:
            await self.starlette(scope, receive, send)

    async def _sparql(self, scope: Any, receive: Any, send: Any) -> None:
        ctx, method = self.ctx, scope["method"]
        until = deadline(ctx)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            if method not in ("GET", "POST", "HEAD"):
                raise HttpError(405, "use GET or POST")

            async def body() -> bytes:
                return await asgi_body(receive, headers, ctx.config.max_body)

            req = ProtocolRequest(
                method,
                scope["query_string"].decode("latin-1"),
                headers.get("content-type", ""),
                headers.get("accept"),
                endpoint_url(scope, headers),
                body,
                headers.get("if-none-match"),
            )
            reply = await sparql_reply(ctx, req, until)
        except Exception as exc:
            reply = reply_for(exc)
            if reply.status == 405:
                reply = dataclasses.replace(reply, headers=(("Allow", "GET, HEAD, POST"),))
            if reply.status == 500:
                log.error("internal error on %s /sparql", method, exc_info=exc)
        head = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
        if reply.status != 304:
            head.append((b"content-type", reply.media_type.encode("latin-1")))
            head.append((b"content-length", str(len(reply.body)).encode("latin-1")))
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": head + _SECURITY}
        )
        await send({"type": "http.response.body", "body": reply.body})  # HEAD: uvicorn drops it


_SECURITY = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]


async def asgi_body(receive: Any, headers: dict[str, str], max_body: int) -> bytes:
    """A request body from ASGI messages, abandoned past ``max_body`` bytes (413)."""
    check_length(headers.get("content-length", ""), max_body)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HttpError(400, "the client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_body:
            raise too_large(max_body)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def endpoint_url(scope: Any, headers: dict[str, str]) -> str:
    """The URL of ``/sparql`` as the client addressed it (Starlette's reading of the scope)."""
    host = headers.get("host")
    if host is None:
        server_host, port = scope["server"]
        host = f"{server_host}:{port}"
    return f"{scope['scheme']}://{host}{scope.get('root_path', '')}{scope['path']}"


def create_app(config: ServerConfig, pool: Any | None = None) -> Application:
    """The ASGI application. ``pool`` defaults to a :class:`WorkerPool` over the data.

    Refuses to build one over an engine whose grammar the query check does not know
    (:func:`plangraph.rdf.sparql.engine_decodes_escapes`)."""
    if engine_decodes_escapes():
        raise RuntimeError(
            "this pyoxigraph decodes \\u escapes in the whole query text: the endpoint's "
            "SERVICE check does not cover that grammar; use pyoxigraph 0.4.9 to 0.5.x"
        )
    workers: Any = pool or WorkerPool(
        config.data_file, config.workers, config.max_results, config.max_workers
    )
    cache = ResultCache(config.cache_mb << 20) if config.cache_mb > 0 else None
    ctx = Context(config, workers, cache=cache)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        copy = None
        if config.inline_work > 0 and config.data_file.is_file():
            # the server's own copy of the store, for bounded queries, loaded in a thread
            # while the zygote loads its own
            from plangraph.rdf.store import load_store

            loop = asyncio.get_running_loop()
            copy = loop.run_in_executor(None, load_store, config.data_file)
        await anyio.to_thread.run_sync(workers.start)
        if copy is not None:
            try:
                store = await copy
            except Exception as exc:  # the workers answer every query then
                log.warning("bounded queries go to workers too: %s", exc)
            else:
                ctx.bounded = BoundedQueries(store, config.inline_work, config.max_results)
        info = await workers.run(Job("graphs"), time.monotonic() + 60.0)
        if info.status == 200:
            data = json.loads(info.body)
            ctx.dataset.graphs, ctx.dataset.quads = data["graphs"], data["quads"]
        with contextlib.suppress(OSError):  # no file (a test's fake pool): no validators
            ctx.dataset.id = await anyio.to_thread.run_sync(dataset_id, config.data_file)
        log.info(
            "serving %s: %d quads in %d named graphs",
            config.data_file,
            ctx.dataset.quads,
            len(ctx.dataset.graphs),
        )
        try:
            yield
        finally:
            if ctx.bounded is not None:
                ctx.bounded.close()
            await anyio.to_thread.run_sync(workers.close)

    middleware = [Middleware(SecurityHeaders)]
    if config.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                max_age=600,
            )
        )
    handlers: dict[Any, Any] = {
        kind: on_error
        for kind in (HttpError, SparqlRequestError, NotAcceptable, HTTPException, Exception)
    }
    app = Starlette(
        routes=ROUTES, middleware=middleware, lifespan=lifespan, exception_handlers=handlers
    )
    app.state.ctx = ctx
    return Application(ctx, app)
