"""GraphML (networkx's writer): Gephi, Cytoscape, yEd."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from plangraph.analysis.networks import with_xml_ids
from plangraph.report.common import write_bytes
from plangraph.report.exports.graph import Context


def to_graphml(G: Any) -> bytes:
    """The graph as GraphML 1.0: node ids GraphML accepts (``xs:NMTOKEN``), each node's IRI in
    the attribute ``iri`` (:func:`plangraph.analysis.networks.with_xml_ids`); graph attributes
    other than strings and numbers are left out."""
    import networkx as nx

    buffer = io.BytesIO()
    H = with_xml_ids(G)
    H.graph = {k: v for k, v in G.graph.items() if isinstance(v, str | int | float)}
    nx.write_graphml(H, buffer)
    return buffer.getvalue()


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write ``G`` to ``out`` as GraphML."""
    write_bytes(out, to_graphml(G))
