"""Remote SPARQL stores: push the dataset with the Graph Store Protocol, run named queries.

``push`` PUTs every named graph of the compiled dataset to ``<store>?graph=<iri>`` (SPARQL 1.1
Graph Store HTTP Protocol), which replaces that graph and leaves the store's other graphs alone;
for Oxigraph the store URL is ``http://host:port/store`` next to the query endpoint
``http://host:port/query``.

``post_query`` sends a query to a SPARQL 1.1 endpoint (the client side of
:class:`plangraph.analysis.backends.RemoteBackend`). Bound values go into a ``VALUES`` clause at
the start of the query's WHERE group (:func:`insert_values`), written by
:mod:`plangraph.rdf.sparql` (IRIs validated, literals escaped), never formatted into the text.
Stores differ in what their default graph is, so the query's dataset is given explicitly: every
graph of the store whose name starts with ``https://w3id.org/plangraph/graph/`` is passed as a
``default-graph-uri`` and a ``named-graph-uri`` (the union the embedded store queries).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from plangraph.analysis.results import Result, from_oxigraph
from plangraph.errors import PlangraphError
from plangraph.rdf.iris import BASE
from plangraph.rdf.sparql import QUERY_FORMS, iri_ref, literal, term, tokenize

GRAPH_PREFIX = BASE + "graph/"
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def values_clause(bindings: Mapping[str, Any]) -> str:
    """A one-row ``VALUES`` clause binding variables to pyoxigraph terms.

    >>> from pyoxigraph import Literal, NamedNode
    >>> values_clause({"plan": NamedNode("https://e/p"), "q": Literal('a "b"')})
    'VALUES (?plan ?q) { (<https://e/p> "a \\\\"b\\\\"") }'
    """
    names = []
    for name in bindings:
        if not _VARNAME.match(name):
            raise PlangraphError(f"not a variable name: {name!r}")
        names.append("?" + name)
    terms = [term(v) for v in bindings.values()]
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def insert_values(query: str, bindings: Mapping[str, Any]) -> str:
    """The query with a ``VALUES`` clause at the start of its WHERE group.

    >>> from pyoxigraph import NamedNode
    >>> insert_values("SELECT ?x WHERE { ?x ?p ?plan }", {"plan": NamedNode("http://e/p")})
    'SELECT ?x WHERE { VALUES (?plan) { (<http://e/p>) } ?x ?p ?plan }'
    """
    if not bindings:
        return query
    tokens = list(tokenize(query))
    start = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in QUERY_FORMS),
        None,
    )
    if start is None:
        raise PlangraphError("not a query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    i = start + 1
    if tokens[start].text.upper() == "CONSTRUCT" and i < len(tokens) and tokens[i].text == "{":
        depth = 0
        while i < len(tokens):  # skip the template
            depth += {"{": 1, "}": -1}.get(tokens[i].text, 0)
            i += 1
            if depth == 0:
                break
    parens = 0
    for tok in tokens[i:]:
        if tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{" and parens == 0:
            pos = tok.start + 1
            return f"{query[:pos]} {values_clause(bindings)}{query[pos:]}"
    raise PlangraphError("the query has no WHERE group to bind values in")


def _client(timeout: float) -> Any:
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=False)


def _check(response: Any, what: str) -> None:
    if not 200 <= response.status_code < 300:
        text = response.text[:500].strip()
        raise PlangraphError(
            f"{what}: {response.request.url} answered {response.status_code}: {text}"
        )


def _post(client: Any, endpoint: str, query: str, graphs: list[str] | None, accept: str) -> Any:
    import httpx

    data: dict[str, Any] = {"query": query}
    if graphs is not None:
        data["default-graph-uri"] = graphs
        data["named-graph-uri"] = graphs
    try:
        response = client.post(endpoint, data=data, headers={"Accept": accept})
    except httpx.HTTPError as exc:
        raise PlangraphError(f"cannot reach {endpoint}: {exc}") from None
    _check(response, "query")
    return response


def _select(client: Any, endpoint: str, query: str, graphs: list[str] | None = None) -> Any:
    from pyoxigraph import QueryResultsFormat, parse_query_results

    response = _post(client, endpoint, query, graphs, "application/sparql-results+json")
    try:
        return parse_query_results(response.content, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{endpoint} sent results that are not SPARQL JSON: {exc}") from None


def plangraph_graphs(endpoint: str, timeout: float = 60.0) -> list[str]:
    """The names of the plangraph graphs a store holds."""
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
        f"FILTER(STRSTARTS(STR(?g), {literal(GRAPH_PREFIX)})) }} ORDER BY ?g"
    )
    with _client(timeout) as client:
        return [sol["g"].value for sol in _select(client, endpoint, query)]


def post_query(endpoint: str, query: str, graphs: list[str] | None, timeout: float) -> Result:
    """Send a query (any form) to an endpoint over the dataset ``graphs`` (``None``: the
    endpoint's own default dataset) and read the answer: SPARQL JSON results, or N-Triples for
    CONSTRUCT and DESCRIBE."""
    from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

    accept = "application/sparql-results+json, application/n-triples;q=0.9"
    with _client(timeout) as client:
        response = _post(client, endpoint, query, graphs, accept)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if media == "application/n-triples":
            return Result(
                "graph", triples=list(parse(response.content, format=RdfFormat.N_TRIPLES))
            )
        return from_oxigraph(parse_query_results(response.content, format=QueryResultsFormat.JSON))
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(
            f"{endpoint} sent an answer plangraph cannot read ({media}): {exc}"
        ) from None


def store_url_for(endpoint: str) -> str:
    """The Graph Store endpoint next to a query endpoint, as Oxigraph lays them out.

    >>> store_url_for("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = urlsplit(endpoint)
    if not parts.path.endswith("/query"):
        raise PlangraphError(
            f"cannot tell the Graph Store URL of {endpoint}: pass --store-url "
            "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data)"
        )
    return urlunsplit(parts._replace(path=parts.path[: -len("query")] + "store", query=""))


@dataclass(frozen=True)
class PushReport:
    """What ``push`` sent: triples per graph, and what the endpoint counts afterwards."""

    store_url: str
    graphs: dict[str, int]
    remote_quads: int


def push(
    data_file: Path,
    endpoint: str,
    *,
    store_url: str | None = None,
    timeout: float = 60.0,
) -> PushReport:
    """PUT each named graph of ``data_file`` (N-Quads or TriG) to the store, then count the
    pushed graphs' quads through ``endpoint``; a different count is an error."""
    import httpx
    from pyoxigraph import NamedNode, RdfFormat, parse, serialize

    store_url = store_url or store_url_for(endpoint)
    fmt = RdfFormat.TRIG if data_file.suffix == ".trig" else RdfFormat.N_QUADS
    by_graph: dict[str | None, list[Any]] = {}
    for quad in parse(path=str(data_file), format=fmt):
        name = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else None
        by_graph.setdefault(name, []).append(quad.triple)
    sent: dict[str, int] = {}
    with _client(timeout) as client:
        for name, triples in sorted(by_graph.items(), key=lambda kv: kv[0] or ""):
            body = serialize(triples, format=RdfFormat.N_TRIPLES)
            params = {"graph": name} if name is not None else {"default": ""}
            try:
                response = client.put(
                    store_url,
                    params=params,
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as exc:
                raise PlangraphError(f"cannot reach {store_url}: {exc}") from None
            _check(response, f"PUT graph {name or '(default)'}")
            sent[name or "(default graph)"] = len(triples)
        names = [n for n in by_graph if n is not None]
        remote = 0
        if names:
            values = " ".join(iri_ref(n) for n in names)
            result = _select(
                client,
                endpoint,
                "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { "
                + values
                + " } GRAPH ?g { ?s ?p ?o } }",
            )
            remote = int(next(iter(result))["n"].value)
    expected = sum(len(by_graph[n]) for n in names)
    if remote != expected:
        raise PlangraphError(
            f"pushed {expected} triples in named graphs but {endpoint} counts {remote} in them"
        )
    return PushReport(store_url, sent, remote)
