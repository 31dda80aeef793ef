"""Queries whose work has a small proven bound, answered in the server process.

Every other query runs in a worker process that the pool kills at its deadline
(:mod:`plangraph.serve.pool`): pyoxigraph cannot cancel a query, so only a process can be
stopped. For a light query the round trip to a worker costs more than the evaluation itself.
A query that provably cannot run away needs no process to be killed: it is evaluated here, on
the server's own copy of the store, by the same :func:`plangraph.serve.worker.execute` (same
answers, same row limit, same deadline checks between rows).

**Bounded.** A query is bounded when its algebra (read by rdflib) is only

- SELECT, ASK or CONSTRUCT without FROM, asked without ``default-graph-uri`` or
  ``named-graph-uri`` (so the default graph is the union of the named graphs);
- basic graph patterns, joined, under projection, FILTER and BIND (expressions without
  EXISTS), DISTINCT, REDUCED, ORDER BY, LIMIT and OFFSET;
- triple patterns whose predicate is an IRI or a variable (no property path);

and when ``patterns × ∏ matches`` is at most :attr:`BoundedQueries.max_work`, where a triple
pattern's *matches* are the quads of the store that agree with its IRIs (its literals and
variables count as anything; a pattern that matches nothing counts as the whole store, in case
rdflib read one of its IRIs otherwise than the engine). Whatever order the engine joins the
patterns in, no intermediate result can have more rows than the product, nor can a scan read
more quads than a pattern's matches: the evaluation is bounded by that number of steps, each a
fixed cost, and a filter or BIND is evaluated once per row. OPTIONAL, UNION, MINUS, GRAPH,
VALUES, subqueries, aggregates, property paths, DESCRIBE and SERVICE are never bounded here:
they go to a worker, as does a query rdflib cannot read.

Reading a query with rdflib costs about 10 ms, more than a worker's round trip: the verdict is
worked out in a background thread the second time a query text arrives (until it is known,
requests go to a worker) and remembered for the last :data:`REMEMBERED` texts. A text sent
once, a text longer than :data:`MAX_QUERY_CHARS`, or one arriving while :data:`MAX_PENDING`
others wait is never read, so a flood of new or huge queries costs the server nothing here.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any

from plangraph.serve.jobs import Job, Reply
from plangraph.serve.worker import execute

log = logging.getLogger("plangraph.serve")

REMEMBERED = 1_024
"""Query texts whose verdict is kept (and texts seen once, waiting for a second request)."""

MAX_QUERY_CHARS = 4_000
"""Longer query texts are never judged (bounded queries are short; rdflib's parser is slow on
long or deeply nested ones, and it holds the interpreter while it reads)."""

MAX_PENDING = 8
"""Most query texts waiting for a verdict; more are not judged, so a flood of new queries
costs the server no more than before."""

MAX_PATTERNS_KEPT = 100_000
"""Triple patterns whose match counts are kept (cleared when full)."""

_PATTERNS = frozenset(
    {
        "SelectQuery",
        "AskQuery",
        "ConstructQuery",
        "Project",
        "Slice",
        "Distinct",
        "Reduced",
        "OrderBy",
        "Filter",
        "Extend",
        "Join",
        "BGP",
    }
)
_UNBOUNDED_EXPRESSIONS = frozenset({"Builtin_EXISTS", "Builtin_NOTEXISTS"})


class BoundedQueries:
    """Which protocol queries are bounded (patterns × the product of their matches ≤
    ``max_work``), and their answers from ``store`` (a pyoxigraph store of the served
    dataset, read only)."""

    def __init__(self, store: Any, max_work: int, max_results: int) -> None:
        self.store = store
        self.max_work = max_work
        self.max_results = max_results
        self._verdicts: OrderedDict[tuple[str, str | None], bool] = OrderedDict()
        self._seen: OrderedDict[tuple[str, str | None], None] = OrderedDict()
        self._pending: set[tuple[str, str | None]] = set()
        self._matches: dict[tuple[str | None, str | None, str | None], int] = {}
        self._lock = threading.Lock()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plangraph-bounded")

    def close(self) -> None:
        """Stop the background thread (verdicts being worked out are dropped)."""
        self._thread.shutdown(wait=False, cancel_futures=True)

    def bounded(self, job: Job) -> bool:
        """Whether ``job`` may be answered here. Unknown: False now; the second time a text
        arrives, its verdict is worked out in the background for the next time (a text sent
        once is never read, so many one-off queries cost nothing here)."""
        if job.kind != "sparql" or not job.union or len(job.query) > MAX_QUERY_CHARS:
            return False
        if job.default_graphs is not None or job.named_graphs is not None:
            return False
        key = (job.query, job.base)
        with self._lock:
            verdict = self._verdicts.get(key)
            if verdict is not None:
                self._verdicts.move_to_end(key)
                return verdict
            if key in self._pending or len(self._pending) >= MAX_PENDING:
                return False
            if key not in self._seen:
                self._seen[key] = None
                while len(self._seen) > REMEMBERED:
                    self._seen.popitem(last=False)
                return False
            del self._seen[key]
            self._pending.add(key)
        self._thread.submit(self._judge, key)
        return False

    def verdict(self, query: str, base: str | None = None) -> bool | None:
        """The remembered verdict on a query text (None: not worked out yet)."""
        with self._lock:
            return self._verdicts.get((query, base))

    def run(self, job: Job, seconds: float) -> Reply:
        """The answer to a bounded job, evaluated in this process."""
        return execute(self.store, job, self.max_results, seconds)

    def judge(self, query: str, base: str | None = None) -> bool:
        """The verdict on one query text, worked out now (what the background thread does).

        >>> from pyoxigraph import Store
        >>> b = BoundedQueries(Store(), 20_000, 100)
        >>> b.judge("SELECT ?s WHERE { ?s a <http://e/C> } LIMIT 5")
        True
        >>> b.judge("SELECT ?s WHERE { ?s <http://e/p>+ ?o }")  # a property path
        False
        >>> b.judge("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # an aggregate
        False
        """
        try:
            algebra = _algebra(query, base)
        except Exception:  # rdflib cannot read it (or reads it differently): a worker will
            return False
        patterns = _triple_patterns(algebra)
        if patterns is None:
            return False
        work = len(patterns) or 1
        for pattern in patterns:
            work *= max(1, self._count(pattern))
            if work > self.max_work:
                return False
        return True

    def _judge(self, key: tuple[str, str | None]) -> None:
        try:
            verdict = self.judge(*key)
        except Exception:  # never let the background thread die; the query goes to a worker
            log.exception("could not judge a query's bound")
            verdict = False
        with self._lock:
            self._pending.discard(key)
            self._verdicts[key] = verdict
            while len(self._verdicts) > REMEMBERED:
                self._verdicts.popitem(last=False)

    def _count(self, pattern: tuple[str | None, str | None, str | None]) -> int:
        """Quads agreeing with a pattern's IRIs (None: any term), counted up to the bound. A
        pattern that matches nothing counts as the whole store: its IRIs may not be the ones
        the engine reads (rdflib read the query), and a wrong IRI would match nothing."""
        from pyoxigraph import NamedNode

        known = self._matches.get(pattern)
        if known is None:
            s, p, o = (NamedNode(t) if t is not None else None for t in pattern)
            quads = self.store.quads_for_pattern(s, p, o, None)
            known = sum(1 for _ in islice(quads, self.max_work + 1))
            if known == 0:
                known = sum(1 for _ in islice(self.store, self.max_work + 1))
            if len(self._matches) >= MAX_PATTERNS_KEPT:
                self._matches.clear()
            self._matches[pattern] = known
        return known


def _algebra(query: str, base: str | None) -> Any:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(query), base=base).algebra


def _triple_patterns(
    algebra: Any,
) -> list[tuple[str | None, str | None, str | None]] | None:
    """The triple patterns of a bounded query's algebra (IRIs as strings, None for anything
    else), or None when the algebra has a part that is not bounded."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    if getattr(algebra, "datasetClause", None):
        return None  # FROM / FROM NAMED
    patterns: list[tuple[str | None, str | None, str | None]] = []
    todo = [algebra]
    while todo:
        node = todo.pop()
        if not isinstance(node, CompValue) or node.name not in _PATTERNS:
            return None
        if node.name == "BGP":
            for triple in node.triples:
                if not isinstance(triple[1], URIRef | Variable):
                    return None  # a property path
                iris: list[str | None] = []
                for term in triple:
                    if isinstance(term, URIRef):
                        if ":" not in term:
                            return None  # relative: the engine may resolve it otherwise
                        iris.append(str(term))
                    else:
                        iris.append(None)
                patterns.append((iris[0], iris[1], iris[2]))
            continue
        for name in ("expr", "template"):
            if name in node and node[name] is not None and _has_unbounded(node[name]):
                return None
        todo += [node[name] for name in ("p", "p1", "p2") if name in node]
    return patterns


def _has_unbounded(expression: Any) -> bool:
    """Whether an expression evaluates a graph pattern (EXISTS, NOT EXISTS)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(expression, CompValue):
        if expression.name in _UNBOUNDED_EXPRESSIONS:
            return True
        return any(_has_unbounded(value) for value in expression.values())
    if isinstance(expression, list | tuple):
        return any(_has_unbounded(value) for value in expression)
    return False
