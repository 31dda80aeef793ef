"""The deterministic IRIs of plan elements, minted from the plan's hierarchy and codes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from plangraph.errors import PlangraphError
from plangraph.pipeline.records import Element
from plangraph.rdf.namespaces import plan_iri, slug

if TYPE_CHECKING:
    from plangraph.pipeline.loader import Plan

YamlPath = tuple[str | int, ...]

MAX_IRI = 4096
"""Longest element IRI, in characters: codes are short printed labels, and an IRI grows with
each ancestor's code (every IRI must fit, twice, in one N-Quads line)."""


@dataclass(frozen=True)
class Clash:
    """Two sibling elements that would get the same IRI (``first`` comes first in the file),
    or (``first`` is None) one element whose IRI would be longer than :data:`MAX_IRI`."""

    first: YamlPath | None
    second: YamlPath
    segment: str


def _minted(plan: Plan) -> Iterator[tuple[YamlPath, str, Clash | None]]:
    """Every element's YAML path and IRI, with the clash it makes, if any."""
    base = str(plan_iri(plan.id))

    def rec(
        elems: Sequence[Element], prefix: str, path: YamlPath
    ) -> Iterator[tuple[YamlPath, str, Clash | None]]:
        ordinal: Counter[str] = Counter()
        used: dict[str, int] = {}
        for i, el in enumerate(elems):
            ordinal[el.kind.value] += 1
            segment = (
                f"{el.kind.segment}-{slug(el.code)}"
                if el.code
                else (f"{el.kind.segment}-n{ordinal[el.kind.value]}")
            )
            iri = f"{prefix}/{segment}"
            clash = None
            if segment in used:
                clash = Clash((*path, used[segment]), (*path, i), segment)
            elif len(iri) > MAX_IRI:
                clash = Clash(None, (*path, i), segment)
            else:
                used[segment] = i
            yield (*path, i), iri, clash
            if clash is None:
                yield from rec(el.children, iri, (*path, i, "children"))

    yield from rec(plan.record.elements, base, ("elements",))


def iri_clashes(plan: Plan) -> list[Clash]:
    """Elements that would share an IRI (codes that differ only in what a slug drops: case,
    accents, punctuation, e.g. ``Hito 3`` and ``hito-3``; a code ``n1`` beside an uncoded
    element of the same kind) or get one too long to write. The loader reports each with its
    line; the build can then mint every IRI."""
    return [clash for _path, _iri, clash in _minted(plan) if clash is not None]


def element_iris(plan: Plan) -> dict[YamlPath, URIRef]:
    """Deterministic IRIs for every element of a plan, keyed by YAML path.

    A coded element is ``<plan>/<parent path>/<kind>-<code slug>``; an uncoded one uses
    ``<kind>-n<ordinal among same-kind siblings>``. Clashes (which the loader refuses) are
    errors.
    """
    out: dict[YamlPath, URIRef] = {}
    for path, iri, clash in _minted(plan):
        if clash is not None:
            raise PlangraphError(
                f"{plan.file}: element {'.'.join(map(str, path))} cannot get an IRI "
                f"('{clash.segment}'): give it a distinct, shorter code"
            )
        out[path] = URIRef(iri)
    return out
