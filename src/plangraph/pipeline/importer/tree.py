"""The draft's element tree and the builder that places each element under a parent.

A parent is chosen by rank (the profile's order of kinds) or given by the layout (a table
column, a section); the builder then checks it against the hierarchy rules read from the SHACL
shapes (:mod:`plangraph.pipeline.hierarchy`) and walks up to the nearest ancestor that may hold the
element, so a draft never contains a pair the shapes forbid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from plangraph.pipeline.hierarchy import PLAN
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.textdoc import fold
from plangraph.pipeline.records import ElementKind, Role, format_lines

ACTION_LEVEL = frozenset(
    {ElementKind.ACTION, ElementKind.MILESTONE, ElementKind.ACTIVITY, ElementKind.IMMEDIATE_STEP}
)


@dataclass(frozen=True)
class Piece:
    """Verbatim words from one source line."""

    line: int
    text: str


@dataclass
class Cell:
    """Text that names institutions, with the role the layout gives them."""

    role: Role
    pieces: list[Piece]
    markup: bool = False
    layout: bool = True


@dataclass
class Mention:
    """An institution named in a cell or a text, resolved (``id``) or proposed."""

    text: str
    line: int
    role: Role
    id: str | None
    score: float
    proposed: str | None = None
    markup: bool = False


@dataclass(eq=False)
class Node:
    """One drafted element."""

    kind: ElementKind
    pieces: list[Piece]
    code: str | None = None
    title: list[Piece] = field(default_factory=list)
    evidence: str = "label"
    rank: int = 9
    container: bool = False
    repeat_lines: list[int] = field(default_factory=list)
    timeframe: list[Piece] = field(default_factory=list)
    start: list[Piece] = field(default_factory=list)
    end: list[Piece] = field(default_factory=list)
    indicators: list[list[Piece]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's words."""
        return " ".join(p.text for p in self.pieces)

    def line_numbers(self) -> list[int]:
        """Every line its text (or a repeat of it) stands on, sorted."""
        return sorted({p.line for p in self.pieces} | set(self.repeat_lines))

    @property
    def lines(self) -> str:
        """Its lines in plan-file notation."""
        return lines_of(self.line_numbers())

    @property
    def label(self) -> str:
        """A short name for messages: kind, code and first line."""
        code = f" {self.code}" if self.code else ""
        first = self.line_numbers()[0] if self.pieces or self.repeat_lines else "?"
        return f"{self.kind.value}{code} (line {first})"

    def walk(self) -> Iterator[Node]:
        """This node and its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def lines_of(numbers: list[int]) -> str:
    """Line numbers as ranges.

    >>> lines_of([3, 4, 5, 9])
    '3-5, 9'
    """
    ranges: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return format_lines(tuple(ranges))


class Builder:
    """Places nodes: a stack of open headings, parents checked against the shapes' rules."""

    def __init__(
        self, rules: dict[str, frozenset[str]], ranks: dict[ElementKind, int], review: Review
    ) -> None:
        self.rules = rules
        self.ranks = ranks
        self.review = review
        self.top: list[Node] = []
        self.stack: list[Node] = []

    def rank(self, kind: ElementKind) -> int:
        """The profile's rank of a kind (unranked kinds sink to the bottom)."""
        return self.ranks.get(kind, 9)

    def allowed(self, kind: ElementKind, parent: Node | None) -> bool:
        """True when the shapes let ``kind`` stand under ``parent`` (None: the plan)."""
        allowed = self.rules.get(kind.class_name)
        if allowed is None:
            return True
        return (parent.kind.class_name if parent else PLAN) in allowed

    def context(self, kind: ElementKind) -> Node | None:
        """The open heading an element of ``kind`` would stand under by rank."""
        rank = self.rank(kind)
        for node in reversed(self.stack):
            if node.rank < rank:
                return node
        return None

    def place(self, node: Node, parent: Node | None = None, *, given: bool = False) -> bool:
        """Attach ``node`` under ``parent`` (``given``) or under the open heading its rank
        calls for; walk up to the nearest ancestor the shapes allow. Returns False (and records
        why) when no place is allowed."""
        node.rank = self.rank(node.kind)
        start = parent if given else self.context(node.kind)
        target = start
        while target is not None and not self.allowed(node.kind, target):
            target = target.parent
        if target is None and not self.allowed(node.kind, None):
            # try the other open headings, innermost first
            target = next((n for n in reversed(self.stack) if self.allowed(node.kind, n)), None)
            if target is None:
                where = start.label if start else "the top of the plan"
                self.review.add(
                    "dropped",
                    node.lines,
                    f"{_a(node.kind.value)} may not stand under {where} nor any open heading "
                    f"(ontology/shapes); not drafted: '{_short(node.text)}'",
                )
                return False
        if target is not start:
            where = start.label if start else "the top of the plan"
            now = target.label if target else "the top of the plan"
            self.review.add(
                "hierarchy",
                node.lines,
                f"{_a(node.kind.value)} may not stand under {where}; placed under {now}",
                node.label,
            )
        node.parent = target
        (target.children if target else self.top).append(node)
        if node.container:
            self._push(node)
        return True

    def reopen(self, node: Node) -> None:
        """Make an existing heading the innermost open one again (a repeated heading)."""
        if node in self.stack:
            del self.stack[self.stack.index(node) + 1 :]
            return
        chain: list[Node] = []
        cur: Node | None = node
        while cur is not None:
            chain.append(cur)
            cur = cur.parent
        self.stack = [n for n in reversed(chain) if n.container or n is node]

    def _push(self, node: Node) -> None:
        if node.parent is None:
            self.stack = [node]
            return
        if node.parent in self.stack:
            del self.stack[self.stack.index(node.parent) + 1 :]
            self.stack.append(node)
        else:
            self.reopen(node)

    def nodes(self) -> Iterator[Node]:
        """Every placed node, depth first."""
        for node in self.top:
            yield from node.walk()

    def find_repeat(
        self, kind: ElementKind, text: str, code: str | None = None, parent: Node | None = None
    ) -> Node | None:
        """An element this one repeats, among the children of where it would stand (``parent``,
        else the open heading its rank calls for): same kind, and the same code with similar
        words, or (above the action level) nearly the same words."""
        from rapidfuzz import fuzz  # imported here: only needed while drafting

        folded = fold(text)
        context = parent if parent is not None else self.context(kind)
        siblings = context.children if context else self.top
        for node in siblings:
            if node.kind != kind:
                continue
            other = fold(node.text)
            same_code = code is not None and node.code == code
            if same_code and (not folded or fuzz.token_set_ratio(other, folded) >= 80):
                return node
            if (
                not same_code
                and kind not in ACTION_LEVEL
                and len(folded) >= 12
                and fuzz.ratio(other, folded) >= 92
            ):
                return node
        return None

    def drop_duplicate_codes(self) -> None:
        """Keep a code only on the first of siblings sharing kind and code (the loader's rule)."""
        for siblings in [self.top, *(n.children for n in self.nodes())]:
            seen: set[tuple[str, str]] = set()
            for node in siblings:
                if node.code is None:
                    continue
                key = (node.kind.value, node.code)
                if key in seen:
                    self.review.add(
                        "duplicate-code",
                        node.lines,
                        f"code '{node.code}' is printed twice for a {node.kind.value} under the "
                        "same parent; kept on the first only",
                        node.label,
                    )
                    node.code = None
                else:
                    seen.add(key)

    def remove(self, node: Node) -> None:
        """Take a node (and its subtree) out of the tree."""
        siblings = node.parent.children if node.parent else self.top
        if node in siblings:
            siblings.remove(node)
        if node in self.stack:
            del self.stack[self.stack.index(node) :]


def _a(word: str) -> str:
    """The word with its indefinite article.

    >>> _a("activity"), _a("result")
    ('an activity', 'a result')
    """
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
