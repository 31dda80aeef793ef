"""The embedded SPARQL store: an Oxigraph (pyoxigraph) store built from the compiled dataset."""

from __future__ import annotations

from pathlib import Path

from plangraph.errors import PlangraphError


def open_store(nquads_file: Path) -> object:
    """An in-memory ``pyoxigraph.Store`` loaded from a compiled ``plangraph.nq`` (or ``.trig``).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = f.write_text('<http://e/s> <http://e/p> "o" <http://e/g> .\\n')
    >>> len(open_store(f))
    1
    """
    from pyoxigraph import RdfFormat, Store

    if not nquads_file.is_file():
        raise PlangraphError(f"{nquads_file} not found: run 'plangraph build' first")
    fmt = RdfFormat.TRIG if nquads_file.suffix == ".trig" else RdfFormat.N_QUADS
    store = Store()
    store.load(path=str(nquads_file), format=fmt)
    return store


def store_from_nquads(nquads: str) -> object:
    """An in-memory ``pyoxigraph.Store`` loaded from N-Quads text."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.load(nquads.encode(), format=RdfFormat.N_QUADS)
    return store
