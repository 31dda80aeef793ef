"""Section 1, the plans: a legend of tags and colours, then one card per plan (issuer, period,
status, element counts, institutions by role, declared populations and whether the plan's own
actions serve them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from plangraph.report.common import as_int
from plangraph.report.data import Plan, Row
from plangraph.report.view import Lookup, Ref


@dataclass(frozen=True)
class Resolved:
    """The concept a declared population was resolved to (``label`` None: not resolved) and how
    many of the plan's own action-level elements target it."""

    label: str | None
    n_own: int


@dataclass(frozen=True)
class Declared:
    """A population a plan declares, in the plan's words, and what it was resolved to."""

    ref: Ref
    concepts: list[Resolved]


@dataclass(frozen=True)
class Card:
    """One plan's card."""

    plan: Plan
    kinds: list[tuple[str, int]]
    role_counts: str
    institutions: list[tuple[str, str, str]]
    populations: list[Declared]


def _populations(look: Lookup, rows: list[Row]) -> list[Declared]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for d in rows:
        groups[d["declared"]].append(d)
    return [
        Declared(
            look.ref(decl, ds[0].get("text")),
            [
                Resolved(look.concept_label(d["concept"]), as_int(d.get("served_in_plan")))
                if d.get("concept")
                else Resolved(None, 0)
                for d in ds
            ],
        )
        for decl, ds in groups.items()
    ]


def prepare(look: Lookup) -> dict[str, Any]:
    """The context of ``sections/plans.html``."""
    r = look.r
    by_plan_insts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for part in r.participations:
        by_plan_insts[part["plan"]][part["id"]].add(part["role"])
    declared_by_plan: dict[str, list[Row]] = defaultdict(list)
    for d in r.declared:
        declared_by_plan[d["plan"]].append(d)
    cards = []
    for p in r.plans:
        insts = by_plan_insts.get(p.iri, {})
        cards.append(
            Card(
                plan=p,
                kinds=[(k.replace("_", " "), n) for k, n in sorted(p.kinds.items())],
                role_counts=", ".join(
                    f"{role} {v['institutions']}" for role, v in sorted(p.roles.items())
                ),
                institutions=[
                    (look.inst_label(i), i, ", ".join(sorted(roles)))
                    for i, roles in sorted(
                        insts.items(), key=lambda kv: look.inst_label(kv[0]).lower()
                    )
                ],
                populations=_populations(look, declared_by_plan.get(p.iri, [])),
            )
        )
    return {"plans": r.plans, "cards": cards}
