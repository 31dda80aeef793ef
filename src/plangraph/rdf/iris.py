"""plangraph's IRIs as plain strings (no RDF library loads): the base, the prefixes, and the
IRI of a plan. :mod:`plangraph.rdf.namespaces` builds the rdflib namespaces from them."""

from __future__ import annotations

BASE = "https://w3id.org/plangraph/"
"""Every IRI plangraph mints starts here."""

PREFIXES: dict[str, str] = {
    "pg": BASE + "ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "pgplan": BASE + "plan/",
    "pginst": BASE + "institution/",
    "pgvocab": BASE + "vocab/",
}


def plan_ref(plan: str) -> str:
    """A plan's IRI from its id or IRI (anything with a scheme is taken as an IRI).

    >>> plan_ref("gt-ogp-nap6-2023-2025")
    'https://w3id.org/plangraph/plan/gt-ogp-nap6-2023-2025'
    >>> plan_ref("https://w3id.org/plangraph/plan/x")
    'https://w3id.org/plangraph/plan/x'
    """
    return plan if ":" in plan else plan_iri_text(plan)


def plan_iri_text(plan_id: str) -> str:
    """IRI of a plan, as a string.

    >>> plan_iri_text("gt-ogp-nap6-2023-2025")
    'https://w3id.org/plangraph/plan/gt-ogp-nap6-2023-2025'
    """
    return f"{BASE}plan/{plan_id}"
