"""The aggregated overlap queries (issue 16): plan × plan × concept counts
(``overlaps/shared-{theme,population,framework}-counts``) and per concept its plans and element
counts (``overlaps/shared-concepts``) give, on the seed build, exactly what Python computes from
the pairwise rows (``overlaps/shared-theme`` …), on Oxigraph and on rdflib; bound parameters
cut the same rows as filtering the unbound answer; and ``overlaps`` shows the counts by default
and the element pairs with a concept bound or ``pairs=True``.

rdflib takes 35 s for the three unbound pairwise queries on the seeds, so there the counts are
checked against the pairs Oxigraph lists, and the pairs themselves with the most frequent
concept bound."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql import prepareQuery

import plangraph
from plangraph.analysis.api import PlanGraph
from plangraph.analysis.catalogue import catalogue
from plangraph.cli.main import main
from plangraph.errors import PlangraphError
from tests.helpers import ROOT, seeds_dataset

VOCAB = "https://w3id.org/plangraph/vocab/"
KINDS = {"theme": "theme", "population": "population", "framework": "objective"}
"""Concept kind → the column (and parameter) naming its concept."""
COUNT_COLUMNS = ["n_elements_a", "n_elements_b", "n_pairs"]


@pytest.fixture(scope="module")
def seeds() -> PlanGraph:
    return plangraph.open(seeds_dataset(), queries_dir=ROOT / "queries")


@pytest.fixture(scope="module")
def rdflib_seeds() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(seeds_dataset(), format="nquads")
    return ds


@pytest.fixture(scope="module")
def pairwise(seeds: PlanGraph) -> dict[str, pd.DataFrame]:
    return {kind: seeds.query(f"overlaps/shared-{kind}") for kind in KINDS}


def _rdflib(ds: Dataset, name: str, **bindings: str) -> pd.DataFrame:
    query = catalogue()[name]
    init = {k: URIRef(v) for k, v in bindings.items()}
    result = ds.query(prepareQuery(query.text), initBindings=init)
    columns = [str(v) for v in result.vars or []]
    rows = [[_plain(row[c]) for c in columns] for row in result]
    return pd.DataFrame(rows, columns=columns)


def _plain(term: Any) -> Any:
    if term is None:
        return None
    value = term.toPython()
    return str(value) if isinstance(term, URIRef) else value


def counts_from_pairs(pairs: pd.DataFrame, concept: str) -> dict[tuple[str, str, str], tuple]:
    """(concept, plan_a, plan_b) → (elements of plan_a, elements of plan_b, pairs), computed
    from the pairwise rows."""
    elements_a: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    elements_b: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    n: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in pairs.itertuples(index=False):
        key = (str(getattr(row, concept)), str(row.plan_a), str(row.plan_b))
        elements_a[key].add(str(row.element_a))
        elements_b[key].add(str(row.element_b))
        n[key] += 1
    return {k: (len(elements_a[k]), len(elements_b[k]), n[k]) for k in n}


def counts_of(frame: pd.DataFrame, concept: str) -> dict[tuple[str, str, str], tuple]:
    return {
        (str(r[concept]), str(r["plan_a"]), str(r["plan_b"])): tuple(
            int(r[c]) for c in COUNT_COLUMNS
        )
        for r in frame.to_dict("records")
    }


def concepts_from_pairs(pairs: Iterable[tuple[pd.DataFrame, str]]) -> dict[str, dict[str, int]]:
    """concept → plan → its action-level elements carrying the concept, from the pairs (every
    element of a concept that two plans share stands in some pair)."""
    elements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for frame, concept in pairs:
        for row in frame.itertuples(index=False):
            c = str(getattr(row, concept))
            elements[c][str(row.plan_a)].add(str(row.element_a))
            elements[c][str(row.plan_b)].add(str(row.element_b))
    return {c: {p: len(e) for p, e in by_plan.items()} for c, by_plan in elements.items()}


def concepts_of(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in frame.to_dict("records"):
        out[str(r["concept"])][str(r["plan"])] = int(r["n_elements"])
        assert int(r["n_plans"]) >= 2
    return dict(out)


# -- the counts equal the pairs, on Oxigraph and rdflib ---------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_counts_equal_the_pairs_on_oxigraph(
    seeds: PlanGraph, pairwise: dict[str, pd.DataFrame], kind: str
) -> None:
    concept = KINDS[kind]
    expected = counts_from_pairs(pairwise[kind], concept)
    assert len(expected) > 10  # the seeds share themes, populations and objectives
    counts = seeds.query(f"overlaps/shared-{kind}-counts")
    assert counts_of(counts, concept) == expected
    assert int(counts.n_pairs.sum()) == len(pairwise[kind])
    assert (counts.plan_a < counts.plan_b).all()
    # the labels, notations and frameworks are those of the pairwise rows
    label = "objective_label" if kind == "framework" else f"{concept}_label"
    extra = [label] + (["notation", "framework"] if kind == "framework" else [])
    assert set(map(tuple, counts[[concept, *extra]].astype(str).values)) == set(
        map(tuple, pairwise[kind][[concept, *extra]].astype(str).values)
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_counts_equal_the_pairs_on_rdflib(
    rdflib_seeds: Dataset, pairwise: dict[str, pd.DataFrame], kind: str
) -> None:
    concept = KINDS[kind]
    counts = _rdflib(rdflib_seeds, f"overlaps/shared-{kind}-counts")
    assert counts_of(counts, concept) == counts_from_pairs(pairwise[kind], concept)


@pytest.mark.parametrize("kind", list(KINDS))
def test_bound_pairs_are_the_same_on_rdflib(
    seeds: PlanGraph, rdflib_seeds: Dataset, pairwise: dict[str, pd.DataFrame], kind: str
) -> None:
    """The pairs of one concept (the one with the fewest pairs above five: rdflib is slow on
    the largest), on both engines."""
    concept = KINDS[kind]
    sizes = pairwise[kind][concept].value_counts()
    top = str(sizes[sizes > 5].index[-1])
    mine = seeds.query(f"overlaps/shared-{kind}", **{concept: top})
    other = _rdflib(rdflib_seeds, f"overlaps/shared-{kind}", **{concept: top})
    key = [concept, "plan_a", "element_a", "plan_b", "element_b"]
    assert len(mine) > 5
    assert sorted(map(tuple, mine[key].astype(str).values)) == sorted(
        map(tuple, other[key].astype(str).values)
    )


def test_concepts_equal_the_pairs_on_both_engines(
    seeds: PlanGraph, rdflib_seeds: Dataset, pairwise: dict[str, pd.DataFrame]
) -> None:
    expected = concepts_from_pairs((pairwise[k], c) for k, c in KINDS.items())
    frame = seeds.query("overlaps/shared-concepts")
    assert concepts_of(frame) == expected
    assert concepts_of(_rdflib(rdflib_seeds, "overlaps/shared-concepts")) == expected
    # n_plans is the number of rows of the concept; the example is one of its plan's elements
    sizes = frame.groupby("concept").plan.nunique()
    assert (frame.n_plans == frame.concept.map(sizes)).all()
    for row in frame.itertuples(index=False):
        assert str(row.example).startswith(str(row.plan) + "/")


def test_concepts_agree_with_the_coverage_query(seeds: PlanGraph) -> None:
    """The shared concepts are the concepts of reports/concept-coverage that two or more plans
    carry, with the same counts."""
    frame = seeds.query("overlaps/shared-concepts")
    for scheme in ("theme", "population", "gcm", "sdg"):
        coverage = seeds.query("reports/concept-coverage", scheme=VOCAB + scheme)
        coverage = coverage[coverage.n_elements > 0]
        plans = coverage.groupby("concept").plan.nunique()
        shared = coverage[coverage.concept.map(plans) >= 2]
        mine = frame[frame.scheme == VOCAB + scheme]
        assert set(zip(shared.concept, shared.plan, shared.n_elements, strict=True)) == set(
            zip(mine.concept, mine.plan, mine.n_elements, strict=True)
        ), scheme


# -- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("overlaps/shared-theme-counts", "theme"),
        ("overlaps/shared-population-counts", "population"),
        ("overlaps/shared-framework-counts", "objective"),
        ("overlaps/shared-framework-counts", "framework"),
        ("overlaps/shared-concepts", "concept"),
        ("overlaps/shared-concepts", "scheme"),
        ("overlaps/shared-concepts", "plan"),
    ],
)
def test_a_bound_parameter_cuts_the_unbound_rows(
    seeds: PlanGraph, rdflib_seeds: Dataset, name: str, param: str
) -> None:
    unbound = seeds.query(name)
    value = str(unbound[param].value_counts().index[0])
    expected = unbound[unbound[param] == value]
    bound = seeds.query(name, **{param: value})
    other = _rdflib(rdflib_seeds, name, **{param: value})
    key = [c for c in unbound.columns if c not in ("example",)]
    rows = sorted(map(tuple, expected[key].astype(str).values))
    assert rows and sorted(map(tuple, bound[key].astype(str).values)) == rows
    assert sorted(map(tuple, other[key].astype(str).values)) == rows


# -- the API and the command line ------------------------------------------------------------


def test_overlaps_shows_counts_and_pairs_on_request(
    seeds: PlanGraph, pairwise: dict[str, pd.DataFrame]
) -> None:
    for kind, concept in KINDS.items():
        counts = seeds.overlaps(kind)
        assert list(counts.columns) == list(seeds.queries[f"overlaps/shared-{kind}-counts"].columns)
        pairs = seeds.overlaps(kind, pairs=True)
        assert len(pairs) == len(pairwise[kind]) == int(counts.n_pairs.sum())
        one = str(counts[concept].iloc[0])
        bound = seeds.overlaps(kind, **{concept: one})
        assert "element_a" in bound.columns and set(bound[concept]) == {one}
        assert len(bound) == int(counts[counts[concept] == one].n_pairs.sum())
        kept = seeds.overlaps(kind, pairs=False, **{concept: one})
        assert "n_pairs" in kept.columns and set(kept[concept]) == {one}
    concepts = seeds.overlaps("concepts")
    assert concepts.n_plans.is_monotonic_decreasing
    with pytest.raises(PlangraphError, match="pairs applies"):
        seeds.overlaps("institutions", pairs=True)


def test_the_command_line_takes_pairs_and_counts() -> None:
    data = str(seeds_dataset())
    runner = CliRunner()

    def rows(*args: str) -> list[list[str]]:
        result = runner.invoke(
            main, ["--root", str(ROOT), "overlaps", "--data", data, "--format", "csv", *args]
        )
        assert result.exit_code == 0, result.output
        return list(csv.reader(io.StringIO(result.output)))

    counts = rows("--kind", "population")
    assert counts[0][-3:] == COUNT_COLUMNS
    pairs = rows("--kind", "population", "--pairs")
    assert "element_a" in pairs[0]
    assert len(pairs) - 1 == sum(int(row[-1]) for row in counts[1:])
    concept = counts[1][0]
    bound = rows("--kind", "population", "-p", f"population={concept}")
    assert "element_a" in bound[0] and {row[0] for row in bound[1:]} == {concept}
    assert rows("--kind", "population", "--counts", "-p", f"population={concept}")[0] == counts[0]
    assert rows("--kind", "concepts", "--plan", "gt-ogp-nap6-2023-2025")[0][0] == "concept"


def test_counts_are_integers(seeds: PlanGraph) -> None:
    frame = seeds.query("overlaps/shared-theme-counts")
    assert (frame[COUNT_COLUMNS].dtypes == "int64").all()
