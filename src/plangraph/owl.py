"""OWL consistency of the compiled graph with owlready2 and the HermiT reasoner (Java).

owlready2 reads N-Triples, not Turtle; HermiT supports only the OWL 2 datatype map, so literals
of other datatypes (``xsd:gYear``, ``xsd:gYearMonth``) are left out of the reasoner's input.
No axiom of the ontology constrains them, so this cannot hide an inconsistency.
"""

from __future__ import annotations

import contextlib
import io
import shutil
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


@dataclass(frozen=True)
class OwlResult:
    """Outcome of an OWL consistency check: ``consistent`` is None when it could not run."""

    consistent: bool | None
    message: str
    seconds: float
    dropped_literals: int = 0


def _reasoner_input(ntriples: str) -> tuple[str, int]:
    kept, dropped = [], 0
    for line in ntriples.splitlines():
        if any(f"^^<{dt}>" in line for dt in UNSUPPORTED_DATATYPES):
            dropped += 1
            continue
        kept.append(line)
    return "\n".join(kept) + "\n", dropped


def check_consistency(ntriples: str) -> OwlResult:
    """Run HermiT on the ontology plus data given as N-Triples text."""
    start = time.perf_counter()
    if shutil.which("java") is None:
        return OwlResult(None, "Java is not installed (run 'make system-deps')", 0.0)
    import owlready2

    text, dropped = _reasoner_input(ntriples)
    with tempfile.TemporaryDirectory(prefix="plangraph-owl-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text(text, encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises bare exceptions on parse errors
            return OwlResult(None, f"owlready2 could not read the graph: {exc}",
                             time.perf_counter() - start, dropped)
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return OwlResult(False, "HermiT: the ontology and data are inconsistent",
                             time.perf_counter() - start, dropped)
        except Exception as exc:  # Java errors surface as CalledProcessError or OSError
            detail = str(exc).strip().splitlines()[-1:] or [type(exc).__name__]
            return OwlResult(None, f"HermiT could not run: {detail[0]}",
                             time.perf_counter() - start, dropped)
        finally:
            world.close()
    return OwlResult(True, "HermiT: consistent", time.perf_counter() - start, dropped)
