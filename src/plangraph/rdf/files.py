"""Reading RDF files into rdflib graphs with errors a user can act on (file and reason, never
a traceback)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from plangraph.errors import PlangraphError


def parse_rdf(path: Path, fmt: str = "turtle", into: Graph | None = None) -> Graph:
    """Parse an RDF file into ``into`` (a new graph by default).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = f.write_text("<a> <b> .")
    >>> parse_rdf(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.errors.PlangraphError: .../bad.ttl: cannot parse turtle: ...
    """
    graph = Graph() if into is None else into
    try:
        graph.parse(path, format=fmt)
    except FileNotFoundError:
        raise PlangraphError(f"{path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlangraphError(f"{path}: cannot read: {exc}") from None
    except Exception as exc:  # rdflib raises many parser error types
        reason = " ".join(str(exc).split())[:300]
        raise PlangraphError(f"{path}: cannot parse {fmt}: {reason}") from None
    return graph


def parse_turtle_dir(folder: Path, into: Graph | None = None) -> Graph:
    """Parse every ``*.ttl`` file of a folder (sorted by name) into one graph."""
    graph = Graph() if into is None else into
    for file in sorted(folder.glob("*.ttl")):
        parse_rdf(file, "turtle", graph)
    return graph
