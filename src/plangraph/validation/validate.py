"""Validate a compiled graph in three layers: SHACL (pyshacl), OWL consistency (HermiT) and
QC queries (``queries/qc/*-violation.rq``, each must return zero rows).

The loader is the first layer (typed records); this module checks the graph. Exit codes of
``plangraph validate`` follow pySHACL: 0 conforms, 1 violations, 2 could not run.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from plangraph.analysis.catalogue import catalogue, plain, run
from plangraph.rdf.namespaces import PG, PREFIXES
from plangraph.rdf.store import store_from_nquads
from plangraph.validation.owl import OwlResult, check_consistency


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


@dataclass(frozen=True)
class QcResult:
    """Rows a QC query returned (each row is a violation)."""

    name: str
    title: str
    rows: list[dict[str, Any]]


@dataclass
class ValidationReport:
    """Everything validation found."""

    shacl: list[ShaclResult] = field(default_factory=list)
    shacl_seconds: float = 0.0
    owl: OwlResult | None = None
    qc: list[QcResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[ShaclResult]:
        """SHACL results of severity Violation."""
        return [r for r in self.shacl if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ShaclResult]:
        """SHACL results of severity Warning or Info."""
        return [r for r in self.shacl if r.severity != "Violation"]

    @property
    def qc_failures(self) -> list[QcResult]:
        """QC queries that returned rows."""
        return [q for q in self.qc if q.rows]

    @property
    def conforms(self) -> bool:
        """True when no layer found a violation (warnings allowed)."""
        return (
            not self.violations
            and not self.qc_failures
            and (self.owl is None or self.owl.consistent is not False)
        )

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 violations, 2 could not run."""
        if self.errors or (self.owl is not None and self.owl.consistent is None):
            return 2
        return 0 if self.conforms else 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {
            "conforms": self.conforms,
            "exit_code": self.exit_code,
            "shacl": {
                "violations": [asdict(r) for r in self.violations],
                "warnings": [asdict(r) for r in self.warnings],
                "seconds": round(self.shacl_seconds, 3),
            },
            "owl": asdict(self.owl) if self.owl else None,
            "qc": [{"query": q.name, "title": q.title, "rows": q.rows} for q in self.qc],
            "errors": self.errors,
        }

    def to_text(self) -> str:
        """A report a curator can read."""
        out = []
        for r in self.violations + self.warnings:
            out.append(str(r))
        for q in self.qc_failures:
            for row in q.rows:
                out.append(
                    f"[QC] {q.name}: {q.title}: " + ", ".join(f"{k}={v}" for k, v in row.items())
                )
        out += [f"[error] {e}" for e in self.errors]
        owl = self.owl.message if self.owl else "OWL check skipped"
        out.append(
            f"SHACL: {len(self.violations)} violations, {len(self.warnings)} warnings; {owl}; "
            f"QC: {len(self.qc_failures)} of {len(self.qc)} queries returned rows"
        )
        out.append(
            "verdict: "
            + (
                "conforms"
                if self.exit_code == 0
                else "violations"
                if self.exit_code == 1
                else "could not run"
            )
        )
        return "\n".join(out)


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


def run_shacl(data: Graph, shapes: Graph, ontology: Graph) -> list[ShaclResult]:
    """pyshacl over ``data`` with the ontology as ``ont_graph``; results sorted, de-duplicated."""
    from pyshacl import validate as shacl_validate

    _conforms, results_graph, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        advanced=False,
        iterate_rules=False,
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
    shapes = Graph()
    for f in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(f, format="turtle")
    return shapes


def run_qc(store: Any, queries_dir: Path) -> list[QcResult]:
    """Run every ``qc/*-violation.rq``; each row is a violation."""
    out = []
    for name, query in sorted(catalogue(queries_dir).items()):
        if not (name.startswith("qc/") and name.endswith("-violation")):
            continue
        columns, rows = run(store, query)
        out.append(
            QcResult(
                name,
                query.title,
                [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            )
        )
    return out


CONCURRENT_MIN_TRIPLES = 200_000


def validate_nquads(
    nquads: str,
    ontology: Graph,
    shapes_dir: Path,
    queries_dir: Path,
    *,
    shacl: bool = True,
    owl: bool = True,
    qc: bool = True,
) -> ValidationReport:
    """Validate a dataset given as N-Quads (the compiled ``build/plangraph.nq``)."""
    from plangraph.pipeline.build import union_ntriples

    report = ValidationReport()
    union = union_ntriples(nquads)
    # HermiT runs in a Java subprocess. On large graphs it reasons while pyshacl (Python)
    # validates, and two cores give about the time of the slower layer; on small ones the two
    # compete (the JVM's JIT and GC threads, owlready2's read for the GIL) and one after the
    # other is faster (seeds: 8.1 s concurrent, 7.3 s in turn; measured 2026-11-27)
    concurrent = owl and union.count("\n") >= CONCURRENT_MIN_TRIPLES
    with ThreadPoolExecutor(max_workers=1) as pool:
        owl_future = pool.submit(check_consistency, union) if concurrent else None
        if shacl:
            start = time.perf_counter()
            data = Graph().parse(data=union, format="nt")
            report.shacl = run_shacl(data, load_shapes(shapes_dir), ontology)
            report.shacl_seconds = time.perf_counter() - start
        if qc:
            report.qc = run_qc(store_from_nquads(nquads), queries_dir)
        if owl_future is not None:
            report.owl = owl_future.result()
        elif owl:
            report.owl = check_consistency(union)
    return report
