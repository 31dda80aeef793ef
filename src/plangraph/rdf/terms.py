"""The one conversion between RDF terms (pyoxigraph) and plain Python values or rdflib terms.

- :func:`to_python`: a query result term as a Python value (IRIs and strings ``str``, numbers
  ``int``/``float``, booleans ``bool``, blank nodes ``"_:id"``, unbound ``None``);
- :func:`to_rdflib`: a query result term as the rdflib term that says the same, keeping a
  literal's lexical form, datatype and language tag (CONSTRUCT and DESCRIBE results);
- :func:`to_term`: a Python value bound to a query parameter as an RDF term, following the
  parameter's declared kind (``IRI``, ``date``, ``literal``…).

Writing terms into SPARQL text (for ``VALUES`` clauses sent to remote endpoints) is
:mod:`plangraph.rdf.sparql`'s job.
"""

from __future__ import annotations

import datetime as _dt
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
    from pyoxigraph import BlankNode, Literal, NamedNode

    if term is None:
        return None
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


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term that says the same: an IRI as ``URIRef``, a blank
    node as ``BNode`` with the same id, a literal as ``Literal`` with its lexical form as it
    came (not normalised), its language tag or its datatype (``xsd:string``, which RDF 1.1
    gives every plain literal, as no datatype, as rdflib writes plain literals).

    >>> from pyoxigraph import BlankNode, Literal, NamedNode
    >>> to_rdflib(Literal("Niñez", language="es"))
    rdflib.term.Literal('Niñez', lang='es')
    >>> to_rdflib(Literal("2020", datatype=NamedNode(XSD + "gYear")))
    rdflib.term.Literal('2020', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    >>> to_rdflib(Literal("0.50", datatype=NamedNode(XSD + "decimal"))).n3()
    '"0.50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> to_rdflib(Literal("6 meses")), to_rdflib(NamedNode("http://e/a"))
    (rdflib.term.Literal('6 meses'), rdflib.term.URIRef('http://e/a'))
    >>> to_rdflib(BlankNode("b1"))
    rdflib.term.BNode('b1')
    """
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    raise ValueError(f"not an IRI, blank node or literal (rdflib has no such term): {term!r}")


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
