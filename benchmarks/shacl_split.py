"""SHACL by units (plangraph.validation.units, what ``plangraph validate`` does) against pyshacl
over the whole merged graph, on builds with injected errors.

    python benchmarks/shacl_split.py --check          # generated corpus and the seeds
    python benchmarks/shacl_split.py --nquads build/plangraph.nq

The units and why they give the whole graph's results are described in
``plangraph.validation.units``. ``--check`` builds a small generated project and the seed plans,
injects twelve errors into each (four of them crossing graphs) and compares the two strategies
result by result (tests/validation/test_validate.py runs the same comparison).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from plangraph.validation.shacl import ShaclResult, run_shacl
from plangraph.validation.units import UNIT_TRIPLES, Unit, UnitCache, validate_units
from plangraph.validation.units import split_units as units_of

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class SplitReport:
    """What a split validation found and what it cost."""

    results: list[ShaclResult]
    units: int


def split_units(nquads: bytes, unit_triples: int = UNIT_TRIPLES) -> list[Unit]:
    """The units of a dataset (plangraph.validation.units.split_units on its union graph)."""
    from plangraph.rdf.serialise import union_ntriples

    return units_of(union_ntriples(nquads.decode()), unit_triples)


def validate_split(
    units: list[Unit], shapes: Graph, ontology: Graph, processes: int = 2
) -> SplitReport:
    """Validate units as ``plangraph validate`` does (no cache; a pool of ``processes``)."""
    run = validate_units(
        units, shapes, ontology, UnitCache(None, ""), processes=processes, pool_min_triples=0
    )
    return SplitReport(run.results, run.units)


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
