"""What a query returns, whichever backend ran it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plangraph.rdf.iris import PREFIXES
from plangraph.rdf.terms import to_python, to_rdflib

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph


@dataclass(frozen=True)
class Result:
    """What a query returns: solutions (``columns`` and ``rows`` of pyoxigraph terms, ``None``
    for unbound), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    form: str
    """``solutions``, ``boolean`` or ``graph``."""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)


def from_oxigraph(result: Any) -> Result:
    """A pyoxigraph query result (solutions, boolean or triples) as a :class:`Result`."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        return Result("boolean", boolean=bool(result))
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        # a solution iterates its values in the order of the variables
        return Result("solutions", columns, [list(sol) for sol in result])
    return Result("graph", triples=list(result))


def to_frame(columns: list[str], rows: Iterable[Iterable[Any]]) -> pd.DataFrame:
    """Rows of RDF terms as a DataFrame of plain Python values (:func:`to_python`)."""
    import pandas as pd

    return pd.DataFrame([[to_python(v) for v in row] for row in rows], columns=columns)


def to_graph(triples: Iterable[Any]) -> Graph:
    """Triples of pyoxigraph terms (a CONSTRUCT or DESCRIBE result) as an rdflib Graph, each
    term through :func:`plangraph.rdf.terms.to_rdflib`: literals keep their lexical form,
    datatype and language tag. plangraph's prefixes are bound for serialising."""
    from rdflib import Graph

    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return graph


def result_frame(result: Result) -> pd.DataFrame:
    """A query result as a DataFrame of plain values (:func:`to_frame`): solutions as they are,
    ASK as one column ``ask``, CONSTRUCT and DESCRIBE as ``subject, predicate, object`` (plain
    values lose a literal's datatype and language: :func:`to_graph` keeps them)."""
    import pandas as pd

    if result.form == "boolean":
        return pd.DataFrame({"ask": [bool(result.boolean)]})
    if result.form == "graph":
        return to_frame(
            ["subject", "predicate", "object"],
            ([t.subject, t.predicate, t.object] for t in result.triples),
        )
    return to_frame(result.columns, result.rows)
