"""Remote SPARQL stores: push the dataset with the Graph Store Protocol, run named queries.

``push`` PUTs every named graph of the compiled dataset to ``<store>?graph=<iri>`` (SPARQL 1.1
Graph Store HTTP Protocol), which replaces that graph and leaves the store's other graphs alone;
for Oxigraph the store URL is ``http://host:port/store`` next to the query endpoint
``http://host:port/query``, for Virtuoso ``http://host:8890/sparql-graph-crud-auth`` (HTTP Digest,
user ``dba``) next to ``http://host:8890/sparql``.

``post_query`` sends a query to a SPARQL 1.1 endpoint (the client side of
:class:`plangraph.analysis.backends.RemoteBackend`). Bound values go into a ``VALUES`` clause
at the start of the query's WHERE group (:func:`insert_values`), written by
:mod:`plangraph.rdf.sparql` (IRIs validated, literals escaped), never formatted into the text.
Stores differ in what their default graph is, so the query's dataset is given explicitly: every
graph of the store whose name starts with ``https://w3id.org/plangraph/graph/`` is passed as a
``default-graph-uri`` and a ``named-graph-uri`` (the union the embedded store queries).

Virtuoso (7.2) is told apart by its ``Server`` header (:class:`StoreGraphs`) and queried
differently, because it answers some queries wrongly otherwise (docs/endpoint.md): no dataset
(its default graph is already the union of all its graphs; given a list of more than eight
graphs it mis-joins transitive paths and refuses some queries as too costly), and bound values
as ``BIND`` clauses (a ``VALUES`` clause at the start made it drop rows).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from plangraph.analysis.results import Result, from_oxigraph
from plangraph.errors import PlangraphError
from plangraph.rdf.iris import BASE
from plangraph.rdf.sparql import QUERY_FORMS, iri_ref, term, tokenize

GRAPH_PREFIX = BASE + "graph/"
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# graphs a fresh Virtuoso 7 holds for itself (its RDF views, the LDP vocabulary, the SPARQL
# service description), and those its add-ons load
VIRTUOSO_GRAPHS = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
)


def values_clause(bindings: Mapping[str, Any]) -> str:
    """A one-row ``VALUES`` clause binding variables to pyoxigraph terms.

    >>> from pyoxigraph import Literal, NamedNode
    >>> values_clause({"plan": NamedNode("https://e/p"), "q": Literal('a "b"')})
    'VALUES (?plan ?q) { (<https://e/p> "a \\\\"b\\\\"") }'
    """
    names = [_variable(name) for name in bindings]
    terms = [term(v) for v in bindings.values()]
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def bind_clause(bindings: Mapping[str, Any]) -> str:
    """``BIND`` clauses giving variables the values of pyoxigraph terms.

    >>> from pyoxigraph import Literal, NamedNode
    >>> bind_clause({"plan": NamedNode("https://e/p"), "q": Literal('a "b"')})
    'BIND(<https://e/p> AS ?plan) BIND("a \\\\"b\\\\"" AS ?q)'
    """
    return " ".join(f"BIND({term(v)} AS {_variable(k)})" for k, v in bindings.items())


def _variable(name: str) -> str:
    if not _VARNAME.match(name):
        raise PlangraphError(f"not a variable name: {name!r}")
    return "?" + name


def insert_values(query: str, bindings: Mapping[str, Any], *, bind: bool = False) -> str:
    """The query with a ``VALUES`` clause at the start of its WHERE group (``bind=True``:
    ``BIND`` clauses, the same for one row; Virtuoso 7 drops rows of some queries that start
    with ``VALUES``).

    >>> from pyoxigraph import NamedNode
    >>> insert_values("SELECT ?x WHERE { ?x ?p ?plan }", {"plan": NamedNode("http://e/p")})
    'SELECT ?x WHERE { VALUES (?plan) { (<http://e/p>) } ?x ?p ?plan }'
    >>> insert_values("SELECT ?x { ?x ?p ?plan }", {"plan": NamedNode("http://e/p")}, bind=True)
    'SELECT ?x { BIND(<http://e/p> AS ?plan) ?x ?p ?plan }'
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
    clause = bind_clause(bindings) if bind else values_clause(bindings)
    parens = 0
    for tok in tokens[i:]:
        if tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{" and parens == 0:
            pos = tok.start + 1
            return f"{query[:pos]} {clause}{query[pos:]}"
    raise PlangraphError("the query has no WHERE group to bind values in")


def store_auth(user: str, password: str) -> Any:
    """HTTP authentication for a store, answering the scheme the server asks for: Digest
    (Virtuoso's ``/sparql-graph-crud-auth``) or Basic (Fuseki, GraphDB, a proxy). Credentials
    are only sent in answer to a challenge (Basic: from then on in that client)."""
    import httpx

    class ChallengeAuth(httpx.Auth):
        def __init__(self) -> None:
            self.digest = httpx.DigestAuth(user, password)
            self.basic = httpx.BasicAuth(user, password)
            self.use_basic = False

        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            if self.use_basic:
                yield from self.basic.auth_flow(request)
                return
            flow = self.digest.auth_flow(request)  # sends no credentials until challenged
            outgoing = next(flow)
            while True:
                response = yield outgoing
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    break
            challenges = response.headers.get_list("www-authenticate")
            if response.status_code == 401 and any(
                c.lower().startswith("basic") for c in challenges
            ):
                self.use_basic = True
                yield from self.basic.auth_flow(request)

    return ChallengeAuth()


def _client(timeout: float, auth: Any = None) -> Any:
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=False, auth=auth)


def _check(response: Any, what: str) -> None:
    if not 200 <= response.status_code < 300:
        text = response.text[:500].strip()
        raise PlangraphError(
            f"{what}: {response.request.url} answered {response.status_code}: {text}"
        )
    if response.headers.get("x-sql-state") == "S1TAT":
        # Virtuoso's "anytime" queries: past MaxQueryExecutionTime (60 s in Debian's
        # virtuoso.ini) it answers 200 with the rows found so far
        raise PlangraphError(
            f"{what}: {response.request.url} stopped at its time limit and sent an incomplete "
            "answer (X-SQL-State: S1TAT): raise MaxQueryExecutionTime in the [SPARQL] section "
            "of virtuoso.ini, or bind a parameter to ask for less"
        )
    cap = response.headers.get("x-sparql-maxrows")
    if cap is not None:
        # Virtuoso cuts an answer at its [SPARQL] ResultSetMaxRows (10000 in Debian's
        # virtuoso.ini) and says so only in this header: never hand on a truncated answer
        raise PlangraphError(
            f"{what}: {response.request.url} cut its answer at {cap} rows "
            "(X-SPARQL-MaxRows): raise ResultSetMaxRows in the [SPARQL] section of "
            "virtuoso.ini, or add LIMIT"
        )


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words in the query.

    >>> query_form("PREFIX s: <http://e/select#> DESCRIBE <http://e/x>")
    'DESCRIBE'
    """
    for tok in tokenize(query):
        if tok.kind == "word" and tok.text.upper() in QUERY_FORMS:
            return tok.text.upper()
    raise PlangraphError("not a query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def canonical(term: Any) -> Any:
    """A term as the embedded store would write it: Virtuoso writes booleans ``"1"`` and
    ``"0"`` (valid lexical forms of xsd:boolean, but not the canonical ``true``/``false``).

    >>> from pyoxigraph import Literal, NamedNode
    >>> canonical(Literal("1", datatype=NamedNode(_XSD_BOOLEAN))).value
    'true'
    """
    from pyoxigraph import Literal

    if (
        isinstance(term, Literal)
        and term.datatype.value == _XSD_BOOLEAN
        and term.value in ("1", "0")
    ):
        return Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


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


def _solutions(response: Any, endpoint: str) -> Any:
    from pyoxigraph import QueryResultsFormat, parse_query_results

    try:
        return parse_query_results(response.content, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{endpoint} sent results that are not SPARQL JSON: {exc}") from None


def _select(client: Any, endpoint: str, query: str, graphs: list[str] | None = None) -> Any:
    response = _post(client, endpoint, query, graphs, "application/sparql-results+json")
    return _solutions(response, endpoint)


@dataclass(frozen=True)
class StoreGraphs:
    """The graphs a store holds, as its query endpoint shows them."""

    plangraph: list[str]
    """The plangraph graphs (names starting with ``https://w3id.org/plangraph/graph/``)."""
    others: list[str]
    """Other graphs, when the store had to be read to list them (Virtuoso), less
    Virtuoso's own (:data:`VIRTUOSO_GRAPHS`)."""
    server: str
    """The endpoint's ``Server`` header."""

    @property
    def virtuoso(self) -> bool:
        """Whether the endpoint is Virtuoso (``Server: Virtuoso/07.20…``)."""
        return self.server.lower().startswith("virtuoso")

    @property
    def dataset(self) -> list[str] | None:
        """The graphs to name as the dataset of a query: the plangraph graphs; ``None`` (the
        store's own default dataset, the union of all its graphs) on Virtuoso, which answers
        wrongly (transitive paths) or refuses (estimated cost) some queries over a list of
        more than eight graphs."""
        return None if self.virtuoso else self.plangraph


def store_graphs(endpoint: str, timeout: float = 60.0) -> StoreGraphs:
    """The graphs a store holds, and which server it is.

    ``GRAPH ?g { }`` lists the named graphs without reading them, but Virtuoso 7 answers it
    with no rows; then the graphs are found through their triples."""
    with _client(timeout) as client:
        for pattern in ("GRAPH ?g { }", "GRAPH ?g { ?s ?p ?o }"):
            query = f"SELECT DISTINCT ?g WHERE {{ {pattern} }}"
            response = _post(client, endpoint, query, None, "application/sparql-results+json")
            # (Virtuoso answers the first with one row where ?g is unbound)
            graphs = [s["g"].value for s in _solutions(response, endpoint) if s["g"] is not None]
            if graphs:
                break
    server = response.headers.get("server", "")
    return StoreGraphs(
        sorted(g for g in graphs if g.startswith(GRAPH_PREFIX)),
        sorted(
            g
            for g in graphs
            if not g.startswith(GRAPH_PREFIX) and not g.startswith(VIRTUOSO_GRAPHS)
        ),
        server.strip(),
    )


def plangraph_graphs(endpoint: str, timeout: float = 60.0) -> list[str]:
    """The names of the plangraph graphs a store holds."""
    return store_graphs(endpoint, timeout).plangraph


def post_query(endpoint: str, query: str, graphs: list[str] | None, timeout: float) -> Result:
    """Send a query (any form) to an endpoint over the dataset ``graphs`` (``None``: the
    endpoint's own default dataset) and read the answer: SPARQL JSON results, or N-Triples for
    CONSTRUCT and DESCRIBE (any RDF syntax pyoxigraph reads, if the endpoint sends another),
    whose terms keep their datatypes and language tags."""
    from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

    # one format per form: asked for SPARQL JSON, Virtuoso sends a CONSTRUCT's triples as
    # s/p/o solutions, and DESCRIBE in a JSON of its own
    graph_form = query_form(query) in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    with _client(timeout) as client:
        response = _post(client, endpoint, query, graphs, accept)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        rdf_format = RdfFormat.from_media_type(media) if graph_form else None
        if rdf_format is not None:  # N-Triples as asked (or text/plain), or another RDF syntax
            return Result("graph", triples=list(parse(response.content, format=rdf_format)))
        result = from_oxigraph(
            parse_query_results(response.content, format=QueryResultsFormat.JSON)
        )
        rows = [[canonical(term) for term in row] for row in result.rows]
        return Result(result.form, result.columns, rows, result.boolean, result.triples)
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
            "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data; "
            "Virtuoso: http://HOST:8890/sparql-graph-crud-auth with --user dba)"
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
    user: str | None = None,
    password: str | None = None,
) -> PushReport:
    """PUT each named graph of ``data_file`` (N-Quads or TriG) to the store, then count the
    pushed graphs' quads through ``endpoint``; a different count is an error.

    ``user`` and ``password`` answer the store's HTTP Digest or Basic challenge (Virtuoso:
    ``dba`` at ``http://HOST:8890/sparql-graph-crud-auth``)."""
    import httpx
    from pyoxigraph import NamedNode, RdfFormat, parse, serialize

    store_url = store_url or store_url_for(endpoint)
    fmt = RdfFormat.TRIG if data_file.suffix == ".trig" else RdfFormat.N_QUADS
    by_graph: dict[str | None, list[Any]] = {}
    for quad in parse(path=str(data_file), format=fmt):
        name = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else None
        by_graph.setdefault(name, []).append(quad.triple)
    sent: dict[str, int] = {}
    auth = store_auth(user, password or "") if user is not None else None
    with _client(timeout, auth) as client:
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
            if response.status_code in (401, 403):
                raise PlangraphError(
                    f"{store_url} refused to store graph {name or '(default)'} "
                    f"({response.status_code}): "
                    + (
                        "wrong user or password, or the user may not write"
                        if user is not None
                        else "it needs a user (--user, password in PLANGRAPH_STORE_PASSWORD)"
                    )
                )
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
