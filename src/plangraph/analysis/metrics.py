"""Metrics of the plangraph networks: centrality, communities, brokers.

- **degree**: number of neighbours; **weighted_degree**: sum of edge weights; **degree_centrality**:
  degree / (n - 1) (networkx);
- **betweenness**: share of shortest paths through the node (networkx, normalised, edges
  unweighted: a weight here measures how much two nodes share, not a distance). Above
  :data:`EXACT_BETWEENNESS_NODES` nodes it is estimated from that many sampled sources, with
  the fixed seed;
- **community**: Louvain communities (``networkx.community.louvain_communities``, on the edge
  weights, fixed seed so runs agree), numbered from 0 by decreasing size;
- **brokers**: in the institution–plan graph, an institution that is the only one taking part in
  both plans of a pair: take it away and the two plans share no one.

>>> import networkx as nx
>>> B = nx.Graph()
>>> B.add_nodes_from(["p1", "p2", "p3"], node_kind="plan", label="")
>>> B.add_nodes_from(["i1", "i2", "i3"], node_kind="institution", label="")
>>> B.add_edges_from([("i1", "p1"), ("i1", "p2"), ("i2", "p2"), ("i2", "p3"), ("i3", "p2"),
...                   ("i3", "p3")])
>>> brokers(B)[["institution", "plan_a", "plan_b"]].values.tolist()
[['i1', 'p1', 'p2']]
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

DEFAULT_SEED = 42
"""Seed of the Louvain communities and of sampled betweenness."""
EXACT_BETWEENNESS_NODES = 2000
"""Up to this many nodes betweenness is exact; above, estimated from this many sources."""

METRIC_COLUMNS = [
    "node",
    "label",
    "node_kind",
    "type",
    "n_plans",
    "n_actions",
    "degree",
    "weighted_degree",
    "degree_centrality",
    "betweenness",
    "community",
]


def communities(
    G: nx.Graph, seed: int = DEFAULT_SEED, weight: str | None = "weight"
) -> list[set[str]]:
    """Louvain communities, largest first (ties: by smallest node id).

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> [sorted(c) for c in communities(G)]
    [['a', 'b', 'c'], ['x', 'y']]
    """
    import networkx as nx

    if G.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(G, weight=weight, seed=seed)
    return sorted(({str(n) for n in c} for c in found), key=lambda c: (-len(c), min(c)))


def node_metrics(G: nx.Graph, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per node: its attributes, degree, weighted degree, degree centrality,
    betweenness and Louvain community (columns :data:`METRIC_COLUMNS`), by decreasing
    betweenness then degree."""
    import networkx as nx
    import pandas as pd

    if G.number_of_nodes() == 0:
        return pd.DataFrame(columns=METRIC_COLUMNS)
    n = G.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_NODES else EXACT_BETWEENNESS_NODES
    between = nx.betweenness_centrality(G, k=k, normalized=True, weight=None, seed=seed)
    centrality = nx.degree_centrality(G)
    community_of = {node: i for i, c in enumerate(communities(G, seed)) for node in c}
    rows = []
    for node, data in G.nodes(data=True):
        rows.append(
            [
                node,
                data.get("label", ""),
                data.get("node_kind", ""),
                data.get("type", ""),
                len(data.get("plans", ())),
                data.get("n_actions", 0),
                G.degree(node),
                G.degree(node, weight="weight"),
                centrality[node],
                between[node],
                community_of.get(str(node), -1),
            ]
        )
    frame = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    return frame.sort_values(
        ["betweenness", "degree", "node"], ascending=[False, False, True], ignore_index=True
    )


def brokers(B: nx.Graph) -> pd.DataFrame:
    """Institutions that alone connect two plans, in an institution–plan graph.

    Columns: ``institution, label, plan_a, plan_b, plan_a_label, plan_b_label``; one row per pair
    of plans sharing exactly one institution.
    """
    import pandas as pd

    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, data in B.nodes(data=True):
        if data.get("node_kind") != "institution":
            continue
        plans = sorted(str(p) for p in B.neighbors(node) if B.nodes[p].get("node_kind") == "plan")
        for a, b in combinations(plans, 2):
            shared[(a, b)].append(str(node))
    rows: list[list[Any]] = []
    for (a, b), insts in sorted(shared.items()):
        if len(insts) == 1:
            inst = insts[0]
            rows.append(
                [
                    inst,
                    B.nodes[inst].get("label", ""),
                    a,
                    b,
                    B.nodes[a].get("label", ""),
                    B.nodes[b].get("label", ""),
                ]
            )
    columns = ["institution", "label", "plan_a", "plan_b", "plan_a_label", "plan_b_label"]
    return pd.DataFrame(rows, columns=columns)
