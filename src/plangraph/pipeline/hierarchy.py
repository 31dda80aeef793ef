"""Which element kinds may stand under which, read from the SHACL shapes.

The ``pgsh:<Kind>ParentShape`` shapes in ``ontology/shapes/`` are the single source of the rule;
this module reads them (and the class hierarchy from the ontology) so the loader can report a
wrong parent with its file line before anything is compiled.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from plangraph.pipeline.records import ElementKind
from plangraph.rdf.files import parse_rdf, parse_turtle_dir
from plangraph.rdf.namespaces import PG

PLAN = "Plan"


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(PG))


@cache
def allowed_parents(ontology_file: Path, shapes_dir: Path) -> dict[str, frozenset[str]]:
    """Map each element class (local name) to the classes its direct parent may have,
    expanded to every subclass (so 'Objective' admits 'GeneralObjective')."""
    onto = parse_rdf(ontology_file)
    shapes = parse_turtle_dir(shapes_dir)
    subclasses: dict[str, set[str]] = {}
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and str(sup).startswith(str(PG)):
            subclasses.setdefault(_local(sup), set()).add(_local(sub))

    def closure(name: str) -> set[str]:
        out = {name}
        for child in subclasses.get(name, ()):
            out |= closure(child)
        return out

    # every shape whose target class C is, or is a superclass of, a class applies to it:
    # SHACL requires all of them, so the allowed parents are the intersection
    rules: dict[str, frozenset[str]] = {}
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        target = shapes.value(shape, SH.targetClass)
        if not isinstance(target, URIRef) or not str(target).startswith(str(PG)):
            continue
        for prop in shapes.objects(shape, SH.property):
            if shapes.value(prop, SH.path) != PG.partOf:
                continue
            alternatives = shapes.value(prop, SH["or"])
            if alternatives is None:
                continue
            names: set[str] = set()
            for alt in Collection(shapes, alternatives):
                cls = shapes.value(alt, SH["class"])
                if isinstance(cls, URIRef):
                    names |= closure(_local(cls))
            for cls_name in closure(_local(target)):
                allowed = frozenset(names)
                rules[cls_name] = rules[cls_name] & allowed if cls_name in rules else allowed
    return rules


def parent_allowed(
    rules: dict[str, frozenset[str]], kind: ElementKind, parent: ElementKind | None
) -> bool:
    """True when an element of ``kind`` may stand under ``parent`` (None = top of the plan).
    Kinds without a rule are unconstrained."""
    allowed = rules.get(kind.class_name)
    if allowed is None:
        return True
    return (parent.class_name if parent else PLAN) in allowed
