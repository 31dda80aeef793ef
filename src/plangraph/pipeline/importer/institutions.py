"""Find institution mentions and resolve them against the authority file.

Exact matches first (canonical names, English names, aliases and acronyms of
``graph/institutions.yaml``, accent- and case-folded; acronyms by their letters), then, for a
span that starts with an organisation word ("Ministerio", "Secretaría", "Department"…) and
matched nothing exactly, fuzzy matching with rapidfuzz, preferring bodies of the plan's country.
A fuzzy match below :data:`SURE` goes to the review list; a span below :data:`LIKELY` becomes a
*proposed* authority entry, never an id in the draft.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from plangraph.pipeline.importer.profile import PhraseTable, Vocabulary, words
from plangraph.pipeline.importer.textdoc import fold
from plangraph.pipeline.importer.tree import Mention, Piece
from plangraph.pipeline.records import Institution, Role

SURE = 92.0
LIKELY = 84.0
_CONNECT = {
    "de", "del", "la", "las", "el", "los", "y", "e", "para", "en", "of", "the", "and", "for", "on",
}  # fmt: skip
_AND = {"y", "e", "and", "o", "or"}
_ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ]*[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ]*$")


@dataclass(frozen=True)
class Proposal:
    """A body named in the document that the authority file does not have."""

    id: str
    name: str
    acronyms: tuple[str, ...]
    lines: tuple[int, ...]
    best: str | None
    score: float


class Authority:
    """The authority file as phrase tables, with the plan's country."""

    def __init__(self, institutions: dict[str, Institution], country: str | None = None) -> None:
        self.by_id = institutions
        self.country = country
        names: dict[str, tuple[str, ...]] = {}
        self.acronyms: dict[str, list[str]] = {}
        self.choices: dict[str, str] = {}
        for inst in institutions.values():
            phrases = [inst.name, *inst.aliases]
            if inst.name_en:
                phrases.append(inst.name_en)
            names[inst.id] = tuple(p for p in phrases if len(fold(p)) > 2)
            for phrase in phrases:
                self.choices.setdefault(fold(phrase), inst.id)
            for acr in inst.acronyms:
                self.acronyms.setdefault(_acr_key(acr), []).append(inst.id)
        self.names = PhraseTable(names)
        self._memo: dict[str, list[tuple[tuple[int, int], list[str], int]]] = {}

    def _rank(self, ids: Iterable[str]) -> list[str]:
        """Candidates ordered: the plan's country, then no country, then others."""

        def key(inst_id: str) -> int:
            c = self.by_id[inst_id].country
            return 0 if c == self.country else (1 if c is None else 2)

        return sorted(ids, key=key)

    def infer_country(self, texts: Iterable[str]) -> str | None:
        """The country most of the exactly named national bodies belong to."""
        counts: Counter[str] = Counter()
        for text in texts:
            for _, ids, _ in self._exact(text):
                c = self.by_id[ids[0]].country
                if c:
                    counts[c] += 1
        return counts.most_common(1)[0][0] if counts else None

    def _exact(self, text: str) -> list[tuple[tuple[int, int], list[str], int]]:
        """(char span, ids, words) of exact name and acronym matches, left to right (words 0
        for an acronym); several ids when the authority file gives the same name to several
        bodies (one mention each)."""
        if text in self._memo:
            return self._memo[text]
        ws = words(text)
        out: list[tuple[tuple[int, int], list[str], int]] = []
        self._memo[text] = out
        i = 0
        while i < len(ws):
            matches = self.names.all_at(text, i)
            if matches:
                ids = list(dict.fromkeys(m.value for m in matches))
                out.append(((ws[i][0], matches[0].end), self._rank(ids), matches[0].words))
                i += matches[0].words
                continue
            token = text[ws[i][0] : ws[i][1]]
            found = self.acronyms.get(_acr_key(token)) if _ACRONYM.match(token) else None
            if found:
                out.append(((ws[i][0], ws[i][1]), self._rank(found)[:1], 0))
            i += 1
        return out

    def fuzzy(self, phrase: str) -> tuple[str | None, float]:
        """The best fuzzy match of a span that names a body, and its score (0-100)."""
        from rapidfuzz import fuzz, process  # imported here: only needed while drafting

        folded = fold(phrase)
        if not folded:
            return None, 0.0
        found = process.extract(folded, list(self.choices), scorer=fuzz.WRatio, limit=5)
        best_id, best_score = None, 0.0
        for choice, score, _ in found:
            inst_id = self.choices[choice]
            length = min(len(folded), len(choice)) / max(len(folded), len(choice))
            adjusted = float(score) * (0.85 + 0.15 * length)
            c = self.by_id[inst_id].country
            if self.country and c and c != self.country:
                adjusted -= 10
            if adjusted > best_score:
                best_id, best_score = inst_id, adjusted
        return best_id, best_score


def _acr_key(token: str) -> str:
    return fold(token).replace(" ", "")


class MentionFinder:
    """Scans pieces of text for institutions (see the module docstring)."""

    def __init__(self, authority: Authority, vocab: Vocabulary) -> None:
        self.authority = authority
        self.vocab = vocab
        self.proposals: dict[str, dict[str, object]] = {}
        #: bodies not recorded when running text names them (the plan's issuer)
        self.skip: set[str] = set()

    def is_institutional(self, text: str) -> bool:
        """True when the text names a known body or starts like a body's name."""
        return bool(self.authority._exact(text)) or bool(self._spans(text))

    def scan(self, piece: Piece, role: Role, *, cell: bool, markup: bool = False) -> list[Mention]:
        """Mentions in one piece. ``cell``: the piece is an institutions cell (unknown acronyms
        and bodies there are proposed); otherwise only known bodies and bodies starting with an
        organisation word are taken."""
        text = piece.text
        cues = [(words(text)[i][0], m.value) for i, m in self.vocab.cues.find(text)]
        exact = self.authority._exact(text)
        taken: list[tuple[int, int]] = []
        out: list[Mention] = []
        for (a, b), ids, n in exact:
            if not cell and n == 1:
                continue  # one common word ("Migración", "salud") in running text: too weak
            if not cell and set(ids) & self.skip:
                continue
            b = _with_acronym(text, b, ids[0], self.authority)
            a, b = _widen(text, a, b)
            taken.append((a, b))
            for inst_id in ids if _shared_alias(ids, self.authority) else ids[:1]:
                out.append(Mention(text[a:b], piece.line, _role_at(a, role, cues), inst_id, 100.0))
        for a, b in self._spans(text):
            a, b = _widen(text, a, b)
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            span = text[a:b]
            best, score = self.authority.fuzzy(span)
            if best is not None and score >= LIKELY:
                out.append(Mention(span, piece.line, _role_at(a, role, cues), best, score))
            elif cell or len(span.split()) >= 3:
                proposed = self._propose(span, piece.line, best, score)
                out.append(
                    Mention(span, piece.line, _role_at(a, role, cues), None, score, proposed)
                )
            taken.append((a, b))
        if cell:
            for start, end, _ in words(text):
                token = text[start:end]
                if any(start < tb and ta < end for ta, tb in taken):
                    continue
                if _ACRONYM.match(token) and token.isupper() and len(token) >= 3:
                    if fold(token) in self.vocab.subheaders:
                        continue
                    proposed = self._propose(token, piece.line, None, 0.0, acronym=True)
                    out.append(
                        Mention(token, piece.line, _role_at(start, role, cues), None, 0.0, proposed)
                    )
        for m in out:
            m.markup = markup
        return sorted(out, key=lambda m: text.find(m.text))

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Spans that start with an organisation word and run over capitalised words and
        connectors ("Dirección General de Empleo"), stopping before "y <org word>"."""
        ws = words(text)
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(ws):
            start, _, w = ws[i]
            token = text[start : ws[i][1]]
            if w not in self.vocab.org_words or not token[:1].isupper():
                i += 1
                continue
            j = i + 1
            last = i
            while j < len(ws):
                s, e, f = ws[j]
                tok = text[s:e]
                gap = text[ws[j - 1][1] : s]
                if any(ch in gap for ch in ",.;:()\n"):
                    break
                if f in _AND and j + 1 < len(ws) and ws[j + 1][2] in self.vocab.org_words:
                    break
                if tok[:1].isupper() or tok.isdigit():
                    last = j
                elif f not in _CONNECT:
                    break
                j += 1
            if last > i:
                out.append((start, ws[last][1]))
            i = last + 1
        return out

    def _propose(
        self, span: str, line: int, best: str | None, score: float, *, acronym: bool = False
    ) -> str:
        key = fold(span)
        entry = self.proposals.get(key)
        if entry is None:
            slug = "-".join(fold(span).split()[:6]) if not acronym else fold(span)
            prefix = f"{self.authority.country.lower()}-" if self.authority.country else ""
            entry = {
                "id": f"{prefix}{slug}",
                "name": span,
                "acronyms": [span] if acronym else [],
                "lines": [],
                "best": best,
                "score": round(score, 1),
            }
            self.proposals[key] = entry
        lines = entry["lines"]
        assert isinstance(lines, list)
        if line not in lines:
            lines.append(line)
        return str(entry["id"])


def _shared_alias(ids: list[str], authority: Authority) -> bool:
    """Several bodies share this exact name in the authority file: the mention names each of
    them ("Cancillerías y Ministerios de Educación" names two kinds of ministry)."""
    return len(ids) > 1


def _widen(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen a span to whole whitespace-separated tokens, so the quote stands at its line
    under the fidelity rule ("organizaciones/instituciones públicas", not "instituciones…").

    >>> text = "con organizaciones/instituciones públicas y"
    >>> a, b = _widen(text, text.index("instituciones"), text.index(" y"))
    >>> text[a:b]
    'organizaciones/instituciones públicas'
    """
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    return a, b


def _role_at(pos: int, default: Role, cues: list[tuple[int, str]]) -> Role:
    role = default
    for at, value in cues:
        if at <= pos:
            role = Role(value)
    return role


def _with_acronym(text: str, end: int, inst_id: str, authority: Authority) -> int:
    """Extend a name's span over a following " -GAE-" or " (GAE)" of the same body."""
    m = re.match(r"\s*[-–(]\s*([A-Za-zÁÉÍÓÚÑáéíóúñ]{2,12})\s*[-–)]", text[end:])
    if m and inst_id in authority.acronyms.get(_acr_key(m.group(1)), []):
        return end + m.end()
    return end
