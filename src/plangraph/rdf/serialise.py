"""Deterministic serialisations: equal datasets give equal bytes in every format plangraph
writes (sorted N-Quads and N-Triples, TriG grouped by graph and subject, RDF/XML of the
ontology, blank nodes labelled canonically)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef

from plangraph.rdf.iris import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update(
    {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
)
"""How N-Quads writes a character of a literal (the escapes pyoxigraph's writer uses)."""
DEFAULT_GRAPH = "urn:x-rdflib:default"


def canonical_literal(lexical: str, datatype: str | None) -> tuple[str, str | None]:
    """A literal's canonical lexical form and datatype: ``xsd:string`` is a plain literal
    (RDF 1.1), decimals as XSD 1.0 writes them (``0.5``, ``1.0``), integers without leading
    zeros or sign, booleans ``true``/``false``. Readers that match terms by their spelling
    (rdflib) then find ``pg:method "keyword"`` and ``pg:score 0.5`` in every serialisation.

    >>> canonical_literal("keyword", XSD + "string")
    ('keyword', None)
    >>> [canonical_literal(x, XSD + "decimal")[0] for x in ("0.50", "1.00", "-0", "07", "x")]
    ['0.5', '1.0', '0.0', '7.0', 'x']
    >>> canonical_literal("+01", XSD + "integer")[0], canonical_literal("1", XSD + "boolean")[0]
    ('1', 'true')
    """
    if datatype is None or datatype == XSD + "string":
        return lexical, None
    try:
        if datatype == XSD + "decimal":
            value = Decimal(lexical.strip())
            if not value.is_finite():
                return lexical, datatype
            text = f"{abs(value):f}"
            whole, _dot, frac = text.partition(".")
            whole = whole.lstrip("0") or "0"
            frac = frac.rstrip("0") or "0"
            sign = "-" if value < 0 else ""
            return f"{sign}{whole}.{frac}", datatype
        if datatype == XSD + "integer":
            return str(int(lexical.strip())), datatype
        if datatype == XSD + "boolean" and lexical.strip() in ("true", "false", "1", "0"):
            return ("true" if lexical.strip() in ("true", "1") else "false"), datatype
    except (InvalidOperation, ValueError):
        pass
    return lexical, datatype


def term_text(term: Any) -> str:
    """An rdflib term as N-Quads writes it, literals in canonical form.

    >>> from rdflib import XSD as X
    >>> term_text(Literal("0.50", datatype=X.decimal))
    '"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> term_text(Literal('a "b"\\n', lang="ES")), term_text(URIRef("http://e/a"))
    ('"a \\\\"b\\\\"\\\\n"@es', '<http://e/a>')
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical, datatype = canonical_literal(
            str(term), str(term.datatype) if term.datatype is not None else None
        )
        text = '"' + lexical.translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language.lower()}"
        return f"{text}^^<{datatype}>" if datatype else text
    raise TypeError(f"not an RDF term: {term!r}")


def quad_line(s: Any, p: Any, o: Any, g: Any) -> str:
    """One N-Quads line (without its newline); the default graph is written without a name."""
    graph = "" if g is None or str(g) == DEFAULT_GRAPH else " " + term_text(g)
    return f"{term_text(s)} {term_text(p)} {term_text(o)}{graph} ."


def canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled canonically (RGDA1), so that parsing the same
    files twice gives byte-identical output (rdflib labels blank nodes at random)."""
    from rdflib.compare import to_canonical_graph

    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def nquad_lines(dataset: Dataset) -> list[str]:
    """The dataset's N-Quads lines (literals canonical), sorted, without duplicates."""
    return sorted(
        {
            quad_line(s, p, o, g.identifier if isinstance(g, Graph) else g)
            for s, p, o, g in dataset.quads((None, None, None, None))
        }
    )


def sorted_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, lines sorted, literals canonical, so equal datasets give equal
    bytes."""
    return "\n".join(nquad_lines(dataset)) + "\n"


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
