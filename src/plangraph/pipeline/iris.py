"""The deterministic IRIs of plan elements, minted from the plan's hierarchy and codes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import URIRef

from plangraph.errors import PlangraphError
from plangraph.pipeline.records import Element
from plangraph.rdf.namespaces import plan_iri, slug

if TYPE_CHECKING:
    from plangraph.pipeline.loader import Plan


def element_iris(plan: Plan) -> dict[tuple[str | int, ...], URIRef]:
    """Deterministic IRIs for every element of a plan, keyed by YAML path.

    A coded element is ``<plan>/<parent path>/<kind>-<code slug>``; an uncoded one uses
    ``<kind>-n<ordinal among same-kind siblings>``. Collisions are reported as errors.
    """
    out: dict[tuple[str | int, ...], URIRef] = {}
    base = str(plan_iri(plan.id))

    def rec(elems: Sequence[Element], prefix: str, path: tuple[str | int, ...]) -> None:
        ordinal: Counter[str] = Counter()
        used: dict[str, int] = {}
        for i, el in enumerate(elems):
            ordinal[el.kind.value] += 1
            segment = (
                f"{el.kind.segment}-{slug(el.code)}"
                if el.code
                else (f"{el.kind.segment}-n{ordinal[el.kind.value]}")
            )
            if segment in used:
                raise PlangraphError(
                    f"{plan.file}: elements {field(path, used[segment])} and {field(path, i)} "
                    f"get the same IRI segment '{segment}'; give them distinct codes"
                )
            used[segment] = i
            iri = f"{prefix}/{segment}"
            out[(*path, i)] = URIRef(iri)
            rec(el.children, iri, (*path, i, "children"))

    def field(path: tuple[str | int, ...], i: int) -> str:
        return ".".join(str(p) for p in (*path, i))

    rec(plan.record.elements, base, ("elements",))
    return out
