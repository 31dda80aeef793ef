"""The kinds of overlaps, gaps and networks plangraph answers, defined once for the API, the
command line, the report and the map exports.

Gap kinds are not listed here: they are the queries ``gaps/<kind>`` of the catalogue
(:meth:`plangraph.analysis.api.PlanGraph.gap_kinds`).
"""

from __future__ import annotations

OVERLAP_KINDS: dict[str, str | None] = {
    "institutions": "overlaps/institutions-across-plans",
    "institutions-resolved": "overlaps/institutions-across-plans-resolved",
    "theme": "overlaps/shared-theme",
    "population": "overlaps/shared-population",
    "framework": "overlaps/shared-framework",
    "matrix": "overlaps/plan-matrix",
    "similar": None,
}
"""Kinds of ``PlanGraph.overlaps`` and the named query each runs (``similar`` is Python)."""

PAIR_ORDER = {
    "theme": ["theme", "plan_a", "element_a", "plan_b", "element_b"],
    "population": ["population", "plan_a", "element_a", "plan_b", "element_b"],
    "framework": ["framework", "objective", "plan_a", "element_a", "plan_b", "element_b"],
}
"""How the pairwise overlap tables are sorted."""

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
