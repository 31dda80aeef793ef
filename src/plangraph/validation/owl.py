"""OWL consistency of the compiled graph with owlready2 and the HermiT reasoner (Java).

owlready2 first reads the graph (N-Triples; it cannot read Turtle), which proves OWL tools can
load it; then the HermiT jar that owlready2 ships is run in consistency-check mode (``-k``).
owlready2's own ``sync_reasoner`` also realises every individual and writes the inferences back,
which took 20 s on the seed corpus where the consistency check alone takes about 1 s (measured,
see benchmarks/RESULTS.md).

HermiT supports only the OWL 2 datatype map, so literals typed ``xsd:gYear``, ``xsd:gYearMonth``,
``xsd:date`` or ``xsd:duration`` are left out of its input; no axiom of the ontology constrains
those values, so leaving them out cannot hide an inconsistency.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

UNSUPPORTED_DATATYPES = (
    "http://www.w3.org/2001/XMLSchema#gYear",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#duration",
)
TIMEOUT_S = 600
"""Seconds HermiT may run; override with PLANGRAPH_HERMIT_TIMEOUT (a few million triples need
more, see docs/benchmarks.md)."""
#: smallest JVM heap for HermiT in MB (owlready2's default of 2000 is too small near a million
#: triples); larger inputs get :data:`HEAP_KB_PER_TRIPLE`; PLANGRAPH_JAVA_MEMORY overrides both
DEFAULT_JAVA_MEMORY_MB = 6000
#: heap per input triple: HermiT's JVM peaked at 4.66 GB resident for 955k triples and 9.9 GB
#: for 3.19M (measured 2026-11-27 and 2026-12-01, docs/benchmarks.md); 4 KB leaves it room
HEAP_KB_PER_TRIPLE = 4
#: most of the machine's memory the heap may take when sized by the input
HEAP_SHARE_OF_MEMORY = 0.75
#: below this many triples HermiT runs for seconds, where the JVM's C1-only JIT is faster
#: (1.77 s against 2.09 s on the seeds, measured 2026-11-27); long runs keep C2
SHORT_RUN_TRIPLES = 200_000


def hermit_timeout() -> float:
    """Seconds HermiT may run: PLANGRAPH_HERMIT_TIMEOUT, else :data:`TIMEOUT_S`.

    >>> os.environ.pop("PLANGRAPH_HERMIT_TIMEOUT", None) and None
    >>> hermit_timeout()
    600.0
    """
    from plangraph.errors import PlangraphError

    raw = os.environ.get("PLANGRAPH_HERMIT_TIMEOUT", "").strip()
    if not raw:
        return float(TIMEOUT_S)
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise PlangraphError(
            f"PLANGRAPH_HERMIT_TIMEOUT must be a number of seconds > 0, not {raw!r}"
        )
    return value


def physical_memory_mb() -> int | None:
    """The machine's memory in MB, when the system says."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        return None


def java_memory_mb(triples: int, memory_mb: int | None = None) -> int:
    """The JVM heap HermiT gets for an input of ``triples``: PLANGRAPH_JAVA_MEMORY (MB) when
    set, else :data:`HEAP_KB_PER_TRIPLE` per triple, at least :data:`DEFAULT_JAVA_MEMORY_MB`
    and at most :data:`HEAP_SHARE_OF_MEMORY` of ``memory_mb`` (the machine's by default).

    >>> os.environ.pop("PLANGRAPH_JAVA_MEMORY", None) and None
    >>> java_memory_mb(50_000, 24_000), java_memory_mb(3_200_000, 24_000)
    (6000, 12500)
    >>> java_memory_mb(9_000_000, 24_000)
    18000
    """
    from plangraph.errors import PlangraphError

    raw = os.environ.get("PLANGRAPH_JAVA_MEMORY", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 256:
            raise PlangraphError(
                f"PLANGRAPH_JAVA_MEMORY must be a whole number of MB, at least 256, not {raw!r}"
            )
        return int(raw)
    wanted = max(DEFAULT_JAVA_MEMORY_MB, triples * HEAP_KB_PER_TRIPLE // 1024)
    total = memory_mb if memory_mb is not None else physical_memory_mb()
    if total is not None:
        wanted = min(wanted, max(DEFAULT_JAVA_MEMORY_MB, int(total * HEAP_SHARE_OF_MEMORY)))
    return wanted


@dataclass(frozen=True)
class OwlResult:
    """Outcome of an OWL consistency check: ``consistent`` is None when it could not run."""

    consistent: bool | None
    message: str
    seconds: float
    dropped_literals: int = 0


def reasoner_input(ntriples: str) -> tuple[str, int]:
    """N-Triples without the literals HermiT cannot read, and how many were left out.

    >>> reasoner_input('<a> <b> "2017"^^<http://www.w3.org/2001/XMLSchema#gYear> .\\n<a> <b> <c> .')
    ('<a> <b> <c> .\\n', 1)
    """
    kept, dropped = [], 0
    for line in ntriples.splitlines():
        if any(f"^^<{dt}>" in line for dt in UNSUPPORTED_DATATYPES):
            dropped += 1
            continue
        kept.append(line)
    return "\n".join(kept) + "\n", dropped


def check_consistency(ntriples: str) -> OwlResult:
    """Check that the ontology plus data (N-Triples text) is consistent, with HermiT."""
    start = time.perf_counter()
    import owlready2
    from owlready2 import reasoning

    java = owlready2.JAVA_EXE if shutil.which(owlready2.JAVA_EXE) else shutil.which("java")
    if java is None:
        return OwlResult(None, "Java is not installed (run 'make system-deps')", 0.0)
    text, dropped = reasoner_input(ntriples)

    def elapsed() -> float:
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="plangraph-owl-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text(text, encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises bare exceptions on parse errors
            return OwlResult(None, f"owlready2 could not read the graph: {exc}", elapsed(), dropped)
        finally:
            world.close()
        triples = text.count("\n")
        memory = java_memory_mb(triples)
        short = ["-XX:TieredStopAtLevel=1"] if triples < SHORT_RUN_TRIPLES else []
        command = [
            java,
            f"-Xmx{memory}M",
            *short,
            "-cp",
            reasoning._HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine",
            "-k",
            path.as_uri(),
        ]
        limit = hermit_timeout()
        try:
            proc = subprocess.run(
                command, capture_output=True, text=True, timeout=limit, check=False
            )
        except subprocess.TimeoutExpired:
            return OwlResult(
                None,
                f"HermiT could not run: no answer in {limit:g} s "
                "(set PLANGRAPH_HERMIT_TIMEOUT, seconds, to wait longer)",
                elapsed(),
                dropped,
            )
        except OSError as exc:
            return OwlResult(None, f"HermiT could not run: {exc}", elapsed(), dropped)
    output = proc.stdout + proc.stderr
    if "InconsistentOntologyException" in output or "is not satisfiable" in output:
        return OwlResult(
            False, "HermiT: the ontology and data are inconsistent", elapsed(), dropped
        )
    if proc.returncode == 0 and "is satisfiable" in output:
        return OwlResult(True, "HermiT: consistent", elapsed(), dropped)
    last = [ln for ln in output.strip().splitlines() if ln.strip()][-1:] or ["no output"]
    return OwlResult(None, f"HermiT could not run: {last[0]}", elapsed(), dropped)
