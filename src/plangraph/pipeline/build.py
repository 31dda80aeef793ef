"""Build the knowledge graph: load plan files, compile RDF, publish the outputs as one set.

Outputs in ``build/`` (see docs/architecture.md):

- ``plangraph.trig``: the dataset, one named graph per plan plus ontology, vocabularies,
  institutions and derived graphs;
- ``plangraph.nq``: the same as sorted N-Quads (fast to load into any store, diff-friendly);
- ``plangraph.nt``: the union of all graphs as sorted N-Triples;
- ``plangraph.owl``: the ontology as RDF/XML (for owlready2 / Protégé);
- ``timeframes-unparsed.csv``: the timeframes that could not be placed.

They are written into a new folder and published together (:class:`OutputSet`): a reader,
and :func:`plangraph.pipeline.freshness.is_fresh`, sees the previous build or the new one,
never a mix. A build whose inputs (by content) and code are those of the published set is
not redone.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from plangraph._version import __version__
from plangraph.errors import PlangraphError
from plangraph.pipeline.freshness import CACHE, Digests, inputs_key
from plangraph.pipeline.incremental import FragmentCache, assemble, context_key, load_changed
from plangraph.project import Project
from plangraph.rdf.atomic import OutputSet, read_manifest

Progress = Callable[[str], None]

OUTPUTS = {
    "nquads": "plangraph.nq",
    "trig": "plangraph.trig",
    "ntriples": "plangraph.nt",
    "owl": "plangraph.owl",
    "unparsed": "timeframes-unparsed.csv",
}
"""Each output of a build and its file name in the output folder."""
UNPARSED_COLUMNS = ["plan", "element", "field", "text", "reason"]
_CHUNK = 20_000


@dataclass(frozen=True)
class UnparsedTimeframe:
    """A timeframe the build could not place (a row of ``timeframes-unparsed.csv``)."""

    plan: str
    element: str
    field: str
    text: str
    reason: str


@dataclass(frozen=True)
class BuildResult:
    """What a build produced (or, ``reused``, found already published for the same inputs)."""

    outputs: dict[str, Path]
    plans: tuple[str, ...]
    institutions: int
    quads: int
    digest: str
    """The sha256 of ``plangraph.nq`` (what a cached validation or summary is keyed by)."""
    unparsed: list[UnparsedTimeframe] = field(default_factory=list)
    reused: bool = False
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each phase: load (the authority file and changed plans), ontology (the
    shared fragment), plans (compile and tag the changed plans), write."""
    remade: tuple[str, ...] = ()
    """The plans that were loaded, compiled and tagged again (the others' cached parts were
    reused: see plangraph.pipeline.incremental)."""


def load_inputs(project: Project) -> Any:
    """Parse the ontology and vocabularies of a project (blank nodes labelled canonically)."""
    from plangraph.pipeline.compiler import Inputs
    from plangraph.pipeline.vocab import load_vocabularies
    from plangraph.rdf.files import parse_rdf
    from plangraph.rdf.serialise import canonical

    ontology = parse_rdf(project.ontology_file)
    return Inputs(
        ontology=canonical(ontology), vocabularies=canonical(load_vocabularies(project.vocab_dir))
    )


def build(
    project: Project,
    files: Sequence[Path] | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    force: bool = False,
) -> BuildResult:
    """Load, compile and publish the graph of a project. Raises InputError on bad input,
    before anything is written, and PlangraphError when the outputs cannot be written (the
    previous build then stays published, whole)."""
    say = progress or (lambda _msg: None)
    out = out_dir or project.build_dir
    digests = Digests(out / CACHE / "digests.json")
    key = inputs_key(project, files, out, digests)
    if not force:
        manifest = read_manifest(out)
        if manifest is not None and manifest.get("inputs") == key:
            say(f"{out} is current (same inputs, same code): nothing to build")
            digests.save()
            return _published(out, manifest)
    existed = out.exists()
    try:
        return _build(project, files, out, key, digests, say)
    except BaseException:
        if not existed:  # bad input, an interruption: no build folder left behind
            import shutil

            shutil.rmtree(out, ignore_errors=True)
        raise


def _build(
    project: Project,
    files: Sequence[Path] | None,
    out: Path,
    key: str,
    digests: Digests,
    say: Progress,
) -> BuildResult:
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    from plangraph.pipeline.loader import plan_files

    paths = sorted(files) if files is not None else plan_files(project)
    cache = FragmentCache(out / CACHE / "fragments", context_key(project, digests), digests)
    say("loading plan files")
    fresh = load_changed(project, paths, cache)
    say(f"loaded {len(fresh.plans)} changed plans of {len(paths)}, institutions")
    lap("load")
    lines, unparsed, _made = assemble(project, paths, fresh, cache, say, lap)
    remade = tuple(plan.id for plan in fresh.plans)
    say(f"writing {out}")
    manifest = {
        "inputs": key,
        "version": __version__,
        "plans": fresh.ids,
        "institutions": fresh.institutions,
        "quads": 0,
    }
    published, digest, quads = write_outputs(out, lines, fresh.owl(), unparsed, manifest)
    cache.prune()
    digests.save()
    lap("write")
    return BuildResult(
        published,
        tuple(fresh.ids),
        fresh.institutions,
        quads,
        digest,
        unparsed,
        phases=phases,
        remade=remade,
    )


def _published(out: Path, manifest: dict[str, Any]) -> BuildResult:
    outputs = {kind: out / name for kind, name in OUTPUTS.items()}
    unparsed = []
    try:
        with outputs["unparsed"].open(encoding="utf-8", newline="") as fh:
            unparsed = [UnparsedTimeframe(*row) for row in list(csv.reader(fh))[1:]]
    except (OSError, TypeError, csv.Error):
        pass
    return BuildResult(
        outputs,
        tuple(manifest.get("plans", ())),
        int(manifest.get("institutions", 0)),
        int(manifest.get("quads", 0)),
        str(manifest.get("nquads_sha256", "")),
        unparsed,
        reused=True,
    )


def write_outputs(
    out: Path,
    nquads: Iterable[str],
    owl: str,
    unparsed: Sequence[UnparsedTimeframe],
    manifest: dict[str, Any],
) -> tuple[dict[str, Path], str, int]:
    """Write every output into a new set and publish it (see :class:`OutputSet`). ``nquads``
    are the dataset's N-Quads lines, sorted, without duplicates (a list or a stream). Returns
    the outputs and the sha256 of the N-Quads."""
    try:
        with OutputSet(out, list(OUTPUTS.values())) as outputs:
            digest, quads = _write_nquads_and_ntriples(
                nquads,
                outputs.path(OUTPUTS["nquads"]),
                outputs.path(OUTPUTS["ntriples"]),
                outputs.path(OUTPUTS["trig"]),
            )
            outputs.path(OUTPUTS["owl"]).write_text(owl, encoding="utf-8")
            outputs.path(OUTPUTS["unparsed"]).write_text(unparsed_csv(unparsed), encoding="utf-8")
            outputs.publish({**manifest, "quads": quads, "nquads_sha256": digest})
        (out / CACHE).mkdir(exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = exc.filename or out
        raise PlangraphError(
            f"{where}: cannot write the build ({reason}); the previous build, if any, is "
            "still the published one"
        ) from None
    return {kind: out / name for kind, name in OUTPUTS.items()}, digest, quads


def _write_nquads_and_ntriples(
    lines: Iterable[str], nq_path: Path, nt_path: Path, trig_path: Path
) -> tuple[str, int]:
    """Stream the sorted N-Quads to ``plangraph.nq``, their union graph to ``plangraph.nt``
    (dropping the graph name keeps the order: equal triples of several graphs are adjacent),
    and each graph's lines to a spool file for the TriG writer, which gets them graph by graph.
    Returns the sha256 of the N-Quads and their number."""
    digest = hashlib.sha256()
    spool_dir = nq_path.parent / ".graphs"
    spool_dir.mkdir()
    spools: dict[str, IO[str]] = {}
    try:
        with (
            nq_path.open("w", encoding="utf-8") as nq,
            nt_path.open("w", encoding="utf-8") as nt,
        ):
            previous = None
            count = 0
            nq_chunk: list[str] = []
            nt_chunk: list[str] = []
            for line in lines:
                body, graph, _dot = line.rsplit(" ", 2)
                nq_chunk.append(line)
                count += 1
                if body != previous:
                    nt_chunk.append(body + " .")
                    previous = body
                spool = spools.get(graph)
                if spool is None:
                    name = hashlib.sha256(graph.encode()).hexdigest()[:16]
                    spool = spools[graph] = (spool_dir / name).open("w", encoding="utf-8")
                spool.write(line + "\n")
                if len(nq_chunk) >= _CHUNK:
                    _flush(nq, nq_chunk, digest)
                    _flush(nt, nt_chunk)
            _flush(nq, nq_chunk, digest)
            _flush(nt, nt_chunk)
        for spool in spools.values():
            spool.close()
        _write_trig(trig_path, [spools[g].name for g in sorted(spools)])
    finally:
        for spool in spools.values():
            spool.close()
        import shutil

        shutil.rmtree(spool_dir, ignore_errors=True)
    return digest.hexdigest(), count


def _flush(fh: IO[str], chunk: list[str], digest: Any = None) -> None:
    if chunk:
        text = "\n".join(chunk) + "\n"
        fh.write(text)
        if digest is not None:
            digest.update(text.encode())
        chunk.clear()


def _write_trig(path: Path, spools: list[str]) -> None:
    """TriG from per-graph N-Quads files (in graph order, lines sorted), grouped by graph and
    subject by pyoxigraph's streaming writer."""
    from pyoxigraph import RdfFormat, parse, serialize

    from plangraph.rdf.iris import PREFIXES

    def quads() -> Iterator[Any]:
        for spool in spools:
            yield from parse(path=spool, format=RdfFormat.N_QUADS)

    with path.open("wb") as fh:
        serialize(quads(), fh, format=RdfFormat.TRIG, prefixes=PREFIXES)


def unparsed_csv(rows: Sequence[Any]) -> str:
    """The timeframes that could not be placed, as CSV (plan, element, field, text, reason)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(UNPARSED_COLUMNS)
    for row in rows:
        writer.writerow([row.plan, row.element, row.field, row.text, row.reason])
    return buffer.getvalue()
