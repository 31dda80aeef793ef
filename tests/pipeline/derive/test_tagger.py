"""Regression tests for the tagger's failure modes found by the blind review (issue 12): each
example is the wording that went wrong, tagged with the project's real vocabularies."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from rdflib import Graph

from plangraph.pipeline.build import load_inputs
from plangraph.pipeline.derive.corpus import tag_corpus
from plangraph.pipeline.derive.tagger import Tag, Tagger
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import load_corpus
from plangraph.pipeline.records import Element, Institution
from plangraph.project import Project
from plangraph.text.words import fold
from tests.helpers import ROOT

BODIES = [
    Institution.model_validate(
        {
            "id": "xx-centres",
            "name": "Centros de Apoyo Integral para Mujeres Sobrevivientes de Violencia",
            "acronyms": ["CAIMUS"],
            "type": "civil_society",
            "serves": ["women-victims-of-violence"],
            "mentions": [{"source": "x.txt", "lines": "1"}],
        }
    ),
    Institution.model_validate(
        {
            "id": "xx-demi",
            "name": "Defensoría de la Mujer Indígena",
            "acronyms": ["DEMI"],
            "type": "ombudsman",
            "serves": ["indigenous-women"],
            "mentions": [{"source": "x.txt", "lines": "1"}],
        }
    ),
    Institution.model_validate(
        {
            "id": "xx-mano",
            "name": "Mano a Mano",
            "type": "programme",
            "serves": ["people-in-poverty"],
            "mentions": [{"source": "x.txt", "lines": "1"}],
        }
    ),
]


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return load_inputs(Project(ROOT)).vocabularies


@pytest.fixture(scope="module")
def tagger(vocab: Graph) -> Tagger:
    institutions = dict(load_corpus(Project(ROOT)).institutions)
    institutions.update({b.id: b for b in BODIES})
    return Tagger.of(vocab, institutions)


def element(text: str, kind: str = "action") -> Element:
    return Element.model_validate({"kind": kind, "text": text, "lines": "1"})


def tags(
    tagger: Tagger, text: str, parents: Sequence[str] = (), language: str = "es"
) -> dict[str, Tag]:
    """The element's tags by concept id (``theme/x``, ``population/x``, ``gcm/objective-n``)."""
    found = tagger.tag(element(text), [element(p, "result") for p in parents], language)
    return {"/".join(str(t.concept).rsplit("/", 2)[-2:]): t for t in found}


def asserted(found: dict[str, Tag]) -> set[str]:
    return {c for c, t in found.items() if t.asserted}


# 1. inherited tags are recorded, never asserted


def test_a_parents_words_are_not_asserted(tagger: Tagger) -> None:
    found = tags(
        tagger,
        "Homologación de titulación académica",
        parents=["Focalizar recursos para el presupuesto de programas de reintegración"],
    )
    assert "theme/budget-and-resources" not in asserted(found)
    inherited = found.get("theme/budget-and-resources")
    assert inherited is not None and inherited.method == "inherited" and not inherited.asserted


def test_the_network_plans_objective_does_not_tag_every_action(vocab: Graph) -> None:
    """The CRM network plan's general objective mentions children 'con necesidad de protección
    internacional': only actions that say so in their own words may carry the population."""
    corpus = load_corpus(Project(ROOT))
    result = tag_corpus(corpus, vocab)
    plan = next(p for p in corpus.plans if p.id == "crm-nna-liaison-network-2017-2022")
    iris = element_iris(plan)
    wrong = []
    for path, el, _ in plan.walk():
        refugees = [
            t
            for t in result.tags.get(iris[path], ())
            if t.asserted and str(t.concept).endswith("/refugee-and-asylum-seeking-children")
        ]
        own = fold(el.text)
        if refugees and not any(w in own for w in ("proteccion internacional", "refugi", "asilo")):
            wrong.append(el.text)
    assert not wrong


# 2. stemming and acronyms


def test_costa_rica_is_not_cost(tagger: Tagger) -> None:
    found = asserted(tags(tagger, "Coordinar el retorno con Costa Rica y Panamá"))
    assert not {c for c in found if "transparency" in c or "infrastructure" in c}


# 3. words inside names


@pytest.mark.parametrize(
    ("text", "never"),
    [
        (
            "Fortalecer el Centro de Documentación del Congreso",
            "theme/civil-identity-and-documents",
        ),
        ("Presentar el informe anual a la Comisión de Migrantes", "population/migrants"),
        ("Integración de la mesa técnica interinstitucional", "theme/integration"),
        ("Integración de la mesa técnica interinstitucional", "gcm/objective-16"),
        (
            "Construir mecanismos de revisión, tomando como base los mecanismos de la red de trata",
            "theme/anti-trafficking",
        ),
        (
            "Construir mecanismos de revisión, tomando como base los mecanismos de la red de trata",
            "gcm/objective-10",
        ),
    ],
)
def test_words_inside_names_are_not_evidence(tagger: Tagger, text: str, never: str) -> None:
    assert never not in asserted(tags(tagger, text))


# 4. theme -> GCM links


def test_anti_stigma_campaigns_are_gcm_17_not_3(tagger: Tagger) -> None:
    found = asserted(
        tags(tagger, "Campaña nacional contra la estigmatización de la niñez migrante retornada")
    )
    assert "gcm/objective-3" not in found
    assert "gcm/objective-17" in found


def test_local_development_alone_is_not_gcm_2(tagger: Tagger) -> None:
    assert "gcm/objective-2" not in asserted(tags(tagger, "Impulsar proyectos de desarrollo local"))


def test_reception_of_returned_children_is_gcm_21_not_12(tagger: Tagger) -> None:
    found = asserted(
        tags(tagger, "Recepción y seguimiento de niñas, niños y adolescentes retornados")
    )
    assert "gcm/objective-12" not in found
    assert "gcm/objective-21" in found


def test_social_programmes_are_not_gcm_22(tagger: Tagger) -> None:
    found = asserted(tags(tagger, "Ampliar la cobertura de los programas sociales"))
    assert "gcm/objective-22" not in found


# 5. groups named through a body or programme


@pytest.mark.parametrize(
    ("text", "population"),
    [
        ("Fortalecer los CAIMUS en los departamentos", "population/women-victims-of-violence"),
        ("Ampliar la cobertura de la DEMI", "population/indigenous-women"),
        ("Ampliar la cobertura del programa Mano a Mano", "population/people-in-poverty"),
    ],
)
def test_groups_served_through_a_named_body(tagger: Tagger, text: str, population: str) -> None:
    found = tags(tagger, text)
    assert population in asserted(found)
    assert found[population].method == "named-body"


# English


def test_english_elements_are_tagged(tagger: Tagger) -> None:
    found = tags(
        tagger, "Train consular officials on the protection of migrant children", language="en"
    )
    assert {"theme/training-of-officials", "theme/consular-protection"} <= asserted(found)
    children = found["population/migrant-children"]  # found in the words; the model decides
    assert children.method == "keyword" and "migrant children" in children.matched
    assert "population/potential-migrants" not in found  # "would-be migrants" is not "migrant"
