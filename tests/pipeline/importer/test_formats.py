"""Each format converts: the same small plan as text, Markdown, HTML, CSV, .xlsx, Word and PDF
(tests/pipeline/importer/data/formats/, made by scripts/render_import_fixtures.py) gives the
same lines and the same draft, and the draft passes the loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plangraph.pipeline.importer import ImportOptions, import_document
from plangraph.pipeline.importer.align import line_map
from plangraph.pipeline.importer.formats import convert, sanitise
from plangraph.pipeline.importer.textdoc import clean
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project

from .conftest import FORMATS, RENDERINGS, ROOT

FORMAT_FILES = [
    "plan.txt",
    "plan.md",
    "plan.html",
    "plan.csv",
    "plan.xlsx",
    "plan.docx",
    "plan.pdf",
]
ROW = (
    "Acción 1.1 Capacitar a funcionarios consulares.\t6 meses\tMinisterio de Relaciones Exteriores"
)


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_each_format_converts_with_its_table_rows(name: str) -> None:
    converted = convert(FORMATS / name)
    lines = converted.text.split("\n")
    assert converted.format == {
        "txt": "text", "md": "markdown", "html": "html", "csv": "csv", "xlsx": "xlsx",
        "docx": "docx", "pdf": "pdf",
    }[name.split(".")[1]]  # fmt: skip
    assert ROW in lines  # a table row is one line, its cells separated by tabs
    assert "Objetivo general: Proteger a la niñez migrante." in lines
    assert len(converted.sha256) == 64
    assert converted.text == sanitise(converted.text)  # one line per \n, ends with a newline


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_each_format_drafts_the_same_plan(project: Project, name: str) -> None:
    result = import_document(project, ImportOptions(FORMATS / name, plan_id="prueba", country="GT"))
    data = yaml.safe_load(result.written["plan"].read_text(encoding="utf-8"))
    goal = data["elements"][0]
    assert goal["kind"] == "general_objective"
    result_1 = goal["children"][0]
    assert (result_1["kind"], result_1["code"]) == ("result", "1")
    actions = result_1["children"]
    assert [(a["kind"], a["code"]) for a in actions] == [("action", "1.1"), ("action", "1.2")]
    assert actions[0]["timeframe"] == "6 meses"
    assert actions[0]["institutions"][0]["id"] == "gt-minex"
    assert actions[1]["institutions"][0]["id"] == "gt-pgn"
    assert data["plan"]["period"] == {"start": "2024", "end": "2026"} or name.endswith(".pdf")
    load_corpus(project, [result.written["plan"]])  # what `plangraph check` does


def test_source_and_provenance_are_recorded(project: Project) -> None:
    result = import_document(project, ImportOptions(FORMATS / "plan.docx", plan_id="prueba"))
    source = result.written["source"]
    assert source == project.sources_dir / "prueba.txt"
    assert source.read_text(encoding="utf-8") == result.converted.text
    plan = yaml.safe_load(result.written["plan"].read_text(encoding="utf-8"))["plan"]
    assert plan["source"] == "prueba.txt"
    assert "plan.docx" in plan["note"] and result.converted.sha256 in plan["note"]
    assert "(docx" in plan["note"]


@pytest.mark.parametrize("name", sorted(p.name for p in RENDERINGS.iterdir()))
def test_renderings_of_the_bundled_sources_convert(name: str) -> None:
    """The LibreOffice renderings keep the words of their source, in order."""
    converted = convert(RENDERINGS / name)
    source = ROOT / "graph" / "sources" / f"{Path(name).stem}.txt"
    mapped = line_map(converted.text, source.read_text(encoding="utf-8"))
    lines = [n for n, line in enumerate(converted.text.split("\n"), 1) if clean(line)]
    aligned = sum(1 for n in lines if mapped(n))
    assert aligned / len(lines) > 0.9
    if name.endswith(".pdf"):
        assert converted.pages and converted.pages > 1
        assert "<!-- page 2 -->" in converted.text
