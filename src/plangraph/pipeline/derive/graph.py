"""Derive facts from the loaded plans: tags (``tagger``), normalised timeframes
(``timeframes``) and regional plans' generic agents resolved to member-state bodies
(``generic_agents``), as one graph for the derived named graph, plus the list of timeframes that
could not be placed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from plangraph._version import __version__
from plangraph.pipeline.derive.corpus import TagResult, tag_corpus
from plangraph.pipeline.derive.generic_agents import resolution_graph
from plangraph.pipeline.derive.tagger import DEFAULT_WEIGHTS, Tagger, Weights
from plangraph.pipeline.derive.timeframes import Unparsed, parse_date, parse_timeframe
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus, Plan
from plangraph.pipeline.records import Element
from plangraph.rdf.iris import BASE
from plangraph.rdf.namespaces import PG, TIME, concept_iri

TAGGER = URIRef(f"{BASE}activity/tagger")
PROPERTY = {
    "theme": DCTERMS.subject,
    "population": PG.targetPopulation,
    "gcm": PG.alignedWith,
    "sdg": PG.alignedWith,
}
"""The property an asserted tag of each scheme becomes."""


@dataclass(frozen=True)
class UnparsedRow:
    """A timeframe text plangraph could not place, where it is and why."""

    plan: str
    element: str
    field: str
    text: str
    reason: str


@dataclass(frozen=True)
class Derived:
    """The derived graph and the timeframes left unparsed."""

    graph: Graph
    unparsed: list[UnparsedRow]


def _instant(value: str) -> tuple[URIRef, Literal]:
    if len(value) == 4:
        return TIME.inXSDgYear, Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)
    return TIME.inXSDDate, Literal(value, datatype=XSD.date)


def _element_timeframe(
    g: Graph, plan: Plan, iri: URIRef, el: Element, rows: list[UnparsedRow]
) -> None:
    period = plan.record.plan.period
    anchor = period.start if period and period.start and len(period.start) >= 7 else None
    categories: list[str] = []
    how: list[str] = []
    texts: list[str] = []
    duration = begin = end = None

    def bad(field: str, items: list[Unparsed]) -> None:
        rows.extend(UnparsedRow(plan.id, str(iri), field, u.text, u.reason) for u in items)

    if el.timeframe:
        tf, unparsed = parse_timeframe(el.timeframe, plan_start=anchor)
        bad("timeframe", unparsed)
        if tf:
            categories += tf.categories
            how += tf.how
            texts.append(el.timeframe)
            duration, begin, end = tf.duration, tf.begin, tf.end
    for field, text in (("start", el.start), ("end", el.end)):
        if not text:
            continue
        date = parse_date(text)
        if date is None:
            bad(field, [Unparsed(text, "no date found")])
            continue
        texts.append(text)
        how.append(
            f"{field} '{text}' → {date}"
            + (" (several dates printed: the last taken)" if len(text.split()) > 2 else "")
        )
        if field == "start":
            begin = date
        else:
            end = date
    for entry in el.schedule:
        tf, unparsed = parse_timeframe(entry.text, year=entry.period)
        bad(f"schedule {entry.period}", unparsed)
        if tf:
            categories += tf.categories
            how += tf.how
            texts.append(f"{entry.period}: {entry.text}")
            begin = min(filter(None, (begin, tf.begin)), default=None)
            end = max(filter(None, (end, tf.end)), default=None)
    if not (categories or duration or begin or end):
        return
    node = URIRef(f"{iri}/timeframe")
    g.add((iri, PG.hasTimeframe, node))
    g.add((node, RDF.type, TIME.Interval if (begin or end or duration) else TIME.TemporalEntity))
    for cat in dict.fromkeys(categories):
        g.add((node, PG.timeframeCategory, concept_iri("timeframe-category", cat)))
    if duration:
        g.add((node, TIME.hasXSDDuration, Literal(duration, datatype=XSD.duration)))
    for prop, value, name in ((TIME.hasBeginning, begin, "begin"), (TIME.hasEnd, end, "end")):
        if value:
            instant = URIRef(f"{node}/{name}")
            g.add((node, prop, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, *_instant(value)))
    g.add((node, PG.matchedText, Literal(" | ".join(texts))))
    g.add((node, PG.method, Literal("; ".join(how))))
    g.add((node, PG.toolVersion, Literal(__version__)))


def derive(
    corpus: Corpus,
    vocab: Graph,
    weights: Weights = DEFAULT_WEIGHTS,
    graph: Graph | None = None,
    tagger: Tagger | None = None,
) -> Derived:
    """Tags, timeframes and resolved generic agents for every plan of the corpus, added to
    ``graph`` when given (e.g. the dataset's derived named graph, which saves a copy of the
    largest graph) or a new one. ``tagger``: one built before (a build that derives plan by plan
    builds it once)."""
    graph = tags_graph(tag_corpus(corpus, vocab, weights, tagger=tagger), weights, graph)
    resolution_graph(corpus, vocab, graph)
    rows: list[UnparsedRow] = []
    for plan in corpus.plans:
        iris = element_iris(plan)
        for path, el, _parent in plan.walk():
            _element_timeframe(graph, plan, iris[path], el, rows)
    return Derived(graph, rows)


def tags_graph(result: TagResult, weights: Weights, graph: Graph | None = None) -> Graph:
    """The derived triples: taggings with evidence (``pg:asserted`` says whether the tag is
    asserted), and the shortcut triples of asserted tags."""
    g = graph if graph is not None else Graph()
    version = Literal(__version__)
    # the few distinct literals made once (a corpus has tens of thousands of taggings)
    methods: dict[str, Literal] = {}
    scores: dict[str, Literal] = {}
    asserted = {True: Literal(True), False: Literal(False)}
    for element, tags in result.tags.items():
        for tag in tags:
            local = str(tag.concept).rstrip("/").rsplit("/", 1)[-1]
            node = URIRef(f"{element}/tag/{tag.scheme}/{local}")
            method = methods.get(tag.method)
            if method is None:
                method = methods[tag.method] = Literal(tag.method)
            text = f"{tag.score:.2f}"
            score = scores.get(text)
            if score is None:
                score = scores[text] = Literal(Decimal(text), datatype=XSD.decimal)
            g.add((element, PG.hasTagging, node))
            g.add((node, RDF.type, PG.Tagging))
            g.add((node, PG.concept, tag.concept))
            g.add((node, PG.method, method))
            g.add((node, PG.matchedText, Literal(tag.matched)))
            g.add((node, PG.score, score))
            g.add((node, PG.toolVersion, version))
            g.add((node, PROV.wasGeneratedBy, TAGGER))
            g.add((node, PG.asserted, asserted[bool(tag.asserted)]))
            if tag.asserted:
                g.add((element, PROPERTY[tag.scheme], tag.concept))
    for node, tags in result.refers.items():
        for tag in tags:
            g.add((node, PG.refersTo, tag.concept))
    g.add((TAGGER, RDF.type, PROV.Activity))
    g.add((TAGGER, PG.toolVersion, version))
    g.add(
        (
            TAGGER,
            PG.method,
            Literal(
                "plangraph tagger: SKOS labels matched on lemmas in each element's own words "
                f"(names masked), bodies that serve a population, framework mappings; tags "
                f"asserted from {weights.threshold} on own-text evidence only",
            ),
        )
    )
    return g
