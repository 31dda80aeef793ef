"""Findings, not pairs: a short ranked list of where plans meet and what they leave out, in plain
words, each with the evidence on every side (the elements' own words and source lines), how it was
derived and how sure it is.

Overlaps (:mod:`.overlaps`): the same named institution in several plans; the same specific
concept (ranked by how specific it is across the corpus, so generic process themes rank low); the
same GCM objective; near-duplicate commitments. Gaps (:mod:`.gaps`): populations a plan declares
but does not serve; GCM objectives no plan serves; plans not in force on a day; plans whose actions
mostly have no owner, timing or indicator.

Ranking: each finding has a score in 0–1 from its kind's rule (specificity and breadth for shared
concepts, the share of actions for accountability gaps …); within a kind, each next finding is
discounted (:data:`DISCOUNT`), so the top of the list mixes kinds.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import TYPE_CHECKING

from plangraph.analysis.findings.context import Context
from plangraph.analysis.findings.gaps import (
    accountability,
    objectives_unserved,
    plans_not_in_force,
    populations_unserved,
)
from plangraph.analysis.findings.model import GAP_KINDS, KINDS, OVERLAP_KINDS, Evidence, Finding
from plangraph.analysis.findings.overlaps import (
    near_duplicates,
    shared_concepts,
    shared_institutions,
    shared_objectives,
)
from plangraph.errors import PlangraphError

if TYPE_CHECKING:
    from plangraph.analysis.api import PlanGraph

__all__ = ["GAP_KINDS", "KINDS", "OVERLAP_KINDS", "Evidence", "Finding", "findings"]

DISCOUNT = 0.93
"""Each next finding of the same kind is discounted by this factor when ranking."""
REPEAT = 0.5
"""A finding that repeats, on the same evidence elements, a finding ranked above it."""
HISTORY = 0.5
"""An overlap between plans never in force at the same time."""


def findings(
    pg: PlanGraph,
    *,
    on: _dt.date | str | None = None,
    kinds: tuple[str, ...] = KINDS,
    limit: int | None = None,
) -> list[Finding]:
    """The ranked findings of a dataset (best first), ``on`` a day (default today) for the
    plans in force."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise PlangraphError(f"unknown finding kind {unknown[0]!r} (kinds: {', '.join(KINDS)})")
    day = _day(on)
    ctx = Context.of(pg)
    found: list[Finding] = []
    if "shared-institution" in kinds:
        found += shared_institutions(ctx)
    if "shared-concept" in kinds:
        found += shared_concepts(ctx)
    if "shared-objective" in kinds:
        found += shared_objectives(ctx)
    if "near-duplicate" in kinds:
        from plangraph.analysis.similarity import DEFAULT_THRESHOLD

        pairs = pg.near_duplicates(scope="across", action_level=True)
        found += near_duplicates(ctx, pairs, DEFAULT_THRESHOLD)
    if "population-unserved" in kinds:
        found += populations_unserved(ctx, pg)
    if "objectives-unserved" in kinds:
        found += objectives_unserved(ctx)
    if "plan-not-in-force" in kinds:
        found += plans_not_in_force(ctx, pg, day)
    if {"no-responsible", "no-timeframe", "no-indicator"} & set(kinds):
        found += [f for f in accountability(ctx, pg) if f.kind in kinds]
    ranked = rank([_in_time(ctx, f) for f in found])
    return ranked[:limit] if limit is not None else ranked


def _in_time(ctx: Context, finding: Finding) -> Finding:
    """An overlap between plans that were never in force at the same time (their printed
    periods do not meet) is history, not a coordination question: its score is halved and its
    title says so."""
    if finding.is_gap or len(finding.plans) < 2 or ctx.coincide(finding.plans):
        return finding
    return replace(
        finding,
        title=finding.title + " (these plans were never in force at the same time)",
        score=round(finding.score * HISTORY, 3),
        details={**finding.details, "never_in_force_together": True},
    )


def _elements(finding: Finding) -> frozenset[str]:
    return frozenset(e.element for e in finding.evidence if e.element)


def rank(found: list[Finding]) -> list[Finding]:
    """Best first: each kind's findings by score, each next one of a kind discounted by
    :data:`DISCOUNT`; a finding whose evidence elements all stand in the evidence of a finding
    already ranked above it (another kind saying the same thing of the same elements) is
    discounted by :data:`REPEAT` and names that finding."""
    pending = sorted(found, key=lambda f: (-f.score, f.kind, f.title))
    placed: list[Finding] = []
    seen_of_kind: dict[str, int] = {}
    while pending:

        def weight(f: Finding) -> float:
            w = f.score * DISCOUNT ** seen_of_kind.get(f.kind, 0)
            return w * REPEAT if _repeats(f, placed) else w

        best = max(pending, key=lambda f: (weight(f), -pending.index(f)))
        pending.remove(best)
        seen_of_kind[best.kind] = seen_of_kind.get(best.kind, 0) + 1
        details = {**best.details, "rank": len(placed) + 1}
        earlier = _repeats(best, placed)
        if earlier is not None:
            details["repeats"] = earlier.id
        placed.append(replace(best, details=details))
    return placed


def _repeats(finding: Finding, placed: list[Finding]) -> Finding | None:
    mine = _elements(finding)
    if not mine:
        return None
    for other in placed:
        if other.kind != finding.kind and mine <= _elements(other):
            return other
    return None


def _day(on: _dt.date | str | None) -> _dt.date:
    if on is None:
        return _dt.date.today()
    if isinstance(on, _dt.date):
        return on
    try:
        return _dt.date.fromisoformat(on)
    except ValueError:
        raise PlangraphError(f"'{on}' is not a date (YYYY-MM-DD)") from None
