"""Every named query must run on a second SPARQL engine, not just Oxigraph: `plangraph query
--endpoint` sends them to any SPARQL 1.1 store. rdflib stands in for "another engine".

Regression: gaps/no-responsible used GROUP_CONCAT over a group whose values were all unbound,
which Oxigraph accepts and rdflib rejects ("Variable role is not bound").
"""

from __future__ import annotations

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from plangraph.analysis.catalogue import catalogue
from tests.helpers import ROOT

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
