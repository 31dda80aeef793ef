"""The network as a standalone HTML page (template ``map.html``): filter by plan, colour by type,
community or plan, search by name; no library, works offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plangraph.rdf.atomic import write_text
from plangraph.report.common import clip, local
from plangraph.report.exports.graph import JOIN, TITLES, Context
from plangraph.report.figures import CATEGORY_COLOURS
from plangraph.report.render import render

COLOUR_BY = (("type", "type"), ("community", "community (Louvain)"), ("plan", "plan"))
"""The choices of the page's *Colour by* menu: value and label."""


def _split(value: Any) -> list[str]:
    return [p for p in str(value).split(JOIN) if p]


def page_data(G: Any, ctx: Context) -> dict[str, Any]:
    """What the page's script draws (``#map-data``)."""
    kind = str(G.graph.get("kind", ""))
    nodes = [
        {
            "id": node,
            "label": d.get("label", ""),
            "full": d.get("full_name", ""),
            "type": d.get("type", ""),
            "plans": _split(d.get("plans", "")),
            "n_actions": d.get("n_actions", 0),
            "degree": d.get("degree", 0),
            "community": d.get("community", -1),
            "attrs": {k: v for k, v in d.items() if k not in ("x", "y", "color", "size")},
        }
        for node, d in G.nodes(data=True)
    ]
    edges = []
    for a, b, d in G.edges(data=True):
        tip_bits = [f"{k}: {v}" for k, v in sorted(d.items()) if k not in ("plans",)]
        edges.append(
            {
                "source": a,
                "target": b,
                "weight": d.get("weight", 1),
                "plans": _split(d.get("plans", "")),
                "tip": f"{G.nodes[a].get('label')} – {G.nodes[b].get('label')}: "
                + ", ".join(tip_bits),
            }
        )
    plans = [
        {
            "id": local(p),
            "tag": ctx.plan_tag[p],
            "title": ctx.plan_title.get(p, ""),
            "color": ctx.plan_colour[p],
        }
        for p in ctx.plan_ids
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "plans": plans,
        "typeColours": {**ctx.type_colours, "plan": "#17365d"},
        "categoryColours": CATEGORY_COLOURS,
        "sizeBy": "degree" if kind in ("plan-overlap", "similarity") else "n_actions",
        "labelTop": 10 if kind == "similarity" else 16,
        "edgeLabels": kind == "plan-overlap",
    }


def to_html(G: Any, ctx: Context) -> str:
    """A standalone page with the interactive network (no library, works offline)."""
    kind = str(G.graph.get("kind", ""))
    data = page_data(G, ctx)
    return render(
        "map.html",
        kind=kind,
        title=TITLES.get(kind, kind),
        n_nodes=G.number_of_nodes(),
        n_edges=G.number_of_edges(),
        plans=[{**p, "short": clip(p["title"], 60)} for p in data["plans"]],
        colour_by=COLOUR_BY,
        default_colour="plan" if kind in ("plan-overlap", "similarity") else "type",
        data=data,
    )


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write ``G`` to ``out`` as a standalone HTML page."""
    write_text(out, to_html(G, ctx))
