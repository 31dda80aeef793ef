"""The networks as static figures, PNG and SVG (networkx + matplotlib), coloured as in the
report; the report's network figures are drawn here too."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from plangraph.analysis.kinds import network_kind
from plangraph.report import figures, scale
from plangraph.report.exports.graph import TITLES, Context


def _size(kind: str) -> Callable[[str, Mapping[str, Any]], float]:
    """How large a node of the map ``kind`` is drawn."""
    if kind == "plan-overlap":
        return lambda _n, d: 300 + 40 * float(d.get("n_actions", 0) or 0)
    if kind == "similarity":
        return lambda _n, d: 40 + 30 * float(d.get("degree", 0) or 0)

    def size(_n: str, d: Mapping[str, Any]) -> float:
        base = 500.0 if d.get("kind") == "plan" else 20.0
        return base + 14 * float(d.get("n_actions", 0) or 0)

    return size


def draw(
    kind: str, G: Any, stem: Path, title: str | None = None, large: bool = False
) -> figures.Written:
    """The network as ``stem.png`` and ``stem.svg``, coloured as in the report (``title``:
    instead of the kind's). A plan network writes the weight on each link up to
    :data:`plangraph.report.scale.EDGE_LABELS` plans (beyond, the labels hide the links and
    take most of the drawing time); ``large``: lay out once for both formats
    (:func:`plangraph.report.figures.network`)."""
    kind = network_kind(kind)
    legend: dict[str, str] = {}
    for _, d in G.nodes(data=True):
        key = d.get("type", "") if d.get("kind") == "institution" else d.get("label", "")
        if d.get("kind") == "element":
            key = str(d.get("label", ""))[:3].strip()
        legend.setdefault(str(key).replace("_", " "), str(d.get("color", "#999999")))
    legend = dict(sorted(legend.items())) if len(legend) <= 20 else {}
    return figures.network(
        G,
        stem,
        title or TITLES.get(kind, kind),
        pos={v: (float(d.get("x", 0)), float(d.get("y", 0))) for v, d in G.nodes(data=True)},
        colour=lambda _n, d: str(d.get("color", "#999999")),
        size=_size(kind),
        label=lambda _n, d: (
            str(d.get("label", "")).split(" ")[0]
            if kind == "plan-overlap"
            else str(d.get("label", ""))
        ),
        n_labels=25 if kind != "plan-overlap" else 50,
        legend=legend or None,
        edge_labels=kind == "plan-overlap" and G.number_of_nodes() <= scale.EDGE_LABELS,
        large=large,
    )


def write(G: Any, ctx: Context, out: Path, fmt: str = "png") -> None:
    """Write ``G`` to ``out`` as a PNG (``fmt="png"``) or SVG figure; only that file is left."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".map-") as tmp:
        written = draw(str(G.graph.get("kind", "")), G, Path(tmp) / "map")
        os.replace(written.png if fmt == "png" else written.svg, out)
