"""The SPARQL 1.1 Service Description of the endpoint: formats, dataset, limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plangraph.serve.config import ServerConfig

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_NAMES = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
)  # fmt: skip
"""The formats the endpoint writes, by their W3C names (http://www.w3.org/ns/formats/). Not
pyoxigraph's ``RdfFormat.JSON_LD.iri``, which is ``https://www.w3.org/ns/formats/data/JSON-LD``
and names no format."""
SD_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "formats": FORMATS,
}


@dataclass
class DatasetInfo:
    """What the served dataset holds: triples per named graph, and quads in all."""

    graphs: dict[str, int] = field(default_factory=dict)
    quads: int = 0
    id: str = ""
    """A hash of the data file (and the versions that shape answers): the seed of ETags."""


def service_description(endpoint: str, info: DatasetInfo, config: ServerConfig) -> list[Any]:
    """The description as pyoxigraph triples, grouped by subject."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    def sd(local: str) -> Any:
        return NamedNode(SD + local)

    xsd_integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    a = NamedNode(RDF_TYPE)
    service = NamedNode(endpoint)
    dataset, default = BlankNode("dataset"), BlankNode("default")
    out = [
        Triple(service, a, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(
            service,
            NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                "plangraph SPARQL endpoint. Read-only (no SPARQL Update), SERVICE disabled, "
                f"time limit {config.timeout:g} s per query, at most {config.max_results} "
                f"result rows or triples, request bodies up to {config.max_body} bytes. "
                "The default graph is the union of all named graphs.",
                language="en",
            ),
        ),
        Triple(dataset, a, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, a, sd("Graph")),
        Triple(
            default, NamedNode(VOID + "triples"), Literal(str(info.quads), datatype=xsd_integer)
        ),
    ]
    for name in RESULT_FORMAT_NAMES:
        out.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + name)))
    for i, (graph, count) in enumerate(sorted(info.graphs.items())):
        node, g = BlankNode(f"ng{i}"), BlankNode(f"g{i}")
        out += [
            Triple(dataset, sd("namedGraph"), node),
            Triple(node, a, sd("NamedGraph")),
            Triple(node, sd("name"), NamedNode(graph)),
            Triple(node, sd("graph"), g),
            Triple(g, a, sd("Graph")),
            Triple(g, NamedNode(VOID + "triples"), Literal(str(count), datatype=xsd_integer)),
        ]
    order = {node: i for i, node in enumerate(dict.fromkeys(t.subject for t in out))}
    return sorted(out, key=lambda t: order[t.subject])
