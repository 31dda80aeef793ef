"""Compare a drafted plan with the curated plan of the same document.

* An element matches a curated one when their kinds agree, their parents agree (the drafted
  parent matched the curated parent, or both stand at the top) and their lines overlap.
  Elements are matched one to one, parents first, by the largest line overlap.
* Code accuracy: matched pairs where either has a code, codes equal after dropping a trailing
  dot ("1." = "1") and case.
* Timeframe accuracy: the curated ``timeframe``, ``start`` and ``end`` values of matched
  elements, equal after whitespace and case are normalised.
* Institution mentions: a curated mention (id, text, lines) is *found* when the draft names a
  body at an overlapping line with overlapping words (in the plan, or as a proposed entry), and
  *resolved* when a draft mention found there has the same id.

Lines of a draft made from a PDF or Word rendering are first mapped to the curated source's
lines (:mod:`.align`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from plangraph.pipeline.importer.textdoc import fold
from plangraph.pipeline.records import Element, PlanFile
from plangraph.text.fidelity import normalise

LineMap = Callable[[int], set[int]]


@dataclass
class Scores:
    """The figures of one document."""

    name: str
    curated: int = 0
    drafted: int = 0
    matched: int = 0
    codes: int = 0
    codes_ok: int = 0
    timeframes: int = 0
    timeframes_ok: int = 0
    mentions: int = 0
    mentions_found: int = 0
    mentions_resolved: int = 0
    seconds: float = 0.0
    passes_check: bool = False
    profile: str = ""
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    @property
    def recall(self) -> float | None:
        """Matched / curated elements."""
        return self._ratio(self.matched, self.curated)

    @property
    def precision(self) -> float | None:
        """Matched / drafted elements."""
        return self._ratio(self.matched, self.drafted)

    def as_row(self) -> dict[str, Any]:
        """The figures as a flat mapping (for tables and JSON)."""
        return {
            "document": self.name,
            "profile": self.profile,
            "curated": self.curated,
            "drafted": self.drafted,
            "recall": self.recall,
            "precision": self.precision,
            "codes": self._ratio(self.codes_ok, self.codes),
            "timeframes": self._ratio(self.timeframes_ok, self.timeframes),
            "mentions found": self._ratio(self.mentions_found, self.mentions),
            "mentions resolved": self._ratio(self.mentions_resolved, self.mentions_found),
            "seconds": round(self.seconds, 2),
            "check": "pass" if self.passes_check else "FAIL",
        }


@dataclass(frozen=True)
class _Flat:
    element: Element
    parent: int | None
    lines: frozenset[int]


def _flatten(elements: Sequence[Element], mapper: LineMap | None = None) -> list[_Flat]:
    out: list[_Flat] = []

    def rec(elems: Sequence[Element], parent: int | None) -> None:
        for el in elems:
            lines: set[int] = set()
            for a, b in el.lines:
                for n in range(a, b + 1):
                    lines |= mapper(n) if mapper else {n}
            out.append(_Flat(el, parent, frozenset(lines)))
            rec(el.children, len(out) - 1)

    rec(elements, None)
    return out


def _code(value: str | None) -> str | None:
    return value.strip().rstrip(".").casefold() if value else None


def _same_text(a: str | None, b: str | None) -> bool:
    return normalise(a or "").casefold() == normalise(b or "").casefold()


def compare(
    name: str,
    draft: PlanFile,
    curated: PlanFile,
    mapper: LineMap | None = None,
    proposals: Sequence[dict[str, Any]] = (),
    *,
    parents: bool = True,
) -> Scores:
    """Score a draft against the curated plan (see the module docstring). ``parents=False``
    drops the parent condition (a diagnostic only: the figures reported use parents)."""
    cur = _flatten(curated.elements)
    dra = _flatten(draft.elements, mapper)
    scores = Scores(name, curated=len(cur), drafted=len(dra))
    match: dict[int, int] = {}
    taken: set[int] = set()
    for i, d in enumerate(dra):
        want = match.get(d.parent) if d.parent is not None else None
        if parents and d.parent is not None and want is None:
            continue
        best, best_overlap = None, 0.0
        for j, c in enumerate(cur):
            if j in taken or c.element.kind != d.element.kind or (parents and c.parent != want):
                continue
            common = len(c.lines & d.lines)
            if not common:
                continue
            overlap = common / len(c.lines | d.lines)
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        if best is not None:
            match[i] = best
            taken.add(best)
    scores.matched = len(match)
    for i, j in match.items():
        drafted, wanted = dra[i].element, cur[j].element
        if drafted.code or wanted.code:
            scores.codes += 1
            scores.codes_ok += _code(drafted.code) == _code(wanted.code)
        for key in ("timeframe", "start", "end"):
            want_text = getattr(wanted, key)
            if want_text:
                scores.timeframes += 1
                scores.timeframes_ok += _same_text(getattr(drafted, key), want_text)
    for j, c in enumerate(cur):
        if j not in taken:
            scores.misses.append(
                f"{c.element.kind.value} {c.element.code or ''} lines {sorted(c.lines)[:3]}"
            )
    _mentions(scores, curated, draft, mapper, proposals)
    return scores


def _refs(elements: Sequence[Element]) -> Iterator[tuple[str, str, tuple[tuple[int, int], ...]]]:
    for el in elements:
        for ref in el.institutions:
            yield ref.id, ref.text, ref.lines or el.lines
        yield from _refs(el.children)


def _words(text: str) -> set[str]:
    return set(fold(text).split())


def _mentions(
    scores: Scores,
    curated: PlanFile,
    draft: PlanFile,
    mapper: LineMap | None,
    proposals: Sequence[dict[str, Any]],
) -> None:
    wanted = {(i, fold(t), r) for i, t, r in _refs(curated.elements)}
    drafted: list[tuple[str | None, set[str], set[int]]] = []
    for inst_id, text, ranges in _refs(draft.elements):
        lines = {
            m for a, b in ranges for n in range(a, b + 1) for m in (mapper(n) if mapper else {n})
        }
        drafted.append((inst_id, _words(text), lines))
    for p in proposals:
        lines = {m for n in p["lines"] for m in (mapper(n) if mapper else {n})}
        drafted.append((None, _words(str(p["name"])), lines))
    for inst_id, text, ranges in sorted(wanted):
        lines = {n for a, b in ranges for n in range(a, b + 1)}
        ws = set(text.split())
        scores.mentions += 1
        found = [
            d_id
            for d_id, d_words, d_lines in drafted
            if d_lines & lines and ws and len(ws & d_words) / min(len(ws), len(d_words) or 1) >= 0.5
        ]
        if found:
            scores.mentions_found += 1
            scores.mentions_resolved += inst_id in found
            if inst_id not in found:
                scores.misses.append(
                    f"mention {inst_id} '{text}' {sorted(lines)} resolved as {found}"
                )
        else:
            scores.misses.append(f"mention {inst_id} '{text}' {sorted(lines)} not found")
