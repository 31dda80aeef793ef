"""The report at a hundred plans: what its tables and figures show when the corpus is larger than
a page can hold, and how they say what they leave out.

Below the limits (the five seed plans are well below every one) nothing changes. Above them:

- tables list their first :data:`TABLE_ROWS` rows and say how many more there are and which
  command lists them all; a row that lists plans names the first :data:`PLANS_PER_ROW`;
- the findings list the top ones and :data:`MORE_FINDINGS` more (``plangraph findings --limit
  0`` lists all);
- heatmaps and the plan network show the :data:`FIGURE_PLANS` plans that weigh most, the rest
  summed in one column or left out with a note; with more than :data:`CONCEPT_ROWS` concepts,
  a heatmap's rows are the top-level concepts of the scheme (``skos:broader``), each counting
  the elements that carry it or a narrower concept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

TABLE_ROWS = 500
"""Rows a table of the report lists at most."""
PLANS_PER_ROW = 12
"""Plans a row of 2.1 or 2.2 lists at most (with how many more)."""
MORE_FINDINGS = 100
"""Findings listed after the top ones, at most."""
FIGURE_PLANS = 20
"""Plans a heatmap column or the plan network shows at most: above it the report is 'at scale'."""
CONCEPT_ROWS = 40
"""At scale, a heatmap with more concepts than this shows concept groups (top-level concepts)."""
PLAN_EDGES = 3
"""At scale, the plan network figure keeps each plan's strongest links, this many."""
EDGE_LABELS = 10
"""The plan network figure writes the weight on each link up to this many plans."""


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first rows of a longer list, and how many there are in all."""

    rows: list[T]
    total: int

    @property
    def more(self) -> int:
        """How many rows are left out."""
        return self.total - len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows)


def cap(rows: Iterable[T], limit: int | None = None) -> Capped[T]:
    """The first ``limit`` (default :data:`TABLE_ROWS`) of ``rows``, remembering how many
    there were.

    >>> c = cap(range(7), 5)
    >>> c.rows, c.total, c.more
    ([0, 1, 2, 3, 4], 7, 2)
    """
    items = list(rows)
    return Capped(items[: TABLE_ROWS if limit is None else limit], len(items))


def at_scale(n_plans: int) -> bool:
    """Whether figures must sample or aggregate plans (more plans than :data:`FIGURE_PLANS`)."""
    return n_plans > FIGURE_PLANS


def heaviest(weights: Mapping[str, float], order: Sequence[str], limit: int) -> list[str]:
    """The ``limit`` keys of ``order`` with the largest weights (ties: the earlier in
    ``order``), given back in ``order``.

    >>> heaviest({"a": 1, "b": 5, "c": 5, "d": 0}, ["a", "b", "c", "d"], 2)
    ['b', 'c']
    """
    rank = sorted(range(len(order)), key=lambda i: (-weights.get(order[i], 0), i))[:limit]
    return [order[i] for i in sorted(rank)]


def top_level(concept: str, broader: Mapping[str, Sequence[str]]) -> str:
    """The top-level concept a concept belongs to: following ``skos:broader`` up to a concept
    with none (of several broader concepts, the first by IRI), so the groups are a partition.

    >>> top_level("c", {"c": ["b"], "b": ["a", "z"], "a": []})
    'a'
    >>> top_level("x", {})
    'x'
    """
    seen = {concept}
    current = concept
    while broader.get(current):
        up = sorted(broader[current])[0]
        if up in seen:  # a cycle: stop where it closes
            break
        seen.add(up)
        current = up
    return current


def plan_weights(
    matrix_rows: Iterable[Mapping[str, Any]], measures: Sequence[str]
) -> dict[str, float]:
    """Each plan's weight in the plan network: the sum, over the other plans, of what it
    shares with them (the ``measures`` of the plan × plan matrix)."""
    weights: dict[str, float] = defaultdict(float)
    for row in matrix_rows:
        a, b = str(row["plan_a"]), str(row["plan_b"])
        if a == b:
            continue
        w = sum(float(row.get(m) or 0) for m in measures)
        weights[a] += w
        weights[b] += w
    return dict(weights)


SIMILARITY = "concept_similarity"
"""The plan network's default measure, which also ranks plans at scale."""


def top_plans(matrix_rows: Iterable[Mapping[str, Any]], plans: Sequence[str]) -> list[str] | None:
    """At scale, the :data:`FIGURE_PLANS` plans the plan network shows: those most alike the
    others (the sum of their concept similarity to every other plan), in plan order; ``None``
    below the limit (every plan is shown)."""
    if not at_scale(len(plans)):
        return None
    return heaviest(plan_weights(matrix_rows, [SIMILARITY]), plans, FIGURE_PLANS)


def strongest_links(graph: Any, keep: Sequence[str], per_node: int | None = None) -> Any:
    """The subgraph of ``graph`` on the nodes ``keep``, with each node's ``per_node`` (default
    :data:`PLAN_EDGES`) heaviest links (by ``weight``; a link stays when it is among the
    heaviest of either end)."""
    per_node = PLAN_EDGES if per_node is None else per_node
    sub = graph.subgraph(keep).copy()
    chosen = set()
    for node in sub.nodes:
        links = sorted(sub.edges(node, data="weight"), key=lambda e: (-float(e[2] or 0), str(e[1])))
        chosen |= {frozenset((a, b)) for a, b, _ in links[:per_node]}
    sub.remove_edges_from([(a, b) for a, b in list(sub.edges) if frozenset((a, b)) not in chosen])
    return sub
