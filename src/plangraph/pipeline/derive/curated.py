"""Curated tags: what a plan file says about an element's themes, populations and framework
objectives (``tags:``), which add to the tagger's with score 1.0, and ``tags.not``, which removes
derived ones. Unknown concepts are errors with file and line."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from plangraph.errors import Problem
from plangraph.pipeline.derive.tagger import Tag
from plangraph.pipeline.loader import Plan
from plangraph.pipeline.records import Element
from plangraph.pipeline.yamlsource import field_name, line_of
from plangraph.rdf.namespaces import concept_iri

SCHEMES = ("theme", "population", "gcm", "sdg")


def concept_of(scheme: str, ident: str) -> URIRef:
    """The IRI of a concept named in a plan file (``gcm`` objectives by number, ``sdg``
    targets by code as in the UN's IRIs).

    >>> str(concept_of("gcm", "14")), str(concept_of("sdg", "10.7"))
    ('https://w3id.org/plangraph/vocab/gcm/objective-14', 'http://metadata.un.org/sdg/10.7')
    """
    if scheme == "sdg":
        return URIRef(f"http://metadata.un.org/sdg/{ident}")
    if scheme == "gcm":
        return concept_iri("gcm", f"objective-{ident}")
    return concept_iri(scheme, ident)


@dataclass
class Curated:
    """The curated tags of one element, the concepts it removes, and the problems found."""

    tags: list[Tag] = field(default_factory=list)
    removed: set[URIRef] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def curated(
    plan: Plan, path: tuple[str | int, ...], element: Element, known: set[URIRef]
) -> Curated:
    """The element's ``tags:``, checked against the concepts the vocabularies know."""
    out = Curated()
    if element.tags is None:
        return out

    def resolve(scheme: str, ident: str, key: str, i: int) -> URIRef | None:
        iri = concept_of(scheme, ident)
        if iri not in known:
            sub = (*path, "tags", key, i)
            out.problems.append(
                Problem(
                    plan.file,
                    line_of(plan.lines, sub),
                    field_name(sub),
                    f"unknown {scheme} concept '{ident}'",
                )
            )
            return None
        return iri

    for key, scheme in (
        ("themes", "theme"),
        ("populations", "population"),
        ("gcm", "gcm"),
        ("sdg", "sdg"),
    ):
        for i, ident in enumerate(getattr(element.tags, key)):
            iri = resolve(scheme, str(ident), key, i)
            if iri is not None:
                out.tags.append(
                    Tag(iri, scheme, "curated", "given in the plan file", 1.0, asserted=True)
                )
    for i, ref in enumerate(element.tags.not_):
        scheme, _, ident = ref.partition("/")
        if scheme not in SCHEMES or not ident:
            sub = (*path, "tags", "not", i)
            out.problems.append(
                Problem(
                    plan.file,
                    line_of(plan.lines, sub),
                    field_name(sub),
                    f"'{ref}' is not <theme|population|gcm|sdg>/<id>",
                )
            )
            continue
        iri = resolve(scheme, ident, "not", i)
        if iri is not None:
            out.removed.add(iri)
    return out
