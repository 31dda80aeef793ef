"""The query catalogue reads a user's own ``.rq`` files: a header it cannot use is a clear
error naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.analysis.catalogue import parse_query_file
from plangraph.cli.main import main
from plangraph.errors import PlangraphError
from tests.conftest import MakeProject
from tests.helpers import ROOT, seeds_dataset

UNSELECTED = """# title: Concept labels
# description: A parameter that is not a column.
# param: scheme (IRI, optional) a scheme
# columns: concept, label
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE { ?concept skos:inScheme ?scheme ; skos:prefLabel ?label }
"""


def test_every_shipped_param_is_a_column() -> None:
    for path in sorted((ROOT / "queries").rglob("*.rq")):
        query = parse_query_file(path, path.stem)
        assert {p.name for p in query.params} <= set(query.columns), path


def test_a_param_the_query_does_not_select_is_a_clear_error(
    tmp_path: Path, make_project: MakeProject
) -> None:
    """Regression: binding it ended in a RuntimeError traceback from the engine."""
    path = tmp_path / "labels.rq"
    path.write_text(UNSELECTED, encoding="utf-8")
    with pytest.raises(PlangraphError, match="'# param: scheme' is not one of the query's"):
        parse_query_file(path, "labels")
    root = make_project()
    queries = root / "queries" / "mine"
    queries.mkdir()
    (queries / "labels.rq").write_text(UNSELECTED, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "--root",
            str(root),
            "query",
            "mine/labels",
            "--data",
            str(seeds_dataset()),
            "-p",
            "scheme=https://w3id.org/plangraph/vocab/population",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "is not one of the query's columns" in result.output
    assert "Traceback" not in result.output
