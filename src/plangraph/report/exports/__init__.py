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
:mod:`plangraph.analysis.metrics`; :mod:`.graph` gives them attributes every tool can read, all
scalars (strings and numbers):

- nodes: ``label`` (short: acronym, plan tag), ``full_name``, ``kind`` (institution, plan,
  element), ``type`` (organisation type, ``plan``, element kind), ``plans`` (plan ids joined by
  ``"; "``), ``n_plans``, ``n_actions``, ``community`` (Louvain), ``degree``,
  ``weighted_degree``, ``betweenness``, ``generic`` (1 for generic agents), ``x``, ``y``
  (a spring layout), ``size`` and ``color`` (hex);
- edges: ``weight``, ``kind`` (co-responsibility, institution-plan, overlap, similar) and, by
  kind, ``plans``, ``roles``, the overlap measures or ``shared_terms``.

One module per format: :mod:`.graphml` and :mod:`.gexf` (networkx writers, valid against the
GraphML 1.0 and GEXF 1.2draft schemas: node ids made XML name tokens, the IRI in the node
attribute ``iri``; GEXF also carries Gephi's ``viz`` colour, size and position),
:mod:`.cyjs` (Cytoscape.js JSON: ``elements.nodes[].data``, ``elements.edges[].data``, node
``position``), :mod:`.edgelist` (CSV: the edge list with both ends' labels), :mod:`.webpage` (a
standalone page with the interactive network), :mod:`.image` (PNG and SVG, matplotlib).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from plangraph.analysis.api import PlanGraph
from plangraph.errors import PlangraphError
from plangraph.report.exports import cyjs, edgelist, gexf, graphml, image, webpage
from plangraph.report.exports.graph import Context, build_graph
from plangraph.report.formats import FORMATS

__all__ = ["WRITERS", "Context", "build_graph", "write_map"]

WRITERS: dict[str, Callable[[Any, Context, Path], None]] = {
    "html": webpage.write,
    "png": partial(image.write, fmt="png"),
    "svg": partial(image.write, fmt="svg"),
    "graphml": graphml.write,
    "gexf": gexf.write,
    "cyjs": cyjs.write,
    "csv": edgelist.write,
}
"""The writer of each format of :data:`plangraph.report.formats.FORMATS`."""


def write_map(kind: str, fmt: str, pg: PlanGraph, out: Path) -> Path:
    """Write the network ``kind`` in format ``fmt`` to ``out``; return the path written."""
    if fmt not in FORMATS:
        raise PlangraphError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    ctx = Context(pg)
    WRITERS[fmt](build_graph(kind, pg, ctx), ctx, out)
    return out
