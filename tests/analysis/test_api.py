"""The Python API (plangraph.open, PlanGraph), its remote mode against a small SPARQL endpoint,
the analysis commands, and the worked example of docs/queries.md on the seed plans."""

from __future__ import annotations

import doctest
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

import plangraph
from plangraph.analysis import api as api
from plangraph.analysis.api import PlanGraph
from plangraph.cli.main import main
from plangraph.errors import PlangraphError
from plangraph.pipeline.freshness import is_fresh
from plangraph.project import Project
from plangraph.rdf.sparql import iri_ref, literal
from plangraph.rdf.terms import to_python as value
from tests.conftest import MakeProject
from tests.helpers import ROOT, seeds_dataset

FIXTURE = ROOT / "tests" / "data" / "queries" / "fixture.trig"
PLAN = "https://w3id.org/plangraph/plan/"


@pytest.fixture(scope="module")
def fx() -> PlanGraph:
    return api.open(FIXTURE, queries_dir=ROOT / "queries")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> PlanGraph:
    return api.open(seeds_dataset(), queries_dir=ROOT / "queries")


# -- opening -----------------------------------------------------------------------------------


def test_package_open_is_lazy_and_returns_a_plangraph(fx: PlanGraph) -> None:
    pg = plangraph.open(FIXTURE, queries_dir=ROOT / "queries")
    assert isinstance(pg, PlanGraph)
    assert repr(pg) == f"<PlanGraph {FIXTURE}>"
    assert "gaps/no-responsible" in set(pg.describe().name)


def test_open_a_project_builds_when_stale(make_project: MakeProject) -> None:
    root = make_project()
    project = Project(root)
    nquads = project.build_dir / "plangraph.nq"
    assert not nquads.exists()
    pg = api.open(root)
    assert nquads.is_file() and is_fresh(project)
    assert pg.query("reports/plans").plan.tolist() == [PLAN + "mini-plan"]
    built = nquads.stat().st_mtime_ns
    api.open(root)  # fresh: opened, not rebuilt
    assert nquads.stat().st_mtime_ns == built
    plan_file = project.plans_dir / "mini-plan.yaml"
    later = time.time() + 5
    os.utime(plan_file, (later, later))
    assert is_fresh(project), "a touched file with the same content needs no build"
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(text.replace("status: adopted", "status: draft"), encoding="utf-8")
    assert not is_fresh(project)
    api.open(root)
    assert nquads.stat().st_mtime_ns > built
    api.open(root, rebuild=True)


def test_open_errors() -> None:
    with pytest.raises(PlangraphError, match="not found"):
        api.open(ROOT / "no-such-file.nq", queries_dir=ROOT / "queries")
    with pytest.raises(PlangraphError, match="unknown RDF format"):
        api.open(ROOT / "README.md", queries_dir=ROOT / "queries")
    with pytest.raises(PlangraphError, match="not both"):
        api.open(FIXTURE, endpoint="http://localhost:1/query")


def test_unknown_kinds_and_parameters(fx: PlanGraph) -> None:
    with pytest.raises(PlangraphError, match="unknown overlap kind"):
        fx.overlaps("colours")
    with pytest.raises(PlangraphError, match="unknown gap kind"):
        fx.gaps("nothing")
    with pytest.raises(PlangraphError, match="takes no day"):
        fx.gaps("no-responsible", on="2024-01-01")
    with pytest.raises(PlangraphError, match="unknown network kind"):
        fx.network("web")
    with pytest.raises(PlangraphError, match="has no parameter"):
        fx.query("gaps/no-responsible", colour="red")
    with pytest.raises(PlangraphError, match="unknown measure"):
        fx.plan_matrix("colours")


# -- tables ------------------------------------------------------------------------------------


def test_values_become_python_types(fx: PlanGraph) -> None:
    frame = fx.query("reports/element-texts")
    assert frame.first_line.dtype.kind == "i"
    assert set(frame.action_level) == {True, False}
    assert isinstance(frame.element.iloc[0], str)
    from pyoxigraph import BlankNode, Literal, NamedNode

    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert value(Literal("0.5", datatype=NamedNode(xsd + "decimal"))) == 0.5
    assert value(Literal("x", datatype=NamedNode(xsd + "integer"))) == "x"
    assert value(Literal("2024-01-01", datatype=NamedNode(xsd + "date"))) == "2024-01-01"
    assert value(BlankNode("b0")) == "_:b0"
    assert value(None) is None


def test_sparql_forms(fx: PlanGraph) -> None:
    assert fx.sparql("ASK { ?s a <https://w3id.org/plangraph/ontology#Plan> }").ask[0]
    triples = fx.sparql(
        "CONSTRUCT { ?p a <http://e/P> } WHERE { ?p a <https://w3id.org/plangraph/ontology#Plan> }"
    )
    assert isinstance(triples, Graph) and len(triples) == 3
    assert set(triples.objects()) == {URIRef("http://e/P")}
    with pytest.raises(PlangraphError, match="syntax"):
        fx.sparql("SELECT WHERE {")


# literals of three kinds: language-tagged, typed (xsd:gYear, xsd:date), plain
TYPED = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX pg: <https://w3id.org/plangraph/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { BIND(<https://w3id.org/plangraph/vocab/timeframe-category/continuous> AS ?s)
    BIND(skos:prefLabel AS ?p) ?s ?p ?o }
  UNION { ?s time:inXSDgYear ?o BIND(time:inXSDgYear AS ?p) }
  UNION { ?s time:inXSDDate ?o BIND(time:inXSDDate AS ?p) }
  UNION { BIND(<http://e/plain> AS ?s) BIND(<http://e/text> AS ?p) BIND("sin idioma" AS ?o) }
}"""
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPED_OBJECTS = {
    Literal("Continuo", lang="es"),
    Literal("Continuous", lang="en"),
    Literal("2020", datatype=URIRef(XSD + "gYear")),
    Literal("2022", datatype=URIRef(XSD + "gYear")),
    Literal("2023-06-30", datatype=URIRef(XSD + "date")),
    Literal("2025-06-30", datatype=URIRef(XSD + "date")),
    Literal("sin idioma"),
}


def test_construct_keeps_datatypes_and_languages(fx: PlanGraph) -> None:
    """Issue 15 item 14: CONSTRUCT results were rows of plain values ("Continuo", "2020")."""
    graph = fx.sparql(TYPED)
    assert isinstance(graph, Graph)
    assert set(graph.objects()) == TYPED_OBJECTS
    described = fx.sparql(
        "DESCRIBE <https://w3id.org/plangraph/vocab/timeframe-category/continuous>"
    )
    assert isinstance(described, Graph)
    assert {Literal("Continuo", lang="es"), Literal("Continuous", lang="en")} <= set(
        described.objects()
    )


def test_overlaps_and_gaps_dispatch_to_the_queries(fx: PlanGraph) -> None:
    pd.testing.assert_frame_equal(
        fx.gaps("no-indicator"), fx.query("gaps/no-indicator"), check_like=False
    )
    theme = fx.overlaps("theme")
    assert list(theme.theme) == sorted(theme.theme)
    assert len(fx.overlaps("matrix")) == 9
    summary = fx.gap_summary(on="2024-01-01")
    assert dict(zip(summary.kind, summary.rows, strict=True))["no-responsible"] == 2
    assert set(fx.gaps("plans-in-force").day) == {pd.Timestamp.today().date().isoformat()}
    # issue 15 item 14: no silent default kind
    with pytest.raises(TypeError):
        fx.gaps()  # type: ignore[call-arg]


# -- remote endpoint ---------------------------------------------------------------------------


class _Endpoint(BaseHTTPRequestHandler):
    """A minimal SPARQL 1.1 protocol endpoint over a pyoxigraph store (POST only)."""

    store: Any = None
    seen: ClassVar[list[str]] = []
    graph_media: ClassVar[str] = "application/n-triples"
    """What CONSTRUCT and DESCRIBE answers are sent as."""

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat

        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
            query = body
        else:
            query = urllib.parse.parse_qs(body)["query"][0]
        type(self).seen.append(query)
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(exc).encode())
            return
        if isinstance(result, QueryTriples):
            graph_format = RdfFormat.from_media_type(type(self).graph_media)
            payload, media = result.serialize(format=graph_format), type(self).graph_media
        else:
            payload = result.serialize(format=QueryResultsFormat.JSON)
            media = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="module")
def endpoint(fx: PlanGraph) -> Iterator[str]:
    _Endpoint.store = fx.store
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()


CASES: list[tuple[str, dict[str, Any]]] = [
    ("gaps/no-responsible", {}),
    ("gaps/no-responsible", {"plan": PLAN + "fx-c"}),
    ("gaps/gcm-objectives-unserved", {"plan": PLAN + "fx-b"}),
    ("gaps/sdg-targets-unserved", {"plan": PLAN + "fx-a"}),
    ("gaps/plans-in-force", {"on": "2024-01-01"}),
    ("gaps/declared-population-unserved", {}),
    ("overlaps/institutions-across-plans", {}),
    ("overlaps/plan-matrix", {}),
    ("reports/element-texts", {"kind": "milestone"}),
    ("reports/participations", {"institution": "https://w3id.org/plangraph/institution/fx-oim"}),
]


@pytest.mark.parametrize(("name", "bindings"), CASES)
def test_remote_queries_answer_like_the_embedded_store(
    fx: PlanGraph, endpoint: str, name: str, bindings: dict[str, Any]
) -> None:
    remote = api.open(endpoint=endpoint, queries_dir=ROOT / "queries")
    local = fx.query(name, **bindings)
    far = remote.query(name, **bindings)
    sort = list(local.columns)
    pd.testing.assert_frame_equal(
        far.sort_values(sort, ignore_index=True), local.sort_values(sort, ignore_index=True)
    )


def test_remote_values_are_escaped_terms(fx: PlanGraph, endpoint: str) -> None:
    remote = api.open(endpoint=endpoint, queries_dir=ROOT / "queries")
    _Endpoint.seen.clear()
    hostile = 'milestone" } UNION { ?element ?p ?o } #\n\\'
    assert len(remote.query("reports/element-texts", kind=hostile)) == 0
    sent = _Endpoint.seen[-1]
    assert literal(hostile) in sent
    assert 'VALUES (?kind) { ("milestone\\" } UNION' in sent
    with pytest.raises(PlangraphError):
        remote.query("gaps/no-responsible", plan="http://e/> } ; DROP ALL ; #")
    assert remote.sparql("ASK { ?s ?p ?o }").ask[0]
    assert (
        len(remote.sparql("SELECT ?p WHERE { ?p a <https://w3id.org/plangraph/ontology#Plan> }"))
        == 3
    )
    constructed = remote.sparql(
        "CONSTRUCT { ?p a <http://e/P> } WHERE { ?p a <https://w3id.org/plangraph/ontology#Plan> }"
    )
    assert isinstance(constructed, Graph) and len(constructed) == 3
    assert remote.gaps("no-timeframe").code.tolist() == fx.gaps("no-timeframe").code.tolist()
    assert remote.network("co-responsibility").number_of_edges() == 9


@pytest.mark.parametrize("media", ["application/n-triples", "text/turtle"])
def test_remote_construct_keeps_datatypes_and_languages(
    fx: PlanGraph, endpoint: str, media: str
) -> None:
    """Issue 15 item 14, on an endpoint: the N-Triples it sends (or Turtle, if it sends that)
    keep datatypes and languages, and so does the graph plangraph returns."""
    remote = api.open(endpoint=endpoint, queries_dir=ROOT / "queries")
    _Endpoint.graph_media = media
    try:
        graph = remote.sparql(TYPED)
    finally:
        _Endpoint.graph_media = "application/n-triples"
    assert isinstance(graph, Graph)
    assert set(graph.objects()) == TYPED_OBJECTS
    assert set(graph) == set(fx.sparql(TYPED))


def test_escaping_functions() -> None:
    assert iri_ref("https://w3id.org/plangraph/plan/x") == "<https://w3id.org/plangraph/plan/x>"
    for bad in (
        "http://e/a b",
        "http://e/>",
        'http://e/"',
        "http://e/{x}",
        "relative/path",
        "http://e/\n",
    ):
        with pytest.raises(ValueError):
            iri_ref(bad)
    assert literal('say "hi"\\ \n\t') == '"say \\"hi\\"\\\\ \\n\\t"'
    assert literal("niñez", language="es") == '"niñez"@es'
    with pytest.raises(ValueError):
        literal("x", language="es } ;")
    assert literal("2024-01-01", datatype="http://www.w3.org/2001/XMLSchema#date") == (
        '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    )


def test_unreachable_endpoint() -> None:
    remote = api.open(endpoint="http://127.0.0.1:9/query", queries_dir=ROOT / "queries", timeout=2)
    with pytest.raises(PlangraphError, match="cannot reach"):
        remote.sparql("ASK {}")


# -- command line ------------------------------------------------------------------------------


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, ["--root", str(ROOT), *args])
    return result


def test_cli_overlaps(tmp_path: Path) -> None:
    result = _run(
        "overlaps",
        "--data",
        str(FIXTURE),
        "--kind",
        "matrix",
        "--measure",
        "institutions",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["plan,fx-a,fx-b,fx-c", "fx-a,4,3,1"]
    result = _run(
        "overlaps",
        "--data",
        str(FIXTURE),
        "--kind",
        "similar",
        "--format",
        "json",
        "--threshold",
        "0.95",
    )
    rows = json.loads(result.output)
    assert len(rows) == 1 and rows[0]["score"] == 1.0
    result = _run("overlaps", "--data", str(FIXTURE), "--kind", "theme")
    assert result.exit_code == 0 and "6 row(s)" in result.output
    assert "https://w3id.org/plangraph/" not in result.output  # tables show short IRIs


def test_cli_gaps() -> None:
    result = _run(
        "gaps",
        "--data",
        str(FIXTURE),
        "--kind",
        "plans-in-force",
        "--on",
        "2024-01-01",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert [r["state"] for r in json.loads(result.output)] == ["lapsed", "in force", "no period"]
    result = _run(
        "gaps",
        "--data",
        str(FIXTURE),
        "--kind",
        "no-responsible",
        "--plan",
        "fx-c",
        "--format",
        "csv",
    )
    assert result.output.count("\n") == 2
    result = _run("gaps", "--data", str(FIXTURE), "--format", "csv")
    assert "no-responsible" in result.output
    result = _run("gaps", "--data", str(FIXTURE), "--kind", "plans-in-force", "--on", "yesterday")
    assert result.exit_code == 2 and "not a date" in result.output


def test_cli_network(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    result = _run(
        "network",
        "co-responsibility",
        "--data",
        str(FIXTURE),
        "--metrics",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()
    frame = pd.read_csv(__import__("io").StringIO(result.stdout))
    assert frame.node.iloc[0].endswith("fx-pgn")
    result = _run(
        "network",
        "institution-plan",
        "--data",
        str(FIXTURE),
        "--brokers",
        "--no-generic",
        "--format",
        "json",
    )
    assert len(json.loads(result.stdout)) == 2
    result = _run("network", "plan-overlap", "--data", str(FIXTURE), "--role", "responsible")
    assert result.exit_code == 2


# -- the worked example of docs/queries.md, on the seeds ---------------------------------------


def test_worked_example_in_the_docs(seeds: PlanGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "open", lambda *a, **k: seeds)
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    start = text.index("```python", text.index("## Worked example")) + len("```python")
    block = text[start : text.rindex("```")]
    parser = doctest.DocTestParser()
    where = str(ROOT / "docs" / "queries.md")
    test = parser.get_doctest(block, {}, "docs/queries.md", where, text[:start].count("\n"))
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10
    assert result.failed == 0
