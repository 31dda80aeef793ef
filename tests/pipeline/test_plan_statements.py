"""Plan-level statements (docs/plan-format.md, "Plan-level statements"): participations a plan
states for all its actions (``plan.institutions``) and replacements (``plan.replaces`` /
``plan.replaced_by``). They load with their quotes checked against their lines, compile to
asserted facts with provenance, and the seeds record what their documents say."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from plangraph.cli.main import main
from plangraph.errors import InputError
from plangraph.pipeline.loader import Plan, SourceText, load_corpus, read_source
from plangraph.project import Project
from plangraph.text.fidelity import quote_matches
from tests.conftest import MINI_INSTITUTIONS, MINI_PLAN, MINI_SOURCE, MakeProject
from tests.helpers import ROOT

PG = "https://w3id.org/plangraph/ontology#"
CV = "http://data.europa.eu/m8g/"
PLAN = "https://w3id.org/plangraph/plan/"

# lines 7 and 8 of the mini source state something of the whole plan
SOURCE = (
    MINI_SOURCE
    + "Las acciones de este plan son un compromiso del Ministerio de Relaciones Exteriores.\n"
    + "Este plan sustituye al Plan de Prueba 2018-2019.\n"
)
STATEMENTS = """  institutions:
    - id: xx-minex
      role: responsible
      text: Las acciones de este plan son un compromiso del Ministerio de Relaciones Exteriores.
      lines: 7
  replaces:
    - id: mini-plan-2018
      title: Plan de Prueba 2018-2019
      text: Este plan sustituye al Plan de Prueba 2018-2019.
      lines: 8
"""
PLAN_WITH_STATEMENTS = MINI_PLAN.replace("  status: adopted\n", "  status: adopted\n" + STATEMENTS)


def _build(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "build"])
    return result.exit_code, result.output


def test_plan_statements_load(make_project: MakeProject) -> None:
    corpus = load_corpus(Project(make_project(plan=PLAN_WITH_STATEMENTS, source=SOURCE)))
    meta = corpus.plans[0].record.plan
    assert [(r.id, r.role.value, r.lines) for r in meta.institutions] == [
        ("xx-minex", "responsible", ((7, 7),))
    ]
    assert [(r.id, r.title) for r in meta.replaces] == [
        ("mini-plan-2018", "Plan de Prueba 2018-2019")
    ]
    assert meta.replaced_by == ()


def test_plan_statements_compile_to_facts_with_provenance(make_project: MakeProject) -> None:
    root = make_project(plan=PLAN_WITH_STATEMENTS, source=SOURCE)
    code, output = _build(root)
    assert code == 0, output
    g = Graph().parse(root / "build" / "plangraph.nt", format="nt")
    plan = URIRef(PLAN + "mini-plan")

    (part,) = g.objects(plan, URIRef(PG + "hasPlanParticipation"))
    assert (part, RDF.type, URIRef(CV + "Participation")) in g
    assert g.value(part, URIRef(CV + "hasParticipant")) == URIRef(
        "https://w3id.org/plangraph/institution/xx-minex"
    )
    assert g.value(part, URIRef(CV + "role")) == URIRef(
        "https://w3id.org/plangraph/vocab/role/responsible"
    )
    source = g.value(part, PROV.wasDerivedFrom)
    assert g.value(source, URIRef(PG + "sourceLines")) == Literal("7")
    # not copied onto the elements, and no shortcut on the plan (pg:responsibleAgent is for
    # elements: its domain would make the plan an element)
    assert (None, URIRef(PG + "responsibleAgent"), None) in g  # the action's own
    assert (plan, URIRef(PG + "responsibleAgent"), None) not in g
    assert len(list(g.subjects(URIRef(CV + "hasParticipation"), None))) == 1

    older = URIRef(PLAN + "mini-plan-2018")
    assert (plan, DCTERMS.replaces, older) in g
    (statement,) = g.objects(plan, URIRef(PG + "statesReplacement"))
    assert (statement, RDF.type, URIRef(PG + "Replacement")) in g
    assert g.value(statement, URIRef(PG + "replacingPlan")) == plan
    assert g.value(statement, URIRef(PG + "replacedPlan")) == older
    assert g.value(g.value(statement, PROV.wasDerivedFrom), URIRef(PG + "sourceLines")) == (
        Literal("8")
    )
    # the plan outside the corpus is known by its printed name only, and is not typed a plan
    assert str(g.value(older, RDFS.label)) == "Plan de Prueba 2018-2019"
    assert (older, RDF.type, URIRef(PG + "Plan")) not in g


def test_replaced_by_points_the_other_way(make_project: MakeProject) -> None:
    plan = PLAN_WITH_STATEMENTS.replace("  replaces:\n", "  replaced_by:\n")
    root = make_project(plan=plan, source=SOURCE)
    assert _build(root)[0] == 0
    g = Graph().parse(root / "build" / "plangraph.nt", format="nt")
    assert (URIRef(PLAN + "mini-plan-2018"), DCTERMS.replaces, URIRef(PLAN + "mini-plan")) in g


# case: (plan text, the text on the line the error must name, what the message must say)
BAD_CASES = {
    "statement-not-at-lines": (
        PLAN_WITH_STATEMENTS.replace("      lines: 7\n", "      lines: 6\n"),
        "text: Las acciones de este plan",
        "does not stand at lines 6",
    ),
    "statement-without-lines": (
        PLAN_WITH_STATEMENTS.replace("      lines: 7\n", ""),
        "- id: xx-minex",
        "plan.institutions[0].lines: Field required",
    ),
    "statement-unknown-institution": (
        PLAN_WITH_STATEMENTS.replace("    - id: xx-minex\n", "    - id: xx-nobody\n"),
        "- id: xx-nobody",
        "unknown institution id 'xx-nobody'",
    ),
    "replaced-title-not-at-lines": (
        PLAN_WITH_STATEMENTS.replace(
            "title: Plan de Prueba 2018-2019", "title: Plan de Prueba 2016-2017"
        ),
        "title: Plan de Prueba 2016-2017",
        "does not stand at lines 8",
    ),
    "replaced-plan-unknown": (
        PLAN_WITH_STATEMENTS.replace("      title: Plan de Prueba 2018-2019\n", ""),
        "- id: mini-plan-2018",
        "unknown plan id 'mini-plan-2018'",
    ),
    "replaces-itself": (
        PLAN_WITH_STATEMENTS.replace("- id: mini-plan-2018", "- id: mini-plan"),
        "- id: mini-plan\n",
        "a plan cannot replace itself",
    ),
}


def _line_of(text: str, marker: str) -> int:
    lines = text.splitlines(keepends=True)
    return next(i for i, line in enumerate(lines, start=1) if marker in line)


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_plan_statement(make_project: MakeProject, case: str) -> None:
    text, marker, fragment = BAD_CASES[case]
    root = make_project(plan=text, source=SOURCE)
    code, output = _build(root)
    assert code == 2, output
    assert fragment in output.replace("\n", ""), output
    assert f"mini-plan.yaml:{_line_of(text, marker)}:" in output.replace("\n", ""), output
    assert not (root / "build").exists()


def test_a_programme_cannot_be_responsible_for_a_plan(make_project: MakeProject) -> None:
    programme = """  - id: xx-becas
    name: Programa de Becas
    type: programme
    mentions:
      - {source: mini.txt, lines: "6"}
"""
    plan = PLAN_WITH_STATEMENTS.replace("    - id: xx-minex\n", "    - id: xx-becas\n")
    with pytest.raises(InputError) as info:
        load_corpus(
            Project(
                make_project(plan=plan, source=SOURCE, institutions=MINI_INSTITUTIONS + programme)
            )
        )
    assert any("'xx-becas' is a programme" in p.message for p in info.value.problems)


def test_a_replaced_plan_of_the_project_needs_no_title(make_project: MakeProject) -> None:
    """A plan checked alone may name another plan of the project by its id."""
    plan = PLAN_WITH_STATEMENTS.replace("      title: Plan de Prueba 2018-2019\n", "")
    root = make_project(plan=plan, source=SOURCE)
    other = MINI_PLAN.replace("id: mini-plan", "id: mini-plan-2018")
    (root / "graph" / "plans" / "mini-plan-2018.yaml").write_text(other, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--root", str(root), "check", str(root / "graph" / "plans" / "mini-plan.yaml")]
    )
    assert result.exit_code == 0, result.output


# -- what the seeds' documents say ----------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, Plan]:
    return {p.id: p for p in load_corpus(Project(ROOT)).plans}


def _source(plan: Plan) -> SourceText:
    return read_source(ROOT / "graph" / "sources" / plan.record.plan.source)


@pytest.mark.parametrize(
    ("plan_id", "institution", "words"),
    [
        # line 45: "Las acciones y actividades plasmadas en este documento, son un compromiso
        # institucional de la Comisión de Migrantes del Congreso de la Republica de Guatemala"
        (
            "gt-congress-migrants-commission-2009-2012",
            "gt-congreso-comision-migrantes",
            ["Las acciones y actividades plasmadas en este documento", "compromiso institucional"],
        ),
        # line 9: "Objetivo general del Plan de Trabajo propuesto por la Red"; line 24: "el plan
        # de acción de la Red de Funcionarios de Enlace ... (2017-2022)"
        (
            "crm-nna-liaison-network-2017-2022",
            "crm-red-funcionarios-enlace-nna",
            ["Plan de Trabajo propuesto por la Red", "plan de acción de la Red de Funcionarios"],
        ),
    ],
)
def test_seed_plan_level_responsible_stands_in_the_document(
    seeds: dict[str, Plan], plan_id: str, institution: str, words: list[str]
) -> None:
    plan = seeds[plan_id]
    (ref,) = plan.record.plan.institutions
    assert (ref.id, ref.role.value) == (institution, "responsible")
    span = _source(plan).span(ref.lines)
    for w in words:
        assert quote_matches(w, span), (w, ref.lines)
    # the body is the plan's own issuer: the document is its work plan / commitment
    assert institution in plan.record.plan.issuer


def test_only_documents_that_say_so_carry_plan_level_statements(seeds: dict[str, Plan]) -> None:
    with_institutions, with_links = set(), set()
    for plan_id, plan in seeds.items():
        if plan.record.plan.institutions:
            with_institutions.add(plan_id)
        if plan.record.plan.replaces or plan.record.plan.replaced_by:
            with_links.add(plan_id)
    # the workshop plan's "Instituciones involucradas" and the matrix's "Responsable" column are
    # per row; neither document says anything of all its actions
    assert with_institutions == {
        "gt-congress-migrants-commission-2009-2012",
        "crm-nna-liaison-network-2017-2022",
    }
    assert with_links == {"gt-ogp-nap6-2023-2025"}


def test_ogp_plan_succeeds_the_fifth_plan(seeds: dict[str, Plan]) -> None:
    plan = seeds["gt-ogp-nap6-2023-2025"]
    (link,) = plan.record.plan.replaces
    assert link.id == "gt-ogp-nap5-2021-2023" and link.id not in seeds
    source = _source(plan)
    # line 173: a National Action Plan every two years; line 621: the 5th, 2021-2023
    assert "bianualmente" in source.lines[172]
    assert "5to Plan de Acción Nacional de Gobierno Abierto 2021-2023" in source.lines[620]
    assert link.title is not None and quote_matches(link.title, source.span(link.lines))


def test_a_timing_stated_for_all_actions_times_them(make_project: MakeProject) -> None:
    """Regression (findings round 2): a document that times its whole action table at once
    ("Temporalidad: (2009-2012)" over the table) had every action listed as untimed. The plan's
    period alone still times nothing; the statement ``plan.timeframe`` does, with its lines."""
    from plangraph.analysis.api import open as open_dataset

    untimed = MINI_PLAN.replace(
        "            timeframe: 6 meses\n            timeframe_lines: 5\n", ""
    )
    source = SOURCE + "Todas las acciones se ejecutan en el periodo 2020-2021.\n"
    stated = untimed.replace(
        "  status: adopted\n",
        "  status: adopted\n  timeframe:\n"
        "    - text: Todas las acciones se ejecutan en el periodo 2020-2021.\n      lines: 9\n",
    )
    root = make_project(plan=untimed, source=source)
    plan_file = root / "graph" / "plans" / "mini-plan.yaml"
    rows = {}
    for name, plan in (("period only", untimed), ("stated", stated)):
        plan_file.write_text(plan, encoding="utf-8")
        code, output = _build(root)
        assert code == 0, output
        pg = open_dataset(root / "build" / "plangraph.nq", queries_dir=root / "queries")
        rows[name] = len(pg.gaps("no-timeframe"))
    assert rows == {"period only": 1, "stated": 0}
    g = Graph().parse(root / "build" / "plangraph.nt", format="nt")
    (node,) = g.objects(URIRef(PLAN + "mini-plan"), URIRef(PG + "statesActionsTimeframe"))
    assert (node, RDF.type, URIRef(PG + "ActionsTimeframe")) in g
    assert g.value(g.value(node, PROV.wasDerivedFrom), URIRef(PG + "sourceLines")) == Literal("9")
    # the words must stand at the lines given
    plan_file.write_text(stated.replace("      lines: 9\n", "      lines: 8\n"), encoding="utf-8")
    code, output = _build(root)
    assert code == 2 and "does not stand at lines 8" in output
