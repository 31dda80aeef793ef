"""The one conversion between RDF terms (pyoxigraph) and plain Python values.

- :func:`to_python`: a query result term as a Python value (IRIs and strings ``str``, numbers
  ``int``/``float``, booleans ``bool``, blank nodes ``"_:id"``, unbound ``None``);
- :func:`to_term`: a Python value bound to a query parameter as an RDF term, following the
  parameter's declared kind (``IRI``, ``date``, ``literal``…).

Writing terms into SPARQL text (for ``VALUES`` clauses sent to remote endpoints) is
:mod:`plangraph.rdf.sparql`'s job.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGERS = frozenset(
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
XSD_FLOATS = frozenset({XSD + "decimal", XSD + "double", XSD + "float"})


@cache
def _term_classes() -> tuple[Any, Any, Any]:
    """pyoxigraph's NamedNode, BlankNode and Literal, imported once on first use (importing
    them on every call of :func:`to_python` was a third of its time: millions of calls when a
    report reads a large graph)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    return NamedNode, BlankNode, Literal


def to_python(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value.

    >>> from pyoxigraph import BlankNode, Literal, NamedNode
    >>> integer = NamedNode(XSD + "integer")
    >>> to_python(NamedNode("http://e/a")), to_python(Literal("3", datatype=integer))
    ('http://e/a', 3)
    >>> boolean = NamedNode(XSD + "boolean")
    >>> to_python(Literal("true", datatype=boolean)), to_python(Literal("6 meses"))
    (True, '6 meses')
    >>> to_python(Literal("0.50", datatype=NamedNode(XSD + "decimal"))), to_python(None)
    (0.5, None)
    >>> to_python(BlankNode("b1"))
    '_:b1'
    """
    if term is None:
        return None
    NamedNode, BlankNode, Literal = _term_classes()
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        datatype = term.datatype.value
        try:
            if datatype in XSD_INTEGERS:
                return int(term.value)
            if datatype in XSD_FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def to_term(value: Any, kind: str = "literal") -> Any:
    """A Python value as the pyoxigraph term a query parameter of ``kind`` expects.

    ``kind`` is the kind a query header declares (``IRI``, ``date``, ``literal``…). Terms pass
    through unchanged; ``date`` values must be ISO dates (``ValueError`` otherwise).

    >>> to_term("https://w3id.org/plangraph/plan/x", "IRI")
    <NamedNode value=https://w3id.org/plangraph/plan/x>
    >>> to_term("2024-01-01", "date")
    <Literal value=2024-01-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    >>> to_term(3), to_term(True)  # doctest: +NORMALIZE_WHITESPACE
    (<Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>,
     <Literal value=true datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#boolean>>)
    >>> to_term("2017-02-30", "date")
    Traceback (most recent call last):
    ...
    ValueError: not a date (YYYY-MM-DD): '2017-02-30'
    """
    from pyoxigraph import Literal, NamedNode

    if isinstance(value, NamedNode | Literal):
        return value
    if kind.upper().startswith("IRI"):
        return NamedNode(str(value))
    if isinstance(value, bool):
        return Literal(str(value).lower(), datatype=NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))
    if kind.lower().startswith("date"):
        text = value.isoformat() if isinstance(value, _dt.date) else str(value)
        try:
            _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None
        return Literal(text, datatype=NamedNode(XSD + "date"))
    return Literal(str(value))
