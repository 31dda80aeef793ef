"""Assign themes, target populations and framework objectives to action-level elements, each
with its evidence.

A tag is **asserted** (it becomes ``dct:subject`` / ``pg:targetPopulation`` / ``pg:alignedWith``
and feeds overlaps and gaps) only on evidence in the element's own words: its text and title,
its indicator texts and the words of its institution cells, or its own referring words resolved
in its parent. What the ancestors say is recorded too, as taggings of method ``inherited``, but
never asserted.

Evidence, by method (each tag keeps the matched words, the method, a score and the tool version):

- ``keyword``: a label of the concept (SKOS pref/alt/hidden label, in the element's language)
  found in the element's own words, matched on lemmas and stems (:mod:`.labels`), never inside
  the name of a body, programme or document (:mod:`.names`);
- ``named-body``: the element names a body or programme whose mandate is the population
  (``serves`` in the authority file) and concerns its service: it strengthens, funds, creates or
  widens it (:data:`SERVICE_WORDS`); naming a body to coordinate with is not serving its group.
  This rule, from the labelling guidelines, is not left to the model;
- ``resolved``: the element's own referring words ("la guía", "dicho protocolo", the object of a
  short "Create pilot portal") point to a phrase of its parent that names the concept
  (:mod:`.resolve`);
- ``mapped``: a GCM objective or SDG target reached from an asserted theme or population
  through the vocabulary's ``skos:exactMatch``/``closeMatch`` or ``relatedMatch``;
- ``inherited``: a label found in an ancestor's words (recorded, never asserted);
- ``curated``: given in the plan file (``tags:``), score 1.0 (:mod:`.curated`).

The score of a candidate is the probability the scheme's model (:mod:`.scoring`) gives its
evidence; without a model, fixed scores by kind of evidence (:class:`Weights`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plangraph.pipeline.derive.labels import GCM_SCHEME, LabelIndex, Match, is_content
from plangraph.pipeline.derive.names import NameIndex, masked_positions
from plangraph.pipeline.derive.resolve import ELLIPTICAL, referring, resolve
from plangraph.pipeline.derive.scoring import Evidence, Model, load_model
from plangraph.pipeline.records import Element, ElementKind, Institution
from plangraph.rdf.namespaces import concept_iri
from plangraph.text.words import Token, fold, tokenize

INTERVENTIONS = frozenset(
    {ElementKind.ACTION, ElementKind.MILESTONE, ElementKind.ACTIVITY, ElementKind.IMMEDIATE_STEP}
)
"""Action-level kinds: the elements the tagger tags."""
TAGGED_SCHEMES = ("theme", "population", "gcm")
READS_KEPT = 4_096
"""Texts a tagger keeps read (tokens, labels, names), so a parent is read once for all of its
children; the memory is cleared when full."""
ASSERTING_METHODS = frozenset({"keyword", "named-body", "resolved", "mapped", "curated"})
SERVICE_WORDS = {
    "es": frozenset(
        "fortalecer fortalecimiento ampliar ampliación cobertura financiar financiamiento "
        "presupuesto presupuestario asignación crear creación apoyar apoyo dotar equipar "
        "institucionalizar consolidar".split()
    ),
    "en": frozenset(
        "strengthen strengthening expand expansion coverage fund funding budget create "
        "establish support equip resource".split()
    ),
}
"""Words by which an element concerns a named body's service (the named-body rule)."""
"""Methods whose tags may be asserted (at or above the threshold); ``inherited`` never is."""


@dataclass(frozen=True)
class Weights:
    """Fixed scores of each kind of evidence, used when there is no trained model."""

    multiword: float = 0.9
    single_word: float = 0.75
    hidden: float = 0.6
    acronym: float = 0.8
    in_cells: float = 0.8
    named_body: float = 0.8
    named_body_cell: float = 0.6
    close_match: float = 0.9
    related_match: float = 0.4
    inherited: float = 0.5
    resolved: float = 0.8
    threshold: float = 0.5


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
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Words:
    """The words of one element the tagger reads: text (with title), cells, named institutions."""

    text: str
    cells: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()

    @classmethod
    def of(cls, element: Element) -> Words:
        """An element's own words."""
        text = f"{element.title}. {element.text}" if element.title else element.text
        cells = tuple(q.text for q in element.indicators) + tuple(
            ref.text for ref in element.institutions
        )
        return cls(text, cells, tuple(ref.id for ref in element.institutions))


class Tagger:
    """Tags elements from a vocabulary (:class:`LabelIndex`), an authority file
    (:class:`NameIndex`) and a model (:class:`~plangraph.pipeline.derive.scoring.Model`)."""

    def __init__(
        self,
        labels: LabelIndex,
        names: NameIndex,
        weights: Weights = DEFAULT_WEIGHTS,
        model: Model | None = None,
    ) -> None:
        self.labels = labels
        self.names = names
        self.weights = weights
        self.model = model
        # texts read before: an element's ancestors are read again for each of its children
        self._reads: dict[tuple[str, str], tuple[list[Token], list[Match], list[str]]] = {}

    @classmethod
    def of(
        cls,
        vocab: Graph,
        institutions: Mapping[str, Institution],
        weights: Weights = DEFAULT_WEIGHTS,
        model: Model | bool | None = True,
    ) -> Tagger:
        """A tagger over a vocabulary graph and an authority file; ``model=True`` loads the
        shipped model, ``False``/``None`` uses the fixed weights."""
        chosen = load_model() if model is True else (model or None)
        return cls(LabelIndex(vocab), NameIndex(institutions), weights, chosen)

    # -- reading words -------------------------------------------------------------------------

    def _read(self, text: str, language: str) -> tuple[list[Token], list[Match], list[str]]:
        """A text's tokens, its labels outside names, and the bodies it names (new lists each
        time: callers may extend them)."""
        read = self._reads.get((text, language))
        if read is None:
            tokens = tokenize(text, language)
            names = self.names.find(tokens, text)
            masked = masked_positions(tokens, names)
            found = self.labels.find(tokens, text, language, TAGGED_SCHEMES, masked)
            read = (tokens, found, [i for n in names for i in n.institutions])
            if len(self._reads) >= READS_KEPT:
                self._reads.clear()
            self._reads[text, language] = read
        return list(read[0]), list(read[1]), list(read[2])

    def _fixed(self, e: Evidence) -> float:
        w = self.weights
        if e.method == "named-body":
            return w.named_body_cell if e.in_cell else w.named_body
        if e.label_kind == "hidden":
            base = w.hidden
        elif e.acronym:
            base = w.acronym
        else:
            base = w.multiword if e.label_words >= 2 else w.single_word
        if e.method == "resolved":
            base *= w.resolved
        return base * (w.in_cells if e.in_cell else 1.0)

    def _concept_facts(self, concept: URIRef) -> dict[str, object]:
        broader = self.labels.broader.get(concept, frozenset())
        has_narrower = (None, SKOS.broader, concept) in self.labels.vocab
        return {
            "depth": len(broader),
            "has_narrower": has_narrower,
        }

    def _tag(self, concept: URIRef, scheme: str, method: str, matched: str, e: Evidence) -> Tag:
        e = replace(e, **self._concept_facts(concept))  # type: ignore[arg-type]
        e = replace(e, concept=str(concept).rstrip("/").rsplit("/", 1)[-1])
        return Tag(concept, scheme, method, matched, self._fixed(e), evidence=e)

    # -- candidates ----------------------------------------------------------------------------

    def own(self, words: Words, kind: str, language: str) -> list[Tag]:
        """Candidates from the element's own words: labels, then bodies that serve a group."""
        tags: list[Tag] = []
        tokens, found, named = self._read(words.text, language)
        size = sum(1 for t in tokens if is_content(t, language))
        base = Evidence("keyword", element_words=size, kind=kind, language=language)
        purpose = purpose_positions(tokens, language)
        topic = topic_positions(tokens, language)
        for m in found:
            e = replace(
                base, position=m.start, in_purpose=m.start in purpose, after_topic=m.start in topic
            )
            tags.append(self._keyword(m, e, ""))
        for cell in words.cells:
            _, cell_found, cell_named = self._read(cell, language)
            for m in cell_found:
                tags.append(self._keyword(m, replace(base, in_cell=True), " (in a cell)"))
            named += cell_named
        service = SERVICE_WORDS.get(language, frozenset())
        serves_body = any(t.key in service or fold(t.text) in service for t in tokens)
        served = self.names.serves(dict.fromkeys(named)) if serves_body else {}
        cell_only = self.names.serves(i for i in words.institutions if i not in named)
        for bodies, in_cell in ((served, False), (cell_only, True)):
            for inst_id, populations in bodies.items():
                where = " (in the institutions)" if in_cell else ""
                for pop in populations:
                    e = replace(base, method="named-body", in_cell=in_cell)
                    name = self.names.institutions[inst_id].name
                    matched = f"{name}{where} (serves {pop})"
                    tags.append(
                        self._tag(
                            concept_iri("population", pop), "population", "named-body", matched, e
                        )
                    )
        return tags

    def _keyword(self, m: Match, e: Evidence, where: str) -> Tag:
        label = "" if m.words.lower() == m.label.text.lower() else f" ~ label '{m.label.text}'"
        e = replace(
            e,
            quality=m.quality,
            label_kind=m.label.kind,
            label_words=m.label.content_words,
            acronym=m.label.acronym,
            label=" ".join(m.label.keys),
        )
        return self._tag(m.label.concept, m.label.scheme, "keyword", f"{m.words}{label}{where}", e)

    def resolved(
        self, element: Element, parent: Element | None, kind: str, language: str
    ) -> list[Tag]:
        """Concepts of the parent's phrases that the element's referring words point to."""
        if parent is None:
            return []
        tokens = tokenize(element.text, language)
        size = sum(1 for t in tokens if is_content(t, language))
        refs = referring(tokens, element.text, language, elliptical=size <= ELLIPTICAL)
        if not refs:
            return []
        parent_tokens, parent_matches, _ = self._read(parent.text, language)
        where = f"{parent.kind.value} {parent.code}" if parent.code else parent.kind.value
        out = []
        for r in resolve(refs, parent_tokens, parent_matches):
            m = r.match
            e = Evidence(
                "resolved",
                quality=m.quality,
                label_kind=m.label.kind,
                label_words=m.label.content_words,
                acronym=m.label.acronym,
                element_words=size,
                kind=kind,
                language=language,
            )
            matched = f"{r.words} → {m.words} (in {where})"
            out.append(self._tag(m.label.concept, m.label.scheme, "resolved", matched, e))
        return out

    def inherited(self, ancestors: Sequence[Element], language: str) -> list[Tag]:
        """Tags from the ancestors' words (nearest first): recorded, never asserted."""
        tags: list[Tag] = []
        factor = self.weights.inherited
        for depth, ancestor in enumerate(ancestors, start=1):
            where = (
                f"{ancestor.kind.value} {ancestor.code}" if ancestor.code else ancestor.kind.value
            )
            _, found, _ = self._read(ancestor.text, language)
            for m in found:
                e = Evidence("inherited", label_words=m.label.content_words)
                score = round(self._fixed(e) * factor**depth, 2)
                tags.append(
                    Tag(
                        m.label.concept,
                        m.label.scheme,
                        "inherited",
                        f"{m.words} (in {where})",
                        score,
                    )
                )
        return tags

    def mapped(self, asserted: Iterable[Tag], kind: str, language: str) -> list[Tag]:
        """Framework objectives reached from asserted themes and populations."""
        w = self.weights
        out: list[Tag] = []
        for tag in asserted:
            for target, how in self.labels.mappings.get(tag.concept, ()):
                close = how in ("closeMatch", "exactMatch")
                scheme = "gcm" if str(target).startswith(str(GCM_SCHEME)) else "sdg"
                e = Evidence(
                    "mapped-close" if close else "mapped-related",
                    kind=kind,
                    language=language,
                    source_score=tag.score,
                    concept=str(target).rstrip("/").rsplit("/", 1)[-1],
                    label=f"from {tag.concept.rsplit('/', 1)[-1]}",
                )
                matched = f"{tag.matched} → {tag.scheme} '{tag.concept.rsplit('/', 1)[-1]}' ({how})"
                score = round(tag.score * (w.close_match if close else w.related_match), 2)
                out.append(Tag(target, scheme, "mapped", matched, score, evidence=e))
        return out

    def candidates(
        self, element: Element, ancestors: Sequence[Element], language: str
    ) -> dict[URIRef, Tag]:
        """The best own-word candidate per concept (keyword, named body, resolved reference),
        with how often the concept is evidenced and whether the ancestors name it too."""
        kind = element.kind.value
        parent = ancestors[0] if ancestors else None
        found = self.own(Words.of(element), kind, language) + self.resolved(
            element, parent, kind, language
        )
        in_ancestors = {t.concept for t in self.inherited(ancestors, language)}
        counts: dict[URIRef, int] = {}
        for t in found:
            counts[t.concept] = counts.get(t.concept, 0) + 1
        per_scheme: dict[str, int] = {}
        for tag in best(found).values():
            per_scheme[tag.scheme] = per_scheme.get(tag.scheme, 0) + 1
        out: dict[URIRef, Tag] = {}
        for concept, tag in best(found).items():
            assert tag.evidence is not None
            e = replace(
                tag.evidence,
                occurrences=counts[concept],
                in_ancestors=concept in in_ancestors,
                candidates_in_scheme=per_scheme[tag.scheme],
            )
            out[concept] = replace(tag, evidence=e)
        return out

    # -- scoring and the whole element ---------------------------------------------------------

    def score(self, tag: Tag) -> Tag:
        """The tag with its score (the model's probability, or the fixed score) and whether it
        is asserted (at or above the threshold, for a method that may assert)."""
        score, threshold = tag.score, self.weights.threshold
        if self.model is not None and tag.evidence is not None and tag.method != "named-body":
            p = self.model.score(tag.scheme, tag.evidence)
            t = self.model.threshold(tag.scheme)
            if p is not None and t is not None:
                score, threshold = round(p, 3), t
        asserted = tag.method in ASSERTING_METHODS and score >= threshold
        return replace(tag, score=score, asserted=asserted)

    def tag(
        self,
        element: Element,
        ancestors: Sequence[Element],
        language: str,
        candidates: Mapping[URIRef, Tag] | None = None,
    ) -> list[Tag]:
        """Every tag of one element, best evidence per concept, asserted or recorded
        (``candidates``: :meth:`candidates`, when already computed)."""
        kind = element.kind.value
        if candidates is None:
            candidates = self.candidates(element, ancestors, language)
        own = {c: self.score(t) for c, t in candidates.items()}
        mapped = best(
            self.score(t)
            for t in self.mapped((t for t in own.values() if t.asserted), kind, language)
        )
        for concept, tag in mapped.items():
            current = own.get(concept)
            if current is None or (tag.asserted, tag.score) > (current.asserted, current.score):
                own[concept] = tag
        for concept, tag in best(self.inherited(ancestors, language)).items():
            own.setdefault(concept, tag)
        return sorted(own.values(), key=lambda t: (t.scheme, str(t.concept)))


_PURPOSE = {
    "es": ("para", "a fin de", "con el fin de", "con el objetivo de", "para que", "de manera que"),
    "en": ("in order to", "so that", "to support", "to help", "to enable", "for the purpose of"),
}
_TOPIC = {
    "es": ("en materia de", "sobre", "en torno a", "relativo a", "relativas a", "en el tema de"),
    "en": ("on", "about", "regarding", "related to", "focusing on"),
}


def _positions_after(tokens: Sequence[Token], phrases: Sequence[str], until_end: bool) -> set[int]:
    """Token positions after any of the phrases: to the end of the text (``until_end``) or only
    the next three words."""
    words = [fold(t.text) for t in tokens]
    out: set[int] = set()
    for phrase in phrases:
        parts = phrase.split()
        n = len(parts)
        for i in range(len(words) - n + 1):
            if words[i : i + n] == parts:
                stop = len(words) if until_end else min(len(words), i + n + 3)
                out.update(range(i + n, stop))
    return out


def purpose_positions(tokens: Sequence[Token], language: str) -> set[int]:
    """Positions inside a purpose clause ("… para facilitar el acceso …")."""
    return _positions_after(tokens, _PURPOSE.get(language, ()), until_end=True)


def topic_positions(tokens: Sequence[Token], language: str) -> set[int]:
    """Positions right after a topic marker ("talleres sobre …", "en materia de …")."""
    return _positions_after(tokens, _TOPIC.get(language, ()), until_end=False)


def best(tags: Iterable[Tag]) -> dict[URIRef, Tag]:
    """The strongest tag per concept (ties: the first)."""
    out: dict[URIRef, Tag] = {}
    for tag in tags:
        if tag.concept not in out or tag.score > out[tag.concept].score:
            out[tag.concept] = tag
    return out
