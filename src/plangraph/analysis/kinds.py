"""The kinds of overlaps, gaps and networks plangraph answers, defined once for the API, the
command line, the report and the map exports.

Gap kinds are not listed here: they are the queries ``gaps/<kind>`` of the catalogue
(:meth:`plangraph.analysis.api.PlanGraph.gap_kinds`).
"""

from __future__ import annotations

OVERLAP_KINDS: dict[str, str | None] = {
    "institutions": "overlaps/institutions-across-plans",
    "institutions-resolved": "overlaps/institutions-across-plans-resolved",
    "concepts": "overlaps/shared-concepts",
    "theme": "overlaps/shared-theme-counts",
    "population": "overlaps/shared-population-counts",
    "framework": "overlaps/shared-framework-counts",
    "matrix": "overlaps/plan-matrix",
    "similar": None,
}
"""Kinds of ``PlanGraph.overlaps`` and the named query each runs (``similar`` is Python). The
concept kinds (``theme``, ``population``, ``framework``) run their aggregated form, one row per
concept and pair of plans; :data:`PAIR_QUERIES` lists the element pairs behind it."""

PAIR_QUERIES = {
    "theme": "overlaps/shared-theme",
    "population": "overlaps/shared-population",
    "framework": "overlaps/shared-framework",
}
"""The pairwise form of each concept kind: one row per pair of elements sharing a concept."""

PAIR_CONCEPT = {"theme": "theme", "population": "population", "framework": "objective"}
"""The parameter that binds one concept of each concept kind: bound, ``overlaps`` lists the
element pairs of that concept."""

PAIR_ORDER = {
    "theme": ["theme", "plan_a", "element_a", "plan_b", "element_b"],
    "population": ["population", "plan_a", "element_a", "plan_b", "element_b"],
    "framework": ["framework", "objective", "plan_a", "element_a", "plan_b", "element_b"],
}
"""How the pairwise overlap tables are sorted."""

COUNT_ORDER = {
    "concepts": ["-n_plans", "scheme", "concept", "plan"],
    "theme": ["theme", "plan_a", "plan_b"],
    "population": ["population", "plan_a", "plan_b"],
    "framework": ["framework", "objective", "plan_a", "plan_b"],
}
"""How the aggregated overlap tables are sorted (``-`` before a column: descending)."""

MATRIX_MEASURES = (
    "institutions",
    "named_institutions",
    "themes",
    "populations",
    "frameworks",
    "concept_similarity",
)
"""Measures of the plan × plan matrix."""

NETWORK_KINDS = ("institution-plan", "co-responsibility", "plan-overlap", "similarity")
"""Kinds of ``PlanGraph.network`` (also the KINDs of ``plangraph network`` and ``map``)."""

NETWORK_ALIASES = {"institutions": "co-responsibility", "plans": "plan-overlap"}
"""Other names accepted for network kinds."""


def network_kind(kind: str) -> str:
    """The network kind a name (or alias) stands for.

    >>> network_kind("institutions")
    'co-responsibility'
    """
    return NETWORK_ALIASES.get(kind, kind)
