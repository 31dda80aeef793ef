"""Derived facts: timeframe normalisation, keyword tagging, curated tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from plangraph.errors import InputError
from plangraph.pipeline.build import build, load_inputs
from plangraph.pipeline.derive.corpus import tag_corpus
from plangraph.pipeline.derive.timeframes import parse_timeframe
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from plangraph.rdf.namespaces import PG, concept_iri
from tests.conftest import MINI_PLAN, MakeProject
from tests.helpers import ROOT, seed_build

TIMEFRAMES = [
    # text, plan start, year, expected (categories, duration, begin, end), unparsed count
    ("6 meses", None, None, (("relative-duration",), "P6M", None, None), 0),
    ("1 mes", "2023-06-30", None, (("relative-duration",), "P1M", "2023-06-30", "2023-07-30"), 0),
    ("Corto plazo", None, None, (("short-term",), None, None, None), 0),
    ("Largo plazo", None, None, (("long-term",), None, None, None), 0),
    ("Continuo\nDos veces al año", None, None, (("continuous", "recurring"), None, None, None), 0),
    ("Por definir", None, None, (("undefined",), None, None, None), 0),
    ("Campaña permanente", None, None, (("permanent",), None, None, None), 0),
    ("Junio 2023", None, None, (("calendar-period",), None, "2023-06", None), 0),
    ("II Semestre", None, "2018", (("calendar-period",), None, "2018-07", "2018-12"), 0),
    ("II Semestre", None, None, None, 1),
    ("Continuo\nI Trimestre", None, None, (("continuous",), None, None, None), 1),
    ("cuando haya fondos", None, None, None, 1),
]


@pytest.mark.parametrize(("text", "start", "year", "expected", "n_bad"), TIMEFRAMES)
def test_parse_timeframe(
    text: str, start: str | None, year: str | None, expected: tuple[object, ...] | None, n_bad: int
) -> None:
    tf, unparsed = parse_timeframe(text, plan_start=start, year=year)
    assert len(unparsed) == n_bad, unparsed
    assert all(u.reason for u in unparsed)
    if expected is None:
        assert tf is None
    else:
        assert tf is not None
        assert (tf.categories, tf.duration, tf.begin, tf.end) == expected


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    result = seed_build()
    graph = Graph().parse(result.outputs["ntriples"], format="nt")
    return graph, result.outputs["unparsed"]


def test_every_seed_timeframe_is_normalised_or_reported(seeds: tuple[Graph, Path]) -> None:
    graph, unparsed_csv = seeds
    reported = {line.split(",")[1] for line in unparsed_csv.read_text().splitlines()[1:]}
    missing = []
    for element in set(graph.subjects(PG.timeframeText, None)) | set(
        graph.subjects(PG.startText, None)
    ):
        if (element, PG.hasTimeframe, None) not in graph and str(element) not in reported:
            missing.append(str(element))
    assert not missing, f"timeframes neither normalised nor reported: {missing[:5]}"


def test_unparsed_are_only_semesters_without_a_year(seeds: tuple[Graph, Path]) -> None:
    lines = seeds[1].read_text().splitlines()[1:]
    assert lines, "002's semester cells have no year column: they must be reported"
    assert all("with no year" in line for line in lines), lines


def test_keyword_tags_of_a_known_action() -> None:
    corpus = load_corpus(Project(ROOT))
    vocab = load_inputs(Project(ROOT)).vocabularies
    result = tag_corpus(corpus, vocab)
    iri = URIRef(
        "https://w3id.org/plangraph/plan/gt-crm-workshop-nna-plan/"
        "general-objective-n1/result-2/action-2.2"
    )
    # "Capacitar y sensibilizar a los funcionarios públicos de Migración, Policía y Consulados."
    by_concept = {t.concept: t for t in result.tags[iri]}
    training = by_concept[concept_iri("theme", "training-of-officials")]
    assert training.method == "keyword" and training.asserted
    assert "funcionarios" in training.matched  # the element's own words
    # "Consulados" names the consulates (a body), not the theme: no keyword tag from a name
    consular = by_concept.get(concept_iri("theme", "consular-protection"))
    assert consular is None or consular.method != "keyword"


def test_declared_populations_resolve(seeds: tuple[Graph, Path]) -> None:
    graph = seeds[0]
    declared = URIRef("https://w3id.org/plangraph/plan/gt-crm-workshop-nna-plan/population-1")
    assert (declared, PG.refersTo, None) in graph


CURATED = MINI_PLAN.replace(
    "            timeframe: 6 meses\n",
    "            timeframe: 6 meses\n"
    "            tags:\n"
    "              themes: [child-participation]\n"
    "              gcm: [14]\n"
    "              not: [theme/training-of-officials]\n",
)


def test_curated_tags_add_and_remove(make_project: MakeProject) -> None:
    root = make_project(plan=CURATED)
    result = build(Project(root))
    graph = Graph().parse(result.outputs["ntriples"], format="nt")
    action = URIRef(
        "https://w3id.org/plangraph/plan/mini-plan/general-objective-n1/result-1/action-1.1"
    )
    subjects = set(graph.objects(action, DCTERMS.subject))
    assert concept_iri("theme", "child-participation") in subjects
    assert concept_iri("theme", "training-of-officials") not in subjects
    assert concept_iri("theme", "consular-protection") in subjects  # still derived
    assert (action, PG.alignedWith, concept_iri("gcm", "objective-14")) in graph


def test_unknown_curated_concept_names_file_and_line(make_project: MakeProject) -> None:
    plan = CURATED.replace("[child-participation]", "[no-such-theme]")
    root = make_project(plan=plan)
    with pytest.raises(InputError) as info:
        build(Project(root))
    problem = info.value.problems[0]
    assert "unknown theme concept 'no-such-theme'" in problem.message
    line = next(i for i, t in enumerate(plan.splitlines(), 1) if "no-such-theme" in t)
    assert problem.line == line
    assert not (root / "build").exists()
