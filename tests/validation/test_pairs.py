"""The near-duplicate search against the labelled cross-plan pairs (tests/data/eval/pairs/).

The split was frozen before any method was built; weights and the default threshold were
chosen on the dev pairs only. The floors below are on the test split, a little under what was
measured when they were set (docs/queries.md, "Near-duplicate elements": 3 of 6 predicted test
pairs are overlaps, 3 of 8 test overlaps found). They miss issue 13's targets (precision 0.7,
recall 0.6): see the docs for why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.similarity import DEFAULT_THRESHOLD
from plangraph.cli.main import main
from plangraph.errors import InputError, PlangraphError
from plangraph.project import Project
from plangraph.validation.pairs import (
    PairsEvaluation,
    SetResult,
    choose_threshold,
    evaluate_set,
    format_evaluation,
    gold_folder,
    load_pair_set,
    load_pair_sets,
    run_pairs_evaluation,
    wilson,
)
from tests.analysis.corpora import seeds_and_fds_dataset
from tests.helpers import ROOT, seeds_dataset

GOLD = gold_folder(ROOT)


@pytest.fixture(scope="module")
def evaluation() -> PairsEvaluation:
    sets = load_pair_sets(GOLD, ROOT)
    seeds = open_dataset(seeds_dataset())
    both = open_dataset(seeds_and_fds_dataset())
    return PairsEvaluation(
        DEFAULT_THRESHOLD, [evaluate_set(s, both if s.corpora else seeds) for s in sets]
    )


def _set(evaluation: PairsEvaluation, name: str) -> SetResult:
    return next(r for r in evaluation.sets if r.name == name)


def test_the_labelled_pairs_load_with_their_frozen_split() -> None:
    sets = {s.name: s for s in load_pair_sets(GOLD, ROOT)}
    assert list(sets) == ["seeds", "fds", "seeds-method"]
    seeds = sets["seeds"]
    assert len(seeds.pairs) == 871
    assert sum(p.split == "test" for p in seeds.pairs) == 348
    overlaps = [p for p in seeds.pairs if p.label == "overlap"]
    assert (len(overlaps), sum(p.split == "test" for p in overlaps)) == (18, 8)
    assert len(seeds.out_of_pool) == 5
    # the pools grown later (README.md): split frozen before labelling
    fds, method = sets["fds"], sets["seeds-method"]
    assert (len(fds.pairs), sum(p.split == "test" for p in fds.pairs)) == (266, 106)
    assert sum(p.label == "overlap" for p in fds.pairs) == 16
    assert (len(method.pairs), sum(p.label == "overlap" for p in method.pairs)) == (68, 5)
    assert fds.corpora and not method.corpora


def test_the_default_threshold_is_the_dev_rule(evaluation: PairsEvaluation) -> None:
    # chosen on the dev pairs of the first pool, before the other pools were labelled
    assert choose_threshold(_set(evaluation, "seeds").dev_scored()) == DEFAULT_THRESHOLD


def test_test_split_floors(evaluation: PairsEvaluation) -> None:
    test = _set(evaluation, "seeds").split_counts("test")
    assert test.overlaps == 8
    # measured, not the target (docs/queries.md: with the own-text tagger of issue 12 the test
    # split fell from 3 of 8 overlaps to 1 of 8)
    assert test.true_positives >= 1
    assert test.precision is not None and test.precision >= 0.3
    assert test.recall is not None and test.recall >= 0.12
    dev = _set(evaluation, "seeds").split_counts("dev")
    assert dev.precision is not None and dev.precision >= 0.8
    assert dev.recall is not None and dev.recall >= 0.5
    # the FDS plans (2021 continues 2020 in the same words): recall holds, precision does not
    fds = _set(evaluation, "fds").split_counts("test")
    assert fds.overlaps == 7
    assert fds.recall is not None and fds.recall >= 0.5
    assert fds.precision is not None and fds.precision >= 0.2


def test_pairs_across_languages_find_the_topic_not_the_commitment(
    evaluation: PairsEvaluation,
) -> None:
    scores = _set(evaluation, "fds").scores
    english = scores.iri_a.str.contains("/us-fds-") != scores.iri_b.str.contains("/us-fds-")
    across = scores[english & (scores.score >= DEFAULT_THRESHOLD)]
    # the Guatemalan open-government plan and the FDS plans share open data, and the pairs the
    # search joins across languages are about it (labelled related), but no labelled pair
    # across the two languages is an overlap
    assert len(across) >= 5
    assert (across.label == "related").sum() >= len(across) - 1
    assert not (scores[english].label == "overlap").any()


def test_report_names_counts_and_intervals(evaluation: PairsEvaluation) -> None:
    text = format_evaluation(evaluation)
    assert f"threshold {DEFAULT_THRESHOLD:g}" in text
    for split in ("dev", "test", "all"):
        assert f"  {split} " in text
    assert "out-of-pool overlaps found" in text and "[" in text
    data = evaluation.to_dict()
    test = data["sets"][0]["splits"]["test"]
    assert test["overlaps"] == 8 and len(test["recall_interval"]) == 2


def test_wilson_interval() -> None:
    low, high = wilson(3, 8) or (0.0, 0.0)
    assert low == pytest.approx(0.137, abs=1e-3) and high == pytest.approx(0.694, abs=1e-3)
    assert wilson(0, 0) is None
    assert wilson(5, 5) is not None and wilson(5, 5)[1] == 1.0  # type: ignore[index]


def test_choose_threshold_never_lets_in_a_lower_pair() -> None:
    scored = [(0.419, "overlap"), (0.412, "unrelated"), (0.2, "overlap")]
    assert choose_threshold(scored) == 0.419 - 0.0  # 0.41 would admit the 0.412 pair
    assert choose_threshold([(0.5, "unrelated")]) is None


def test_a_label_outside_the_pool_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "pool.yaml").write_text(
        "pairs:\n- {iri_a: a, iri_b: b, split: dev}\n", encoding="utf-8"
    )
    (tmp_path / "labels.yaml").write_text(
        "labels:\n- {iri_a: a, iri_b: b, label: overlap}\n- {iri_a: a, iri_b: c, label: maybe}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_pair_set(tmp_path, ROOT)
    assert "labels.yaml" in str(err.value) and "bad label" in str(err.value)


def test_eval_pairs_on_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PlangraphError):
        run_pairs_evaluation(Project(ROOT), tmp_path, dataset=seeds_dataset())
    result = CliRunner().invoke(
        main, ["--root", str(ROOT), "eval", "--pairs", "--gold", str(tmp_path)]
    )
    assert result.exit_code != 0 and "pool.yaml" in result.output
