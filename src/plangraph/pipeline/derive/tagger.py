"""Assign themes, target populations and framework objectives to action-level elements, each
with its evidence.

A tag is **asserted** (it becomes ``dct:subject`` / ``pg:targetPopulation`` / ``pg:alignedWith``
and feeds overlaps and gaps) only on evidence in the element's own words: its text and title,
its indicator texts and the words of its institution cells. What the ancestors say is recorded
too, as taggings of method ``inherited``, but never asserted.

Evidence, by method (each tag keeps the matched words, the method, a score and the tool version):

- ``keyword``: a label of the concept (SKOS pref/alt/hidden label, in the element's language)
  found in the element's own words, matched on lemmas (:mod:`plangraph.text.words`), never
  inside the name of a body, programme or document (:mod:`plangraph.pipeline.derive.names`);
- ``named-body``: the element names a body or programme whose mandate is the population
  (``serves`` in the authority file);
- ``mapped``: a GCM objective or SDG target reached from an asserted theme or population
  through the vocabulary's ``skos:exactMatch``/``closeMatch`` (asserted) or ``relatedMatch``
  (recorded, too weak to assert);
- ``inherited``: a label found in an ancestor's words (recorded, never asserted);
- ``curated``: given in the plan file (``tags:``), score 1.0 (:mod:`.curated`).

The scores and the threshold are :class:`Weights`; ``plangraph eval`` measures them on the
development split of the labelled sample (docs/architecture.md, "Tagging").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from plangraph.pipeline.derive.labels import GCM_SCHEME, LabelIndex, Match
from plangraph.pipeline.derive.names import NameIndex, masked_positions
from plangraph.pipeline.records import Element, ElementKind, Institution
from plangraph.rdf.namespaces import concept_iri
from plangraph.text.words import tokenize

INTERVENTIONS = frozenset(
    {ElementKind.ACTION, ElementKind.MILESTONE, ElementKind.ACTIVITY, ElementKind.IMMEDIATE_STEP}
)
"""Action-level kinds: the elements the tagger tags."""
TAGGED_SCHEMES = ("theme", "population", "gcm")
ASSERTING_METHODS = frozenset({"keyword", "named-body", "mapped", "curated"})
"""Methods whose tags may be asserted (at or above the threshold); ``inherited`` never is."""


@dataclass(frozen=True)
class Weights:
    """The scores of each kind of evidence and the threshold to assert a tag."""

    multiword: float = 0.9
    """A label of two or more content words."""
    single_word: float = 0.75
    """A one-word label."""
    hidden: float = 0.6
    """A hidden label (misspellings, names of standards)."""
    acronym: float = 0.8
    """A label that is an acronym, matched as printed."""
    in_cells: float = 0.8
    """Factor for a label found only in indicator or institution cells."""
    named_body: float = 0.8
    """A named body or programme whose mandate is the population (in the text)."""
    named_body_cell: float = 0.6
    """The same, when the body is only in the element's institution cells."""
    close_match: float = 0.9
    """Factor from an asserted concept to a framework objective it closely matches."""
    related_match: float = 0.4
    """Factor through a related match (stays below the threshold)."""
    inherited: float = 0.5
    """Factor for a label in the parent's words (further ancestors: squared)."""
    threshold: float = 0.5
    """Tags at or above this score are asserted (methods in :data:`ASSERTING_METHODS`)."""


DEFAULT_WEIGHTS = Weights()
DEFAULT_THRESHOLD = DEFAULT_WEIGHTS.threshold


@dataclass(frozen=True)
class Tag:
    """A concept assigned to an element, with its evidence."""

    concept: URIRef
    scheme: str
    method: str
    matched: str
    score: float
    asserted: bool = False


@dataclass(frozen=True)
class Evidence:
    """The words of one element the tagger reads, in the plan's language."""

    text: str
    cells: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    language: str = "es"

    @classmethod
    def of(cls, element: Element, language: str) -> Evidence:
        """An element's own words: text (and title), indicators, institution cells."""
        text = f"{element.title}. {element.text}" if element.title else element.text
        cells = tuple(q.text for q in element.indicators) + tuple(
            ref.text for ref in element.institutions
        )
        return cls(text, cells, tuple(ref.id for ref in element.institutions), language)


@dataclass
class Tagger:
    """Tags elements from a vocabulary (:class:`LabelIndex`) and an authority file."""

    labels: LabelIndex
    names: NameIndex
    weights: Weights = DEFAULT_WEIGHTS
    _population_scheme: set[URIRef] = field(default_factory=set)

    @classmethod
    def of(
        cls,
        vocab: Graph,
        institutions: Mapping[str, Institution],
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> Tagger:
        """A tagger over a vocabulary graph and the institutions of the authority file."""
        return cls(LabelIndex(vocab), NameIndex(institutions), weights)

    # -- evidence in words ---------------------------------------------------------------------

    def _score(self, m: Match) -> float:
        w = self.weights
        if m.label.kind == "hidden":
            return w.hidden
        if m.label.acronym:
            return w.acronym
        return w.multiword if m.label.content_words >= 2 else w.single_word

    def _matches(self, text: str, language: str) -> tuple[list[Match], list[str]]:
        """Labels in a text outside names, and the bodies it names."""
        tokens = tokenize(text, language)
        names = self.names.find(tokens, text)
        masked = masked_positions(tokens, names)
        found = self.labels.find(tokens, text, language, TAGGED_SCHEMES, masked)
        return found, [i for n in names for i in n.institutions]

    def own(self, evidence: Evidence) -> list[Tag]:
        """Tags from the element's own words: labels, then bodies that serve a population."""
        w = self.weights
        tags: list[Tag] = []
        found, named = self._matches(evidence.text, evidence.language)
        for m in found:
            tags.append(self._keyword(m, self._score(m)))
        for cell in evidence.cells:
            cell_found, cell_named = self._matches(cell, evidence.language)
            for m in cell_found:
                tags.append(self._keyword(m, self._score(m) * w.in_cells, cell=True))
            named += cell_named
        for inst_id, populations in self.names.serves(dict.fromkeys(named)).items():
            for pop in populations:
                tags.append(
                    Tag(
                        concept_iri("population", pop),
                        "population",
                        "named-body",
                        f"{self.names.institutions[inst_id].name} (serves {pop})",
                        w.named_body,
                    )
                )
        cell_only = [i for i in evidence.institutions if i not in named]
        for inst_id, populations in self.names.serves(cell_only).items():
            for pop in populations:
                tags.append(
                    Tag(
                        concept_iri("population", pop),
                        "population",
                        "named-body",
                        f"{self.names.institutions[inst_id].name} (in the institutions; "
                        f"serves {pop})",
                        w.named_body_cell,
                    )
                )
        return tags

    def _keyword(self, m: Match, score: float, cell: bool = False) -> Tag:
        where = " (in a cell)" if cell else ""
        label = "" if m.words.lower() == m.label.text.lower() else f" ~ label '{m.label.text}'"
        return Tag(m.label.concept, m.label.scheme, "keyword", f"{m.words}{label}{where}", score)

    def inherited(self, ancestors: Sequence[Element], language: str) -> list[Tag]:
        """Tags from the ancestors' words (nearest first): recorded, never asserted."""
        tags: list[Tag] = []
        factor = self.weights.inherited
        for depth, ancestor in enumerate(ancestors, start=1):
            where = (
                f"{ancestor.kind.value} {ancestor.code}" if ancestor.code else ancestor.kind.value
            )
            found, _ = self._matches(ancestor.text, language)
            for m in found:
                tags.append(
                    Tag(
                        m.label.concept,
                        m.label.scheme,
                        "inherited",
                        f"{m.words} (in {where})",
                        round(self._score(m) * factor**depth, 2),
                    )
                )
        return tags

    def mapped(self, asserted: Iterable[Tag]) -> list[Tag]:
        """Framework objectives reached from asserted themes and populations."""
        w = self.weights
        out: list[Tag] = []
        for tag in asserted:
            for target, how in self.labels.mappings.get(tag.concept, ()):
                factor = w.close_match if how in ("closeMatch", "exactMatch") else w.related_match
                scheme = "gcm" if str(target).startswith(str(GCM_SCHEME)) else "sdg"
                out.append(
                    Tag(
                        target,
                        scheme,
                        "mapped",
                        f"{tag.matched} → {tag.scheme} '{tag.concept.rsplit('/', 1)[-1]}' ({how})",
                        round(tag.score * factor, 2),
                    )
                )
        return out

    # -- one element ---------------------------------------------------------------------------

    def tag(self, element: Element, ancestors: Sequence[Element], language: str) -> list[Tag]:
        """Every tag of one element, best evidence per concept, asserted or recorded."""
        own = best(self.own(Evidence.of(element, language)))
        asserted = [self.decide(t) for t in own.values()]
        mapped = best(self.mapped(t for t in asserted if t.asserted))
        for concept, tag in mapped.items():
            if concept not in own or tag.score > own[concept].score:
                own[concept] = tag
        out = {c: self.decide(t) for c, t in own.items()}
        for concept, tag in best(self.inherited(ancestors, language)).items():
            if concept not in out:
                out[concept] = tag
        return sorted(out.values(), key=lambda t: (t.scheme, str(t.concept)))

    def decide(self, tag: Tag) -> Tag:
        """The tag, asserted when its method may assert and its score reaches the threshold."""
        asserted = tag.method in ASSERTING_METHODS and tag.score >= self.weights.threshold
        if asserted == tag.asserted:
            return tag
        return Tag(tag.concept, tag.scheme, tag.method, tag.matched, tag.score, asserted)


def best(tags: Iterable[Tag]) -> dict[URIRef, Tag]:
    """The strongest tag per concept (ties: the first)."""
    out: dict[URIRef, Tag] = {}
    for tag in tags:
        if tag.concept not in out or tag.score > out[tag.concept].score:
            out[tag.concept] = tag
    return out
