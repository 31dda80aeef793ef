"""NetworkX graphs of plans, institutions and elements, built from query results.

Every builder takes the DataFrames of named queries (so it works the same on the embedded store
and on an endpoint) and returns an undirected ``networkx.Graph`` whose nodes are IRIs with the
attributes

- ``label``: the institution's Spanish name, the plan's title, the element's text;
- ``node_kind``: ``institution``, ``plan`` or ``element``;
- ``type``: the institution's organisation type (``ministry`` …), ``plan``, or the element's kind;
- ``plans``: the IRIs of the plans the node is in (sorted);
- ``n_actions``: action-level elements (pg:Intervention) the institution takes part in, the plan
  has, or 1/0 for an element;

and whose edges carry ``weight`` and ``kind``.
:class:`plangraph.analysis.api.PlanGraph` ``.network(kind)``
runs the queries and calls these.

>>> import pandas as pd
>>> parts = pd.DataFrame({
...     "institution": ["i1", "i2", "i2", "i3"], "label": ["A", "B", "B", "C"],
...     "type": ["ministry"] * 4, "is_generic": [False] * 4,
...     "plan": ["p1", "p1", "p2", "p2"], "element": ["e1", "e1", "e2", "e2"],
...     "kind": ["action"] * 4, "action_level": [True] * 4, "role": ["responsible"] * 4})
>>> G = co_responsibility_graph(parts)
>>> sorted(G.edges(data="weight"))
[('i1', 'i2', 1), ('i2', 'i3', 1)]
>>> G.nodes["i2"]["plans"], G.nodes["i2"]["n_actions"]
(['p1', 'p2'], 2)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.rdf.iris import BASE

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

OVERLAP_MEASURES = ("institutions", "themes", "populations", "frameworks")
"""The counts the plan–plan overlap graph can add up (``named_institutions`` is also there)."""
SIMILARITY_MEASURE = "concept_similarity"
"""The plan–plan overlap graph's default weight: the cosine of the plans' concept profiles,
weighted by how specific each concept is (:mod:`plangraph.analysis.specificity`)."""


def _str(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # NaN != NaN


def _int(value: Any) -> int:
    return 0 if value is None or value != value else int(value)


def _records(participations: pd.DataFrame, generic: bool) -> list[dict[str, Any]]:
    """Participation rows as dicts, generic agents left out unless ``generic``."""
    rows: list[dict[str, Any]] = participations.to_dict("records")
    if not generic:
        rows = [r for r in rows if not bool(r["is_generic"])]
    return rows


def _has(value: Any) -> bool:
    return value is not None and value == value  # NaN != NaN


def _institution_nodes(G: nx.Graph, rows: list[dict[str, Any]]) -> None:
    """Add one node per institution of ``rows`` with its attributes."""
    first: dict[str, dict[str, Any]] = {}
    plans: dict[str, set[str]] = defaultdict(set)
    actions: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        inst = str(r["institution"])
        first.setdefault(inst, r)
        plans[inst].add(str(r["plan"]))
        if _has(r["element"]) and bool(r["action_level"]):
            actions[inst].add(str(r["element"]))
    for inst in sorted(first):
        r = first[inst]
        G.add_node(
            inst,
            label=_str(r["label"]),
            node_kind="institution",
            type=_str(r["type"]),
            generic=bool(r["is_generic"]),
            plans=sorted(plans[inst]),
            n_actions=len(actions[inst]),
        )


def _plan_nodes(G: nx.Graph, plans: pd.DataFrame) -> None:
    for r in plans.to_dict("records"):
        G.add_node(
            str(r["plan"]),
            label=_str(r["title"]),
            node_kind="plan",
            type="plan",
            plans=[str(r["plan"])],
            n_actions=_int(r["actions"]),
        )


def institution_plan_graph(
    participations: pd.DataFrame, plans: pd.DataFrame, generic: bool = True
) -> nx.Graph:
    """The bipartite graph of institutions and the plans they take part in.

    ``participations`` is ``reports/participations``, ``plans`` is ``reports/plans``. An edge
    joins an institution to a plan it takes part in (any role) or publishes; ``weight`` is the
    number of elements it takes part in there (publishing counts one), ``kind`` is
    ``institution-plan`` and ``roles`` lists its roles. Node attribute ``bipartite`` is 0 for
    institutions, 1 for plans. ``generic=False`` leaves out generic agents.
    """
    import networkx as nx

    G = nx.Graph(name="institution-plan")
    rows = _records(participations, generic)
    _plan_nodes(G, plans)
    _institution_nodes(G, rows)
    for _, data in G.nodes(data=True):
        data["bipartite"] = 0 if data["node_kind"] == "institution" else 1
    elements: dict[tuple[str, str], set[str]] = defaultdict(set)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        key = (str(r["institution"]), str(r["plan"]))
        roles[key].add(str(r["role"]))
        if _has(r["element"]):
            elements[key].add(str(r["element"]))
    for (inst, plan), its_roles in sorted(roles.items()):
        if plan not in G:
            continue
        G.add_edge(
            inst,
            plan,
            weight=len(elements[(inst, plan)]) + int("publisher" in its_roles),
            kind="institution-plan",
            roles=sorted(its_roles),
        )
    return G


def co_responsibility_graph(
    participations: pd.DataFrame,
    roles: Sequence[str] | None = None,
    generic: bool = True,
    action_level: bool = True,
) -> nx.Graph:
    """Institutions joined when they take part in the same action-level elements.

    ``weight`` is the number of elements they share, ``plans`` the plans of those elements,
    ``kind`` is ``co-responsibility``. ``roles`` keeps only participations in those roles (e.g.
    ``("responsible",)`` for co-responsibility in the strict sense); ``action_level=False``
    counts every element, not only pg:Intervention ones; ``generic=False`` leaves out generic
    agents. Every institution taking part in a counted element is a node, linked or not.
    """
    import networkx as nx

    G = nx.Graph(name="co-responsibility")
    wanted = set(roles) if roles is not None else None
    rows = [
        r
        for r in _records(participations, generic)
        if _has(r["element"])
        and (bool(r["action_level"]) or not action_level)
        and (wanted is None or str(r["role"]) in wanted)
    ]
    _institution_nodes(G, rows)
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        members[(str(r["element"]), str(r["plan"]))].add(str(r["institution"]))
    weights: dict[tuple[str, str], int] = defaultdict(int)
    edge_plans: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, plan), insts in members.items():
        for a, b in combinations(sorted(insts), 2):
            weights[(a, b)] += 1
            edge_plans[(a, b)].add(plan)
    for (a, b), weight in sorted(weights.items()):
        G.add_edge(a, b, weight=weight, kind="co-responsibility", plans=sorted(edge_plans[(a, b)]))
    return G


def plan_overlap_graph(
    matrix: pd.DataFrame, plans: pd.DataFrame, measures: Iterable[str] = (SIMILARITY_MEASURE,)
) -> nx.Graph:
    """Plans joined by what they share (``PlanGraph.overlaps("matrix")``, ``reports/plans``).

    ``weight`` is, by default, ``concept_similarity``: how alike the plans' themes and
    populations are once generic concepts are discounted, 0–1. With ``measures`` naming counts
    (shared ``institutions``, ``named_institutions``, ``themes``, ``populations``,
    ``frameworks``) it is their sum instead (``concept_similarity`` is not added to counts).
    Every measure is also an edge attribute; ``kind`` is ``overlap``. Pairs sharing nothing in
    the chosen measures get no edge.
    """
    import networkx as nx

    chosen = list(measures)
    counts = set(OVERLAP_MEASURES) | {"named_institutions"}
    known = counts | {SIMILARITY_MEASURE}
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise ValueError(f"unknown measure(s) {unknown} (known: {sorted(known)})")
    if SIMILARITY_MEASURE in chosen and len(chosen) > 1:
        raise ValueError(f"{SIMILARITY_MEASURE} is a weight of its own: it is not added to counts")
    G = nx.Graph(name="plan-overlap")
    _plan_nodes(G, plans)
    for row in matrix.to_dict("records"):
        a, b = str(row["plan_a"]), str(row["plan_b"])
        if a >= b or a not in G or b not in G:
            continue
        weight = sum(float(row.get(m) or 0) for m in chosen)
        if weight:
            attrs: dict[str, Any] = {m: int(row.get(m) or 0) for m in sorted(counts)}
            attrs[SIMILARITY_MEASURE] = float(row.get(SIMILARITY_MEASURE) or 0.0)
            if SIMILARITY_MEASURE not in chosen:
                weight = int(weight)
            G.add_edge(a, b, weight=weight, kind="overlap", **attrs)
    return G


def similarity_graph(pairs: pd.DataFrame, elements: pd.DataFrame) -> nx.Graph:
    """Elements joined when their texts are near-duplicates (``PlanGraph.near_duplicates``).

    Only elements in some pair are nodes; ``weight`` is the cosine score, ``kind`` is
    ``similar``, ``shared_terms`` the words both texts share.
    """
    import networkx as nx

    G = nx.Graph(name="similarity")
    by_iri = {str(r["element"]): r for r in elements.to_dict("records")}
    for row in pairs.to_dict("records"):
        for side in ("a", "b"):
            iri = str(row[f"element_{side}"])
            if iri in G:
                continue
            info = by_iri.get(iri, {})
            G.add_node(
                iri,
                label=_str(row[f"text_{side}"]),
                node_kind="element",
                type=_str(row[f"kind_{side}"]),
                plans=[str(row[f"plan_{side}"])],
                n_actions=int(bool(info.get("action_level", False))),
            )
        G.add_edge(
            str(row["element_a"]),
            str(row["element_b"]),
            weight=float(row["score"]),
            kind="similar",
            shared_terms=str(row["shared_terms"]),
        )
    return G


_NOT_IN_ID = re.compile(r"[^A-Za-z0-9._-]")


def xml_node_ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """An id for each node that GraphML (``xs:NMTOKEN``) and GEXF accept, readable and the same
    on every run: the IRI without plangraph's base, ``/`` as ``.`` and any other character but
    ASCII letters, digits, ``.``, ``-`` and ``_`` as ``_``; ids that would clash take ``-2``,
    ``-3`` … in the nodes' sorted order.

    >>> xml_node_ids(["https://w3id.org/plangraph/institution/gt-conamigua", "urn:x y", "urn_x_y"])
    {'https://w3id.org/plangraph/institution/gt-conamigua': 'institution.gt-conamigua', \
'urn:x y': 'urn_x_y', 'urn_x_y': 'urn_x_y-2'}
    """
    ids: dict[Any, str] = {}
    taken: set[str] = set()
    for node in sorted(nodes, key=str):
        text = str(node)
        if text.startswith(BASE):
            text = text[len(BASE) :]
        base = _NOT_IN_ID.sub("_", text.replace("/", ".")) or "_"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[node] = candidate
    return ids


def with_xml_ids(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` for the XML formats: nodes renamed by :func:`xml_node_ids`, each with
    its IRI (or former name) as the attribute ``iri``; node order, edges and attributes kept.

    >>> import networkx as nx
    >>> H = with_xml_ids(nx.Graph([("https://w3id.org/plangraph/plan/p1", "urn:i")]))
    >>> list(H.nodes(data="iri"))
    [('plan.p1', 'https://w3id.org/plangraph/plan/p1'), ('urn_i', 'urn:i')]
    """
    import networkx as nx

    ids = xml_node_ids(G.nodes)
    H = nx.relabel_nodes(G, ids, copy=True)
    for node, new in ids.items():
        H.nodes[new]["iri"] = str(node)
    return H


def write_graphml(G: nx.Graph, path: Path) -> None:
    """Write a graph as GraphML (for Gephi, Cytoscape, yEd): nodes renamed to ids GraphML
    accepts, with their IRIs as ``iri`` (:func:`with_xml_ids`); list attributes become
    ``"; "``-joined strings, as GraphML holds scalars only."""
    import networkx as nx

    H = with_xml_ids(G)
    for _, data in H.nodes(data=True):
        for key, val in list(data.items()):
            if isinstance(val, list | tuple | set):
                data[key] = "; ".join(str(v) for v in val)
    for _, _, data in H.edges(data=True):
        for key, val in list(data.items()):
            if isinstance(val, list | tuple | set):
                data[key] = "; ".join(str(v) for v in val)
    H.graph = {k: v for k, v in H.graph.items() if isinstance(v, str | int | float | bool)}
    nx.write_graphml(H, path)
