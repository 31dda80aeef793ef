"""Writing results with pyoxigraph's serializers: solutions (SELECT, ASK) and graphs
(CONSTRUCT, DESCRIBE, the service description)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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


class TooMany(Exception):
    """The answer has more rows or triples than allowed."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Late(Exception):
    """The deadline passed while the answer was being written."""


class _Overflow(Exception):
    """More bytes than the cap of a :class:`Sink`."""


class Sink:
    """Where pyoxigraph's serializers write (a binary file-like object): it keeps the bytes,
    and stops the writing (by raising) at the deadline, past ``max_bytes`` bytes
    (:class:`_Overflow`) or past ``max_lines`` lines (:class:`TooMany`)."""

    def __init__(
        self,
        deadline: float,
        *,
        max_bytes: int | None = None,
        max_lines: int | None = None,
        what: str = "rows",
    ) -> None:
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_lines = max_lines
        self.what = what
        self.size = self.lines = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        if time.monotonic() > self.deadline:
            raise Late
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise _Overflow
        if self.max_lines is not None:
            self.lines += data.count(b"\n")
            if self.lines > self.max_lines:
                raise TooMany(self.what)
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.chunks)


_MIN_ROW_BYTES = {"json": 3, "xml": 17, "csv": 2, "tsv": 1}
"""The fewest bytes a row takes in each format (``{},`` in JSON, ``<result></result>`` in XML,
a line ending in CSV and TSV): an answer shorter than ``max_results`` times this holds at most
``max_results`` rows."""


def solutions_body(
    result: Any, evaluate: Callable[[], Any], fmt: str, max_results: int, deadline: float
) -> bytes:
    """SELECT solutions written by pyoxigraph straight in the requested format. An answer
    longer than ``max_results`` rows could be in that format is counted exactly instead: the
    query is evaluated again (``evaluate``), written as TSV (one line per row), and converted.

    >>> from pyoxigraph import Store
    >>> run = lambda: Store().query("SELECT ?x { VALUES ?x { 1 2 3 } }")
    >>> solutions_body(run(), run, "csv", 10, time.monotonic() + 5)
    b'x\\r\\n1\\r\\n2\\r\\n3\\r\\n'
    >>> solutions_body(run(), run, "csv", 2, time.monotonic() + 5)
    Traceback (most recent call last):
    ...
    plangraph.serve.serialize.TooMany: rows
    """
    from pyoxigraph import QueryResultsFormat, parse_query_results

    sink = Sink(deadline, max_bytes=_MIN_ROW_BYTES[fmt] * max_results)
    try:
        result.serialize(sink, results_format(fmt))
        return sink.value()
    except _Overflow:
        pass
    exact = Sink(deadline, max_lines=max_results + 1, what="rows")  # the header, then the rows
    evaluate().serialize(exact, QueryResultsFormat.TSV)
    if fmt == "tsv":
        return exact.value()
    body = parse_query_results(exact.value(), QueryResultsFormat.TSV).serialize(
        format=results_format(fmt)
    )
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


def graph_body(result: Any, fmt: str, max_results: int, deadline: float) -> bytes:
    """CONSTRUCT or DESCRIBE triples: written by pyoxigraph as N-Triples (one line per
    triple, so at most ``max_results`` lines), then in the requested format with the project's
    prefixes (Turtle, RDF/XML)."""
    from pyoxigraph import RdfFormat, parse

    sink = Sink(deadline, max_lines=max_results, what="triples")
    result.serialize(sink, RdfFormat.N_TRIPLES)
    if fmt == "ntriples":
        return sink.value()
    return triples_body(list(parse(sink.value(), format=RdfFormat.N_TRIPLES)), fmt)


def triples_body(triples: Sequence[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
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
