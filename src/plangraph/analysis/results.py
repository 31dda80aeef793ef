"""What a query returns, whichever backend ran it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
