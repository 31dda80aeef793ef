"""Small value helpers shared by the report and the map exports: IRIs to local names, clipped
text, lenient numbers and booleans of query rows, atomic binary writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plangraph.rdf.atomic import atomic_write

QUOTE_LIMIT = 260
"""How many characters of a plan's words a table cell shows."""


def local(iri: Any) -> str:
    """The last path segment of an IRI.

    >>> local("https://w3id.org/plangraph/institution/gt-conamigua")
    'gt-conamigua'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def clip(text: Any, limit: int = QUOTE_LIMIT) -> str:
    """``text`` with its white space folded, cut to ``limit`` characters with an ellipsis.

    >>> clip("one  two\\nthree", 8)
    'one two…'
    """
    folded = " ".join(str(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1].rstrip() + "…"


def as_int(value: Any) -> int:
    """A count of a query row; 0 when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def as_bool(value: Any) -> bool:
    """A boolean of a query row (``True``, ``"true"``)."""
    return str(value).lower() == "true"


def text(value: Any) -> str:
    """A value as text; None and NaN (missing cells of a DataFrame) as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def write_bytes(path: Path, data: bytes) -> None:
    """Atomically write a whole binary file."""
    with atomic_write(path, "wb") as fh:
        fh.write(data)  # type: ignore[arg-type]
