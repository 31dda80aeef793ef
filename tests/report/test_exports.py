"""``plangraph map``: the networks as GraphML, GEXF, Cytoscape.js JSON, CSV, HTML, PNG and SVG,
re-read by networkx (as Gephi and Cytoscape would read them) and driven in headless Chromium."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.kinds import NETWORK_KINDS as KINDS
from plangraph.cli.main import main
from plangraph.report.exports import build_graph, write_map
from tests.helpers import ROOT, seeds_dataset, xmllint_errors

NODE_ATTRS = {
    "label",
    "type",
    "plans",
    "n_actions",
    "community",
    "kind",
    "full_name",
    "n_plans",
    "iri",
}
EDGE_ATTRS = {"weight", "kind"}
PLAN = "https://w3id.org/plangraph/plan/"
CONAMIGUA = "https://w3id.org/plangraph/institution/gt-conamigua"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("maps")
    nquads = seeds_dataset()
    return {"nquads": nquads, "pg": open_dataset(nquads), "dir": tmp}


def write(seeds: dict[str, Any], kind: str, fmt: str) -> Path:
    out = seeds["dir"] / f"{kind}.{fmt}"
    if not out.exists():
        write_map(kind, fmt, seeds["pg"], out)
    return out


def read(path: Path) -> Any:
    """A GraphML or GEXF export as networkx reads it, its nodes named by their ``iri``."""
    G = nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)
    return nx.relabel_nodes(G, {node: iri for node, iri in G.nodes(data="iri")})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_are_valid_against_the_published_schemas(
    seeds: dict[str, Any], kind: str, fmt: str
) -> None:
    """Issue 15 item 16: node ids were IRIs (not xs:NMTOKEN) and GEXF's <graph> had name=""."""
    assert xmllint_errors(write(seeds, kind, fmt), fmt) == ""


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_reread_by_networkx_have_the_same_nodes_and_edges(
    seeds: dict[str, Any], kind: str, fmt: str
) -> None:
    graphs = seeds.setdefault("graphs", {})
    G = graphs.setdefault(kind, build_graph(kind, seeds["pg"]))
    assert not G.is_directed() and not G.is_multigraph()
    back = read(write(seeds, kind, fmt))
    assert sorted(back.nodes) == sorted(G.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in G.edges}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_reread_by_networkx_carry_the_attributes(
    seeds: dict[str, Any], kind: str, fmt: str
) -> None:
    path = write(seeds, kind, fmt)
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert G.number_of_nodes() > 0
    assert G.number_of_edges() > 0
    for node, data in G.nodes(data=True):
        assert set(data) >= NODE_ATTRS, (node, sorted(data))
        for key, value in data.items():
            if key != "viz":
                assert isinstance(value, str | int | float), (node, key, value)
    for a, b, data in G.edges(data=True):
        assert set(data) >= EDGE_ATTRS, (a, b, sorted(data))
        assert float(data["weight"]) > 0


def test_institution_network_knows_who_is_in_which_plans(seeds: dict[str, Any]) -> None:
    G = read(write(seeds, "institutions", "graphml"))
    node = G.nodes[CONAMIGUA]
    plans = set(str(node["plans"]).split("; "))
    assert {"gt-congress-migrants-commission-2009-2012", "gt-ogp-nap6-2023-2025"} <= plans
    assert node["n_plans"] == len(plans)
    assert node["kind"] == "institution" and node["label"] == "CONAMIGUA"
    assert all(G.edges[e]["kind"] == "co-responsibility" for e in G.edges)
    communities = {d["community"] for _, d in G.nodes(data=True)}
    assert len(communities) > 1


def test_bipartite_and_plan_graphs(seeds: dict[str, Any]) -> None:
    B = read(write(seeds, "institution-plan", "gexf"))
    kinds = {d["kind"] for _, d in B.nodes(data=True)}
    assert kinds == {"institution", "plan"}
    assert B.has_edge(PLAN + "gt-ogp-nap6-2023-2025", CONAMIGUA) or B.has_edge(
        CONAMIGUA, PLAN + "gt-ogp-nap6-2023-2025"
    )
    P = read(write(seeds, "plans", "graphml"))
    assert P.number_of_nodes() == len(list((ROOT / "graph" / "plans").glob("*.yaml")))
    edge = next(iter(P.edges(data=True)))[2]
    assert {"institutions", "themes", "populations", "frameworks"} <= set(edge)


def test_gexf_carries_gephi_colours_and_positions(seeds: dict[str, Any]) -> None:
    text = write(seeds, "institutions", "gexf").read_text(encoding="utf-8")
    assert "<viz:color" in text and "<viz:position" in text and "<viz:size" in text


def test_cytoscape_json(seeds: dict[str, Any]) -> None:
    data = json.loads(write(seeds, "institutions", "cyjs").read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert nodes and edges
    assert {"id", "name", "label", "type", "community"} <= set(nodes[0]["data"])
    assert {"x", "y"} <= set(nodes[0]["position"])
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert all("weight" in e["data"] for e in edges)


def test_csv_edge_list(seeds: dict[str, Any]) -> None:
    path = write(seeds, "plans", "csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    G = nx.read_graphml(write(seeds, "plans", "graphml"))
    assert len(rows) == G.number_of_edges()
    assert {"source", "target", "source_label", "target_label", "weight", "kind"} <= set(rows[0])


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_static_figures_write_only_the_file_asked(seeds: dict[str, Any], fmt: str) -> None:
    path = write(seeds, "plans", fmt)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data[:2000]
    assert not list(seeds["dir"].glob(".map-*"))


def test_cli_map_writes_the_file_and_says_where(seeds: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "m.graphml"
    result = CliRunner().invoke(
        main,
        [
            "--root",
            str(ROOT),
            "map",
            "plans",
            "--format",
            "graphml",
            "--data",
            str(seeds["nquads"]),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("m.graphml")
    assert nx.read_graphml(out).number_of_nodes() > 0
    bad = CliRunner().invoke(main, ["--root", str(ROOT), "map", "nowhere"])
    assert bad.exit_code == 2


def test_html_map_in_chromium(browser: Any, seeds: dict[str, Any], tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(write(seeds, "institutions", "html").as_uri())
    nodes = page.locator("#map-net svg circle.node")
    everything = nodes.count()
    assert everything > 0
    page.select_option("#map-plan", "gt-crm-workshop-nna-plan")
    assert 0 < nodes.count() < everything
    page.select_option("#map-plan", "")
    page.fill("#map-search", "CONAMIGUA")
    assert nodes.count() >= 1
    page.screenshot(path=str(tmp_path / "map.png"))
    assert not errors, errors
    page.close()


def test_layout_is_the_same_in_every_process() -> None:
    """Positions do not depend on the hash seed (set order) of the process that computes them."""
    import subprocess
    import sys

    script = (
        "import networkx as nx\n"
        "from plangraph.report.exports.graph import _layout\n"
        "G = nx.Graph()\n"
        "G.add_edges_from((f'n{i}', f'n{(i * 7) % 23}') for i in range(23))\n"
        "G.add_edges_from([('a', 'b'), ('b', 'c'), ('x', 'y')])\n"
        "G.add_node('alone')\n"
        "print(sorted(_layout(G).items()))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
