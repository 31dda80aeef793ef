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

from rdflib import Dataset, Graph

from plangraph.pipeline.compiler import Inputs, compile_corpus
from plangraph.pipeline.derive.graph import UnparsedRow, derive
from plangraph.pipeline.loader import Corpus, load_corpus
from plangraph.pipeline.vocab import load_vocabularies
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.rdf.namespaces import DERIVED_GRAPH

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    corpus: Corpus
    dataset: Dataset
    outputs: dict[str, Path]
    unparsed: list[UnparsedRow] = field(default_factory=list)


def canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled canonically (RGDA1), so that parsing the same
    files twice gives byte-identical output (rdflib labels blank nodes at random)."""
    from rdflib.compare import to_canonical_graph

    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def load_inputs(project: Project) -> Inputs:
    """Parse the ontology and vocabularies of a project (blank nodes labelled canonically)."""
    ontology = Graph().parse(project.ontology_file, format="turtle")
    return Inputs(
        ontology=canonical(ontology), vocabularies=canonical(load_vocabularies(project.vocab_dir))
    )


def sorted_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, lines sorted, so equal datasets give equal bytes."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def union_ntriples(nquads: str) -> str:
    """Drop the graph names of sorted N-Quads: the union graph as sorted N-Triples."""
    from pyoxigraph import RdfFormat, parse, serialize

    triples = {q.triple for q in parse(nquads.encode(), format=RdfFormat.N_QUADS)}
    body = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert body is not None
    lines = sorted({line for line in body.decode().splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def trig_from_nquads(nquads: str) -> str:
    """TriG of a dataset from its sorted N-Quads, grouped by graph and subject (deterministic:
    pyoxigraph keeps the canonical blank node labels and the input order)."""
    from pyoxigraph import RdfFormat, parse, serialize

    from plangraph.rdf.namespaces import PREFIXES

    quads = list(parse(nquads.encode(), format=RdfFormat.N_QUADS))
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject)))
    body = serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIXES)
    assert body is not None
    return body.decode()


def ontology_rdfxml(ontology: Graph) -> str:
    """The ontology as RDF/XML with sorted triples (pyoxigraph writes lists as plain triples,
    which rdflib's RDF/XML writer cannot)."""
    from pyoxigraph import RdfFormat, parse, serialize

    nt = ontology.serialize(format="nt")
    lines = sorted({ln for ln in nt.splitlines() if ln.strip()})
    triples = list(parse("\n".join(lines).encode(), format=RdfFormat.N_TRIPLES))
    body = serialize(triples, format=RdfFormat.RDF_XML)
    assert body is not None
    return body.decode()


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
