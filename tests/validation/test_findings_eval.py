"""Today's findings against the labelled findings (tests/data/eval/findings/).

Round 2 (``labels.yaml``) was labelled blind on the test side, at commit 7a00415: 11 of the top
20 useful, 3 wrong; 30 of 40 sampled correct. The floors below are a little under what is
measured today (docs/queries.md, "Findings": top 20 useful 0.60, wrong 0.10; sample correct
0.78; not blind any more: two fixes were made from round 2's wrong findings), so a change that
makes the findings worse fails here. They are far from issue 13's target (80% of the top 20
useful): the docs say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.analysis.api import open as open_dataset
from plangraph.errors import InputError
from plangraph.validation.findings import (
    FindingsScore,
    default_labels,
    labels_day,
    load_labels,
    score_findings,
)
from tests.helpers import ROOT, seeds_dataset


@pytest.fixture(scope="module")
def score() -> FindingsScore:
    file = default_labels(ROOT)
    found = open_dataset(seeds_dataset(), queries_dir=ROOT / "queries").findings(
        on=labels_day(file)
    )
    return score_findings(found, load_labels(file))


def test_top_20_floors(score: FindingsScore) -> None:
    assert len(score.top) == 20
    assert score.top_useful is not None and score.top_useful >= 0.50
    assert score.top_wrong is not None and score.top_wrong <= 0.20


def test_random_sample_floors(score: FindingsScore) -> None:
    assert len(score.sample) >= 35  # of 40 labelled: findings the method dropped leave it
    assert score.sample_correct is not None and score.sample_correct >= 0.70


def test_the_wrong_gaps_of_round_2_are_gone(score: FindingsScore) -> None:
    """Round 2 labelled wrong the congress plan's no-timeframe finding (the document times its
    whole action table: the plan-level timeframe statement removed it) and the OGP plan's
    workers and youth gaps (named in its expected results: gaps now read them)."""
    for gone in (
        "no-timeframe-1dae451fa0",
        "population-unserved-d345fb029f",
        "population-unserved-64601f4301",
    ):
        assert gone in score.missing


def test_a_label_outside_the_scale_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "labels.yaml"
    bad.write_text(
        "day: 2026-12-01\nfindings:\n- id: x\n  sample: top\n  label: maybe\n  note: n\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="label"):
        load_labels(bad)


def test_round_3_floors() -> None:
    """Round 3 (``labels-round3.yaml``): a second annotator, blind to the other rounds, on the
    method as it stands (top 20: 15 useful, 1 wrong; sample: 31 of 40 correct)."""
    file = default_labels(ROOT).with_name("labels-round3.yaml")
    found = open_dataset(seeds_dataset(), queries_dir=ROOT / "queries").findings(
        on=labels_day(file)
    )
    score = score_findings(found, load_labels(file))
    assert score.top_useful is not None and score.top_useful >= 0.70
    assert score.top_wrong is not None and score.top_wrong <= 0.10
    assert score.sample_correct is not None and score.sample_correct >= 0.70
