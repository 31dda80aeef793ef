"""Build the knowledge graph: load plan files, compile RDF, write the outputs atomically.

Outputs in ``build/`` (see docs/architecture.md):

- ``plangraph.trig``: the dataset, one named graph per plan plus ontology, vocabularies,
  institutions and derived graphs;
- ``plangraph.nq``: the same as sorted N-Quads (fast to load into any store, diff-friendly);
- ``plangraph.nt``: the union of all graphs as sorted N-Triples;
- ``plangraph.owl``: the ontology as RDF/XML (for owlready2 / Protégé).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from plangraph.pipeline.compiler import Inputs, compile_corpus
from plangraph.pipeline.derive.graph import UnparsedRow, derive
from plangraph.pipeline.loader import Corpus, load_corpus
from plangraph.pipeline.vocab import load_vocabularies
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.rdf.files import parse_rdf
from plangraph.rdf.namespaces import DERIVED_GRAPH
from plangraph.rdf.serialise import (
    canonical,
    ontology_rdfxml,
    sorted_nquads,
    trig_from_nquads,
    union_ntriples,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    corpus: Corpus
    dataset: Dataset
    outputs: dict[str, Path]
    unparsed: list[UnparsedRow] = field(default_factory=list)


def load_inputs(project: Project) -> Inputs:
    """Parse the ontology and vocabularies of a project (blank nodes labelled canonically)."""
    ontology = parse_rdf(project.ontology_file)
    return Inputs(
        ontology=canonical(ontology), vocabularies=canonical(load_vocabularies(project.vocab_dir))
    )


def build(
    project: Project,
    files: Sequence[Path] | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Load, compile and write the graph of a project. Raises InputError on bad input,
    before anything is written."""
    say = progress or (lambda _msg: None)
    say("loading plan files")
    corpus = load_corpus(project, files)
    say(f"loaded {len(corpus.plans)} plans, {len(corpus.institutions)} institutions")
    inputs = load_inputs(project)
    say("compiling RDF")
    dataset = compile_corpus(corpus, inputs)
    say("deriving tags and timeframes")
    derived = derive(corpus, inputs.vocabularies, graph=dataset.graph(DERIVED_GRAPH))
    out = out_dir or project.build_dir
    nquads = sorted_nquads(dataset)
    outputs = {
        "nquads": out / "plangraph.nq",
        "trig": out / "plangraph.trig",
        "ntriples": out / "plangraph.nt",
        "owl": out / "plangraph.owl",
        "unparsed": out / "timeframes-unparsed.csv",
    }
    say(f"writing {out}")
    write_text(outputs["nquads"], nquads)
    write_text(outputs["trig"], trig_from_nquads(nquads))
    write_text(outputs["ntriples"], union_ntriples(nquads))
    write_text(outputs["owl"], ontology_rdfxml(inputs.ontology))
    write_text(outputs["unparsed"], unparsed_csv(derived.unparsed))
    return BuildResult(corpus, dataset, outputs, derived.unparsed)


def unparsed_csv(rows: Sequence[UnparsedRow]) -> str:
    """The timeframes that could not be placed, as CSV (plan, element, field, text, reason)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["plan", "element", "field", "text", "reason"])
    for row in rows:
        writer.writerow([row.plan, row.element, row.field, row.text, row.reason])
    return buffer.getvalue()
