"""The two signals of the near-duplicate search (:mod:`plangraph.analysis.similarity`): the
content terms of an element's text (lemmas reduced to stems, the vocabulary every plan uses to
say that something will be done left out), and the weighted concepts the tagger gives it.

>>> [stem for stem, _ in element_terms("Fortalecer la capacitación de funcionarios consulares")]
['capacit', 'funcionari', 'consul']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plangraph.text.words import STOP_WORDS, tokenize

INHERITED_WEIGHT = 0.5
"""Weight of a concept found only in an ancestor's words (an asserted concept weighs 1)."""
INHERITED_MIN_SCORE = 0.2
"""Inherited taggings below this score (ancestors further up than the grandparent) are left
out."""
BROADER_WEIGHT = 0.5
"""A concept's broader concepts are added with this share of its weight."""

# The words of action plans that carry no topic: what is done to *something* ("fortalecer",
# "promover", "implementar", "diseño", "acciones", "mecanismo", "tema"), never what. Chosen from
# the DEV pairs (the shared words of pairs labelled unrelated: "implementar" 25 pairs,
# "mecanismo" 18, "promover" 16, "fortalecer" 16, "establecer" 16, "desarrollar" 15, "trabajar"
# 12, "tema" 11, "realizar" 10, "identificar" 10 …) and the corpus statistics (words in four or
# five of the five seed plans: "implementar", "desarrollar", "establecer", "fortalecer",
# "mecanismo", "crear", "elaborar", "nivel"), keeping only verbs and nouns of doing and
# framing. Words of the domain ("migrante", "niñez", "protección") are not listed: idf weighs
# them per corpus. "Formación" (training) is not "forma" and is kept; "participación" can be a
# topic (child participation) and is kept. The English list is the same vocabulary in the U.S.
# Federal Data Strategy plans (tests/data/corpora/us-fds-2021). Written as words; compared as
# the stems of their lemmas (:func:`element_terms`).
PLAN_WORDS = {
    "es": """
    fortalecer fortalecimiento promover promoción implementar implementación desarrollar
    desarrollo establecer establecimiento realizar realización crear creación elaborar
    elaboración impulsar impulso apoyar apoyo identificar identificación definir definición
    diseñar diseño generar incluir incorporar permitir brindar trabajar trabajo mecanismo
    mecanismos acción acciones tema temas materia proceso procesos nivel marco propuesta
    iniciativa garantizar contar continuar buscar fomentar facilitar asegurar lograr
    contribuir seguir mejorar mejoramiento ejecutar ejecución
    """,
    "en": """
    develop development support identify include improve improvement establish implement
    implementation provide make help ensure increase create enable facilitate promote
    leverage conduct begin encourage consider effort action actions plan activity activities
    approach process need new current complete address relate additional appropriate level
    area result work initiative strengthen continue
    """,
}
"""Per language, the plan vocabulary that carries no topic (compared as stems)."""


@lru_cache(maxsize=100_000)
def term_keys(text: str, language: str) -> list[tuple[str, str]]:
    stop = STOP_WORDS.get(language, frozenset())
    return [
        (t.stem, t.key)
        for t in tokenize(text, language)
        if len(t.key) > 1 and t.key not in stop and not t.key.isdigit()
    ]


@lru_cache(maxsize=8)
def plan_stop_stems(language: str) -> frozenset[str]:
    """The stems of :data:`PLAN_WORDS` of a language (none for other languages).

    >>> sorted(plan_stop_stems("es"))[:4]
    ['accion', 'apoyar', 'apoyo', 'asegur']
    """
    text = PLAN_WORDS.get(language, "")
    return frozenset(stem for stem, _ in term_keys(text, language))


def element_terms(text: str, language: str = "es") -> list[tuple[str, str]]:
    """The terms of a text: (stem, lemma) of each content word, without function words, digits
    and the plan vocabulary of :data:`PLAN_WORDS`.

    >>> element_terms("Diseño e implementación de protocolos de reintegración.", "es")
    [('protocol', 'protocolo'), ('reintegr', 'reintegracion')]
    >>> element_terms("Agencies will develop data inventories", "en")
    [('agenc', 'agency'), ('data', 'data'), ('inventori', 'inventory')]
    """
    stop = plan_stop_stems(language)
    return [(stem, key) for stem, key in term_keys(text, language) if stem not in stop]


# -- the concept signal -----------------------------------------------------------------------


@dataclass
class ConceptSets:
    """Concept weights per element, and the broader concepts of each concept."""

    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    broader: dict[str, set[str]] = field(default_factory=dict)


def concept_sets(taggings: Any) -> ConceptSets:
    """Concept weights per element from the rows of ``reports/element-taggings`` (element,
    concept, method, score, asserted, broader): asserted concepts weigh 1, inherited ones of
    score at least :data:`INHERITED_MIN_SCORE` weigh :data:`INHERITED_WEIGHT`, other taggings
    (below the tagger's threshold) are left out; broader concepts are added at
    :data:`BROADER_WEIGHT` of the weight. An asserted concept weighs its tagging score (the
    tagger's confidence, at most 1; curated taggings and taggings without a score weigh 1)."""
    sets = ConceptSets()
    if taggings is None or len(taggings) == 0:
        return sets
    for row in taggings.to_dict("records"):
        element, concept = str(row["element"]), str(row["concept"])
        asserted = row.get("asserted") in (True, "true", 1)
        score = float(row.get("score") or 0.0)
        if asserted:
            weight = min(1.0, score) if score > 0 else 1.0
        elif row.get("method") == "inherited" and score >= INHERITED_MIN_SCORE - 1e-9:
            weight = INHERITED_WEIGHT
        else:
            continue
        up = row.get("broader")
        if isinstance(up, str) and up.strip():
            sets.broader.setdefault(concept, set()).update(up.split())
        own = sets.weights.setdefault(element, {})
        own[concept] = max(own.get(concept, 0.0), weight)
    for own in sets.weights.values():
        for concept, weight in list(own.items()):
            for up in sets.broader.get(concept, ()):
                own[up] = max(own.get(up, 0.0), weight * BROADER_WEIGHT)
    return sets


def short_concept(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
