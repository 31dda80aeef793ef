"""The near-duplicate search (plangraph.analysis.similarity): what it must and must not join.

The figures against the labelled pairs are in tests/validation/test_pairs.py; these tests pin
behaviour: generic plan words alone never make a near-duplicate, a verbatim repeat scores 1,
every pair is explained, and a Spanish and an English plan meet through shared concepts.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from plangraph.analysis import signals, similarity
from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.backends import EmbeddedBackend
from plangraph.analysis.similarity import DEFAULT_THRESHOLD
from plangraph.rdf.store import load_store
from plangraph.text.words import fold
from tests.analysis.corpora import seeds_and_fds_dataset
from tests.helpers import ROOT, seeds_dataset

PAIRS = ROOT / "tests" / "data" / "eval" / "pairs"
OGP = "gt-ogp-nap6-2023-2025"
GENERIC = ("diseño", "prevención", "social")


@pytest.fixture(scope="module")
def seeds() -> PlanGraph:
    return open_dataset(seeds_dataset())


@pytest.fixture(scope="module")
def actions(seeds: PlanGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    elements, taggings = seeds.similarity_input()
    return elements[elements.action_level.astype(bool)], taggings


def _plan(iri: str) -> str:
    return iri.split("/plan/")[-1].split("/")[0]


def test_plan_words_carry_no_topic() -> None:
    assert signals.element_terms("Fortalecer e implementar el diseño de acciones", "es") == []
    terms = [t for t, _ in signals.element_terms("Diseñar campañas contra el estigma", "es")]
    assert terms == ["campana", "estigma"]
    assert signals.element_terms("Develop and implement an approach", "en") == []


def test_generic_shared_words_alone_are_not_a_near_duplicate(
    actions: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    elements, taggings = actions
    # two made-up actions that share only "diseño", "prevención", "social" (and plan words),
    # scored among the seeds' actions, without concepts: the text score alone decides
    extra = pd.DataFrame(
        {
            "element": ["x:1", "x:2"],
            "plan": ["x:plan-1", "x:plan-2"],
            "kind": ["action", "action"],
            "text": [
                "Diseño de un programa de prevención social de la violencia en escuelas",
                "Diseño e implementación de la política de prevención social del embarazo",
            ],
            "language": ["es", "es"],
            "action_level": [True, True],
        }
    )
    both = pd.concat([elements, extra], ignore_index=True)
    prepared = similarity.prepare(both, taggings)
    scored = similarity.score_pairs(prepared, [("x:1", "x:2")])
    assert scored.score.iloc[0] < DEFAULT_THRESHOLD
    assert set(scored.shared_terms.iloc[0].split(", ")) <= {"prevencion", "social"}
    # the labelled pairs that share one of these words and were judged unrelated stay below
    pool = yaml.safe_load((PAIRS / "pool.yaml").read_text(encoding="utf-8"))["pairs"]
    labels = yaml.safe_load((PAIRS / "labels.yaml").read_text(encoding="utf-8"))["labels"]
    generic = [
        (p["iri_a"], p["iri_b"])
        for p, lab in zip(pool, labels, strict=True)
        if lab["label"] == "unrelated"
        and any(fold(w) in fold(p["text_a"]) and fold(w) in fold(p["text_b"]) for w in GENERIC)
    ]
    assert len(generic) >= 10
    scores = similarity.score_pairs(similarity.prepare(elements, taggings), generic)
    assert (scores.score < DEFAULT_THRESHOLD).all()


def test_reported_pairs_are_explained(seeds: PlanGraph) -> None:
    pairs = seeds.overlaps("similar", scope="across", action_level=True)
    assert list(pairs.columns) == similarity.PAIR_COLUMNS
    assert len(pairs) > 0 and (pairs.score >= DEFAULT_THRESHOLD).all()
    for row in pairs.itertuples():
        assert row.shared_terms or row.shared_concepts
        generic = {fold(w) for w in GENERIC}
        terms = set(row.shared_terms.split(", ")) if row.shared_terms else set()
        assert row.shared_concepts or not terms <= generic


def test_the_stigma_campaigns_of_two_plans_are_near_duplicates(seeds: PlanGraph) -> None:
    # a labelled overlap of the dev split (tests/data/eval/pairs): the liaison network's
    # communication strategy against xenophobia and the reintegration matrix's campaigns
    # against the stigma of returned youth
    pairs = seeds.overlaps("similar", scope="across", action_level=True)
    hit = pairs[
        pairs.text_a.str.startswith("Apoyar la definición de una estrategia de comunicación")
        & pairs.text_b.str.startswith("Implementar en las campañas de sensibilización")
    ]
    assert len(hit) == 1
    assert "stigma-and-discrimination" in hit.shared_concepts.iloc[0]
    assert "campana" in hit.shared_terms.iloc[0]


@pytest.fixture(scope="module")
def seeds_and_fds() -> PlanGraph:
    """The seeds' graph and the two English FDS plans in one store."""
    return PlanGraph(EmbeddedBackend(load_store(seeds_and_fds_dataset())))


def test_spanish_and_english_plans_meet_through_shared_concepts(seeds_and_fds: PlanGraph) -> None:
    pairs = seeds_and_fds.overlaps("similar", scope="across", action_level=True)
    plans = [(_plan(a), _plan(b)) for a, b in zip(pairs.element_a, pairs.element_b, strict=True)]
    english = [p.startswith("us-fds-") for p in pairs.element_a.map(_plan)]
    english_b = [p.startswith("us-fds-") for p in pairs.element_b.map(_plan)]
    across = pairs[[a != b for a, b in zip(english, english_b, strict=True)]]
    # the two FDS plans repeat each other a lot
    fds_pairs = [p for p in plans if p[0].startswith("us-fds-") and p[1].startswith("us-fds-")]
    assert len(fds_pairs) >= 20
    # the English plans meet the Guatemalan open-government plan through concepts only (no word
    # is shared across languages), on open data; a cross-language pair needs several concepts
    # in common, never one (a shared generic theme is thin evidence)
    assert len(across) >= 1
    sides = {_plan(a) for a in across.element_a} | {_plan(b) for b in across.element_b}
    assert OGP in sides
    assert (across.shared_terms == "").all() and (across.text_score == 0).all()
    assert (across.shared_concepts.str.count(",") >= 1).all()
    # all on open data but at most one: "Desarrollar un diagnóstico de necesidades de
    # capacitación" meets the FDS staff data-skills assessment (training, research: related)
    on_open_data = across.shared_concepts.str.contains("open-data")
    assert on_open_data.sum() >= len(across) - 1


def test_an_element_is_never_a_near_duplicate_of_its_own_ancestor(seeds: PlanGraph) -> None:
    # a milestone restating its commitment, or an action its result, is not a repeat
    pairs = seeds.overlaps("similar", threshold=0.2, top_k=50)
    assert len(pairs) > 0
    for a, b in zip(pairs.element_a, pairs.element_b, strict=True):
        assert not a.startswith(b + "/") and not b.startswith(a + "/")
