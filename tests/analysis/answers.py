"""Answers of one query from two engines, compared as values: numbers by value (Virtuoso writes
``0.5`` where the build has ``0.50``), booleans by value (``1``/``true``), language tags without
case, ``xsd:string`` as a plain literal, the lists a GROUP_CONCAT joins as multisets of their
items (SPARQL leaves their order to the engine), and the rows of an answer as a multiset (ties of
an ORDER BY fall either way). Used by tests/analysis/test_virtuoso.py (Virtuoso against the
embedded store) and tests/analysis/test_portability.py (rdflib against it)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from plangraph.analysis.catalogue import NamedQuery
from plangraph.analysis.results import Result

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        *("integer", "decimal", "double", "float", "int", "long", "short", "byte"),
        *("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger"),
        *("unsignedInt", "unsignedLong"),
    )
}
_AS = re.compile(r"\bAS\s+\?(\w+)\s*\)", re.I)
_SEPARATOR = re.compile(r"GROUP_CONCAT\s*\((?:[^;]*?);\s*separator\s*=\s*\"([^\"]*)\"", re.I)
_SAMPLE = re.compile(r"SAMPLE\s*\(\s*\?(\w+)\s*\)\s+AS\s+\?(\w+)", re.I)


def _expressions(text: str) -> Iterator[tuple[str, str]]:
    """Each ``(expression AS ?var)`` of a query: the variable and the expression, found by
    walking back from ``AS ?var)`` to the parenthesis that opens it (string literals skipped)."""
    for match in _AS.finditer(text):
        depth, i, quoted = 0, match.start() - 1, False
        while i >= 0:
            c = text[i]
            if c == '"' and text[i - 1] != "\\":
                quoted = not quoted
            elif not quoted and c == ")":
                depth += 1
            elif not quoted and c == "(":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        yield match.group(1), text[i + 1 : match.start()]


def joined_columns(query: NamedQuery) -> dict[str, str]:
    """The columns a GROUP_CONCAT joins (directly, inside other functions such as a REPLACE
    of its result, or through a SAMPLE of a sub-select's list), with their separators."""
    text = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    joined: dict[str, str] = {}
    for var, expression in _expressions(text):
        found = _SEPARATOR.search(expression)
        if found:
            joined[var] = found.group(1)
    for inner, outer in _SAMPLE.findall(text):
        if inner in joined:
            joined[outer] = joined[inner]
    return joined


def value(term: Any, separator: str | None = None) -> Any:
    """A comparable value for an RDF term (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("bnode",)
    assert isinstance(term, Literal)
    if term.language:
        text: Any = term.value
        return ("text", text, term.language.lower())
    datatype = term.datatype.value
    if datatype in NUMERIC:
        return ("number", round(float(term.value), 9))
    if datatype == XSD + "boolean":
        return ("boolean", term.value in ("true", "1"))
    if datatype == XSD + "string":
        if separator is not None:
            return ("list", tuple(sorted(term.value.split(separator))))
        return ("text", term.value, "")
    return ("typed", term.value, datatype)


def rows(result: Result, query: NamedQuery) -> Counter[tuple[Any, ...]]:
    joined = joined_columns(query)
    seps = [joined.get(column) for column in result.columns]
    return Counter(
        tuple(value(term, sep) for term, sep in zip(row, seps, strict=True)) for row in result.rows
    )


def from_rdflib(result: Any) -> Result:
    """An rdflib SELECT result as a :class:`Result` of pyoxigraph terms (``None`` for unbound)."""
    from rdflib import BNode, URIRef

    def term(t: Any) -> Any:
        if t is None:
            return None
        if isinstance(t, URIRef):
            return NamedNode(str(t))
        if isinstance(t, BNode):
            return BlankNode()
        if t.language:
            return Literal(str(t), language=t.language)
        if t.datatype:
            return Literal(str(t), datatype=NamedNode(str(t.datatype)))
        return Literal(str(t))

    variables = list(result.vars)
    rows = [[term(row.get(v)) for v in variables] for row in result.bindings]
    return Result("solutions", [str(v) for v in variables], rows)
