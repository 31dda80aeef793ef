"""Cytoscape.js JSON (also what Cytoscape desktop imports as ``.cyjs``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from plangraph.rdf.atomic import write_text
from plangraph.report.exports.graph import Context


def to_cytoscape(G: Any) -> dict[str, Any]:
    """Cytoscape.js JSON: ``elements.nodes[].data`` with the node ``position``,
    ``elements.edges[].data``."""
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


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write ``G`` to ``out`` as Cytoscape.js JSON."""
    write_text(out, json.dumps(to_cytoscape(G), ensure_ascii=False, indent=1) + "\n")
