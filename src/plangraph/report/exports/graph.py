"""The networks of the maps: :meth:`PlanGraph.network`'s graphs with scalar attributes every tool
reads, their metrics (:mod:`plangraph.analysis.metrics`) and a layout."""

from __future__ import annotations

import math
from typing import Any

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.kinds import NETWORK_KINDS, network_kind
from plangraph.analysis.metrics import node_metrics
from plangraph.errors import PlangraphError
from plangraph.report.common import clip, local, text
from plangraph.report.figures import category_colour, plan_colour

TITLES = {
    "co-responsibility": "Institution co-responsibility network",
    "institution-plan": "Institutions and the plans they take part in",
    "plan-overlap": (
        "Plan overlap network (links: shared institutions + themes + populations + GCM/SDG)"
    ),
    "similarity": "Near-duplicate elements",
}
JOIN = "; "


def _scalar(value: Any) -> Any:
    """A value GraphML, GEXF and CSV can hold: lists joined, booleans as 0/1, None as ''."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | tuple | set | frozenset):
        return JOIN.join(local(v) if str(v).startswith("http") else str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return value
    return str(value)


def type_colours(types: list[str]) -> dict[str, str]:
    """One colour per organisation type, by sorted name (the report uses the same)."""
    return {t: category_colour(i) for i, t in enumerate(sorted(set(types)))}


class Context:
    """The lookups shared by every map: plans (tags, colours) and institutions (labels, types)."""

    def __init__(self, pg: PlanGraph) -> None:
        self.pg = pg
        plans = self.pg.query("reports/plans")
        self.plan_ids = [str(p) for p in plans.plan]
        self.plan_tag = {p: f"P{i + 1}" for i, p in enumerate(self.plan_ids)}
        self.plan_colour = {p: plan_colour(i) for i, p in enumerate(self.plan_ids)}
        self.plan_title = {
            str(r.plan): text(r.title) or local(str(r.plan)) for r in plans.itertuples()
        }
        insts = self.pg.query("reports/institutions")
        self.institutions: dict[str, dict[str, Any]] = {
            str(r["institution"]): r for r in insts.to_dict("records")
        }
        self.type_colours = type_colours(
            [text(r.get("type")) or "other" for r in self.institutions.values()]
        )


def build_graph(kind: str, pg: PlanGraph, ctx: Context | None = None) -> Any:
    """The network ``kind`` (one of the network kinds) with scalar attributes, metrics and
    layout; the graph itself is :meth:`PlanGraph.network`'s, so maps and the API agree."""
    kind = network_kind(kind)
    if kind not in NETWORK_KINDS:
        raise PlangraphError(f"unknown map '{kind}' (maps: {', '.join(NETWORK_KINDS)})")
    c = ctx or Context(pg)
    G = c.pg.network(kind)
    metrics = node_metrics(G).set_index("node") if G.number_of_nodes() else None
    pos = _layout(G)
    out = type(G)(name=kind)
    for node, data in G.nodes(data=True):
        node_kind = str(data.get("node_kind", ""))
        plans = [str(p) for p in data.get("plans", [])]
        full = str(data.get("label") or local(node))
        label = full
        colour = "#999999"
        generic = 0
        if node_kind == "institution":
            info = c.institutions.get(str(node), {})
            label = text(info.get("acronym")) or full
            colour = c.type_colours.get(str(data.get("type") or "other"), "#999999")
            generic = int(bool(data.get("generic", False)))
        elif node_kind == "plan":
            label = f"{c.plan_tag.get(str(node), '')} {clip(full, 40)}".strip()
            colour = c.plan_colour.get(str(node), "#999999")
        else:
            tag = c.plan_tag.get(plans[0], "") if plans else ""
            label = f"{tag} {clip(full, 40)}".strip()
            colour = c.plan_colour.get(plans[0], "#999999") if plans else colour
        m = metrics.loc[node] if metrics is not None else None
        n_actions = int(data.get("n_actions", 0) or 0)
        x, y = pos.get(node, (0.0, 0.0))
        out.add_node(
            str(node),
            label=label,
            full_name=full,
            kind=node_kind,
            type=str(data.get("type", "")),
            plans=JOIN.join(local(p) for p in plans),
            n_plans=len(plans),
            n_actions=n_actions,
            community=int(m["community"]) if m is not None else -1,
            degree=int(m["degree"]) if m is not None else 0,
            weighted_degree=float(m["weighted_degree"]) if m is not None else 0.0,
            betweenness=round(float(m["betweenness"]), 6) if m is not None else 0.0,
            generic=generic,
            x=round(float(x), 2),
            y=round(float(y), 2),
            size=round(4 + 2.2 * math.sqrt(n_actions), 2),
            color=colour,
        )
    for a, b, data in G.edges(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        attrs["weight"] = float(data.get("weight", 1) or 1)
        attrs["kind"] = str(data.get("kind", ""))
        out.add_edge(str(a), str(b), **attrs)
    out.graph["kind"] = kind
    out.graph["title"] = TITLES[kind]
    return out


def relayout(G: Any) -> None:
    """Lay out ``G`` again (its nodes' ``x`` and ``y``, as :func:`build_graph` does): for a
    part of a map drawn alone, such as the plans a report shows at scale."""
    for node, (x, y) in _layout(G).items():
        G.nodes[node]["x"], G.nodes[node]["y"] = round(float(x), 2), round(float(y), 2)


def _layout(G: Any, unit: float = 50.0) -> dict[Any, tuple[float, float]]:
    """Node positions: a circle for up to ten nodes; otherwise each connected component laid
    out on its own (spring layout, fixed seed, edge weights ignored so that dense cliques do not
    collapse), then the components packed in rows, largest first, isolated nodes last."""
    import networkx as nx

    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n <= 10:
        pos = nx.circular_layout(G, scale=400)
        return {node: (float(p[0]), float(p[1])) for node, p in pos.items()}
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0]))
    )
    boxes = []
    for nodes in components:
        size = len(nodes)
        if size == 1:
            local_pos = {nodes[0]: (0.0, 0.0)}
        else:
            # the component with its nodes in sorted order: a G.subgraph() view iterates a set,
            # whose order (and so the layout's seeded start) changed with each process's hash seed
            sub = nx.Graph()
            sub.add_nodes_from(nodes)
            sub.add_edges_from(G.subgraph(nodes).edges())
            raw = nx.spring_layout(
                sub, seed=7, k=2.0 / math.sqrt(size), iterations=300, weight=None
            )
            side = unit * math.sqrt(size) * 1.6
            local_pos = {
                v: (float(p[0]) * side / 2, float(p[1]) * side / 2) for v, p in raw.items()
            }
        xs = [p[0] for p in local_pos.values()]
        ys = [p[1] for p in local_pos.values()]
        boxes.append(
            (local_pos, min(xs), min(ys), max(xs) - min(xs) + unit, max(ys) - min(ys) + unit)
        )
    widest = max(b[3] for b in boxes)
    limit = max(widest, math.sqrt(sum(b[3] * b[4] for b in boxes)) * 1.4)
    out: dict[Any, tuple[float, float]] = {}
    x = y = row = 0.0
    for local_pos, min_x, min_y, width, height in boxes:
        if x > 0 and x + width > limit:
            x, y, row = 0.0, y + row, 0.0
        for v, (px, py) in local_pos.items():
            out[v] = (px - min_x + x, -(py - min_y + y))
        x += width
        row = max(row, height)
    return out
