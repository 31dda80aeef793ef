"""Names of bodies and programmes in plan text: found from the authority file, masked before
labels are matched, and read for what the named body serves.

The words of a name are not evidence of a theme or population ("Centro de Documentación" is not
about identity documents, "Comisión de Migrantes" does not serve migrants because of its name);
but a body whose mandate is a population (``serves`` in the authority file) is evidence that an
element naming it serves that population (the named-body rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from plangraph.pipeline.records import Institution
from plangraph.text.words import Token, name_spans, tokenize


@dataclass(frozen=True)
class NameMatch:
    """An authority-file name at token positions [start, end) of a text."""

    institutions: tuple[str, ...]
    """Every authority entry with this name (several bodies may share an acronym)."""
    start: int
    end: int
    words: str


class NameIndex:
    """Every name, alias and acronym of the authority file, tokenised, by first key."""

    def __init__(self, institutions: Mapping[str, Institution]) -> None:
        self.institutions = dict(institutions)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for inst_id in sorted(institutions):
            inst = institutions[inst_id]
            language = inst.language or "es"
            for name in (inst.name, inst.name_en or "", *inst.aliases, *inst.acronyms):
                for lang in {language, "es", "en"}:
                    keys = tuple(t.key for t in tokenize(name, lang))
                    if keys:
                        entry = (keys, inst_id)
                        bucket = self._by_first.setdefault(keys[0], [])
                        if entry not in bucket:
                            bucket.append(entry)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: (-len(e[0]), e[1]))

    def find(self, tokens: Sequence[Token], text: str) -> list[NameMatch]:
        """Authority names in a tokenised text, longest first where they overlap."""
        keys = [t.key for t in tokens]
        found: list[NameMatch] = []
        taken: set[int] = set()
        for i in range(len(keys)):
            if i in taken:
                continue
            for name_keys, _ in self._by_first.get(keys[i], ()):
                n = len(name_keys)
                if tuple(keys[i : i + n]) != name_keys or taken & set(range(i, i + n)):
                    continue
                matches = [(k, inst) for k, inst in self._by_first[keys[i]] if k == name_keys]
                lowercase = not tokens[i].acronym and not tokens[i].capitalised
                if lowercase and (n == 1 or all(self.institutions[x].generic for _, x in matches)):
                    # a one-word name in lowercase is an ordinary word, and a generic mention
                    # in lowercase ("sociedad civil", "cooperación internacional") is what it
                    # says: neither is masked
                    continue
                ids = tuple(sorted({inst for k, inst in self._by_first[keys[i]] if k == name_keys}))
                words = text[tokens[i].start : tokens[i + n - 1].end]
                found.append(NameMatch(ids, i, i + n, words))
                taken.update(range(i, i + n))
                break
        return sorted(found, key=lambda m: m.start)

    def serves(self, institution_ids: Iterable[str]) -> dict[str, list[str]]:
        """Population ids each of these institutions serves, by institution."""
        out: dict[str, list[str]] = {}
        for inst_id in institution_ids:
            inst = self.institutions.get(inst_id)
            if inst is not None and inst.serves:
                out[inst_id] = list(inst.serves)
        return out


def masked_positions(tokens: Sequence[Token], names: Iterable[NameMatch]) -> frozenset[int]:
    """Token positions inside a name: authority-file names and other names of bodies,
    programmes and documents (:func:`plangraph.text.words.name_spans`)."""
    out: set[int] = set()
    for m in names:
        out.update(range(m.start, m.end))
    for i, j in name_spans(list(tokens)):
        out.update(range(i, j))
    return frozenset(out)
