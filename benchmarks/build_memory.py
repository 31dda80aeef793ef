"""Prototype: the build's peak memory with the derived graph written once, not copied.

    python benchmarks/build_memory.py --root /path/to/generated/project [--direct]

``plangraph.pipeline.build.build`` derives tags and timeframes into a new rdflib ``Graph`` and
then adds
every triple of it to the dataset's derived graph, so at the end of the derive phase the derived
triples are held twice. With ``--direct`` the tagger's graph *is* the dataset's derived graph
(``plangraph.pipeline.derive.tagger.Graph`` is swapped for a factory returning it), so nothing is
copied; the
written N-Quads are compared byte for byte with a normal build's.

Each phase's peak RSS is measured as in ``benchmarks/run.py`` (``measure.Meter``). Run the two
variants in separate processes to compare them.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from measure import Meter

from plangraph.pipeline.build import load_inputs
from plangraph.pipeline.compiler import compile_corpus
from plangraph.pipeline.derive import tagger as tagger
from plangraph.pipeline.derive.graph import derive
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from plangraph.rdf.namespaces import DERIVED_GRAPH
from plangraph.rdf.serialise import sorted_nquads


def main() -> None:
    """Run load → compile → derive → N-Quads and print each phase's time and peak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--direct", action="store_true", help="derive into the dataset graph")
    args = parser.parse_args()
    meter = Meter()
    project = Project(args.root)
    corpus = meter.run("load plan files", lambda: load_corpus(project))
    inputs = meter.run("parse ontology + vocabularies", lambda: load_inputs(project))
    dataset = meter.run("compile", lambda: compile_corpus(corpus, inputs))
    meter.begin("derive" + (" (into the dataset graph)" if args.direct else " (+ copy)"))
    target = dataset.graph(DERIVED_GRAPH)
    if args.direct:
        namespace = vars(tagger)
        original = namespace["Graph"]

        def same_graph(*_args: Any, **_kwargs: Any) -> Any:
            return target

        namespace["Graph"] = same_graph
        try:
            derive(corpus, inputs.vocabularies)
        finally:
            namespace["Graph"] = original
    else:
        derived = derive(corpus, inputs.vocabularies)
        for triple in derived.graph:
            target.add(triple)
        del derived
    meter.end()
    nquads = meter.run("sorted N-Quads", lambda: sorted_nquads(dataset))
    digest = hashlib.sha256(nquads.encode()).hexdigest()[:16]
    print(f"{nquads.count(chr(10))} quads, sha256 {digest}")


if __name__ == "__main__":
    main()
