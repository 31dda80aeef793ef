"""GEXF 1.2 (networkx's writer) with Gephi's ``viz`` colour, size and position."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from plangraph.report.common import write_bytes
from plangraph.report.exports.graph import Context


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


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write ``G`` to ``out`` as GEXF."""
    write_bytes(out, to_gexf(G))
