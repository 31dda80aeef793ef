"""Namespaces and the deterministic IRIs plangraph mints."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

from plangraph.rdf.iris import BASE, plan_iri_text

PG = Namespace("https://w3id.org/plangraph/ontology#")
PGSH = Namespace("https://w3id.org/plangraph/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
VOCAB = Namespace(BASE + "vocab/")
RFC5147 = URIRef("http://tools.ietf.org/rfc/rfc5147")

ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
INSTITUTIONS_GRAPH = URIRef(BASE + "graph/institutions")
VOCAB_GRAPH = URIRef(BASE + "graph/vocabularies")
DERIVED_GRAPH = URIRef(BASE + "graph/derived")


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lowercase ASCII slug for IRI path segments.

    >>> slug("Hito 3")
    'hito-3'
    >>> slug("1.1")
    '1.1'
    >>> slug("IV.")
    'iv'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [_NON_SLUG.sub("-", p).strip("-") for p in ascii_text.split(".")]
    return ".".join(p for p in parts if p) or "x"


def plan_iri(plan_id: str) -> URIRef:
    """IRI of a plan."""
    return URIRef(plan_iri_text(plan_id))


def plan_graph_iri(plan_id: str) -> URIRef:
    """IRI of the named graph holding what a plan asserts."""
    return URIRef(f"{BASE}graph/plan/{plan_id}")


def institution_iri(institution_id: str) -> URIRef:
    """IRI of an institution of the authority file."""
    return URIRef(f"{BASE}institution/{institution_id}")


def source_iri(file_name: str) -> URIRef:
    """IRI of a source document in graph/sources/."""
    return URIRef(f"{BASE}source/{file_name}")


def concept_iri(scheme: str, concept_id: str) -> URIRef:
    """IRI of a concept of one of plangraph's SKOS schemes."""
    return URIRef(f"{BASE}vocab/{scheme}/{concept_id}")


def scheme_iri(scheme: str) -> URIRef:
    """IRI of one of plangraph's SKOS concept schemes."""
    return URIRef(f"{BASE}vocab/{scheme}")
