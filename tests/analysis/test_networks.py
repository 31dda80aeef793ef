"""NetworkX builders and metrics: hand-made expectations on the fixture, and on the seeds answers
read from the plan files."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.metrics import METRIC_COLUMNS, brokers, communities, node_metrics
from plangraph.analysis.networks import OVERLAP_MEASURES, write_graphml
from tests.helpers import ROOT, seeds_dataset, xmllint_errors

PLAN = "https://w3id.org/plangraph/plan/"
INST = "https://w3id.org/plangraph/institution/"
FIXTURE = ROOT / "tests" / "data" / "queries" / "fixture.trig"


@pytest.fixture(scope="module")
def fx() -> PlanGraph:
    return open_dataset(FIXTURE, queries_dir=ROOT / "queries")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> PlanGraph:
    return open_dataset(seeds_dataset(), queries_dir=ROOT / "queries")


def _short(node: Any) -> str:
    return str(node).removeprefix(PLAN).removeprefix(INST)


def _edges(G: nx.Graph) -> set[tuple[str, str, Any]]:
    return {(*sorted((_short(a), _short(b))), w) for a, b, w in G.edges(data="weight")}


# -- fixture -----------------------------------------------------------------------------------


def test_institution_plan_graph(fx: PlanGraph) -> None:
    G = fx.network("institution-plan")
    assert G.number_of_nodes() == 9  # 3 plans, 6 institutions
    assert _edges(G) == {
        ("fx-a", "fx-minex", 1),
        ("fx-b", "fx-minex", 1),
        ("fx-a", "fx-oim", 2),
        ("fx-b", "fx-oim", 1),
        ("fx-a", "fx-mineduc", 1),
        ("fx-b", "fx-mineduc", 1),  # publisher
        ("fx-b", "fx-ong", 1),
        ("fx-c", "fx-ong", 1),
        ("fx-a", "fx-pgn", 1),
        ("fx-c", "fx-pgn", 1),
        ("fx-b", "generic-civil-society", 1),
        ("fx-c", "generic-civil-society", 1),
    }
    assert G.edges[INST + "fx-mineduc", PLAN + "fx-b"]["roles"] == ["publisher"]
    assert {d["kind"] for _, _, d in G.edges(data=True)} == {"institution-plan"}
    oim = G.nodes[INST + "fx-oim"]
    assert oim["label"] == "Organización Internacional para las Migraciones"
    assert oim["type"] == "international_organisation"
    assert oim["plans"] == [PLAN + "fx-a", PLAN + "fx-b"]
    assert oim["n_actions"] == 3 and oim["bipartite"] == 0
    plan_b = G.nodes[PLAN + "fx-b"]
    assert plan_b["type"] == "plan" and plan_b["n_actions"] == 2 and plan_b["bipartite"] == 1
    assert nx.is_bipartite(G)
    named = fx.network("institution-plan", generic=False)
    assert INST + "generic-civil-society" not in named and named.number_of_edges() == 10


def test_co_responsibility_graph(fx: PlanGraph) -> None:
    G = fx.network("co-responsibility")
    assert _edges(G) == {
        ("fx-minex", "fx-oim", 1),
        ("fx-mineduc", "fx-oim", 1),
        ("fx-mineduc", "fx-pgn", 1),
        ("fx-oim", "fx-pgn", 1),
        ("fx-minex", "fx-ong", 1),
        ("fx-minex", "generic-civil-society", 1),
        ("fx-ong", "generic-civil-society", 2),
        ("fx-pgn", "generic-civil-society", 1),
        ("fx-ong", "fx-pgn", 1),
    }
    edge = G.edges[INST + "fx-ong", INST + "generic-civil-society"]
    assert edge["plans"] == [PLAN + "fx-b", PLAN + "fx-c"] and edge["kind"] == "co-responsibility"
    strict = fx.network("co-responsibility", roles=("responsible",))
    assert sorted(map(_short, strict.nodes)) == ["fx-mineduc", "fx-minex", "fx-oim"]
    assert strict.number_of_edges() == 0
    named = fx.network("co-responsibility", generic=False)
    assert named.number_of_nodes() == 5 and named.number_of_edges() == 6


def test_plan_overlap_graph(fx: PlanGraph) -> None:
    G = fx.network("plan-overlap", measures=OVERLAP_MEASURES)
    assert _edges(G) == {("fx-a", "fx-b", 8), ("fx-a", "fx-c", 4), ("fx-b", "fx-c", 5)}
    ab = G.edges[PLAN + "fx-a", PLAN + "fx-b"]
    assert (ab["institutions"], ab["themes"], ab["populations"], ab["frameworks"]) == (3, 2, 1, 2)
    themes = fx.network("plan-overlap", measures=("themes",))
    assert _edges(themes) == {("fx-a", "fx-b", 2), ("fx-a", "fx-c", 1), ("fx-b", "fx-c", 1)}
    with pytest.raises(ValueError, match="unknown measure"):
        fx.network("plan-overlap", measures=("colour",))
    with pytest.raises(ValueError, match="not added to counts"):
        fx.network("plan-overlap", measures=("themes", "concept_similarity"))
    # the fixture has no taggings: no concept similarity, so no edge by default
    assert fx.network("plan-overlap").number_of_edges() == 0


def test_plan_overlap_weighs_specific_concepts(seeds: PlanGraph) -> None:
    # by default: the similarity of the plans' concept profiles, generic concepts discounted
    similar = seeds.network("plan-overlap")
    weights = {(_short(a), _short(b)): w for a, b, w in similar.edges(data="weight")}
    assert weights and all(0 < w <= 1 for w in weights.values())
    assert all(d["concept_similarity"] == d["weight"] for *_, d in similar.edges(data=True))

    def weight(a: str, b: str) -> float:
        return weights.get((a, b), weights.get((b, a), 0.0))

    # issue 13: counting shared themes, the CRM network plan met the open-government plan more
    # than the other CRM child-migration instrument; weighted by specificity it does not
    network, matrix, ogp = (
        "crm-nna-liaison-network-2017-2022",
        "crm-nna-reintegration-matrix",
        "gt-ogp-nap6-2023-2025",
    )
    counts = seeds.network("plan-overlap", measures=("themes",))
    themes = {(_short(a), _short(b)): w for a, b, w in counts.edges(data="weight")}
    assert themes[(network, ogp)] >= themes[(network, matrix)]
    assert weight(network, matrix) > 2 * weight(network, ogp)
    assert max(weights, key=weights.get) == (network, matrix)


def test_similarity_graph(fx: PlanGraph) -> None:
    G = fx.network("similarity", threshold=0.7)
    assert G.number_of_nodes() == 3 and G.number_of_edges() == 3
    a1, c1 = PLAN + "fx-a/result-1/action-1.1", PLAN + "fx-c/action-1"
    assert G.edges[a1, c1]["weight"] == pytest.approx(1.0)
    assert G.nodes[c1]["plans"] == [PLAN + "fx-c"] and G.nodes[c1]["n_actions"] == 1
    assert G.nodes[c1]["type"] == "action"
    assert fx.network("similarity", threshold=0.95).number_of_edges() == 1


def test_node_metrics(fx: PlanGraph) -> None:
    frame = fx.metrics("co-responsibility")
    assert list(frame.columns) == METRIC_COLUMNS
    by = frame.set_index(frame.node.map(_short))
    assert by.loc["fx-pgn", "degree"] == 4 and by.loc["fx-mineduc", "degree"] == 2
    assert by.loc["fx-ong", "weighted_degree"] == 4
    assert by.loc["fx-pgn", "degree_centrality"] == pytest.approx(4 / 5)
    # PGN bridges {MINEDUC, OIM} and {MINEX, ONG, civil society}: the most between
    assert _short(frame.node.iloc[0]) == "fx-pgn"
    assert by.loc["fx-pgn", "betweenness"] == pytest.approx(0.3)
    assert by.loc["fx-mineduc", "betweenness"] == 0
    groups = by.groupby("community").groups
    assert sorted(sorted(g) for g in groups.values()) == [
        ["fx-mineduc", "fx-oim", "fx-pgn"],
        ["fx-minex", "fx-ong", "generic-civil-society"],
    ]


def test_communities_are_reproducible(fx: PlanGraph) -> None:
    G = fx.network("institution-plan")
    assert communities(G, seed=7) == communities(G, seed=7)
    assert {n for c in communities(G) for n in c} == set(G.nodes)
    assert communities(nx.Graph()) == []
    assert node_metrics(nx.Graph()).empty


def test_brokers(fx: PlanGraph) -> None:
    frame = fx.brokers()
    assert [
        (_short(r.institution), _short(r.plan_a), _short(r.plan_b)) for r in frame.itertuples()
    ] == [("fx-pgn", "fx-a", "fx-c")]
    named = fx.brokers(generic=False)
    assert sorted(
        (_short(r.institution), _short(r.plan_a), _short(r.plan_b)) for r in named.itertuples()
    ) == [
        ("fx-ong", "fx-b", "fx-c"),
        ("fx-pgn", "fx-a", "fx-c"),
    ]


def test_graphml_export(fx: PlanGraph, tmp_path: Path) -> None:
    target = tmp_path / "g.graphml"
    G = fx.network("co-responsibility")
    write_graphml(G, target)
    assert xmllint_errors(target, "graphml") == ""  # issue 15 item 16: IRIs as node ids
    back = nx.read_graphml(target)
    assert back.nodes["institution.fx-oim"]["iri"] == INST + "fx-oim"
    assert back.nodes["institution.fx-oim"]["plans"] == f"{PLAN}fx-a; {PLAN}fx-b"
    assert sorted(iri for _, iri in back.nodes(data="iri")) == sorted(G.nodes)
    assert back.number_of_edges() == 9


# -- seeds -------------------------------------------------------------------------------------


def _institution_plans() -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)

    def walk(elements: list[dict[str, Any]]) -> Any:
        for el in elements or []:
            yield el
            yield from walk(el.get("children") or [])

    for path in sorted((ROOT / "graph" / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pid = data["plan"]["id"]
        for inst in data["plan"].get("issuer") or []:
            out[inst].add(pid)
        for el in walk(data["elements"]):
            for part in el.get("institutions") or []:
                out[part["id"]].add(pid)
    return out


def test_seed_bipartite_graph_matches_the_plan_files(seeds: PlanGraph) -> None:
    G = seeds.network("institution-plan")
    for inst, plans in _institution_plans().items():
        assert {_short(p) for p in G.neighbors(INST + inst)} == plans, inst
    assert {_short(p) for p in G.neighbors(INST + "gt-conamigua")} == {
        "gt-congress-migrants-commission-2009-2012",
        "gt-ogp-nap6-2023-2025",
    }


def test_seed_brokers_match_the_plan_files(seeds: PlanGraph) -> None:
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for inst, plans in _institution_plans().items():
        for a, b in combinations(sorted(plans), 2):
            shared[(a, b)].add(inst)
    expected = {(next(iter(i)), a, b) for (a, b), i in shared.items() if len(i) == 1}
    got = {
        (_short(r.institution), _short(r.plan_a), _short(r.plan_b))
        for r in seeds.brokers().itertuples()
    }
    assert got == expected
    assert brokers(seeds.network("institution-plan")).shape[0] == len(expected)


def test_seed_co_responsibility_metrics(seeds: PlanGraph) -> None:
    G = seeds.network("co-responsibility", generic=False)
    assert not any(d["generic"] for _, d in G.nodes(data=True))
    frame = node_metrics(G)
    assert len(frame) == G.number_of_nodes()
    assert frame.betweenness.between(0, 1).all()
    assert frame.community.ge(0).all()
    assert (frame.betweenness.diff().dropna() <= 1e-12).all()  # sorted by betweenness
