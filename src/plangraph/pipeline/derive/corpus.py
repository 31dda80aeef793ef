"""Tag a whole corpus: every action-level element of every plan, in the plan's language, plus
the populations a plan declares and the frameworks it cites, resolved to concepts.

Curated tags (``tags:`` in plan files) join the derived ones unless ``curated=False`` (the
evaluation never counts them).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plangraph.errors import InputError, Problem
from plangraph.pipeline.derive.curated import curated as curated_tags
from plangraph.pipeline.derive.labels import GCM_SCHEME, SDG_SCHEME
from plangraph.pipeline.derive.names import masked_positions
from plangraph.pipeline.derive.tagger import (
    DEFAULT_WEIGHTS,
    INTERVENTIONS,
    Tag,
    Tagger,
    Weights,
    best,
)
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus
from plangraph.pipeline.records import Element
from plangraph.pipeline.yamlsource import field_name, line_of
from plangraph.rdf.namespaces import concept_iri, plan_iri, scheme_iri
from plangraph.text.words import tokenize


@dataclass(frozen=True)
class TagResult:
    """Tags per element IRI, plus resolved declared populations and citations."""

    tags: dict[URIRef, list[Tag]]
    refers: dict[URIRef, list[Tag]]


def _check_serves(corpus: Corpus, vocab: Graph) -> list[Problem]:
    """Every population an institution ``serves`` is a concept of the population scheme."""
    known = set(vocab.subjects(SKOS.inScheme, scheme_iri("population")))
    problems = []
    for inst_id, inst in sorted(corpus.institutions.items()):
        for j, pop in enumerate(inst.serves):
            if concept_iri("population", pop) not in known:
                sub = ("institutions", corpus.institution_index.get(inst_id, 0), "serves", j)
                problems.append(
                    Problem(
                        corpus.institutions_file,
                        line_of(corpus.institution_lines, sub),
                        field_name(sub),
                        f"unknown population '{pop}' (see ontology/vocab/populations.ttl)",
                    )
                )
    return problems


def tag_corpus(
    corpus: Corpus,
    vocab: Graph,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    curated: bool = True,
    tagger: Tagger | None = None,
) -> TagResult:
    """Tag every action-level element of every plan; resolve declared populations and
    citations to concepts. Unknown curated concepts and unknown ``serves`` populations are
    :class:`~plangraph.errors.InputError`\\ s with file and line."""
    tagger = tagger or Tagger.of(vocab, corpus.institutions, weights)
    problems = _check_serves(corpus, vocab)
    known = set(tagger.labels.scheme_of) | {
        c
        for scheme in (GCM_SCHEME, SDG_SCHEME)
        for c in vocab.subjects(SKOS.inScheme, scheme)
        if isinstance(c, URIRef)
    }
    tags: dict[URIRef, list[Tag]] = {}
    refers: dict[URIRef, list[Tag]] = {}
    # first pass: every action-level element's candidates. An element's tags depend on its own
    # plan alone (its words and its ancestors'): adding a plan never changes another plan's tags,
    # and a build can tag plan by plan (plangraph.pipeline.incremental)
    pending: list[tuple[URIRef, Element, list[Element], str, dict[URIRef, Tag]]] = []
    for plan in corpus.plans:
        language = plan.record.plan.language.split("-")[0]
        iris = element_iris(plan)
        chain: dict[tuple[str | int, ...], list[Element]] = {}
        for path, element, _parent in plan.walk():
            ancestors = chain.get(path[:-2], [])
            chain[path] = [element, *ancestors]
            if element.kind in INTERVENTIONS:
                found = tagger.candidates(element, ancestors, language)
                pending.append((iris[path], element, ancestors, language, found))
    derived = {
        iri: tagger.tag(element, ancestors, language, found)
        for iri, element, ancestors, language, found in pending
    }
    # second pass: curated tags, then the plan's declared populations and citations
    for plan in corpus.plans:
        language = plan.record.plan.language.split("-")[0]
        iris = element_iris(plan)
        for path, element, _parent in plan.walk():
            given = curated_tags(plan, path, element, known)
            problems += given.problems
            given_tags = given.tags if curated else []
            own = derived.get(iris[path], [])
            if not own and not given_tags:
                continue
            merged = best([t for t in own if t.concept not in given.removed] + given_tags)
            tags[iris[path]] = sorted(merged.values(), key=lambda t: (t.scheme, str(t.concept)))
        base = plan_iri(plan.id)
        for key, scheme in (("populations", "population"), ("cites", "framework")):
            kind = "population" if key == "populations" else "citation"
            for i, quote in enumerate(getattr(plan.record.plan, key), start=1):
                refers[URIRef(f"{base}/{kind}-{i}")] = _refers(tagger, quote.text, language, scheme)
    if problems:
        raise InputError(problems)
    return TagResult(tags, refers)


def _refers(tagger: Tagger, text: str, language: str, scheme: str) -> list[Tag]:
    """The concepts a plan's quote (a declared population, a citation) names."""
    tokens = tokenize(text, language)
    masked = (
        masked_positions(tokens, tagger.names.find(tokens, text))
        if scheme != "framework"
        else frozenset()
    )
    found = tagger.labels.find(tokens, text, language, (scheme,), masked)
    return [Tag(m.label.concept, scheme, "keyword", m.words, 1.0, asserted=True) for m in found]
