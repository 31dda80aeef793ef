"""Section 3, gaps: holes inside a plan (3.1 no responsible, 3.2 no timeframe, 3.3 results with
no action) and what the plans together leave thin (3.4 declared populations no action serves,
3.5 GCM objectives no plan serves, 3.6 themes only one plan covers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from plangraph.report.common import as_int, local
from plangraph.report.data import Plan, Row
from plangraph.report.scale import cap
from plangraph.report.view import Lookup, Ref


@dataclass(frozen=True)
class Gap:
    """A row of 3.1–3.3: an element of a plan and the column that says what it has instead."""

    plan: Plan | str
    sort: str
    kind: str
    element: Ref
    extra: Any


@dataclass(frozen=True)
class Unserved:
    """A row of 3.4: a population a plan declares, the concept, other plans' actions for it."""

    plan: Plan | str
    sort: str
    declared: Ref
    concept: str
    concept_id: str
    n_other: int


@dataclass(frozen=True)
class SinglePlan:
    """A row of 3.6: a theme only one plan's action-level elements address."""

    theme: str
    plan: Plan | str
    sort: str
    n_elements: int
    first: Ref | None


def gap_rows(look: Lookup, rows: Iterable[Row], extra: str) -> list[Gap]:
    return [
        Gap(
            plan=look.plan(g["plan"]),
            sort=look.plan_sort(g["plan"]),
            kind=str(g.get("kind") or "").replace("_", " "),
            element=look.ref(g["element"], g.get("text")),
            extra=g.get(extra),
        )
        for g in rows
    ]


def unserved_populations(look: Lookup) -> list[Unserved]:
    elsewhere = {(d["declared"], d.get("concept")): d for d in look.r.declared}
    return [
        Unserved(
            plan=look.plan(g["plan"]),
            sort=look.plan_sort(g["plan"]),
            declared=look.ref(g["declared"], g.get("declared_text")),
            concept=look.concept_label(g["population"]),
            concept_id=local(g["population"]),
            n_other=as_int(
                elsewhere.get((g["declared"], g["population"]), {}).get("served_elsewhere")
            ),
        )
        for g in look.r.gaps["declared-population-unserved"]
    ]


def single_plan_themes(look: Lookup) -> list[SinglePlan]:
    out = []
    for g in look.r.gaps["themes-single-plan"]:
        first = look.first_example(g["theme"], g["plan"])
        out.append(
            SinglePlan(
                theme=look.concept_label(g["theme"]),
                plan=look.plan(g["plan"]),
                sort=look.plan_sort(g["plan"]),
                n_elements=as_int(g.get("elements")),
                first=look.ref(first) if first else None,
            )
        )
    return out


def prepare(look: Lookup) -> dict[str, Any]:
    """The context of ``sections/gaps.html`` (each table its first rows,
    :func:`plangraph.report.scale.cap`)."""
    gaps = look.r.gaps
    return {
        "no_responsible": cap(gap_rows(look, gaps["no-responsible"], "roles")),
        "no_timeframe": cap(gap_rows(look, gaps["no-timeframe"], "timeframe_text")),
        "results": cap(gap_rows(look, gaps["results-without-actions"], "parent_kind")),
        "populations": cap(unserved_populations(look)),
        "gcm": cap(
            (g.get("notation") or "", look.concept_label(g["objective"]), g.get("label") or "")
            for g in gaps["gcm-objectives-unserved"]
        ),
        "themes": cap(single_plan_themes(look)),
    }
