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
    >>> short(gaps.element), [sorted(r.split(", ")) for r in gaps.roles.fillna("")]
    (['fx-a/result-1/action-1.2', 'fx-c/action-1'], [[''], ['involved', 'supporting']])
    >>> inst = pg.overlaps("institutions")
    >>> short(inst[inst.label == "Ministerio de Relaciones Exteriores"].plan)
    ['fx-a', 'fx-b']
    >>> pairs = pg.overlaps("similar", threshold=0.7)
    >>> list(zip(short(pairs.element_a), short(pairs.element_b), pairs.score.round(2)))
    ... # doctest: +NORMALIZE_WHITESPACE
    [('fx-a/result-1/action-1.1', 'fx-c/action-1', 1.0),
     ('fx-a/result-1/action-1.1', 'fx-a/result-1/action-1.2', 0.74),
     ('fx-a/result-1/action-1.2', 'fx-c/action-1', 0.74)]
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.analysis.backends import Backend, EmbeddedBackend, RemoteBackend
from plangraph.analysis.catalogue import NamedQuery, catalogue, find
from plangraph.analysis.kinds import (
    COUNT_ORDER,
    MATRIX_MEASURES,
    NETWORK_KINDS,
    OVERLAP_KINDS,
    PAIR_CONCEPT,
    PAIR_ORDER,
    PAIR_QUERIES,
    network_kind,
)
from plangraph.analysis.results import Result, result_frame, to_frame, to_graph
from plangraph.errors import PlangraphError
from plangraph.pipeline.freshness import current_build
from plangraph.project import Project
from plangraph.rdf.store import load_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

    from plangraph.analysis.findings import Finding

__all__ = ["PlanGraph", "open", "result_frame", "to_frame", "to_graph"]


class PlanGraph:
    """A plangraph dataset to question: an embedded Oxigraph store, or a SPARQL endpoint.

    Build one with :func:`open`. ``backend`` runs the queries
    (:class:`~plangraph.analysis.backends.EmbeddedBackend` or
    :class:`~plangraph.analysis.backends.RemoteBackend`); ``queries_dir`` is a project's own
    ``queries/`` directory, which adds to and overrides the queries shipped with plangraph.
    """

    def __init__(
        self, backend: Backend, *, queries_dir: Path | None = None, source: str = ""
    ) -> None:
        self.backend = backend
        self.queries_dir = queries_dir
        self.source = source or "in-memory store"
        self._memo: dict[tuple[Any, ...], Any] | None = None

    @property
    def store(self) -> Any | None:
        """The embedded pyoxigraph Store, or ``None`` for an endpoint."""
        return self.backend.store if isinstance(self.backend, EmbeddedBackend) else None

    @property
    def endpoint(self) -> str | None:
        """The endpoint URL, or ``None`` for the embedded store."""
        return self.backend.endpoint if isinstance(self.backend, RemoteBackend) else None

    def __repr__(self) -> str:
        return f"<PlanGraph {self.source}>"

    @contextmanager
    def remembering(self) -> Iterator[PlanGraph]:
        """Within the block, a query asked again with the same values, the near-duplicate
        search and the plan matrix are answered from memory (the report asks them from
        several sections), released when the block ends.

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> with pg.remembering():
        ...     pg.select("reports/plans") is pg.select("reports/plans")
        True
        """
        outer = self._memo
        self._memo = {} if outer is None else outer
        try:
            yield self
        finally:
            self._memo = outer

    def _remembered(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        if self._memo is None:
            return make()
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    # -- queries ------------------------------------------------------------------------------

    @property
    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name (``gaps/no-responsible`` …)."""
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

    def select(self, name: str, **bindings: Any) -> Result:
        """Run the named query ``name`` and return its raw :class:`Result` (RDF terms)."""
        query = find(name, self.queries)
        bound = tuple(sorted((k, str(v)) for k, v in bindings.items() if v is not None))
        key = ("select", query.name, bound)
        result: Result = self._remembered(key, lambda: self.backend.select(query, bindings))
        return result

    def query(self, name: str, **bindings: Any) -> pd.DataFrame:
        """Run the named query ``name`` with values bound to its parameters.

        Values are bound as RDF terms (substitutions for the embedded store, a ``VALUES`` clause
        of escaped terms for an endpoint), never formatted into the query text. ``None`` leaves a
        parameter unbound.

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> pg.query("gaps/no-timeframe", plan="https://w3id.org/plangraph/plan/fx-c").code.tolist()
        ['1']
        """
        return result_frame(self.select(name, **bindings))

    def sparql(self, text: str, *, allow_service: bool = False) -> pd.DataFrame | Graph:
        """Run a SPARQL query given as text, over the same dataset as the named queries.
        SELECT gives its solutions and ASK one column ``ask``, as a DataFrame of plain values
        (:func:`to_frame`); CONSTRUCT and DESCRIBE give an ``rdflib.Graph`` of the triples,
        each literal with its datatype and language tag (:func:`to_graph`), on the embedded
        store and an endpoint alike. ``SERVICE`` (federated query: the engine fetches the URL
        the query names) is refused unless ``allow_service=True``; nesting is bounded
        (:mod:`plangraph.rdf.sparql`).

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> plan_class = "<https://w3id.org/plangraph/ontology#Plan>"
        >>> pg.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a {plan_class} }}")
           n
        0  3
        >>> continuous = "<https://w3id.org/plangraph/vocab/timeframe-category/continuous>"
        >>> label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
        >>> labels = pg.sparql(f"CONSTRUCT WHERE {{ {continuous} {label} ?label }}")
        >>> sorted(labels.objects(), key=str)
        [rdflib.term.Literal('Continuo', lang='es'), rdflib.term.Literal('Continuous', lang='en')]
        """
        result = self.backend.sparql(text, allow_service=allow_service)
        if result.form == "graph":
            return to_graph(result.triples)
        return result_frame(result)

    # -- overlaps -----------------------------------------------------------------------------

    def overlaps(
        self,
        kind: str = "institutions",
        *,
        pairs: bool | None = None,
        threshold: float | None = None,
        scope: str = "all",
        action_level: bool = False,
        top_k: int | None = None,
        **bindings: Any,
    ) -> pd.DataFrame:
        """Overlaps between plans, as a table. ``kind`` is one of :data:`OVERLAP_KINDS`:

        - ``institutions``: institutions in several plans, their roles and elements;
        - ``institutions-resolved``: named institutions in several plans, counting a regional
          plan's generic mention of member states' bodies ("Ministerios de Educación") as
          naming each of them (derived links, with their explanation);
        - ``concepts``: themes, populations and framework objectives that action-level
          elements of two or more plans carry, one row per concept and plan with the count of
          the plan's elements (bind ``scheme=``, ``concept=``, ``plan=``);
        - ``theme`` / ``population`` / ``framework``: per concept and pair of plans sharing
          it, each plan's action-level elements carrying it (``n_pairs``: their product); the
          element pairs with the concept bound (``theme=``, ``population=``, ``objective=``)
          or ``pairs=True`` (``pairs=False``: counts even when bound). Unbound, pairs grow
          with the square of the elements (1.3 million theme pairs at a hundred plans);
        - ``matrix``: per pair of plans, shared institutions, themes, populations, frameworks
          (both orders and the diagonal, zeros filled; see :meth:`plan_matrix`) and
          ``concept_similarity``, the cosine of the plans' concept profiles weighted by how
          specific each concept is (plangraph.analysis.specificity);
        - ``similar``: near-duplicate elements by text (``threshold``, default
          :data:`plangraph.analysis.similarity.DEFAULT_THRESHOLD`; ``scope`` all / within /
          across plans;
          ``action_level=True`` compares action-level elements only; ``plan=`` one plan's).

        >>> pg = open("tests/data/queries/fixture.trig")
        >>> pg.overlaps("theme").n_pairs.tolist(), len(pg.overlaps("theme", pairs=True))
        ([1, 2, 2, 1], 6)
        """
        if kind not in OVERLAP_KINDS:
            raise PlangraphError(
                f"unknown overlap kind '{kind}' (kinds: {', '.join(OVERLAP_KINDS)})"
            )
        if pairs is not None and kind not in PAIR_QUERIES:
            raise PlangraphError(
                f"pairs applies to the kinds {', '.join(PAIR_QUERIES)}, not '{kind}'"
            )
        if kind == "similar":
            return self.near_duplicates(
                threshold=threshold, scope=scope, action_level=action_level, top_k=top_k, **bindings
            )
        if kind in PAIR_QUERIES and (
            pairs or (pairs is None and bindings.get(PAIR_CONCEPT[kind]) is not None)
        ):
            frame = self.query(PAIR_QUERIES[kind], **bindings)
            return frame.sort_values(PAIR_ORDER[kind], ignore_index=True, kind="stable")
        name = OVERLAP_KINDS[kind]
        assert name is not None
        frame = self.query(name, **bindings)
        if kind == "matrix":
            matrix: pd.DataFrame = self._remembered(
                ("matrix",), lambda: self._symmetric_matrix(frame)
            )
            return matrix.copy()
        if kind in COUNT_ORDER:
            order = COUNT_ORDER[kind]
            frame = frame.sort_values(
                [c.lstrip("-") for c in order],
                ascending=[not c.startswith("-") for c in order],
                ignore_index=True,
                kind="stable",
            )
        return frame

    def _symmetric_matrix(self, frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        plans = self.query("reports/plans").plan.tolist()
        swapped = frame.rename(columns={"plan_a": "plan_b", "plan_b": "plan_a"})
        both = pd.concat([frame, swapped[swapped.plan_a != swapped.plan_b]], ignore_index=True)
        full = pd.MultiIndex.from_product([plans, plans], names=["plan_a", "plan_b"])
        counts = [m for m in MATRIX_MEASURES if m != "concept_similarity"]
        out = (
            both.set_index(["plan_a", "plan_b"])
            .reindex(full, fill_value=0)[counts]
            .astype(int)
            .reset_index()
        )
        out["concept_similarity"] = self._concept_similarity(out)
        return out

    def _concept_similarity(self, square: pd.DataFrame) -> list[float]:
        """The ``concept_similarity`` column of the matrix (plangraph.analysis.specificity):
        1.0 on the diagonal of a plan with concepts, 0.0 where two plans share none."""
        from plangraph.analysis.specificity import plan_concept_similarity

        elements, taggings = self.similarity_input()
        scores: dict[tuple[str, str], float] = {}
        for a, b, score, _shared in plan_concept_similarity(elements, taggings):
            scores[(a, b)] = scores[(b, a)] = score
        tagged = set(taggings.plan.astype(str)) if len(taggings) else set()
        return [
            (1.0 if a in tagged else 0.0) if a == b else scores.get((a, b), 0.0)
            for a, b in zip(square.plan_a.astype(str), square.plan_b.astype(str), strict=True)
        ]

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
        """Pairs of elements that commit to nearly the same work, by their words (lemmatised,
        in each plan's language) and their themes and populations
        (:mod:`plangraph.analysis.similarity`), best first, each with the terms and concepts
        the two share."""
        from plangraph.analysis import similarity  # scikit-learn loads on first use

        threshold = similarity.DEFAULT_THRESHOLD if threshold is None else threshold
        top_k = similarity.DEFAULT_TOP_K if top_k is None else top_k

        def search() -> pd.DataFrame:
            elements, taggings = self.similarity_input(plan=plan, kind=kind)
            if action_level:
                elements = elements[elements.action_level.astype(bool)]
            return similarity.near_duplicates(
                elements, threshold=threshold, top_k=top_k, scope=scope, taggings=taggings
            )

        key = ("near-duplicates", threshold, scope, action_level, top_k, plan, kind)
        pairs: pd.DataFrame = self._remembered(key, search)
        return pairs.copy()

    def similarity_input(
        self, *, plan: str | None = None, kind: str | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What the near-duplicate search reads: the element texts with their plan's language
        (``reports/element-texts`` and ``reports/plan-languages``), and the theme and
        population taggings (``reports/element-taggings``)."""

        def read() -> tuple[pd.DataFrame, pd.DataFrame]:
            elements = self.query("reports/element-texts", plan=plan, kind=kind)
            languages = self.query("reports/plan-languages", plan=plan)
            elements = elements.merge(languages, on="plan", how="left")
            return elements, self.query("reports/element-taggings", plan=plan)

        elements, taggings = self._remembered(("similarity-input", plan, kind), read)
        return elements.copy(), taggings.copy()

    # -- gaps ---------------------------------------------------------------------------------

    def gaps(self, kind: str, on: str | _dt.date | None = None, **bindings: Any) -> pd.DataFrame:
        """Gaps, as a table: ``kind`` is one of :attr:`gap_kinds` (the queries ``gaps/<kind>``).
        ``on`` is the day for ``plans-in-force`` (default: today)."""
        name = kind if kind.startswith("gaps/") else f"gaps/{kind}"
        if name not in self.queries:
            known = ", ".join(self.gap_kinds)
            raise PlangraphError(f"unknown gap kind '{kind}' (kinds: {known})")
        if any(p.name == "on" for p in self.queries[name].params):
            bindings["on"] = str(on or _dt.date.today())
        elif on is not None:
            raise PlangraphError(f"the gap '{kind}' takes no day ('on')")
        return self.query(name, **bindings)

    @property
    def gap_kinds(self) -> list[str]:
        """The kinds of :meth:`gaps`: the names of the ``gaps/`` queries of the catalogue."""
        return [n.split("/", 1)[1] for n in self.queries if n.startswith("gaps/")]

    def gap_summary(self, on: str | _dt.date | None = None) -> pd.DataFrame:
        """How many rows every gap query returns: kind, title, rows."""
        import pandas as pd

        rows = []
        for kind in self.gap_kinds:
            named = self.queries[f"gaps/{kind}"]
            takes_day = any(p.name == "on" for p in named.params)
            table = self.gaps(kind, on=on) if takes_day else self.gaps(kind)
            rows.append([kind, named.title, len(table)])
        return pd.DataFrame(rows, columns=["kind", "title", "rows"])

    # -- findings -----------------------------------------------------------------------------

    def findings(
        self,
        *,
        on: str | _dt.date | None = None,
        kinds: tuple[str, ...] | None = None,
        limit: int | None = None,
    ) -> list[Finding]:
        """The ranked findings (where plans meet, what they leave out), best first, each with
        its evidence (:mod:`plangraph.analysis.findings`). ``on`` is the day for the plans in
        force (default today)."""
        from plangraph.analysis import findings  # the findings' modules load on first use

        return findings.findings(self, on=on, kinds=kinds or findings.KINDS, limit=limit)

    # -- networks -----------------------------------------------------------------------------

    def network(self, kind: str, **options: Any) -> nx.Graph:
        """A NetworkX graph of the dataset (plangraph.analysis.networks): ``institution-plan``
        (bipartite), ``co-responsibility`` (institutions sharing action-level elements),
        ``plan-overlap`` (plans weighted by what they share) or ``similarity`` (near-duplicate
        elements). Options go to the builder (e.g. ``generic=False``, ``roles=("responsible",)``,
        ``measures=("themes",)``, ``threshold=0.8``)."""
        from plangraph.analysis import networks  # NetworkX and pandas load on first use

        kind = network_kind(kind)
        if kind == "institution-plan":
            return networks.institution_plan_graph(
                self.query("reports/participations"), self.query("reports/plans"), **options
            )
        if kind == "co-responsibility":
            return networks.co_responsibility_graph(self.query("reports/participations"), **options)
        if kind == "plan-overlap":
            return networks.plan_overlap_graph(
                self.overlaps("matrix"), self.query("reports/plans"), **options
            )
        if kind == "similarity":
            pairs = self.near_duplicates(**options)
            return networks.similarity_graph(pairs, self.query("reports/element-texts"))
        raise PlangraphError(f"unknown network kind '{kind}' (kinds: {', '.join(NETWORK_KINDS)})")

    def metrics(self, kind: str, seed: int = 42, **options: Any) -> pd.DataFrame:
        """Node metrics of a network (degree, betweenness, Louvain community; see
        plangraph.analysis.metrics.node_metrics)."""
        from plangraph.analysis.metrics import node_metrics  # NetworkX loads on first use

        return node_metrics(self.network(kind, **options), seed=seed)

    def brokers(self, generic: bool = True) -> pd.DataFrame:
        """Institutions that alone connect a pair of plans (plangraph.analysis.metrics.brokers)."""
        from plangraph.analysis.metrics import brokers  # NetworkX loads on first use

        return brokers(self.network("institution-plan", generic=generic))


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
        return PlanGraph(RemoteBackend(endpoint, timeout), queries_dir=qdir, source=endpoint)
    if path is None or Path(path).is_dir():
        project = Project.discover(Path(path) if path is not None else None)
        nquads = current_build(project, rebuild=rebuild)
        return PlanGraph(
            EmbeddedBackend(load_store(nquads)),
            queries_dir=qdir or project.queries_dir,
            source=str(nquads),
        )
    return PlanGraph(EmbeddedBackend(load_store(Path(path))), queries_dir=qdir, source=str(path))
