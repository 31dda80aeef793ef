"""An English plan of a layout no bundled profile was first written for (U.S. Federal Data
Strategy 2021 Action Plan, Markdown pages with milestone tables; curated by another hand in
tests/pipeline/importer/data/us-fds-2021/). With ``auto`` the draft passes the loader and its
review list points at what needs a person; with the profile a person wrote after reading it,
the figures recorded in docs/import.md hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.pipeline.importer.evalrun import unseen
from plangraph.pipeline.importer.evaluate import Scores

from .conftest import ROOT


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> list[Scores]:
    return unseen(ROOT, Path(tmp_path_factory.mktemp("unseen")))


def test_auto_drafts_a_plan_that_passes_check(scores: list[Scores]) -> None:
    auto = scores[0]
    assert auto.passes_check
    assert auto.profile == "milestone-table"
    assert auto.drafted >= 30  # the 11 actions and their milestones
    # the curated plan groups the actions under two axes the profile cannot know: with the
    # parent condition nothing matches until a person names them (docs/import.md)
    assert auto.recall == 0.0


def test_with_the_persons_profile(scores: list[Scores]) -> None:
    person = scores[1]
    assert person.passes_check
    assert person.profile == "fds-2021-action-plan"
    row = person.as_row()
    assert row["recall"] >= 0.78 and row["precision"] >= 0.95
    assert row["codes"] >= 0.95 and row["timeframes"] >= 0.95
    assert row["mentions found"] >= 0.75 and row["mentions resolved"] >= 0.95
