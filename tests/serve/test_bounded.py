"""Bounded queries, answered in the server process (``serve/bounded.py``): which queries are
bounded, that their answers are the workers' answers, and that an unbounded query never leaves
the worker that can be killed at its deadline."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import ROOT, running_server, seeds_dataset
from tests.serve.test_server import FakePool

PREFIXES = (
    "PREFIX pg: <https://w3id.org/plangraph/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
LIGHT = PREFIXES + "SELECT ?p ?t WHERE { ?p a pg:Plan ; dct:title ?t } ORDER BY ?p ?t"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
BASE = "http://127.0.0.1:7878/sparql"


@pytest.fixture(scope="module")
def store() -> Any:
    from plangraph.rdf.store import load_store

    return load_store(seeds_dataset())


@pytest.mark.parametrize(
    ("query", "bounded"),
    [
        ("SELECT ?p ?t { ?p a pg:Plan ; dct:title ?t }", True),
        ("ASK { ?p a pg:Plan }", True),
        ("CONSTRUCT { ?p dct:title ?t } WHERE { ?p a pg:Plan ; dct:title ?t }", True),
        ("SELECT ?p ?u { ?p a pg:Plan BIND(STR(?p) AS ?u) } ORDER BY ?u LIMIT 3", True),
        ("SELECT ?c { ?c skos:prefLabel ?l FILTER(LANG(?l) = 'en') }", True),
        ("SELECT * { ?p a pg:Plan . ?q a pg:Plan . ?r a pg:Plan }", True),
        ("SELECT * { ?s ?p ?o }", False),  # the whole store
        ("SELECT * { ?s ?p ?o } LIMIT 1", False),  # cheap, but not by this rule
        ("SELECT ?p { ?p a pg:Plan FILTER EXISTS { ?p ?x ?y } }", False),
        ("SELECT ?p { ?p a pg:Plan FILTER (!EXISTS { ?p ?x ?y }) }", False),
        ("SELECT * { ?p a pg:Plan OPTIONAL { ?p dct:title ?t } }", False),
        ("SELECT * { GRAPH ?g { ?p a pg:Plan } }", False),
        ("SELECT * FROM <http://example.org/g> { ?p a pg:Plan }", False),
        ("SELECT * { VALUES ?p { <http://example.org/p> } ?p a pg:Plan }", False),
        ("SELECT * { { SELECT ?p { ?p a pg:Plan } } }", False),
        ("SELECT ?p (COUNT(*) AS ?n) { ?p a pg:Plan } GROUP BY ?p", False),
        ("SELECT * { ?p pg:partOf+ ?q }", False),  # a property path
        ("DESCRIBE ?p { ?p a pg:Plan }", False),
        ("SELECT * { ?p a pg:Plan } UNION { ?q a pg:Plan }", False),  # not even a query
    ],
)
def test_which_queries_are_bounded(store: Any, query: str, bounded: bool) -> None:
    from plangraph.serve.bounded import BoundedQueries

    assert BoundedQueries(store, 20_000, 1_000).judge(PREFIXES + query, BASE) is bounded


def test_work_is_patterns_times_the_product_of_matches() -> None:
    """The bound holds whatever the join order: two patterns of 200 matches are 2 × 200 × 200;
    a literal counts as any term (rdflib may write it otherwise than the engine)."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    from plangraph.serve.bounded import BoundedQueries

    store = Store()
    p = NamedNode("http://example.org/p")
    for i in range(200):
        store.add(Quad(NamedNode(f"http://example.org/s{i}"), p, Literal(str(i))))
    two = "SELECT * { ?a <http://example.org/p> ?b . ?c <http://example.org/p> ?d }"
    assert BoundedQueries(store, 80_000, 10).judge(two)
    assert not BoundedQueries(store, 79_999, 10).judge(two)
    one_literal = 'SELECT * { ?a ?p "7" }'
    assert not BoundedQueries(store, 199, 10).judge(one_literal)
    assert BoundedQueries(store, 200, 10).judge(one_literal)
    # an IRI that matches nothing counts as the whole store (200 quads)
    unknown = "SELECT * { ?a <http://example.org/q> ?b }"
    assert not BoundedQueries(store, 199, 10).judge(unknown)
    assert BoundedQueries(store, 200, 10).judge(unknown)


def _client(inline_work: int) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette asks for "httpx2"; httpx works
        from starlette.testclient import TestClient

    from plangraph.serve.app import create_app
    from plangraph.serve.config import ServerConfig

    pool = FakePool()
    config = ServerConfig(seeds_dataset(), ROOT / "queries", inline_work=inline_work)
    app = create_app(config, pool)
    return TestClient(app), app, pool


def _wait_for_verdict(app: Any, query: str, base: str) -> bool:
    from plangraph.rdf.sparql import analyse

    text = analyse(query).text  # what the server evaluates (and judges)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        verdict = app.ctx.bounded.verdict(text, base)
        if verdict is not None:
            return bool(verdict)
        time.sleep(0.02)
    pytest.fail("no verdict on the query within 30 s")


@pytest.fixture(scope="module")
def real_server() -> Iterator[str]:
    with running_server(seeds_dataset(), "--inline-work", "0") as base:
        yield base


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (LIGHT, "application/sparql-results+json"),
        (LIGHT, "application/sparql-results+xml"),
        (LIGHT, "text/csv"),
        (PREFIXES + "ASK { ?p a pg:Plan }", "application/sparql-results+json"),
        (
            PREFIXES + "CONSTRUCT { ?p dct:title ?t } WHERE { ?p a pg:Plan ; dct:title ?t }",
            "application/n-triples",
        ),
    ],
)
def test_a_repeated_bounded_query_is_answered_here_as_a_worker_answers_it(
    real_server: str, query: str, accept: str
) -> None:
    client, app, pool = _client(inline_work=20_000)
    headers = {"Accept": accept}
    with client:
        for _ in range(2):  # judged the second time it arrives; both go to a worker
            first = client.post("/sparql", data={"query": query}, headers=headers)
            assert first.status_code == 200
        assert len(pool.jobs) == 3  # "graphs", then this one twice
        assert _wait_for_verdict(app, query, "http://testserver/sparql")
        again = client.post("/sparql", data={"query": query}, headers=headers)
    assert len(pool.jobs) == 3, "the repeated bounded query went to a worker"
    worker = httpx.post(real_server + "/sparql", data={"query": query}, headers=headers)
    assert again.status_code == worker.status_code == 200
    assert again.headers["content-type"] == worker.headers["content-type"]
    if accept == "application/n-triples":  # a graph's triples come in no fixed order
        assert sorted(again.text.splitlines()) == sorted(worker.text.splitlines())
    else:
        assert again.content == worker.content


def _job(query: str) -> Any:
    from plangraph.rdf.sparql import analyse
    from plangraph.serve.jobs import Job

    return Job("sparql", query=analyse(query).text, source=query, base=BASE)


def _settle(bounded: Any) -> None:
    bounded._thread.submit(lambda: None).result(timeout=30)  # the judgements asked so far


def test_a_query_sent_once_or_too_long_is_never_read(store: Any) -> None:
    """Reading a query costs the server about 10 ms: a flood of one-off or huge queries must
    not make every request cost that (found in review of the first version, which read every
    new text)."""
    from plangraph.serve.bounded import MAX_PENDING, MAX_QUERY_CHARS, BoundedQueries

    bounded = BoundedQueries(store, 20_000, 1_000)
    once = _job(LIGHT)
    assert not bounded.bounded(once)
    _settle(bounded)
    assert bounded.verdict(once.query, BASE) is None  # seen once: not read
    assert not bounded.bounded(once)
    _settle(bounded)
    assert bounded.verdict(once.query, BASE) is True  # seen twice: read, bounded
    assert bounded.bounded(once)
    padding = " " * MAX_QUERY_CHARS
    long = _job(LIGHT + padding)
    for _ in range(3):
        assert not bounded.bounded(long)
    _settle(bounded)
    assert bounded.verdict(long.query, BASE) is None
    # no more than MAX_PENDING texts wait for a verdict at once
    bounded._thread.submit(time.sleep, 0.5)  # keep the reader busy
    many = [_job(f"{LIGHT} LIMIT {i}") for i in range(MAX_PENDING + 5)]
    for job in many:
        bounded.bounded(job)
        bounded.bounded(job)
    assert len(bounded._pending) == MAX_PENDING
    _settle(bounded)
    bounded.close()


def test_the_row_limit_holds_for_bounded_queries() -> None:
    from plangraph.rdf.store import load_store
    from plangraph.serve.bounded import BoundedQueries
    from plangraph.serve.jobs import Job

    bounded = BoundedQueries(load_store(seeds_dataset()), 20_000, 3)
    query = PREFIXES + "SELECT ?p ?t { ?p a pg:Plan ; dct:title ?t }"
    assert bounded.judge(query)
    reply = bounded.run(Job("sparql", query=query, source=query), 5.0)
    assert reply.status == 413 and b"more than 3 rows" in reply.body


def test_an_unbounded_query_still_stops_at_its_deadline() -> None:
    """Sent twice (the second time its verdict is known), it is stopped by the pool both
    times: never evaluated in the server process, where nothing could stop it."""
    with running_server(seeds_dataset(), "--timeout", "1.5") as base:
        answers = []
        for _ in range(2):
            start = time.monotonic()
            r = httpx.post(base + "/sparql", data={"query": SLOW}, timeout=30)
            answers.append((r.status_code, time.monotonic() - start))
            time.sleep(0.5)
        quick = httpx.post(base + "/sparql", data={"query": LIGHT}, timeout=30)
    assert [status for status, _ in answers] == [503, 503]
    assert all(seconds < 10 for _, seconds in answers)
    assert quick.status_code == 200
