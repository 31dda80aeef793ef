"""The SPARQL endpoint: SPARQL 1.1 Protocol over the compiled dataset, read-only and bounded.

Layout (see docs/endpoint.md):

- ``/sparql``: SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``)
  for SELECT, ASK, CONSTRUCT and DESCRIBE; with no query, the Service Description;
- ``/queries``: the named queries of ``queries/`` as JSON; ``/queries/<name>?param=…`` runs one
  with bound values;
- ``/``: the query page (``plangraph/serve/static/``).

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

import json
import logging
import multiprocessing
import queue
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from plangraph.analysis.catalogue import NamedQuery

log = logging.getLogger("plangraph.serve.app")

GRACE_SECONDS = 0.5
"""How long after the budget a worker may still answer before it is killed."""

# --- content negotiation -------------------------------------------------------------------

# key: (media type sent, media types accepted)
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": (SRJ, (SRJ, "application/json")),
    "xml": (SRX, (SRX, "application/xml", "text/xml")),
    "csv": ("text/csv", ("text/csv",)),
    "tsv": ("text/tab-separated-values", ("text/tab-separated-values",)),
}  # fmt: skip
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle", ("text/turtle", "application/x-turtle")),
    "ntriples": ("application/n-triples", ("application/n-triples", "text/plain")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
_FORMAT_ALIASES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml",
                "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
              "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
              "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "owl": "rdfxml"},
}  # fmt: skip


class NotAcceptable(Exception):
    """No format the client accepts can carry this result."""


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, kind: str, fmt: str | None = None) -> str:
    """The format key for a result of ``kind`` ("results" or "graph"): the ``format`` parameter
    if given (a short name or a media type), else the best match of the Accept header, else
    the first format (SPARQL JSON, Turtle).

    >>> negotiate("text/csv", "results"), negotiate(None, "graph")
    ('csv', 'turtle')
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "results")
    'xml'
    >>> negotiate("application/sparql-results+json;q=0.5, text/turtle", "graph")
    'turtle'
    """
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if fmt:
        key = _FORMAT_ALIASES[kind].get(fmt.lower())
        if key is None:
            for name, (_, accepted) in table.items():
                if fmt.lower() in accepted:
                    key = name
        if key is None:
            raise NotAcceptable(
                f"format '{fmt}' cannot carry {'query results' if kind == 'results' else 'a graph'}"
                f" (use one of: {', '.join(table)})"
            )
        return key
    if not accept or not accept.strip():
        return next(iter(table))
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for name, (_, accepted) in table.items():
        q = 0.0
        for n, media in enumerate(accepted):
            specific = -1
            for rng, rq in ranges:
                if rng == media:
                    level = 2
                elif n > 0:  # wildcards match a format's own media type, not its aliases
                    continue
                elif rng.endswith("/*") and media.startswith(rng[:-1]):
                    level = 1
                elif rng == "*/*":
                    level = 0
                else:
                    continue
                if level > specific:
                    specific, mq = level, rq
            if specific >= 0:
                q = max(q, mq)
        if q > best_q:
            best, best_q = name, q
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) can carry "
            f"{'query results' if kind == 'results' else 'a graph'}; offered: "
            + ", ".join(t for t, _ in table.values())
        )
    return best


def media_type(kind: str, key: str) -> str:
    """The Content-Type sent for a format (with a charset for text types)."""
    media = (RESULT_FORMATS if kind == "results" else GRAPH_FORMATS)[key][0]
    return media + "; charset=utf-8" if media.startswith("text/") else media


# --- jobs and replies (crossing the process boundary) -----------------------------------------


@dataclass(frozen=True)
class Job:
    """A unit of work for a worker process."""

    kind: str
    """"sparql" (a protocol request), "named" (a query of the library) or "graphs"."""
    query: str = ""
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


_TITLES = {
    400: "bad request",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    413: "too large",
    415: "unsupported media type",
    500: "internal error",
    503: "unavailable",
}


def error_reply(status: int, message: str, **extra: Any) -> Reply:
    """A JSON error body: ``{"status", "error", "message", …}``."""
    body = {"status": status, "error": _TITLES.get(status, "error"), "message": message, **extra}
    return Reply(status, "application/json", json.dumps(body, ensure_ascii=False).encode())


INTERNAL_ERROR = "internal error; the details are in the server log"
_ORIGINAL_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def syntax_error_reply(exc: SyntaxError) -> Reply:
    """400 with the line and column pyoxigraph reports ("error at 3:13: expected …")."""
    text = str(exc)
    m = _ORIGINAL_ERROR.match(text)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        return error_reply(
            400,
            f"syntax error at line {line}, column {column}: {m.group(3)}",
            line=line,
            column=column,
        )
    return error_reply(400, f"syntax error: {text}")


# --- the worker process ---------------------------------------------------------------------


class _Budget:
    """The deadline of one job inside a worker, checked between rows."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def exceeded(self) -> bool:
        return time.monotonic() > self.deadline


def _too_many(max_results: int, what: str) -> Reply:
    return error_reply(
        413,
        f"the result has more than {max_results} {what}: add LIMIT to the query "
        "(or start the server with a larger --max-results)",
        max_results=max_results,
    )


def _timed_out(seconds: float | None = None) -> Reply:
    return error_reply(
        503,
        "the query took longer than the server's time limit"
        + (f" ({seconds:g} s)" if seconds else "")
        + " and was stopped",
    )


def solutions_body(variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """Serialize SELECT rows (pyoxigraph terms or None) with pyoxigraph's serializers.

    The rows are written as SPARQL TSV (N-Triples terms) and read back as QuerySolutions,
    which pyoxigraph then writes in the requested format.

    >>> from pyoxigraph import Literal, NamedNode
    >>> solutions_body(["a", "b"], [[NamedNode("http://e/x"), None], [Literal("y")] * 2], "csv")
    b'a,b\\r\\nhttp://e/x,\\r\\ny,y\\r\\n'
    """
    from pyoxigraph import QueryResultsFormat, parse_query_results

    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    tsv = ("\n".join(lines) + "\n").encode()
    parsed = parse_query_results(tsv, format=QueryResultsFormat.TSV)
    body = parsed.serialize(format=_results_format(fmt))
    assert body is not None
    return bytes(body)


def _results_format(key: str) -> Any:
    from pyoxigraph import QueryResultsFormat

    return {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
    }[key]


def _rdf_format(key: str) -> Any:
    from pyoxigraph import RdfFormat

    return {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "jsonld": RdfFormat.JSON_LD,
        "rdfxml": RdfFormat.RDF_XML,
    }[key]


def graph_body(triples: Sequence[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize triples (Turtle and RDF/XML with the project's prefixes by default)."""
    from pyoxigraph import serialize

    from plangraph.rdf.iris import PREFIXES

    if prefixes is None:
        prefixes = PREFIXES
    body = serialize(
        triples,
        format=_rdf_format(fmt),
        prefixes=prefixes if fmt in ("turtle", "rdfxml") else None,
    )
    assert body is not None
    return bytes(body)


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
    kwargs: dict[str, Any] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs or ()]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as exc:
        return syntax_error_reply(exc)
    if isinstance(result, QueryBoolean):
        if job.result_kind != "results":
            return error_reply(406, "an ASK query gives a boolean: ask for a results format")
        body = result.serialize(format=_results_format(job.fmt))
        assert body is not None
        return Reply(200, media_type("results", job.fmt), bytes(body))
    if isinstance(result, QuerySolutions):
        if job.result_kind != "results":
            return error_reply(406, "a SELECT query gives a table: ask for a results format")
        variables = [v.value for v in result.variables]
        rows = []
        for i, sol in enumerate(result):
            if i >= max_results:
                return _too_many(max_results, "rows")
            if i % 64 == 0 and budget.exceeded():
                return _timed_out()
            rows.append(list(sol))  # the values in the order of the variables, None if unbound
        if budget.exceeded():
            return _timed_out()
        return Reply(200, media_type("results", job.fmt), solutions_body(variables, rows, job.fmt))
    if job.result_kind != "graph":
        return error_reply(
            406, "a CONSTRUCT or DESCRIBE query gives a graph: ask for an RDF format"
        )
    triples = []
    for i, triple in enumerate(result):
        if i >= max_results:
            return _too_many(max_results, "triples")
        if i % 64 == 0 and budget.exceeded():
            return _timed_out()
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
        return _too_many(max_results, "rows")
    return Reply(
        200, media_type("results", job.fmt), solutions_body(result.columns, result.rows, job.fmt)
    )


def worker_main(conn: Connection, data_file: str, max_results: int) -> None:
    """A worker process: load the store, then answer jobs until the pipe closes."""
    import signal

    # Ctrl+C reaches the whole process group; the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(process)d %(message)s")
    from plangraph.rdf.store import load_store

    try:
        store = load_store(Path(data_file))
    except Exception as exc:
        log.exception("worker could not load %s", data_file)
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            job, seconds = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, job, max_results, seconds)
        except Exception:
            log.exception("query failed: %r", job.query or job.kind)
            reply = error_reply(500, INTERNAL_ERROR)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


# --- the pool of workers (in the server process) -----------------------------------------------


class WorkerStartError(RuntimeError):
    """A worker process could not load the dataset."""


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class WorkerPool:
    """Worker processes, each with its own store; ``call`` is blocking (run it in a thread)."""

    def __init__(self, data_file: Path, size: int, max_results: int) -> None:
        self.data_file = data_file
        self.size = size
        self.max_results = max_results
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = False

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker_main,
            args=(child, str(self.data_file), self.max_results),
            daemon=True,
            name="plangraph-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", "the worker exited while loading"
        if status != "ready":
            process.join(5)
            raise WorkerStartError(f"could not load {self.data_file}: {detail}")
        with self._lock:
            self._all.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers (in parallel) and wait until each has loaded the dataset;
        a second call does nothing."""
        if self._started:
            return
        self._started = True
        errors: list[Exception] = []

        def one() -> None:
            try:
                self._idle.put(self._spawn())
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=one) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise errors[0]

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.process.kill()
            worker.process.join(5)
        finally:
            worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        def run() -> None:
            self._discard(worker)
            if self._closed:
                return
            try:
                self._idle.put(self._spawn())
            except Exception:
                log.exception("could not start a replacement worker")

        threading.Thread(target=run, daemon=True).start()

    def call(self, job: Job, timeout: float) -> Reply:
        """Run a job on a free worker; the whole call takes at most ``timeout`` seconds plus
        a grace period, after which the worker is killed (and replaced) and 503 answered."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return error_reply(503, "the server is busy: no worker became free in time")
        remaining = deadline - time.monotonic()
        try:
            worker.conn.send((job, remaining))
            if worker.conn.poll(max(remaining, 0) + GRACE_SECONDS):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            log.exception("worker %s failed", worker.process.pid)
            self._replace(worker)
            return error_reply(500, INTERNAL_ERROR)
        log.warning("query over the %.1f s limit; killing worker %s", timeout, worker.process.pid)
        self._replace(worker)
        return _timed_out(timeout)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._discard(worker)


# --- the web application -------------------------------------------------------------------


@dataclass(frozen=True)
class ServerConfig:
    """What ``plangraph serve`` was asked for."""

    data_file: Path
    queries_dir: Path | None = None
    timeout: float = 10.0
    max_results: int = 100_000
    max_body: int = 100_000
    cors: tuple[str, ...] = ()
    workers: int = 2


@dataclass
class _State:
    graphs: dict[str, int] = field(default_factory=dict)
    quads: int = 0


class RequestError(Exception):
    """A request answered with an error before any worker sees it."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def create_app(config: ServerConfig, pool: Any | None = None) -> Any:
    """The Starlette application. ``pool`` defaults to a :class:`WorkerPool` over the data."""
    import contextlib

    import anyio
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from plangraph.analysis.catalogue import catalogue
    from plangraph.rdf import sparql as sparqlsafety

    workers: Any = pool or WorkerPool(config.data_file, config.workers, config.max_results)
    state = _State()
    limiter = anyio.CapacityLimiter(max(16, config.workers * 8))
    static_dir = Path(__file__).parent / "static"

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> Any:
        await anyio.to_thread.run_sync(workers.start)
        info = await anyio.to_thread.run_sync(workers.call, Job("graphs"), 60.0)
        if info.status == 200:
            data = json.loads(info.body)
            state.graphs, state.quads = data["graphs"], data["quads"]
        log.info(
            "serving %s: %d quads in %d named graphs",
            config.data_file,
            state.quads,
            len(state.graphs),
        )
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(workers.close)

    def respond(reply: Reply) -> Response:
        return Response(
            reply.body,
            status_code=reply.status,
            media_type=reply.media_type,
            headers=dict(reply.headers),
        )

    async def dispatch(job: Job) -> Response:
        reply = await anyio.to_thread.run_sync(workers.call, job, config.timeout, limiter=limiter)
        return respond(reply)

    async def read_body(request: Request) -> bytes:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > config.max_body:
            raise RequestError(
                error_reply(413, f"the request body is larger than {config.max_body} bytes")
            )
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > config.max_body:
                raise RequestError(
                    error_reply(413, f"the request body is larger than {config.max_body} bytes")
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def form_pairs(text: str) -> list[tuple[str, str]]:
        try:
            return parse_qsl(text, keep_blank_values=True, max_num_fields=1000, errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            raise RequestError(error_reply(400, f"malformed form data: {exc}")) from None

    async def protocol_params(request: Request) -> list[tuple[str, str]]:
        if len(request.url.query) > config.max_body:
            raise RequestError(
                error_reply(413, f"the query string is longer than {config.max_body} bytes")
            )
        params = form_pairs(request.url.query)
        if request.method == "GET":
            return params
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise RequestError(
                error_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
            )
        if ctype == "application/x-www-form-urlencoded":
            body = await read_body(request)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestError(error_reply(400, "the form is not UTF-8")) from None
            return params + form_pairs(text)
        if ctype == "application/sparql-query":
            body = await read_body(request)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestError(error_reply(400, "the query is not UTF-8")) from None
            return [*params, ("query", text)]
        raise RequestError(
            error_reply(
                415,
                "POST a form (application/x-www-form-urlencoded) or a query "
                "(application/sparql-query)",
            )
        )

    async def sparql(request: Request) -> Response:
        try:
            params = await protocol_params(request)
            names = [k for k, _ in params]
            if "update" in names:
                raise RequestError(
                    error_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
                )
            queries = [v for k, v in params if k == "query"]
            if not queries:
                return service_description(request)
            if len(queries) > 1:
                raise RequestError(error_reply(400, "give exactly one 'query' parameter"))
            fmts = [v for k, v in params if k == "format"]
            try:
                info = sparqlsafety.analyse(queries[0])
            except sparqlsafety.QuerySyntaxError as exc:
                raise RequestError(
                    error_reply(400, exc.message, line=exc.line, column=exc.column)
                ) from None
            except sparqlsafety.SparqlRequestError as exc:
                raise RequestError(error_reply(exc.status, exc.message)) from None
            kind = "graph" if info.form in ("CONSTRUCT", "DESCRIBE") else "results"
            try:
                fmt = negotiate(request.headers.get("accept"), kind, fmts[-1] if fmts else None)
            except NotAcceptable as exc:
                raise RequestError(error_reply(406, str(exc))) from None
            defaults = [v for k, v in params if k == "default-graph-uri"]
            named = [v for k, v in params if k == "named-graph-uri"]
            for iri in defaults + named:
                try:
                    sparqlsafety.iri_ref(iri)
                except ValueError as exc:
                    raise RequestError(error_reply(400, f"bad graph IRI: {exc}")) from None
            dataset = bool(defaults or named)
            job = Job(
                "sparql",
                query=queries[0],
                fmt=fmt,
                result_kind=kind,
                union=not info.has_dataset,
                default_graphs=tuple(defaults) if dataset else None,
                named_graphs=tuple(named) if dataset else None,
            )
        except RequestError as exc:
            return respond(exc.reply)
        return await dispatch(job)

    def service_description(request: Request) -> Response:
        try:
            fmt = negotiate(request.headers.get("accept"), "graph")
        except NotAcceptable:
            fmt = "turtle"
        endpoint = str(request.url.replace(query=""))
        body = graph_body(_service_description(endpoint, state, config), fmt, SD_PREFIXES)
        return Response(body, media_type=media_type("graph", fmt))

    def named_queries() -> dict[str, NamedQuery]:
        return catalogue(config.queries_dir)

    async def list_queries(_request: Request) -> Response:
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
            for q in named_queries().values()
        ]
        return JSONResponse(items)

    async def run_named(request: Request) -> Response:
        from plangraph.rdf.iris import plan_ref

        name = request.path_params["name"]
        named = named_queries().get(name)
        if named is None:
            return respond(error_reply(404, f"no query named '{name}' (see /queries)"))
        params = (
            form_pairs(request.url.query) if len(request.url.query) <= config.max_body else None
        )
        if params is None:
            return respond(error_reply(413, "the query string is too long"))
        fmts = [v for k, v in params if k == "format"]
        try:
            fmt = negotiate(request.headers.get("accept"), "results", fmts[-1] if fmts else None)
        except NotAcceptable as exc:
            return respond(error_reply(406, str(exc)))
        bindings: dict[str, str] = {}
        kinds = {p.name: p.kind for p in named.params}
        for key, value in params:
            if key == "format" or value == "":
                continue
            if key not in kinds:
                return respond(
                    error_reply(
                        400,
                        f"query '{name}' has no parameter '{key}' "
                        f"(parameters: {', '.join(kinds) or 'none'})",
                    )
                )
            if key in bindings:
                return respond(error_reply(400, f"parameter '{key}' given twice"))
            if key == "plan" and kinds[key].upper().startswith("IRI"):
                value = plan_ref(value)  # a bare plan id names the plan
            if kinds[key].upper().startswith("IRI"):
                try:
                    sparqlsafety.iri_ref(value)
                except ValueError as exc:
                    return respond(error_reply(400, f"parameter '{key}': {exc}"))
            bindings[key] = value
        return await dispatch(Job("named", fmt=fmt, named=named, bindings=tuple(bindings.items())))

    async def index(_request: Request) -> Response:
        return FileResponse(static_dir / "index.html", media_type="text/html; charset=utf-8")

    async def on_http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return respond(
            error_reply(exc.status_code, exc.detail or _TITLES.get(exc.status_code, "error"))
        )

    async def on_error(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(error_reply(500, INTERNAL_ERROR))

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
    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", list_queries),
        Route("/queries/{name:path}", run_named),
        Mount("/static", StaticFiles(directory=static_dir), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: on_http_error, Exception: on_error},
    )


class SecurityHeaders:
    """Headers on every response: no MIME sniffing, a strict Content-Security-Policy (the page
    loads nothing but its own files)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SD_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "formats": "http://www.w3.org/ns/formats/",
}


def _service_description(endpoint: str, state: _State, config: ServerConfig) -> list[Any]:
    """SPARQL 1.1 Service Description of the endpoint: formats, dataset, limits."""
    from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple

    def sd(local: str) -> Any:
        return NamedNode(SD + local)

    xsd_integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    a = NamedNode(RDF_TYPE)
    service = NamedNode(endpoint)
    dataset, default = BlankNode("dataset"), BlankNode("default")
    out = [
        Triple(service, a, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(
            service,
            NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                "plangraph SPARQL endpoint. Read-only (no SPARQL Update), SERVICE disabled, "
                f"time limit {config.timeout:g} s per query, at most {config.max_results} "
                f"result rows or triples, request bodies up to {config.max_body} bytes. "
                "The default graph is the union of all named graphs.",
                language="en",
            ),
        ),
        Triple(dataset, a, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, a, sd("Graph")),
        Triple(
            default, NamedNode(VOID + "triples"), Literal(str(state.quads), datatype=xsd_integer)
        ),
    ]
    formats = (
        *(QueryResultsFormat.JSON, QueryResultsFormat.XML),
        *(QueryResultsFormat.CSV, QueryResultsFormat.TSV),
        *(RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML),
    )
    for fmt in formats:
        out.append(Triple(service, sd("resultFormat"), NamedNode(fmt.iri)))
    for i, (graph, count) in enumerate(sorted(state.graphs.items())):
        node, g = BlankNode(f"ng{i}"), BlankNode(f"g{i}")
        out += [
            Triple(dataset, sd("namedGraph"), node),
            Triple(node, a, sd("NamedGraph")),
            Triple(node, sd("name"), NamedNode(graph)),
            Triple(node, sd("graph"), g),
            Triple(g, a, sd("Graph")),
            Triple(g, NamedNode(VOID + "triples"), Literal(str(count), datatype=xsd_integer)),
        ]
    order = {node: i for i, node in enumerate(dict.fromkeys(t.subject for t in out))}
    return sorted(out, key=lambda t: order[t.subject])
