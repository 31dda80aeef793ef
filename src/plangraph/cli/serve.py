"""``plangraph serve`` (the SPARQL endpoint) and ``plangraph push`` (load a remote store)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.markup import escape

from plangraph.cli.common import err, friendly, graph_file, out, project_or_none
from plangraph.errors import PlangraphError

PASSWORD_ENV = "PLANGRAPH_STORE_PASSWORD"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dataset to serve (.nq or .trig; default: build/plangraph.nq).",
)
@click.option(
    "--queries",
    "queries_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Named queries to offer (default: the project's queries/).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds a request may take, from its arrival (reading it and waiting for a worker "
    "included); then 503 and the query's worker is killed.",
)
@click.option(
    "--max-results",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) of an answer; more is 413.",
)
@click.option(
    "--max-body",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1024),
    help="Largest request body (and query string) in bytes; larger is 413.",
)
@click.option(
    "--workers",
    default=min(4, os.cpu_count() or 1),
    show_default="CPUs, at most 4",
    type=click.IntRange(min=1, max=64),
    help="Worker processes kept ready (forked from one process that loaded the store).",
)
@click.option(
    "--max-workers",
    default=32,
    show_default=True,
    type=click.IntRange(min=1, max=256),
    help="Most worker processes at once, i.e. queries evaluated at the same time; more wait "
    "for one within their --timeout.",
)
@click.option(
    "--cache-mb",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Memory (MB) for a result cache of deterministic queries; 0: no cache. Answers carry "
    "an ETag either way (304 to If-None-Match).",
)
@click.option(
    "--inline-work",
    default=20_000,
    show_default=True,
    type=click.IntRange(min=0),
    help="Queries whose work is proven at most this (patterns x quads they can match) are "
    "answered in the server process, without a worker; 0: none (and no second copy of the "
    "store in memory).",
)
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    help="Allow cross-origin requests from ORIGIN (repeatable; '*' for any). Off by default.",
)
@click.option("--log-level", default="info", show_default=True, help="uvicorn log level.")
@click.pass_context
@friendly
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    data: Path | None,
    queries_dir: Path | None,
    timeout: float,
    max_results: int,
    max_body: int,
    workers: int,
    max_workers: int,
    cache_mb: int,
    inline_work: int,
    cors: tuple[str, ...],
    log_level: str,
) -> None:
    """Serve the dataset over the SPARQL 1.1 Protocol at /sparql, with a query page at /.

    Read-only; SERVICE is refused; every query has a time limit and a size limit."""
    import logging

    import uvicorn

    # the endpoint (starlette, pyoxigraph) loads only when serving, not at CLI start-up
    from plangraph.serve.app import create_app
    from plangraph.serve.config import ServerConfig
    from plangraph.serve.connections import protocol_class
    from plangraph.serve.pool import WorkerPool, WorkerStartError

    data_file = graph_file(ctx, data)
    project = project_or_none(ctx)
    if queries_dir is None and project is not None:
        queries_dir = project.queries_dir
    config = ServerConfig(
        data_file=data_file.resolve(),
        queries_dir=queries_dir.resolve() if queries_dir else None,
        timeout=timeout,
        max_results=max_results,
        max_body=max_body,
        cors=cors,
        workers=workers,
        max_workers=max_workers,
        cache_mb=cache_mb,
        inline_work=inline_work,
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            f"[yellow]warning[/yellow] listening on {escape(host)}: the endpoint has no "
            "authentication; anyone who reaches this address can query it",
            highlight=False,
        )
    err.print(
        f"[dim]… loading {escape(str(data_file))} into {workers} worker(s); "
        + escape(f"SPARQL at http://{host}:{port}/sparql, page at http://{host}:{port}/")
        + "[/dim]",
        highlight=False,
    )
    pool = WorkerPool(config.data_file, workers, max_results, max_workers)
    try:
        pool.start()
    except WorkerStartError as exc:
        raise PlangraphError(str(exc)) from None
    try:
        uvicorn.run(
            create_app(config, pool),
            host=host,
            port=port,
            log_level=log_level,
            http=protocol_class(header_timeout=timeout),
            timeout_graceful_shutdown=5,
        )
    finally:
        pool.close()


@click.command()
@click.option(
    "--endpoint",
    required=True,
    help="SPARQL query endpoint of the store (Oxigraph: http://HOST:PORT/query; Virtuoso: "
    "http://HOST:8890/sparql).",
)
@click.option(
    "--store-url",
    help="Graph Store Protocol endpoint (default: the query endpoint with /query → /store, "
    "as in Oxigraph; Virtuoso: http://HOST:8890/sparql-graph-crud-auth).",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dataset to push (default: build/plangraph.nq).",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per HTTP request.")
@click.option(
    "--user",
    help="User the store asks for (HTTP Digest or Basic; Virtuoso: dba). The password is read "
    f"from {PASSWORD_ENV}, or asked for on a terminal; never from the command line.",
)
@click.pass_context
@friendly
def push(
    ctx: click.Context,
    endpoint: str,
    store_url: str | None,
    data: Path | None,
    timeout: float,
    user: str | None,
) -> None:
    """Load the dataset into a remote SPARQL store: one Graph Store Protocol PUT per named
    graph (replacing that graph), then check the counts through the query endpoint.

    \b
    Oxigraph:  plangraph push --endpoint http://HOST:7878/query
    Virtuoso:  PLANGRAPH_STORE_PASSWORD=... plangraph push --user dba \\
                 --endpoint http://HOST:8890/sparql \\
                 --store-url http://HOST:8890/sparql-graph-crud-auth"""
    from plangraph.analysis.remote import push as run_push  # httpx loads on first use

    data_file = graph_file(ctx, data)
    password = None
    if user is not None:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not sys.stdin.isatty():
                raise PlangraphError(f"--user {user}: set the password in {PASSWORD_ENV}")
            password = click.prompt(f"password of {user}", hide_input=True, err=True)
    report = run_push(
        data_file, endpoint, store_url=store_url, timeout=timeout, user=user, password=password
    )
    for graph, count in report.graphs.items():
        out.print(f"  {count:7} triples  {escape(graph)}", highlight=False)
    out.print(
        f"pushed {len(report.graphs)} graph(s), {sum(report.graphs.values())} triples "
        f"to {escape(report.store_url)}; the endpoint counts {report.remote_quads} quads in them",
        highlight=False,
    )


COMMANDS = [serve, push]
