"""Incremental builds: each plan's part of the dataset (its named graph and the derived facts
about its elements, as sorted N-Quads lines) is kept in ``build/.cache/fragments/`` under a
key of everything it depends on, and reused while those are unchanged.

A plan's fragment depends on its plan file, the source it quotes, and the *context*: the
authority file, the ontology folder (ontology, shapes, vocabularies and their reference data)
and plangraph's code (:func:`plangraph.pipeline.freshness.code_version`, which covers the
tagger's code). The shared fragment (ontology, vocabularies, institutions, the derived graph's
own description) depends on the context alone. A build then loads, compiles and tags only the
plans whose key changed (the tagger and its lemma dictionaries load only then), checks the
authority file, and merges the sorted fragments into the outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.errors import InputError, Problem
from plangraph.pipeline.freshness import Digests, code_version
from plangraph.project import Project

Say = Callable[[str], None]
FRAGMENT_FORMAT = "1"
"""Bumped when the layout of a cached fragment changes."""


def context_key(project: Project, digests: Digests) -> str:
    """What every fragment depends on: the authority file, every file of the ontology folder
    and plangraph's code."""
    h = hashlib.sha256(f"{FRAGMENT_FORMAT}\0{code_version()}\n".encode())
    h.update(f"institutions\0{digests.of(project.institutions_file)}\n".encode())
    folder = project.ontology_dir
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f"{path.relative_to(folder)}\0{digests.of(path)}\n".encode())
    return h.hexdigest()


@dataclass
class FragmentCache:
    """Fragments on disk: ``<key>.nq`` (sorted lines) and ``<key>.json`` (what else the build
    needs: the plan id, the source and its digest, the timeframes left unparsed)."""

    folder: Path
    context: str
    digests: Digests
    used: set[str] = field(default_factory=set)
    held: dict[str, tuple[Sequence[str], dict[str, Any]]] = field(default_factory=dict)
    """Fragments that could not be written (kept in memory for this build)."""

    def plan_key(self, plan_file: Path) -> str:
        text = f"plan\0{self.context}\0{self.digests.of(plan_file)}"
        return hashlib.sha256(text.encode()).hexdigest()

    def shared_key(self) -> str:
        return hashlib.sha256(f"shared\0{self.context}".encode()).hexdigest()

    def get(self, key: str, sources_dir: Path | None = None) -> dict[str, Any] | None:
        """The metadata of a usable fragment (``None`` when missing, broken, or its source
        changed)."""
        if key in self.held:
            return self.held[key][1]
        try:
            meta: dict[str, Any] = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            if not (self.folder / f"{key}.nq").is_file():
                return None
        except (OSError, ValueError):
            return None
        source = meta.get("source")
        if (
            sources_dir is not None
            and source is not None
            and self.digests.of(sources_dir / source) != meta.get("source_digest")
        ):
            return None
        self.used.add(key)
        return meta

    def put(self, key: str, lines: Sequence[str], meta: dict[str, Any]) -> None:
        """Keep a fragment (in memory when the cache cannot be written: that only costs
        time in the next build)."""
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            os.replace(tmp, self.folder / f"{key}.nq")
            (self.folder / f".{key}.json.tmp").write_text(json.dumps(meta), encoding="utf-8")
            os.replace(self.folder / f".{key}.json.tmp", self.folder / f"{key}.json")
        except OSError:
            self.held[key] = (lines, meta)

    def lines(self, key: str) -> Iterator[str]:
        if key in self.held:
            yield from self.held[key][0]
            return
        with (self.folder / f"{key}.nq").open(encoding="utf-8") as fh:
            for line in fh:
                yield line.rstrip("\n")

    def prune(self) -> None:
        """Forget the fragments this build did not use."""
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name.split(".", 1)[0] not in self.used and not path.name.startswith("."):
                    path.unlink(missing_ok=True)


@dataclass
class Loaded:
    """What a build loaded: the plans whose fragment must be made, every plan's id, the
    authority file (always checked), and how to get the shared inputs when needed."""

    plans: list[Any]
    ids: list[str]
    keys: dict[Path, str]
    corpus: Any
    project: Project
    _inputs: Any = None
    _owl: str | None = None

    @property
    def institutions(self) -> int:
        return len(self.corpus.institutions)

    def inputs(self) -> Any:
        """The parsed ontology and vocabularies (parsed once, on first need)."""
        if self._inputs is None:
            from plangraph.pipeline.build import load_inputs

            self._inputs = load_inputs(self.project)
        return self._inputs

    def owl(self) -> str:
        if self._owl is None:
            from plangraph.rdf.serialise import ontology_rdfxml

            self._owl = ontology_rdfxml(self.inputs().ontology)
        return self._owl


def load_changed(project: Project, paths: Sequence[Path], cache: FragmentCache) -> Loaded:
    """Check the authority file and load the plans whose fragment is not cached; the others
    passed every check with the same content and context before. Every problem of the run is
    collected (InputError)."""
    from plangraph.pipeline.hierarchy import allowed_parents
    from plangraph.pipeline.loader import (
        Corpus,
        link_problems,
        load_authority,
        load_plan,
        plan_files,
    )

    problems: list[Problem] = []
    if not paths:
        raise InputError([Problem(project.plans_dir, None, "", "no plan files (*.yaml) found")])
    institutions: Any = None
    inst_lines: Any = {}
    inst_index: Any = {}
    try:
        institutions, inst_lines, inst_index = load_authority(
            project.institutions_file, project.sources_dir
        )
    except InputError as exc:
        problems += exc.problems
    rules = None
    plans, ids, keys = [], [], {}
    seen: dict[str, Path] = {}
    for path in paths:
        key = keys[path] = cache.plan_key(path)
        meta = cache.get(key, project.sources_dir)
        if meta is not None:
            plan_id, where = str(meta["id"]), meta.get("id_line")
        else:
            rules = rules or allowed_parents(project.ontology_file, project.shapes_dir)
            try:
                plan = load_plan(path, project.sources_dir, institutions, rules)
            except InputError as exc:
                problems += exc.problems
                continue
            plans.append(plan)
            plan_id, where = plan.id, plan.lines.get(("plan", "id"))
        if plan_id in seen:
            problems.append(
                Problem(
                    path,
                    where,
                    "plan.id",
                    f"duplicate plan id '{plan_id}' (also in {seen[plan_id]})",
                )
            )
        seen[plan_id] = path
        ids.append(plan_id)
    # a replaced plan is one of the project's (checked alone, a plan may name another's file)
    problems += link_problems(plans, set(seen) | {f.stem for f in plan_files(project)})
    if problems:
        raise InputError(problems)
    corpus = Corpus(tuple(plans), institutions, project.institutions_file, inst_lines, inst_index)
    return Loaded(plans, ids, keys, corpus, project)


def assemble(
    project: Project,
    paths: Sequence[Path],
    loaded: Loaded,
    cache: FragmentCache,
    say: Say,
    lap: Callable[[str], None],
) -> tuple[Iterator[str], list[Any], int]:
    """Make the missing fragments (compile, then derive, plan by plan) and return the merged
    N-Quads lines of all of them (sorted, without duplicates, streamed from the cache), the
    unparsed timeframes in plan order, and how many fragments were made."""
    from plangraph.pipeline.build import UnparsedTimeframe

    made = 0
    shared = cache.shared_key()
    meta = cache.get(shared)
    if meta is None or not isinstance(meta.get("owl"), str):
        cache.put(shared, _shared_lines(loaded), {"kind": "shared", "owl": loaded.owl()})
        made += 1
    else:
        loaded._owl = meta["owl"]
    lap("ontology")
    if loaded.plans:
        made += _make_plan_fragments(loaded, cache, say, lap)
    unparsed: list[UnparsedTimeframe] = []
    fragments = [shared]
    for path in paths:
        key = loaded.keys[path]
        meta = cache.get(key)
        assert meta is not None, f"no fragment for {path}"  # made above
        fragments.append(key)
        unparsed += [UnparsedTimeframe(*row) for row in meta.get("unparsed", [])]
    return _merge([cache.lines(key) for key in fragments]), unparsed, made


def _merge(streams: list[Iterator[str]]) -> Iterator[str]:
    previous = None
    for line in heapq.merge(*streams):
        if line != previous:
            yield line
            previous = line


def _shared_lines(loaded: Loaded) -> list[str]:
    """The quads no plan owns: ontology, vocabularies, institutions, the derived graph's own
    description and the tagger's."""
    from plangraph.pipeline.compiler import compile_corpus
    from plangraph.pipeline.derive.corpus import TagResult
    from plangraph.pipeline.derive.graph import tags_graph
    from plangraph.pipeline.derive.tagger import DEFAULT_WEIGHTS
    from plangraph.pipeline.loader import Corpus
    from plangraph.rdf.namespaces import DERIVED_GRAPH
    from plangraph.rdf.serialise import nquad_lines

    corpus = loaded.corpus
    empty = Corpus((), corpus.institutions, corpus.institutions_file)
    dataset = compile_corpus(empty, loaded.inputs())
    tags_graph(TagResult({}, {}), DEFAULT_WEIGHTS, dataset.graph(DERIVED_GRAPH))
    return nquad_lines(dataset)


PARALLEL_MIN_ELEMENTS = 3_000
"""From this many elements to tag, plans are compiled and tagged in :data:`PROCESSES` forked
processes (each inherits the tagger built once; the seeds, about 1,300 elements, stay in one)."""
PROCESSES = 2
_STATE: tuple[Loaded, FragmentCache, Any] | None = None


def _make_plan_fragments(
    loaded: Loaded, cache: FragmentCache, say: Say, lap: Callable[[str], None]
) -> int:
    """Compile every changed plan and derive its tags and timeframes with one tagger (built
    once, here), and keep each plan's lines: its named graph, and the derived quads about its
    own IRIs. Large batches run in forked processes; problems of every plan are collected."""
    global _STATE
    from plangraph.pipeline.derive.tagger import DEFAULT_WEIGHTS, Tagger

    inputs = loaded.inputs()
    elements = [sum(1 for _ in plan.walk()) for plan in loaded.plans]
    parallel = PROCESSES > 1 and len(loaded.plans) > 1 and sum(elements) >= PARALLEL_MIN_ELEMENTS
    where = f", in {PROCESSES} processes" if parallel else ""
    say(f"compiling RDF and deriving tags and timeframes, plan by plan{where}")
    tagger = Tagger.of(inputs.vocabularies, loaded.corpus.institutions, DEFAULT_WEIGHTS)
    _STATE = (loaded, cache, tagger)
    try:
        if parallel:
            import multiprocessing

            shares: list[list[int]] = [[] for _ in range(PROCESSES)]
            load = [0] * PROCESSES
            for i in sorted(range(len(elements)), key=lambda i: -elements[i]):
                least = load.index(min(load))
                shares[least].append(i)
                load[least] += elements[i]
            with multiprocessing.get_context("fork").Pool(PROCESSES) as pool:
                done = [item for share in pool.map(_work, shares) for item in share]
        else:
            done = _work(list(range(len(loaded.plans))))
    finally:
        _STATE = None
    problems: list[Problem] = []
    for i, lines, meta, found in done:
        problems += found
        key = loaded.keys[loaded.plans[i].file]
        cache.used.add(key)
        if lines is not None:  # the worker could not write it: kept in memory
            cache.held[key] = (lines, meta)
    if problems:
        raise InputError(problems)
    lap("plans")
    return len(loaded.plans)


def _work(
    indices: list[int],
) -> list[tuple[int, list[str] | None, dict[str, Any], list[Problem]]]:
    """Make the fragments of some plans (in this process or a forked one): each plan's lines
    are written to the cache, and returned only when the cache could not keep them."""
    assert _STATE is not None
    loaded, cache, tagger = _STATE
    out: list[tuple[int, list[str] | None, dict[str, Any], list[Problem]]] = []
    for i in indices:
        plan = loaded.plans[i]
        try:
            lines, meta = _fragment(plan, loaded, tagger, cache.digests)
        except InputError as exc:
            out.append((i, None, {}, exc.problems))
            continue
        key = loaded.keys[plan.file]
        cache.put(key, lines, meta)
        out.append((i, lines if key in cache.held else None, meta, []))
    return out


def _fragment(
    plan: Any, loaded: Loaded, tagger: Any, digests: Digests
) -> tuple[list[str], dict[str, Any]]:
    """One plan's sorted N-Quads lines and what else the build needs of it."""
    from rdflib import Graph

    from plangraph.pipeline.compiler import plan_graph
    from plangraph.pipeline.derive.graph import derive
    from plangraph.pipeline.loader import Corpus
    from plangraph.rdf.namespaces import DERIVED_GRAPH
    from plangraph.rdf.serialise import quad_line

    corpus = loaded.corpus
    one = Corpus(
        (plan,),
        corpus.institutions,
        corpus.institutions_file,
        corpus.institution_lines,
        corpus.institution_index,
    )
    lines = {quad_line(s, p, o, g) for s, p, o, g in _quads(plan_graph(plan))}
    # a plain triple store (adds about twice as fast as rdflib's default): only written out
    derived = derive(
        one, loaded.inputs().vocabularies, graph=Graph(store="SimpleMemory"), tagger=tagger
    )
    # every derived triple of the plan's derivation: its elements' tags and timeframes, and
    # what its resolutions add about shared nodes (a generic agent standsFor a body, the
    # resolution activity); the same triple from two plans is merged once
    for s, p, o in derived.graph:
        lines.add(quad_line(s, p, o, DERIVED_GRAPH))
    meta = {
        "id": plan.id,
        "id_line": plan.lines.get(("plan", "id")),
        "source": plan.record.plan.source,
        "source_digest": digests.of(plan.source.path),
        "unparsed": [[r.plan, r.element, r.field, r.text, r.reason] for r in derived.unparsed],
    }
    return sorted(lines), meta


def _quads(graph: Any) -> Iterator[tuple[Any, Any, Any, Any]]:
    for s, p, o in graph:
        yield s, p, o, graph.identifier
