"""Prototype: ``plangraph validate`` with the same verdict in less time (an issue-8 finding).

    python benchmarks/fast_validate.py --root /path/to/project     # after plangraph build

Differences from ``plangraph validate`` (cli.validate → validate.validate_nquads):

1. ``build/plangraph.nq`` is read as text: the build already wrote it as sorted N-Quads, so the
   round trip through an rdflib ``Dataset`` and ``sorted_nquads`` is skipped;
2. HermiT's JVM is started first, on the same reasoner input ``plangraph.validation.owl`` gives
   it, and
   SHACL runs while it works (the machine has 2 cores; the JVM is another process);
3. owlready2 does not read the graph first (HermiT reads the file itself; owlready2's load only
   proved that it could, at a cost that grows with the graph);
4. optionally, SHACL by plan in worker processes (``benchmarks/shacl_split.py``).

It checks that its SHACL results, OWL verdict and QC rows equal ``validate_nquads``'s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from plangraph.rdf.serialise import union_ntriples
from plangraph.rdf.store import store_from_nquads
from plangraph.validation.owl import reasoner_input
from plangraph.validation.qc import QcResult, run_qc
from plangraph.validation.shacl import ShaclResult, load_shapes, run_shacl


@dataclass
class FastReport:
    """Results and the time of each step."""

    shacl: list[ShaclResult]
    consistent: bool | None
    qc: list[QcResult]
    seconds: dict[str, float] = field(default_factory=dict)


def hermit_command(path: Path) -> list[str]:
    """The command plangraph.validation.owl runs: HermiT in consistency-check mode on a file."""
    import owlready2
    from owlready2 import reasoning

    java = owlready2.JAVA_EXE if shutil.which(owlready2.JAVA_EXE) else shutil.which("java")
    return [
        str(java),
        f"-Xmx{reasoning.JAVA_MEMORY}M",
        "-cp",
        reasoning._HERMIT_CLASSPATH,
        "org.semanticweb.HermiT.cli.CommandLine",
        "-k",
        path.as_uri(),
    ]


def fast_validate(nq_file: Path, root: Path, split: bool = False) -> FastReport:
    """Validate a built project (see the module docstring)."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    nquads = nq_file.read_text(encoding="utf-8")
    union = union_ntriples(nquads)
    times["read + union"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="plangraph-fast-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text(reasoner_input(union)[0], encoding="utf-8")
        t0 = time.perf_counter()
        jvm = subprocess.Popen(
            hermit_command(path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        shapes = load_shapes(root / "ontology" / "shapes")
        ontology = Graph().parse(root / "ontology" / "plangraph.ttl", format="turtle")
        t1 = time.perf_counter()
        if split:
            from shacl_split import split_units, validate_split

            shacl = validate_split(split_units(nquads.encode()), shapes, ontology).results
        else:
            shacl = run_shacl(Graph().parse(data=union, format="nt"), shapes, ontology)
        times["SHACL (HermiT running beside it)"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        qc = run_qc(store_from_nquads(nquads), root / "queries")
        times["QC"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        output, _ = jvm.communicate()
        times["waiting for HermiT after SHACL and QC"] = time.perf_counter() - t3
        times["HermiT wall (from its start)"] = time.perf_counter() - t0
    if "InconsistentOntologyException" in output or "is not satisfiable" in output:
        consistent: bool | None = False
    elif jvm.returncode == 0 and "is satisfiable" in output:
        consistent = True
    else:
        consistent = None
    times["total"] = time.perf_counter() - start
    return FastReport(shacl, consistent, qc, times)


def main() -> None:
    """Time the prototype beside validate_nquads and compare their results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--split", action="store_true", help="SHACL by plan (2 processes)")
    args = parser.parse_args()
    from plangraph.validation.validate import validate_nquads

    nq = args.root / "build" / "plangraph.nq"
    start = time.perf_counter()
    fast = fast_validate(nq, args.root, args.split)
    print(f"prototype: {time.perf_counter() - start:.2f} s")
    for name, seconds in fast.seconds.items():
        print(f"  {name:40} {seconds:6.2f} s")
    start = time.perf_counter()
    ontology = Graph().parse(args.root / "ontology" / "plangraph.ttl", format="turtle")
    report = validate_nquads(
        nq.read_text(encoding="utf-8"),
        ontology,
        args.root / "ontology" / "shapes",
        args.root / "queries",
    )
    print(
        "validate_nquads (without the CLI's Dataset round trip): "
        f"{time.perf_counter() - start:.2f} s"
    )
    same = (
        set(fast.shacl) == set(report.shacl)
        and fast.consistent == (report.owl.consistent if report.owl else None)
        and [(q.name, q.rows) for q in fast.qc] == [(q.name, q.rows) for q in report.qc]
    )
    print(f"same SHACL results, OWL verdict and QC rows: {same}")


if __name__ == "__main__":
    main()
