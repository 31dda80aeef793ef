"""The edge list as CSV: spreadsheets, Gephi's and Cytoscape's table imports."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from plangraph.rdf.atomic import write_text
from plangraph.report.exports.graph import Context


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


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write the edge list of ``G`` to ``out`` as CSV."""
    write_text(out, to_csv(G))
