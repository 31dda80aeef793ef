"""How specific a concept is across a corpus, and how alike two plans are once generic concepts
are discounted: the plan × plan measure ``concept_similarity``.

A theme or population that many action-level elements carry (coordination, training, migrant
children) says little about whether two plans meet; one that few carry (stigma and
discrimination, civil identity) says much. The specificity of a concept is its inverse
document frequency over the action-level elements that carry any concept, scaled to 0–1::

    specificity(c) = log(N / df(c)) / log(N)

``N`` the action-level elements with at least one asserted theme or population, ``df(c)`` those
asserting ``c`` in their own words (a tagging of method ``inherited`` is not counted: it is the
parent's topic, not the element's).

A plan's concept profile gives each concept the share of the plan's tagged action-level
elements that assert it, times its specificity; two plans' ``concept_similarity`` is the cosine
of their profiles (0–1). A plain count of shared concepts grows with the size and breadth of
both plans (a long plan shares many generic themes with every other); the profile weighs what a
plan does *often* and what few plans do.

>>> import pandas as pd
>>> elements = pd.DataFrame({"element": ["a1", "a2", "b1", "b2"], "plan": ["A", "A", "B", "B"],
...                          "action_level": [True, True, True, True]})
>>> taggings = pd.DataFrame({
...     "element": ["a1", "a2", "b1", "b2", "a1", "b1"],
...     "concept": ["coord", "coord", "coord", "coord", "stigma", "stigma"],
...     "asserted": [True] * 6})
>>> spec = concept_specificity(elements, taggings)
>>> spec["coord"], spec["stigma"]
(0.0, 0.5)
>>> plan_concept_similarity(elements, taggings)
[('A', 'B', 1.0, ['stigma'])]
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any


def _asserted(elements: Any, taggings: Any) -> dict[str, set[str]]:
    """Action-level element → concepts it asserts."""
    actions = set(elements[elements.action_level.astype(bool)].element.astype(str))
    out: dict[str, set[str]] = defaultdict(set)
    if taggings is None or len(taggings) == 0:
        return out
    for row in taggings.to_dict("records"):
        element = str(row["element"])
        if element in actions and row.get("asserted") in (True, "true", 1):
            out[element].add(str(row["concept"]))
    return out


def concept_specificity(elements: Any, taggings: Any) -> dict[str, float]:
    """Concept → specificity (0: every tagged action-level element asserts it; 1: one does),
    from the element table (``element``, ``action_level``) and the taggings (``element``,
    ``concept``, ``asserted``) of :meth:`plangraph.analysis.api.PlanGraph.similarity_input`."""
    asserted = _asserted(elements, taggings)
    n = len(asserted)
    df: dict[str, int] = defaultdict(int)
    for concepts in asserted.values():
        for concept in concepts:
            df[concept] += 1
    if n <= 1:
        return {c: 0.0 for c in df}
    return {c: round(math.log(n / k) / math.log(n), 6) for c, k in df.items()}


def plan_concept_similarity(
    elements: Any, taggings: Any
) -> list[tuple[str, str, float, list[str]]]:
    """Pairs of plans (``plan_a`` < ``plan_b``) with the cosine of their specificity-weighted
    concept profiles, and the concepts that make it (specificity above 0), largest
    contribution first. Pairs sharing no specific concept are left out."""
    spec = concept_specificity(elements, taggings)
    plan_of = dict(zip(elements.element.astype(str), elements.plan.astype(str), strict=True))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sizes: dict[str, int] = defaultdict(int)
    for element, concepts in _asserted(elements, taggings).items():
        plan = plan_of[element]
        sizes[plan] += 1
        for concept in concepts:
            counts[plan][concept] += 1
    profiles = {
        plan: {c: n / sizes[plan] * spec[c] for c, n in own.items() if spec[c] > 0}
        for plan, own in counts.items()
    }
    norms = {p: math.sqrt(sum(x * x for x in v.values())) for p, v in profiles.items()}
    out = []
    plans = sorted(profiles)
    for i, a in enumerate(plans):
        for b in plans[i + 1 :]:
            u, v = profiles[a], profiles[b]
            parts = {c: u[c] * v[c] for c in u.keys() & v.keys()}
            if not parts or not norms[a] or not norms[b]:
                continue
            score = sum(parts.values()) / (norms[a] * norms[b])
            shared = sorted(parts, key=lambda c: (-parts[c], c))
            out.append((a, b, round(score, 3), shared))
    return out
