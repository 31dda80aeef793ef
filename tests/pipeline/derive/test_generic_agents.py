"""A regional plan's generic agents resolved to the national bodies of its member states
(plangraph.pipeline.derive.generic_agents): the authority-file fields, the rule, the derived
graph on the seeds and on small projects."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from plangraph.errors import InputError
from plangraph.pipeline.build import load_inputs
from plangraph.pipeline.derive.generic_agents import (
    match_region,
    regions,
    resolution_graph,
    resolve_generic_agents,
)
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from plangraph.rdf.namespaces import CV, DERIVED_GRAPH, PG, plan_graph_iri
from tests.conftest import MakeProject
from tests.helpers import ROOT, seed_build

INST = "https://w3id.org/plangraph/institution/"
PLAN = "https://w3id.org/plangraph/plan/"
REGION = "https://w3id.org/plangraph/vocab/region/"
NETWORK = "crm-nna-liaison-network-2017-2022"
MATRIX = "crm-nna-reintegration-matrix"

# -- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(seed_build().outputs["nquads"], format="nquads")
    return ds


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return load_inputs(Project(ROOT)).vocabularies


def test_the_network_plans_foreign_ministries_include_guatemalas(seed_dataset: Dataset) -> None:
    derived = seed_dataset.graph(DERIVED_GRAPH)
    agent, minex = URIRef(INST + "generic-foreign-ministries"), URIRef(INST + "gt-minex")
    node = URIRef(f"{PLAN}{NETWORK}/resolution/generic-foreign-ministries/gt-minex")
    assert (agent, PG.standsFor, minex) in derived
    assert (node, RDF.type, PG.Resolution) in derived
    assert derived.value(node, PG.genericAgent) == agent
    assert derived.value(node, PG.resolvedTo) == minex
    assert derived.value(node, PG.forPlan) == URIRef(PLAN + NETWORK)
    assert derived.value(node, PG.inRegion) == URIRef(REGION + "crm")
    assert derived.value(node, PG.countryCode) == Literal("GT")
    assert str(derived.value(node, PG.publicFunction)).endswith("/public-function/foreign-affairs")
    explanation = str(derived.value(node, PG.explanation))
    for words in (
        "“Ministerios de Relaciones Exteriores y OIM” (line 541)",  # the plan's words, lines
        "generic-foreign-ministries",
        "foreign affairs bodies of the member states of its region",
        "“CRM” is the Regional Conference on Migration, of which GT is a member",
        "gt-minex (Ministerio de Relaciones Exteriores) is GT's foreign affairs body",
    ):
        assert words in explanation, explanation
    # the evidence is the plan's own participation of the generic agent, in the plan's graph
    plan_graph = seed_dataset.graph(plan_graph_iri(NETWORK))
    (evidence,) = derived.objects(node, PROV.wasDerivedFrom)
    assert (evidence, RDF.type, CV.Participation) in plan_graph
    assert plan_graph.value(evidence, CV.hasParticipant) == agent
    assert str(plan_graph.value(evidence, PG.mentionText)) == (
        "Ministerios de Relaciones Exteriores y OIM"
    )


def test_resolutions_live_in_the_derived_graph_only(seed_dataset: Dataset) -> None:
    for graph in seed_dataset.graphs():
        if graph.identifier == DERIVED_GRAPH:
            continue
        assert not list(graph.triples((None, PG.standsFor, None))), graph.identifier
        assert not list(graph.triples((None, RDF.type, PG.Resolution))), graph.identifier
        assert not list(graph.triples((None, PG.inRegion, None))), graph.identifier


def _expected_from_files(vocab: Graph) -> set[tuple[str, str, str]]:
    """(plan, generic agent, institution) read from the plan files, the authority file and the
    region vocabulary, independently of the module under test."""
    authority = yaml.safe_load((ROOT / "graph" / "institutions.yaml").read_text(encoding="utf-8"))
    insts = {i["id"]: i for i in authority["institutions"]}
    members: dict[str, set[str]] = {}
    for concept in vocab.subjects(PG.memberCountry, None):
        notation = str(vocab.value(concept, SKOS.notation))
        members[notation] = {str(c) for c in vocab.objects(concept, PG.memberCountry)}

    def functions(inst: dict[str, object]) -> list[str]:
        value = inst.get("function") or []
        return [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]

    out = set()
    for path in sorted((ROOT / "graph" / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        region = data["plan"].get("region")
        if region not in members:
            continue
        named = set(data["plan"].get("issuer") or [])
        stack = list(data["elements"])
        while stack:
            el = stack.pop()
            named |= {p["id"] for p in el.get("institutions") or []}
            stack += el.get("children") or []
        for agent in named:
            a = insts[agent]
            if not a.get("generic") or a.get("scope") != "member-states":
                continue
            for inst in insts.values():
                if (
                    not inst.get("generic")
                    and inst["type"] != "programme"
                    and inst.get("country") in members[region]
                    and functions(a)[0] in functions(inst)
                ):
                    out.add((data["plan"]["id"], agent, inst["id"]))
    return out


def test_seed_resolutions_match_the_plan_files(seed_dataset: Dataset, vocab: Graph) -> None:
    derived = seed_dataset.graph(DERIVED_GRAPH)
    got = {
        (
            str(derived.value(node, PG.forPlan)).removeprefix(PLAN),
            str(derived.value(node, PG.genericAgent)).removeprefix(INST),
            str(derived.value(node, PG.resolvedTo)).removeprefix(INST),
        )
        for node in derived.subjects(RDF.type, PG.Resolution)
    }
    assert got == _expected_from_files(vocab)
    # written out, as of this commit: the two CRM plans, Guatemala's bodies
    assert got == {
        (NETWORK, "generic-foreign-ministries", "gt-minex"),
        (NETWORK, "generic-civil-registries", "gt-renap"),
        (NETWORK, "generic-education-systems", "gt-mineduc"),
        (NETWORK, "generic-health-institutions", "gt-mspas"),
        (MATRIX, "generic-foreign-ministries", "gt-minex"),
        (MATRIX, "generic-education-ministries", "gt-mineduc"),
    }
    # the two CRM plans are in the CRM region; the Guatemalan ones in none
    plans_in_region = {
        str(p).removeprefix(PLAN): str(r).removeprefix(REGION)
        for p, r in derived.subject_objects(PG.inRegion)
        if (p, RDF.type, PG.Resolution) not in derived
    }
    assert plans_in_region == {NETWORK: "crm", MATRIX: "crm"}


def test_generic_agents_without_function_resolve_to_nothing(seed_dataset: Dataset) -> None:
    """The network plan names civil society, international cooperation, academia and the
    member countries themselves: no function, so no resolution."""
    derived = seed_dataset.graph(DERIVED_GRAPH)
    for agent in (
        "generic-civil-society",
        "generic-international-cooperation",
        "generic-academia",
        "generic-crm-member-countries",
    ):
        assert not list(derived.objects(URIRef(INST + agent), PG.standsFor)), agent


def test_regions_vocabulary(vocab: Graph) -> None:
    known = {str(r.iri).removeprefix(REGION): r for r in regions(vocab)}
    assert set(known) == {"crm", "sica"}
    assert len(known["crm"].members) == 11 and {"GT", "MX", "US", "CA"} <= known["crm"].members
    assert known["sica"].members == {"BZ", "CR", "DO", "GT", "HN", "NI", "PA", "SV"}
    for text in ("CRM", "crm", " Conferencia Regional sobre Migracion ", "Puebla Process", "RCM"):
        match = match_region(text, list(known.values()))
        assert match is not None and match.iri == known["crm"].iri, text
    assert match_region("Central America", list(known.values())) is None
    assert match_region(None, list(known.values())) is None


# -- small projects ---------------------------------------------------------------------------

SOURCE = """PLAN REGIONAL DE PRUEBA
Acción 1 Capacitar a funcionarios consulares.
Responsable: Ministerios de Relaciones Exteriores
Acción 2 Mapear servicios de cooperación.
Responsable: organismos internacionales
"""

AUTHORITY = """institutions:
  - id: xx-minex
    name: Ministerio de Relaciones Exteriores
    type: ministry
    country: GT
    function: foreign-affairs
    mentions:
      - {source: mini.txt, lines: "3"}
  - id: mx-sre
    name: Secretaría de Relaciones Exteriores
    type: ministry
    country: MX
    function: [foreign-affairs]
    mentions:
      - {source: mini.txt, lines: "3"}
  - id: es-maec
    name: Ministerio de Asuntos Exteriores
    type: ministry
    country: ES
    function: foreign-affairs
    mentions:
      - {source: mini.txt, lines: "3"}
  - id: xx-consulates
    name: Red consular
    type: public_agency
    country: GT
    function: consular-services
    mentions:
      - {source: mini.txt, lines: "2"}
  - id: generic-foreign-ministries
    name: Ministerios de Relaciones Exteriores
    type: ministry
    generic: true
    function: foreign-affairs
    scope: member-states
    mentions:
      - {source: mini.txt, lines: "3"}
  - id: generic-international-organisations
    name: organismos internacionales
    type: international_organisation
    generic: true
    mentions:
      - {source: mini.txt, lines: "5"}
"""


def regional_plan(region: str | None, agent: str = "generic-foreign-ministries") -> str:
    where = f"region: {region}" if region else "country: GT"
    return f"""plan:
  id: mini-plan
  title: PLAN REGIONAL DE PRUEBA
  title_lines: 1
  source: mini.txt
  {where}
  status: adopted
elements:
  - kind: action
    code: "1"
    text: Capacitar a funcionarios consulares.
    lines: 2
    institutions:
      - id: {agent}
        role: responsible
        text: Ministerios de Relaciones Exteriores
        lines: 3
  - kind: action
    code: "2"
    text: Mapear servicios de cooperación.
    lines: 4
    institutions:
      - id: generic-international-organisations
        role: responsible
        text: organismos internacionales
        lines: 5
"""


def _resolve(root: Path) -> set[tuple[str, str]]:
    project = Project(root)
    corpus = load_corpus(project)
    vocab = load_inputs(project).vocabularies
    return {(r.agent, r.institution) for r in resolve_generic_agents(corpus, vocab)}


def test_member_states_bodies_of_the_same_function(make_project: MakeProject) -> None:
    """GT and MX are CRM members, Spain is not; the consulates hold a narrower function."""
    root = make_project(plan=regional_plan("CRM"), institutions=AUTHORITY, source=SOURCE)
    assert _resolve(root) == {
        ("generic-foreign-ministries", "mx-sre"),
        ("generic-foreign-ministries", "xx-minex"),
    }
    project = Project(root)
    graph = resolution_graph(load_corpus(project), load_inputs(project).vocabularies)
    node = URIRef(f"{PLAN}mini-plan/resolution/generic-foreign-ministries/mx-sre")
    assert "MX is a member" in str(graph.value(node, PG.explanation))
    assert (URIRef(PLAN + "mini-plan"), PG.inRegion, URIRef(REGION + "crm")) in graph


def test_the_region_decides_the_members(make_project: MakeProject) -> None:
    """Mexico is a CRM member but not a SICA one."""
    root = make_project(plan=regional_plan("SICA"), institutions=AUTHORITY, source=SOURCE)
    assert _resolve(root) == {("generic-foreign-ministries", "xx-minex")}


@pytest.mark.parametrize("region", [None, "Mesoamérica"], ids=["no-region", "unknown-region"])
def test_a_plan_without_a_known_region_resolves_nothing(
    make_project: MakeProject, region: str | None
) -> None:
    root = make_project(plan=regional_plan(region), institutions=AUTHORITY, source=SOURCE)
    assert _resolve(root) == set()
    project = Project(root)
    graph = resolution_graph(load_corpus(project), load_inputs(project).vocabularies)
    assert not list(graph.triples((None, PG.inRegion, None)))
    assert not list(graph.triples((None, PG.standsFor, None)))


@pytest.mark.parametrize(
    "removed",
    ["    function: foreign-affairs\n    scope: member-states\n", "    scope: member-states\n"],
    ids=["no-function", "no-scope"],
)
def test_a_generic_agent_without_function_or_scope_resolves_to_nothing(
    make_project: MakeProject, removed: str
) -> None:
    head, tail = AUTHORITY.split("  - id: generic-foreign-ministries\n", 1)
    authority = head + "  - id: generic-foreign-ministries\n" + tail.replace(removed, "", 1)
    assert authority != AUTHORITY
    root = make_project(plan=regional_plan("CRM"), institutions=authority, source=SOURCE)
    assert _resolve(root) == set()


BAD_FIELDS = [
    # entry, its field as in AUTHORITY, the field changed, what the problem says
    (
        "xx-minex",
        "    function: foreign-affairs\n",
        "    function: foreign-affairs\n    scope: member-states\n",
        "`scope` is for generic agents",
    ),
    (
        "generic-foreign-ministries",
        "    function: foreign-affairs\n    scope: member-states\n",
        "    scope: member-states\n",
        "`scope` needs the `function`",
    ),
    (
        "generic-foreign-ministries",
        "    function: foreign-affairs\n",
        "    function: [foreign-affairs, education]\n",
        "one `function`",
    ),
    (
        "generic-foreign-ministries",
        "    function: foreign-affairs\n",
        "    country: GT\n    function: foreign-affairs\n",
        "has no `country`",
    ),
    (
        "generic-foreign-ministries",
        "    scope: member-states\n",
        "    scope: everywhere\n",
        "member-states",
    ),
]


@pytest.mark.parametrize(
    ("entry", "old", "new", "message"), BAD_FIELDS, ids=[b[3] for b in BAD_FIELDS]
)
def test_bad_function_and_scope_are_input_errors(
    make_project: MakeProject, entry: str, old: str, new: str, message: str
) -> None:
    head, tail = AUTHORITY.split(f"  - id: {entry}\n", 1)
    authority = head + f"  - id: {entry}\n" + tail.replace(old, new, 1)
    assert authority != AUTHORITY
    root = make_project(plan=regional_plan("CRM"), institutions=authority, source=SOURCE)
    with pytest.raises(InputError) as info:
        load_corpus(Project(root))
    problems = info.value.problems
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file.name == "institutions.yaml" and p.line for p in problems), problems


def test_a_programme_has_no_public_function(make_project: MakeProject) -> None:
    programme = """  - id: xx-becas
    name: Programa de Becas
    type: programme
    country: GT
    function: education
    mentions:
      - {source: mini.txt, lines: "2"}
"""
    root = make_project(
        plan=regional_plan("CRM"), institutions=AUTHORITY + programme, source=SOURCE
    )
    with pytest.raises(InputError) as info:
        load_corpus(Project(root))
    assert any("a programme has no public function" in p.message for p in info.value.problems)
