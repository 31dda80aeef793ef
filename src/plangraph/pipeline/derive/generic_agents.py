"""Resolve a regional plan's generic agents to the national bodies of its member states.

A generic agent of the authority file that says the public function of the bodies it names and
``scope: member-states`` ("Ministerios de Relaciones Exteriores": foreign affairs) stands, in a
plan whose region plangraph knows, for the bodies of that function in the region's member
countries. For every plan P whose free-text ``region`` matches a region of
``ontology/vocab/regions.ttl``, every such agent G that P names (a participation in one of its
elements, or as its publisher) and every named institution I with G's function whose country is a
member of P's region, the derived graph gets::

    P pg:inRegion R .
    G pg:standsFor I .
    <P/resolution/G/I> a pg:Resolution ; pg:genericAgent G ; pg:resolvedTo I ; pg:forPlan P ;
        pg:inRegion R ; pg:publicFunction F ; pg:countryCode "GT" ;
        pg:method "member-state-function" ; pg:explanation "…"@en ;
        prov:wasDerivedFrom <the participations of G in P> ;
        prov:wasGeneratedBy <activity/generic-resolution> ; pg:toolVersion "…" .

A generic agent with no function or no scope, a plan with no region or one no region concept
matches, and a function no member's institution holds resolve to nothing. Nothing is written in
a plan's graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from plangraph._version import __version__
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus, Plan
from plangraph.pipeline.records import AgentScope, Institution, format_lines
from plangraph.rdf.iris import BASE
from plangraph.rdf.namespaces import (
    PG,
    concept_iri,
    institution_iri,
    plan_iri,
    scheme_iri,
)
from plangraph.text.words import fold

ACTIVITY = URIRef(f"{BASE}activity/generic-resolution")
METHOD = "member-state-function"
REGION_SCHEME = scheme_iri("region")


@dataclass(frozen=True)
class Region:
    """A region of the region scheme: its concept, names and member countries."""

    iri: URIRef
    label: str
    names: frozenset[str]
    """Folded notation and labels its plans' free-text ``region`` may use."""
    members: frozenset[str]


@dataclass(frozen=True)
class Naming:
    """Where a plan names a generic agent: a participation (or the plan, for its publisher)."""

    evidence: URIRef
    text: str
    role: str
    lines: str
    """The source lines of the words, as in plan files ("541", "49, 56-57"); empty if unknown."""


@dataclass(frozen=True)
class Resolution:
    """One derived link: generic agent ``agent``, as plan ``plan`` names it, includes
    ``institution``."""

    plan: str
    agent: str
    institution: str
    region: URIRef
    function: str
    country: str
    namings: tuple[Naming, ...]
    explanation: str

    @property
    def iri(self) -> URIRef:
        """The resolution node, under its plan's IRI (deterministic)."""
        return URIRef(f"{plan_iri(self.plan)}/resolution/{self.agent}/{self.institution}")


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def _label(vocab: Graph, node: URIRef, lang: str = "en") -> str:
    labels = {
        lit.language: str(lit)
        for lit in vocab.objects(node, SKOS.prefLabel)
        if isinstance(lit, Literal)
    }
    return labels.get(lang) or labels.get("es") or str(node).rsplit("/", 1)[-1]


def regions(vocab: Graph) -> list[Region]:
    """The regions of ``ontology/vocab/regions.ttl`` in the vocabulary graph, sorted by IRI."""
    out = []
    for concept in sorted(vocab.subjects(SKOS.inScheme, REGION_SCHEME), key=str):
        if not isinstance(concept, URIRef):
            continue
        names = {
            _key(str(lit))
            for prop in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel)
            for lit in vocab.objects(concept, prop)
        }
        members = frozenset(str(code) for code in vocab.objects(concept, PG.memberCountry))
        out.append(Region(concept, _label(vocab, concept), frozenset(names), members))
    return out


def match_region(text: str | None, known: list[Region]) -> Region | None:
    """The region a plan's free-text ``region`` names: equal, without case, accents or extra
    spaces, to a region's notation or one of its labels (None when none or several match)."""
    if not text:
        return None
    found = [r for r in known if _key(text) in r.names]
    return found[0] if len(found) == 1 else None


def namings(plan: Plan) -> dict[str, list[Naming]]:
    """Every institution id the plan names, with where: its participations in elements (the
    compiler's ``<element>/participation-<n>`` nodes) and its publishers (the plan itself)."""
    out: dict[str, list[Naming]] = defaultdict(list)
    meta = plan.record.plan
    issuer_lines = format_lines(meta.issuer_lines) if meta.issuer_lines else ""
    for inst in meta.issuer:
        text = meta.issuer_text or inst
        out[inst].append(Naming(plan_iri(plan.id), text, "publisher", issuer_lines))
    iris = element_iris(plan)
    for path, el, _parent in plan.walk():
        for i, ref in enumerate(el.institutions, start=1):
            node = URIRef(f"{iris[path]}/participation-{i}")
            lines = format_lines(ref.lines or el.lines)
            out[ref.id].append(Naming(node, ref.text, ref.role.value, lines))
    return out


def _lines_label(lines: list[str]) -> str:
    """'line 541', 'lines 37-38', 'lines 37, 870'."""
    one = len(lines) == 1 and lines[0].isdigit()
    return ("line " if one else "lines ") + ", ".join(lines)


def _explanation(
    plan: Plan,
    agent: Institution,
    body: Institution,
    region: Region,
    function_label: str,
    found: list[Naming],
) -> str:
    words: dict[str, list[str]] = defaultdict(list)
    for naming in found:
        if naming.lines and naming.lines not in words[naming.text]:
            words[naming.text].append(naming.lines)
    printed = "; ".join(
        f"“{text}”" + (f" ({_lines_label(lines)})" if lines else "")
        for text, lines in words.items()
    )
    function = function_label.lower()
    return (
        f"{plan.id} names {printed}: the generic agent {agent.id} (“{agent.name}”), the "
        f"{function} bodies of the member states of its region. Its region "
        f"“{plan.record.plan.region}” is the {region.label}, of which {body.country} is a "
        f"member; {body.id} ({body.name}) is {body.country}'s {function} body."
    )


def resolve_generic_agents(corpus: Corpus, vocab: Graph) -> list[Resolution]:
    """Every resolution of the corpus, sorted by plan, agent and institution."""
    known = regions(vocab)
    by_function: dict[str, list[Institution]] = defaultdict(list)
    for inst in sorted(corpus.institutions.values(), key=lambda i: i.id):
        if inst.generic or inst.is_programme or not inst.country:
            continue
        for function in inst.function:
            by_function[function].append(inst)
    out: list[Resolution] = []
    for plan in sorted(corpus.plans, key=lambda p: p.id):
        region = match_region(plan.record.plan.region, known)
        if region is None:
            continue
        for agent_id, found in sorted(namings(plan).items()):
            agent = corpus.institutions.get(agent_id)
            if agent is None or not agent.generic or agent.scope is not AgentScope.MEMBER_STATES:
                continue
            (function,) = agent.function  # the records allow one function per generic agent
            label = _label(vocab, concept_iri("public-function", function))
            for body in by_function.get(function, []):
                if body.country not in region.members:
                    continue
                assert body.country is not None
                out.append(
                    Resolution(
                        plan.id,
                        agent.id,
                        body.id,
                        region.iri,
                        function,
                        body.country,
                        tuple(found),
                        _explanation(plan, agent, body, region, label, found),
                    )
                )
    return out


def plan_regions(corpus: Corpus, vocab: Graph) -> dict[str, URIRef]:
    """Plan id → the region concept its free-text ``region`` matches (matched plans only)."""
    known = regions(vocab)
    out = {}
    for plan in corpus.plans:
        region = match_region(plan.record.plan.region, known)
        if region is not None:
            out[plan.id] = region.iri
    return out


def resolution_graph(corpus: Corpus, vocab: Graph, graph: Graph | None = None) -> Graph:
    """The derived triples of the resolution (added to ``graph`` when given)."""
    g = graph if graph is not None else Graph()
    version = Literal(__version__)
    for plan_id, region_iri in sorted(plan_regions(corpus, vocab).items()):
        g.add((plan_iri(plan_id), PG.inRegion, region_iri))
    for res in resolve_generic_agents(corpus, vocab):
        node = res.iri
        agent, body = institution_iri(res.agent), institution_iri(res.institution)
        g.add((agent, PG.standsFor, body))
        g.add((node, RDF.type, PG.Resolution))
        g.add((node, PG.genericAgent, agent))
        g.add((node, PG.resolvedTo, body))
        g.add((node, PG.forPlan, plan_iri(res.plan)))
        g.add((node, PG.inRegion, res.region))
        g.add((node, PG.publicFunction, concept_iri("public-function", res.function)))
        g.add((node, PG.countryCode, Literal(res.country)))
        g.add((node, PG.method, Literal(METHOD, datatype=XSD.string)))
        g.add((node, PG.explanation, Literal(res.explanation, lang="en")))
        for naming in res.namings:
            g.add((node, PROV.wasDerivedFrom, naming.evidence))
        g.add((node, PROV.wasGeneratedBy, ACTIVITY))
        g.add((node, PG.toolVersion, version))
    g.add((ACTIVITY, RDF.type, PROV.Activity))
    g.add((ACTIVITY, PG.toolVersion, version))
    g.add(
        (
            ACTIVITY,
            PG.method,
            Literal(
                "plangraph generic-agent resolution: a generic agent with a public function and "
                "scope member-states, named in a plan whose region (matched by notation or label "
                "in ontology/vocab/regions.ttl) lists member countries, stands for every named "
                "institution of the same function (exact match) whose country is a member",
                datatype=XSD.string,
            ),
        )
    )
    return g
