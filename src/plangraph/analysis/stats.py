"""Counts per plan (elements by kind, institutions by role, populations, timeframes),
computed from the compiled graph with the ``queries/reports/`` queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plangraph.analysis.catalogue import find, plain, run


def _rows(store: Any, queries_dir: Path, name: str, **bindings: Any) -> list[dict[str, Any]]:
    columns, rows = run(store, find(queries_dir, name), **bindings)
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def _plan_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def plan_stats(store: Any, queries_dir: Path, plan: str | None = None) -> dict[str, dict[str, Any]]:
    """Per plan id: title, status, elements by kind, institutions and participations by role,
    declared populations, citations, elements with a timeframe, distinct timeframe texts."""
    bind = {"plan": plan} if plan else {}
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(store, queries_dir, "reports/plan-summary", **bind):
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
    for row in _rows(store, queries_dir, "reports/element-counts", **bind):
        out[_plan_id(row["plan"])]["elements"][row["kind"]] = int(row["elements"])
    for row in _rows(store, queries_dir, "reports/role-counts", **bind):
        out[_plan_id(row["plan"])]["roles"][row["role"]] = {
            "institutions": int(row["institutions"]),
            "participations": int(row["participations"]),
        }
    return out
