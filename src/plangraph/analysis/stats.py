"""Counts per plan (elements by kind, institutions by role, populations, timeframes),
computed from the compiled graph with the ``queries/reports/`` queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plangraph.analysis.api import PlanGraph


def _rows(pg: PlanGraph, name: str, **bindings: Any) -> list[dict[str, Any]]:
    return pg.query(name, **bindings).to_dict("records")  # type: ignore[no-any-return]


def _plan_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def plan_stats(pg: PlanGraph, plan: str | None = None) -> dict[str, dict[str, Any]]:
    """Per plan id: title, status, elements by kind, institutions and participations by role,
    declared populations, citations, elements with a timeframe, distinct timeframe texts."""
    bind = {"plan": plan} if plan else {}
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(pg, "reports/plan-summary", **bind):
        out[_plan_id(row["plan"])] = {
            "title": row["title"],
            "status": row["status"],
            "populations": int(row["populations"]),
            "citations": int(row["citations"]),
            "elements_with_timeframe": int(row["with_timeframe"]),
            "distinct_timeframe_texts": int(row["timeframe_texts"]),
            "elements_with_institution": int(row["with_institution"]),
            "elements": {},
            "roles": {},
        }
    for row in _rows(pg, "reports/element-counts", **bind):
        out[_plan_id(row["plan"])]["elements"][row["kind"]] = int(row["elements"])
    for row in _rows(pg, "reports/role-counts", **bind):
        out[_plan_id(row["plan"])]["roles"][row["role"]] = {
            "institutions": int(row["institutions"]),
            "participations": int(row["participations"]),
        }
    return out
