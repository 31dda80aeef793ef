"""The five bundled sources (and PDF/Word renderings of two) imported as a user would: each
draft passes the loader as written, and the figures of ``make eval-import`` stay at or above
these floors (a little below the figures measured when they were set; docs/import.md).

The figures are in-sample: the profiles were written while reading these documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.pipeline.importer.evalrun import documents, evaluate_one
from plangraph.pipeline.importer.evaluate import Scores
from plangraph.project import Project

from .conftest import ROOT

# document: (recall, precision, mentions found, mentions resolved, profile)
FLOORS = {
    "000_812da2d6e68be433.txt": (0.95, 0.90, 0.95, 0.95, "labelled-outline"),
    "001_0bdaad5329b673a8.txt": (0.95, 0.95, 0.95, 0.95, "kind-columns"),
    "002_bd5b4d8ca3601dab.txt": (0.95, 0.95, 0.88, 0.95, "numbered-outline"),
    "003_9dd6e71f0977ae37.txt": (0.78, 0.78, 0.95, 0.95, "kind-columns"),
    "004_ab710b9e28bab2ad.txt": (0.90, 0.90, 0.95, 0.95, "commitment-template"),
    "000_812da2d6e68be433.docx": (0.95, 0.90, 0.95, 0.95, "labelled-outline"),
    "000_812da2d6e68be433.pdf": (0.95, 0.90, 0.95, 0.95, "labelled-outline"),
    "001_0bdaad5329b673a8.docx": (0.95, 0.95, 0.95, 0.95, "kind-columns"),
    "001_0bdaad5329b673a8.pdf": (0.90, 0.90, 0.95, 0.95, "kind-columns"),
}
SECONDS = 10.0


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scores]:
    from plangraph.pipeline.importer.evalrun import scratch

    project = scratch(ROOT, tmp_path_factory.mktemp("eval") / "project")
    out = {}
    for i, (document, curated, name) in enumerate(documents(ROOT)):
        out[name] = evaluate_one(project, document, curated, name, f"eval-{i}")
    return out


def test_every_document_is_evaluated(results: dict[str, Scores]) -> None:
    assert sorted(results) == sorted(FLOORS)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_draft_passes_check_and_stays_above_its_floors(
    results: dict[str, Scores], name: str
) -> None:
    scores = results[name]
    recall, precision, found, resolved, profile = FLOORS[name]
    assert scores.passes_check, f"{name}: the draft does not pass the loader"
    assert scores.profile == profile
    assert scores.recall is not None and scores.recall >= recall, scores.misses
    assert scores.precision is not None and scores.precision >= precision
    row = scores.as_row()
    assert row["mentions found"] >= found
    assert row["mentions resolved"] >= resolved
    assert scores.seconds < SECONDS


def test_the_measure_can_fail(results: dict[str, Scores], tmp_path: Path) -> None:
    """The comparison is not vacuous: a draft compared with another document's plan scores
    nothing."""
    import yaml

    from plangraph.pipeline.importer.evaluate import compare
    from plangraph.pipeline.records import PlanFile

    plans = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["plan"]["source"]: p
        for p in (ROOT / "graph" / "plans").glob("*.yaml")
    }
    own = PlanFile.model_validate(yaml.safe_load(plans["000_812da2d6e68be433.txt"].read_text()))
    other = PlanFile.model_validate(yaml.safe_load(plans["001_0bdaad5329b673a8.txt"].read_text()))
    assert compare("self", own, own).recall == 1.0
    assert compare("other", own, other).recall == 0.0


def test_eval_runner_prints_the_table(
    results: dict[str, Scores], capsys: pytest.CaptureFixture[str]
) -> None:
    from plangraph.pipeline.importer.evalrun import table

    text = table([s.as_row() for s in results.values()])
    assert text.splitlines()[0].startswith("| document | profile | curated | drafted | recall")
    assert len(text.splitlines()) == 2 + len(FLOORS)


def test_project_fixture_has_no_plans(project: Project) -> None:
    assert not list(project.plans_dir.glob("*.yaml"))
