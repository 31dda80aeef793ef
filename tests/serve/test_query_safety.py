"""The query checks every SPARQL text goes through (``plangraph.rdf.sparql.analyse``), shared by
the endpoint and ``PlanGraph.sparql``: SERVICE refused on the engine's own reading of the query,
nesting and operator chains bounded (issue 15, item 1)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from typing import Any

import pytest

from plangraph.errors import PlangraphError
from plangraph.rdf.sparql import (
    MAX_NESTING,
    MAX_OPERATORS,
    QuerySyntaxError,
    QueryTooComplex,
    ServiceRefused,
    SparqlRequestError,
    analyse,
    engine_decodes_escapes,
    engine_syntax_error,
)
from tests.serve.conftest import Canary

ISSUE_QUERY = "SELECT * WHERE {{ ?s ?p true.SERVICE <{url}> {{ ?a ?b ?c }} }}"


def _store() -> Any:
    """A store in which every left-hand side of the fuzz has a solution, so that a SERVICE
    clause read by the engine is really evaluated (and reaches the canary)."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    s, p = NamedNode("http://e/s"), NamedNode("http://e/p")
    objects = [
        Literal(True),
        Literal(False),
        Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        Literal("1.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        Literal("1e0", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#double")),
        Literal("x"),
        Literal("x", language="en"),
        Literal("x", datatype=NamedNode("http://e/dt")),
        NamedNode("http://e/o"),
    ]
    store = Store()
    for o in objects:
        store.add(Quad(s, p, o))
    return store


def _evaluate(store: Any, text: str) -> None:
    from pyoxigraph import QueryBoolean

    try:
        result = store.query(text)
        if not isinstance(result, QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError):
        pass  # a failed SERVICE call, or a query the engine cannot read


# --- the defect of the issue, and the ones like it -------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        ISSUE_QUERY,
        "SELECT * WHERE {{ ?s ?p trueSERVICE <{url}> {{ ?a ?b ?c }} }}",
        "PREFIX : <{url}#> SELECT * WHERE {{ ?s ?p ?o FILTER(1<2).SERVICE:#>\n{{ ?a ?b ?c }} }}",
        "SELECT * WHERE {{ ?s ?p false.service<{url}>{{ ?a ?b ?c }} }}",
        "PREFIX Type: <{url}#> SELECT * WHERE {{ serviceType:x {{ ?a ?b ?c }} }}",
    ],
)
def test_service_refused_on_the_engines_reading_true_dot_service(
    template: str, canary: Canary
) -> None:
    """Issue 15 item 1: the tokenizer read ``true.SERVICE`` as one name, the engine as
    ``true . SERVICE``; each of these reached the canary through the old check."""
    query = template.format(url=canary.url)
    _evaluate(_store(), query)
    assert canary.connections() == 1, "the engine reads a SERVICE clause here"
    try:
        info = analyse(query)
    except ServiceRefused:
        return
    # accepted only because the evaluated text holds no SERVICE clause the engine could read
    _evaluate(_store(), info.text)
    assert canary.connections() == 1


def test_service_in_strings_iris_variables_and_comments_is_fine() -> None:
    ok = (
        "PREFIX e: <http://e/service#> SELECT ?service ?x WHERE { "
        "BIND(<http://e/service> AS ?service) ?s e:p 'SERVICE <x> {}' . "
        '?s ?p """service""" FILTER(?service != "SERVICE") } # SERVICE <http://e/> {}'
    )
    assert analyse(ok).form == "SELECT"
    with pytest.raises(ServiceRefused, match="could be read as SERVICE"):
        analyse("PREFIX e: <http://e/> SELECT * { ?s e:service ?o }")
    assert analyse("SELECT * { SERVICE <http://e/> {} }", allow_service=True).form == "SELECT"


def test_engine_reads_escapes_only_inside_iris_and_strings() -> None:
    """The rewrite relies on this: the installed Oxigraph does not decode ``\\u`` escapes in
    the whole query text (0.4.9 to 0.5.x do not; an upgrade that does must fail here)."""
    assert engine_decodes_escapes() is False


def test_evaluated_text_blanks_comments_and_escapes_iris() -> None:
    comment = "# SERVICE <http://e/> {}"
    query = f"SELECT ?o {{ <http://e/s> <http://e/p#x> ?o }} {comment}\nLIMIT 1"
    info = analyse(query)
    assert info.text == (
        "SELECT ?o { <http://e/s> <http://e/p\\u0023x> ?o } " + " " * len(comment) + "\nLIMIT 1"
    )
    from pyoxigraph import Literal, NamedNode, Quad

    store = _store()
    store.add(Quad(NamedNode("http://e/s"), NamedNode("http://e/p#x"), Literal("y")))
    assert [sol["o"] for sol in store.query(info.text)] == [Literal("y")]  # the same IRI


def test_syntax_errors_are_placed_in_the_query_as_written() -> None:
    query = "SELECT * WHERE {\n ?s <http://e/p#x> ?o .\n  FILTER( }"
    info = analyse(query)
    with pytest.raises(SyntaxError) as raised:
        _store().query(info.text)
    err = engine_syntax_error(query, raised.value)
    assert isinstance(err, QuerySyntaxError)
    assert (err.line, err.column) in ((3, 11), (3, 12))
    query = "SELECT * { <http://e/#> <http://e/#> ( }"
    with pytest.raises(SyntaxError) as raised:
        _store().query(analyse(query).text)
    err = engine_syntax_error(query, raised.value)
    assert isinstance(err, QuerySyntaxError) and err.column in (40, 41)


# --- the fuzz -------------------------------------------------------------------------------

LEFT = [
    "?s ?p true", "?s ?p false", "?s ?p 1", "?s ?p 1.5", "?s ?p 1e0", "?s ?p 1.", "?s ?p e:o",
    "?s ?p <http://e/o>", '?s ?p "x"', "?s ?p 'x'", '?s ?p "x"@en', '?s ?p "x"^^e:dt',
    "?s ?p ?o", "FILTER(1<2)", "BIND(1 AS ?b)", "{}", "OPTIONAL{}", "?s ?p e:o\\.",
]  # fmt: skip
SEPARATOR = ["", " ", ".", " . ", "\n", "#c\n", "\t", "\u00a0", ".\\u0020"]
KEYWORD = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVICE SILENT", "SERVICE\u00a0"]
TARGET = ["<{url}>", " <{url}>", ":", " c:x", "Type:x"]
AFTER = ["", "#>\n"]


def fuzz_queries(url: str) -> list[str]:
    prologue = f"PREFIX : <{url}> PREFIX c: <{url}#> PREFIX Type: <{url}#> PREFIX e: <http://e/> "
    return [
        prologue + f"SELECT * WHERE {{ {left}{sep}{kw}{target.format(url=url)}{after} "
        "{ ?a ?b ?c } }"
        for left, sep, kw, target, after in itertools.product(
            LEFT, SEPARATOR, KEYWORD, TARGET, AFTER
        )
    ]


def test_service_fuzz_with_a_loopback_canary(canary: Canary) -> None:
    """Number, boolean, prefixed-name, IRI, string, comment and escape adjacencies around
    SERVICE. Every query is evaluated as written (the canary counts the ones the engine reads
    as a SERVICE clause) and checked: it is refused, or the text evaluated in its place
    contacts nothing."""
    store = _store()
    refused = neutralised = 0
    for query in fuzz_queries(canary.url):
        before = canary.connections(settle=0)
        _evaluate(store, query)
        contacted = canary.connections(settle=0) > before
        try:
            info = analyse(query)
        except SparqlRequestError:
            refused += 1
            continue
        neutralised += contacted
        after = canary.connections(settle=0)
        _evaluate(store, info.text)
        assert canary.connections(settle=0) == after, f"evaluated text contacted: {query!r}"
    reached = canary.connections()
    print(
        f"{len(fuzz_queries(canary.url))} queries, {reached} read as SERVICE by the engine, "
        f"{refused} refused, {neutralised} read as SERVICE but harmless once rewritten"
    )
    assert reached > 500, "the fuzz must exercise the engine's SERVICE (it reached the canary)"


# --- nesting and chains ---------------------------------------------------------------------

DEEP = "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"


def test_nesting_5000_deep_is_refused_not_a_crash(tmp_path: Any) -> None:
    """Issue 15 item 1: a query nested 5,000 deep killed the calling process (exit 139 in the
    engine). ``PlanGraph.sparql`` now refuses it with an error (run in a child process, so a
    crash fails this test instead of killing the test run)."""
    code = (
        "import sys, plangraph\n"
        "from plangraph.errors import PlangraphError\n"
        "pg = plangraph.open(sys.argv[1])\n"
        "try:\n"
        "    pg.sparql(sys.argv[2])\n"
        "except PlangraphError as exc:\n"
        "    print('refused:', exc)\n"
        "    sys.exit(3)\n"
    )
    from tests.helpers import ROOT

    fixture = ROOT / "tests" / "data" / "queries" / "fixture.trig"
    run = subprocess.run(
        [sys.executable, "-c", code, str(fixture), DEEP],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 3, (run.returncode, run.stderr[-2000:])
    assert "nested deeper than" in run.stdout


CHAINS = {
    "parens": lambda n: "SELECT * { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "groups": lambda n: "SELECT * " + "{" * n + "}" * n,
    "exists": lambda n: "SELECT * { FILTER(" + "EXISTS{FILTER(" * n + "true" + ")}" * n + ") }",
    "or": lambda n: "SELECT * { FILTER(" + "||".join(["?a"] * n) + ") }",
    "union": lambda n: "SELECT * { " + " UNION ".join(["{}"] * n) + " }",
    "minus": lambda n: "SELECT * { " + " ".join(["MINUS{?a ?b ?c}"] * n) + " }",
    "bind": lambda n: "SELECT * { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(n)) + " }",
    "optional": lambda n: "SELECT * { " + " ".join(["OPTIONAL{}"] * n) + " }",
}


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_bounds_sit_below_the_engines_stack(kind: str) -> None:
    """The largest query of each shape that passes the bounds runs in the engine without a
    crash; the next size up is refused."""
    make = CHAINS[kind]
    lo, hi = 1, 10_000
    while lo < hi:  # the largest n that analyse accepts
        mid = (lo + hi + 1) // 2
        try:
            analyse(make(mid))
            lo = mid
        except QueryTooComplex:
            hi = mid - 1
    with pytest.raises(QueryTooComplex):
        analyse(make(lo + 1))
    code = (
        "import sys\nfrom pyoxigraph import Store\n"
        "r = Store().query(sys.stdin.read())\nlist(r) if not isinstance(r, bool) else r\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=analyse(make(lo)).text,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode >= 0, f"{kind} x{lo}: the engine died with signal {-run.returncode}"
    assert lo <= MAX_OPERATORS and MAX_NESTING <= MAX_OPERATORS


# --- PlanGraph.sparql -------------------------------------------------------------------------


def test_plangraph_sparql_refuses_service_unless_asked(canary: Canary) -> None:
    import plangraph
    from tests.helpers import ROOT

    pg = plangraph.open(ROOT / "tests" / "data" / "queries" / "fixture.trig")
    query = ISSUE_QUERY.format(url=canary.url).replace("?s ?p true", "?s ?p ?o")
    with pytest.raises(PlangraphError, match="SERVICE"):
        pg.sparql(query)
    assert canary.connections() == 0
    with pytest.raises(Exception):  # noqa: B017 - the canary hangs up: any failure will do
        pg.sparql(query, allow_service=True)
    assert canary.connections() == 1


def test_workers_cannot_open_sockets(canary: Canary) -> None:
    """Behind the check: a SERVICE query handed to a worker directly (as if it had slipped
    through) reaches nothing, because workers run under a seccomp filter that denies
    ``socket()`` (Linux on x86-64 and AArch64)."""
    import asyncio
    import platform
    import time
    from concurrent.futures import ThreadPoolExecutor

    from plangraph.serve.jobs import Job
    from plangraph.serve.pool import WorkerPool
    from tests.helpers import seeds_dataset

    if not sys.platform.startswith("linux") or platform.machine() not in ("x86_64", "aarch64"):
        pytest.skip("the socket sandbox is for Linux on x86-64 and AArch64")
    query = f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?a ?b ?c }} }}"
    _evaluate(_store(), query)
    assert canary.connections() == 1, "this process can reach the canary"
    pool = WorkerPool(seeds_dataset(), 1, 100)
    pool.start()
    try:
        job = Job("sparql", query=query)
        with ThreadPoolExecutor(1) as thread:  # its own event loop (Playwright may run one here)
            reply = thread.submit(asyncio.run, pool.run(job, time.monotonic() + 10)).result()
    finally:
        pool.close()
    assert reply.status == 500
    assert canary.connections() == 1, "a worker reached the canary"
