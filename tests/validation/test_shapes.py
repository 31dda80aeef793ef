"""The SHACL shapes (ontology/shapes/) against their fixtures.

Project rule: every shape has a valid and an invalid fixture, the invalid one failing on exactly
that shape and rule.

* ``tests/data/valid/plan.ttl`` is a small graph shaped like compiled output that conforms to
  every shape and holds at least one node of every class a shape targets.
* ``tests/data/invalid/<ShapeLocalName>-<rule>.ru`` is a SPARQL Update that, applied to a copy of
  the valid graph, breaks one rule of ``pgsh:<ShapeLocalName>`` and nothing else. Its first line
  is ``# breaks: <what>``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from plangraph.rdf.namespaces import PGSH
from plangraph.validation.shacl import ShaclResult, load_shapes, run_shacl
from tests.helpers import ROOT

ONTOLOGY_FILE = ROOT / "ontology" / "plangraph.ttl"
SHAPES_DIR = ROOT / "ontology" / "shapes"
DATA_DIR = ROOT / "tests" / "data"
VALID_FILE = DATA_DIR / "valid" / "plan.ttl"
INVALID_DIR = DATA_DIR / "invalid"
INVALID_FILES = sorted(INVALID_DIR.glob("*.ru"))

# Invalid fixtures that cannot fail on their own shape alone: stem -> (other shapes that also
# fail, why). The test checks the exact set and then xfails, so a fix to the shapes makes it fail
# until the entry is removed.
KNOWN_OVERLAPS: dict[str, tuple[frozenset[str], str]] = {}


def shape_of(fixture: Path) -> str:
    """The shape an invalid fixture must break: its file-name prefix before the first '-'."""
    return "pgsh:" + fixture.stem.split("-", 1)[0]


def node_shapes(shapes: Graph) -> dict[str, URIRef]:
    """Named node shapes by their ``pgsh:`` short name."""
    return {
        "pgsh:" + str(s).removeprefix(str(PGSH)): s
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and str(s).startswith(str(PGSH))
    }


def declared_severities(shapes: Graph, shape: URIRef) -> set[str]:
    """Severities the constraints of a node shape report (sh:Violation unless stated)."""
    nodes = [shape, *shapes.objects(shape, SH.property)]
    return {str(shapes.value(n, SH.severity) or SH.Violation).rsplit("#", 1)[-1] for n in nodes}


def subclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    """``cls`` and every class below it in the ontology."""
    return {c for c in ontology.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef)}


def listing(results: list[ShaclResult]) -> str:
    return "\n".join(f"  {r}" for r in results) or "  (no results)"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SHAPES_DIR)


@pytest.fixture(scope="module")
def valid_graph() -> Graph:
    return Graph().parse(VALID_FILE, format="turtle")


def patched(valid_graph: Graph, fixture: Path) -> Graph:
    """A copy of the valid graph with the fixture's update applied (the original is untouched)."""
    graph = Graph()
    graph += valid_graph
    before = set(graph)
    graph.update(fixture.read_text(encoding="utf-8"))
    assert set(graph) != before, (
        f"{fixture.name} changed nothing in the valid fixture: check its IRIs and patterns"
    )
    return graph


def test_valid_fixture_conforms(valid_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    results = run_shacl(valid_graph, shapes, ontology)
    violations = [r for r in results if r.severity == "Violation"]
    assert not violations, f"{VALID_FILE.name} has SHACL violations:\n{listing(violations)}"
    assert not results, f"{VALID_FILE.name} has SHACL warnings:\n{listing(results)}"


def test_valid_fixture_exercises_every_shape(
    valid_graph: Graph, shapes: Graph, ontology: Graph
) -> None:
    """Every class a shape targets has an instance in the valid fixture (so each shape is
    actually checked against valid data), in particular every kind with a parent shape."""
    typed = set(valid_graph.objects(None, RDF.type))
    missing = []
    for name, shape in sorted(node_shapes(shapes).items()):
        for target in shapes.objects(shape, SH.targetClass):
            assert isinstance(target, URIRef)
            if not subclasses(ontology, target) & typed:
                missing.append(f"{name} ({target})")
    targets = ", ".join(missing)
    assert not missing, f"{VALID_FILE.name} has no instance of the class targeted by: {targets}"


@pytest.mark.parametrize("fixture", INVALID_FILES, ids=[f.stem for f in INVALID_FILES])
def test_invalid_fixture_breaks_exactly_its_shape(
    fixture: Path, valid_graph: Graph, shapes: Graph, ontology: Graph
) -> None:
    first_line = fixture.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# breaks: "), (
        f"{fixture.name}: the first line must be '# breaks: <what>', not {first_line!r}"
    )
    expected = shape_of(fixture)
    named = node_shapes(shapes)
    assert expected in named, (
        f"{fixture.name} names {expected}, which is not a node shape of {SHAPES_DIR.name}/"
    )

    results = run_shacl(patched(valid_graph, fixture), shapes, ontology)
    failing = {r.shape for r in results}

    overlap = KNOWN_OVERLAPS.get(fixture.stem)
    if overlap is not None:
        also, reason = overlap
        assert failing == {expected, *also}, (
            f"{fixture.stem} is listed in KNOWN_OVERLAPS as also failing {sorted(also)}, but "
            f"SHACL reported {sorted(failing)}; if the shapes were fixed, remove the entry:\n"
            f"{listing(results)}"
        )
        pytest.xfail(reason)

    assert failing == {expected}, (
        f"{fixture.name} should fail {expected} only, but SHACL reported:\n{listing(results)}"
    )
    severities = declared_severities(shapes, named[expected])
    if len(severities) == 1:
        (severity,) = severities
        wrong = [r for r in results if r.severity != severity]
        assert not wrong, (
            f"{expected} reports {severity} only, but {fixture.name} gave:\n{listing(wrong)}"
        )


def test_every_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    named = set(node_shapes(shapes))
    covered = {shape_of(f) for f in INVALID_FILES}
    missing = sorted(named - covered)
    assert not missing, (
        f"shapes without an invalid fixture in {INVALID_DIR.relative_to(ROOT)}/ "
        f"(add <ShapeLocalName>-<rule>.ru): " + ", ".join(missing)
    )
    unknown = sorted(f.name for f in INVALID_FILES if shape_of(f) not in named)
    assert not unknown, "invalid fixtures naming no shape: " + ", ".join(unknown)


def run_cli(data: Path, report: Path) -> subprocess.CompletedProcess[str]:
    """``plangraph validate`` as a user runs it (SHACL only), in a fresh interpreter."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "plangraph.cli.main",
            "--root",
            str(ROOT),
            "validate",
            "--data",
            str(data),
            "--no-owl",
            "--no-qc",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data.parent,
        check=False,
    )


def test_cli_validate_names_focus_and_shape(tmp_path: Path, valid_graph: Graph) -> None:
    data = tmp_path / "wrong-parent.ttl"
    patched(valid_graph, INVALID_DIR / "ActionParentShape-parent.ru").serialize(
        data, format="turtle"
    )
    report_file = tmp_path / "report.json"
    proc = run_cli(data, report_file)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, f"exit code {proc.returncode}, expected 1:\n{output}"
    focus = "axis-i/strategic-line-1/result-1/action-1.1"
    assert "pgsh:ActionParentShape" in proc.stdout, output
    assert focus in proc.stdout, output

    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["conforms"] is False
    assert report["exit_code"] == 1
    violations = report["shacl"]["violations"]
    assert {v["shape"] for v in violations} == {"pgsh:ActionParentShape"}, violations
    assert [v["focus"] for v in violations if v["focus"].endswith(focus)], violations


def test_cli_validate_valid_fixture_exits_0(tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    proc = run_cli(VALID_FILE, report_file)
    assert proc.returncode == 0, (
        f"exit code {proc.returncode}, expected 0:\n{proc.stdout}{proc.stderr}"
    )
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["conforms"] is True
    assert report["shacl"]["violations"] == []


# -- checks moved from SHACL to QC queries, so that SHACL can run by units -----------------------
# (an inverse path or a node-kind test makes validation by units differ from the whole graph;
# validation/units.py). Each update breaks the valid fixture the way the old shape caught.

PREFIXES = """BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
"""
QC_BREAKS = {
    "participation-of-an-element": (
        "qc/plan-statement-owner-violation",
        "DELETE { pgplan:fixture pg:hasPlanParticipation <participation-1> } "
        "INSERT { <axis-i> pg:hasPlanParticipation <participation-1> } "
        "WHERE { pgplan:fixture pg:hasPlanParticipation <participation-1> }",
    ),
    "replacement-of-no-plan": (
        "qc/plan-statement-owner-violation",
        "DELETE WHERE { ?plan pg:statesReplacement <replaces-1> }",
    ),
    "timeframe-of-two-plans": (
        "qc/plan-statement-owner-violation",
        "INSERT DATA { pgplan:fixture-other a pg:Plan ; pg:statesActionsTimeframe <timeframe-1> }",
    ),
    "replaced-plan-a-literal": (
        "qc/replacement-plan-not-iri-violation",
        "DELETE { <replaces-1> pg:replacedPlan ?p } INSERT { <replaces-1> pg:replacedPlan "
        '"Plan de Acción 2019-2022" } WHERE { <replaces-1> pg:replacedPlan ?p }',
    ),
}


@pytest.mark.parametrize("case", sorted(QC_BREAKS))
def test_qc_check_of_plan_statements(valid_graph: Graph, case: str) -> None:
    from plangraph.analysis.catalogue import catalogue

    name, update = QC_BREAKS[case]
    query = catalogue(ROOT / "queries")[name].text
    assert len(valid_graph.query(query)) == 0
    graph = Graph()
    graph += valid_graph
    graph.update(PREFIXES + update)
    assert len(graph.query(query)) > 0, case
