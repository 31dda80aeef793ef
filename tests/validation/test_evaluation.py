"""The tagger against the gold standard (tests/data/eval/tags/, GUIDELINES.md).

The test split was frozen by a seed before the tagger was tuned; rules, weights and thresholds
are chosen on the dev split only. The floors below are on the test split, a little under what
the tagger measured when they were set (figures and dates in docs/architecture.md, "Tagging").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph

from plangraph.cli.main import main
from plangraph.errors import InputError
from plangraph.project import Project
from plangraph.validation.evaluation import Evaluation, gold_folder, run_evaluation
from plangraph.validation.gold import load_gold
from tests.helpers import ROOT

GOLD = gold_folder(ROOT)


def _draw_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "draw_tag_split", ROOT / "tests" / "data" / "eval" / "draw_tag_split.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return run_evaluation(Project(ROOT))


def test_gold_covers_every_action_level_element_of_the_seeds() -> None:
    gold = load_gold(GOLD)
    spanish = [g for g in gold if "/plan/us-fds-" not in g.iri]
    english = [g for g in gold if "/plan/us-fds-" in g.iri]
    assert len(spanish) == 248 and len(english) >= 40
    for group in (spanish, english):
        test = sum(1 for g in group if g.split == "test")
        assert test >= len(group) / 3


def test_the_spanish_split_is_the_frozen_draw() -> None:
    """split.yaml is what the seeded draw gives, and the label files agree with it."""
    frozen = yaml.safe_load((GOLD / "split.yaml").read_text(encoding="utf-8"))
    module = _draw_module()
    by_plan: dict[str, list[str]] = {}
    for item in frozen["elements"]:
        by_plan.setdefault(item["plan"], []).append(item["iri"])
    excluded = {item["iri"] for item in frozen["elements"] if item.get("old_gold")}
    drawn = module.assign_splits(by_plan, excluded, frozen["seed"], frozen["fraction"])
    assert drawn == {item["iri"]: item["split"] for item in frozen["elements"]}
    labelled = {g.iri: g.split for g in load_gold(GOLD) if "/plan/us-fds-" not in g.iri}
    assert labelled == drawn


def test_curated_tags_never_count(evaluation: Evaluation) -> None:
    assert evaluation.groups, "no elements were scored"
    assert evaluation.group("test").elements + evaluation.group("dev").elements == len(
        load_gold(GOLD)
    )


def test_bad_gold_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "elements:\n  - iri: https://w3id.org/plangraph/plan/p/a\n    split: later\n"
        "    themes: [advocacy]\n    gcm: [99]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_gold(tmp_path)
    messages = {(p.line, p.field, p.message) for p in info.value.problems}
    assert (3, "elements[0].split", "expected one of dev, test") in messages
    assert (5, "elements[0].gcm[0]", "expected a GCM objective number 1-23") in messages


def test_eval_cli_reports_both_splits_and_a_bad_gold_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "eval"])
    assert result.exit_code == 0, result.output
    for needle in ("dev split, es", "test split, es", "test split, en", "P strict", "P lenient"):
        assert needle in result.output
    (tmp_path / "bad.yaml").write_text("elements: nope\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(ROOT), "eval", "--gold", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "bad.yaml:1: elements: expected a list" in result.output


# Floors on the TEST split, a little under the figures measured on 2026-12-01 with the shipped
# model (docs/architecture.md, "Tagging": themes P 0.64 R 0.62 — Spanish 0.71/0.70, English
# 0.53/0.49 —, populations P 0.89 R 0.44, GCM P 0.48 R 0.57). They are far from the issue's
# targets; the docs say by how much and why.
FLOORS = {  # (language or None, scheme): (strict precision, recall)
    (None, "theme"): (0.60, 0.58),
    (None, "population"): (0.84, 0.40),
    (None, "gcm"): (0.42, 0.52),
    ("en", "theme"): (0.48, 0.44),
    ("es", "theme"): (0.66, 0.65),
}


@pytest.mark.parametrize(("language", "scheme"), sorted(FLOORS, key=str))
def test_test_split_floor(evaluation: Evaluation, language: str | None, scheme: str) -> None:
    score = evaluation.group("test", language).schemes[scheme]
    precision, recall = FLOORS[(language, scheme)]
    assert score.precision is not None and score.precision >= precision, score
    assert score.recall is not None and score.recall >= recall, score


def test_the_model_is_trained_on_dev_only() -> None:
    from plangraph.pipeline.derive.scoring import load_model
    from plangraph.validation.training import train

    model = load_model()
    assert model is not None and "dev split" in model.about["trained_on"]
    assert set(model.schemes) == {"theme", "population", "gcm"}
    test_gold = [g for g in load_gold(GOLD) if g.split == "test"][:1]
    with pytest.raises(ValueError, match="dev split only"):
        train(test_gold, [], Graph())
