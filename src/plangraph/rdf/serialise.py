"""Deterministic serialisations: equal datasets give equal bytes in every format plangraph
writes (sorted N-Quads and N-Triples, TriG grouped by graph and subject, RDF/XML of the
ontology, blank nodes labelled canonically)."""

from __future__ import annotations

from rdflib import Dataset, Graph

from plangraph.rdf.iris import PREFIXES


def canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled canonically (RGDA1), so that parsing the same
    files twice gives byte-identical output (rdflib labels blank nodes at random)."""
    from rdflib.compare import to_canonical_graph

    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def sorted_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, lines sorted, so equal datasets give equal bytes."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def union_ntriples(nquads: str) -> str:
    """Drop the graph names of sorted N-Quads: the union graph as sorted N-Triples."""
    from pyoxigraph import RdfFormat, parse, serialize

    triples = {q.triple for q in parse(nquads.encode(), format=RdfFormat.N_QUADS)}
    body = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert body is not None
    lines = sorted({line for line in body.decode().splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def trig_from_nquads(nquads: str) -> str:
    """TriG of a dataset from its sorted N-Quads, grouped by graph and subject (deterministic:
    pyoxigraph keeps the canonical blank node labels and the input order)."""
    from pyoxigraph import RdfFormat, parse, serialize

    quads = list(parse(nquads.encode(), format=RdfFormat.N_QUADS))
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject)))
    body = serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIXES)
    assert body is not None
    return body.decode()


def ontology_rdfxml(ontology: Graph) -> str:
    """The ontology as RDF/XML with sorted triples (pyoxigraph writes lists as plain triples,
    which rdflib's RDF/XML writer cannot)."""
    from pyoxigraph import RdfFormat, parse, serialize

    nt = ontology.serialize(format="nt")
    lines = sorted({ln for ln in nt.splitlines() if ln.strip()})
    triples = list(parse("\n".join(lines).encode(), format=RdfFormat.N_TRIPLES))
    body = serialize(triples, format=RdfFormat.RDF_XML)
    assert body is not None
    return body.decode()
