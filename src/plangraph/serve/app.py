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
within the same budget.

Every query passes :mod:`plangraph.rdf.sparql` before it reaches a worker: updates are refused
(403), SERVICE is refused (400), so the server never contacts another host.
"""

from __future__ import annotations

import contextlib
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
from plangraph.serve.config import ServerConfig
from plangraph.serve.errors import HttpError, reply_for
from plangraph.serve.jobs import Job
from plangraph.serve.negotiation import NotAcceptable
from plangraph.serve.pool import WorkerPool
from plangraph.serve.routes import ROUTES, Context, respond
from plangraph.serve.security import SecurityHeaders

log = logging.getLogger("plangraph.serve")


async def on_error(request: Request, exc: Exception) -> Response:
    """Every exception a handler raises, answered by :func:`plangraph.serve.errors.reply_for`."""
    reply = reply_for(exc)
    if reply.status == 500:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return respond(reply)


def create_app(config: ServerConfig, pool: Any | None = None) -> Starlette:
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
    ctx = Context(config, workers)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(workers.start)
        info = await workers.run(Job("graphs"), time.monotonic() + 60.0)
        if info.status == 200:
            data = json.loads(info.body)
            ctx.dataset.graphs, ctx.dataset.quads = data["graphs"], data["quads"]
        log.info(
            "serving %s: %d quads in %d named graphs",
            config.data_file,
            ctx.dataset.quads,
            len(ctx.dataset.graphs),
        )
        try:
            yield
        finally:
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
    return app
