"""SHACL validation (pyshacl, core SHACL) with results in a curator's words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from plangraph.rdf.files import parse_turtle_dir
from plangraph.rdf.iris import PREFIXES
from plangraph.rdf.namespaces import PG


@dataclass(frozen=True)
class ShaclResult:
    """One SHACL validation result, in a curator's words."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    where: str | None = None

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        path = f" {self.path}" if self.path else ""
        return f"[{self.severity}] {self.focus}{where}{path}: {self.message} [{self.shape}]"


def _short(term: Any, graph: Graph) -> str:
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    if text.startswith("https://w3id.org/plangraph/shapes#"):
        return "pgsh:" + text.split("#", 1)[1]
    return text


def _where(focus: Any, data: Graph) -> str | None:
    plan = data.value(focus, PG.inPlan)
    for res in data.objects(focus, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
        lines = data.value(res, PG.sourceLines)
        src = data.value(res, URIRef("http://www.w3.org/ns/oa#hasSource"))
        if lines is not None and src is not None:
            name = str(src).rsplit("/", 1)[-1]
            return f"{name} lines {lines}" + (
                f", plan {str(plan).rsplit('/', 1)[-1]}" if plan else ""
            )
    return None


def run_shacl(
    data: Graph, shapes: Graph, ontology: Graph, *, consume: bool = False
) -> list[ShaclResult]:
    """pyshacl over ``data`` with the ontology as ``ont_graph``; results sorted, de-duplicated.

    ``consume``: ``data`` is the caller's own temporary graph, which pyshacl may mix the
    ontology into instead of copying it first (a quarter of pyshacl's time on the seeds);
    otherwise ``data`` is left as it was."""
    from pyshacl import validate as shacl_validate

    _conforms, results_graph, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        advanced=False,
        iterate_rules=False,
        inplace=consume,
    )
    out = []
    for res in results_graph.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, res) in results_graph:
            continue  # a nested detail of another result (sh:node): reported by its parent
        severity = results_graph.value(res, SH.resultSeverity)
        shape = results_graph.value(res, SH.sourceShape)
        focus = results_graph.value(res, SH.focusNode)
        path = results_graph.value(res, SH.resultPath)
        value = results_graph.value(res, SH.value)
        message = results_graph.value(res, SH.resultMessage)
        shape = _named_shape(shapes, shape)
        out.append(
            ShaclResult(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_short(shape, data) if isinstance(shape, URIRef) else "anonymous shape",
                focus=_short(focus, data),
                path=_short(path, data) if isinstance(path, URIRef) else None,
                value=_short(value, data) if value is not None else None,
                message=str(message) if message else "constraint not met",
                where=_where(focus, data),
            )
        )
    unique = set(out)
    return sorted(unique, key=lambda r: (r.severity != "Violation", r.shape, r.focus, r.path or ""))


def _named_shape(shapes: Graph, shape: Any) -> Any:
    """Climb from an anonymous (blank node) shape to the named shape that holds it, through
    sh:property, sh:node and RDF lists (sh:or)."""
    seen = set()
    while shape is not None and not isinstance(shape, URIRef) and shape not in seen:
        seen.add(shape)
        parent = (
            shapes.value(predicate=SH.property, object=shape)
            or shapes.value(predicate=SH.node, object=shape)
            or shapes.value(predicate=RDF.first, object=shape)
        )
        while parent is not None and shapes.value(predicate=RDF.rest, object=parent) is not None:
            parent = shapes.value(predicate=RDF.rest, object=parent)
        if parent is not None and not isinstance(parent, URIRef):
            holder = shapes.value(predicate=SH["or"], object=parent)
            parent = holder if holder is not None else parent
        shape = parent
    return shape


def load_shapes(shapes_dir: Path) -> Graph:
    """All SHACL shape files of a project."""
    return parse_turtle_dir(shapes_dir)
