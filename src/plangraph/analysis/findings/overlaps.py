"""Where plans meet: the same institution, the same specific concept, the same framework
objective, and near-duplicate commitments — each as findings with the evidence of every plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from plangraph.analysis.findings.context import Context, clip, short
from plangraph.analysis.findings.model import Evidence, Finding

if TYPE_CHECKING:
    import pandas as pd

LEADING_ROLES = {"responsible", "coordinating"}
PER_PLAN = 2
"""Evidence elements shown per plan."""


def _institution_part(ctx: Context, row: dict[str, Any]) -> str:
    """How one plan involves an institution, in words."""
    roles = [r.strip() for r in str(row.get("roles") or "").split(",") if r.strip()]
    publishes = "publisher" in roles
    roles = [r for r in roles if r != "publisher"]
    actions = int(row.get("n_actions") or 0)
    said = []
    if roles:
        said.append(
            f"{', '.join(sorted(roles))} in {actions} action(s)"
            if actions
            else f"{', '.join(sorted(roles))} in {int(row.get('n_elements') or 0)} element(s)"
        )
    if publishes:
        said.append("publishes the plan")
    how = "; ".join(said) or "named"
    if row.get("link") == "derived":
        how = f"through '{row.get('via_label')}' ({how})"
    return f"{ctx.plan_name(str(row['plan']))}: {how}"


def shared_institutions(ctx: Context) -> list[Finding]:
    """Named institutions (not generic mentions) that take part in two or more plans, by name
    or through a regional plan's generic mention resolved to the member states' bodies
    (query ``overlaps/institutions-across-plans-resolved``)."""
    by_inst: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in ctx.institutions:
        by_inst[str(row["institution"])].append(row)
    out = []
    for inst, rows in sorted(by_inst.items()):
        rows.sort(key=lambda r: str(r["plan"]))
        plans = sorted({str(r["plan"]) for r in rows})
        if len(plans) < 2:
            continue
        named = {str(r["plan"]) for r in rows if r.get("link") != "derived"}
        leading = {
            str(r["plan"])
            for r in rows
            if LEADING_ROLES & {x.strip() for x in str(r.get("roles") or "").split(",")}
            and int(r.get("n_actions") or 0) > 0
        }
        evidence: list[Evidence] = []
        for r in rows:
            elements = sorted(
                str(r.get("elements") or "").split(),
                key=lambda e: (
                    not ctx.elements.get(e, None) or not ctx.elements[e].action_level,
                    e,
                ),
            )
            for n, element in enumerate(elements[:PER_PLAN]):
                if r.get("link") != "derived":
                    why = f"named as {r.get('roles')}"
                elif n == 0:  # the rule once per plan, not on every element
                    why = f"'{r.get('via_label')}' resolved to this body: {r.get('explanation')}"
                else:
                    why = f"the same generic mention, '{r.get('via_label')}'"
                evidence.append(ctx.evidence(element, why))
        derived = len(plans) - len(named)
        topics = _common_topics(ctx, rows)
        # plans where the body acts (not only publishes the plan or is listed as support)
        acting = {
            str(r["plan"])
            for r in rows
            if int(r.get("n_actions") or 0) > 0
            and {x.strip() for x in str(r.get("roles") or "").split(",")}
            - {"publisher", "supporting", ""}
        }
        score = (
            0.35
            + 0.08 * (len(plans) - 2)
            + 0.12 * (len(leading) >= 2)
            + 0.08 * (len(acting) >= 2)
            + 0.15 * bool(topics)
            - 0.05 * derived
        )
        label = str(rows[0].get("label") or short(inst))
        parts = "; ".join(_institution_part(ctx, r) for r in rows)
        if topics:
            parts += "; on " + ", ".join(f"'{ctx.concepts[c].label}'" for c in topics[:2])
        how = "curated: the institution cells of the plan files (authority file ids)"
        if derived:
            how += (
                f"; derived in {derived} plan(s): a generic mention of a regional plan resolved "
                "to the member states' bodies of that function (pg:Resolution)"
            )
        if topics:
            how += (
                "; its actions in two or more of the plans share a specific concept "
                "(asserted tags, specificity ≥ 0.5)"
            )
        out.append(
            Finding(
                "shared-institution",
                f"{label} takes part in {len(plans)} plans ({parts})",
                tuple(plans),
                tuple(evidence),
                how,
                1.0 if not derived else 0.8,
                round(min(0.95, max(0.3, score)), 3),
                subject=inst,
                details={
                    "leading_in": sorted(leading),
                    "named_in": sorted(named),
                    "common_topics": topics,
                },
            )
        )
    return out


SPECIFIC = 0.5
"""A concept at least this specific (:meth:`Context.specificity`) is a topic, not a process."""


def _common_topics(ctx: Context, rows: list[dict[str, Any]]) -> list[str]:
    """Specific concepts that the institution's action-level elements assert in two or more
    plans, most specific first: the body does related work in those plans, not merely appears
    in each."""
    plans_of: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for element in str(r.get("elements") or "").split():
            info = ctx.elements.get(element)
            if info is None or not info.action_level:
                continue
            for concept in ctx.tags.get(element, {}):
                if ctx.concepts.get(concept) and ctx.concepts[concept].scheme != "gcm":
                    plans_of[concept].add(str(r["plan"]))
    common = [
        c for c, plans in plans_of.items() if len(plans) >= 2 and ctx.specificity(c) >= SPECIFIC
    ]
    return sorted(common, key=lambda c: (-ctx.specificity(c), c))


def _concept_plans(ctx: Context, concept: str) -> dict[str, list[str]]:
    by_plan: dict[str, list[str]] = defaultdict(list)
    for element in ctx.concept_elements.get(concept, ()):
        by_plan[ctx.elements[element].plan].append(element)
    return by_plan


def _best_elements(ctx: Context, elements: Iterable[str], concept: str) -> list[str]:
    def strength(element: str) -> float:
        tags = ctx.tags.get(element, {})
        if concept in tags:
            return tags[concept][0]
        return max((t[0] for c, t in tags.items() if concept in ctx.ancestors(c)), default=0.0)

    return sorted(elements, key=lambda e: (-strength(e), e))


def shared_concepts(
    ctx: Context, schemes: tuple[str, ...] = ("theme", "population")
) -> list[Finding]:
    """Concepts that action-level elements of two or more plans carry, ranked by how specific
    the concept is across the corpus (a generic process theme ranks low). A broader concept is
    left out when a narrower one already joins the same plans."""
    candidates: dict[str, dict[str, list[str]]] = {}
    for concept, info in ctx.concepts.items():
        if info.scheme not in schemes:
            continue
        by_plan = _concept_plans(ctx, concept)
        if len(by_plan) >= 2:
            candidates[concept] = by_plan
    out = []
    for concept, by_plan in sorted(candidates.items()):
        narrower_same = any(
            concept in ctx.ancestors(other) and set(other_plans) == set(by_plan)
            for other, other_plans in candidates.items()
            if other != concept
        )
        if narrower_same:
            continue
        out.append(_concept_finding(ctx, concept, by_plan, "shared-concept", 1.0))
    return out


def shared_objectives(ctx: Context) -> list[Finding]:
    """GCM objectives that action-level elements of two or more plans serve."""
    out = []
    for concept, info in sorted(ctx.concepts.items()):
        if info.scheme != "gcm":
            continue
        by_plan = _concept_plans(ctx, concept)
        if len(by_plan) >= 2:
            out.append(_concept_finding(ctx, concept, by_plan, "shared-objective", 0.8))
    return out


def _concept_finding(
    ctx: Context, concept: str, by_plan: dict[str, list[str]], kind: str, weight: float
) -> Finding:
    info = ctx.concepts[concept]
    plans = sorted(by_plan)
    evidence: list[Evidence] = []
    best_per_plan = []
    for plan in plans:
        strengths = []
        for element in _best_elements(ctx, by_plan[plan], concept)[:PER_PLAN]:
            tags = ctx.tags.get(element, {})
            own = tags.get(concept) or max(
                (t for c, t in tags.items() if concept in ctx.ancestors(c)),
                default=(0.0, "", ""),
                key=lambda t: t[0],
            )
            strengths.append(own[0])
            evidence.append(ctx.evidence(element, f"{own[1]}: {clip(own[2], 90)}"))
        best_per_plan.append(max(strengths, default=0.0))
    specificity = ctx.specificity(concept)
    # as sure as the plan whose best evidence is weakest: one plan's single doubtful tag
    # should not carry a finding about several plans
    confidence = round(min(best_per_plan), 3) if best_per_plan else 0.0
    breadth = min(1.0, 0.6 + 0.2 * (len(plans) - 2))
    name = f"GCM objective {info.notation}" if info.scheme == "gcm" else f"{info.scheme}"
    counts = ", ".join(f"{ctx.plan_name(p)} {len(by_plan[p])}" for p in plans)
    return Finding(
        kind,
        f"{len(plans)} plans act on the {name} '{info.label}' (action-level elements: {counts})",
        tuple(plans),
        tuple(evidence),
        "derived: asserted tags (own-text evidence) of action-level elements; concepts ranked by "
        f"specificity across the corpus ({specificity:.2f}: the share of elements carrying it); "
        "confidence: the best tag score of the plan whose evidence is weakest",
        confidence,
        round(weight * specificity * breadth * (0.5 + 0.5 * confidence), 3),
        subject=concept,
        details={"specificity": round(specificity, 3), "elements": {p: by_plan[p] for p in plans}},
    )


def near_duplicates(ctx: Context, pairs: pd.DataFrame, threshold: float) -> list[Finding]:
    """Near-duplicate commitments of two plans, one finding per pair (pairs are not chained
    into groups: A like B and B like C does not make A like C). Scored from how far the pair's
    similarity is above the calibrated ``threshold``: near it, a pair is as often related work
    as the same commitment (docs/queries.md, "Near-duplicate elements")."""
    out = []
    for row in pairs.itertuples(index=False):
        a, b = str(row.element_a), str(row.element_b)
        if a not in ctx.elements or b not in ctx.elements:
            continue
        plans = sorted({ctx.elements[a].plan, ctx.elements[b].plan})
        if len(plans) < 2:
            continue
        similarity = float(row.score)
        terms = str(getattr(row, "shared_terms", "") or "")
        concepts = str(getattr(row, "shared_concepts", "") or "")
        shared = ", ".join(x for x in (terms, concepts) if x)
        members = sorted((a, b), key=lambda e: (ctx.elements[e].plan, e))
        why = f"similarity {similarity:.2f}; shared: {shared}"
        evidence = [ctx.evidence(m, why) for m in members]
        above = max(0.0, min(1.0, (similarity - threshold) / max(1e-9, 1.0 - threshold)))
        out.append(
            Finding(
                "near-duplicate",
                f"Near-duplicate commitments in {ctx.plan_name(plans[0])} and "
                f"{ctx.plan_name(plans[1])}: "
                + " / ".join(f"'{clip(ctx.elements[m].text, 70)}'" for m in members),
                tuple(plans),
                tuple(evidence),
                "derived: text and concept similarity of action-level elements "
                f"(plangraph.analysis.similarity; threshold {threshold:.2f} calibrated on "
                "labelled pairs)",
                round(similarity, 3),
                round(0.35 + 0.6 * above, 3),
                details={"shared_terms": terms, "shared_concepts": concepts, "elements": members},
            )
        )
    return out
