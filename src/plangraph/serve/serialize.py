"""Writing results with pyoxigraph's serializers: solutions (SELECT, ASK) and graphs
(CONSTRUCT, DESCRIBE, the service description)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def results_format(key: str) -> Any:
    """The pyoxigraph ``QueryResultsFormat`` of a results format key."""
    from pyoxigraph import QueryResultsFormat

    return {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
    }[key]


def rdf_format(key: str) -> Any:
    """The pyoxigraph ``RdfFormat`` of a graph format key."""
    from pyoxigraph import RdfFormat

    return {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "jsonld": RdfFormat.JSON_LD,
        "rdfxml": RdfFormat.RDF_XML,
    }[key]


def solutions_body(variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """Serialize SELECT rows (pyoxigraph terms or None) with pyoxigraph's serializers.

    The rows are written as SPARQL TSV (N-Triples terms) and read back as QuerySolutions,
    which pyoxigraph then writes in the requested format.

    >>> from pyoxigraph import Literal, NamedNode
    >>> solutions_body(["a", "b"], [[NamedNode("http://e/x"), None], [Literal("y")] * 2], "csv")
    b'a,b\\r\\nhttp://e/x,\\r\\ny,y\\r\\n'
    """
    from pyoxigraph import QueryResultsFormat, parse_query_results

    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    tsv = ("\n".join(lines) + "\n").encode()
    parsed = parse_query_results(tsv, format=QueryResultsFormat.TSV)
    body = parsed.serialize(format=results_format(fmt))
    assert body is not None
    return bytes(body)


ASK_VARIABLE = "_askResult"
"""The column of an ASK answer as CSV or TSV (SPARQL 1.1 defines those formats for tables
only; this is the one-column table other stores, e.g. Jena, write)."""


def boolean_body(value: bool, fmt: str) -> bytes:
    """An ASK answer: SPARQL JSON or XML, or a one-column table in CSV or TSV (header line,
    then ``true`` or ``false``), as the SPARQL 1.1 CSV/TSV results format lays out a table.

    >>> boolean_body(True, "csv"), boolean_body(False, "tsv")
    (b'_askResult\\r\\ntrue\\r\\n', b'?_askResult\\nfalse\\n')
    """
    from pyoxigraph import QueryResultsFormat, parse_query_results

    text = "true" if value else "false"
    if fmt == "csv":
        return f"{ASK_VARIABLE}\r\n{text}\r\n".encode()
    if fmt == "tsv":
        return f"?{ASK_VARIABLE}\n{text}\n".encode()
    parsed = parse_query_results(f'{{"head":{{}},"boolean":{text}}}', QueryResultsFormat.JSON)
    body = parsed.serialize(format=results_format(fmt))
    assert body is not None
    return bytes(body)


def graph_body(triples: Sequence[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize triples (Turtle and RDF/XML with the project's prefixes by default)."""
    from pyoxigraph import serialize

    from plangraph.rdf.iris import PREFIXES

    if prefixes is None:
        prefixes = PREFIXES
    body = serialize(
        triples,
        format=rdf_format(fmt),
        prefixes=prefixes if fmt in ("turtle", "rdfxml") else None,
    )
    assert body is not None
    return bytes(body)
