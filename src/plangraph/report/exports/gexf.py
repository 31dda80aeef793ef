"""GEXF 1.2draft (networkx's writer) with Gephi's ``viz`` colour, size and position."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from plangraph.analysis.networks import with_xml_ids
from plangraph.report.common import write_bytes
from plangraph.report.exports.graph import Context


def to_gexf(G: Any) -> bytes:
    """GEXF 1.2draft with Gephi's ``viz`` colour, size and position besides the attributes;
    node ids and the ``iri`` attribute as in GraphML
    (:func:`plangraph.analysis.networks.with_xml_ids`). The graph's ``title`` goes to
    ``<meta><description>``: GEXF's ``<graph>`` has no name (networkx writes an empty ``name``
    attribute there, which the schema does not allow, so it is left out)."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    H = with_xml_ids(G)
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
    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(H)
    writer.graph_element.attrib.pop("name", None)
    title = G.graph.get("title")
    if isinstance(title, str) and title:
        SubElement(writer.xml.find("meta"), "description").text = title
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(G: Any, ctx: Context, out: Path) -> None:
    """Write ``G`` to ``out`` as GEXF."""
    write_bytes(out, to_gexf(G))
