"""Load the SKOS vocabularies and framework reference data into one graph."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from plangraph.pipeline.frameworks import gcm_graph, sdg_graph
from plangraph.rdf.files import parse_turtle_dir


def load_vocabularies(vocab_dir: Path) -> Graph:
    """Parse every ``*.ttl`` in ``ontology/vocab/`` and add the GCM and SDG framework concepts
    built from ``ontology/vocab/sources/`` (when those reference files are present)."""
    graph = parse_turtle_dir(vocab_dir)
    sources = vocab_dir / "sources"
    gcm = sources / "gcm_objectives.tsv"
    if gcm.is_file():
        graph += gcm_graph(gcm)
    sdg = sources / "sdg"
    if sdg.is_dir():
        graph += sdg_graph(sdg)
    return graph
