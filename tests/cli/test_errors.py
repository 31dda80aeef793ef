"""Bad input never ends in a traceback: each problem is printed with its file (and line), the
exit code is 2. Regression tests for the places issue 11 found (broken reference data, broken
shapes, ``report``/``map`` on a dataset file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from plangraph.cli.main import main
from tests.conftest import MakeProject


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def assert_clean_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.output, result.output


def test_broken_gcm_reference_data_names_file_and_line(make_project: MakeProject) -> None:
    root = make_project()
    tsv = root / "ontology" / "vocab" / "sources" / "gcm_objectives.tsv"
    lines = tsv.read_text(encoding="utf-8").splitlines()
    tsv.write_text("\n".join([*lines, "garbage"]) + "\n", encoding="utf-8")
    assert_clean_error(run(root, "build"), f"gcm_objectives.tsv:{len(lines) + 1}:")


def test_broken_shapes_name_the_file(make_project: MakeProject) -> None:
    root = make_project()
    shapes = root / "ontology" / "shapes" / "plangraph-shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\nthis is not turtle .\n")
    assert_clean_error(run(root, "check"), "plangraph-shapes.ttl: cannot parse turtle")


def test_broken_vocabulary_names_the_file(make_project: MakeProject) -> None:
    root = make_project()
    (root / "ontology" / "vocab" / "themes.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    assert_clean_error(run(root, "build"), "themes.ttl: cannot parse turtle")


def test_report_and_map_read_any_rdf_file(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    assert run(root, "build").exit_code == 0
    turtle = tmp_path / "x.ttl"
    turtle.write_text('<http://e/s> <http://e/p> "o" .\n', encoding="utf-8")
    result = run(root, "report", "--data", str(turtle), "--out", str(tmp_path / "report"))
    assert result.exit_code == 0, result.output
    result = run(root, "map", "co-responsibility", "--data", str(turtle), "--format", "csv")
    assert result.exit_code == 0, result.output


def test_report_on_a_broken_file_is_an_error(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    broken = tmp_path / "y.ttl"
    broken.write_text("garbage <\n", encoding="utf-8")
    for args in (
        ("report", "--data", str(broken)),
        ("map", "co-responsibility", "--data", str(broken)),
        ("overlaps", "--data", str(broken)),
        ("query", "reports/plans", "--data", str(broken)),
    ):
        assert_clean_error(run(root, *args), "y.ttl: not valid Turtle")


def test_query_takes_data_and_bare_plan_ids(make_project: MakeProject) -> None:
    root = make_project()
    assert run(root, "build").exit_code == 0
    nquads = root / "build" / "plangraph.nq"
    result = run(
        root, "query", "reports/role-counts", "--data", str(nquads), "-p", "plan=mini-plan"
    )
    assert result.exit_code == 0, result.output
    assert "mini-plan" in result.output and "responsible" in result.output
    assert_clean_error(run(root, "query", "gaps/plans-in-force", "-p", "on=notadate"), "not a date")


def test_project_without_queries_folder_uses_the_shipped_ones(make_project: MakeProject) -> None:
    root = make_project()
    shutil.rmtree(root / "queries")
    result = run(root, "query", "reports/plans", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "mini-plan" in result.output
