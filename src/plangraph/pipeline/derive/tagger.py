"""Assign themes, target populations and framework objectives to action-level elements.

A keyword tagger over the SKOS labels of ``ontology/vocab/`` (prefLabel, altLabel, hiddenLabel),
on Spanish text normalised by :func:`tokens` (accents and case folded, light plural/gender
stemming). No network, no model. Each tag keeps its evidence:

- ``keyword``: a label found in the element's own text (score 1.0 for multi-word labels, 0.8 for
  one word, 0.7 for hidden labels);
- ``inherited``: found in an ancestor's text (the result, line, objective or axis it serves),
  score multiplied by a per-scheme factor (``INHERIT``: populations are usually named at the
  objective level, themes of an ancestor are weaker evidence for each action under it);
- ``mapped``: a GCM objective or SDG target reached from a theme or population tag through
  ``skos:closeMatch`` (×0.8) or ``skos:relatedMatch`` (×0.5);
- ``curated``: given in the plan file (``tags:``), score 1.0; ``tags.not`` removes derived tags.

The longest label wins where labels of one scheme overlap. Tags at or above ``threshold`` are
also asserted as ``dct:subject`` / ``pg:targetPopulation`` / ``pg:alignedWith`` in the derived
graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from plangraph._version import __version__
from plangraph.errors import InputError, Problem
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus, Plan
from plangraph.pipeline.records import Element, ElementKind
from plangraph.pipeline.yamlsource import field_name, line_of
from plangraph.rdf.iris import BASE
from plangraph.rdf.namespaces import PG, concept_iri, plan_iri, scheme_iri

INTERVENTIONS = {
    ElementKind.ACTION,
    ElementKind.MILESTONE,
    ElementKind.ACTIVITY,
    ElementKind.IMMEDIATE_STEP,
}
TAGGED_SCHEMES = ("theme", "population")
DEFAULT_THRESHOLD = 0.5
#: score factor for labels found in the parent's text, and in ancestors further up
INHERIT = {"theme": (0.6, 0.4), "population": (0.9, 0.6), "framework": (0.0, 0.0)}
TAGGER = URIRef(f"{BASE}activity/tagger")
SDG_SCHEME = scheme_iri("sdg")
GCM_SCHEME = scheme_iri("gcm")
PROPERTY = {
    "theme": DCTERMS.subject,
    "population": PG.targetPopulation,
    "gcm": PG.alignedWith,
    "sdg": PG.alignedWith,
}
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    plural_es = word.endswith("es") and len(word) > 4 and word[-3] in "rlndzj"
    if word.endswith(("ciones", "siones")) or plural_es:
        word = word[:-2]
    elif word.endswith("s"):
        word = word[:-1]
    if len(word) >= 5 and word[-1] in "ao":
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Normalised word stems of Spanish (or English) text.

    >>> tokens("Protección consular de niñas y niños migrantes")
    ['proteccion', 'consular', 'de', 'nina', 'y', 'nino', 'migrante']
    >>> tokens("funcionarios consulares") == tokens("funcionario consular")
    True
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_stem(w) for w in _WORD.findall(folded)]


@dataclass(frozen=True)
class Label:
    """One label of a concept, tokenised."""

    concept: URIRef
    scheme: str
    text: str
    kind: str  # pref, alt or hidden
    tokens: tuple[str, ...]

    @property
    def score(self) -> float:
        """Base score of a match on this label."""
        if self.kind == "hidden":
            return 0.7
        return 1.0 if len(self.tokens) > 1 else 0.8


@dataclass(frozen=True)
class Match:
    """A label found in a text at token positions [start, end)."""

    label: Label
    start: int
    end: int


@dataclass(frozen=True)
class Tag:
    """A concept assigned to an element, with its evidence."""

    concept: URIRef
    scheme: str
    method: str
    matched: str
    score: float


class LabelIndex:
    """The labels of the tagged schemes, indexed by first token."""

    def __init__(self, vocab: Graph, schemes: Sequence[str] = (*TAGGED_SCHEMES, "framework")):
        self.vocab = vocab
        self.by_first: dict[str, list[Label]] = {}
        self.scheme_of: dict[URIRef, str] = {}
        for scheme in schemes:
            for concept in sorted(vocab.subjects(SKOS.inScheme, scheme_iri(scheme)), key=str):
                if not isinstance(concept, URIRef):
                    continue
                self.scheme_of[concept] = scheme
                for prop, kind in (
                    (SKOS.prefLabel, "pref"),
                    (SKOS.altLabel, "alt"),
                    (SKOS.hiddenLabel, "hidden"),
                ):
                    for lit in vocab.objects(concept, prop):
                        toks = tuple(tokens(str(lit)))
                        if toks:
                            label = Label(concept, scheme, str(lit), kind, toks)
                            self.by_first.setdefault(toks[0], []).append(label)
        for labels in self.by_first.values():
            # label text last: labels that stem alike ("campaña", "campañas") tie otherwise,
            # and rdflib yields them in hash order, which differs between processes
            labels.sort(
                key=lambda lb: (-len(lb.tokens), lb.kind != "pref", str(lb.concept), lb.text)
            )

    @cached_property
    def mappings(self) -> dict[URIRef, list[tuple[URIRef, str, float]]]:
        """Theme/population concept → framework concepts (GCM, SDG) with the mapping factor."""
        out: dict[URIRef, list[tuple[URIRef, str, float]]] = {}
        frameworks = {GCM_SCHEME: "gcm", SDG_SCHEME: "sdg"}
        for concept in self.scheme_of:
            for prop, factor, name in (
                (SKOS.closeMatch, 0.8, "closeMatch"),
                (SKOS.exactMatch, 0.9, "exactMatch"),
                (SKOS.relatedMatch, 0.5, "relatedMatch"),
            ):
                for target in self.vocab.objects(concept, prop):
                    scheme = self.vocab.value(target, SKOS.inScheme)
                    if isinstance(target, URIRef) and scheme in frameworks:
                        out.setdefault(concept, []).append((target, name, factor))
        for targets in out.values():
            targets.sort(key=lambda t: str(t[0]))
        return out

    def find(self, text: str, schemes: Iterable[str] = TAGGED_SCHEMES) -> list[Match]:
        """Labels of the given schemes in the text; where labels of one scheme overlap, the
        longest wins."""
        wanted = set(schemes)
        toks = tokens(text)
        found: list[Match] = []
        for i, tok in enumerate(toks):
            for label in self.by_first.get(tok, ()):
                n = len(label.tokens)
                if label.scheme in wanted and tuple(toks[i : i + n]) == label.tokens:
                    found.append(Match(label, i, i + n))
        found.sort(
            key=lambda m: (
                -(m.end - m.start),
                m.start,
                str(m.label.concept),
                m.label.kind != "pref",
                m.label.text,
            )
        )
        kept: list[Match] = []
        for m in found:
            if any(
                k.label.scheme == m.label.scheme
                and k.start <= m.start
                and m.end <= k.end
                and (k.end - k.start) > (m.end - m.start)
                for k in kept
            ):
                continue
            kept.append(m)
        return sorted(
            kept,
            key=lambda m: (m.start, str(m.label.concept), m.label.kind != "pref", m.label.text),
        )


def _best(tags: Iterable[Tag]) -> dict[URIRef, Tag]:
    best: dict[URIRef, Tag] = {}
    for tag in tags:
        if tag.concept not in best or tag.score > best[tag.concept].score:
            best[tag.concept] = tag
    return best


def tag_element(index: LabelIndex, element: Element, ancestors: Sequence[Element]) -> list[Tag]:
    """Derived tags of one element from its text and its ancestors' (nearest first)."""
    tags: list[Tag] = []
    for m in index.find(element.text):
        tags.append(Tag(m.label.concept, m.label.scheme, "keyword", m.label.text, m.label.score))
    for depth, ancestor in enumerate(ancestors, start=1):
        where = f"{ancestor.kind.value} {ancestor.code}" if ancestor.code else ancestor.kind.value
        for m in index.find(ancestor.text):
            parent_factor, deeper_factor = INHERIT[m.label.scheme]
            factor = parent_factor if depth == 1 else deeper_factor
            if factor > 0:
                tags.append(
                    Tag(
                        m.label.concept,
                        m.label.scheme,
                        "inherited",
                        f"{m.label.text} (in {where})",
                        round(m.label.score * factor, 2),
                    )
                )
    best = _best(tags)
    mapped: list[Tag] = []
    for tag in best.values():
        for target, how, factor in index.mappings.get(tag.concept, ()):
            scheme = "gcm" if str(target).startswith(str(GCM_SCHEME)) else "sdg"
            mapped.append(
                Tag(
                    target,
                    scheme,
                    "mapped",
                    f"via {tag.scheme} '{tag.concept.rsplit('/', 1)[-1]}' ({how})",
                    round(tag.score * factor, 2),
                )
            )
    best.update({k: v for k, v in _best(mapped).items() if k not in best})
    return sorted(best.values(), key=lambda t: (t.scheme, str(t.concept)))


def _curated(
    plan: Plan, path: tuple[str | int, ...], element: Element, index: LabelIndex
) -> tuple[list[Tag], set[URIRef], list[Problem]]:
    tags: list[Tag] = []
    removed: set[URIRef] = set()
    problems: list[Problem] = []
    if element.tags is None:
        return tags, removed, problems
    known = (
        set(index.scheme_of)
        | set(index.vocab.subjects(SKOS.inScheme, GCM_SCHEME))
        | set(index.vocab.subjects(SKOS.inScheme, SDG_SCHEME))
    )

    def concept(scheme: str, ident: str, key: str, i: int) -> URIRef | None:
        iri = (
            URIRef(f"http://metadata.un.org/sdg/{ident}")
            if scheme == "sdg"
            else concept_iri("gcm", f"objective-{ident}")
            if scheme == "gcm"
            else concept_iri(scheme, ident)
        )
        if iri not in known:
            sub = (*path, "tags", key, i)
            problems.append(
                Problem(
                    plan.file,
                    line_of(plan.lines, sub),
                    field_name(sub),
                    f"unknown {scheme} concept '{ident}'",
                )
            )
            return None
        return iri

    for key, scheme in (
        ("themes", "theme"),
        ("populations", "population"),
        ("gcm", "gcm"),
        ("sdg", "sdg"),
    ):
        for i, ident in enumerate(getattr(element.tags, key)):
            iri = concept(scheme, str(ident), key, i)
            if iri is not None:
                tags.append(Tag(iri, scheme, "curated", "given in the plan file", 1.0))
    for i, ref in enumerate(element.tags.not_):
        scheme, _, ident = ref.partition("/")
        if scheme not in ("theme", "population", "gcm", "sdg") or not ident:
            sub = (*path, "tags", "not", i)
            problems.append(
                Problem(
                    plan.file,
                    line_of(plan.lines, sub),
                    field_name(sub),
                    f"'{ref}' is not <theme|population|gcm|sdg>/<id>",
                )
            )
            continue
        iri = concept(scheme, ident, "not", i)
        if iri is not None:
            removed.add(iri)
    return tags, removed, problems


@dataclass(frozen=True)
class TagResult:
    """Tags per element IRI, plus resolved declared populations and citations."""

    tags: dict[URIRef, list[Tag]]
    refers: dict[URIRef, list[Tag]]


def tag_corpus(corpus: Corpus, vocab: Graph, index: LabelIndex | None = None) -> TagResult:
    """Tag every action-level element of every plan; resolve declared populations and
    citations to concepts. Unknown curated concepts raise InputError with file and line."""
    index = index or LabelIndex(vocab)
    tags: dict[URIRef, list[Tag]] = {}
    refers: dict[URIRef, list[Tag]] = {}
    problems: list[Problem] = []
    for plan in corpus.plans:
        iris = element_iris(plan)
        chain: dict[tuple[str | int, ...], list[Element]] = {}
        for path, element, _parent in plan.walk():
            parent_path = path[:-2]
            ancestors = chain.get(parent_path, [])
            chain[path] = [element, *ancestors]
            curated, removed, probs = _curated(plan, path, element, index)
            problems += probs
            if element.kind not in INTERVENTIONS and not curated:
                continue
            derived = (
                tag_element(index, element, ancestors) if element.kind in INTERVENTIONS else []
            )
            merged = _best([t for t in derived if t.concept not in removed] + curated)
            tags[iris[path]] = sorted(merged.values(), key=lambda t: (t.scheme, str(t.concept)))
        base = plan_iri(plan.id)
        for i, quote in enumerate(plan.record.plan.populations, start=1):
            found = index.find(quote.text, ("population",))
            refers[URIRef(f"{base}/population-{i}")] = [
                Tag(m.label.concept, "population", "keyword", m.label.text, m.label.score)
                for m in found
            ]
        for i, quote in enumerate(plan.record.plan.cites, start=1):
            found = index.find(quote.text, ("framework",))
            refers[URIRef(f"{base}/citation-{i}")] = [
                Tag(m.label.concept, "framework", "keyword", m.label.text, m.label.score)
                for m in found
            ]
    if problems:
        raise InputError(problems)
    return TagResult(tags, refers)


def tags_graph(
    result: TagResult, threshold: float = DEFAULT_THRESHOLD, graph: Graph | None = None
) -> Graph:
    """The derived triples: taggings with evidence, and shortcut triples for tags at or above
    the threshold."""
    g = graph if graph is not None else Graph()
    version = Literal(__version__)
    for element, tags in result.tags.items():
        for tag in tags:
            local = str(tag.concept).rstrip("/").rsplit("/", 1)[-1]
            node = URIRef(f"{element}/tag/{tag.scheme}/{local}")
            g.add((element, PG.hasTagging, node))
            g.add((node, RDF.type, PG.Tagging))
            g.add((node, PG.concept, tag.concept))
            g.add((node, PG.method, Literal(tag.method, datatype=XSD.string)))
            g.add((node, PG.matchedText, Literal(tag.matched)))
            g.add((node, PG.score, Literal(Decimal(f"{tag.score:.2f}"), datatype=XSD.decimal)))
            g.add((node, PG.toolVersion, version))
            g.add((node, PROV.wasGeneratedBy, TAGGER))
            if tag.score >= threshold:
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
                f"plangraph keyword tagger over SKOS labels; threshold {threshold}",
                datatype=XSD.string,
            ),
        )
    )
    return g
