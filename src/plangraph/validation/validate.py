"""Validate a compiled graph in three layers: SHACL (pyshacl), OWL consistency (HermiT) and
QC queries (``queries/qc/*-violation.rq``, each must return zero rows).

The loader is the first layer (typed records); this module checks the graph. Exit codes of
``plangraph validate`` follow pySHACL: 0 conforms, 1 violations, 2 could not run.

Nothing is validated twice (see docs/benchmarks.md): a whole report is kept in
``build/.cache/validation/`` by the digest of the graph, the shapes, the ontology, the QC
queries and the code; SHACL runs by units (:mod:`plangraph.validation.units`) whose results
are kept by the digest of each unit, so an edited plan revalidates its own unit; HermiT's
verdict is kept by the digest of its input.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraph.errors import PlangraphError
from plangraph.project import Project
from plangraph.validation.report import ValidationReport

if TYPE_CHECKING:
    from rdflib import Graph

    from plangraph.validation.owl import OwlResult

CONCURRENT_MIN_TRIPLES = 200_000
#: peak memory per triple when SHACL runs by units in two processes (10.7 GB at 3.19M triples)
#: and of HermiT's JVM (9.9 GB at 3.19M), measured 2026-12-01 (docs/benchmarks.md)
SHACL_KB_PER_TRIPLE = 3.4
HERMIT_KB_PER_TRIPLE = 3.1
#: share of the machine's memory the two layers may use at once before they run in turn
CONCURRENT_MEMORY_SHARE = 0.6


def run_layers_together(triples: int, memory_mb: int | None) -> bool:
    """Whether HermiT reasons while SHACL validates: on large graphs two cores give about the
    time of the slower layer, unless the two would not fit in memory together (at 3.2M triples
    they need about 20 GB, and beside each other on a 24 GB machine HermiT was killed); on
    small ones the two compete for the CPU and one after the other is faster.

    >>> run_layers_together(50_000, 24_000), run_layers_together(1_000_000, 24_000)
    (False, True)
    >>> run_layers_together(3_200_000, 24_000), run_layers_together(3_200_000, 64_000)
    (False, True)
    """
    if triples < CONCURRENT_MIN_TRIPLES:
        return False
    if memory_mb is None:
        return True
    need_mb = triples * (SHACL_KB_PER_TRIPLE + HERMIT_KB_PER_TRIPLE) / 1024
    return need_mb <= memory_mb * CONCURRENT_MEMORY_SHARE


REPORT_FORMAT = "1"


def validate_nquads(
    nquads: str,
    ontology: Graph,
    shapes_dir: Path,
    queries_dir: Path,
    *,
    shacl: bool = True,
    owl: bool = True,
    qc: bool = True,
    ntriples: str | None = None,
    cache_dir: Path | None = None,
    by_units: bool | None = None,
    inputs_digest: str | None = None,
) -> ValidationReport:
    """Validate a dataset given as N-Quads (the compiled ``build/plangraph.nq``).

    ``ntriples``: its union graph when known (``build/plangraph.nt``); ``cache_dir``: where
    unit results and HermiT verdicts are kept; ``by_units``: SHACL by units (default: when the
    shapes allow it) or over the whole graph (False); ``inputs_digest``: a digest of the shapes
    and ontology files (else their triples are canonicalised to key the unit cache, which costs
    about a second)."""
    from rdflib import Graph

    from plangraph.rdf.serialise import union_ntriples
    from plangraph.rdf.store import store_from_nquads
    from plangraph.validation.qc import run_qc
    from plangraph.validation.shacl import load_shapes, run_shacl

    report = ValidationReport()
    union = ntriples if ntriples is not None else union_ntriples(nquads)
    triples = union.count("\n")
    # HermiT runs in a Java subprocess, beside SHACL on large graphs that fit in memory
    # together (seeds: 8.1 s concurrent, 7.3 s in turn; measured 2026-11-27)
    from plangraph.validation.owl import physical_memory_mb

    concurrent = owl and run_layers_together(triples, physical_memory_mb())
    pool = None
    units: Any = None
    whole = False
    if shacl:
        start = time.perf_counter()
        shapes = load_shapes(shapes_dir)
        from plangraph.validation import units as unit_mod

        reason = unit_mod.split_allowed(shapes) if by_units is not False else "asked"
        if reason is None:
            units = unit_mod.split_units(union)
            context = unit_mod.shapes_context(
                inputs_digest or _stable_text(shapes), inputs_digest or _stable_text(ontology)
            )
            cache = unit_mod.UnitCache(cache_dir / "shacl" if cache_dir else None, context)
            missing = [u for u in units if cache.get(u) is None]
            todo = sum(u.triples for u in missing)
            whole = len(missing) == len(units) and todo < unit_mod.POOL_MIN_TRIPLES
            if todo >= unit_mod.POOL_MIN_TRIPLES and unit_mod.PROCESSES > 1:
                import multiprocessing

                import pyshacl  # noqa: F401  (loaded once, before the workers fork)

                unit_mod.prepare(shapes, ontology, units)  # what the workers inherit
                pool = multiprocessing.get_context("fork").Pool(unit_mod.PROCESSES)
        report.shacl_seconds = time.perf_counter() - start
    with ThreadPoolExecutor(max_workers=1) as threads:
        owl_future = threads.submit(_consistency, union, cache_dir) if concurrent else None
        try:
            if shacl:
                start = time.perf_counter()
                if units is not None and whole:
                    report.shacl = unit_mod.validate_whole(units, union, shapes, ontology, cache)
                    report.shacl_units = (len(units), len(units))
                elif units is not None:
                    run = unit_mod.validate_units(units, shapes, ontology, cache, pool=pool)
                    report.shacl = run.results
                    report.shacl_units = (run.units, run.validated)
                else:
                    data = Graph().parse(data=union, format="nt")
                    report.shacl = run_shacl(data, shapes, ontology, consume=True)
                report.shacl_seconds += time.perf_counter() - start
        finally:
            if pool is not None:
                pool.close()
                pool.join()
            units = None  # the units' texts are not needed past SHACL: memory for HermiT
        if qc:
            report.qc = run_qc(store_from_nquads(nquads), queries_dir)
        if owl_future is not None:
            report.owl = owl_future.result()
        elif owl:
            report.owl = _consistency(union, cache_dir)
    return report


def _stable_text(graph: Graph) -> str:
    """A graph's triples as text that does not change between runs (blank nodes relabelled
    canonically): what a cache key can be made of."""
    from plangraph.rdf.serialise import canonical

    text = canonical(graph).serialize(format="nt")
    return "\n".join(sorted(text.splitlines()))


def _consistency(union: str, cache_dir: Path | None) -> OwlResult:
    """HermiT's verdict, kept by the digest of its input (only a verdict is kept: a run that
    could not finish is tried again)."""
    from plangraph.pipeline.freshness import code_version
    from plangraph.validation.owl import OwlResult, check_consistency, reasoner_input

    if cache_dir is None:
        return check_consistency(union)
    text, _dropped = reasoner_input(union)
    key = hashlib.sha256(f"{code_version()}\0{text}".encode()).hexdigest()
    path = cache_dir / "owl" / f"{key}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        kept = OwlResult(**json.loads(path.read_text(encoding="utf-8")))
        message = kept.message + " (input unchanged: verdict kept)"
        return OwlResult(kept.consistent, message, 0.0, kept.dropped_literals)
    result = check_consistency(union)
    if result.consistent is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("*.json"):
                old.unlink(missing_ok=True)  # one verdict: the latest graph's
            _write_json(path, asdict(result))
    return result


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _digest_files(paths: list[Path], digests: Any) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(f"{path.parent.name}/{path.name}\0{digests.of(path)}\n".encode())
    return h.hexdigest()


def report_key(
    graph_digest: str, project: Project, flags: tuple[bool, bool, bool], digests: Any
) -> str:
    """What a whole report depends on: the graph, the shapes, the ontology, the QC queries, the
    layers asked for and plangraph's code."""
    from plangraph.analysis.catalogue import catalogue
    from plangraph.pipeline.freshness import code_version

    queries = sorted(
        f"{name}\0{query.text}" for name, query in catalogue(project.queries_dir).items()
    )
    shapes = sorted(project.shapes_dir.glob("*.ttl"))
    parts = [
        REPORT_FORMAT,
        graph_digest,
        _digest_files(shapes, digests),
        digests.of(project.ontology_file),
        hashlib.sha256("\n".join(queries).encode()).hexdigest(),
        repr(flags),
        code_version(),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _published_digest(path: Path) -> str | None:
    """The digest of the N-Quads of a published build (recorded when it was written), when
    ``path`` is the ``plangraph.nq`` of one."""
    from plangraph.rdf.atomic import CURRENT, read_manifest

    manifest = read_manifest(path.parent)
    if manifest is None or path.name != "plangraph.nq":
        return None
    with contextlib.suppress(OSError):
        if path.resolve() == (path.parent / CURRENT / path.name).resolve():
            digest = manifest.get("nquads_sha256")
            return str(digest) if digest else None
    return None


def validate_file(
    path: Path,
    project: Project,
    *,
    shacl: bool = True,
    owl: bool = True,
    qc: bool = True,
    cache: bool = True,
) -> ValidationReport:
    """Validate an RDF file (the compiled N-Quads, or TriG, Turtle, N-Triples, RDF/XML) with a
    project's ontology, shapes and QC queries: the one entry point of the command line and the
    library. With ``cache``, a report for the same graph, shapes, ontology, queries and code
    is reused, and so are the unchanged parts of one (``build/.cache/``)."""
    from plangraph.pipeline.freshness import CACHE, Digests

    if not path.is_file():
        raise PlangraphError(f"{path} not found: run 'plangraph build' first")
    cache_dir = project.build_dir / CACHE if cache else None
    digests = Digests(cache_dir / "digests.json" if cache_dir else None)
    flags = (shacl, owl, qc)
    published = _published_digest(path)
    key = None
    if cache_dir is not None and published is not None:
        key = report_key(published, project, flags, digests)
        kept = _kept_report(cache_dir, key)
        if kept is not None:
            digests.save()
            return kept
    nquads, ntriples = _read_graph(path, published is not None)
    if cache_dir is not None and key is None:
        digest = hashlib.sha256(nquads.encode()).hexdigest()
        key = report_key(digest, project, flags, digests)
        kept = _kept_report(cache_dir, key)
        if kept is not None:
            digests.save()
            return kept
    from plangraph.rdf.files import parse_rdf

    ontology = parse_rdf(project.ontology_file)
    shapes_files = sorted(project.shapes_dir.glob("*.ttl"))
    inputs = _digest_files([*shapes_files, project.ontology_file], digests)
    report = validate_nquads(
        nquads,
        ontology,
        project.shapes_dir,
        project.queries_dir,
        shacl=shacl,
        owl=owl,
        qc=qc,
        ntriples=ntriples,
        cache_dir=cache_dir,
        inputs_digest=inputs,
    )
    if cache_dir is not None and key is not None and report.exit_code != 2:
        with contextlib.suppress(OSError):
            folder = cache_dir / "validation"
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.json"):
                old.unlink(missing_ok=True)
            _write_json(folder / f"{key}.json", report.to_dict())
    digests.save()
    return report


def _kept_report(cache_dir: Path, key: str) -> ValidationReport | None:
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        data = json.loads((cache_dir / "validation" / f"{key}.json").read_text("utf-8"))
        report = ValidationReport.from_dict(data)
        report.reused = True
        return report
    return None


def _read_graph(path: Path, published: bool) -> tuple[str, str | None]:
    """The file's dataset as sorted N-Quads, and its union graph when a published build has
    it beside (``plangraph.nt``, written from the same quads)."""
    from rdflib import Dataset, Graph

    from plangraph.rdf.serialise import sorted_nquads

    try:
        if path.suffix == ".nq":
            # plangraph build writes sorted N-Quads: read them as they are
            nquads = path.read_text(encoding="utf-8")
            union = path.with_suffix(".nt")
            ntriples = union.read_text(encoding="utf-8") if published else None
            return nquads, ntriples
        ds = Dataset()
        if path.suffix == ".trig":
            ds.parse(path, format="trig")
        else:
            for t in Graph().parse(path):
                ds.add(t)
        return sorted_nquads(ds), None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlangraphError(f"{path}: cannot read: {exc}") from None
    except Exception as exc:  # rdflib raises many parser error types
        raise PlangraphError(f"{path}: not valid RDF: {exc}") from None
