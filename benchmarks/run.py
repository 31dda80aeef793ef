"""Benchmark every stage of plangraph on a generated corpus of a given size.

    python benchmarks/run.py --size 10        # make bench (SIZE=10): ~10k plan triples
    python benchmarks/run.py --size 100       # ~100k: the rdflib-vs-Oxigraph comparison point
    python benchmarks/run.py --size 1000      # ~1M plan triples: the scale targets

The corpus comes from ``benchmarks/generate.py`` (five seed layouts, varied text; ``--size`` is
thousands of triples of plan data; the derived graph, ontology, vocabularies and institutions
come on top). Each group of stages runs in its own worker process (``--worker``), so that every
stage's peak memory is that of a process doing only that work: the kernel's high-water mark of
resident memory, reset at the start of each stage (see ``benchmarks/measure.py``). Queries run in
forked children killed at a time cap, so a runaway query is reported as "> cap", not waited for.

Stages: the seeds end to end through the CLI (build + validate); generation; the build's phases
(load plan files, ontology and vocabularies, compile, derive tags and timeframes, write); Oxigraph
load and every named query of ``queries/``; the same queries on rdflib's in-memory Dataset (the
baseline); SHACL over the whole merged graph (what ``plangraph validate`` does) beside SHACL by
plan in 2 processes (``benchmarks/shacl_split.py``); HermiT; and similarity, network metrics and
the report when those modules exist. Results are appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import ROOT
from measure import Meter, Stage, capped, memory_mb

HERE = Path(__file__).resolve().parent
PLAN_GRAPH = "<https://w3id.org/plangraph/graph/plan/"
DERIVED_GRAPH = "<https://w3id.org/plangraph/graph/derived>"
WORKERS = (
    "generate",
    "build",
    "oxigraph",
    "rdflib",
    "shacl-whole",
    "shacl-split",
    "hermit",
    "extras",
)
BUILD_PHASES = {
    "loading plan files": "load plan files (YAML, records, fidelity)",
    "loaded": "parse ontology + vocabularies",
    "compiling RDF": "compile + derive tags and timeframes, plan by plan (fragments)",
    "writing": "write outputs (sorted N-Quads, TriG, N-Triples, OWL)",
}


# ---------------------------------------------------------------------------- workers


def _project(root: Path) -> Any:
    from plangraph.project import Project

    return Project(root)


def worker_generate(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from generate import generate

    meter.begin("generate plan files + sources")
    res = generate(root, args.size, args.seed)
    meter.end(f"{res.plans} plans, {res.elements} elements")
    return {
        "plans": res.plans,
        "elements": res.elements,
        "estimated_plan_triples": res.estimated_triples,
        "layouts": res.by_layout,
    }


def worker_build(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from plangraph.pipeline.build import build

    def phase(message: str) -> None:
        name = next((v for k, v in BUILD_PHASES.items() if message.startswith(k)), message)
        meter.begin(name)

    start = time.perf_counter()
    result = build(_project(root), progress=phase)
    meter.end()
    total = time.perf_counter() - start
    plan = derived = other = 0
    with result.outputs["nquads"].open(encoding="utf-8") as fh:
        for line in fh:
            if PLAN_GRAPH in line:
                plan += 1
            elif line.rstrip().endswith(f"{DERIVED_GRAPH} ."):
                derived += 1
            else:
                other += 1
    sizes = {k: p.stat().st_size for k, p in result.outputs.items() if p.exists()}
    return {
        "build_seconds": total,
        "quads": plan + derived + other,
        "plan_quads": plan,
        "derived_quads": derived,
        "other_quads": other,
        "plans": len(result.plans),
        "output_bytes": sizes,
    }


def _queries(root: Path) -> dict[str, Any]:
    from plangraph.analysis.catalogue import catalogue

    return dict(sorted(catalogue(root / "queries").items()))


# Values bound to query parameters: the most frequent value of the property the parameter
# filters on (the worst case for the pairwise overlap queries), or a fixed example.
SAMPLE_QUERIES = {
    "population": "?e <https://w3id.org/plangraph/ontology#targetPopulation> ?v",
    "theme": "?e <http://purl.org/dc/terms/subject> ?v",
    "objective": "?e <https://w3id.org/plangraph/ontology#alignedWith> ?v",
    "institution": "?e <http://data.europa.eu/m8g/hasParticipant> ?v",
    "plan": "?v a <https://w3id.org/plangraph/ontology#Plan>",
    "element": "?v a <https://w3id.org/plangraph/ontology#Action>",
}
SAMPLE_FIXED = {
    "framework": "https://w3id.org/plangraph/vocab/gcm",
    "scheme": "https://w3id.org/plangraph/vocab/gcm",
    "kind": "action",
    "on": "2024-01-01",
}
# Optional parameters worth a bound run of their own (they cut a pairwise result down).
BOUND_RUNS = ("population", "theme", "objective", "institution", "framework")


def _samples(store: Any) -> dict[str, str]:
    out = dict(SAMPLE_FIXED)
    for name, pattern in SAMPLE_QUERIES.items():
        query = (
            f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?v "
            "ORDER BY DESC(?n) STR(?v) LIMIT 1"
        )
        for row in store.query(query, use_default_graph_as_union=True):
            out[name] = row["v"].value
    return out


def _runs(query: Any, samples: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """(label, bindings) for each run of a named query: unbound (unless a parameter is
    required), and bound for the parameters that cut a pairwise result."""
    required = [p for p in query.params if "optional" not in p.kind]
    runs: list[tuple[str, dict[str, str]]] = []
    base = {p.name: samples[p.name] for p in required if p.name in samples}
    if len(base) < len(required):
        return []
    runs.append((query.name, base))
    for p in query.params:
        if p.name in BOUND_RUNS and p.name in samples and p.name not in base:
            value = samples[p.name].rsplit("/", 1)[-1]
            runs.append((f"{query.name} [{p.name}={value}]", {**base, p.name: samples[p.name]}))
    if required:
        runs[0] = (f"{query.name} [{', '.join(f'{k} bound' for k in base)}]", base)
    return runs


def open_store(path: Path) -> Any:
    """The embedded store of a dataset file, as every command loads it."""
    from plangraph.rdf.store import load_store

    return load_store(path)


def run(store: Any, query: Any, **bindings: Any) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of a named query on the embedded store (bound values)."""
    from plangraph.analysis.backends import EmbeddedBackend

    result = EmbeddedBackend(store).select(query, bindings)
    return result.columns, result.rows


def plain(term: Any) -> Any:
    from plangraph.rdf.terms import to_python

    return to_python(term)


def worker_oxigraph(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from plangraph.validation.qc import run_qc

    nq = root / "build" / "plangraph.nq"
    store: Any = meter.run("Oxigraph load (plangraph.nq)", lambda: open_store(nq))
    samples = _samples(store)
    (root / "bench-samples.json").write_text(json.dumps(samples), encoding="utf-8")
    rows: dict[str, int | None] = {}
    base = memory_mb()[0]
    seconds, peak, value, error = capped(
        lambda: len(run_qc(store, root / "queries")), args.query_cap
    )
    meter.add(Stage("QC queries, all (Oxigraph)", seconds, peak, base, note=error))
    for query in _queries(root).values():
        for label, bindings in _runs(query, samples):

            def one(q: Any = query, b: dict[str, str] = bindings) -> int:
                return len(run(store, q, **b)[1])

            seconds, peak, value, error = capped(one, args.query_cap)
            rows[label] = value
            meter.add(Stage(f"query {label} (Oxigraph)", seconds, peak, base, note=error))
    return {"rows": rows, "triples_in_store": len(store), "samples": samples}


def _rdflib_term(value: str, kind: str) -> Any:
    from rdflib import XSD, Literal, URIRef

    if kind.upper().startswith("IRI"):
        return URIRef(value)
    if kind.lower().startswith("date"):
        return Literal(value, datatype=XSD.date)
    return Literal(value)


def worker_rdflib(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from rdflib import Dataset

    nq = root / "build" / "plangraph.nq"

    def load() -> Dataset:
        ds = Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        return ds

    ds = meter.run("rdflib Dataset parse (plangraph.nq)", load)
    samples_file = root / "bench-samples.json"
    samples = json.loads(samples_file.read_text(encoding="utf-8")) if samples_file.exists() else {}
    rows: dict[str, int | None] = {}
    base = memory_mb()[0]
    for query in _queries(root).values():
        kinds = {p.name: p.kind for p in query.params}
        for label, bindings in _runs(query, samples):
            init = {k: _rdflib_term(v, kinds[k]) for k, v in bindings.items()}

            def one(text: str = query.text, b: dict[str, Any] = init) -> int:
                return len(list(ds.query(text, initBindings=b)))

            seconds, peak, value, error = capped(one, args.rdflib_cap)
            rows[label] = value
            meter.add(Stage(f"query {label} (rdflib)", seconds, peak, base, note=error))
    return {"rows": rows}


def worker_shacl_whole(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from rdflib import Graph

    from plangraph.rdf.serialise import union_ntriples
    from plangraph.validation.shacl import load_shapes, run_shacl

    project = _project(root)
    shapes = load_shapes(project.shapes_dir)
    ontology = Graph().parse(project.ontology_file)
    nquads = (root / "build" / "plangraph.nq").read_text(encoding="utf-8")
    union = meter.run("SHACL whole: union N-Triples", partial(union_ntriples, nquads))
    data = meter.run("SHACL whole: rdflib parse", partial(Graph().parse, data=union, format="nt"))
    nquads = union = ""
    results = meter.run("SHACL whole: pyshacl", lambda: run_shacl(data, shapes, ontology))
    (root / "bench-shacl-whole.json").write_text(
        json.dumps(sorted(str(r) for r in results)), encoding="utf-8"
    )
    return {"results": len(results), "violations": sum(r.severity == "Violation" for r in results)}


def worker_shacl_split(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    import resource

    from rdflib import Graph

    from plangraph.validation.shacl import load_shapes
    from plangraph.validation.units import UnitCache, split_units, validate_units

    project = _project(root)
    shapes = load_shapes(project.shapes_dir)
    ontology = Graph().parse(project.ontology_file)
    union = (root / "build" / "plangraph.nt").read_text(encoding="utf-8")
    units = meter.run(
        "SHACL split: partition into units", partial(split_units, union, args.unit_triples)
    )
    union = ""
    meter.begin(f"SHACL split: parse + pyshacl, {args.processes} processes")
    report = validate_units(
        units, shapes, ontology, UnitCache(None, ""), processes=args.processes, pool_min_triples=0
    )
    stage = meter.end(f"{report.units} units")
    if stage is not None:
        stage.children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out: dict[str, Any] = {
        "results": len(report.results),
        "violations": sum(r.severity == "Violation" for r in report.results),
        "units": report.units,
    }
    whole_file = root / "bench-shacl-whole.json"
    if whole_file.exists():
        whole = set(json.loads(whole_file.read_text(encoding="utf-8")))
        split = {str(r) for r in report.results}
        out["same_as_whole"] = whole == split
        out["only_whole"] = len(whole - split)
        out["only_split"] = len(split - whole)
    return out


def worker_hermit(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    from plangraph.rdf.serialise import union_ntriples
    from plangraph.validation.owl import check_consistency

    nquads = (root / "build" / "plangraph.nq").read_text(encoding="utf-8")
    union = meter.run("HermiT: union N-Triples", partial(union_ntriples, nquads))
    nquads = ""
    result = meter.run(
        "HermiT: owlready2 read + consistency (JVM)", lambda: check_consistency(union)
    )
    if meter.stages:
        meter.stages[-1].note = result.message
    return {"consistent": result.consistent, "message": result.message}


def worker_extras(root: Path, args: argparse.Namespace, meter: Meter) -> dict[str, Any]:
    """Similarity, network metrics and the report, through their public entry points, when
    their modules exist (skipped with a note otherwise; a failure is noted, not fatal)."""
    notes: dict[str, str] = {}
    store: Any = open_store(root / "build" / "plangraph.nq")
    queries = _queries(root)

    def present(label: str, module: str) -> bool:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            notes[label] = f"skipped: {module} does not exist yet"
            print(f"  {label}: {notes[label]}")
            return False
        return True

    def attempt(label: str, body: Callable[[], str]) -> None:
        try:
            notes[label] = body()
        except Exception as exc:  # a helper's module changing under us must not stop the run
            meter.cancel()
            notes[label] = f"failed: {type(exc).__name__}: {exc}"
        print(f"  {label}: {notes[label]}")

    if present("similarity", "plangraph.analysis.similarity"):

        def similarity() -> str:
            import pandas as pd

            from plangraph.analysis.similarity import near_duplicates

            def texts() -> Any:
                columns, rows = run(store, queries["reports/element-texts"])
                return pd.DataFrame([[plain(v) for v in r] for r in rows], columns=columns)

            elements = meter.run("similarity: element texts (query → DataFrame)", texts)
            pairs = meter.run(
                "similarity: near_duplicates (TF-IDF, top-k)", partial(near_duplicates, elements)
            )
            return f"near_duplicates over {len(elements)} elements: {len(pairs)} pairs"

        attempt("similarity", similarity)
    if present("network metrics", "plangraph.analysis.networks"):

        def networks() -> str:
            from plangraph.analysis.api import PlanGraph
            from plangraph.analysis.backends import EmbeddedBackend

            pg = PlanGraph(EmbeddedBackend(store), queries_dir=root / "queries")
            done = []
            for kind in ("institution-plan", "co-responsibility", "plan-overlap"):
                table = meter.run(
                    f"network metrics: {kind} (queries, graph, metrics)", partial(pg.metrics, kind)
                )
                done.append(f"{kind} {len(table)} nodes")
            return "; ".join(done)

        attempt("network metrics", networks)
    if present("report", "plangraph.report.writer"):

        def report() -> str:
            from plangraph.report import write_report

            def phase(message: str) -> None:
                meter.begin(f"report: {message[:50]}")

            index = write_report(_project(root), root / "build" / "bench-report", progress=phase)
            meter.end()
            return f"wrote {index.name}"

        attempt("report", report)
    return {"extras": notes}


WORKER_FUNCS: dict[str, Callable[[Path, argparse.Namespace, Meter], dict[str, Any]]] = {
    "generate": worker_generate,
    "build": worker_build,
    "oxigraph": worker_oxigraph,
    "rdflib": worker_rdflib,
    "shacl-whole": worker_shacl_whole,
    "shacl-split": worker_shacl_split,
    "hermit": worker_hermit,
    "extras": worker_extras,
}


def worker_main(args: argparse.Namespace) -> None:
    """Run one worker and write its stages and facts as JSON."""
    meter = Meter()
    facts = WORKER_FUNCS[args.worker](Path(args.root), args, meter)
    Path(args.json).write_text(
        json.dumps({"stages": [s.to_dict() for s in meter.stages], "facts": facts}),
        encoding="utf-8",
    )


# ---------------------------------------------------------------------------- orchestrator


def run_worker(
    name: str, root: Path, args: argparse.Namespace
) -> tuple[list[Stage], dict[str, Any]]:
    """Run a worker process; its stages, facts, and (as a stage) its whole-process peak."""
    out = root.parent / f"bench-{name}.json"
    command = [
        sys.executable,
        str(HERE / "run.py"),
        "--worker",
        name,
        "--root",
        str(root),
        "--json",
        str(out),
        "--size",
        str(args.size),
        "--seed",
        str(args.seed),
        "--rdflib-cap",
        str(args.rdflib_cap),
        "--query-cap",
        str(args.query_cap),
        "--unit-triples",
        str(args.unit_triples),
        "--processes",
        str(args.processes),
    ]
    print(f"[{name}]", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0 or not out.exists():
        print(f"  worker {name} failed (status {status})")
        return [Stage(f"[{name}] worker failed", None, usage.ru_maxrss / 1024, 0.0)], {}
    data = json.loads(out.read_text(encoding="utf-8"))
    stages = [Stage(**s) for s in data["stages"]]
    return stages, {**data["facts"], "worker_wall": wall, "worker_peak_mb": usage.ru_maxrss / 1024}


SEED_SCENARIOS = ("from scratch", "nothing changed", "one plan edited")


def _edit_one_plan(root: Path) -> None:
    """A curator's edit of one seed plan: its status (the plan's graph changes, its tags do
    not), else a comment."""
    for plan in sorted((root / "graph" / "plans").glob("*.yaml")):
        text = plan.read_text(encoding="utf-8")
        if "status: adopted" in text:
            plan.write_text(text.replace("status: adopted", "status: updated", 1), "utf-8")
            return
    first = sorted((root / "graph" / "plans").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")


def seeds_end_to_end(tmp: Path) -> list[Stage]:
    """The bundled seed plans through the CLI, as a user runs them: build, then validate, from
    scratch (a fresh copy, no build folder), again with nothing changed, and after editing one
    plan."""
    root = tmp / "seeds"
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "graph", root / "graph")
    cli = Path(sys.executable).with_name("plangraph")
    stages = []
    print("[seeds end to end]", flush=True)
    for scenario in SEED_SCENARIOS:
        if scenario == "one plan edited":
            _edit_one_plan(root)
        for command in ("build", "validate"):
            start = time.perf_counter()
            proc = subprocess.Popen(
                [str(cli), "--root", str(root), command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _pid, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            stage = Stage(
                f"seeds, {scenario}: plangraph {command} (CLI)",
                seconds,
                usage.ru_maxrss / 1024,
                0.0,
                note=f"exit {code}",
            )
            print(f"  {stage.name:58} {seconds:9.2f} s  peak {stage.peak_mb:7.0f} MB  exit {code}")
            stages.append(stage)
    return stages


def machine() -> str:
    """CPU model, cores, memory, OS, Python and the versions of the libraries measured."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    libs = []
    for dist in ("rdflib", "pyoxigraph", "pyshacl", "owlready2", "pydantic", "PyYAML"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            libs.append(f"{dist} {metadata.version(dist)}")
    java = "no Java"
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        java = out.stderr.splitlines()[0] if out.stderr else java
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, {platform.platform()}; "
        f"Python {platform.python_version()}; {', '.join(libs)}; {java}"
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def targets(stages: list[Stage], facts: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for the targets (issues 8 and 16) that this run can speak to."""
    by = {s.name: s for s in stages}
    quads = facts.get("build", {}).get("quads", 0)
    big = quads >= 700_000
    mid = 50_000 <= quads <= 400_000
    scale = f"at {quads:,} quads"
    rows = []

    def verdict(ok: bool, applies: bool) -> str:
        if not applies:
            # a target set for ~1M (or ~100k) quads says nothing about a smaller or larger run
            return "not applicable at this size (" + ("within" if ok else "over") + " the bound)"
        return "met" if ok else "NOT met"

    for scenario, bound in (("from scratch", 5.0), ("nothing changed", 1.0)):
        seeds = [s for s in stages if s.name.startswith(f"seeds, {scenario}:")]
        if seeds and all(s.seconds is not None for s in seeds):
            total = sum(s.seconds or 0 for s in seeds)
            rows.append(
                (
                    f"seeds {scenario} (CLI build + validate) ≤ {bound:.0f} s",
                    f"{total:.1f} s (" + " + ".join(f"{s.seconds:.1f}" for s in seeds) + ")",
                    verdict(total <= bound, True),
                )
            )
    build = [s for s in stages if s.name in BUILD_PHASES.values()]
    if build:
        total = sum(s.seconds or 0 for s in build)
        compile_only = by.get(BUILD_PHASES["compiling RDF"])
        rows.append(
            (
                "build (load + compile + derive + write) ≤ 30 s at ~1M",
                f"{total:.1f} s {scale} (compile + derive "
                f"{_fmt(compile_only.seconds if compile_only else None, 1)} s)",
                verdict(total <= 30, big),
            )
        )
    load = by.get("Oxigraph load (plangraph.nq)")
    if load and load.seconds is not None:
        rows.append(
            (
                "Oxigraph load ≤ 10 s at ~1M",
                f"{load.seconds:.1f} s {scale}",
                verdict(load.seconds <= 10, big),
            )
        )
    whole = [
        by.get(n)
        for n in (
            "SHACL whole: union N-Triples",
            "SHACL whole: rdflib parse",
            "SHACL whole: pyshacl",
        )
    ]
    hermit = [s for s in stages if s.name.startswith("HermiT:")]
    qc = by.get("QC queries, all (Oxigraph)")
    if all(whole) and hermit:
        shacl = sum(s.seconds or 0 for s in whole if s)
        owl = sum(s.seconds or 0 for s in hermit)
        qcs = qc.seconds or 0 if qc else 0
        rows.append(
            (
                "validation (SHACL whole graph + HermiT + QC) ≤ 60 s at ~1M",
                f"{shacl + owl + qcs:.1f} s {scale} "
                f"(SHACL {shacl:.1f}, HermiT {owl:.1f}, QC {qcs:.1f})",
                verdict(shacl + owl + qcs <= 60, big),
            )
        )
        split = [s for s in stages if s.name.startswith("SHACL split:")]
        if split:
            sp = sum(s.seconds or 0 for s in split)
            rows.append(
                (
                    "validation as plangraph validate runs it (SHACL by units in 2 processes "
                    "beside HermiT, + QC) ≤ 60 s at ~1M",
                    f"{max(sp, owl) + qcs:.1f} s {scale} (SHACL by units {sp:.1f}, HermiT "
                    f"{owl:.1f}, concurrent from 200k triples: the slower of the two)"
                    if quads >= 200_000
                    else f"{sp + owl + qcs:.1f} s {scale} (SHACL by units {sp:.1f}, in turn)",
                    verdict((max(sp, owl) if quads >= 200_000 else sp + owl) + qcs <= 60, big),
                )
            )
    oxq = [s for s in stages if s.name.startswith("query ") and s.name.endswith("(Oxigraph)")]
    if oxq:
        worst = max(oxq, key=lambda s: float("inf") if s.seconds is None else s.seconds)
        over = [s.name[6:-11] for s in oxq if s.seconds is None or s.seconds > 1]
        ok = not over
        rows.append(
            (
                "every named query ≤ 1 s (Oxigraph) at ~1M",
                f"{len(over)} of {len(oxq)} runs over 1 s"
                + (f" ({', '.join(over)})" if over else "")
                + f"; slowest {worst.name[6:-11]}: {_fmt(worst.seconds)} s {worst.note}".rstrip(),
                verdict(ok, big),
            )
        )
    sim = [s for s in stages if s.name.startswith("similarity")]
    if sim:
        sim_s = sum(s.seconds or 0 for s in sim)
        rows.append(
            (
                "similarity (element texts + near_duplicates) ≤ 60 s at ~1M",
                f"{sim_s:.1f} s {scale}",
                verdict(sim_s <= 60, big),
            )
        )
    peak = max(stages, key=lambda s: s.peak_mb + s.children_mb)
    rows.append(
        (
            "peak memory ≤ 3 GB at ~1M",
            f"{(peak.peak_mb + peak.children_mb) / 1024:.2f} GB in '{peak.name}' {scale}",
            verdict(peak.peak_mb + peak.children_mb <= 3072, big),
        )
    )
    ratios: list[tuple[float, str, float | None, float]] = []
    for s in oxq:
        name = s.name[6:-11]
        r = by.get(f"query {name} (rdflib)")
        if r is None or (r.seconds is not None and r.note):
            continue  # rdflib could not run it (an error, not a time)
        if s.seconds and r.seconds:
            ratios.append((r.seconds / max(s.seconds, 1e-4), name, r.seconds, s.seconds))
        elif s.seconds is not None and r.seconds is None:
            ratios.append((float("inf"), name, None, s.seconds))
    if ratios:
        low = min(ratios)
        ok = all(x[0] >= 10 for x in ratios)
        slow = sum(1 for x in ratios if x[0] < 10)
        rows.append(
            (
                "every named query ≥ 10× faster on Oxigraph than rdflib at 100k",
                f"lowest ratio {low[0]:.1f}× ({low[1]}: rdflib {_fmt(low[2], 3)} s, Oxigraph "
                f"{_fmt(low[3], 3)} s); {slow} of {len(ratios)} queries below 10× {scale}",
                verdict(ok, mid),
            )
        )
    return rows


def record(args: argparse.Namespace, stages: list[Stage], facts: dict[str, dict[str, Any]]) -> str:
    """The RESULTS.md section of this run."""
    b = facts.get("build", {})
    g = facts.get("generate", {})
    layouts = ", ".join(f"{k} {v}" for k, v in g.get("layouts", {}).items())
    lines = [
        f"\n## Generated, size {args.size} (seed {args.seed}): {b.get('quads', 0):,} quads — "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"Corpus: {g.get('plans', '?')} plans ({layouts}), "
        f"{g.get('elements', '?'):,} elements; quads: plan graphs {b.get('plan_quads', 0):,}, "
        f"derived {b.get('derived_quads', 0):,}, ontology + vocabularies + institutions "
        f"{b.get('other_quads', 0):,}.\n",
        f"Machine: {machine()}. Load average (1 min) at the end of the run: "
        f"{os.getloadavg()[0]:.2f} (other sessions may share the 2 cores).\n",
        "Peak RSS: the kernel's high-water mark (VmHWM) of the worker process running the stage, "
        "reset at the stage's start (/proc/self/clear_refs), so it includes the interpreter, "
        "imports and the stage's inputs; queries: the forked child that ran the query; CLI "
        "stages: the whole process (wait4). '+ children' is what child processes (HermiT's JVM, "
        "the SHACL pool workers) held at their peak.\n",
        "| stage | seconds | peak RSS MB | + children MB | note |",
        "|---|---:|---:|---:|---|",
    ]
    for s in stages:
        if s.name.startswith("query "):
            continue
        lines.append(
            f"| {s.name} | {_fmt(s.seconds)} | {s.peak_mb:.0f} | "
            f"{s.children_mb:.0f} | {s.note} |".replace("| 0 |", "| |")
        )
    ox_rows = facts.get("oxigraph", {}).get("rows", {})
    rd_rows = facts.get("rdflib", {}).get("rows", {})
    by = {s.name: s for s in stages}
    lines += [
        "",
        f"Named queries (rdflib capped at {args.rdflib_cap:.0f} s, "
        f"Oxigraph at {args.query_cap:.0f} s):",
        "",
        "| query | rows | Oxigraph s | rdflib s | rdflib / Oxigraph |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in sorted(set(ox_rows) | set(rd_rows)):
        ox = by.get(f"query {name} (Oxigraph)")
        rd = by.get(f"query {name} (rdflib)")
        oxs = ox.seconds if ox else None
        rds = rd.seconds if rd else None
        ratio = (
            f"{rds / max(oxs, 1e-4):.0f}×"
            if oxs is not None and rds is not None
            else (f"> {args.rdflib_cap / max(oxs, 1e-4):.0f}×" if oxs is not None and rd else "—")
        )
        rows = ox_rows.get(name)
        mismatch = "" if rd_rows.get(name) in (None, rows) else f" (rdflib: {rd_rows.get(name)})"
        if rd is not None and rds is not None and rd.note:
            rd_text, ratio = f"error: {rd.note}", "—"
        else:
            rd_text = _fmt(rds, 3) if rds is not None else (rd.note if rd else "—")
        lines.append(f"| {name} | {rows}{mismatch} | {_fmt(oxs, 3)} | {rd_text} | {ratio} |")
    whole = facts.get("shacl-whole", {})
    split = facts.get("shacl-split", {})
    if whole or split:
        lines += [
            "",
            f"SHACL: whole graph {whole.get('results', '?')} results "
            f"({whole.get('violations', '?')} violations); by plan {split.get('results', '?')} "
            f"results over {split.get('units', '?')} units, identical to whole graph: "
            f"{split.get('same_as_whole', '?')}.",
        ]
    extras = facts.get("extras", {}).get("extras", {})
    if extras:
        lines += ["", "Extras: " + "; ".join(f"{k}: {v}" for k, v in extras.items()) + "."]
    lines += ["", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(stages, facts)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Generate, run every worker, print and record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10, help="thousands of plan triples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rdflib-cap", type=float, default=60.0, help="seconds per rdflib query")
    parser.add_argument("--query-cap", type=float, default=120.0, help="seconds per Oxigraph query")
    parser.add_argument("--unit-triples", type=int, default=10_000, help="SHACL-by-plan unit size")
    parser.add_argument("--processes", type=int, default=2, help="SHACL-by-plan processes")
    parser.add_argument("--workdir", type=Path, help="keep the generated project here")
    parser.add_argument("--skip", default="", help="comma-separated workers to skip")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seeds end to end")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--render", type=Path, help="record a finished run from its --workdir")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args)
        return
    if args.render:
        emit(args, record(args, *load_saved(args.render)))
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    stages: list[Stage] = []
    facts: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        base = args.workdir or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        root = base / f"project-{args.size}"
        if root.exists():
            shutil.rmtree(root)
        if not args.no_seeds:
            seeds = seeds_end_to_end(Path(tmp))
            stages += seeds
            (base / "bench-seeds.json").write_text(
                json.dumps({"stages": [s.to_dict() for s in seeds], "facts": {}}),
                encoding="utf-8",
            )
        for name in WORKERS:
            if name in skip:
                continue
            got, fact = run_worker(name, root, args)
            stages += got
            facts[name] = fact
            if name == "build" and not fact:
                break
    emit(args, record(args, stages, facts))


def load_saved(workdir: Path) -> tuple[list[Stage], dict[str, dict[str, Any]]]:
    """Stages and facts of a finished run from its JSON files (``--workdir`` of that run)."""
    stages: list[Stage] = []
    facts: dict[str, dict[str, Any]] = {}
    for name in ("seeds", *WORKERS):
        f = workdir / f"bench-{name}.json"
        if f.exists():
            data = json.loads(f.read_text(encoding="utf-8"))
            stages += [Stage(**s) for s in data["stages"]]
            facts[name] = data["facts"]
    return stages, facts


def emit(args: argparse.Namespace, section: str) -> None:
    """Print a run's section and append it to RESULTS.md (unless --no-record)."""
    print(section)
    if not args.no_record:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)
        print("recorded in benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
