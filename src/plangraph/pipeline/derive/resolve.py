"""Reference resolution: what an element's own words point to in its parent.

Short elements often name their object by reference: "Validar la guía" under "Elaborar una guía
de determinación del interés superior", "Socializar dicho protocolo", "estos NNA". A concept is
then evidenced by the element's own referring words *and* the parent's phrase they point to:
the element says "la guía", the parent says which guide. The tagger records such a tag with
method ``resolved`` and both sets of words; it is asserted like own-text evidence, at a lower
score (:class:`plangraph.pipeline.derive.tagger.Weights`).

A referring expression is a content word of the element preceded (within two words) by a
determiner that points back (definite article, demonstrative, "dicho", possessive); it resolves
when the same lemma stands in the parent and a concept's label in the parent starts at that word
or within :data:`WINDOW` words after it (the rest of the parent's noun phrase: "guía *de
determinación del interés superior*").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plangraph.pipeline.derive.labels import Match, is_content
from plangraph.text.words import Token, fold

POINTING = {
    "es": frozenset(
        "el la los las lo dicho dicha dichos dichas este esta estos estas ese esa esos esas "
        "su sus tal tales mismo misma mismos mismas".split()
    ),
    "en": frozenset("the this these that those such its their said same".split()),
}
"""Words that point back to something named before, per language (folded)."""
WINDOW = 6
"""How far after the referred word a parent's label may start and still belong to its phrase."""
ELLIPTICAL = 6
"""An element of at most this many content words may name its object by ellipsis."""


@dataclass(frozen=True)
class Resolution:
    """A parent's label reached through a referring expression of the element."""

    match: Match
    words: str
    """The element's referring words (e.g. "la guía")."""


def referring(
    tokens: Sequence[Token], text: str, language: str, elliptical: bool = False
) -> dict[str, str]:
    """The element's referring expressions: lemma of the referred word → the words as printed.
    In an ``elliptical`` element (a few words that name their object without saying which, "Create
    pilot portal") every content word but the first (the verb) may refer.

    >>> from plangraph.text.words import tokenize
    >>> text = "Validar la guía"
    >>> referring(tokenize(text, "es"), text, "es")
    {'guia': 'la guía'}
    >>> text = "Create pilot portal"
    >>> referring(tokenize(text, "en"), text, "en", elliptical=True)
    {'pilot': 'pilot', 'portal': 'portal'}
    """
    pointing = POINTING.get(language, frozenset())
    out: dict[str, str] = {}
    content = [i for i, tok in enumerate(tokens) if is_content(tok, language)]
    for i in content:
        tok = tokens[i]
        for back in (1, 2):
            j = i - back
            if j >= 0 and fold(tokens[j].text) in pointing:
                out.setdefault(tok.key, text[tokens[j].start : tok.end])
                break
        else:
            if elliptical and i != content[0]:
                out.setdefault(tok.key, tok.text)
    return out


def resolve(
    refs: dict[str, str], parent_tokens: Sequence[Token], parent_matches: Sequence[Match]
) -> list[Resolution]:
    """The parent's labels that the element's referring expressions point to."""
    out: list[Resolution] = []
    for j, tok in enumerate(parent_tokens):
        words = refs.get(tok.key)
        if words is None:
            continue
        for m in parent_matches:
            if j <= m.start <= j + WINDOW or m.start <= j < m.end:
                out.append(Resolution(m, words))
    return out
