"""Remote stores: escaping of bound values, VALUES insertion, and push + query against a real
``oxigraph serve`` process on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Store

from plangraph.analysis.catalogue import NamedQuery, Param
from plangraph.analysis.remote import (
    _check,
    insert_values,
    store_auth,
    store_url_for,
    values_clause,
)
from plangraph.errors import PlangraphError
from plangraph.rdf.sparql import iri_ref, literal, term
from tests.helpers import ROOT, free_port, plan_files, seeds_dataset

HOSTILE_STRINGS = [
    "",
    "plain",
    'say "hi"',
    "back\\slash",
    "ends with backslash\\",
    'quote then brace "} ; DROP ALL ; #',
    "'single' and '''triple'''",
    '"""triple double"""',
    "line\nbreak\r\nand\ttab\b\f",
    "\\u0022 escaped-looking \\U00000022",
    "\\\\u0022",
    "# not a comment",
    "<http://e/not-an-iri>",
    "ñandú — 日本 🦉",
    "\x00\x01 controls",
]


def _roundtrip(sparql_term: str) -> Any:
    store = Store()
    result = store.query(f"SELECT ?x WHERE {{ VALUES (?x) {{ ({sparql_term}) }} }}")
    return next(iter(result))["x"]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_literal_escaping_roundtrips(value: str) -> None:
    assert _roundtrip(literal(value)) == Literal(value)
    assert _roundtrip(literal(value, language="es")) == Literal(value, language="es")
    dt = "http://www.w3.org/2001/XMLSchema#token"
    assert _roundtrip(literal(value, datatype=dt)) == Literal(value, datatype=NamedNode(dt))
    assert _roundtrip(term(Literal(value))) == Literal(value)


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/plangraph/plan/gt-ogp-nap6-2023-2025",
        "http://e/a?b=c&d=%20#frag",
        "urn:uuid:1234",
        "http://e/ñandú",
    ],
)
def test_iri_roundtrips(iri: str) -> None:
    assert _roundtrip(iri_ref(iri)) == NamedNode(iri)


@pytest.mark.parametrize(
    "iri",
    [
        "http://e/> } ; DROP ALL ; #",
        "http://e/a b",
        "http://e/\\u003E",
        'http://e/"',
        "http://e/{x}",
        "http://e/\n",
        "relative/path",
        "",
    ],
)
def test_iri_refused(iri: str) -> None:
    with pytest.raises(ValueError):
        iri_ref(iri)


def test_language_tag_and_blank_nodes_refused() -> None:
    from pyoxigraph import BlankNode

    with pytest.raises(ValueError):
        literal("x", language="en } ; DROP")
    with pytest.raises(ValueError):
        term(BlankNode())


def _store() -> Any:
    from pyoxigraph import Quad

    store = Store()
    for s, o in (("a", "1"), ("b", "2")):
        store.add(Quad(NamedNode(f"http://e/{s}"), NamedNode("http://e/p"), Literal(o)))
    return store


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
        "PREFIX e: <http://e/> SELECT ?s ?o { ?s e:p ?o } ORDER BY ?s",
        "SELECT ?s (EXISTS { ?s ?q ?o } AS ?x) ?o WHERE { ?s <http://e/p> ?o }",
        "SELECT * WHERE { { SELECT ?s ?o WHERE { ?s <http://e/p> ?o } } }",
        "# a comment with {\nSELECT ?s ?o WHERE { ?s <http://e/p> ?o FILTER(?o != '{') }",
    ],
)
def test_insert_values_binds_the_where_group(query: str) -> None:
    bound = insert_values(query, {"s": NamedNode("http://e/b")})
    rows = [(sol["s"], sol["o"]) for sol in _store().query(bound)]
    assert rows == [(NamedNode("http://e/b"), Literal("2"))]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
        "SELECT * WHERE { { SELECT ?s ?o WHERE { ?s <http://e/p> ?o } } }",
        "SELECT ?s (EXISTS { ?s ?q ?o } AS ?x) ?o WHERE { ?s <http://e/p> ?o }",
    ],
)
def test_insert_values_as_bind_gives_the_same_rows(query: str) -> None:
    """``bind=True`` (for Virtuoso) binds the same values as the VALUES clause."""
    values = insert_values(query, {"s": NamedNode("http://e/b"), "o": Literal("2")})
    binds = insert_values(query, {"s": NamedNode("http://e/b"), "o": Literal("2")}, bind=True)
    assert 'BIND(<http://e/b> AS ?s) BIND("2" AS ?o)' in binds
    store = _store()
    assert [list(s) for s in store.query(binds)] == [list(s) for s in store.query(values)]
    assert len(list(store.query(binds))) == 1
    with pytest.raises(PlangraphError):
        insert_values(query, {"o } DROP ALL": Literal("x")}, bind=True)


def test_a_cut_answer_is_an_error() -> None:
    """Virtuoso cuts answers at ResultSetMaxRows, and at MaxQueryExecutionTime, and says so
    only in a header."""
    request = httpx.Request("POST", "http://127.0.0.1:8890/sparql")
    cut = httpx.Response(200, headers={"X-SPARQL-MaxRows": "10000"}, request=request)
    with pytest.raises(PlangraphError, match="cut its answer at 10000 rows"):
        _check(cut, "query")
    late = httpx.Response(200, headers={"X-SQL-State": "S1TAT"}, request=request)
    with pytest.raises(PlangraphError, match="incomplete answer"):
        _check(late, "query")
    _check(httpx.Response(200, request=request), "query")


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_store_auth_answers_the_challenge(scheme: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent = request.headers.get("authorization", "")
        seen.append(sent.split(" ")[0])
        if sent.startswith(scheme) and ('username="dba"' in sent or scheme == "Basic"):
            return httpx.Response(201)
        challenge = f'{scheme} realm="SPARQL"'
        if scheme == "Digest":
            challenge += ', nonce="abc", qop="auth", algorithm="MD5"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    auth = store_auth("dba", "secret")
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        assert client.put("http://store/crud?graph=g", content=b"x").status_code == 201
        assert client.put("http://store/crud?graph=h", content=b"y").status_code == 201
    assert seen[:2] == ["", scheme]  # no credentials until challenged
    assert seen[2:] == [scheme]  # then answered at once


def test_insert_values_skips_the_construct_template() -> None:
    query = "CONSTRUCT { ?s <http://e/q> ?o } WHERE { ?s <http://e/p> ?o }"
    bound = insert_values(query, {"o": Literal("1")})
    assert [t.subject for t in _store().query(bound)] == [NamedNode("http://e/a")]


def test_hostile_value_stays_a_value() -> None:
    nasty = '1" } } ; DROP ALL ; SELECT * { ?s ?p "'
    bound = insert_values("SELECT ?s WHERE { ?s <http://e/p> ?o }", {"o": Literal(nasty)})
    assert list(_store().query(bound)) == []
    assert values_clause({"o": Literal(nasty)}).count("DROP") == 1
    with pytest.raises(PlangraphError):
        values_clause({"o } DROP ALL": Literal("x")})


def test_store_url_for() -> None:
    assert store_url_for("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    with pytest.raises(PlangraphError, match="--store-url"):
        store_url_for("http://127.0.0.1:3030/ds/sparql")


# --- against a real oxigraph server ---------------------------------------------------------


def _oxigraph() -> str:
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        found = shutil.which("oxigraph")
        if not found:
            pytest.fail("the 'oxigraph' server is missing: pip install -e '.[dev]' (make test)")
        return found
    return str(binary)


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[str]:
    """``oxigraph serve`` on a free loopback port with an empty store; yields its base URL."""
    location = tempfile.mkdtemp(prefix="plangraph-oxigraph-")
    port = free_port()
    proc = subprocess.Popen(
        [_oxigraph(), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                assert proc.stderr is not None
                pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()}")
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start in 30 s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(location, ignore_errors=True)


def _cli(*args: str) -> Any:
    from plangraph.cli.main import main

    result = CliRunner().invoke(main, ["--root", str(ROOT), *args])
    return result


def _local(name: str, **bindings: Any) -> list[dict[str, Any]]:
    """The rows ``plangraph query`` prints from the embedded store (the seed build)."""
    params = [arg for key, val in bindings.items() for arg in ("-p", f"{key}={val}")]
    result = _cli("query", name, "--data", str(seeds_dataset()), *params, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.output)
    return rows


def test_push_then_query_gives_the_embedded_rows(oxigraph: str) -> None:
    endpoint = oxigraph + "/query"
    result = _cli("push", "--endpoint", endpoint, "--data", str(seeds_dataset()))
    assert result.exit_code == 0, result.output
    assert "pushed" in result.output
    for plan in plan_files():
        assert f"https://w3id.org/plangraph/graph/plan/{plan.stem}" in result.output
    # pushing again replaces the graphs (the counts still match)
    assert _cli("push", "--endpoint", endpoint, "--data", str(seeds_dataset())).exit_code == 0

    for name in ("reports/role-counts", "reports/element-counts", "reports/plan-summary"):
        result = _cli("query", name, "--endpoint", endpoint, "--format", "json")
        assert result.exit_code == 0, result.output
        remote = json.loads(result.output)
        assert remote == _local(name), name
        assert remote
    iri = f"https://w3id.org/plangraph/plan/{plan_files()[0].stem}"
    result = _cli(
        "query",
        "reports/role-counts",
        "--endpoint",
        endpoint,
        "-p",
        f"plan={iri}",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    remote = json.loads(result.output)
    assert remote == _local("reports/role-counts", plan=iri)
    assert {row["plan"] for row in remote} == {iri}


def test_query_hostile_parameter_against_oxigraph(oxigraph: str) -> None:
    from plangraph.analysis.backends import RemoteBackend

    named = NamedQuery(
        "t",
        Path("t.rq"),
        "SELECT ?title WHERE { ?plan <http://purl.org/dc/terms/title> ?title }",
        "t",
        "t",
        (Param("title", "literal", ""),),
    )
    nasty = '" } } ; DROP ALL ; #'
    assert RemoteBackend(oxigraph + "/query").select(named, {"title": nasty}).rows == []
    # the store still holds the plans
    r = httpx.post(
        oxigraph + "/query",
        data={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.json()["boolean"] is True


def test_unreachable_endpoint_is_a_clear_error() -> None:
    port = free_port()
    result = _cli(
        "push", "--endpoint", f"http://127.0.0.1:{port}/query", "--data", str(seeds_dataset())
    )
    assert result.exit_code == 2
    assert "cannot reach" in result.output
    result = _cli("query", "reports/role-counts", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert result.exit_code == 2
    assert "cannot reach" in result.output


def test_sparql_text_on_an_endpoint_sees_the_plangraph_dataset(oxigraph: str) -> None:
    """Regression (issue 11, bug 1): ``PlanGraph.sparql()`` against a store loaded by
    ``plangraph push`` answered 0 plans (the query went without the plangraph dataset) while
    ``pg.query("reports/plans")`` answered 5."""
    from plangraph.analysis.api import open as open_dataset

    endpoint = oxigraph + "/query"
    assert _cli("push", "--endpoint", endpoint, "--data", str(seeds_dataset())).exit_code == 0
    pg = open_dataset(endpoint=endpoint)
    plan = "<https://w3id.org/plangraph/ontology#Plan>"
    count = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a {plan} }}"
    assert pg.sparql(count).n.tolist() == [len(plan_files())]
    assert len(pg.query("reports/plans")) == len(plan_files())
    # a query that names its own dataset keeps it
    own = "SELECT (COUNT(*) AS ?n) FROM <http://e/none> WHERE { ?s ?p ?o }"
    assert pg.sparql(own).n.tolist() == [0]


def test_virtuoso_is_queried_over_its_default_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Virtuoso gets no graph list (it mis-answers over more than eight graphs) and BIND
    clauses; plangraph warns when its default graph holds more than plangraph's graphs."""
    from plangraph.analysis import backends
    from plangraph.analysis.remote import StoreGraphs

    sent: list[tuple[str, list[str] | None]] = []

    def post(endpoint: str, text: str, graphs: list[str] | None, timeout: float) -> Any:
        from plangraph.analysis.results import Result

        sent.append((text, graphs))
        return Result("solutions", ["x"], [])

    plan = "https://w3id.org/plangraph/graph/plan/p"
    monkeypatch.setattr(backends, "post_query", post)
    text = "SELECT ?plan WHERE { ?plan ?p ?o }"
    named = NamedQuery("t", Path("t.rq"), text, "t", "t", (Param("plan", "IRI", ""),))
    for server, others, dataset, clause in (
        ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", [], None, "BIND(<"),
        ("Oxigraph/0.5", [], [plan], "VALUES (?plan)"),
    ):
        found = StoreGraphs([plan], others, server)
        monkeypatch.setattr(backends, "store_graphs", lambda *a, found=found: found)
        backends.RemoteBackend("http://store/sparql").select(named, {"plan": "http://e/p"})
        assert sent[-1][1] == dataset
        assert clause in sent[-1][0]
    found = StoreGraphs([plan], ["http://example.org/other"], "Virtuoso/07.20.3229")
    monkeypatch.setattr(backends, "store_graphs", lambda *a: found)
    with pytest.warns(UserWarning, match="besides plangraph's"):
        backends.RemoteBackend("http://store/sparql").select(named, {})
