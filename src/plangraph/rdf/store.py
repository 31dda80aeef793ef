"""The one loader of RDF files into the embedded SPARQL store (an in-memory pyoxigraph Store).

Every command and the Python API read datasets through :func:`load_store`, so a file that one of
them accepts, all of them accept, and a bad file gives the same clear error everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError

RDF_SUFFIXES = {
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".nt": "N_TRIPLES",
    ".ttl": "TURTLE",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
}
"""File suffixes plangraph reads, and the pyoxigraph ``RdfFormat`` of each."""


def rdf_format(path: Path) -> Any:
    """The pyoxigraph ``RdfFormat`` of a file, by its suffix.

    >>> rdf_format(Path("build/plangraph.nq"))
    <RdfFormat N-Quads>
    >>> rdf_format(Path("x.csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.errors.PlangraphError: x.csv: unknown RDF format (use .nq, .trig, .nt, .ttl, ...
    """
    from pyoxigraph import RdfFormat

    name = RDF_SUFFIXES.get(path.suffix.lower())
    if name is None:
        raise PlangraphError(f"{path}: unknown RDF format (use {', '.join(RDF_SUFFIXES)})")
    return getattr(RdfFormat, name)


def load_store(path: Path) -> Any:
    """An in-memory ``pyoxigraph.Store`` loaded from an RDF file (N-Quads, TriG, N-Triples,
    Turtle, RDF/XML; triples-only formats load into the default graph).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = f.write_text('<http://e/s> <http://e/p> "o" <http://e/g> .\\n')
    >>> len(load_store(f))
    1
    >>> _ = f.write_text('<http://e/s> <http://e/p> .\\n')
    >>> load_store(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.errors.PlangraphError: .../g.nq: not valid N-Quads: ...
    """
    from pyoxigraph import Store

    fmt = rdf_format(path)
    if not path.is_file():
        raise PlangraphError(f"{path} not found")
    store = Store()
    try:
        store.load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{path}: not valid {fmt.name}: {exc}") from None
    except OSError as exc:
        raise PlangraphError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return store


def store_from_nquads(nquads: str) -> Any:
    """An in-memory ``pyoxigraph.Store`` loaded from N-Quads text."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.load(nquads.encode(), format=RdfFormat.N_QUADS)
    return store
