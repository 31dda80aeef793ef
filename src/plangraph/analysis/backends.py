"""Where queries run: the embedded store or a remote SPARQL endpoint, with the same semantics.

Both backends answer a named query (:meth:`Backend.select`) and a query given as text
(:meth:`Backend.sparql`) over the same dataset: the union of the plangraph graphs. The embedded
store (pyoxigraph) queries the union of its graphs as the default graph; a remote store is told
the dataset explicitly, every plangraph graph it holds as a ``default-graph-uri`` and a
``named-graph-uri``, for named queries and queries as text alike (unless the query names its own
dataset with ``FROM``). Virtuoso is the exception: it is sent no dataset, and its default graph,
the union of all its graphs, stands for the plangraph graphs (it mis-answers over a list of
graphs; keep plangraph in a Virtuoso of its own, :class:`RemoteBackend` warns otherwise). Bound
values are substitutions on the embedded store and an escaped ``VALUES`` clause on an endpoint
(``BIND`` clauses on Virtuoso; :mod:`plangraph.analysis.remote`), never formatted text.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Protocol

from plangraph.analysis.catalogue import NamedQuery
from plangraph.analysis.remote import StoreGraphs, insert_values, post_query, store_graphs
from plangraph.analysis.results import Result, from_oxigraph
from plangraph.errors import PlangraphError
from plangraph.rdf.sparql import QueryInfo, SparqlRequestError, analyse, engine_syntax_error


class Backend(Protocol):
    """A place to run queries over a plangraph dataset."""

    def select(self, query: NamedQuery, bindings: Mapping[str, Any]) -> Result:
        """Run a named SELECT query with values bound to its parameters."""
        ...

    def sparql(self, text: str, *, allow_service: bool = False) -> Result:
        """Run a query given as text (``SERVICE`` refused unless ``allow_service``)."""
        ...


class EmbeddedBackend:
    """Queries on an in-memory pyoxigraph Store, over the union of its graphs."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def select(self, query: NamedQuery, bindings: Mapping[str, Any]) -> Result:
        """Run a named query with its values as Oxigraph substitutions."""
        from pyoxigraph import Variable

        subs = {Variable(k): v for k, v in query.bind(bindings).items()}
        try:
            result = self.store.query(
                query.text, use_default_graph_as_union=True, substitutions=subs
            )
        except SyntaxError as exc:
            raise PlangraphError(f"{query.path}: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable the query does not select
            raise PlangraphError(f"{query.path}: {exc}") from None
        return from_oxigraph(result)

    def sparql(self, text: str, *, allow_service: bool = False) -> Result:
        """Run a query given as text, checked and rewritten by
        :func:`plangraph.rdf.sparql.analyse` (bounded nesting; ``SERVICE`` refused unless
        ``allow_service``)."""
        info = _checked(text, allow_service)
        try:
            result = self.store.query(info.text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise PlangraphError(f"SPARQL {engine_syntax_error(text, exc).message}") from None
        return from_oxigraph(result)


def _checked(text: str, allow_service: bool) -> QueryInfo:
    try:
        return analyse(text, allow_service=allow_service)
    except SparqlRequestError as exc:
        raise PlangraphError(exc.message) from None


class RemoteBackend:
    """Queries on a SPARQL 1.1 endpoint holding the plangraph graphs (e.g. after
    ``plangraph push``, or ``plangraph serve``)."""

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._store: StoreGraphs | None = None

    @property
    def store(self) -> StoreGraphs:
        """The graphs the endpoint holds, and which server it is (asked once)."""
        if self._store is None:
            found = store_graphs(self.endpoint, self.timeout)
            if not found.plangraph:
                raise PlangraphError(
                    f"{self.endpoint} holds no plangraph graphs: run 'plangraph push' first"
                )
            if found.virtuoso and found.others:
                warnings.warn(
                    f"{self.endpoint} is Virtuoso, whose queries see every graph of the store, "
                    f"and it holds {len(found.others)} graph(s) besides plangraph's (e.g. "
                    f"{found.others[0]}): answers may include their data",
                    stacklevel=2,
                )
            self._store = found
        return self._store

    @property
    def graphs(self) -> list[str]:
        """The plangraph graphs the endpoint holds."""
        return self.store.plangraph

    def select(self, query: NamedQuery, bindings: Mapping[str, Any]) -> Result:
        """Run a named query with its values in an escaped ``VALUES`` clause (``BIND`` clauses
        on Virtuoso)."""
        try:
            text = insert_values(query.text, query.bind(bindings), bind=self.store.virtuoso)
        except ValueError as exc:
            raise PlangraphError(f"query '{query.name}', parameter value: {exc}") from None
        return post_query(self.endpoint, text, self.store.dataset, self.timeout)

    def sparql(self, text: str, *, allow_service: bool = False) -> Result:
        """Run a query given as text, over the plangraph graphs unless it names its own
        dataset (``FROM``); ``SERVICE`` refused unless ``allow_service``."""
        own_dataset = _checked(text, allow_service).has_dataset
        dataset = None if own_dataset else self.store.dataset
        return post_query(self.endpoint, text, dataset, self.timeout)
