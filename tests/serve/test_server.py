"""The SPARQL endpoint: a real ``plangraph serve`` process on loopback, queried with SPARQLWrapper
and httpx; every hostile request is answered as docs/endpoint.md says."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import (
    ROOT,
    plan_files,
    running_server,
    seeds_dataset,
)

PG = "https://w3id.org/plangraph/ontology#"
COUNT_PLANS = f"PREFIX pg: <{PG}> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a pg:Plan }}"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0
MAX_RESULTS = 1000


def assert_no_traceback(response: httpx.Response) -> None:
    text = response.text
    assert "Traceback" not in text and 'File "' not in text, text


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(
        seeds_dataset(), "--timeout", str(TIMEOUT), "--max-results", str(MAX_RESULTS)
    ) as base:
        yield base


@pytest.fixture(scope="module")
def sparql(server: str) -> str:
    return server + "/sparql"


def post_query(url: str, query: str, accept: str | None = None, **params: Any) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.post(url, data={"query": query, **params}, headers=headers, timeout=30)


# --- the protocol -------------------------------------------------------------------------


def test_sparqlwrapper_counts_the_plans(sparql: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(sparql)
    client.setQuery(COUNT_PLANS)
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    assert result["head"]["vars"] == ["n"]
    assert int(result["results"]["bindings"][0]["n"]["value"]) == len(plan_files())


def test_sparqlwrapper_post_and_xml(sparql: str) -> None:
    from SPARQLWrapper import POST, XML, SPARQLWrapper

    client = SPARQLWrapper(sparql)
    client.setMethod(POST)
    client.setQuery(f"PREFIX pg: <{PG}> ASK {{ ?p a pg:Plan }}")
    client.setReturnFormat(XML)
    doc: Any = client.query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_get_post_form_and_sparql_query_body_agree(sparql: str) -> None:
    get = httpx.get(sparql, params={"query": COUNT_PLANS}, timeout=30)
    form = post_query(sparql, COUNT_PLANS)
    body = httpx.post(
        sparql,
        content=COUNT_PLANS.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert get.status_code == form.status_code == body.status_code == 200
    assert get.json() == form.json() == body.json()
    assert get.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (None, "tsv", "text/tab-separated-values"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "csv", "text/csv"),
    ],
)
def test_select_results_formats(
    sparql: str, accept: str | None, fmt: str | None, media: str
) -> None:
    from pyoxigraph import QueryResultsFormat, parse_query_results

    params = {"format": fmt} if fmt else {}
    r = post_query(sparql, COUNT_PLANS, accept, **params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    if media == "text/csv":
        assert r.text.splitlines() == ["n", str(len(plan_files()))]
    else:
        parsed = parse_query_results(r.content, format=QueryResultsFormat.from_media_type(media))
        assert [int(s["n"].value) for s in parsed] == [len(plan_files())]


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)
def test_construct_and_describe_formats(sparql: str, accept: str) -> None:
    from pyoxigraph import RdfFormat, parse

    construct = f"PREFIX pg: <{PG}> CONSTRUCT {{ ?p a pg:Plan }} WHERE {{ ?p a pg:Plan }}"
    r = post_query(sparql, construct, accept)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    triples = list(parse(r.content, format=RdfFormat.from_media_type(accept)))
    assert len(triples) == len(plan_files())
    first = plan_files()[0].stem
    r = post_query(sparql, f"DESCRIBE <https://w3id.org/plangraph/plan/{first}>", accept)
    assert r.status_code == 200, r.text
    assert len(list(parse(r.content, format=RdfFormat.from_media_type(accept)))) > 3


def test_unacceptable_format_is_406(sparql: str) -> None:
    r = post_query(sparql, f"CONSTRUCT WHERE {{ ?p a <{PG}Plan> }}", "text/csv")
    assert r.status_code == 406
    assert "graph" in r.json()["message"]
    r = post_query(sparql, COUNT_PLANS, "image/png", format="pdf")
    assert r.status_code == 406
    # a format= this server cannot map falls back to the Accept header
    r = post_query(sparql, COUNT_PLANS, "text/csv", format="pdf")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")


def test_default_graph_is_the_union_and_named_graphs_are_addressable(sparql: str) -> None:
    plan = plan_files()[0].stem
    graph = f"https://w3id.org/plangraph/graph/plan/{plan}"
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = {b["g"]["value"] for b in post_query(sparql, q).json()["results"]["bindings"]}
    assert {f"https://w3id.org/plangraph/graph/plan/{p.stem}" for p in plan_files()} <= graphs
    # default-graph-uri: the default graph is that plan's graph only
    r = post_query(sparql, COUNT_PLANS, **{"default-graph-uri": graph})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == 1
    # named-graph-uri restricts GRAPH to the listed graphs
    r = post_query(sparql, q, **{"named-graph-uri": graph})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [graph]
    # FROM in the query defines the dataset
    r = post_query(sparql, COUNT_PLANS.replace("WHERE", f"FROM <{graph}> WHERE"))
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == 1


def test_service_description(sparql: str) -> None:
    from pyoxigraph import Dataset, NamedNode, RdfFormat, parse

    r = httpx.get(sparql, timeout=30)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    triples = list(parse(r.content, format=RdfFormat.TURTLE, base_iri=sparql))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {t.object.value for t in triples if t.predicate == NamedNode(sd + "name")}
    assert {f"https://w3id.org/plangraph/graph/plan/{p.stem}" for p in plan_files()} <= names
    formats = {t.object.value for t in triples if t.predicate == NamedNode(sd + "resultFormat")}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    assert any(t.predicate == NamedNode(sd + "endpoint") for t in triples)
    r = httpx.get(sparql, headers={"Accept": "application/ld+json"}, timeout=30)
    assert r.headers["content-type"] == "application/ld+json"
    assert len(Dataset(parse(r.content, format=RdfFormat.JSON_LD))) == len(triples)


def test_named_queries_listed_and_run_with_parameters(server: str) -> None:
    from plangraph.analysis.api import open as open_dataset
    from plangraph.analysis.catalogue import catalogue

    listed = {q["name"]: q for q in httpx.get(server + "/queries", timeout=30).json()}
    assert set(listed) == set(catalogue())
    role_counts = listed["reports/role-counts"]
    assert role_counts["description"] and role_counts["params"][0]["name"] == "plan"
    plan = plan_files()[-1].stem
    iri = f"https://w3id.org/plangraph/plan/{plan}"
    result = open_dataset(seeds_dataset()).select("reports/role-counts", plan=iri)
    expected = [
        {c: v.value for c, v in zip(result.columns, row, strict=True)} for row in result.rows
    ]
    for value in (iri, plan):  # a full IRI, or a bare plan id
        r = httpx.get(f"{server}/queries/reports/role-counts", params={"plan": value}, timeout=30)
        assert r.status_code == 200, r.text
        got = [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
        assert got == expected
    r = httpx.get(f"{server}/queries/reports/role-counts?format=csv", timeout=30)
    assert r.text.splitlines()[0] == "plan,role,institutions,participations"
    r = httpx.get(f"{server}/queries/reports/role-counts?plan=http://e/%3E%20x", timeout=30)
    assert r.status_code == 400
    r = httpx.get(f"{server}/queries/reports/role-counts?nope=1", timeout=30)
    assert r.status_code == 400 and "no parameter 'nope'" in r.json()["message"]
    assert httpx.get(f"{server}/queries/no/such", timeout=30).status_code == 404


def test_remote_query_against_own_server(sparql: str) -> None:
    from plangraph.analysis.api import open as open_dataset

    iri = f"https://w3id.org/plangraph/plan/{plan_files()[0].stem}"
    remote = open_dataset(endpoint=sparql).select("reports/element-counts", plan=iri)
    local = open_dataset(seeds_dataset()).select("reports/element-counts", plan=iri)
    assert (remote.columns, remote.rows) == (local.columns, local.rows)
    assert remote.rows


# --- hostile requests -----------------------------------------------------------------------


def test_updates_are_refused(sparql: str, canary: Any) -> None:
    insert = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"
    answers = [
        httpx.post(sparql, data={"update": insert}, timeout=30),
        httpx.get(sparql, params={"update": insert}, timeout=30),
        httpx.post(
            sparql,
            content=insert.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        ),
        post_query(sparql, insert),
        post_query(sparql, f"LOAD <http://127.0.0.1:{canary.port}/data.ttl>"),
        post_query(sparql, "DROP ALL"),
        post_query(sparql, "CLEAR DEFAULT"),
        post_query(sparql, "PREFIX e: <http://e/> DELETE WHERE { ?s ?p ?o }"),
    ]
    for r in answers:
        assert r.status_code == 403, r.text
        assert "read-only" in r.json()["message"]
        assert_no_traceback(r)
    assert canary.connections() == 0
    # nothing changed
    r = post_query(sparql, "ASK { <http://e/s> ?p ?o }")
    assert r.json()["boolean"] is False


def test_service_is_refused_and_nothing_is_contacted(sparql: str, canary: Any) -> None:
    target = f"http://127.0.0.1:{canary.port}/sparql"
    queries = [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { } }",
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{target}#> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX Type: <{target}#> SELECT * WHERE {{ serviceType:x {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { ?s ?p ?o . OPTIONAL { SERVICE ?ep { ?s ?p ?o } } "
        f"VALUES ?ep {{ <{target}> }} }}",
        f"SELECT * WHERE {{ ?s <http://e/p>ex:a\\# SERVICE <{target}> {{ }} }}",
        f"SELECT * WHERE {{ ?s ?p true.SERVICE <{target}> {{ ?a ?b ?c }} }}",
    ]
    for query in queries:
        r = post_query(sparql, query)
        assert r.status_code == 400, (query, r.text)
        assert "SERVICE" in r.json()["message"]
        assert_no_traceback(r)
    # an escape is no keyword outside strings and IRIs: the engine cannot read this query
    r = post_query(sparql, f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}")
    assert r.status_code == 400 and "syntax error" in r.json()["message"]
    # FROM names a graph of the store; nothing is fetched either
    r = post_query(sparql, f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}")
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    assert canary.connections() == 0
    # "service" inside strings, IRIs, comments and variables is fine
    ok = (
        "SELECT ?service WHERE { BIND(<http://e/service> AS ?service) "
        'FILTER(?service != "SERVICE <x> {}") } # SERVICE'
    )
    assert post_query(sparql, ok).status_code == 200


def test_nesting_5000_deep_is_refused_and_the_server_stays_up(sparql: str) -> None:
    """Issue 15 item 1: a query nested 5,000 deep overflows the engine's stack; it is refused
    before any worker sees it."""
    deep = "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    r = post_query(sparql, deep)
    assert r.status_code == 400 and "nested deeper than" in r.json()["message"], r.text
    assert post_query(sparql, COUNT_PLANS).status_code == 200


def test_oversized_requests_are_413(sparql: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    for r in (
        httpx.post(
            sparql,
            content=big.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        ),
        post_query(sparql, big),
    ):
        assert r.status_code == 413, r.text
        assert_no_traceback(r)


def test_syntax_error_names_line_and_column(sparql: str) -> None:
    r = post_query(sparql, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }")
    assert r.status_code == 400
    body = r.json()
    # the parser's position: the "}" at 3:11 or just after it
    assert body["line"] == 3 and body["column"] in (11, 12)
    assert f"line 3, column {body['column']}" in body["message"]
    assert_no_traceback(r)
    r = post_query(sparql, 'SELECT * WHERE {\n ?s ?p "unterminated }')
    assert r.status_code == 400 and r.json()["line"] == 2


def test_slow_query_is_stopped_with_503(sparql: str) -> None:
    start = time.monotonic()
    r = post_query(sparql, SLOW)
    elapsed = time.monotonic() - start
    assert r.status_code == 503, r.text
    assert elapsed < TIMEOUT + 2.0
    assert "time limit" in r.json()["message"]
    assert_no_traceback(r)
    # the killed worker is replaced; the server keeps answering
    for _ in range(4):
        assert post_query(sparql, COUNT_PLANS).status_code == 200


def test_too_many_results_is_413(sparql: str) -> None:
    r = post_query(sparql, "SELECT * WHERE { ?s ?p ?o }")
    assert r.status_code == 413
    assert r.json()["max_results"] == MAX_RESULTS
    r = post_query(sparql, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert r.status_code == 413
    r = post_query(sparql, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}")
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == MAX_RESULTS


def test_other_bad_requests(sparql: str, server: str) -> None:
    r = httpx.post(sparql, content=b"x", headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415
    r = httpx.get(sparql, params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=30)
    assert r.status_code == 400
    r = post_query(sparql, COUNT_PLANS, **{"default-graph-uri": "not an iri"})
    assert r.status_code == 400
    r = httpx.put(sparql, content=b"x", timeout=30)
    assert r.status_code == 405
    r = httpx.get(server + "/nothing-here", timeout=30)
    assert r.status_code == 404
    assert_no_traceback(r)


def test_cors_is_off_by_default(sparql: str) -> None:
    r = httpx.get(sparql, params={"query": "ASK {}"}, headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


# --- in-process: the application with a fake pool -----------------------------------------


class FakePool:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.jobs: list[Any] = []

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    async def run(self, job: Any, deadline: float) -> Any:
        from plangraph.serve.jobs import Reply

        self.jobs.append(job)
        if job.kind == "graphs":
            return Reply(200, "application/json", json.dumps({"graphs": {}, "quads": 0}).encode())
        if self.fail:
            raise RuntimeError("secret internal detail /etc/passwd")
        return Reply(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')


def _client(pool: FakePool, cors: tuple[str, ...] = ()) -> Any:
    import warnings

    with warnings.catch_warnings():
        # starlette asks for "httpx2" in its test client; httpx works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from plangraph.serve.app import create_app
    from plangraph.serve.config import ServerConfig

    app = create_app(ServerConfig(Path("unused.nq"), ROOT / "queries", cors=cors), pool)
    return TestClient(app, raise_server_exceptions=False)


def test_internal_errors_are_generic() -> None:
    with _client(FakePool(fail=True)) as client:
        r = client.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json()["message"].startswith("internal error")
    assert_security_headers(r)


def assert_security_headers(r: Any) -> None:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_named_query_with_malformed_query_string_is_400_with_security_headers(
    server: str,
) -> None:
    """Issue 15 item 4: ``/queries/<name>?plan=%FF`` and a query string of more than 1,000
    parameters were a 500 without the CSP and nosniff headers."""
    url = f"{server}/queries/reports/role-counts"
    many = "&".join(f"p{i}=1" for i in range(1001))
    for query_string in ("plan=%FF", many, "plan=%FF%FE&format=csv"):
        r = httpx.get(f"{url}?{query_string}", timeout=30)
        assert r.status_code == 400, (query_string[:40], r.status_code, r.text)
        assert r.json()["error"] == "bad request"
        assert_security_headers(r)
        assert_no_traceback(r)


def test_cors_when_asked() -> None:
    with _client(FakePool(), cors=("http://app.example",)) as client:
        r = client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://app.example"}
        )
        assert r.headers["access-control-allow-origin"] == "http://app.example"
        r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://x"})
        assert "access-control-allow-origin" not in r.headers


def test_dataset_choice_reaches_the_worker() -> None:
    pool = FakePool()
    with _client(pool) as client:
        client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        client.get("/sparql", params={"query": "ASK FROM <http://e/g> { ?s ?p ?o }"})
        client.get(
            "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://e/g"}
        )
    jobs = [j for j in pool.jobs if j.kind == "sparql"]
    assert [(j.union, j.default_graphs, j.named_graphs) for j in jobs] == [
        (True, None, None),
        (False, None, None),
        (True, ("http://e/g",), ()),
    ]


def test_worker_stops_streaming_queries_at_the_deadline() -> None:
    from plangraph.rdf.store import load_store
    from plangraph.serve.jobs import Job
    from plangraph.serve.worker import execute

    store = load_store(seeds_dataset())
    start = time.monotonic()
    reply = execute(store, Job("sparql", query="SELECT * { ?a ?b ?c . ?d ?e ?f }"), 10**9, 0.3)
    assert reply.status == 503
    assert time.monotonic() - start < 5


def test_negotiation() -> None:
    from plangraph.serve.negotiation import NotAcceptable, negotiate

    assert negotiate(None, "results") == "json"
    assert negotiate("*/*", "graph") == "turtle"
    assert negotiate("text/*", "results") == "csv"
    assert negotiate("application/json", "graph") == "jsonld"
    assert negotiate("text/csv;q=0.2, application/sparql-results+xml", "results") == "xml"
    assert negotiate("text/csv", "results", ["json"]) == "json"
    assert negotiate(None, "results", ["text/tab-separated-values"]) == "tsv"
    assert negotiate("text/turtle", "graph", ["n3"]) == "turtle"
    assert negotiate("application/ld+json", "graph", ["json-ld"]) == "jsonld"
    assert negotiate("text/csv", "results", ["pdf"]) == "csv"  # unknown format= → Accept
    with pytest.raises(NotAcceptable, match="format 'pdf'"):
        negotiate("image/png", "results", ["pdf"])
    with pytest.raises(NotAcceptable):
        negotiate("image/png", "results")
    with pytest.raises(NotAcceptable):
        negotiate("text/csv", "graph")


# --- clients and formats (issue 15, item 15) -------------------------------------------------

FORMS = {
    "SELECT": f"PREFIX pg: <{PG}> SELECT ?p WHERE {{ ?p a pg:Plan }}",
    "ASK": f"PREFIX pg: <{PG}> ASK {{ ?p a pg:Plan }}",
    "CONSTRUCT": f"PREFIX pg: <{PG}> CONSTRUCT {{ ?p a pg:Plan }} WHERE {{ ?p a pg:Plan }}",
    "DESCRIBE": f"PREFIX pg: <{PG}> DESCRIBE ?p WHERE {{ ?p a pg:Plan }} LIMIT 1",
}
RETURN_FORMATS = ["json", "xml", "turtle", "n3", "rdf", "rdf+xml", "csv", "tsv", "json-ld"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_matrix(sparql: str, form: str, return_format: str, method: str) -> None:
    """Every query form with every SPARQLWrapper return format, GET and POST: the answer is
    200 in a format that carries the result (SPARQLWrapper's ``format=json-ld`` or ``n3``
    for a graph was a 406), and SPARQLWrapper converts it."""
    import warnings

    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(sparql)
    client.setMethod(method)
    client.setQuery(FORMS[form])
    client.setReturnFormat(return_format)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "unexpected format": SPARQLWrapper sends Accept */*
        result = client.query()
        media = result.info()["content-type"].split(";")[0]
        converted = result.convert()
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if graph:
        assert media in ("text/turtle", "application/n-triples", "application/ld+json",
                         "application/rdf+xml")  # fmt: skip
        wanted = {"turtle": "text/turtle", "n3": "text/turtle", "json-ld": "application/ld+json",
                  "rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
                  "xml": "application/rdf+xml", "json": "application/ld+json"}  # fmt: skip
        assert media == wanted.get(return_format, "text/turtle"), media
    else:
        wanted = {"xml": "application/sparql-results+xml", "csv": "text/csv",
                  "tsv": "text/tab-separated-values"}  # fmt: skip
        assert media == wanted.get(return_format, "application/sparql-results+json"), media
    assert converted is not None


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("csv", "_askResult\r\ntrue\r\n"), ("tsv", "?_askResult\ntrue\n")],
)
def test_ask_as_csv_and_tsv_is_a_one_column_table(sparql: str, fmt: str, expected: str) -> None:
    """ASK as CSV or TSV was a bare ``true``: the SPARQL 1.1 CSV/TSV results format is a table
    with a header line, so the answer is a one-column table (as Jena writes it)."""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    r = post_query(sparql, FORMS["ASK"], format=fmt)
    assert r.status_code == 200 and r.text == expected
    if fmt == "tsv":
        [row] = list(parse_query_results(r.content, format=QueryResultsFormat.TSV))
        assert row["_askResult"].value == "true"


def test_head_on_sparql_is_not_415(sparql: str) -> None:
    r = httpx.head(sparql, timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = httpx.head(sparql, params={"query": "ASK {}"}, timeout=30)
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == "application/sparql-results+json"


def test_service_description_names_formats_by_their_w3c_iris(sparql: str) -> None:
    from pyoxigraph import NamedNode, RdfFormat, parse

    r = httpx.get(sparql, timeout=30)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = {
        t.object.value
        for t in parse(r.content, format=RdfFormat.TURTLE, base_iri=sparql)
        if t.predicate == NamedNode(sd + "resultFormat")
    }
    w3c = "http://www.w3.org/ns/formats/"
    assert formats == {
        w3c + name
        for name in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
            "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
        )
    }  # fmt: skip


# --- HTTP validators and the result cache (issue 16) ------------------------------------------


def test_etag_and_304_without_evaluation(sparql: str, server: str) -> None:
    r = httpx.get(sparql, params={"query": COUNT_PLANS}, timeout=30)
    tag = r.headers["etag"]
    assert tag.startswith('W/"') and r.headers["cache-control"] == "no-cache"
    again = httpx.get(sparql, params={"query": COUNT_PLANS}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag and again.headers["x-content-type-options"] == "nosniff"
    # another format, another tag; POST answers carry the tag but are never 304
    csv = httpx.get(sparql, params={"query": COUNT_PLANS, "format": "csv"}, timeout=30)
    assert csv.headers["etag"] != tag
    post = httpx.post(sparql, data={"query": COUNT_PLANS}, headers={"If-None-Match": tag})
    assert post.status_code == 200 and post.headers["etag"] == tag
    # a query that is not deterministic has no tag
    r = httpx.get(sparql, params={"query": "SELECT (RAND() AS ?r) {}"}, timeout=30)
    assert r.status_code == 200 and "etag" not in r.headers
    # named queries too
    url = f"{server}/queries/reports/role-counts"
    tag = httpx.get(url, timeout=30).headers["etag"]
    assert httpx.get(url, headers={"If-None-Match": tag}, timeout=30).status_code == 304


def test_result_cache_answers_repeated_queries_without_a_worker() -> None:
    from plangraph.serve.app import create_app
    from plangraph.serve.config import ServerConfig

    pool = FakePool()
    # inline_work=0: every query the cache does not answer goes to the (fake) pool
    config = ServerConfig(seeds_dataset(), ROOT / "queries", cache_mb=1, inline_work=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(create_app(config, pool)) as client:
        answers = [client.get("/sparql", params={"query": "ASK {}"}) for _ in range(3)]
        volatile = [client.get("/sparql", params={"query": "ASK { FILTER(RAND() < 2) }"})]
        volatile.append(client.get("/sparql", params={"query": "ASK { FILTER(RAND() < 2) }"}))
    assert all(r.status_code == 200 for r in answers + volatile)
    assert len({r.headers["etag"] for r in answers}) == 1
    sparql_jobs = [j for j in pool.jobs if j.kind == "sparql"]
    assert [j.query for j in sparql_jobs] == ["ASK {}", *["ASK { FILTER(RAND() < 2) }"] * 2]
