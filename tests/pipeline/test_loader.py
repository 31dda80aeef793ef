"""Loader errors: each names file, line and field, exits 2, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli.main import main
from plangraph.errors import InputError
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from tests.conftest import MINI_INSTITUTIONS, MINI_PLAN, MakeProject


def _build(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "build"])
    return result.exit_code, result.output


def test_mini_project_loads(make_project: MakeProject) -> None:
    corpus = load_corpus(Project(make_project()))
    assert [p.id for p in corpus.plans] == ["mini-plan"]
    assert sum(1 for _ in corpus.plans[0].walk()) == 3


def test_mini_project_builds(make_project: MakeProject) -> None:
    root = make_project()
    code, output = _build(root)
    assert code == 0, output
    assert (root / "build" / "plangraph.nq").is_file()
    assert "1 plans" in output


# case: (plan text, the text on the line the error must name, what the message must say)
BAD_CASES = {
    "malformed-yaml": (
        MINI_PLAN.replace("source: mini.txt", "source: mini.txt: x"),
        "source: mini.txt: x",
        "malformed YAML",
    ),
    "unknown-field": (
        MINI_PLAN.replace("  status: adopted", "  status: adopted\n  colour: red"),
        "colour: red",
        "plan.colour: unknown field",
    ),
    "unknown-kind": (
        MINI_PLAN.replace("kind: result", "kind: resultado"),
        "kind: resultado",
        "elements[0].children[0].kind",
    ),
    "unknown-institution": (
        MINI_PLAN.replace("id: xx-minex", "id: xx-nobody"),
        "id: xx-nobody",
        "unknown institution id 'xx-nobody'",
    ),
    "duplicate-code": (
        MINI_PLAN.replace(
            """      - kind: result
        code: "1"
""",
            """      - kind: result
        code: "1"
        text: Niñez informada sobre sus derechos.
        lines: 3
      - kind: result
        code: "1"
""",
        ),
        'code: "1"',
        "duplicate code '1' for kind 'result'",
    ),
    "range-outside-file": (
        MINI_PLAN.replace("lines: 4\n", "lines: 4-40\n"),
        "lines: 4-40",
        "outside mini.txt",
    ),
    "wrong-parent": (
        MINI_PLAN.replace("kind: action", "kind: immediate_step").replace(
            "kind: result", "kind: strategic_line"
        ),
        "kind: immediate_step",
        "cannot stand under a strategic_line",
    ),
    "text-not-at-lines": (
        MINI_PLAN.replace("lines: 3\n", "lines: 2\n"),
        "text: Niñez informada",
        "does not stand at lines 2",
    ),
    "id-not-file-name": (
        MINI_PLAN.replace("id: mini-plan", "id: other-plan"),
        "id: other-plan",
        "does not match the file name",
    ),
}


def _line_of(text: str, marker: str) -> int:
    """The last line holding the marker (the duplicate, for the duplicate-code case)."""
    return max(i for i, line in enumerate(text.splitlines(), start=1) if marker in line)


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_plan_file(make_project: MakeProject, case: str) -> None:
    text, marker, fragment = BAD_CASES[case]
    line = _line_of(text, marker)
    root = make_project(plan=text)
    code, output = _build(root)
    assert code == 2, output
    assert fragment in output
    assert f"mini-plan.yaml:{line}:" in output.replace("\n", ""), output
    assert not (root / "build").exists(), "nothing may be written on bad input"


def test_non_utf8_plan_file(make_project: MakeProject) -> None:
    root = make_project(plan=MINI_PLAN.encode("utf-8").replace("niñez".encode(), b"ni\xf1ez"))
    code, output = _build(root)
    assert code == 2
    assert "mini-plan.yaml:" in output and "not UTF-8" in output
    assert not (root / "build").exists()


def test_all_problems_reported_at_once(make_project: MakeProject) -> None:
    text = MINI_PLAN.replace("id: xx-minex", "id: xx-nobody").replace("lines: 3\n", "lines: 2\n")
    with pytest.raises(InputError) as info:
        load_corpus(Project(make_project(plan=text)))
    assert len(info.value.problems) == 2


def test_bad_institution_parent(make_project: MakeProject) -> None:
    inst = MINI_INSTITUTIONS.replace("    country: GT\n", "    country: GT\n    parent: xx-gov\n")
    root = make_project(institutions=inst)
    code, output = _build(root)
    assert code == 2
    assert "institutions.yaml:7:" in output and "unknown institution id 'xx-gov'" in output


def test_failed_build_keeps_previous_output(make_project: MakeProject) -> None:
    root = make_project()
    assert _build(root)[0] == 0
    before = (root / "build" / "plangraph.nq").read_bytes()
    plan_file = root / "graph" / "plans" / "mini-plan.yaml"
    plan_file.write_text(MINI_PLAN.replace("id: xx-minex", "id: xx-nobody"), encoding="utf-8")
    assert _build(root)[0] == 2
    assert (root / "build" / "plangraph.nq").read_bytes() == before


def test_loader_applies_every_parent_rule_of_a_class(make_project: MakeProject) -> None:
    """Regression: the loader took the union of a class's own parent rule and its superclass's
    rule, so it accepted a general objective under a commitment that SHACL rejects."""
    plan = MINI_PLAN.replace(
        """  - kind: general_objective
    text: Proteger a la niñez migrante.
    lines: 2
    children:
      - kind: result""",
        """  - kind: commitment
    text: Proteger a la niñez migrante.
    lines: 2
    children:
      - kind: general_objective""",
    ).replace(
        "        children:\n          - kind: action", "        children:\n          - kind: axis"
    )
    with pytest.raises(InputError) as info:
        load_corpus(Project(make_project(plan=plan)))
    messages = [p.message for p in info.value.problems]
    assert any("general_objective cannot stand under a commitment" in m for m in messages), messages


PROGRAMME = """  - id: xx-becas
    name: Programa de Becas
    type: programme
    serves: [returned-youth]
    mentions:
      - {source: mini.txt, lines: "6"}
"""


def test_a_programme_cannot_take_part(make_project: MakeProject) -> None:
    root = make_project(
        plan=MINI_PLAN.replace("id: xx-minex", "id: xx-becas"),
        institutions=MINI_INSTITUTIONS + PROGRAMME,
    )
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 2
    assert "mini-plan.yaml:" in result.output
    assert "'xx-becas' is a programme" in result.output


def test_programmes_and_what_bodies_serve_are_compiled(make_project: MakeProject) -> None:
    from rdflib import Graph, URIRef

    root = make_project(institutions=MINI_INSTITUTIONS + PROGRAMME)
    assert CliRunner().invoke(main, ["--root", str(root), "build"]).exit_code == 0
    g = Graph().parse(root / "build" / "plangraph.nt", format="nt")
    node = URIRef("https://w3id.org/plangraph/institution/xx-becas")
    pg = "https://w3id.org/plangraph/ontology#"
    assert (
        node,
        URIRef(pg + "serves"),
        URIRef("https://w3id.org/plangraph/vocab/population/returned-youth"),
    ) in g
    assert URIRef(pg + "Programme") in set(g.objects(node, None))
