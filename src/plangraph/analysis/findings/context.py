"""What the findings read from the graph, gathered once through the query catalogue: plans,
elements with their words and source lines, concepts with their names and hierarchy, asserted
tags with their evidence, and participations."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from plangraph.analysis.findings.model import Evidence
from plangraph.rdf.terms import to_python

if TYPE_CHECKING:
    from plangraph.analysis.api import PlanGraph

QUOTE = 220
"""Longest quote of an element's text in a finding (the rest is in the source lines)."""


def short(iri: str) -> str:
    """The last segment of an IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def clip(text: str, limit: int = QUOTE) -> str:
    """One line of at most ``limit`` characters, without trailing punctuation.

    >>> clip("niñez indígena,  ")
    'niñez indígena'
    """
    text = " ".join(str(text).split()).rstrip(",;:")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class PlanInfo:
    """A plan: its id, title, status and period."""

    iri: str
    id: str
    title: str
    status: str
    start: str
    end: str
    region: str
    country: str


@dataclass(frozen=True)
class ElementInfo:
    """An element: where it stands and what it says."""

    iri: str
    plan: str
    kind: str
    code: str
    text: str
    action_level: bool
    source_file: str
    lines: str


@dataclass(frozen=True)
class ConceptInfo:
    """A concept: its scheme, names and broader concepts."""

    iri: str
    scheme: str
    label: str
    notation: str
    broader: frozenset[str]


@dataclass
class Context:
    """The graph as the findings see it."""

    plans: dict[str, PlanInfo] = field(default_factory=dict)
    elements: dict[str, ElementInfo] = field(default_factory=dict)
    concepts: dict[str, ConceptInfo] = field(default_factory=dict)
    tags: dict[str, dict[str, tuple[float, str, str]]] = field(default_factory=dict)
    """element → concept → (score, method, matched words) of its asserted tags."""
    recorded: dict[str, set[str]] = field(default_factory=dict)
    """element → every concept of its taggings, asserted or not (inherited, below threshold):
    what a gap must rule out before it says nothing serves a concept."""
    participations: list[dict[str, Any]] = field(default_factory=list)
    institutions: list[dict[str, Any]] = field(default_factory=list)
    """Rows of ``overlaps/institutions-across-plans-resolved``: each named institution in each
    plan that names it or includes it through a resolved generic mention."""
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Every element, declared population and citation with its source lines."""
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, pg: PlanGraph) -> Context:
        """Read everything the findings need (a handful of catalogue queries)."""
        ctx = cls()
        details = rows(pg, "reports/plan-details")
        for r in details:
            iri = str(r["plan"])
            ctx.plans[iri] = PlanInfo(
                iri,
                short(iri),
                str(r.get("title") or short(iri)),
                str(r.get("status") or ""),
                str(r.get("period_start") or ""),
                str(r.get("period_end") or ""),
                str(r.get("region") or ""),
                str(r.get("country") or ""),
            )
        prov = {str(r["entity"]): r for r in rows(pg, "reports/provenance")}
        ctx.provenance = prov
        for r in rows(pg, "reports/element-texts"):
            iri = str(r["element"])
            p = prov.get(iri, {})
            ctx.elements[iri] = ElementInfo(
                iri,
                str(r["plan"]),
                str(r.get("kind") or ""),
                str(r.get("code") or ""),
                str(r.get("text") or ""),
                bool(r.get("action_level")),
                str(p.get("source_file") or ""),
                str(p.get("lines") or ""),
            )
        broader: dict[str, set[str]] = defaultdict(set)
        names: dict[str, dict[str, Any]] = {}
        for r in rows(pg, "reports/concepts"):
            iri = str(r["concept"])
            names[iri] = r
            if r.get("broader"):
                broader[iri].add(str(r["broader"]))
        for iri, r in names.items():
            label = str(r.get("label_en") or r.get("label_es") or short(iri))
            ctx.concepts[iri] = ConceptInfo(
                iri, str(r["scheme"]), label, str(r.get("notation") or ""), frozenset(broader[iri])
            )
        for r in rows(pg, "reports/element-tags"):
            ctx.recorded.setdefault(str(r["element"]), set()).add(str(r["concept"]))
            if r.get("asserted") in (True, "true"):
                ctx.tags.setdefault(str(r["element"]), {})[str(r["concept"])] = (
                    float(r.get("score") or 0.0),
                    str(r.get("method") or ""),
                    str(r.get("matched") or ""),
                )
        ctx.participations = rows(pg, "reports/participations")
        ctx.institutions = rows(pg, "overlaps/institutions-across-plans-resolved")
        return ctx

    # -- derived views ---------------------------------------------------------------------------

    @cached_property
    def tagger_recall(self) -> dict[str, float]:
        """Scheme → the tagger's recall measured by cross-validation on the DEV split of the
        labelled elements (the ``about`` of the shipped ``tagger-model.json``); a gap that
        rests on missing tags is only as sure as the tagger is to find a tag that exists.
        Empty when no model ships."""
        from plangraph.pipeline.derive.scoring import load_model

        model = load_model()
        figures = (model.about if model else {}).get("cross_validation", {})
        return {scheme: float(f["recall"]) for scheme, f in figures.items() if "recall" in f}

    def coincide(self, plans: Iterable[str]) -> bool:
        """Whether two of the plans could have been in force at the same time: their printed
        periods overlap, or one of them prints no period."""
        periods = [(self.plans[p].start, self.plans[p].end) for p in plans if p in self.plans]
        for i, (start_a, end_a) in enumerate(periods):
            for start_b, end_b in periods[i + 1 :]:
                if not (start_a and end_a and start_b and end_b):
                    return True
                if start_a[:10] <= end_b[:10] and start_b[:10] <= end_a[:10]:
                    return True
        return False

    @cached_property
    def action_elements(self) -> list[ElementInfo]:
        """Action-level elements, in a stable order."""
        return sorted((e for e in self.elements.values() if e.action_level), key=lambda e: e.iri)

    @cached_property
    def plan_elements(self) -> dict[str, list[ElementInfo]]:
        """Plan → its elements, in the order they were read."""
        out: dict[str, list[ElementInfo]] = defaultdict(list)
        for e in self.elements.values():
            out[e.plan].append(e)
        return out

    @cached_property
    def plan_actions(self) -> dict[str, set[str]]:
        """Plan → its action-level elements."""
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.action_elements:
            out[e.plan].add(e.iri)
        return out

    @cached_property
    def plan_tags(self) -> dict[str, str]:
        """A short tag per plan, P1, P2 … in plan order (as in the report)."""
        return {iri: f"P{i}" for i, iri in enumerate(sorted(self.plans), start=1)}

    def plan_name(self, iri: str) -> str:
        """``P2 (plan-id)``."""
        return f"{self.plan_tags.get(iri, '?')} ({short(iri)})"

    def ancestors(self, concept: str) -> set[str]:
        """Every broader concept of a concept (transitive)."""
        return set(self._closure(concept))

    def _closure(self, concept: str) -> frozenset[str]:
        found = self._ancestors.get(concept)
        if found is None:
            out: set[str] = set()
            todo = [concept]
            while todo:
                for up in self.concepts.get(
                    todo.pop(), ConceptInfo("", "", "", "", frozenset())
                ).broader:
                    if up not in out:
                        out.add(up)
                        todo.append(up)
            found = self._ancestors[concept] = frozenset(out)
        return found

    @cached_property
    def concept_elements(self) -> dict[str, set[str]]:
        """Concept → action-level elements asserted to carry it or a narrower concept."""
        out: dict[str, set[str]] = defaultdict(set)
        actions = {e.iri for e in self.action_elements}
        for element, concepts in self.tags.items():
            if element not in actions:
                continue
            for concept in concepts:
                out[concept].add(element)
                for up in self.ancestors(concept):
                    out[up].add(element)
        return out

    def specificity(self, concept: str) -> float:
        """How specific a concept is across the corpus, 0–1: the idf of the elements that carry
        it, scaled by the idf of a concept carried by one element."""
        n = max(1, len(self.action_elements))
        df = max(1, len(self.concept_elements.get(concept, ())))
        return math.log(n / df) / math.log(n) if n > 1 else 0.0

    @cached_property
    def mentioned(self) -> dict[str, set[str]]:
        """Concept → action-level elements with any tagging of it or a narrower concept,
        asserted or only recorded."""
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.action_elements:
            for c in self.recorded.get(e.iri, ()):
                out[c].add(e.iri)
                for up in self._closure(c):
                    out[up].add(e.iri)
        return out

    def mentions(self, concept: str, plan: str | None = None) -> set[str]:
        """Action-level elements (of a plan) with any tagging of the concept or a narrower one,
        asserted or only recorded."""
        found = self.mentioned.get(concept, set())
        if plan is None:
            return set(found)
        return {e for e in found if self.elements[e].plan == plan}

    def evidence(self, element: str, why: str = "") -> Evidence:
        """An element (or a declared population, a citation) as evidence."""
        e = self.elements.get(element)
        if e is None:
            p = self.provenance.get(element, {})
            return Evidence(
                str(p.get("plan") or ""),
                element,
                str(p.get("kind") or ""),
                str(p.get("code") or ""),
                clip(str(p.get("quote") or "")),
                str(p.get("source_file") or ""),
                str(p.get("lines") or ""),
                why,
            )
        return Evidence(e.plan, e.iri, e.kind, e.code, clip(e.text), e.source_file, e.lines, why)


def rows(pg: PlanGraph, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """The rows of a named query as plain Python values."""
    result = pg.select(name, **bindings)
    return [
        {c: to_python(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows
    ]
