"""Every named query must run on a second SPARQL engine, not just Oxigraph: `plangraph query
--endpoint` sends them to any SPARQL 1.1 store. rdflib stands in for "another engine".

Regression: gaps/no-responsible used GROUP_CONCAT over a group whose values were all unbound,
which Oxigraph accepts and rdflib rejects ("Variable role is not bound").
"""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from plangraph.analysis.catalogue import catalogue
from tests.helpers import ROOT, seeds_dataset

QUERIES = catalogue()


@pytest.fixture(scope="module")
def fixture_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(ROOT / "tests" / "data" / "queries" / "fixture.trig", format="trig")
    return ds


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_rdflib(fixture_dataset: Dataset, name: str) -> None:
    query = QUERIES[name]
    prepared = prepareQuery(query.text)
    rows = list(fixture_dataset.query(prepared))
    assert isinstance(rows, list)


# -- what Virtuoso 7 answers wrongly (tests/analysis/test_virtuoso.py runs every query there) --

PG = "https://w3id.org/plangraph/ontology#"

# Each pattern gave wrong rows (or an error) on Virtuoso 7.2 with the seed build; the message
# says what to write instead. docs/endpoint.md ("Queries that run on every engine") explains.
PITFALLS = [
    (
        re.compile(r"rdfs:subClassOf\s*[*+]"),
        "a transitive subclass path: Virtuoso joins two of them (or one with a dataset of more "
        "than eight graphs) wrongly; the subclasses of pg:Intervention are direct, write "
        "`?cls rdfs:subClassOf pg:Intervention`",
    ),
    (
        re.compile(r"BIND\s*\(\s*(NOT\s+)?EXISTS", re.I),
        "a boolean from EXISTS: Virtuoso answers 1/0 integers; write xsd:boolean(EXISTS {...})",
    ),
    (
        re.compile(r"BIND\s*\(\s*(true|false)\s+AS", re.I),
        "a boolean constant: Virtuoso answers 1/0 integers; write xsd:boolean(true/false)",
    ),
    (
        re.compile(r"xsd:boolean\s*\(\s*\"", re.I),
        'a cast of a string to xsd:boolean: Virtuoso casts "false" to true',
    ),
    (
        re.compile(r"COALESCE\s*\([^()]*=\s*\?\w+\s*,\s*true\s*\)", re.I),
        "COALESCE(?x = ?param, true) for an optional parameter: Virtuoso reads the comparison "
        "with an unbound ?param as false; write COALESCE(?param, ?x) = ?x",
    ),
]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_avoids_engine_pitfalls(name: str) -> None:
    text = "\n".join(
        line for line in QUERIES[name].text.splitlines() if not line.lstrip().startswith("#")
    )
    found = [why for pattern, why in PITFALLS if pattern.search(text)]
    assert found == [], f"{name}: {found}"


def test_action_level_classes_are_direct_subclasses() -> None:
    """The queries test action-level membership with one rdfs:subClassOf step (no transitive
    path, see PITFALLS): that is only right while every subclass of pg:Intervention is a direct
    one and nothing is typed pg:Intervention itself."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, RDFS

    onto = Graph().parse(ROOT / "ontology" / "plangraph.ttl")
    top = URIRef(PG + "Intervention")
    direct = set(onto.subjects(RDFS.subClassOf, top))
    closure = set(onto.transitive_subjects(RDFS.subClassOf, top)) - {top}
    assert direct and closure == direct
    from pyoxigraph import NamedNode, RdfFormat, parse

    typed = NamedNode(str(RDF.type)), NamedNode(PG + "Intervention")
    quads = parse(path=str(seeds_dataset()), format=RdfFormat.N_QUADS)
    assert not any((q.predicate, q.object) == typed for q in quads)


def test_publishers_that_take_part_keep_their_elements() -> None:
    """Issue 15, item 12: a publisher row has no element, and Oxigraph dropped the whole
    element list of an institution that also takes part (Virtuoso skips the unbound value):
    the list is built apart, so both engines list every element."""
    import plangraph

    pg = plangraph.open(seeds_dataset(), queries_dir=ROOT / "queries")
    rows = pg.query("overlaps/institutions-across-plans")
    both = rows[rows.roles.str.contains("publisher") & (rows.n_elements > 0)]
    assert len(both) >= 3  # MINTRAB, PGN, SBS in the workshop plan
    for row in both.itertuples():
        assert len(set(str(row.elements).split())) == row.n_elements, row.institution
    alone = rows[rows.roles == "publisher"]
    assert alone.elements.isna().all() and (alone.n_elements == 0).all()
