"""Reading requests: the SPARQL 1.1 Protocol parameters of ``/sparql`` and the values of a named
query, checked and turned into a :class:`~plangraph.serve.jobs.Job`. Everything refused here
raises (:class:`~plangraph.serve.errors.HttpError`, or the safety layer's own errors) before
any worker sees the request."""

from __future__ import annotations

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


async def read_body(request: Request, max_body: int) -> bytes:
    """The request body, read in chunks and abandoned past ``max_body`` bytes (413)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_body:
        raise HttpError(413, f"the request body is larger than {max_body} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise HttpError(413, f"the request body is larger than {max_body} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _body_text(request: Request, max_body: int, what: str) -> str:
    try:
        return (await read_body(request, max_body)).decode("utf-8")
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


async def protocol_params(request: Request, max_body: int) -> list[tuple[str, str]]:
    """The parameters of a protocol request: the query string, plus the form or the query
    sent as the body of a POST."""
    if len(request.url.query) > max_body:
        raise HttpError(413, f"the query string is longer than {max_body} bytes")
    params = form_pairs(request.url.query)
    if request.method in ("GET", "HEAD"):
        return params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise _read_only()
    if ctype == "application/x-www-form-urlencoded":
        return params + form_pairs(await _body_text(request, max_body, "form"))
    if ctype == "application/sparql-query":
        return [*params, ("query", await _body_text(request, max_body, "query"))]
    raise HttpError(
        415,
        "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)",
    )


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
