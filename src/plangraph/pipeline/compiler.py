"""Compile loaded records into an RDF dataset: one named graph per plan, plus graphs for the
ontology, the vocabularies, the institutions and derived facts.

IRIs are deterministic from the plan id and each element's path (kind and printed code, or its
ordinal among same-kind siblings when it has no code), so rebuilding gives the same triples.
The compiler never mutates its inputs; it returns a new ``Dataset``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from plangraph._version import __version__
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus, Plan
from plangraph.pipeline.records import (
    Element,
    Institution,
    InstitutionType,
    Quote,
    Role,
    format_lines,
)
from plangraph.rdf.iris import PREFIXES
from plangraph.rdf.namespaces import (
    CV,
    DERIVED_GRAPH,
    INSTITUTIONS_GRAPH,
    OA,
    ONTOLOGY_GRAPH,
    ORG,
    PG,
    RFC5147,
    SCHEMA,
    TIME,
    VOCAB_GRAPH,
    concept_iri,
    institution_iri,
    plan_graph_iri,
    plan_iri,
    source_iri,
)
from plangraph.text.fidelity import normalise

STATUS = {
    "draft": PG.Draft,
    "adopted": PG.Adopted,
    "updated": PG.Updated,
    "unknown": PG.UnknownStatus,
}
PUBLIC_TYPES = {
    InstitutionType.MINISTRY,
    InstitutionType.SECRETARIAT,
    InstitutionType.COMMISSION,
    InstitutionType.COUNCIL,
    InstitutionType.PUBLIC_AGENCY,
    InstitutionType.JUDICIARY,
    InstitutionType.LEGISLATURE,
    InstitutionType.OMBUDSMAN,
    InstitutionType.LOCAL_GOVERNMENT,
    InstitutionType.FOREIGN_GOVERNMENT,
}


@dataclass(frozen=True)
class Inputs:
    """The non-plan graphs that go into a dataset."""

    ontology: Graph
    vocabularies: Graph


def _fragment(ranges: tuple[tuple[int, int], ...]) -> list[str]:
    """RFC 5147 line fragments: 1-based inclusive lines a..b are positions a-1 to b."""
    return [f"line={a - 1},{b}" for a, b in ranges]


class _PlanCompiler:
    """Builds the named graph of one plan."""

    def __init__(self, plan: Plan, graph: Graph) -> None:
        self.plan = plan
        self.g = graph
        self.lang = plan.record.plan.language
        self.source = source_iri(plan.record.plan.source)

    def text(self, value: str) -> Literal:
        return Literal(normalise(value), lang=self.lang)

    def provenance(self, node: URIRef, text: str, ranges: tuple[tuple[int, int], ...]) -> None:
        g = self.g
        res = URIRef(f"{node}/source")
        g.add((node, PROV.wasDerivedFrom, res))
        g.add((res, RDF.type, OA.SpecificResource))
        g.add((res, OA.hasSource, self.source))
        g.add((res, PG.sourceLines, Literal(format_lines(ranges))))
        g.add((res, PG.firstLine, Literal(ranges[0][0])))
        g.add((res, PG.lastLine, Literal(max(b for _, b in ranges))))
        quote = URIRef(f"{res}/quote")
        g.add((res, OA.hasSelector, quote))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(normalise(text))))
        for i, frag in enumerate(_fragment(ranges), start=1):
            sel = URIRef(f"{res}/lines-{i}")
            g.add((res, OA.hasSelector, sel))
            g.add((sel, RDF.type, OA.FragmentSelector))
            g.add((sel, DCTERMS.conformsTo, RFC5147))
            g.add((sel, RDF.value, Literal(frag)))

    def quoted(self, node: URIRef, cls: URIRef, q: Quote) -> None:
        self.g.add((node, RDF.type, cls))
        self.g.add((node, PG.text, self.text(q.text)))
        if q.note:
            self.g.add((node, PG.curatorNote, Literal(q.note, lang="en")))
        self.provenance(node, q.text, q.lines)

    def compile(self) -> None:
        g, meta = self.g, self.plan.record.plan
        p = plan_iri(meta.id)
        g.add((p, RDF.type, PG.Plan))
        g.add((p, DCTERMS.identifier, Literal(meta.id)))
        g.add((p, DCTERMS.title, self.text(meta.title)))
        g.add((p, DCTERMS.language, Literal(meta.language)))
        g.add((p, PG.status, STATUS[meta.status.value]))
        g.add((p, PROV.hadPrimarySource, self.source))
        self.provenance(p, meta.title, meta.title_lines)
        g.add((self.source, RDF.type, DCTERMS.BibliographicResource))
        g.add((self.source, DCTERMS.title, Literal(meta.source)))
        digest = hashlib.sha256("\n".join(self.plan.source.lines).encode()).hexdigest()
        g.add((self.source, PG.sha256, Literal(digest)))
        for inst in meta.issuer:
            g.add((p, DCTERMS.publisher, institution_iri(inst)))
        if meta.issuer_text:
            g.add((p, PG.issuerText, self.text(meta.issuer_text)))
        if meta.country:
            g.add((p, PG.countryCode, Literal(meta.country)))
        if meta.region:
            g.add((p, PG.region, Literal(meta.region)))
        if meta.period_text:
            g.add((p, PG.periodText, self.text(meta.period_text)))
        if meta.period and (meta.period.start or meta.period.end):
            interval = URIRef(f"{p}/period")
            g.add((p, PG.period, interval))
            g.add((interval, RDF.type, TIME.Interval))
            for prop, value, name in (
                (TIME.hasBeginning, meta.period.start, "start"),
                (TIME.hasEnd, meta.period.end, "end"),
            ):
                if value:
                    instant = URIRef(f"{interval}/{name}")
                    g.add((interval, prop, instant))
                    g.add((instant, RDF.type, TIME.Instant))
                    g.add((instant, *_instant_literal(value)))
        if meta.version:
            g.add((p, PG.versionStatement, self.text(meta.version)))
        if meta.note:
            g.add((p, PG.curatorNote, Literal(meta.note, lang="en")))
        for i, q in enumerate(meta.populations, start=1):
            node = URIRef(f"{p}/population-{i}")
            g.add((p, PG.declaresPopulation, node))
            self.quoted(node, PG.DeclaredPopulation, q)
        for i, q in enumerate(meta.cites, start=1):
            node = URIRef(f"{p}/citation-{i}")
            g.add((p, PG.cites, node))
            self.quoted(node, PG.Citation, q)
        self.plan_statements(p)
        iris = element_iris(self.plan)
        for path, el, parent in self.plan.walk():
            self.element(iris[path], el, iris[path[:-2]] if parent else p, p, path[-1])

    def plan_statements(self, p: URIRef) -> None:
        """What the plan states about all its actions (plan-level participations) and about
        other plans (replacements), each with the lines where the document says so."""
        g, meta = self.g, self.plan.record.plan
        for i, ref in enumerate(meta.institutions, start=1):
            node = URIRef(f"{p}/participation-{i}")
            g.add((p, PG.hasPlanParticipation, node))
            g.add((node, RDF.type, CV.Participation))
            g.add((node, RDF.type, PG.PlanParticipation))
            g.add((node, CV.hasParticipant, institution_iri(ref.id)))
            g.add((node, CV.role, concept_iri("role", ref.role.value)))
            g.add((node, PG.mentionText, self.text(ref.text)))
            if ref.note:
                g.add((node, PG.curatorNote, Literal(ref.note, lang="en")))
            self.provenance(node, ref.text, ref.lines)
        for i, q in enumerate(meta.timeframe, start=1):
            node = URIRef(f"{p}/timeframe-{i}")
            g.add((p, PG.statesActionsTimeframe, node))
            self.quoted(node, PG.ActionsTimeframe, q)
        for key, links in (("replaces", meta.replaces), ("replaced-by", meta.replaced_by)):
            for i, link in enumerate(links, start=1):
                other = plan_iri(link.id)
                new, old = (p, other) if key == "replaces" else (other, p)
                node = URIRef(f"{p}/{key}-{i}")
                g.add((new, DCTERMS.replaces, old))
                g.add((p, PG.statesReplacement, node))
                g.add((node, RDF.type, PG.Replacement))
                g.add((node, PG.replacingPlan, new))
                g.add((node, PG.replacedPlan, old))
                g.add((node, PG.text, self.text(link.text)))
                if link.title:
                    g.add((other, RDFS.label, self.text(link.title)))
                if link.note:
                    g.add((node, PG.curatorNote, Literal(link.note, lang="en")))
                self.provenance(node, link.text, link.lines)

    def element(self, e: URIRef, el: Element, parent: URIRef, p: URIRef, index: object) -> None:
        g = self.g
        g.add((e, RDF.type, PG[el.kind.class_name]))
        g.add((e, PG.kind, Literal(el.kind.value)))
        g.add((e, PG.partOf, parent))
        g.add((e, PG.inPlan, p))
        assert isinstance(index, int)
        g.add((e, SCHEMA.position, Literal(index + 1)))
        if el.code:
            g.add((e, DCTERMS.identifier, Literal(el.code)))
        if el.title:
            g.add((e, DCTERMS.title, self.text(el.title)))
        g.add((e, PG.text, self.text(el.text)))
        self.provenance(e, el.text, el.lines)
        if el.timeframe:
            g.add((e, PG.timeframeText, self.text(el.timeframe)))
        if el.start:
            g.add((e, PG.startText, self.text(el.start)))
        if el.end:
            g.add((e, PG.endText, self.text(el.end)))
        if el.note:
            g.add((e, PG.curatorNote, Literal(el.note, lang="en")))
        for i, entry in enumerate(el.schedule, start=1):
            node = URIRef(f"{e}/schedule-{i}")
            g.add((e, PG.hasScheduleEntry, node))
            g.add((node, RDF.type, PG.ScheduleEntry))
            g.add((node, PG.periodLabel, Literal(entry.period)))
            g.add((node, PG.timeframeText, self.text(entry.text)))
        for i, ind in enumerate(el.indicators, start=1):
            node = URIRef(f"{e}/indicator-{i}")
            g.add((e, PG.hasIndicator, node))
            self.quoted(node, PG.Indicator, ind)
        for i, ref in enumerate(el.institutions, start=1):
            node = URIRef(f"{e}/participation-{i}")
            agent = institution_iri(ref.id)
            g.add((e, CV.hasParticipation, node))
            g.add((node, RDF.type, CV.Participation))
            g.add((node, CV.hasParticipant, agent))
            g.add((node, CV.role, concept_iri("role", ref.role.value)))
            g.add((node, PG.mentionText, self.text(ref.text)))
            if ref.note:
                g.add((node, PG.curatorNote, Literal(ref.note, lang="en")))
            shortcut = PG.responsibleAgent if ref.role is Role.RESPONSIBLE else PG.supportingAgent
            g.add((e, shortcut, agent))


def _instant_literal(value: str) -> tuple[URIRef, Literal]:
    if len(value) == 4:
        return TIME.inXSDgYear, Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)
    return TIME.inXSDDate, Literal(value, datatype=XSD.date)


def institutions_graph(institutions: dict[str, Institution], graph: Graph | None = None) -> Graph:
    """The authority file as RDF (W3C ORG / Core Public Organisation)."""
    g = graph if graph is not None else Graph()
    for inst in sorted(institutions.values(), key=lambda i: i.id):
        node = institution_iri(inst.id)
        lang = inst.language or "es"
        if inst.is_programme:
            g.add((node, RDF.type, PG.Programme))
        elif inst.generic:
            g.add((node, RDF.type, PG.GenericAgent))
            g.add((node, PG.isGeneric, Literal(True)))
        else:
            g.add((node, RDF.type, ORG.Organization))
            if inst.type is InstitutionType.COLLABORATION:
                g.add((node, RDF.type, ORG.OrganizationalCollaboration))
            elif inst.type in PUBLIC_TYPES:
                g.add((node, RDF.type, CV.PublicOrganisation))
            else:
                g.add((node, RDF.type, ORG.FormalOrganization))
        g.add((node, DCTERMS.identifier, Literal(inst.id)))
        g.add((node, SKOS.prefLabel, Literal(inst.name, lang=lang)))
        if inst.name_en and lang != "en":
            g.add((node, SKOS.prefLabel, Literal(inst.name_en, lang="en")))
        for label in (*inst.acronyms, *inst.aliases):
            g.add((node, SKOS.altLabel, Literal(label, lang=lang)))
        for population in inst.serves:
            g.add((node, PG.serves, concept_iri("population", population)))
        for function in inst.function:
            g.add((node, PG.publicFunction, concept_iri("public-function", function)))
        if inst.scope is not None:
            g.add((node, PG.agentScope, concept_iri("agent-scope", inst.scope.value)))
        for acronym in inst.acronyms:
            g.add((node, PG.acronym, Literal(acronym)))
        g.add((node, ORG.classification, concept_iri("organisation-type", inst.type.value)))
        if inst.country:
            g.add((node, PG.countryCode, Literal(inst.country)))
        if inst.parent:
            g.add((node, ORG.subOrganizationOf, institution_iri(inst.parent)))
        for member in inst.members:
            g.add((node, ORG.hasMember, institution_iri(member)))
        if inst.note:
            g.add((node, PG.curatorNote, Literal(inst.note, lang="en")))
        for mention in inst.mentions:
            for frag in _fragment(mention.lines):
                g.add((node, DCTERMS.source, URIRef(f"{source_iri(mention.source)}#{frag}")))
    return g


def new_dataset() -> Dataset:
    """An empty dataset with plangraph's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def compile_corpus(corpus: Corpus, inputs: Inputs) -> Dataset:
    """Compile a loaded corpus into a new dataset with one named graph per plan."""
    ds = new_dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    for t in inputs.ontology:
        onto.add(t)
    vocab = ds.graph(VOCAB_GRAPH)
    for t in inputs.vocabularies:
        vocab.add(t)
    institutions_graph(corpus.institutions, ds.graph(INSTITUTIONS_GRAPH))
    for plan in corpus.plans:
        _PlanCompiler(plan, ds.graph(plan_graph_iri(plan.id))).compile()
    derived = ds.graph(DERIVED_GRAPH)
    derived.add(
        (
            DERIVED_GRAPH,
            RDFS.comment,
            Literal(
                "Facts plangraph derived (tags, normalised timeframes, similarity), "
                "each with its method.",
                lang="en",
            ),
        )
    )
    derived.add((DERIVED_GRAPH, PG.toolVersion, Literal(__version__)))
    derived.add((DERIVED_GRAPH, RDF.type, OWL.NamedIndividual))
    return ds


def plan_graph(plan: Plan) -> Graph:
    """The named graph of one plan, as :func:`compile_corpus` puts it in the dataset (an
    incremental build compiles only the plans that changed). It is held in rdflib's
    ``SimpleMemory`` store, which adds triples about twice as fast as the default
    context-aware one: a plan's graph is written out, never queried across graphs."""
    graph = Graph(store="SimpleMemory", identifier=plan_graph_iri(plan.id))
    _PlanCompiler(plan, graph).compile()
    return graph
