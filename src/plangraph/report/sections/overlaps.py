"""Section 2, overlaps: institutions in more than one plan (2.1), themes, populations and
framework objectives several plans' actions address (2.2), near-duplicate elements (2.3)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from plangraph.report import scale
from plangraph.report.common import as_bool, as_int, clip, local
from plangraph.report.data import SCHEMES, Plan, Prov, Row
from plangraph.report.scale import Capped
from plangraph.report.view import Lookup, Ref


@dataclass(frozen=True)
class InPlan:
    """An institution in one plan: its roles there, its elements, the first one's lines and
    words."""

    plan: Plan | str
    roles: str
    n_elements: int
    n_actions: int
    example: Prov | None
    quote: str


@dataclass(frozen=True)
class Institution:
    """A row of 2.1."""

    id: str
    label: str
    type: str
    generic: bool
    n_plans: int
    n_actions: int
    plans: list[InPlan]
    more_plans: int = 0
    """Plans not listed in the row (:data:`plangraph.report.scale.PLANS_PER_ROW`)."""


@dataclass(frozen=True)
class Shared:
    """A row of 2.2: a concept and, per plan, how many action-level elements carry it and the
    first of them (the plans with the most, at most
    :data:`plangraph.report.scale.PLANS_PER_ROW`)."""

    scheme: str
    label: str
    plans: list[tuple[Plan | str, int, Prov | None]]
    n_plans: int
    n_elements: int

    @property
    def more_plans(self) -> int:
        """Plans carrying the concept that the row does not list."""
        return self.n_plans - len(self.plans)


def _most(by_plan: dict[str, int], look: Lookup) -> list[str]:
    """The plans of a row, by plan tag: at most :data:`plangraph.report.scale.PLANS_PER_ROW`,
    those with the most elements."""
    order = sorted(by_plan, key=look.plan_sort)
    return scale.heaviest({p: float(n) for p, n in by_plan.items()}, order, scale.PLANS_PER_ROW)


@dataclass(frozen=True)
class Pair:
    """A row of 2.3: two elements with nearly the same words."""

    score: str
    plan_a: Plan | str
    sort_a: str
    element_a: Ref
    plan_b: Plan | str
    sort_b: str
    element_b: Ref
    same_plan: bool
    shared_terms: str


def institutions_across(look: Lookup) -> list[Institution]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in look.r.across:
        grouped[local(row["institution"])].append(row)
    out = []
    for inst_id, plan_rows in grouped.items():
        first = plan_rows[0]
        in_plans = []
        listed = set(_most({pr["plan"]: as_int(pr.get("n_elements")) for pr in plan_rows}, look))
        for pr in sorted(plan_rows, key=lambda x: look.plan_sort(x["plan"])):
            if pr["plan"] not in listed:
                continue
            elements = look.in_source_order(e for e in (pr.get("elements") or "").split() if e)
            example = look.prov(elements[0]) if elements else None
            in_plans.append(
                InPlan(
                    plan=look.plan(pr["plan"]),
                    roles=pr.get("roles") or "",
                    n_elements=as_int(pr.get("n_elements")),
                    n_actions=as_int(pr.get("n_actions")),
                    example=example,
                    quote=clip(example.quote, 160) if example else "",
                )
            )
        out.append(
            Institution(
                id=inst_id,
                label=str(first.get("label") or inst_id),
                type=first.get("type") or "",
                generic=as_bool(first.get("is_generic")),
                n_plans=as_int(first.get("n_plans")),
                n_actions=sum(as_int(x.get("n_actions")) for x in plan_rows),
                plans=in_plans,
                more_plans=len({x["plan"] for x in plan_rows}) - len(in_plans),
            )
        )
    return out


def shared_concepts(look: Lookup) -> list[Shared]:
    rows = []
    for scheme, label in SCHEMES.items():
        per_concept: dict[str, dict[str, int]] = defaultdict(dict)
        for c in look.r.coverage.get(scheme, []):
            if c.get("plan") and as_int(c.get("n_elements")):
                per_concept[c["concept"]][c["plan"]] = as_int(c["n_elements"])
        for concept, by_plan in per_concept.items():
            if len(by_plan) < 2:
                continue
            plans = _most(by_plan, look)
            rows.append(
                Shared(
                    label,
                    look.concept_label(concept),
                    [
                        (look.plan(p), by_plan[p], look.prov(look.first_example(concept, p)))
                        for p in plans
                    ],
                    len(by_plan),
                    sum(by_plan.values()),
                )
            )
    rows.sort(key=lambda row: row.n_plans, reverse=True)
    return rows


def near_duplicates(look: Lookup) -> Capped[Pair]:
    """The pairs of 2.3, best first: the first :data:`plangraph.report.scale.TABLE_ROWS`."""
    pairs = [
        Pair(
            score=f"{float(d['score']):.2f}",
            plan_a=look.plan(d["plan_a"]),
            sort_a=look.plan_sort(d["plan_a"]),
            element_a=look.ref(d["element_a"], d.get("text_a")),
            plan_b=look.plan(d["plan_b"]),
            sort_b=look.plan_sort(d["plan_b"]),
            element_b=look.ref(d["element_b"], d.get("text_b")),
            same_plan=bool(d.get("same_plan")),
            shared_terms=d.get("shared_terms") or "",
        )
        for d in look.r.near_duplicates[: scale.TABLE_ROWS]
    ]
    return Capped(pairs, len(look.r.near_duplicates))


def prepare(look: Lookup) -> dict[str, Any]:
    """The context of ``sections/overlaps.html``."""
    return {
        "institutions": institutions_across(look),
        "shared": shared_concepts(look),
        "pairs": near_duplicates(look),
    }
