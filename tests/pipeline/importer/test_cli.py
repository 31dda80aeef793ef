"""``plangraph import`` from the command line: what it prints and writes."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from plangraph.cli.main import main
from plangraph.project import Project

from .conftest import FORMATS, RENDERINGS


def test_import_prints_layout_counts_and_files_then_check_passes(project: Project) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["--root", str(project.root), "import", str(RENDERINGS / "001_0bdaad5329b673a8.docx")]
    )
    assert result.exit_code == 0, result.output
    assert "layout: kind-columns" in result.stdout
    assert "drafted 48 elements" in result.stdout
    plan_id = "001-0bdaad5329b673a8"
    for path in (
        project.plans_dir / f"{plan_id}.yaml",
        project.sources_dir / f"{plan_id}.txt",
        project.build_dir / "import" / f"{plan_id}-review.md",
        project.build_dir / "import" / f"{plan_id}-review.json",
    ):
        assert path.is_file(), path
    assert "… converting" in result.stderr  # progress goes to stderr
    check = runner.invoke(main, ["--root", str(project.root), "check"])
    assert check.exit_code == 0, check.output
    review = json.loads((project.build_dir / "import" / f"{plan_id}-review.json").read_text())
    assert review["profile"] == "kind-columns"
    shifted = [i for i in review["items"] if i["category"] == "shifted-cells"]
    assert len(shifted) == 3  # the three rows whose leading merged cells were lost
    markdown = (project.build_dir / "import" / f"{plan_id}-review.md").read_text()
    assert "## Table rows whose cells were shifted" in markdown


def test_json_format(project: Project) -> None:
    result = CliRunner().invoke(
        main,
        ["--root", str(project.root), "import", str(FORMATS / "plan.md"), "--id", "prueba",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["plan_id"] == "prueba"
    assert payload["format"] == "markdown"
    assert payload["elements"] == 4
    assert set(payload["written"]) >= {"source", "plan", "review", "review_json"}


def test_unknown_bodies_are_proposed_not_drafted(project: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "nuevo.txt"
    document.write_text(
        "PLAN 2025\n\nObjetivo general: Proteger a la niñez migrante.\n\n"
        "Acción\tPlazo\tResponsable\n"
        "Acción 1 Crear una red de albergues.\t6 meses\tDirección de Albergues Temporales\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["--root", str(project.root), "import", str(document), "--country", "GT"]
    )
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load((project.plans_dir / "nuevo.yaml").read_text())
    action = plan["elements"][0]["children"][0]
    assert "institutions" not in action  # never a silent guess
    proposed = yaml.safe_load(
        (project.build_dir / "import" / "nuevo-institutions-proposed.yaml").read_text()
    )
    entry = proposed["institutions"][0]
    assert entry["name"] == "Dirección de Albergues Temporales"
    assert entry["id"].startswith("gt-")
    assert entry["mentions"] == [{"source": "nuevo.txt", "lines": "6"}]
    authority = (project.root / "graph" / "institutions.yaml").read_text()
    assert "Albergues Temporales" not in authority
    review = (project.build_dir / "import" / "nuevo-review.md").read_text()
    assert "not in the authority file" in review
