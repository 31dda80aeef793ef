"""Layouts are data: editing a profile's YAML changes what is drafted, with no code change."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from click.testing import CliRunner

from plangraph.cli.main import main
from plangraph.pipeline.importer import ImportOptions, import_document
from plangraph.pipeline.importer.profile import bundled_names, load_profile
from plangraph.project import Project

DOCUMENT = """PLAN DE TRABAJO 2025

Tarea\tFecha límite\tEncargado
Revisar el protocolo de recepción.\tMarzo 2025\tProcuraduría General de la Nación
Capacitar al personal de los albergues.\tJunio 2025\tSecretaría de Bienestar Social
"""


def _bundled(name: str) -> dict[str, object]:
    folder = resources.files("plangraph.pipeline.importer") / "profiles"
    data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(path: Path, data: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bundled_profiles_load_and_describe_families() -> None:
    names = bundled_names()
    assert {"labelled-outline", "numbered-outline", "kind-columns", "commitment-template"} <= set(
        names
    )
    for name in names:
        profile = load_profile(name)
        assert profile.description and profile.expects
        assert profile.kinds  # inherited from base


def test_unknown_column_names_find_nothing_until_a_profile_names_them(
    project: Project, tmp_path: Path
) -> None:
    document = tmp_path / "trabajo.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(project.root), "import", str(document)])
    assert result.exit_code == 2
    assert "no plan element found" in result.output

    # a user copies the matrix profile and names this document's columns
    data = _bundled("kind-columns")
    data["name"] = "work-plan"
    data["kinds"] = {"action": ["tarea", "tareas"]}
    data["fields"] = {"end": ["fecha limite"], "responsible": ["encargado"]}
    profile = _write(tmp_path / "work-plan.yaml", data)
    result = import_document(
        project, ImportOptions(document, plan_id="trabajo", layout=str(profile), country="GT")
    )
    assert result.profile == "work-plan"
    plan = yaml.safe_load(result.written["plan"].read_text(encoding="utf-8"))
    tasks = plan["elements"]
    assert [t["kind"] for t in tasks] == ["action", "action"]
    assert tasks[0]["end"] == "Marzo 2025"
    assert tasks[0]["institutions"] == [
        {
            "id": "gt-pgn",
            "role": "responsible",
            "text": "Procuraduría General de la Nación",
            "lines": 4,
        }
    ]
    assert tasks[1]["institutions"][0]["id"] == "gt-sbs"


def test_numbering_levels_are_data(project: Project, tmp_path: Path) -> None:
    document = tmp_path / "esquema.txt"
    document.write_text(
        "PLAN 2025\n\nI. Proteger a la niñez.\n1. Niñez protegida.\n1.1 Crear albergues.\n",
        encoding="utf-8",
    )
    result = import_document(
        project, ImportOptions(document, plan_id="esquema", layout="numbered-outline")
    )
    plan = yaml.safe_load(result.written["plan"].read_text(encoding="utf-8"))
    line = plan["elements"][0]
    assert (line["kind"], line["children"][0]["kind"]) == ("strategic_line", "result")
    assert line["children"][0]["children"][0]["kind"] == "action"

    data = _bundled("numbered-outline")
    data["name"] = "axes-and-activities"
    data["numbering"] = [
        {"scheme": "roman", "kind": "axis"},
        {"scheme": "number", "kind": "specific_objective"},
        {"scheme": "number.number", "kind": "activity"},
    ]
    profile = _write(tmp_path / "axes.yaml", data)
    result = import_document(
        project,
        ImportOptions(document, plan_id="esquema", layout=str(profile), force=True),
    )
    plan = yaml.safe_load(result.written["plan"].read_text(encoding="utf-8"))
    axis = plan["elements"][0]
    objective = axis["children"][0]
    assert (axis["kind"], objective["kind"]) == ("axis", "specific_objective")
    # an activity may stand under no objective, axis or the plan (ontology/shapes): it is not
    # drafted, and the review list says why
    assert "children" not in objective
    review = result.written["review"].read_text(encoding="utf-8")
    assert "an activity may not stand under specific_objective 1" in review
