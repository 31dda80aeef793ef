"""The labels of the vocabularies, ready for matching in plan text.

Every ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` of the theme, population,
GCM-objective and framework schemes is tokenised in its own language (:mod:`plangraph.text.words`:
lemmas, stems, acronyms as printed) and indexed by its first content stem.
:meth:`LabelIndex.find` returns the labels found in a tokenised text, outside masked positions
(names), as one of three qualities:

- ``exact``: the label's lemmas, function words included, in a row ("capacitación de
  funcionarios" in "capacitaciones de funcionarias");
- ``stem``: its content words' stems in a row ("capacitar a los funcionarios");
- ``gapped``: its content stems in order with at most ``max_gap`` other content words between
  two of them ("capacitación dirigida a funcionarios").

Where labels of one scheme overlap, the one with more content words wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plangraph.rdf.namespaces import scheme_iri
from plangraph.text.words import STOP_WORDS, Token, tokenize

QUALITIES = ("exact", "stem", "gapped")

SCHEMES = ("theme", "population", "gcm", "framework")
"""Schemes whose labels are matched in plan text."""
SDG_SCHEME = scheme_iri("sdg")
GCM_SCHEME = scheme_iri("gcm")


@dataclass(frozen=True)
class Label:
    """One label of a concept, tokenised in its language."""

    concept: URIRef
    scheme: str
    text: str
    language: str
    kind: str  # pref, alt or hidden
    keys: tuple[str, ...]
    stems: tuple[str, ...]
    """Stems of the content words (function words dropped)."""
    acronym: bool = False

    @property
    def content_words(self) -> int:
        """How many words of the label are not function words."""
        return len(self.stems)


@dataclass(frozen=True)
class Match:
    """A label found in a text at token positions [start, end), with the words as printed."""

    label: Label
    start: int
    end: int
    words: str
    quality: str = "exact"


class LabelIndex:
    """The labels of the matched schemes, per language, indexed by their first key."""

    def __init__(self, vocab: Graph, schemes: Sequence[str] = SCHEMES) -> None:
        self.vocab = vocab
        self.scheme_of: dict[URIRef, str] = {}
        self._by_first: dict[str, dict[str, list[Label]]] = {}
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
                        language = getattr(lit, "language", None) or "es"
                        tokens = tokenize(str(lit), language)
                        stems = tuple(t.stem for t in tokens if is_content(t, language))
                        if scheme == "gcm" and len(stems) < 2:
                            continue  # a GCM objective's one-word short title is no evidence
                        if stems:
                            label = Label(
                                concept,
                                scheme,
                                str(lit),
                                language,
                                kind,
                                tuple(t.key for t in tokens),
                                stems,
                                len(tokens) == 1 and tokens[0].acronym,
                            )
                            self._by_first.setdefault(language, {}).setdefault(stems[0], []).append(
                                label
                            )
        for by_first in self._by_first.values():
            for labels in by_first.values():
                # a stable order: longest first, preferred labels before others, then by text
                labels.sort(
                    key=lambda lb: (-len(lb.keys), lb.kind != "pref", str(lb.concept), lb.text)
                )

    @cached_property
    def broader(self) -> dict[URIRef, frozenset[URIRef]]:
        """Every concept's broader concepts (transitive), within its scheme."""
        out: dict[URIRef, frozenset[URIRef]] = {}
        for concept in self.scheme_of:
            seen: set[URIRef] = set()
            todo = [concept]
            while todo:
                for up in self.vocab.objects(todo.pop(), SKOS.broader):
                    if isinstance(up, URIRef) and up not in seen:
                        seen.add(up)
                        todo.append(up)
            out[concept] = frozenset(seen)
        return out

    @cached_property
    def mappings(self) -> dict[URIRef, list[tuple[URIRef, str]]]:
        """Theme/population concept → framework concepts (GCM objectives, SDG targets) with the
        kind of mapping (``closeMatch``, ``exactMatch``, ``relatedMatch``)."""
        out: dict[URIRef, list[tuple[URIRef, str]]] = {}
        frameworks = {GCM_SCHEME, SDG_SCHEME}
        for concept, scheme in self.scheme_of.items():
            if scheme not in ("theme", "population"):
                continue
            for prop, name in (
                (SKOS.exactMatch, "exactMatch"),
                (SKOS.closeMatch, "closeMatch"),
                (SKOS.relatedMatch, "relatedMatch"),
            ):
                for target in self.vocab.objects(concept, prop):
                    if isinstance(target, URIRef) and self.vocab.value(target, SKOS.inScheme) in (
                        frameworks
                    ):
                        out.setdefault(concept, []).append((target, name))
        for targets in out.values():
            targets.sort(key=lambda t: (str(t[0]), t[1]))
        return out

    def find(
        self,
        tokens: Sequence[Token],
        text: str,
        language: str,
        schemes: Iterable[str],
        masked: frozenset[int] = frozenset(),
        max_gap: int = 1,
    ) -> list[Match]:
        """Labels of ``schemes`` in a tokenised text, none touching a masked token; where
        labels of one scheme overlap, the one with more content words wins."""
        wanted = set(schemes)
        content = [i for i, t in enumerate(tokens) if is_content(t, language)]
        by_first = self._by_first.get(language, {})
        keys = tuple(t.key for t in tokens)
        found: list[Match] = []
        for ci, i in enumerate(content):
            if i in masked:
                continue
            for label in by_first.get(tokens[i].stem, ()):
                if label.scheme not in wanted:
                    continue
                match = _match_at(label, tokens, keys, content, ci, masked, max_gap)
                if match is not None:
                    start, end, quality = match
                    words = text[tokens[start].start : tokens[end - 1].end]
                    found.append(Match(label, start, end, words, quality))
        found.sort(
            key=lambda m: (
                -m.label.content_words,
                QUALITIES.index(m.quality),
                m.start,
                str(m.label.concept),
                m.label.text,
            )
        )
        kept: list[Match] = []
        for m in found:
            # a label inside a longer one of the same scheme adds nothing when its concept is the
            # same or broader ("niñez migrante" inside "niñez migrante retornada"); an unrelated
            # concept stays ("niñas … migrantes y con necesidades de protección internacional"
            # names both groups)
            if any(
                k.label.scheme == m.label.scheme
                and k.start < m.end
                and m.start < k.end
                and (k.label.content_words, -QUALITIES.index(k.quality))
                > (m.label.content_words, -QUALITIES.index(m.quality))
                and (
                    k.label.concept == m.label.concept
                    or m.label.concept in self.broader.get(k.label.concept, frozenset())
                    or not (k.start <= m.start and m.end <= k.end)
                )
                for k in kept
            ):
                continue
            if any(k.label.concept == m.label.concept and k.start == m.start for k in kept):
                continue
            kept.append(m)
        return sorted(kept, key=lambda m: (m.start, str(m.label.concept), m.label.text))


def is_content(token: Token, language: str) -> bool:
    """A word that carries meaning: not a function word of the language, not one letter."""
    if token.acronym:
        return True
    return len(token.key) > 1 and token.key not in STOP_WORDS.get(language, frozenset())


def _match_at(
    label: Label,
    tokens: Sequence[Token],
    keys: tuple[str, ...],
    content: Sequence[int],
    ci: int,
    masked: frozenset[int],
    max_gap: int,
) -> tuple[int, int, str] | None:
    """Where ``label`` matches from the content word ``content[ci]``: token range and quality
    (``keys``: the tokens' keys, computed once per text)."""
    start = content[ci]
    n = len(label.keys)
    if keys[start : start + n] == label.keys and not (
        masked and any(p in masked for p in range(start, start + n))
    ):
        return start, start + n, "exact"
    if len(label.stems) == 1 and (len(label.stems[0]) < 7 or len(label.keys) > 1):
        # a short one-word label matches its own lemma only, and so does a label whose other
        # words are function words ("would-be migrants"); a long stem joins a verb and its noun
        # ("capacitar", "capacitación")
        return None
    positions = [ci]
    for stem in label.stems[1:]:
        nxt = next(
            (
                cj
                for cj in range(positions[-1] + 1, min(len(content), positions[-1] + 2 + max_gap))
                if tokens[content[cj]].stem == stem
            ),
            None,
        )
        if nxt is None or content[nxt] in masked:
            return None
        positions.append(nxt)
    end = content[positions[-1]] + 1
    if masked and any(p in masked for p in range(start, end)):
        return None
    quality = "stem" if positions == list(range(ci, ci + len(positions))) else "gapped"
    return start, end, quality
