"""Load the SKOS vocabularies and framework reference data into one graph."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from rdflib import Graph

from plangraph.errors import PlangraphError


def load_vocabularies(vocab_dir: Path) -> Graph:
    """Parse every ``*.ttl`` in ``ontology/vocab/`` and add the GCM and SDG framework concepts
    built from ``ontology/vocab/sources/`` (when those reference files are present)."""
    graph = Graph()
    for file in sorted(vocab_dir.glob("*.ttl")):
        try:
            graph.parse(file, format="turtle")
        except Exception as exc:  # rdflib raises several parser error types
            raise PlangraphError(f"{file}: cannot parse Turtle: {exc}") from exc
    sources = vocab_dir / "sources"
    if importlib.util.find_spec("plangraph.pipeline.frameworks") is not None:
        frameworks = importlib.import_module("plangraph.pipeline.frameworks")

        gcm = sources / "gcm_objectives.tsv"
        if gcm.is_file():
            graph += frameworks.gcm_graph(gcm)
        sdg = sources / "sdg"
        if sdg.is_dir():
            graph += frameworks.sdg_graph(sdg)
    return graph
