"""SHACL by plan, in parallel: a prototype to compare with pyshacl over the whole merged graph.

    python benchmarks/shacl_split.py --check          # same results as whole-graph, errors injected
    python benchmarks/shacl_split.py --nquads build/plangraph.nq

The subjects of the dataset are partitioned into groups: all subjects under a plan's IRI
(``…/plan/<id>/…``: its elements, provenance, participations, and the derived facts about them)
form that plan's group; every other subject goes to the group of the graph it is in (ontology,
vocabularies, institutions, derived metadata, a plan's source document). Groups are batched in
name order into units of about ``--unit-triples`` triples. Each unit is validated on

- T1: every triple, from any graph, whose subject is in the unit (a node's whole description);
- T2: every triple whose subject is an object of T1 (one hop beyond, e.g. an institution's type,
  a concept's scheme; objects of rdf:type are left out, the ontology comes in as ``ont_graph``);

and only results whose focus node is one of the unit's own subjects are kept. This gives the
whole-graph results exactly when no shape looks further than one hop from a value node: true of
plangraph's shapes (core SHACL, property paths of length one, ``sh:class`` and one level of
``sh:node`` on values, no inverse paths, no SPARQL). ``--check`` tests it on a build with injected
errors. Units are validated by ``plangraph.validation.shacl.run_shacl`` in a pool of worker
processes.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from plangraph.validation.shacl import ShaclResult, _short, run_shacl

PLAN_PREFIX = "<https://w3id.org/plangraph/plan/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Unit:
    """A unit of validation: its N-Triples text and the foci it owns (short forms)."""

    name: str
    text: str
    owned: frozenset[str]
    triples: int


def _term(term: Any) -> str:
    return str(term)


def _unit_key(subject: str, graph: str) -> str:
    if subject.startswith(PLAN_PREFIX):
        return "plan:" + subject[len(PLAN_PREFIX) :].split("/", 1)[0].rstrip(">")
    return "graph:" + graph


def split_units(nquads: bytes, unit_triples: int = 10_000) -> list[Unit]:
    """Partition the dataset's subjects into units (see the module docstring)."""
    from pyoxigraph import RdfFormat, parse

    desc: dict[str, set[tuple[str, str]]] = defaultdict(set)
    key_of: dict[str, str] = {}
    for q in parse(nquads, format=RdfFormat.N_QUADS):
        s, p, o = _term(q.subject), _term(q.predicate), _term(q.object)
        desc[s].add((p, o))
        if s not in key_of:
            key_of[s] = _unit_key(s, _term(q.graph_name))
    by_key: dict[str, list[str]] = defaultdict(list)
    for s, key in key_of.items():
        by_key[key].append(s)
    # Every group (a plan, or the other subjects of one graph) is batched with its neighbours in
    # name order until a unit holds about unit_triples triples: small groups (the source
    # document node in each plan graph) must not each cost a pyshacl call.
    groups: list[tuple[str, list[str]]] = []
    batch: list[str] = []
    size, names = 0, []
    for key in sorted(by_key):
        subjects = by_key[key]
        batch += subjects
        names.append(key)
        size += sum(len(desc[s]) for s in subjects)
        if size >= unit_triples:
            groups.append((f"{names[0]} … {names[-1]} ({len(names)} groups)", batch))
            batch, size, names = [], 0, []
    if batch:
        groups.append((f"{names[0]} … {names[-1]} ({len(names)} groups)", batch))
    empty = Graph()
    units = []
    for name, subjects in groups:
        lines: set[str] = set()
        hop: set[str] = set()
        for s in subjects:
            for p, o in desc[s]:
                lines.add(f"{s} {p} {o} .")
                if p != RDF_TYPE and (o.startswith("<") or o.startswith("_:")):
                    hop.add(o)
        for o in hop:
            for p, o2 in desc.get(o, ()):
                lines.add(f"{o} {p} {o2} .")
        owned = frozenset(
            _short(URIRef(s[1:-1]), empty) if s.startswith("<") else s for s in subjects
        )
        units.append(Unit(name, "\n".join(sorted(lines)) + "\n", owned, len(lines)))
    units.sort(key=lambda u: -u.triples)
    return units


_SHAPES: Graph | None = None
_ONTOLOGY: Graph | None = None
_UNITS: list[Unit] = []


def _validate_unit(index: int) -> tuple[str, list[ShaclResult], float, float, float]:
    """In a pool worker: parse one unit, validate it, keep the results on its own foci."""
    from measure import memory_mb

    assert _SHAPES is not None and _ONTOLOGY is not None
    unit = _UNITS[index]
    start = time.perf_counter()
    data = Graph().parse(data=unit.text, format="nt")
    parsed = time.perf_counter()
    results = run_shacl(data, _SHAPES, _ONTOLOGY)
    done = time.perf_counter()
    kept = [r for r in results if r.focus in unit.owned or r.focus.startswith("_:")]
    return unit.name, kept, parsed - start, done - parsed, memory_mb()[1]


@dataclass
class SplitReport:
    """What a split validation found and what it cost."""

    results: list[ShaclResult]
    units: int
    parse_seconds: float
    shacl_seconds: float
    worker_peaks_mb: list[float]


def validate_split(
    units: list[Unit], shapes: Graph, ontology: Graph, processes: int = 2
) -> SplitReport:
    """Validate units in a pool of ``processes`` (forked: shapes, ontology and unit texts are
    inherited, not pickled). Results de-duplicated and sorted as ``run_shacl`` sorts them."""
    from measure import reset_peak

    global _SHAPES, _ONTOLOGY, _UNITS
    _SHAPES, _ONTOLOGY, _UNITS = shapes, ontology, units
    found: set[ShaclResult] = set()
    parse_s = shacl_s = 0.0
    peaks: dict[int, float] = {}
    ctx = mp.get_context("fork")
    with ctx.Pool(processes, initializer=reset_peak) as pool:
        for _name, kept, p_s, v_s, peak in pool.imap_unordered(
            _validate_unit, range(len(units)), chunksize=1
        ):
            found.update(kept)
            parse_s += p_s
            shacl_s += v_s
            peaks[len(peaks)] = peak
    _UNITS = []
    results = sorted(
        found, key=lambda r: (r.severity != "Violation", r.shape, r.focus, r.path or "")
    )
    top = sorted(peaks.values(), reverse=True)[:processes]
    return SplitReport(results, len(units), parse_s, shacl_s, top)


# ---------------------------------------------------------------------------- error injection


def _spog(line: str) -> tuple[str, str, str, str]:
    """Subject, predicate, object, graph of a line of plangraph's N-Quads (every quad of a
    build is in a named graph, and IRIs hold no spaces)."""
    s, p, rest = line.split(" ", 2)
    o, g = rest[: -len(" .")].rsplit(" ", 1)
    return s, p, o, g


def inject_errors(nquads: str) -> tuple[str, list[str]]:
    """Break a compiled dataset in ways each shape family catches, several across graphs.

    Returns the new N-Quads and a description of each injected error."""
    quads = [_spog(ln) for ln in nquads.splitlines() if ln.strip()]
    pg = "https://w3id.org/plangraph/ontology#"
    cv = "http://data.europa.eu/m8g/"
    derived = "<https://w3id.org/plangraph/graph/derived>"

    def first(pred: Any) -> tuple[str, str, str, str]:
        return next(q for q in quads if pred(*q))

    def last_segment(s: str) -> str:
        return s.rstrip(">").rsplit("/", 1)[-1]

    text = first(lambda s, p, o, g: p == f"<{pg}text>" and last_segment(s).startswith("action-"))
    action = text[0]
    partof = first(
        lambda s, p, o, g: p == f"<{pg}partOf>" and last_segment(s).startswith("activity-")
    )
    role = first(lambda s, p, o, g: p == f"<{cv}role>")
    participant = first(lambda s, p, o, g: p == f"<{cv}hasParticipant>")
    inst = participant[2]
    classification = first(
        lambda s, p, o, g: p == "<http://www.w3.org/ns/org#classification>" and s != inst
    )
    en_label = first(
        lambda s, p, o, g: (
            p == "<http://www.w3.org/2004/02/skos/core#prefLabel>"
            and o.endswith('"@en')
            and "/vocab/theme/" in s
        )
    )
    score = first(lambda s, p, o, g: p == f"<{pg}score>")
    concept = first(lambda s, p, o, g: p == f"<{pg}concept>" and s != score[0])
    fragment = first(
        lambda s, p, o, g: (
            p == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#value>" and o.startswith('"line=')
        )
    )
    source_type = first(
        lambda s, p, o, g: p == RDF_TYPE and o == "<http://purl.org/dc/terms/BibliographicResource>"
    )
    status = first(lambda s, p, o, g: p == f"<{pg}status>")
    drop = {text, classification, en_label, source_type}
    drop |= {q for q in quads if q[0] == inst and q[1] == RDF_TYPE}
    out: list[tuple[str, str, str, str]] = []
    for q in quads:
        if q in drop:
            continue
        s, p, o, g = q
        if q == role:
            o = "<https://w3id.org/plangraph/vocab/role/boss>"
        elif q == score:
            o = '"2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
        elif q == concept:
            o = inst
        elif q == fragment:
            o = o.replace('"line=', '"lines=')
        out.append((s, p, o, g))
    out.append((partof[0], f"<{pg}partOf>", status[0], partof[3]))
    out.append((action, "<http://purl.org/dc/terms/identifier>", '"X9"', derived))
    out.append((action, "<http://purl.org/dc/terms/identifier>", '"X8"', derived))
    out.append((status[0], f"<{pg}status>", f"<{pg}Bogus>", status[3]))
    done = [
        f"removed pg:text of {action}",
        f"second pg:partOf on {partof[0]}, to its plan (not a parent an activity may have)",
        f"two printed codes for {action}, in the derived graph (cross-graph maxCount)",
        f"a second, unknown status on {status[0]}",
        f"unknown role on participation {role[0]}",
        f"removed rdf:type of institution {inst} (participations no longer name an organisation)",
        f"removed org:classification of {classification[0]}",
        f"removed the English label of concept {en_label[0]}",
        f"a tagging score of 2.5 on {score[0]}",
        f"a tagging concept that is an institution: {concept[0]}",
        f"a malformed RFC 5147 fragment: {fragment[0]}",
        f"removed the type of source document {source_type[0]}",
    ]
    lines = sorted({f"{s} {p} {o} {g} ." for s, p, o, g in out})
    return "\n".join(lines) + "\n", done


def whole_graph(nquads: str, shapes: Graph, ontology: Graph) -> list[ShaclResult]:
    """What ``plangraph validate`` does: pyshacl over the union of all graphs."""
    from plangraph.rdf.serialise import union_ntriples

    data = Graph().parse(data=union_ntriples(nquads), format="nt")
    return run_shacl(data, shapes, ontology)


def compare(a: Iterable[ShaclResult], b: Iterable[ShaclResult]) -> tuple[int, int, int]:
    """(common, only in a, only in b)."""
    sa, sb = set(a), set(b)
    return len(sa & sb), len(sa - sb), len(sb - sa)


def check(root: Path, unit_triples: int = 5_000) -> bool:
    """Generate a small project, build it, inject errors; whole-graph and split validation must
    give the same results. Prints what differs."""
    import tempfile

    from generate import generate

    from plangraph.pipeline.build import build
    from plangraph.project import Project
    from plangraph.validation.shacl import load_shapes

    with tempfile.TemporaryDirectory(prefix="plangraph-split-") as tmp:
        project = Project(Path(tmp))
        generate(project.root, plans=5, template=root)
        built = build(project)
        clean = built.outputs["nquads"].read_text(encoding="utf-8")
        broken, injected = inject_errors(clean)
        shapes = load_shapes(project.shapes_dir)
        ontology = Graph().parse(project.ontology_file)
        ok = True
        for label, nq in (("clean", clean), ("injected", broken)):
            start = time.perf_counter()
            whole = whole_graph(nq, shapes, ontology)
            t_whole = time.perf_counter() - start
            start = time.perf_counter()
            split = validate_split(split_units(nq.encode(), unit_triples), shapes, ontology)
            t_split = time.perf_counter() - start
            common, only_whole, only_split = compare(whole, split.results)
            violations = sum(1 for r in whole if r.severity == "Violation")
            print(
                f"{label}: whole-graph {len(whole)} results ({violations} violations, "
                f"{t_whole:.1f} s); split over {split.units} units {len(split.results)} results "
                f"({t_split:.1f} s); common {common}, only whole {only_whole}, "
                f"only split {only_split}"
            )
            if only_whole or only_split:
                ok = False
                for r in sorted(set(whole) ^ set(split.results), key=str):
                    print("   differs:", "whole" if r in whole else "split", r)
            if label == "injected":
                for item in injected:
                    print("   injected:", item)
                for r in whole:
                    if r.severity == "Violation":
                        print("   found:", r)
        return ok


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with whole-graph SHACL")
    parser.add_argument("--nquads", type=Path, help="validate this plangraph.nq by units")
    parser.add_argument("--unit-triples", type=int, default=10_000)
    args = parser.parse_args()
    from generate import ROOT as root

    if args.check:
        raise SystemExit(0 if check(root) else 1)
    if args.nquads:
        from plangraph.validation.shacl import load_shapes

        units = split_units(args.nquads.read_bytes(), args.unit_triples)
        report = validate_split(
            units,
            load_shapes(root / "ontology" / "shapes"),
            Graph().parse(root / "ontology" / "plangraph.ttl"),
        )
        for r in report.results:
            print(r)
        print(f"{len(report.results)} results over {report.units} units")


if __name__ == "__main__":
    main()
