"""Reading requests: the SPARQL 1.1 Protocol parameters of ``/sparql`` and the values of a named
query, checked and turned into a :class:`~plangraph.serve.jobs.Job`. Everything refused here
raises (:class:`~plangraph.serve.errors.HttpError`, or the safety layer's own errors) before
any worker sees the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.requests import Request

from plangraph.analysis.catalogue import NamedQuery
from plangraph.rdf import sparql as sparqlsafety
from plangraph.rdf.iris import plan_ref
from plangraph.serve.errors import HttpError
from plangraph.serve.jobs import Job
from plangraph.serve.negotiation import negotiate

MAX_FIELDS = 1000
"""Most parameters in a query string or form."""


@lru_cache(maxsize=1024)
def _checked(query: str) -> sparqlsafety.QueryInfo:
    return sparqlsafety.analyse(query)


def checked(query: str) -> sparqlsafety.QueryInfo:
    """:func:`plangraph.rdf.sparql.analyse`, remembered for the last 1,024 queries up to 8 kB
    (the verdict depends on the text alone; refusals are not remembered)."""
    return _checked(query) if len(query) <= 8192 else sparqlsafety.analyse(query)


def _read_only() -> HttpError:
    return HttpError(403, "this endpoint is read-only: SPARQL Update is not accepted")


@dataclass(frozen=True)
class ProtocolRequest:
    """What a SPARQL protocol request says, whoever parsed it (the route, or the ASGI fast path
    of :mod:`plangraph.serve.app`); ``read_body`` reads the body within the size limit."""

    method: str
    query_string: str
    content_type: str
    accept: str | None
    endpoint: str
    """The endpoint's URL as the client addressed it (the base IRI of its queries)."""
    read_body: Callable[[], Awaitable[bytes]]
    if_none_match: str | None = None


async def read_body(request: Request, max_body: int) -> bytes:
    """The request body, read in chunks and abandoned past ``max_body`` bytes (413)."""
    check_length(request.headers.get("content-length", ""), max_body)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise too_large(max_body)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(max_body: int) -> HttpError:
    return HttpError(413, f"the request body is larger than {max_body} bytes")


def check_length(length: str, max_body: int) -> None:
    """413 at once when the announced Content-Length is over the limit."""
    if length.isdigit() and int(length) > max_body:
        raise too_large(max_body)


async def _body_text(req: ProtocolRequest, what: str) -> str:
    try:
        return (await req.read_body()).decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, f"the {what} is not UTF-8") from None


def form_pairs(text: str) -> list[tuple[str, str]]:
    """The pairs of a query string or form (UTF-8, at most :data:`MAX_FIELDS`), else 400.

    >>> form_pairs("query=ASK%20%7B%7D&format=csv")
    [('query', 'ASK {}'), ('format', 'csv')]
    """
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, f"malformed form data: {exc}") from None


async def request_job(req: ProtocolRequest, max_body: int) -> Job | None:
    """The job of a protocol request (None: no query, the service description), after the
    checks that need no parsing: sizes, methods, media types."""
    if len(req.query_string) > max_body:
        raise HttpError(413, f"the query string is longer than {max_body} bytes")
    if req.method in ("GET", "HEAD"):
        return job_of("GET", req.query_string, "", req.accept, req.endpoint)
    ctype = req.content_type.split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise _read_only()
    if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise HttpError(
            415,
            "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)",
        )
    what = "form" if ctype == "application/x-www-form-urlencoded" else "query"
    return job_of(ctype, req.query_string, await _body_text(req, what), req.accept, req.endpoint)


def job_of(
    kind: str, query_string: str, body: str, accept: str | None, endpoint: str
) -> Job | None:
    """The job of a request that sent ``query_string`` and ``body`` (``kind``: GET, or the
    media type of the POSTed body), remembered for the last 1,024 requests up to 8 kB: the job
    depends on these values alone, and parsing them costs as much as the rest of the server's
    work on a light query. Refusals are not remembered."""
    if len(query_string) + len(body) <= 8192:
        return _job_of(kind, query_string, body, accept, endpoint)
    return _parse_job(kind, query_string, body, accept, endpoint)


def _parse_job(
    kind: str, query_string: str, body: str, accept: str | None, endpoint: str
) -> Job | None:
    params = form_pairs(query_string)
    if kind == "application/x-www-form-urlencoded":
        params += form_pairs(body)
    elif kind == "application/sparql-query":
        params.append(("query", body))
    return sparql_job(params, accept, endpoint)


_job_of = lru_cache(maxsize=1024)(_parse_job)


def sparql_job(
    params: list[tuple[str, str]], accept: str | None, base: str | None = None
) -> Job | None:
    """The job of a protocol request, or None when it asks no query (the service
    description). ``base`` resolves relative IRIs in the query (the endpoint's URL)."""
    names = [k for k, _ in params]
    if "update" in names:
        raise _read_only()
    queries = [v for k, v in params if k == "query"]
    if not queries:
        return None
    if len(queries) > 1:
        raise HttpError(400, "give exactly one 'query' parameter")
    fmts = [v for k, v in params if k == "format"]
    info = checked(queries[0])
    kind = "graph" if info.form in ("CONSTRUCT", "DESCRIBE") else "results"
    fmt = negotiate(accept, kind, fmts)
    defaults = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    for iri in defaults + named:
        try:
            sparqlsafety.iri_ref(iri)
        except ValueError as exc:
            raise HttpError(400, f"bad graph IRI: {exc}") from None
    dataset = bool(defaults or named)
    return Job(
        "sparql",
        query=info.text,
        source=queries[0],
        fmt=fmt,
        result_kind=kind,
        union=not info.has_dataset,
        default_graphs=tuple(defaults) if dataset else None,
        named_graphs=tuple(named) if dataset else None,
        base=base,
        deterministic=info.deterministic,
    )


def named_job(named: NamedQuery, query_string: str, accept: str | None, max_body: int) -> Job:
    """The job of ``/queries/<name>?param=value``: each value checked against the query's
    parameters (a bare plan id names the plan)."""
    if len(query_string) > max_body:
        raise HttpError(413, "the query string is too long")
    params = form_pairs(query_string)
    fmts = [v for k, v in params if k == "format"]
    fmt = negotiate(accept, "results", fmts)
    bindings: dict[str, str] = {}
    kinds = {p.name: p.kind for p in named.params}
    for key, value in params:
        if key == "format" or value == "":
            continue
        if key not in kinds:
            raise HttpError(
                400,
                f"query '{named.name}' has no parameter '{key}' "
                f"(parameters: {', '.join(kinds) or 'none'})",
            )
        if key in bindings:
            raise HttpError(400, f"parameter '{key}' given twice")
        if key == "plan" and kinds[key].upper().startswith("IRI"):
            value = plan_ref(value)  # a bare plan id names the plan
        if kinds[key].upper().startswith("IRI"):
            try:
                sparqlsafety.iri_ref(value)
            except ValueError as exc:
                raise HttpError(400, f"parameter '{key}': {exc}") from None
        bindings[key] = value
    return Job("named", fmt=fmt, named=named, bindings=tuple(bindings.items()))
