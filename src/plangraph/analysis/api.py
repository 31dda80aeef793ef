"""The Python API: open a plangraph dataset and ask it questions, answers as pandas DataFrames.

``plangraph.open()`` gives a :class:`PlanGraph` over the project's graph (built from ``graph/``
if ``build/plangraph.nq`` is missing or older than its inputs), over a dataset file, or over a
remote SPARQL 1.1 endpoint. Every named query of ``queries/`` runs by name with bound values;
overlaps, gaps and networks have their own methods. docs/queries.md lists the queries.

A worked example on the small fixture the tests use (docs/queries.md has the same walk-through on
the bundled plans)::

    >>> import plangraph
    >>> pg = plangraph.open("tests/data/queries/fixture.trig")
    >>> short = lambda iris: [iri.split("/plan/")[-1] for iri in iris]
    >>> gaps = pg.gaps("no-responsible")
    >>> short(gaps.element), gaps.roles.fillna("").tolist()
    (['fx-a/result-1/action-1.2', 'fx-c/action-1'], ['', 'supporting, involved'])
    >>> inst = pg.overlaps("institutions")
    >>> short(inst[inst.label == "Ministerio de Relaciones Exteriores"].plan)
    ['fx-a', 'fx-b']
    >>> pairs = pg.overlaps("similar")
    >>> list(zip(short(pairs.element_a), short(pairs.element_b), pairs.score.round(2)))
    ... # doctest: +NORMALIZE_WHITESPACE
    [('fx-a/result-1/action-1.1', 'fx-c/action-1', 1.0),
     ('fx-a/result-1/action-1.1', 'fx-a/result-1/action-1.2', 0.87),
     ('fx-a/result-1/action-1.2', 'fx-c/action-1', 0.87)]
    >>> pg.gaps("plans-in-force", on="2024-01-01").state.tolist()
    ['lapsed', 'in force', 'no period']
    >>> G = pg.network("co-responsibility")
    >>> G.number_of_nodes(), G.number_of_edges()
    (6, 9)
    >>> brokers = pg.brokers()
    >>> brokers.label.tolist(), short(brokers.plan_a), short(brokers.plan_b)
    (['Procuraduría General de la Nación'], ['fx-a'], ['fx-c'])
    >>> pg.query("reports/plans", plan="https://w3id.org/plangraph/plan/fx-b").actions.tolist()
    [2]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.errors import PlangraphError
from plangraph.project import Project

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from plangraph.analysis.catalogue import NamedQuery

__all__ = [
    "GAP_KINDS",
    "NETWORK_ALIASES",
    "NETWORK_KINDS",
    "OVERLAP_KINDS",
    "PlanGraph",
    "open",
    "value",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
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
}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}

OVERLAP_KINDS: dict[str, str | None] = {
    "institutions": "overlaps/institutions-across-plans",
    "theme": "overlaps/shared-theme",
    "population": "overlaps/shared-population",
    "framework": "overlaps/shared-framework",
    "matrix": "overlaps/plan-matrix",
    "similar": None,
}
"""Kinds of :meth:`PlanGraph.overlaps` and the named query each runs (``similar`` is Python)."""

GAP_KINDS = (
    "no-responsible",
    "no-timeframe",
    "results-without-actions",
    "no-indicator",
    "declared-population-unserved",
    "gcm-objectives-unserved",
    "sdg-targets-unserved",
    "themes-single-plan",
    "plans-in-force",
    "untimed-actions",
)
"""Kinds of :meth:`PlanGraph.gaps`: the queries ``gaps/<kind>``."""

NETWORK_KINDS = ("institution-plan", "co-responsibility", "plan-overlap", "similarity")
"""Kinds of :meth:`PlanGraph.network` (also the KINDs of ``plangraph network`` and ``map``)."""
NETWORK_ALIASES = {"institutions": "co-responsibility", "plans": "plan-overlap"}
"""Other names accepted for network kinds."""

_PAIR_ORDER = {
    "theme": ["theme", "plan_a", "element_a", "plan_b", "element_b"],
    "population": ["population", "plan_a", "element_a", "plan_b", "element_b"],
    "framework": ["framework", "objective", "plan_a", "element_a", "plan_b", "element_b"],
}
MATRIX_MEASURES = ("institutions", "named_institutions", "themes", "populations", "frameworks")


def value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: IRIs and strings as ``str``, numbers as
    ``int``/``float``, booleans as ``bool``, blank nodes as ``"_:id"``, unbound as ``None``.

    >>> from pyoxigraph import Literal, NamedNode
    >>> value(NamedNode("http://e/a")), value(Literal("3", datatype=NamedNode(XSD + "integer")))
    ('http://e/a', 3)
    >>> value(Literal("true", datatype=NamedNode(XSD + "boolean"))), value(Literal("6 meses"))
    (True, '6 meses')
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
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def _frame(columns: list[str], rows: Iterable[Iterable[Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([[value(v) for v in row] for row in rows], columns=columns)


def _default_queries_dir() -> Path:
    try:
        return Project.discover().queries_dir
    except PlangraphError:
        here = Path(__file__).resolve().parents[3] / "queries"
        if here.is_dir():
            return here
        raise PlangraphError(
            "no queries/ directory found: run from a plangraph project or pass queries_dir"
        ) from None


def _rdf_format(path: Path) -> Any:
    from pyoxigraph import RdfFormat

    formats = {
        ".nq": RdfFormat.N_QUADS,
        ".trig": RdfFormat.TRIG,
        ".nt": RdfFormat.N_TRIPLES,
        ".ttl": RdfFormat.TURTLE,
        ".rdf": RdfFormat.RDF_XML,
        ".owl": RdfFormat.RDF_XML,
    }
    if path.suffix not in formats:
        raise PlangraphError(f"{path}: unknown RDF format (use .nq, .trig, .nt, .ttl or .rdf)")
    return formats[path.suffix]


class PlanGraph:
    """A plangraph dataset to question: an embedded Oxigraph store, or a SPARQL endpoint.

    Build one with :func:`open`. ``store`` is a ``pyoxigraph.Store``; ``endpoint`` the URL of a
    SPARQL 1.1 query endpoint. ``queries_dir`` is the ``queries/`` directory of named queries.
    """

    def __init__(
        self,
        store: Any | None = None,
        *,
        endpoint: str | None = None,
        queries_dir: Path | None = None,
        source: str = "",
        timeout: float = 60.0,
    ) -> None:
        if (store is None) == (endpoint is None):
            raise PlangraphError("a PlanGraph needs a store or an endpoint (one of them)")
        self.store = store
        self.endpoint = endpoint
        self.queries_dir = queries_dir or _default_queries_dir()
        self.source = source or (endpoint or "in-memory store")
        self.timeout = timeout
        self._graphs: list[str] | None = None

    def __repr__(self) -> str:
        return f"<PlanGraph {self.source}>"

    # -- queries ------------------------------------------------------------------------------

    @property
    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name (``gaps/no-responsible`` …)."""
        from plangraph.analysis.catalogue import catalogue

        return catalogue(self.queries_dir)

    def describe(self) -> pd.DataFrame:
        """The catalogue of named queries: name, title, parameters, columns.

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> "gaps/no-responsible" in set(pg.describe().name)
        True
        """
        import pandas as pd

        rows = [
            [
                q.name,
                q.title,
                ", ".join(f"{p.name} ({p.kind})" for p in q.params),
                ", ".join(q.columns),
            ]
            for q in self.queries.values()
        ]
        return pd.DataFrame(rows, columns=["name", "title", "params", "columns"])

    def query(self, name: str, **bindings: Any) -> pd.DataFrame:
        """Run the named query ``name`` with values bound to its parameters.

        Values are bound as RDF terms (substitutions for the embedded store, a ``VALUES`` clause
        of escaped terms for an endpoint), never formatted into the query text. ``None`` leaves a
        parameter unbound.

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> pg.query("gaps/no-timeframe", plan="https://w3id.org/plangraph/plan/fx-c").code.tolist()
        ['1']
        """
        from plangraph.analysis.catalogue import find, run

        named = find(self.queries_dir, name)
        if self.store is not None:
            columns, rows = run(self.store, named, **bindings)
        else:
            from plangraph.analysis.remote import plangraph_graphs, query_endpoint

            assert self.endpoint is not None
            if self._graphs is None:
                self._graphs = plangraph_graphs(self.endpoint, self.timeout)
            columns, rows = query_endpoint(
                self.endpoint, named, bindings, graphs=self._graphs, timeout=self.timeout
            )
        return _frame(columns, rows)

    def sparql(self, text: str) -> pd.DataFrame:
        """Run a SPARQL query given as text. SELECT gives its solutions; ASK one column ``ask``;
        CONSTRUCT and DESCRIBE the columns ``subject, predicate, object``.

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> plan_class = "<https://w3id.org/plangraph/ontology#Plan>"
        >>> pg.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a {plan_class} }}")
           n
        0  3
        """
        import pandas as pd

        if self.store is None:
            return self._remote_sparql(text)
        from pyoxigraph import QueryBoolean, QuerySolutions

        try:
            result = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise PlangraphError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, QueryBoolean):
            return pd.DataFrame({"ask": [bool(result)]})
        if isinstance(result, QuerySolutions):
            columns = [v.value for v in result.variables]
            return _frame(columns, ([sol[c] for c in columns] for sol in result))
        return _frame(
            ["subject", "predicate", "object"], ([t.subject, t.predicate, t.object] for t in result)
        )

    def _remote_sparql(self, text: str) -> pd.DataFrame:
        import httpx
        import pandas as pd
        from pyoxigraph import (
            QueryBoolean,
            QueryResultsFormat,
            RdfFormat,
            parse,
            parse_query_results,
        )

        assert self.endpoint is not None
        headers = {
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        }
        try:
            response = httpx.post(
                self.endpoint, content=text.encode(), headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise PlangraphError(f"cannot reach {self.endpoint}: {exc}") from None
        if not 200 <= response.status_code < 300:
            raise PlangraphError(
                f"{self.endpoint} answered {response.status_code}: {response.text[:500].strip()}"
            )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == "application/n-triples":
            triples = parse(response.content, format=RdfFormat.N_TRIPLES)
            return _frame(
                ["subject", "predicate", "object"],
                ([t.subject, t.predicate, t.object] for t in triples),
            )
        result = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        if isinstance(result, QueryBoolean):
            return pd.DataFrame({"ask": [bool(result)]})
        columns = [v.value for v in result.variables]
        return _frame(columns, ([sol[c] for c in columns] for sol in result))

    # -- overlaps -----------------------------------------------------------------------------

    def overlaps(
        self,
        kind: str = "institutions",
        *,
        threshold: float | None = None,
        scope: str = "all",
        action_level: bool = False,
        top_k: int | None = None,
        **bindings: Any,
    ) -> pd.DataFrame:
        """Overlaps between plans, as a table. ``kind`` is one of :data:`OVERLAP_KINDS`:

        - ``institutions``: institutions in several plans, their roles and elements;
        - ``theme`` / ``population`` / ``framework``: pairs of action-level elements of
          different plans sharing a concept (bind ``theme=``, ``population=``, ``objective=``);
        - ``matrix``: per pair of plans, shared institutions, themes, populations, frameworks
          (both orders and the diagonal, zeros filled; see :meth:`plan_matrix`);
        - ``similar``: near-duplicate elements by text (``threshold``, default
          :data:`plangraph.analysis.similarity.DEFAULT_THRESHOLD`; ``scope`` all / within / across plans;
          ``action_level=True`` compares action-level elements only; ``plan=`` one plan's).
        """
        if kind not in OVERLAP_KINDS:
            raise PlangraphError(
                f"unknown overlap kind '{kind}' (kinds: {', '.join(OVERLAP_KINDS)})"
            )
        if kind == "similar":
            return self.near_duplicates(
                threshold=threshold, scope=scope, action_level=action_level, top_k=top_k, **bindings
            )
        name = OVERLAP_KINDS[kind]
        assert name is not None
        frame = self.query(name, **bindings)
        if kind == "matrix":
            return self._symmetric_matrix(frame)
        if kind in _PAIR_ORDER:
            frame = frame.sort_values(_PAIR_ORDER[kind], ignore_index=True, kind="stable")
        return frame

    def _symmetric_matrix(self, frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        plans = self.query("reports/plans").plan.tolist()
        swapped = frame.rename(columns={"plan_a": "plan_b", "plan_b": "plan_a"})
        both = pd.concat([frame, swapped[swapped.plan_a != swapped.plan_b]], ignore_index=True)
        full = pd.MultiIndex.from_product([plans, plans], names=["plan_a", "plan_b"])
        out = (
            both.set_index(["plan_a", "plan_b"])
            .reindex(full, fill_value=0)[list(MATRIX_MEASURES)]
            .astype(int)
            .reset_index()
        )
        return out

    def plan_matrix(self, measure: str = "institutions") -> pd.DataFrame:
        """The square plan × plan matrix of one measure (rows and columns: plan IRIs; the
        diagonal is the plan's own total).

        >>> m = open("tests/data/queries/fixture.trig").plan_matrix("institutions")
        >>> m.to_numpy().tolist()
        [[4, 3, 1], [3, 5, 2], [1, 2, 3]]
        """
        if measure not in MATRIX_MEASURES:
            raise PlangraphError(
                f"unknown measure '{measure}' (measures: {', '.join(MATRIX_MEASURES)})"
            )
        long = self.overlaps("matrix")
        square = long.pivot(index="plan_a", columns="plan_b", values=measure)
        square.index.name = None
        square.columns.name = None
        return square

    def near_duplicates(
        self,
        *,
        threshold: float | None = None,
        scope: str = "all",
        action_level: bool = False,
        top_k: int | None = None,
        plan: str | None = None,
        kind: str | None = None,
    ) -> pd.DataFrame:
        """Pairs of elements with near-identical texts (plangraph.analysis.similarity), best first."""
        from plangraph.analysis import similarity as similarity

        elements = self.query("reports/element-texts", plan=plan, kind=kind)
        if action_level:
            elements = elements[elements.action_level.astype(bool)]
        return similarity.near_duplicates(
            elements,
            threshold=similarity.DEFAULT_THRESHOLD if threshold is None else threshold,
            top_k=similarity.DEFAULT_TOP_K if top_k is None else top_k,
            scope=scope,
        )

    # -- gaps ---------------------------------------------------------------------------------

    def gaps(
        self, kind: str = "no-responsible", on: str | _dt.date | None = None, **bindings: Any
    ) -> pd.DataFrame:
        """Gaps, as a table: ``kind`` is one of :data:`GAP_KINDS` (the queries ``gaps/<kind>``).
        ``on`` is the day for ``plans-in-force`` (default: today)."""
        name = kind if kind.startswith("gaps/") else f"gaps/{kind}"
        if name not in self.queries:
            known = ", ".join(n.split("/", 1)[1] for n in self.queries if n.startswith("gaps/"))
            raise PlangraphError(f"unknown gap kind '{kind}' (kinds: {known})")
        if any(p.name == "on" for p in self.queries[name].params):
            bindings["on"] = str(on or _dt.date.today())
        elif on is not None:
            raise PlangraphError(f"the gap '{kind}' takes no day ('on')")
        return self.query(name, **bindings)

    def gap_summary(self, on: str | _dt.date | None = None) -> pd.DataFrame:
        """How many rows every gap query returns: kind, title, rows."""
        import pandas as pd

        rows = []
        for name, named in self.queries.items():
            if name.startswith("gaps/"):
                kind = name.split("/", 1)[1]
                frame = self.gaps(kind, on=on) if kind == "plans-in-force" else self.gaps(kind)
                rows.append([kind, named.title, len(frame)])
        return pd.DataFrame(rows, columns=["kind", "title", "rows"])

    # -- networks -----------------------------------------------------------------------------

    def network(self, kind: str, **options: Any) -> nx.Graph:
        """A NetworkX graph of the dataset (plangraph.analysis.networks): ``institution-plan``
        (bipartite), ``co-responsibility`` (institutions sharing action-level elements),
        ``plan-overlap`` (plans weighted by what they share) or ``similarity`` (near-duplicate
        elements). Options go to the builder (e.g. ``generic=False``, ``roles=("responsible",)``,
        ``measures=("themes",)``, ``threshold=0.8``)."""
        from plangraph.analysis import networks as networks

        kind = NETWORK_ALIASES.get(kind, kind)
        if kind == "institution-plan":
            return networks.institution_plan_graph(
                self.query("reports/participations"), self.query("reports/plans"), **options
            )
        if kind == "co-responsibility":
            return networks.co_responsibility_graph(self.query("reports/participations"), **options)
        if kind == "plan-overlap":
            return networks.plan_overlap_graph(
                self.query("overlaps/plan-matrix"), self.query("reports/plans"), **options
            )
        if kind == "similarity":
            pairs = self.near_duplicates(**options)
            return networks.similarity_graph(pairs, self.query("reports/element-texts"))
        raise PlangraphError(f"unknown network kind '{kind}' (kinds: {', '.join(NETWORK_KINDS)})")

    def metrics(self, kind: str, seed: int = 42, **options: Any) -> pd.DataFrame:
        """Node metrics of a network (degree, betweenness, Louvain community; see
        plangraph.analysis.metrics.node_metrics)."""
        from plangraph.analysis.metrics import node_metrics

        return node_metrics(self.network(kind, **options), seed=seed)

    def brokers(self, generic: bool = True) -> pd.DataFrame:
        """Institutions that alone connect a pair of plans (plangraph.analysis.metrics.brokers)."""
        from plangraph.analysis.metrics import brokers

        return brokers(self.network("institution-plan", generic=generic))


def _newest_input(project: Project) -> float:
    newest = 0.0
    package = Path(__file__).resolve().parents[1]
    for folder, pattern in (
        (project.graph_dir, "*"),
        (project.ontology_dir, "*"),
        (package, "*.py"),
    ):
        for path in folder.rglob(pattern):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def is_fresh(project: Project) -> bool:
    """Whether ``build/plangraph.nq`` exists and is newer than every input of the build (plan
    files, sources, institutions, ontology and vocabularies, plangraph's own code)."""
    nquads = project.build_dir / "plangraph.nq"
    return nquads.is_file() and nquads.stat().st_mtime >= _newest_input(project)


def open(
    path: str | Path | None = None,
    *,
    endpoint: str | None = None,
    queries_dir: str | Path | None = None,
    rebuild: bool = False,
    timeout: float = 60.0,
) -> PlanGraph:
    """Open a plangraph dataset.

    - ``open()``: the project at or above the working directory (or ``$PLANGRAPH_ROOT``): opens
      ``build/plangraph.nq`` if it is newer than every input, else builds it from ``graph/``
      first (``rebuild=True`` always builds);
    - ``open("path/to/project")``: the same for that project directory;
    - ``open("dataset.nq")``: a dataset file (``.nq``, ``.trig``; ``.nt``/``.ttl``/``.rdf``
      load into the default graph);
    - ``open(endpoint="http://host:7878/query")``: a SPARQL 1.1 endpoint holding the plangraph
      graphs (e.g. ``plangraph serve``, or Oxigraph after ``plangraph push``).

    >>> pg = open("tests/data/queries/fixture.trig")
    >>> pg
    <PlanGraph tests/data/queries/fixture.trig>
    """
    qdir = Path(queries_dir) if queries_dir is not None else None
    if endpoint is not None:
        if path is not None:
            raise PlangraphError("give a path or an endpoint, not both")
        return PlanGraph(endpoint=endpoint, queries_dir=qdir, timeout=timeout)
    if path is None or Path(path).is_dir():
        project = Project.discover(Path(path) if path is not None else None)
        nquads = project.build_dir / "plangraph.nq"
        if rebuild or not is_fresh(project):
            from plangraph.pipeline.build import build

            nquads = build(project).outputs["nquads"]
        return _from_file(nquads, qdir or project.queries_dir, str(nquads))
    return _from_file(Path(path), qdir, str(path))


def _from_file(path: Path, queries_dir: Path | None, source: str) -> PlanGraph:
    from pyoxigraph import Store

    if not path.is_file():
        raise PlangraphError(f"{path} not found")
    store = Store()
    try:
        store.load(path=str(path), format=_rdf_format(path))
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{path}: {exc}") from None
    return PlanGraph(store, queries_dir=queries_dir, source=source)
