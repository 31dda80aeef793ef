"""SHACL by units: the union graph cut into units (a plan, or a family of other subjects),
each validated on its own, in parallel on large graphs, with each unit's results kept by the
digest of its text so an unchanged unit is never validated twice.

A unit's subjects are validated on

- T1: every triple whose subject is one of them (a node's whole description), and
- T2: every triple whose subject is an object of T1 other than a class (one hop beyond: an
  institution's type, a concept's scheme; the ontology comes in as ``ont_graph``),

and only results whose focus node is one of the unit's own subjects (or a blank node) are
kept. That gives exactly the results of pyshacl over the whole graph when no shape needs the
description of a node more than one hop from its focus, when no shape targets the objects
of a property, and when every path is a plain property: :func:`split_allowed` reads the
shapes and says so (else validation runs on the whole graph). The equality is tested on the
seed plans and on generated corpora with injected errors (tests/validation/test_validate.py,
``benchmarks/shacl_split.py --check``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from plangraph.rdf.iris import BASE
from plangraph.validation.shacl import ShaclResult, _short, run_shacl

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PLAN_PREFIX = f"<{BASE}plan/"
UNIT_TRIPLES = 10_000
"""Units are batched to about this many triples (pyshacl is superlinear in the graph size, and
each call has a fixed cost: 4k-10k triples per unit was fastest at ~1M quads)."""
OWN_UNIT_TRIPLES = 2_000
"""A plan with at least this many triples is a unit of its own (smaller ones are batched), so
editing one plan revalidates that plan's unit and no other."""
POOL_MIN_TRIPLES = 150_000
"""Below this many triples to validate, units run in this process (a pool costs more than it
saves: measured no gain below ~100k)."""
PROCESSES = 2


@dataclass(frozen=True)
class Unit:
    """A unit of validation: its N-Triples text, the subjects it owns (short forms) and its
    name (the first and last groups it holds)."""

    name: str
    text: str
    owned: frozenset[str]
    triples: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def split_allowed(shapes: Graph) -> str | None:
    """Why the shapes need the whole graph, or ``None`` when validating by units gives the
    same results (every path a plain property, no SPARQL, no ``sh:targetObjectsOf``, no shape
    needing a description further than one hop from its focus)."""
    if (None, SH.targetObjectsOf, None) in shapes:
        return "a shape targets the objects of a property (sh:targetObjectsOf)"
    if (None, SH.nodeKind, None) in shapes:
        return "a shape tests node kinds (blank nodes are named while a unit is validated)"
    for predicate in (SH.sparql, SH.select, SH.ask):
        if (None, predicate, None) in shapes:
            return "a shape uses SPARQL"
    for path in shapes.objects(None, SH.path):
        if not isinstance(path, URIRef):
            return "a shape has a property path other than a plain property"
    for shape in set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetSubjectsOf, None)
    ):
        if _hops(shapes, shape, set()) > 1:
            return f"shape {shape} looks more than one hop from its focus"
    return None


def _members(shapes: Graph, node: Any) -> list[Any]:
    """The shapes a logical constraint lists (sh:or, sh:and, sh:xone lists; sh:not)."""
    out: list[Any] = list(shapes.objects(node, SH["not"]))
    for key in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(node, key):
            out += list(shapes.items(head))
    return out


def _hops(shapes: Graph, shape: Any, seen: set[Any]) -> int:
    """How many hops from its focus node a shape needs node descriptions of (0: the focus's
    own triples)."""
    if shape in seen:
        return 0
    seen = seen | {shape}
    need = 0
    for nested in [*shapes.objects(shape, SH.node), *_members(shapes, shape)]:
        need = max(need, _hops(shapes, nested, seen))  # the same focus
    for prop in shapes.objects(shape, SH.property):
        need = max(need, _value_hops(shapes, prop, seen))
    if (shape, SH.path, None) in shapes:
        need = max(need, _value_hops(shapes, shape, seen))
    return need


def _value_hops(shapes: Graph, prop: Any, seen: set[Any]) -> int:
    """What a property shape needs: its values are in the focus's description; a constraint
    on a value's own triples (sh:class, sh:node, a qualified shape, a logical one) needs the
    value's description, one hop further."""
    need = 0
    if (prop, SH["class"], None) in shapes:
        need = 1
    value_shapes = [
        *shapes.objects(prop, SH.node),
        *shapes.objects(prop, SH.qualifiedValueShape),
        *_members(shapes, prop),
    ]
    for nested in value_shapes:
        inner = _hops(shapes, nested, seen)
        local = 1 if _needs_description(shapes, nested) else 0
        need = max(need, inner + 1 if (inner or local) else 0)
    for nested in shapes.objects(prop, SH.property):
        need = max(need, 1 + _value_hops(shapes, nested, seen))
    return need


def _needs_description(shapes: Graph, shape: Any) -> bool:
    """Whether a shape applied to a value reads the value's triples (and not just its term)."""
    return any(
        (shape, key, None) in shapes for key in (SH["class"], SH.property, SH.path, SH.node)
    ) or any(_needs_description(shapes, m) for m in _members(shapes, shape))


def _group(subject: str) -> str:
    """The group of a subject: its plan, or a family of IRIs (vocabulary scheme, institutions,
    the ontology's terms), or blank nodes."""
    if subject.startswith(PLAN_PREFIX):
        return "plan:" + subject[len(PLAN_PREFIX) :].split("/", 1)[0].rstrip(">")
    if subject.startswith("_:"):
        return "blank"
    iri = subject[1:-1]
    family = iri.split("#", 1)[0] if "#" in iri else iri.rsplit("/", 1)[0]
    return "other:" + family


def split_units(ntriples: str, unit_triples: int = UNIT_TRIPLES) -> list[Unit]:
    """Cut the union graph (sorted N-Triples, as plangraph writes them) into units."""
    desc: dict[str, list[str]] = defaultdict(list)
    for line in ntriples.splitlines():
        if not line or line.startswith("#"):
            continue
        subject = line[: line.index(" ")]
        desc[subject].append(line)
    by_group: dict[str, list[str]] = defaultdict(list)
    for subject in desc:
        by_group[_group(subject)].append(subject)
    batches: list[tuple[list[str], list[str]]] = []
    batch: list[str] = []
    names: list[str] = []
    size = 0
    for group in sorted(by_group):
        subjects = by_group[group]
        triples = sum(len(desc[s]) for s in subjects)
        if group.startswith("plan:") and triples >= OWN_UNIT_TRIPLES:
            batches.append(([group], subjects))  # its own unit: an edit revalidates it alone
            continue
        batch += subjects
        names.append(group)
        size += triples
        if size >= unit_triples:
            batches.append((names, batch))
            batch, names, size = [], [], 0
    if batch:
        batches.append((names, batch))
    empty = Graph()
    units = []
    for names, subjects in batches:
        lines: set[str] = set()
        hop: set[str] = set()
        for s in subjects:
            for line in desc[s]:
                lines.add(line)
                rest = line[len(s) + 1 :]
                predicate, _sp, obj = rest.partition(" ")
                obj = obj[: -len(" .")]
                if predicate != RDF_TYPE and (obj.startswith("<") or obj.startswith("_:")):
                    hop.add(obj)
        for o in hop:
            lines.update(desc.get(o, ()))
        owned = frozenset(
            _short(URIRef(s[1:-1]), empty) if s.startswith("<") else s for s in subjects
        )
        name = names[0] if len(names) == 1 else f"{names[0]} … {names[-1]} ({len(names)} groups)"
        units.append(Unit(name, "\n".join(sorted(lines)) + "\n", owned, len(lines)))
    return units


# -- running units -----------------------------------------------------------------------------

_SHAPES: Graph | None = None
_ONTOLOGY: Graph | None = None
_UNITS: list[Unit] = []


SKOLEM = "urn:x-plangraph-bnode:"
"""Blank nodes of a unit become IRIs while it is validated (a parser would relabel them, and a
result on a blank node could not be told apart from another unit's), and are written back as
``_:label``: the canonical labels of the build."""


def _skolem(term: str) -> str:
    return f"<{SKOLEM}{term[2:]}>" if term.startswith("_:") else term


def _unskolem(text: str | None) -> str | None:
    if text is not None and text.startswith(SKOLEM):
        return "_:" + text[len(SKOLEM) :]
    return text


def _skolemised(text: str) -> str:
    if "_:" not in text:
        return text
    out = []
    for line in text.splitlines():
        if "_:" in line:
            subject, _sp, rest = line.partition(" ")
            predicate, _sp, obj = rest.partition(" ")
            line = f"{_skolem(subject)} {predicate} {_skolem(obj[: -len(' .')])} ."
        out.append(line)
    return "\n".join(out) + "\n"


def _validate_unit(index: int) -> list[ShaclResult]:
    """Parse one unit, validate it, keep the results on its own foci (in a pool worker, the
    shapes, ontology and units are inherited from the parent)."""
    assert _SHAPES is not None and _ONTOLOGY is not None
    unit = _UNITS[index]
    data = Graph().parse(data=_skolemised(unit.text), format="nt")
    kept = []
    for r in run_shacl(data, _SHAPES, _ONTOLOGY, consume=True):
        focus = _unskolem(r.focus)
        if focus in unit.owned:
            kept.append(replace(r, focus=focus or "", value=_unskolem(r.value)))
    return kept


def prepare(shapes: Graph, ontology: Graph, units: list[Unit]) -> None:
    """Set what pool workers read: call before forking them."""
    global _SHAPES, _ONTOLOGY, _UNITS
    _SHAPES, _ONTOLOGY, _UNITS = shapes, ontology, units


class UnitCache:
    """Each unit's results, by the digest of its text and of what validation depends on (the
    shapes, the ontology, pyshacl's version and plangraph's code)."""

    def __init__(self, folder: Path | None, context: str) -> None:
        self.folder = folder
        self.context = context
        self.used: set[str] = set()

    def key(self, unit: Unit) -> str:
        return hashlib.sha256(f"{self.context}\0{unit.digest}".encode()).hexdigest()

    def get(self, unit: Unit) -> list[ShaclResult] | None:
        if self.folder is None:
            return None
        key = self.key(unit)
        try:
            rows = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            results = [ShaclResult(**row) for row in rows]
        except (OSError, ValueError, TypeError):
            return None
        self.used.add(key)
        return results

    def put(self, unit: Unit, results: Sequence[ShaclResult]) -> None:
        if self.folder is None:
            return
        key = self.key(unit)
        self.used.add(key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps([asdict(r) for r in results]), encoding="utf-8")
            os.replace(tmp, self.folder / f"{key}.json")

    def prune(self) -> None:
        """Forget units this validation did not use (a cache for one project's latest build)."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)


def validate_whole(
    units: list[Unit], union: str, shapes: Graph, ontology: Graph, cache: UnitCache
) -> list[ShaclResult]:
    """The whole graph in one pyshacl run (faster than units when none is cached and the graph
    is small), its results then kept for each unit: those on the unit's own subjects, which are
    what validating the unit gives (blank nodes named as in a unit)."""
    data = Graph().parse(data=_skolemised(union), format="nt")
    results = [
        replace(r, focus=_unskolem(r.focus) or "", value=_unskolem(r.value))
        for r in run_shacl(data, shapes, ontology, consume=True)
    ]
    owner = {subject: unit for unit in units for subject in unit.owned}
    by_unit: dict[int, list[ShaclResult]] = {id(u): [] for u in units}
    for r in results:
        if r.focus in owner:
            by_unit[id(owner[r.focus])].append(r)
    for unit in units:
        cache.put(unit, by_unit[id(unit)])
    cache.prune()
    return results


@dataclass
class SplitRun:
    """The results of a validation by units and what it cost."""

    results: list[ShaclResult]
    units: int
    validated: int
    """Units validated now (the others' results came from the cache)."""
    triples_validated: int
    pooled: bool


def validate_units(
    units: list[Unit],
    shapes: Graph,
    ontology: Graph,
    cache: UnitCache,
    *,
    processes: int = PROCESSES,
    pool_min_triples: int = POOL_MIN_TRIPLES,
    pool: Any = None,
) -> SplitRun:
    """Results of every unit: from the cache, or validated (in a pool of worker processes when
    enough triples are left to validate); de-duplicated and sorted as ``run_shacl`` sorts."""
    global _UNITS
    found: set[ShaclResult] = set()
    todo: list[int] = []
    for i, unit in enumerate(units):
        cached = cache.get(unit)
        if cached is None:
            todo.append(i)
        else:
            found.update(cached)
    todo.sort(key=lambda i: -units[i].triples)  # the largest first: the pool ends together
    triples = sum(units[i].triples for i in todo)
    pooled = len(todo) > 1 and (pool is not None or (triples >= pool_min_triples and processes > 1))
    prepare(shapes, ontology, units)
    outcomes: list[list[ShaclResult]]
    try:
        if pooled and pool is not None:  # forked by the caller, after these were set
            outcomes = pool.map(_validate_unit, todo, chunksize=1)
        elif pooled:
            with multiprocessing.get_context("fork").Pool(processes) as own:
                outcomes = own.map(_validate_unit, todo, chunksize=1)
        else:
            outcomes = [_validate_unit(i) for i in todo]
    finally:
        _UNITS = []
    for i, kept in zip(todo, outcomes, strict=True):
        cache.put(units[i], kept)
        found.update(kept)
    cache.prune()
    results = sorted(
        found, key=lambda r: (r.severity != "Violation", r.shape, r.focus, r.path or "")
    )
    return SplitRun(results, len(units), len(todo), triples, pooled)


def shapes_context(shapes_text: str, ontology_text: str) -> str:
    """What every unit's results depend on besides its own text."""
    from importlib.metadata import version

    from plangraph.pipeline.freshness import code_version

    h = hashlib.sha256()
    for part in (shapes_text, ontology_text, version("pyshacl"), code_version()):
        h.update(part.encode() + b"\0")
    return h.hexdigest()
