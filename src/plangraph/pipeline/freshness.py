"""Whether the built graph is current, and building it when it is not.

Every command that reads the graph, and :func:`plangraph.open`, asks :func:`current_build`, so
no answer comes from a graph older than the plan files, sources, institutions, ontology,
vocabularies or plangraph's own code.

A build is current when its published set (see :class:`plangraph.rdf.atomic.OutputSet`) is
whole and was built from inputs with the same content as today's: the set's manifest records
a fingerprint of every input file's bytes. Reading every input on every command would cost
time, so each file's digest is kept in ``build/.cache/digests.json`` beside its size, time
and inode, and a file is read again only when one of those changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from plangraph.project import Project
from plangraph.rdf.atomic import read_manifest

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""plangraph's own code: a change to it may change what a build writes."""
CACHE = ".cache"
"""The folder of an output directory that holds what a later build or validation may reuse."""


class Digests:
    """Content digests of files, remembered by (size, mtime, inode) in a JSON file."""

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.known: dict[str, list[object]] = {}
        self.changed = False
        if store is not None:
            with contextlib.suppress(OSError, ValueError):
                self.known = json.loads(store.read_text(encoding="utf-8"))

    def of(self, path: Path) -> str:
        """The sha256 of a file's bytes ("missing" when it cannot be read)."""
        try:
            stat = path.stat()
        except OSError:
            return "missing"
        key = str(path)
        mark = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        entry = self.known.get(key)
        if entry is not None and entry[:3] == mark:
            return str(entry[3])
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "unreadable"
        self.known[key] = [*mark, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        """Remember the digests for the next process (best effort: a read-only build folder
        only costs a re-read)."""
        if self.store is None or not self.changed:
            return
        from plangraph.rdf.atomic import write_text

        with contextlib.suppress(OSError):
            write_text(self.store, json.dumps(self.known))
        self.changed = False


def _files(folder: Path, pattern: str = "*") -> Iterable[Path]:
    try:
        return sorted(p for p in folder.rglob(pattern) if p.is_file())
    except OSError:
        return []


_CODE: str | None = None


def code_version() -> str:
    """A digest of plangraph's own source files (a code change may change every output)."""
    global _CODE
    if _CODE is None:
        h = hashlib.sha256()
        for path in _files(PACKAGE_DIR, "*.py"):
            h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
        _CODE = h.hexdigest()
    return _CODE


def fingerprint(paths: Iterable[tuple[str, Path]], digests: Digests) -> str:
    """One digest of named files' contents."""
    h = hashlib.sha256()
    for name, path in paths:
        h.update(f"{name}\0{digests.of(path)}\n".encode())
    return h.hexdigest()


def build_inputs(project: Project, files: Iterable[Path] | None = None) -> list[tuple[str, Path]]:
    """Every input of a build, by a stable name: the curated data (plans, sources,
    institutions), the ontology with its shapes and vocabularies."""
    out: list[tuple[str, Path]] = []
    graph = project.graph_dir
    plans = sorted(files) if files is not None else None
    for path in _files(graph):
        if plans is not None and path.parent == project.plans_dir and path.suffix == ".yaml":
            continue
        out.append((f"graph/{path.relative_to(graph)}", path))
    for path in plans or []:
        out.append((f"plan:{path}", path))
    for path in _files(project.ontology_dir):
        out.append((f"ontology/{path.relative_to(project.ontology_dir)}", path))
    return out


def inputs_key(
    project: Project,
    files: Iterable[Path] | None = None,
    out_dir: Path | None = None,
    digests: Digests | None = None,
) -> str:
    """The fingerprint of a build's inputs and plangraph's code, recorded in its manifest.
    ``digests``: the build's own (saved by the build); else the output folder's, when it
    exists."""
    out = out_dir or project.build_dir
    own = digests is None
    if digests is None:
        digests = Digests(out / CACHE / "digests.json" if out.is_dir() else None)
    key = fingerprint(build_inputs(project, files), digests)
    if own:
        digests.save()
    return hashlib.sha256(f"{key}\0{code_version()}".encode()).hexdigest()


def is_fresh(project: Project) -> bool:
    """Whether ``build/`` holds a whole published set built from today's inputs."""
    manifest = read_manifest(project.build_dir)
    return manifest is not None and manifest.get("inputs") == inputs_key(project)


def current_build(
    project: Project, *, rebuild: bool = False, progress: Callable[[str], None] | None = None
) -> Path:
    """``build/plangraph.nq``, built first when it is missing or older than any of its inputs
    (or always, with ``rebuild``); ``progress`` hears what happens."""
    nquads = project.build_dir / "plangraph.nq"
    if rebuild or not is_fresh(project):
        from plangraph.pipeline.build import build  # the build loads rdflib; most callers need not

        if progress is not None:
            progress(f"{nquads} is missing or older than its inputs: building it")
        nquads = build(project, progress=progress, force=rebuild).outputs["nquads"]
    return nquads
