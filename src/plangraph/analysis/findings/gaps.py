"""What plans leave out: populations a plan declares but no action serves, framework objectives
no plan serves, plans not in force, and accountability gaps (no owner, no timing, no indicator),
each as findings with the plan's own words as evidence.

A gap claims an absence, so it rules out weaker evidence first: a population or objective counts
as served when any tagging of it (or of a narrower concept) exists on an action, even one the
tagger records without asserting; the finding then says how sure it is.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import TYPE_CHECKING

from plangraph.analysis.findings.context import Context, clip, rows, short
from plangraph.analysis.findings.model import Finding

if TYPE_CHECKING:
    from plangraph.analysis.api import PlanGraph

ACCOUNTABILITY = {
    "no-responsible": "name no responsible institution",
    "no-timeframe": "give no timeframe",
    "no-indicator": "give no indicator",
}
SHOWN = 3
"""Example elements shown in an accountability gap."""
MIN_SHARE = 0.5
"""An accountability gap is a finding when at least this share of a plan's actions has it."""


DELIVERED = frozenset({"result", "product", "target", "commitment", "solution"})
"""Element kinds that say what a plan delivers, besides its action-level elements: a group named
in an expected result ("fortalecer las capacidades de las y los trabajadores") is served."""
POPULATIONS = "https://w3id.org/plangraph/vocab/population"


def _label_keys(pg: PlanGraph) -> dict[str, dict[str, list[list[str]]]]:
    """Population concept → language → the content words of each of its labels."""
    from plangraph.text.words import content_keys

    out: dict[str, dict[str, list[list[str]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows(pg, "reports/concept-labels", scheme=POPULATIONS):
        language = str(r.get("language") or "")[:2]
        keys = content_keys(str(r["label"]), language or "es")
        if keys:
            out[str(r["concept"])][language].append(keys)
    return out


def _contains(words: list[str], label: list[str]) -> bool:
    n = len(label)
    return any(words[i : i + n] == label for i in range(len(words) - n + 1))


def named_where_delivered(
    ctx: Context, pg: PlanGraph, plan: str, concept: str, language: str = "es"
) -> list[str]:
    """Elements of the plan that name the population (or a narrower one) by one of its labels
    in their own words and say what the plan delivers (action-level elements and the kinds in
    :data:`DELIVERED`). A gap that such an element refutes is not claimed: the tagger may have
    missed the tag (it tags action-level elements only) but a reader would not."""
    from plangraph.text.words import content_keys

    cache = ctx.__dict__.setdefault("_population_labels", None)
    if cache is None:
        cache = ctx.__dict__["_population_labels"] = _label_keys(pg)
    wanted = [c for c in cache if c == concept or concept in ctx.ancestors(c)]
    labels = [k for c in wanted for k in cache[c].get(language[:2], [])]
    # each element's words once, whatever the number of populations its plan declares
    words_of: dict[tuple[str, str], list[str]] = ctx.__dict__.setdefault("_element_words", {})
    found = []
    for e in ctx.plan_elements.get(plan, ()):
        if not (e.action_level or e.kind in DELIVERED):
            continue
        key = (e.iri, language[:2])
        if key not in words_of:
            words_of[key] = content_keys(e.text, language[:2])
        if any(_contains(words_of[key], label) for label in labels):
            found.append(e.iri)
    return sorted(found)


def populations_unserved(ctx: Context, pg: PlanGraph) -> list[Finding]:
    """Populations a plan declares that none of its own actions serves."""
    out = []
    languages = {
        str(r["plan"]): str(r.get("language") or "es") for r in rows(pg, "reports/plan-languages")
    }
    for row in rows(pg, "reports/declared-populations"):
        concept = row.get("concept")
        if not concept:
            continue  # a declared population no vocabulary concept names: nothing to check
        plan, concept, declared = str(row["plan"]), str(concept), str(row["declared"])
        if ctx.concept_elements.get(concept, set()) & ctx.plan_actions.get(plan, set()):
            continue
        if named_where_delivered(ctx, pg, plan, concept, languages.get(plan, "es")):
            continue
        weak = ctx.mentions(concept, plan)
        elsewhere = sorted(
            {
                ctx.elements[e].plan
                for e in ctx.concept_elements.get(concept, ())
                if e in ctx.elements
            }
            - {plan}
        )
        label = ctx.concepts[concept].label if concept in ctx.concepts else short(concept)
        others = ", ".join(ctx.plan_name(p) for p in elsewhere)
        verb = "serves" if len(elsewhere) == 1 else "serve"
        where = (
            f"; {others} {verb} it"
            if elsewhere
            else "; no action of another plan is tagged with it either"
        )
        evidence = [ctx.evidence(declared, "the plan declares this population")]
        evidence += [ctx.evidence(e, "mentions it, not asserted") for e in sorted(weak)[:SHOWN]]
        # an absence of tags is as sure as the tagger is to find the tag that exists
        recall = ctx.tagger_recall.get("population", 1.0)
        confidence = round((0.6 if weak else 0.85) * recall, 3)
        out.append(
            Finding(
                "population-unserved",
                f"{ctx.plan_name(plan)} declares '{clip(str(row.get('text') or ''), 80)}' "
                f"({label}) but none of its actions serves them{where}",
                (plan,),
                tuple(evidence),
                "curated declared population resolved to a concept; no action of the plan carries "
                "it or a narrower concept in its own words"
                + (f" ({len(weak)} mention it without an asserted tag)" if weak else "")
                + f"; confidence scaled by the tagger's population recall ({recall:.2f}, dev "
                "cross-validation)",
                confidence,
                round(0.8 * confidence + (0.1 if not elsewhere else 0.0), 3),
                subject=concept,
                details={"served_elsewhere": elsewhere, "weak_mentions": sorted(weak)},
            )
        )
    return out


def objectives_unserved(ctx: Context) -> list[Finding]:
    """GCM objectives that no action of any plan serves (one finding listing them)."""
    objectives = [c for c in ctx.concepts.values() if c.scheme == "gcm"]
    if not objectives:
        return []
    unserved = [c for c in objectives if not ctx.mentions(c.iri)]
    if not unserved or len(unserved) == len(objectives):
        return []
    unserved.sort(key=lambda c: int(c.notation) if c.notation.isdigit() else 99)
    names = "; ".join(f"{c.notation} {clip(c.label, 60)}" for c in unserved)
    recall = ctx.tagger_recall.get("gcm", 1.0)
    return [
        Finding(
            "objectives-unserved",
            f"No action of any plan is tagged with {len(unserved)} of the {len(objectives)} GCM "
            f"objectives: {names}",
            tuple(sorted(ctx.plans)),
            (),
            "derived: no action-level element of any plan has a tagging (asserted or recorded) "
            f"of these objectives; the tagger's recall on objectives is {recall:.2f} (dev "
            "cross-validation: it finds that share of the objectives an element serves), so "
            "read the plans before concluding that none serves them",
            round(0.7 * recall, 3),
            round(0.55 * recall, 3),
            subject=" ".join(c.iri for c in unserved),
            details={"objectives": [c.iri for c in unserved]},
        )
    ]


def plans_not_in_force(ctx: Context, pg: PlanGraph, on: _dt.date) -> list[Finding]:
    """One finding listing the plans that are not in force on a day (lapsed, not yet in force,
    or no period printed), each with its period and what replaced it, when a document says."""
    parts, subjects, plans = [], [], []
    states: dict[str, str] = {}
    lapsed_alone = 0
    for row in rows(pg, "gaps/plans-in-force", on=on.isoformat()):
        state = str(row.get("state") or "")
        if state == "in force":
            continue
        plan = str(row["plan"])
        period = "–".join(x for x in (str(row.get("start") or ""), str(row.get("end") or "")) if x)
        replaced = str(row.get("replaced_by") or "")
        after = f", replaced by {ctx.plan_name(replaced)}" if replaced else ""
        lapsed_alone += state == "lapsed" and not replaced
        words = {
            "lapsed": f"lapsed ({period}{after})",
            "no period": "prints no period",
            "not yet in force": f"not yet in force ({period})",
        }.get(state, state)
        parts.append(f"{ctx.plan_name(plan)} {words}")
        subjects.append(f"{plan} {state}")
        plans.append(plan)
        states[plan] = state
    if not plans:
        return []
    total = len(ctx.plans)
    return [
        Finding(
            "plan-not-in-force",
            f"On {on.isoformat()}, {len(plans)} of {total} plans are not in force: "
            + "; ".join(parts)
            + (f" — {lapsed_alone} lapsed with no successor recorded" if lapsed_alone else ""),
            tuple(sorted(plans)),
            (),
            "curated: the plans' periods as printed, and their replacements when a document "
            "says (query gaps/plans-in-force)",
            1.0,
            round(0.3 + 0.1 * min(3, lapsed_alone), 3),
            subject=" ".join(sorted(subjects)),
            details={"day": on.isoformat(), "states": states},
        )
    ]


def accountability(ctx: Context, pg: PlanGraph) -> list[Finding]:
    """Per kind of accountability gap, one finding: the plans where at least half of the actions
    have no owner, no timing or no indicator, with their counts and examples."""
    actions: dict[str, int] = defaultdict(int)
    for e in ctx.action_elements:
        actions[e.plan] += 1
    out = []
    for kind, words in ACCOUNTABILITY.items():
        by_plan: dict[str, list[str]] = defaultdict(list)
        for row in rows(pg, f"gaps/{kind}"):
            element = str(row["element"])
            if element in ctx.elements and ctx.elements[element].action_level:
                by_plan[str(row["plan"])].append(element)
        shares = {p: len(els) / max(1, actions[p]) for p, els in by_plan.items()}
        plans = sorted(p for p, share in shares.items() if share >= MIN_SHARE)
        if not plans:
            continue
        named_other = _named_other(ctx, by_plan) if kind == "no-responsible" else {}
        parts = [
            f"{ctx.plan_name(p)} {len(by_plan[p])} of {actions[p]}"
            + (
                f" ({named_other[p]} of them name other bodies: involved, supporting …)"
                if named_other.get(p)
                else ""
            )
            for p in plans
        ]
        evidence = tuple(ctx.evidence(e, words) for p in plans for e in sorted(by_plan[p])[:1])
        mean = sum(shares[p] for p in plans) / len(plans)
        # actions that name bodies in other roles have someone to ask, if not an owner
        owned = sum(named_other.get(p, 0) for p in plans) / max(
            1, sum(len(by_plan[p]) for p in plans)
        )
        out.append(
            Finding(
                kind,
                f"In {len(plans)} plan(s) most actions {words}: {'; '.join(parts)}",
                tuple(plans),
                evidence,
                f"curated: the plan files' cells, read with the plans' structure (query "
                f"gaps/{kind}); a plan is listed when at least half of its actions have the gap",
                round(1.0 - 0.5 * owned, 3),
                round((0.35 + 0.35 * mean * min(1.0, len(plans) / 3)) * (1.0 - 0.5 * owned), 3),
                details={
                    "elements": {p: sorted(by_plan[p]) for p in plans},
                    "naming_other_bodies": named_other,
                },
            )
        )
    return out


def _named_other(ctx: Context, by_plan: dict[str, list[str]]) -> dict[str, int]:
    """Per plan, how many of the gap's actions name some body in another role (involved,
    supporting …) at the action or an element above it."""
    named: set[str] = {str(r["element"]) for r in ctx.participations if r.get("element")}
    out = {}
    for plan, elements in by_plan.items():
        out[plan] = sum(1 for e in elements if e in named or _above_named(e, named, plan))
    return out


def _above_named(element: str, named: set[str], plan: str) -> bool:
    """Whether an element of ``plan`` above ``element`` (an IRI path prefix of it) is named.

    >>> _above_named("p/a/b/c", {"p/a"}, "p"), _above_named("p/a/b", {"p/a/bc"}, "p")
    (True, False)
    """
    cut = element.rfind("/")
    while cut > 0:
        prefix = element[:cut]
        if prefix in named and prefix.startswith(plan):
            return True
        cut = element.rfind("/", 0, cut)
    return False
