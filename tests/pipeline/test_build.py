"""End to end on the bundled plans: build twice (byte-identical), validate all layers, and the
OWL layer rejects an inconsistent graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from plangraph.analysis.catalogue import catalogue
from plangraph.cli.main import main
from plangraph.project import Project
from plangraph.validation.owl import check_consistency
from plangraph.validation.validate import validate_nquads
from tests.conftest import MakeProject
from tests.helpers import ROOT
from tests.helpers import seed_build as seed_build_result


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return seed_build_result().outputs


def test_two_builds_are_byte_identical(seed_build: dict[str, Path], tmp_path: Path) -> None:
    """Regression: the tagger broke ties in hash order, so builds in two processes differed.
    The second build runs in another process with a fixed, different hash seed."""
    code = (
        "import sys; from pathlib import Path; from plangraph.pipeline.build import build; "
        "from plangraph.project import Project; "
        "build(Project(Path(sys.argv[1])), out_dir=Path(sys.argv[2]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path)], check=True, env=env)
    for kind, path in seed_build.items():
        again = tmp_path / path.name
        assert path.read_bytes() == again.read_bytes(), f"{kind} output differs between builds"


def test_every_plan_file_is_built(seed_build: dict[str, Path]) -> None:
    text = seed_build["nquads"].read_text(encoding="utf-8")
    for plan_file in sorted((ROOT / "graph" / "plans").glob("*.yaml")):
        graph = f"<https://w3id.org/plangraph/graph/plan/{plan_file.stem}>"
        assert graph in text, f"no named graph for {plan_file.name}"


def test_seed_graph_validates(seed_build: dict[str, Path]) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "plangraph.ttl")
    report = validate_nquads(
        seed_build["nquads"].read_text(encoding="utf-8"),
        ontology,
        ROOT / "ontology" / "shapes",
        ROOT / "queries",
    )
    assert report.owl is not None and report.owl.consistent is True, report.owl
    assert not report.violations, report.to_text()
    assert not report.qc_failures, report.to_text()
    assert report.exit_code == 0


def test_hermit_rejects_inconsistent_graph(seed_build: dict[str, Path]) -> None:
    # an element cannot be both an action and a result (the element classes are disjoint)
    element = "<https://w3id.org/plangraph/plan/fixture/x>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    extra = (
        f"{element} {rdf_type} <https://w3id.org/plangraph/ontology#Action> .\n"
        f"{element} {rdf_type} <https://w3id.org/plangraph/ontology#Result> .\n"
    )
    result = check_consistency(seed_build["ntriples"].read_text(encoding="utf-8") + extra)
    assert result.consistent is False, result.message


def test_hermit_accepts_seed_graph(seed_build: dict[str, Path]) -> None:
    result = check_consistency(seed_build["ntriples"].read_text(encoding="utf-8"))
    assert result.consistent is True, result.message


def test_qc_queries_have_uniform_columns() -> None:
    qc = {n: q for n, q in catalogue().items() if n.startswith("qc/")}
    assert qc, "no QC queries found"
    for name, query in qc.items():
        assert name.endswith("-violation"), f"{name}: QC queries are named *-violation.rq"
        assert query.columns == ("entity", "property", "value"), f"{name}: columns {query.columns}"
        assert "SELECT ?entity ?property ?value" in query.text, f"{name}: select the three columns"


def test_stats_counts_agree_with_plan_files(seed_build: dict[str, Path]) -> None:
    from plangraph.analysis.api import open as open_dataset
    from plangraph.analysis.stats import plan_stats
    from plangraph.pipeline.loader import load_corpus

    stats = plan_stats(open_dataset(seed_build["nquads"]))
    corpus = load_corpus(Project(ROOT))
    assert sorted(stats) == sorted(p.id for p in corpus.plans)
    for plan in corpus.plans:
        counted: dict[str, int] = {}
        for _path, el, _parent in plan.walk():
            counted[el.kind.value] = counted.get(el.kind.value, 0) + 1
        assert stats[plan.id]["elements"] == counted, plan.id


def test_stats_cli_json(make_project: MakeProject) -> None:
    root = make_project()
    runner = CliRunner()
    assert runner.invoke(main, ["--root", str(root), "build"]).exit_code == 0
    result = runner.invoke(main, ["--root", str(root), "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["mini-plan"]["elements"] == {"general_objective": 1, "result": 1, "action": 1}
    assert stats["mini-plan"]["roles"] == {"responsible": {"institutions": 1, "participations": 1}}


def test_commands_build_a_missing_or_stale_graph(make_project: MakeProject) -> None:
    root = make_project()
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(root), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mini-plan"]["elements"]["action"] == 1
    # a plan edit makes the build stale: the next command rebuilds before answering
    plan = root / "graph" / "plans" / "mini-plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("status: adopted", "status: draft"),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--root", str(root), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mini-plan"]["status"] == "draft"
