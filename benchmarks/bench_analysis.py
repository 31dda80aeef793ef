"""Aggregated overlap queries against the pairwise ones, and the report, on a built project.

    python benchmarks/bench_analysis.py --root /tmp/pg280          # a built generated corpus
    python benchmarks/bench_analysis.py --root /tmp/pg280 --record # also append to RESULTS.md

``benchmarks/run.py`` calls :func:`measure` in a worker of its own (the ``analysis`` stages of
``make bench``). Measured, on Oxigraph:

- for themes, populations and framework objectives: the pairwise query unbound (every pair of
  elements sharing a concept), its aggregated form (``*-counts``: per concept and pair of
  plans), both bound to the concept most elements carry, and ``overlaps/shared-concepts``; each
  as the engine answers it (rows read from pyoxigraph, as ``run.py`` times every named query)
  and as ``plangraph overlaps`` shows it (``PlanGraph.overlaps`` → a sorted DataFrame: the
  counts by default, the pairs with ``pairs=True``). Queries run in forked children killed at
  ``--cap`` seconds, so a pairwise query too large to wait for is reported as "> cap".
- the report (``plangraph.report.write_report``): each phase's wall and CPU time, the whole,
  the page's size.

No test asserts a time; docs/benchmarks.md ("Aggregated overlaps and the report at scale")
explains the techniques and the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from measure import Meter, Stage, capped, memory_mb

KINDS = {"theme": "theme", "population": "population", "framework": "objective"}
"""Concept kind → the parameter binding one concept."""
MOST_FREQUENT = {
    "theme": "?e <http://purl.org/dc/terms/subject> ?v",
    "population": "?e <https://w3id.org/plangraph/ontology#targetPopulation> ?v",
    "framework": "?e <https://w3id.org/plangraph/ontology#alignedWith> ?v",
}


def _most_frequent(store: Any, pattern: str) -> str | None:
    query = (
        f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?v "
        "ORDER BY DESC(?n) STR(?v) LIMIT 1"
    )
    for row in store.query(query, use_default_graph_as_union=True):
        return str(row["v"].value)
    return None


def overlap_stages(root: Path, meter: Meter, cap: float) -> dict[str, Any]:
    """Time the pairwise overlap queries against their aggregated forms (see the module)."""
    from plangraph.analysis.api import PlanGraph
    from plangraph.analysis.backends import EmbeddedBackend
    from plangraph.rdf.store import load_store

    store: Any = meter.run(
        "analysis: Oxigraph load", lambda: load_store(root / "build" / "plangraph.nq")
    )
    pg = PlanGraph(EmbeddedBackend(store), queries_dir=root / "queries")
    pg.query("reports/plans")  # pandas loads here, not in the first child timed
    base = memory_mb()[0]
    rows: dict[str, int | None] = {}

    def timed(label: str, fn: Any) -> None:
        seconds, peak, value, error = capped(fn, cap)
        rows[label] = value
        meter.add(Stage(label, seconds, peak, base, note=error))

    def engine(name: str, **bindings: str) -> Any:
        return lambda: len(pg.select(name, **bindings).rows)

    def api(kind: str, **options: Any) -> Any:
        return lambda: len(pg.overlaps(kind, **options))

    for kind, param in KINDS.items():
        concept = _most_frequent(store, MOST_FREQUENT[kind])
        short = (concept or "").rsplit("/", 1)[-1]
        timed(f"engine: overlaps/shared-{kind} (pairs)", engine(f"overlaps/shared-{kind}"))
        timed(f"engine: overlaps/shared-{kind}-counts", engine(f"overlaps/shared-{kind}-counts"))
        if concept:
            bound = {param: concept}
            timed(
                f"engine: overlaps/shared-{kind} [{param}={short}] (pairs)",
                engine(f"overlaps/shared-{kind}", **bound),
            )
            timed(
                f"engine: overlaps/shared-{kind}-counts [{param}={short}]",
                engine(f"overlaps/shared-{kind}-counts", **bound),
            )
        timed(f"api: overlaps('{kind}', pairs=True)", api(kind, pairs=True))
        timed(f"api: overlaps('{kind}') (counts)", api(kind))
    timed("engine: overlaps/shared-concepts", engine("overlaps/shared-concepts"))
    timed("api: overlaps('concepts')", api("concepts"))
    return {"rows": rows}


def report_stages(root: Path, meter: Meter) -> dict[str, Any]:
    """Write the report, timing each phase (wall, and CPU in the stage's note)."""
    from plangraph.project import Project
    from plangraph.report import write_report

    cpu = [time.process_time()]
    started = [False]

    def phase(message: str) -> None:
        now = time.process_time()
        if started[0]:  # the phase that ends, with its CPU time
            meter.end(f"CPU {now - cpu[0]:.2f} s")
        started[0] = True
        cpu[0] = now
        meter.begin(f"report: {message[:50]}")

    out = root / "build" / "bench-report"
    start, start_cpu = time.perf_counter(), time.process_time()
    index = write_report(Project(root), out, progress=phase)
    meter.end(f"CPU {time.process_time() - cpu[0]:.2f} s")
    wall, used = time.perf_counter() - start, time.process_time() - start_cpu
    size = index.stat().st_size
    meter.add(
        Stage(
            "report: whole (plangraph.report.write_report)",
            wall,
            memory_mb()[1],
            0.0,
            note=f"CPU {used:.1f} s; index.html {size / 1e6:.1f} MB",
        )
    )
    return {"report_seconds": wall, "report_cpu": used, "report_bytes": size}


def measure(
    root: Path, meter: Meter, cap: float = 120.0, only: str | None = None
) -> dict[str, Any]:
    """Both groups of stages on the built project ``root`` (``only``: ``overlaps`` or
    ``report``)."""
    facts: dict[str, Any] = {}
    if only in (None, "overlaps"):
        facts.update(overlap_stages(root, meter, cap))
    if only in (None, "report"):
        facts.update(report_stages(root, meter))
    return facts


def _by_name(stages: list[Stage]) -> dict[str, Stage]:
    return {s.name: s for s in stages}


def _secs(stage: Stage | None) -> str:
    if stage is None:
        return "—"
    return stage.note if stage.seconds is None else f"{stage.seconds:.2f}"


def section(stages: list[Stage], facts: dict[str, Any]) -> list[str]:
    """The RESULTS.md lines of these stages: the overlap table and the report's phases."""
    by = _by_name(stages)
    rows = facts.get("rows", {})
    lines: list[str] = []

    def cell(name: str | None) -> str:
        if not name or name not in by:
            return "—"
        found = rows.get(name)
        return f"{_secs(by[name])} s, {found:,} rows" if found is not None else _secs(by[name])

    def first(prefix: str) -> str | None:
        return next((n for n in by if n.startswith(prefix)), None)

    if rows:
        lines += [
            "",
            "Aggregated overlaps against the element pairs, Oxigraph. Engine: the rows read from "
            "pyoxigraph (as every named query is timed above); API: `PlanGraph.overlaps`, a "
            "sorted DataFrame (`plangraph overlaps`). Bound: to the concept most elements carry.",
            "",
            "| kind | pairs | counts | bound to | pairs, bound | counts, bound | API pairs "
            "| API counts |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for kind in KINDS:
            bound_pairs = first(f"engine: overlaps/shared-{kind} [")
            bound_counts = first(f"engine: overlaps/shared-{kind}-counts [")
            concept = bound_pairs.split("=", 1)[1].split("]", 1)[0] if bound_pairs else "—"
            api_pairs = "api: overlaps('" + kind + "', pairs=True)"
            api_counts = "api: overlaps('" + kind + "') (counts)"
            lines.append(
                f"| {kind} | {cell(f'engine: overlaps/shared-{kind} (pairs)')} "
                f"| {cell(f'engine: overlaps/shared-{kind}-counts')} | {concept} "
                f"| {cell(bound_pairs)} | {cell(bound_counts)} | {cell(api_pairs)} "
                f"| {cell(api_counts)} |"
            )
        concepts, api_concepts = "engine: overlaps/shared-concepts", "api: overlaps('concepts')"
        lines.append(f"| concepts | — | {cell(concepts)} | — | — | — | — | {cell(api_concepts)} |")
    report = [s for s in stages if s.name.startswith("report: ")]
    if report:
        lines += ["", "The report (`write_report`), by phase:", "", "| phase | wall s | CPU |"]
        lines += ["|---|---:|---|"]
        lines += [f"| {s.name[8:]} | {_secs(s)} | {s.note} |" for s in report]
    return lines


def main() -> None:
    """Command line: measure a built project, print (and optionally record) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a built plangraph project")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per query")
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    parser.add_argument("--only", choices=["overlaps", "report"], help="one group of stages")
    args = parser.parse_args()
    meter = Meter()
    facts = measure(args.root, meter, args.cap, args.only)
    from run import machine

    with (args.root / "build" / "plangraph.nq").open(encoding="utf-8") as fh:
        quads = sum(1 for _ in fh)
    head = (
        f"\n## Aggregated overlaps and the report, {args.root.name}: {quads:,} quads — "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n\n"
        f"`benchmarks/bench_analysis.py --root {args.root.name}`. Machine: {machine()}. Load "
        f"average (1 min) at the end: {os.getloadavg()[0]:.2f} (other sessions share the "
        "2 cores)."
    )
    text = "\n".join([head, *section(meter.stages, facts)]) + "\n"
    print(text)
    if args.record:
        with (Path(__file__).resolve().parent / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    sys.exit(main())
