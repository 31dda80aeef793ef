"""Validation by units and its caches (issue 16): SHACL by units gives exactly the whole
graph's results (seeds and a generated corpus, each with errors injected across graphs), the
shapes are read to decide whether units are allowed, and nothing unchanged is validated
twice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph

from plangraph.pipeline.build import build
from plangraph.project import Project
from plangraph.rdf.serialise import union_ntriples
from plangraph.validation.shacl import load_shapes, run_shacl
from plangraph.validation.units import (
    UnitCache,
    split_allowed,
    split_units,
    validate_units,
    validate_whole,
)
from plangraph.validation.validate import validate_file
from tests.conftest import MINI_PLAN, MakeProject
from tests.helpers import ROOT, seed_build

sys.path.insert(0, str(ROOT / "benchmarks"))

from shacl_split import inject_errors


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "ontology" / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "plangraph.ttl")


def _both(nquads: str, shapes: Graph, ontology: Graph, tmp: Path) -> tuple[set[str], set[str]]:
    """Whole-graph results and by-units results (in two processes); and each unit's results
    as validate_whole keeps them equal what validating the unit gives."""
    union = union_ntriples(nquads)
    whole = run_shacl(Graph().parse(data=union, format="nt"), shapes, ontology)
    units = split_units(union, unit_triples=4_000)
    assert len(units) > 3
    by_units = validate_units(units, shapes, ontology, UnitCache(tmp / "u", ""), pool_min_triples=0)
    kept = validate_whole(units, union, shapes, ontology, UnitCache(tmp / "w", ""))
    assert {str(r) for r in kept} == {str(r) for r in whole}
    for unit in units:
        alone = UnitCache(tmp / "u", "").get(unit)
        assert alone is not None and set(alone) == set(UnitCache(tmp / "w", "").get(unit) or ())
    return {str(r) for r in whole}, {str(r) for r in by_units.results}


def test_our_shapes_allow_units(shapes: Graph) -> None:
    assert split_allowed(shapes) is None


@pytest.mark.parametrize(
    "extra",
    [
        "pgsh:X a sh:NodeShape ; sh:targetClass pg:Action ; sh:property [ sh:path pg:partOf ;"
        " sh:node [ sh:property [ sh:path pg:partOf ; sh:class pg:Plan ] ] ] .",
        "pgsh:X a sh:NodeShape ; sh:targetClass pg:Action ;"
        " sh:property [ sh:path [ sh:inversePath pg:partOf ] ; sh:minCount 1 ] .",
        "pgsh:X a sh:NodeShape ; sh:targetObjectsOf pg:partOf ; sh:class pg:Result .",
        "pgsh:X a sh:NodeShape ; sh:targetClass pg:Action ; sh:nodeKind sh:IRI .",
    ],
    ids=["two-hops", "inverse-path", "target-objects", "node-kind"],
)
def test_shapes_that_need_the_whole_graph_are_recognised(shapes: Graph, extra: str) -> None:
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . "
        "@prefix pg: <https://w3id.org/plangraph/ontology#> . "
        "@prefix pgsh: <https://w3id.org/plangraph/shapes#> . "
    )
    more = Graph()
    for t in shapes:
        more.add(t)
    more.parse(data=prefixes + extra, format="turtle")
    assert split_allowed(more) is not None


def test_units_give_the_whole_graph_results_on_the_seeds(
    shapes: Graph, ontology: Graph, tmp_path: Path
) -> None:
    clean = seed_build().outputs["nquads"].read_text(encoding="utf-8")
    broken, injected = inject_errors(clean)
    whole, by_units = _both(broken, shapes, ontology, tmp_path)
    assert sum("[Violation]" in r for r in whole) >= len(injected) - 2, whole
    assert whole == by_units


def test_units_give_the_whole_graph_results_on_a_generated_corpus(
    tmp_path: Path, shapes: Graph, ontology: Graph
) -> None:
    from generate import generate

    project = Project(tmp_path / "generated")
    generate(project.root, plans=5, seed=3)
    clean = build(project).outputs["nquads"].read_text(encoding="utf-8")
    for i, nquads in enumerate((clean, inject_errors(clean)[0])):
        whole, by_units = _both(nquads, shapes, ontology, tmp_path / str(i))
        assert whole == by_units


def test_nothing_unchanged_is_validated_twice(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plangraph.validation import units

    monkeypatch.setattr(units, "OWN_UNIT_TRIPLES", 10)  # the mini plans are small
    root = make_project()
    other = MINI_PLAN.replace("id: mini-plan", "id: other-plan")
    (root / "graph" / "plans" / "other-plan.yaml").write_text(other, encoding="utf-8")
    project = Project(root)
    nquads = build(project).outputs["nquads"]
    first = validate_file(nquads, project)
    assert first.exit_code == 0 and not first.reused
    assert first.shacl_units is not None and first.shacl_units[0] == first.shacl_units[1]
    again = validate_file(nquads, project)
    assert again.reused and again.to_dict() == first.to_dict()
    plan = project.plans_dir / "other-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("adopted", "draft"), "utf-8")
    build(project)
    edited = validate_file(nquads, project)
    assert not edited.reused and edited.exit_code == 0
    assert edited.shacl_units is not None
    units, validated = edited.shacl_units
    assert 0 < validated < units, edited.shacl_units
    assert edited.owl is not None and "verdict kept" not in edited.owl.message
    fresh = validate_file(nquads, project, cache=False)
    assert fresh.to_dict()["shacl"]["violations"] == edited.to_dict()["shacl"]["violations"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.001", "no answer in 0.001 s (set PLANGRAPH_HERMIT_TIMEOUT"),
        ("soon", "PLANGRAPH_HERMIT_TIMEOUT must be a number of seconds > 0, not 'soon'"),
    ],
)
def test_hermit_timeout_is_a_setting_with_a_clear_message(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    """Found at 3.2M quads: HermiT's fixed 600 s ran out and the message showed the Java
    command line. The limit is PLANGRAPH_HERMIT_TIMEOUT, and the message says so."""
    from click.testing import CliRunner

    from plangraph.cli.main import main

    root = make_project()
    assert CliRunner().invoke(main, ["--root", str(root), "build"]).exit_code == 0
    monkeypatch.setenv("PLANGRAPH_HERMIT_TIMEOUT", value)
    result = CliRunner().invoke(main, ["--root", str(root), "validate"])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_bad_java_memory_setting_is_a_clear_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PLANGRAPH_JAVA_MEMORY went to the JVM as it was (``-Xmx12GM``): now it is checked."""
    from click.testing import CliRunner

    from plangraph.cli.main import main

    root = make_project()
    assert CliRunner().invoke(main, ["--root", str(root), "build"]).exit_code == 0
    monkeypatch.setenv("PLANGRAPH_JAVA_MEMORY", "12G")
    result = CliRunner().invoke(main, ["--root", str(root), "validate"])
    assert result.exit_code == 2, result.output
    assert "PLANGRAPH_JAVA_MEMORY must be a whole number of MB" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_hermit_waits_for_shacl_when_both_would_not_fit_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found at 3.2M quads: HermiT's JVM (about 10 GB) beside SHACL's workers (10.7 GB) on a
    24 GB machine was killed without a verdict. HermiT now reasons after SHACL when the two
    would not fit, and its heap grows with the input."""
    from plangraph.validation import owl
    from plangraph.validation.validate import run_layers_together

    monkeypatch.delenv("PLANGRAPH_JAVA_MEMORY", raising=False)
    assert run_layers_together(1_000_000, 24 * 1024)
    assert not run_layers_together(3_185_820, 24 * 1024)
    assert owl.java_memory_mb(3_185_820, 24 * 1024) >= 12_000
    assert owl.java_memory_mb(100_000, 4 * 1024) == owl.DEFAULT_JAVA_MEMORY_MB
