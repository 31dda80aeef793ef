"""What the sections hand their templates: lookups over the collected :class:`Report` (plans,
elements, concepts, institutions), references to plan statements and static figures. No markup:
the macros of ``templates/macros.html`` draw these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from plangraph.report.common import as_bool, clip, local
from plangraph.report.data import Plan, Prov, Report
from plangraph.report.figures import Written
from plangraph.report.render import png_base64


@dataclass(frozen=True)
class Ref:
    """A plan statement as a cell shows it: a readable name, its words (the quote, or a
    fallback text), and where they stand in the source (``None`` when unknown)."""

    name: str
    words: str
    prov: Prov | None


@dataclass(frozen=True)
class StaticFigure:
    """A matplotlib figure beside an interactive one: its caption, files and the PNG inline."""

    caption: str
    png: str
    svg: str
    png_base64: str


def static_figure(written: Written | None, caption: str) -> StaticFigure | None:
    """The figure block of ``written`` (``None`` when the figure was not drawn)."""
    if written is None:
        return None
    return StaticFigure(caption, written.png.name, written.svg.name, png_base64(written.png))


class Lookup:
    """The report's data plus the lookups every section shares."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.plans = report.plan_by_iri

    # plans -------------------------------------------------------------------------------
    def plan(self, plan_iri: str | None) -> Plan | str:
        """The plan (drawn as its tag), or the local name of an unknown IRI ('' for none)."""
        plan = self.plans.get(plan_iri or "")
        if plan is None:
            return local(plan_iri) if plan_iri else ""
        return plan

    def plan_sort(self, plan_iri: str | None) -> str:
        """A key that sorts plans by tag (P1, P2… P10), unknown plans last."""
        plan = self.plans.get(plan_iri or "")
        return f"{int(plan.tag[1:]):04d}" if plan else "9999"

    # elements ----------------------------------------------------------------------------
    def element_name(self, iri: str, depth: int = 3) -> str:
        """A short readable name of an element: its kind and code, and its parent's."""
        parts: list[str] = []
        current: str | None = iri
        while current and len(parts) < depth:
            p = self.r.prov.get(current)
            if p is None or current in self.plans:
                break
            name = p.kind.replace("_", " ")
            if p.code:
                name += f" {p.code}"
            parts.append(name)
            current = p.parent
        if not parts:
            return local(iri)
        return " › ".join(reversed(parts))

    def prov(self, iri: str | None) -> Prov | None:
        """Where a plan statement stands in its source."""
        return self.r.prov.get(iri or "")

    def ref(self, iri: str | None, fallback: str | None = None) -> Ref:
        """A plan statement with its quote (or ``fallback`` when it has none)."""
        p = self.prov(iri)
        words = (p.quote if p and p.quote else None) or fallback or ""
        return Ref(self.element_name(iri) if iri else "", clip(words) if words else "", p)

    def in_source_order(self, elements: Iterable[str]) -> list[str]:
        """Elements sorted by their first source line (unknown ones first), then IRI."""
        return sorted(elements, key=lambda e: (self.r.prov[e].first if e in self.r.prov else 0, e))

    @cached_property
    def action_examples(self) -> dict[tuple[str, str], list[str]]:
        """(concept, plan) → the plan's action-level elements carrying the concept."""
        examples: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ec in self.r.element_concepts:
            if as_bool(ec.get("action_level")):
                examples[(ec["concept"], ec["plan"])].append(ec["element"])
        return examples

    def first_example(self, concept: str, plan_iri: str) -> str | None:
        """The plan's first action-level element (in source order) carrying the concept."""
        elements = self.in_source_order(self.action_examples.get((concept, plan_iri), []))
        return elements[0] if elements else None

    def concept_label(self, iri: str | None) -> str:
        if not iri:
            return ""
        return self.r.concept_labels.get(iri, ("", local(iri)))[1]

    # institutions ------------------------------------------------------------------------
    def inst_short(self, inst_id: str) -> str:
        info = self.r.institutions.get(inst_id, {})
        return str(info.get("acronym") or info.get("label_es") or info.get("label_en") or inst_id)

    def inst_label(self, inst_id: str) -> str:
        info = self.r.institutions.get(inst_id, {})
        return str(info.get("label_es") or info.get("label_en") or inst_id)
