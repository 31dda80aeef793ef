"""The overlap, gap and report queries: every query on the seed graph, answers known from the plan
files (read here with PyYAML, independently of the compiler), and a hand-made expected answer
per overlap/gap query on the fixture tests/data/queries/fixture.trig."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import yaml

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.catalogue import catalogue
from plangraph.analysis.similarity import DEFAULT_THRESHOLD
from tests.helpers import ROOT, seeds_dataset

PLAN = "https://w3id.org/plangraph/plan/"
INST = "https://w3id.org/plangraph/institution/"
FIXTURE = ROOT / "tests" / "data" / "queries" / "fixture.trig"
INTERVENTION_KINDS = {"action", "milestone", "activity", "immediate_step"}
NETWORK = "crm-nna-liaison-network-2017-2022"
CONGRESS = "gt-congress-migrants-commission-2009-2012"
OGP = "gt-ogp-nap6-2023-2025"
WORKSHOP = "gt-crm-workshop-nna-plan"
MATRIX = "crm-nna-reintegration-matrix"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> PlanGraph:
    """The seed plans, built once for this module into a temporary directory."""
    return open_dataset(seeds_dataset(), queries_dir=ROOT / "queries")


@pytest.fixture(scope="module")
def fx() -> PlanGraph:
    return open_dataset(FIXTURE, queries_dir=ROOT / "queries")


# -- the plan files, read directly ------------------------------------------------------------


def _plan_files() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "graph" / "plans").glob("*.yaml"))
    ]


def _walk(
    elements: list[dict[str, Any]], ancestors: tuple[dict[str, Any], ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    for el in elements or []:
        yield el, ancestors
        yield from _walk(el.get("children") or [], (*ancestors, el))


def _institution_plans() -> dict[str, set[str]]:
    """Institution id → plan ids it takes part in (any element, any role) or publishes."""
    out: dict[str, set[str]] = defaultdict(set)
    for data in _plan_files():
        pid = data["plan"]["id"]
        for inst in data["plan"].get("issuer") or []:
            out[inst].add(pid)
        for el, _ in _walk(data["elements"]):
            for part in el.get("institutions") or []:
                out[part["id"]].add(pid)
    return out


def _ids(series: pd.Series, base: str) -> list[str]:
    return [str(v).removeprefix(base) for v in series]


# -- every query on the seeds -------------------------------------------------------------------

NAMES = sorted(catalogue())
MY_QUERIES = [n for n in NAMES if n.split("/")[0] in ("overlaps", "gaps", "reports")]


def test_the_catalogue_has_the_library() -> None:
    for name in (
        "overlaps/institutions-across-plans",
        "overlaps/shared-theme",
        "overlaps/shared-population",
        "overlaps/shared-framework",
        "overlaps/plan-matrix",
        "gaps/no-responsible",
        "gaps/no-timeframe",
        "gaps/results-without-actions",
        "gaps/no-indicator",
        "gaps/declared-population-unserved",
        "gaps/gcm-objectives-unserved",
        "gaps/sdg-targets-unserved",
        "gaps/themes-single-plan",
        "gaps/plans-in-force",
        "gaps/untimed-actions",
    ):
        assert name in NAMES


@pytest.mark.parametrize("name", MY_QUERIES)
def test_query_runs_on_the_seeds_with_its_declared_columns(seeds: PlanGraph, name: str) -> None:
    named = seeds.queries[name]
    assert named.title and named.description
    frame = seeds.query(name, **({"on": "2024-01-01"} if name == "gaps/plans-in-force" else {}))
    assert list(frame.columns) == list(named.columns)
    for param in named.params:
        assert param.kind.split(",")[0].strip() in ("IRI", "literal", "date"), param
        assert param.name in named.columns, f"{name}: a parameter must be a projected column"


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("qc/")])
def test_qc_queries_keep_returning_nothing(seeds: PlanGraph, fx: PlanGraph, name: str) -> None:
    assert len(seeds.query(name)) == 0
    assert len(fx.query(name)) == 0


# -- known answers on the seeds, read from the plan files ------------------------------------


def test_institutions_in_several_plans_match_the_plan_files(seeds: PlanGraph) -> None:
    expected = {i: p for i, p in _institution_plans().items() if len(p) > 1}
    frame = seeds.overlaps("institutions")
    got: dict[str, set[str]] = defaultdict(set)
    for row in frame.itertuples():
        got[row.institution.removeprefix(INST)].add(row.plan.removeprefix(PLAN))
        assert row.n_plans > 1
    assert got == expected
    # read from the files: CONAMIGUA is named in the congress commission's plan (003) and in the
    # open-government plan (004), and nowhere else
    assert got["gt-conamigua"] == {CONGRESS, OGP}
    assert got["gt-mineduc"] == {CONGRESS, WORKSHOP, OGP}
    conamigua = frame[frame.institution == INST + "gt-conamigua"].set_index("plan")
    assert conamigua.loc[PLAN + CONGRESS, "roles"] == "involved"
    assert conamigua.loc[PLAN + OGP, "n_elements"] >= 1


def test_institution_roles_per_plan_match_the_plan_files(seeds: PlanGraph) -> None:
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for data in _plan_files():
        pid = data["plan"]["id"]
        for inst in data["plan"].get("issuer") or []:
            roles[(inst, pid)].add("publisher")
        for el, _ in _walk(data["elements"]):
            for part in el.get("institutions") or []:
                roles[(part["id"], pid)].add(part["role"])
    for row in seeds.overlaps("institutions").itertuples():
        key = (row.institution.removeprefix(INST), row.plan.removeprefix(PLAN))
        assert set(row.roles.split(", ")) == roles[key], key


def test_repeated_result_of_the_network_plan_is_a_near_duplicate(seeds: PlanGraph) -> None:
    texts = seeds.query("reports/element-texts", plan=PLAN + NETWORK)
    text = "Contar con redes de expertos para apoyar las labores consulares de protección."
    repeated = texts[texts.text == text]
    assert sorted(repeated.first_line) == [462, 580]  # the two source lines
    pairs = seeds.overlaps("similar")
    match = pairs[pairs.element_a.isin(repeated.element) & pairs.element_b.isin(repeated.element)]
    assert len(match) == 1
    assert match.score.iloc[0] == pytest.approx(1.0, abs=1e-6)
    assert bool(match.same_plan.iloc[0])
    assert "experto" in match.shared_terms.iloc[0]


def test_near_duplicates_scope_and_threshold(seeds: PlanGraph) -> None:
    everything = seeds.overlaps("similar", threshold=0.2, top_k=500)
    within = seeds.overlaps("similar", threshold=0.2, scope="within", top_k=500)
    across = seeds.overlaps("similar", threshold=0.2, scope="across", top_k=500)
    assert len(within) + len(across) == len(everything)
    assert within.same_plan.all() and not across.same_plan.any()
    assert (everything.score >= 0.2).all()
    default = seeds.overlaps("similar")
    assert (default.score >= DEFAULT_THRESHOLD).all() and len(default) < len(everything)


# no-responsible, no-timeframe, results-without-actions and the structure they respect: see
# tests/analysis/test_gaps_structure.py


def test_actions_without_indicators(seeds: PlanGraph) -> None:
    expected = 0
    for data in _plan_files():
        for el, ancestors in _walk(data["elements"]):
            if el["kind"] in INTERVENTION_KINDS and not any(
                e.get("indicators") for e in (*ancestors, el)
            ):
                expected += 1
    assert len(seeds.gaps("no-indicator")) == expected


@pytest.mark.parametrize(
    ("day", "states"),
    [
        (
            "2010-05-01",
            {NETWORK: "not yet in force", CONGRESS: "in force", OGP: "not yet in force"},
        ),
        ("2022-12-31", {NETWORK: "in force", CONGRESS: "lapsed", OGP: "not yet in force"}),
        ("2023-01-01", {NETWORK: "lapsed", CONGRESS: "lapsed", OGP: "not yet in force"}),
        ("2023-06-30", {NETWORK: "lapsed", CONGRESS: "lapsed", OGP: "in force"}),
        ("2025-06-30", {NETWORK: "lapsed", CONGRESS: "lapsed", OGP: "in force"}),
        ("2025-07-01", {NETWORK: "lapsed", CONGRESS: "lapsed", OGP: "lapsed"}),
    ],
)
def test_plans_in_force(seeds: PlanGraph, day: str, states: dict[str, str]) -> None:
    # periods printed: network 2017-2022, congress 2009-2012, OGP 30 June 2023 - 30 June 2025;
    # the workshop plan and the reintegration matrix print none
    frame = seeds.gaps("plans-in-force", on=day)
    got = dict(zip(_ids(frame.plan, PLAN), frame.state, strict=True))
    assert got == {**states, WORKSHOP: "no period", MATRIX: "no period"}
    assert set(frame.day) == {day}


def test_plans_in_force_defaults_to_today(seeds: PlanGraph) -> None:
    import datetime as dt

    frame = seeds.query("gaps/plans-in-force")
    assert set(frame.day) == {dt.date.today().isoformat()}
    assert frame.on.isna().all()


def test_derived_gaps_are_consistent_on_the_seeds(seeds: PlanGraph) -> None:
    """The derived graph of the seeds changes with the tagger: check what must hold."""
    ask = "ASK {{ ?e <https://w3id.org/plangraph/ontology#alignedWith> <{}> }}"
    for objective in seeds.gaps("gcm-objectives-unserved").objective:
        assert not seeds.sparql(ask.format(objective)).ask[0]
    everywhere = set(seeds.gaps("gcm-objectives-unserved").objective)
    for plan_id in (NETWORK, OGP):
        per_plan = seeds.gaps("gcm-objectives-unserved", plan=PLAN + plan_id)
        assert everywhere <= set(per_plan.objective)
        assert set(per_plan.plan) <= {PLAN + plan_id}
    targets = seeds.gaps("sdg-targets-unserved")
    for row in targets.itertuples():
        assert row.target.startswith(row.goal + ".")
        assert not seeds.sparql(ask.format(row.target)).ask[0]
    declared = seeds.gaps("declared-population-unserved")
    for row in declared.itertuples():
        assert row.declared.startswith(row.plan + "/")
    single = seeds.gaps("themes-single-plan")
    assert not single.theme.duplicated().any()
    untimed = seeds.gaps("untimed-actions")
    timed = seeds.sparql(
        "SELECT ?e WHERE { ?e <https://w3id.org/plangraph/ontology#hasTimeframe> ?t }"
    )
    assert not set(untimed.element) & set(timed.e)


def test_shared_concept_pairs_are_across_plans_and_action_level(seeds: PlanGraph) -> None:
    texts = seeds.query("reports/element-texts")
    action_level = set(texts[texts.action_level.astype(bool)].element)
    for kind in ("theme", "population", "framework"):
        frame = seeds.overlaps(kind)
        assert (frame.plan_a < frame.plan_b).all()
        assert set(frame.element_a) | set(frame.element_b) <= action_level


def test_plan_matrix_on_the_seeds_counts_shared_institutions(seeds: PlanGraph) -> None:
    inst = _institution_plans()
    square = seeds.plan_matrix("institutions")
    ids = [PLAN + p for p in (NETWORK, MATRIX, CONGRESS, WORKSHOP, OGP)]
    for a in ids:
        for b in ids:
            pa, pb = a.removeprefix(PLAN), b.removeprefix(PLAN)
            expected = sum(1 for plans in inst.values() if pa in plans and pb in plans)
            assert square.loc[a, b] == expected, (pa, pb)


def test_bound_literals_are_values_not_query_text(fx: PlanGraph) -> None:
    hostile = 'action" } UNION { ?element ?p ?o } #'
    assert len(fx.query("reports/element-texts", kind=hostile)) == 0
    assert len(fx.query("reports/element-texts", kind="action")) == 4


# -- hand-made expected answers on the fixture -------------------------------------------------


def _short(values: Any) -> list[str]:
    return [str(v).removeprefix(PLAN).removeprefix(INST) for v in values]


def test_fixture_institutions_across_plans(fx: PlanGraph) -> None:
    frame = fx.overlaps("institutions")
    got = {
        (i, p): r
        for i, p, r in zip(_short(frame.institution), _short(frame.plan), frame.roles, strict=True)
    }
    assert got == {
        ("fx-minex", "fx-a"): "responsible",
        ("fx-minex", "fx-b"): "responsible",
        ("fx-mineduc", "fx-a"): "responsible",
        ("fx-mineduc", "fx-b"): "publisher",
        ("fx-oim", "fx-a"): "involved, supporting",
        ("fx-oim", "fx-b"): "responsible",
        ("fx-ong", "fx-b"): "supporting",
        ("fx-ong", "fx-c"): "supporting",
        ("fx-pgn", "fx-a"): "involved",
        ("fx-pgn", "fx-c"): "supporting",
        ("generic-civil-society", "fx-b"): "involved",
        ("generic-civil-society", "fx-c"): "involved",
    }
    oim_a = frame[(frame.institution == INST + "fx-oim") & (frame.plan == PLAN + "fx-a")]
    assert oim_a.n_elements.iloc[0] == 2 and oim_a.n_actions.iloc[0] == 2
    assert set(frame[frame.is_generic].institution) == {INST + "generic-civil-society"}
    one = fx.overlaps("institutions", institution=INST + "fx-pgn")
    assert _short(one.plan) == ["fx-a", "fx-c"]


def test_fixture_shared_theme(fx: PlanGraph) -> None:
    frame = fx.overlaps("theme")
    got = sorted(
        (t.rsplit("/", 1)[1], a, b)
        for t, a, b in zip(
            frame.theme, _short(frame.element_a), _short(frame.element_b), strict=True
        )
    )
    assert got == [
        ("education", "fx-a/strategic-line-i/result-3/action-3.1", "fx-b/commitment-1/milestone-2"),
        ("protection", "fx-a/result-1/action-1.1", "fx-b/commitment-1/milestone-1"),
        ("protection", "fx-a/result-1/action-1.1", "fx-c/action-1"),
        ("protection", "fx-a/result-1/action-1.2", "fx-b/commitment-1/milestone-1"),
        ("protection", "fx-a/result-1/action-1.2", "fx-c/action-1"),
        ("protection", "fx-b/commitment-1/milestone-1", "fx-c/action-1"),
    ]  # fx-a's result-1 is tagged too, but is not action-level
    only = fx.overlaps("theme", theme="https://w3id.org/plangraph/vocab/theme/education")
    assert len(only) == 1 and only.theme_label.iloc[0] == "Educación"


def test_fixture_shared_population(fx: PlanGraph) -> None:
    frame = fx.overlaps("population")
    assert set(frame.population) == {"https://w3id.org/plangraph/vocab/population/migrant-children"}
    assert sorted(zip(_short(frame.element_a), _short(frame.element_b), strict=True)) == [
        ("fx-a/result-1/action-1.1", "fx-b/commitment-1/milestone-1"),
        ("fx-a/result-1/action-1.1", "fx-c/action-1"),
        ("fx-b/commitment-1/milestone-1", "fx-c/action-1"),
    ]


def test_fixture_shared_framework(fx: PlanGraph) -> None:
    frame = fx.overlaps("framework")
    got = sorted(
        (n, a, b)
        for n, a, b in zip(
            frame.notation, _short(frame.element_a), _short(frame.element_b), strict=True
        )
    )
    assert got == [
        ("1", "fx-a/result-1/action-1.1", "fx-b/commitment-1/milestone-1"),
        ("1", "fx-a/result-1/action-1.1", "fx-c/action-1"),
        ("1", "fx-b/commitment-1/milestone-1", "fx-c/action-1"),
        ("10.7", "fx-a/result-1/action-1.1", "fx-b/commitment-1/milestone-2"),
    ]
    sdg = fx.overlaps("framework", framework="https://w3id.org/plangraph/vocab/sdg")
    assert list(sdg.notation) == ["10.7"]


def test_fixture_plan_matrix(fx: PlanGraph) -> None:
    long = fx.overlaps("matrix")
    assert len(long) == 9  # every ordered pair, zeros filled
    expected = {
        "institutions": [[4, 3, 1], [3, 5, 2], [1, 2, 3]],
        "named_institutions": [[4, 3, 1], [3, 4, 1], [1, 1, 2]],
        "themes": [[2, 2, 1], [2, 3, 1], [1, 1, 2]],
        "populations": [[2, 1, 1], [1, 1, 1], [1, 1, 1]],
        "frameworks": [[3, 2, 1], [2, 3, 1], [1, 1, 1]],
    }
    for measure, matrix in expected.items():
        square = fx.plan_matrix(measure)
        assert _short(square.index) == ["fx-a", "fx-b", "fx-c"]
        assert square.to_numpy().tolist() == matrix, measure


def test_fixture_no_responsible(fx: PlanGraph) -> None:
    frame = fx.gaps("no-responsible")
    assert _short(frame.element) == ["fx-a/result-1/action-1.2", "fx-c/action-1"]
    # no institution at all: an empty roles cell (COALESCE keeps the query portable to engines
    # that reject GROUP_CONCAT over unbound values)
    assert frame.roles.iloc[0] == ""
    assert set(frame.roles.iloc[1].split(", ")) == {"supporting", "involved"}
    assert len(fx.gaps("no-responsible", plan=PLAN + "fx-b")) == 0


def test_fixture_no_timeframe(fx: PlanGraph) -> None:
    frame = fx.gaps("no-timeframe")
    assert _short(frame.element) == ["fx-a/result-1/action-1.2", "fx-c/action-1"]
    assert frame.timeframe_text.iloc[0] == "Por definir" and frame.timeframe_text.isna().iloc[1]


def test_fixture_untimed_actions(fx: PlanGraph) -> None:
    frame = fx.gaps("untimed-actions")
    assert _short(frame.element) == ["fx-a/result-1/action-1.2", "fx-b/commitment-1/milestone-2"]
    assert list(frame.timeframe_text) == ["Por definir", "start: Agosto 2023"]


def test_fixture_results_without_actions(fx: PlanGraph) -> None:
    frame = fx.gaps("results-without-actions")
    # not fx-b's milestone-1/result-1 (a milestone's expected result), nor its
    # commitment-1/result-2 (a commitment's result, delivered by the milestones beside it)
    assert _short(frame.element) == ["fx-a/result-2", "fx-a/strategic-line-ii"]
    assert list(frame.parent_kind) == ["plan", "plan"]


def test_fixture_no_indicator(fx: PlanGraph) -> None:
    frame = fx.gaps("no-indicator")
    assert _short(frame.element) == [
        "fx-a/result-1/action-1.1",
        "fx-a/result-1/action-1.2",
        "fx-b/commitment-1/milestone-1",
        "fx-b/commitment-1/milestone-2",
    ]  # action-3.1 is under an indicated line; fx-c's action has its own indicator


def test_fixture_declared_population_unserved(fx: PlanGraph) -> None:
    frame = fx.gaps("declared-population-unserved")
    # fx-a's "personas migrantes" is served by an action for migrant children (narrower), its
    # "mujeres" only by a result (not action-level); fx-c's "otros grupos" is not resolved
    assert _short(frame.declared) == ["fx-a/population-2"]
    assert list(frame.population_label) == ["Mujeres"]
    assert len(fx.gaps("declared-population-unserved", plan=PLAN + "fx-b")) == 0


def test_fixture_gcm_objectives_unserved(fx: PlanGraph) -> None:
    assert list(fx.gaps("gcm-objectives-unserved").notation) == ["2"]
    per_plan = fx.gaps("gcm-objectives-unserved", plan=PLAN + "fx-b")
    assert list(per_plan.notation) == ["2", "3"]
    assert set(per_plan.plan) == {PLAN + "fx-b"}


def test_fixture_sdg_targets_unserved(fx: PlanGraph) -> None:
    frame = fx.gaps("sdg-targets-unserved")
    assert list(frame.notation) == ["5.2", "10.2"]  # goal 16 is served by nobody: not listed
    assert list(fx.gaps("sdg-targets-unserved", plan=PLAN + "fx-a").notation) == ["10.2"]
    assert len(fx.gaps("sdg-targets-unserved", plan=PLAN + "fx-c")) == 0


def test_fixture_themes_single_plan(fx: PlanGraph) -> None:
    frame = fx.gaps("themes-single-plan")
    got = [(t.rsplit("/", 1)[1], p) for t, p in zip(frame.theme, _short(frame.plan), strict=True)]
    assert got == [("data", "fx-b"), ("health", "fx-c")]
    assert list(fx.gaps("themes-single-plan", plan=PLAN + "fx-c").label) == ["Salud"]


@pytest.mark.parametrize(
    ("day", "states"),
    [
        ("2019-12-31", ["not yet in force", "not yet in force", "no period"]),
        ("2020-01-01", ["in force", "not yet in force", "no period"]),
        ("2022-12-31", ["in force", "not yet in force", "no period"]),
        ("2023-06-29", ["lapsed", "not yet in force", "no period"]),
        ("2024-01-01", ["lapsed", "in force", "no period"]),
        ("2025-07-01", ["lapsed", "lapsed", "no period"]),
    ],
)
def test_fixture_plans_in_force(fx: PlanGraph, day: str, states: list[str]) -> None:
    frame = fx.gaps("plans-in-force", on=day)
    assert list(frame.state) == states
    assert list(frame.start.fillna("")) == ["2020", "2023-06-30", ""]


def test_fixture_near_duplicates(fx: PlanGraph) -> None:
    # the fixture has no derived graph: no concepts, the score is the text score
    pairs = fx.overlaps("similar", threshold=0.7)
    got = [
        (a, b, round(s, 2))
        for a, b, s in zip(
            _short(pairs.element_a), _short(pairs.element_b), pairs.score, strict=True
        )
    ]
    assert got == [
        ("fx-a/result-1/action-1.1", "fx-c/action-1", 1.0),
        ("fx-a/result-1/action-1.1", "fx-a/result-1/action-1.2", 0.74),
        ("fx-a/result-1/action-1.2", "fx-c/action-1", 0.74),
    ]
    assert list(fx.overlaps("similar", threshold=0.7, scope="across").same_plan) == [False, False]
    assert len(fx.overlaps("similar", threshold=0.95)) == 1
    assert len(fx.overlaps("similar", threshold=0.7, plan=PLAN + "fx-a")) == 1
