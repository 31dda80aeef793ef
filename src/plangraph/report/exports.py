"""Coordination maps: the plangraph networks as files Gephi, Cytoscape and browsers open.

``plangraph map KIND --format FORMAT`` writes one network:

========================  ====================================================================
KIND                      nodes and edges
========================  ====================================================================
``co-responsibility``     institutions, joined when the same plan element names both
                          (co-responsibility, any role, every element kind)
``institution-plan``      institutions and plans (bipartite), joined when the institution takes
                          part in or publishes the plan
``plan-overlap``          plans, joined by the institutions, themes, populations and framework
                          objectives they share
``similarity``            elements, joined when their texts are near-duplicates
========================  ====================================================================

The graphs come from :mod:`plangraph.analysis.networks` (through
:class:`plangraph.analysis.api.PlanGraph`) and their metrics from
:mod:`plangraph.analysis.metrics`. Here they get attributes every tool can read, all
scalars (strings and numbers):

- nodes: ``label`` (short: acronym, plan tag), ``full_name``, ``kind`` (institution, plan,
  element), ``type`` (organisation type, ``plan``, element kind), ``plans`` (plan ids joined by
  ``"; "``), ``n_plans``, ``n_actions``, ``community`` (Louvain), ``degree``,
  ``weighted_degree``, ``betweenness``, ``generic`` (1 for generic agents), ``x``, ``y``
  (a spring layout), ``size`` and ``color`` (hex);
- edges: ``weight``, ``kind`` (co-responsibility, institution-plan, overlap, similar) and, by
  kind, ``plans``, ``roles``, the overlap measures or ``shared_terms``.

Formats: ``graphml`` and ``gexf`` (networkx writers; GEXF also carries Gephi's ``viz`` colour,
size and position), ``cyjs`` (Cytoscape.js JSON: ``elements.nodes[].data``,
``elements.edges[].data``, node ``position``), ``csv`` (the edge list with both ends' labels),
``html`` (a standalone page with the interactive network), ``png`` and ``svg`` (matplotlib).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.kinds import NETWORK_KINDS, network_kind
from plangraph.errors import PlangraphError
from plangraph.rdf.atomic import atomic_write, write_text
from plangraph.report import figures as figs
from plangraph.report.formats import FORMATS

TITLES = {
    "co-responsibility": "Institution co-responsibility network",
    "institution-plan": "Institutions and the plans they take part in",
    "plan-overlap": (
        "Plan overlap network (links: shared institutions + themes + populations + GCM/SDG)"
    ),
    "similarity": "Near-duplicate elements",
}
JOIN = "; "


def _local(iri: str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(value: Any) -> str:
    """A value as text; None and NaN (missing cells of a DataFrame) as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _scalar(value: Any) -> Any:
    """A value GraphML, GEXF and CSV can hold: lists joined, booleans as 0/1, None as ''."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | tuple | set | frozenset):
        return JOIN.join(_local(v) if str(v).startswith("http") else str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return value
    return str(value)


def type_colours(types: list[str]) -> dict[str, str]:
    """One colour per organisation type, by sorted name (the report uses the same)."""
    return {t: figs.category_colour(i) for i, t in enumerate(sorted(set(types)))}


class Context:
    """The lookups shared by every map: plans (tags, colours) and institutions (labels, types)."""

    def __init__(self, pg: PlanGraph) -> None:
        self.pg = pg
        plans = self.pg.query("reports/plans")
        self.plan_ids = [str(p) for p in plans.plan]
        self.plan_tag = {p: f"P{i + 1}" for i, p in enumerate(self.plan_ids)}
        self.plan_colour = {p: figs.plan_colour(i) for i, p in enumerate(self.plan_ids)}
        self.plan_title = {
            str(r.plan): _text(r.title) or _local(str(r.plan)) for r in plans.itertuples()
        }
        insts = self.pg.query("reports/institutions")
        self.institutions: dict[str, dict[str, Any]] = {
            str(r["institution"]): r for r in insts.to_dict("records")
        }
        self.type_colours = type_colours(
            [_text(r.get("type")) or "other" for r in self.institutions.values()]
        )


def build_graph(kind: str, pg: PlanGraph, ctx: Context | None = None) -> Any:
    """The network ``kind`` (one of the network kinds) with scalar attributes, metrics and
    layout; the graph itself is :meth:`PlanGraph.network`'s, so maps and the API agree."""
    from plangraph.analysis.metrics import node_metrics  # NetworkX loads on first use

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
        full = str(data.get("label") or _local(node))
        label = full
        colour = "#999999"
        generic = 0
        if node_kind == "institution":
            info = c.institutions.get(str(node), {})
            label = _text(info.get("acronym")) or full
            colour = c.type_colours.get(str(data.get("type") or "other"), "#999999")
            generic = int(bool(data.get("generic", False)))
        elif node_kind == "plan":
            label = f"{c.plan_tag.get(str(node), '')} {_clip(full, 40)}".strip()
            colour = c.plan_colour.get(str(node), "#999999")
        else:
            tag = c.plan_tag.get(plans[0], "") if plans else ""
            label = f"{tag} {_clip(full, 40)}".strip()
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
            plans=JOIN.join(_local(p) for p in plans),
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
            local = {nodes[0]: (0.0, 0.0)}
        else:
            sub = G.subgraph(nodes)
            raw = nx.spring_layout(
                sub, seed=7, k=2.0 / math.sqrt(size), iterations=300, weight=None
            )
            side = unit * math.sqrt(size) * 1.6
            local = {v: (float(p[0]) * side / 2, float(p[1]) * side / 2) for v, p in raw.items()}
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        boxes.append((local, min(xs), min(ys), max(xs) - min(xs) + unit, max(ys) - min(ys) + unit))
    widest = max(b[3] for b in boxes)
    limit = max(widest, math.sqrt(sum(b[3] * b[4] for b in boxes)) * 1.4)
    out: dict[Any, tuple[float, float]] = {}
    x = y = row = 0.0
    for local, min_x, min_y, width, height in boxes:
        if x > 0 and x + width > limit:
            x, y, row = 0.0, y + row, 0.0
        for v, (px, py) in local.items():
            out[v] = (px - min_x + x, -(py - min_y + y))
        x += width
        row = max(row, height)
    return out


# ---------------------------------------------------------------------------------------------
# Writers


def _write_bytes(path: Path, data: bytes) -> None:
    with atomic_write(path, "wb") as fh:
        fh.write(data)  # type: ignore[arg-type]


def to_graphml(G: Any) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    H = G.copy()
    H.graph = {k: v for k, v in G.graph.items() if isinstance(v, str | int | float)}
    nx.write_graphml(H, buffer)
    return buffer.getvalue()


def to_gexf(G: Any) -> bytes:
    """GEXF 1.2 with Gephi's ``viz`` colour, size and position besides the attributes."""
    import networkx as nx

    H = G.copy()
    H.graph = {}
    for _, data in H.nodes(data=True):
        colour = str(data.get("color", "#999999")).lstrip("#")
        data["viz"] = {
            "color": {
                "r": int(colour[0:2], 16),
                "g": int(colour[2:4], 16),
                "b": int(colour[4:6], 16),
                "a": 1.0,
            },
            "size": float(data.get("size", 5)),
            "position": {"x": float(data.get("x", 0)), "y": float(data.get("y", 0)), "z": 0.0},
        }
    buffer = io.BytesIO()
    nx.write_gexf(H, buffer, version="1.2draft")
    return buffer.getvalue()


def to_cytoscape(G: Any) -> dict[str, Any]:
    """Cytoscape.js JSON (also what Cytoscape desktop imports as ``.cyjs``)."""
    nodes = []
    for node, data in G.nodes(data=True):
        d = {"id": str(node), "name": str(data.get("label", node))}
        d.update({k: v for k, v in data.items() if k not in ("x", "y")})
        nodes.append({"data": d, "position": {"x": data.get("x", 0), "y": data.get("y", 0)}})
    edges = []
    for i, (a, b, data) in enumerate(G.edges(data=True)):
        d = {"id": f"e{i}", "source": str(a), "target": str(b)}
        d.update(data)
        edges.append({"data": d})
    return {
        "format_version": "1.0",
        "generated_by": "plangraph",
        "target_cytoscapejs_version": "~3",
        "data": {"name": G.graph.get("title", ""), "kind": G.graph.get("kind", "")},
        "elements": {"nodes": nodes, "edges": edges},
    }


def to_csv(G: Any) -> str:
    """The edge list: source, target, both labels, then every edge attribute."""
    keys = sorted({k for _, _, d in G.edges(data=True) for k in d} - {"weight", "kind"})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "source_label", "target_label", "weight", "kind", *keys])
    for a, b, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        writer.writerow(
            [
                a,
                b,
                G.nodes[a].get("label", ""),
                G.nodes[b].get("label", ""),
                d.get("weight", ""),
                d.get("kind", ""),
                *[d.get(k, "") for k in keys],
            ]
        )
    return buffer.getvalue()


def to_html(G: Any, ctx: Context) -> str:
    """A standalone page with the interactive network (no library, works offline)."""
    from plangraph.report.page import asset, esc

    kind = str(G.graph.get("kind", ""))
    nodes = []
    for node, d in G.nodes(data=True):
        nodes.append(
            {
                "id": node,
                "label": d.get("label", ""),
                "full": d.get("full_name", ""),
                "type": d.get("type", ""),
                "plans": [p for p in str(d.get("plans", "")).split(JOIN) if p],
                "n_actions": d.get("n_actions", 0),
                "degree": d.get("degree", 0),
                "community": d.get("community", -1),
                "attrs": {k: v for k, v in d.items() if k not in ("x", "y", "color", "size")},
            }
        )
    edges = []
    for a, b, d in G.edges(data=True):
        tip_bits = [f"{k}: {v}" for k, v in sorted(d.items()) if k not in ("plans",)]
        edges.append(
            {
                "source": a,
                "target": b,
                "weight": d.get("weight", 1),
                "plans": [p for p in str(d.get("plans", "")).split(JOIN) if p],
                "tip": f"{G.nodes[a].get('label')} – {G.nodes[b].get('label')}: "
                + ", ".join(tip_bits),
            }
        )
    plans = [
        {
            "id": _local(p),
            "tag": ctx.plan_tag[p],
            "title": ctx.plan_title.get(p, ""),
            "color": ctx.plan_colour[p],
        }
        for p in ctx.plan_ids
    ]
    data = {
        "nodes": nodes,
        "edges": edges,
        "plans": plans,
        "typeColours": {**ctx.type_colours, "plan": "#17365d"},
        "categoryColours": figs.CATEGORY_COLOURS,
        "sizeBy": "degree" if kind in ("plan-overlap", "similarity") else "n_actions",
        "labelTop": 10 if kind == "similarity" else 16,
        "edgeLabels": kind == "plan-overlap",
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    payload = payload.replace("</", "<\\/")
    plan_opts = "".join(
        f'<option value="{esc(p["id"])}">{esc(p["tag"])} — {esc(_clip(p["title"], 60))}</option>'
        for p in plans
    )
    default_colour = "plan" if kind in ("plan-overlap", "similarity") else "type"
    colour_opts = "".join(
        f'<option value="{v}"{" selected" if v == default_colour else ""}>{t}</option>'
        for v, t in (("type", "type"), ("community", "community (Louvain)"), ("plan", "plan"))
    )
    title = TITLES.get(kind, kind)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plangraph map — {esc(title)}</title>
<style>{asset("report.css")}</style></head>
<body><header class="top"><h1>{esc(title)}</h1>
<p>{G.number_of_nodes()} nodes, {G.number_of_edges()} edges. Hover a node for its links, click
it for its attributes; drag to pan, scroll to zoom. Written by <code>plangraph map {esc(kind)}
--format html</code>; the same network opens in Gephi (<code>--format gexf</code>) and Cytoscape
(<code>--format cyjs</code> or <code>graphml</code>).</p></header>
<main>
<div class="net-controls">
 <label>Plan <select id="map-plan"><option value="">all plans</option>{plan_opts}</select></label>
 <label>Colour by <select id="map-colour">{colour_opts}</select></label>
 <label>Find <input type="search" id="map-search" placeholder="name or id"></label>
</div>
<p class="net-status" id="map-status"></p>
<div class="net-legend" id="map-legend"></div>
<div class="net-layout">
 <div class="net-canvas" id="map-net"><svg role="img" aria-label="{esc(title)}"></svg>
  <div class="tooltip"></div></div>
 <div class="net-side" id="map-side"><h4>Click a node</h4><p>to see its attributes.</p></div>
</div>
</main>
<script type="application/json" id="map-data">{payload}</script>
<script>{asset("network.js")}</script>
<script>{asset("map.js")}</script>
</body></html>
"""


def draw(kind: str, G: Any, stem: Path) -> figs.Written:
    """The network as PNG and SVG (networkx + matplotlib), coloured as in the report."""
    kind = network_kind(kind)
    legend: dict[str, str] = {}
    for _, d in G.nodes(data=True):
        key = d.get("type", "") if d.get("kind") == "institution" else d.get("label", "")
        if d.get("kind") == "element":
            key = str(d.get("label", ""))[:3].strip()
        legend.setdefault(str(key).replace("_", " "), str(d.get("color", "#999999")))
    legend = dict(sorted(legend.items())) if len(legend) <= 20 else {}
    size: Callable[[str, Mapping[str, Any]], float]
    if kind == "plan-overlap":

        def size(_n: str, d: Mapping[str, Any]) -> float:
            return 300 + 40 * float(d.get("n_actions", 0) or 0)

    elif kind == "similarity":

        def size(_n: str, d: Mapping[str, Any]) -> float:
            return 40 + 30 * float(d.get("degree", 0) or 0)

    else:

        def size(_n: str, d: Mapping[str, Any]) -> float:
            base = 500.0 if d.get("kind") == "plan" else 20.0
            return base + 14 * float(d.get("n_actions", 0) or 0)

    return figs.network(
        G,
        stem,
        TITLES.get(kind, kind),
        pos={v: (float(d.get("x", 0)), float(d.get("y", 0))) for v, d in G.nodes(data=True)},
        colour=lambda _n, d: str(d.get("color", "#999999")),
        size=size,
        label=lambda _n, d: (
            str(d.get("label", "")).split(" ")[0]
            if kind == "plan-overlap"
            else str(d.get("label", ""))
        ),
        n_labels=25 if kind != "plan-overlap" else 50,
        legend=legend or None,
        edge_labels=kind == "plan-overlap",
    )


def write_map(kind: str, fmt: str, pg: PlanGraph, out: Path) -> Path:
    """Write the network ``kind`` in format ``fmt`` to ``out``; return the path written."""
    if fmt not in FORMATS:
        raise PlangraphError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    ctx = Context(pg)
    G = build_graph(kind, pg, ctx)
    if fmt == "graphml":
        _write_bytes(out, to_graphml(G))
    elif fmt == "gexf":
        _write_bytes(out, to_gexf(G))
    elif fmt == "cyjs":
        write_text(out, json.dumps(to_cytoscape(G), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        write_text(out, to_csv(G))
    elif fmt == "html":
        write_text(out, to_html(G, ctx))
    else:
        import os
        import tempfile

        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".map-") as tmp:
            written = draw(kind, G, Path(tmp) / "map")
            os.replace(written.png if fmt == "png" else written.svg, out)
    return out
