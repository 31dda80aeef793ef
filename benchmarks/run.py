"""Benchmark each stage of plangraph on the seed corpus replicated N times.

    python benchmarks/run.py --size 10            # the seeds ×10 (plan ids suffixed -r1 … -rN)

The corpus is the bundled plans copied N times under new plan ids (same sources, same
structure), which scales every stage linearly in the number of elements. Issue 8 will add a
generator with varied text and structure. Results are appended to benchmarks/RESULTS.md with
the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph

from plangraph.build import build, union_ntriples
from plangraph.owl import check_consistency
from plangraph.project import Project
from plangraph.queries import catalogue, run
from plangraph.store import open_store
from plangraph.validate import load_shapes, run_qc, run_shacl

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def replicate(size: int, target: Path) -> Project:
    """A project whose plans are the seed plans copied ``size`` times under new ids."""
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copytree(ROOT / "graph" / "sources", target / "graph" / "sources")
    shutil.copy(ROOT / "graph" / "institutions.yaml", target / "graph" / "institutions.yaml")
    plans = target / "graph" / "plans"
    plans.mkdir(parents=True)
    for plan in sorted((ROOT / "graph" / "plans").glob("*.yaml")):
        text = plan.read_text(encoding="utf-8")
        for i in range(1, size + 1):
            new_id = f"{plan.stem}-r{i}"
            (plans / f"{new_id}.yaml").write_text(
                text.replace(f"id: {plan.stem}", f"id: {new_id}", 1), encoding="utf-8"
            )
    return Project(target)


def timed(results: list[tuple[str, float]], name: str, fn: Callable[[], T]) -> T:
    """Run fn, record its wall time under name."""
    start = time.perf_counter()
    value = fn()
    results.append((name, time.perf_counter() - start))
    print(f"{name:45} {results[-1][1]:8.2f} s", flush=True)
    return value


def main() -> None:
    """Run every stage once and append a table to benchmarks/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10, help="copies of the seed corpus")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        project = timed(results, "replicate plan files", lambda: replicate(args.size, Path(tmp)))
        built = timed(results, "build (load + compile + write)", lambda: build(project))
        nquads = built.outputs["nquads"].read_text(encoding="utf-8")
        quads = nquads.count("\n")
        store: Any = timed(results, "Oxigraph load", lambda: open_store(built.outputs["nquads"]))
        union = union_ntriples(nquads)
        ontology = Graph().parse(project.ontology_file)
        data = timed(
            results, "rdflib parse (for SHACL)", lambda: Graph().parse(data=union, format="nt")
        )
        shapes = load_shapes(project.shapes_dir)
        timed(results, "SHACL (pyshacl, whole graph)", lambda: run_shacl(data, shapes, ontology))
        timed(results, "OWL consistency (HermiT)", lambda: check_consistency(union))
        timed(results, "QC queries (all)", lambda: run_qc(store, project.queries_dir))
        for name, query in sorted(catalogue(project.queries_dir).items()):
            timed(results, f"query {name}", lambda q=query: run(store, q))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{quads} quads, peak memory {peak_mb:.0f} MB")
    if args.no_record:
        return
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    lines = [
        f"\n## Seeds ×{args.size}: {quads} quads — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"Machine: {machine}. Peak memory (RSS) of the whole run: {peak_mb:.0f} MB.\n",
        "| stage | seconds |",
        "|---|---:|",
        *[f"| {name} | {seconds:.2f} |" for name, seconds in results],
    ]
    with (ROOT / "benchmarks" / "RESULTS.md").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("recorded in benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
