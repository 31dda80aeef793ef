"""Values printed apart from their element: field lines ("Fecha de inicio / Fecha de
término", "Responsable: …") and timeframe cells printed after a group of actions.

Field values go to the element before them, except those printed between a heading's title and
its label (the profile's ``text_before``), which wait for that heading. Timeframe cells printed
after a group of actions cannot be matched to single actions: every action of the group gets
their distinct texts, in order, and the review list says so.
"""

from __future__ import annotations

import re

from plangraph.pipeline.importer.profile import ROLE_FIELDS
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.textdoc import fold
from plangraph.pipeline.importer.tree import ACTION_LEVEL, Builder, Cell, Node, Piece, lines_of

_YEARS = re.compile(r"\b(19|20)\d\d\s*[-–/]\s*(19|20)\d\d\b")


def attach(node: Node, name: str, value: list[Piece]) -> None:
    """Give ``node`` the field ``name`` (a role field adds an institutions cell)."""
    if name in ROLE_FIELDS:
        node.cells.append(Cell(ROLE_FIELDS[name], value))
    elif name == "timeframe":
        node.timeframe.extend(value)
    elif name == "start":
        node.start.extend(value)
    elif name == "end":
        node.end.extend(value)
    elif name == "indicator":
        node.indicators.append(value)


class Apart:
    """Collects the values printed apart from their elements (see the module docstring)."""

    def __init__(self, builder: Builder, review: Review) -> None:
        self.b = builder
        self.review = review
        self.waiting: list[tuple[str, list[Piece], int]] = []
        self.orphans: list[Piece] = []
        self.owner: Node | None = None

    # ------------------------------------------------------------------ fields
    def field(
        self, name: str, value: list[Piece], index: int, target: Node | None, *, wait: bool
    ) -> None:
        """A field value printed at paragraph ``index``: attached to ``target`` (the element
        before it), or kept for a heading to come when ``wait``."""
        value = [p for p in value if p.text]
        if not value:
            return
        text = " ".join(p.text for p in value)
        if (
            name == "timeframe"
            and _YEARS.search(text)
            and (target is None or target.kind not in ACTION_LEVEL)
        ):
            self.review.add("header", value[0].line, "a period of years: read as the plan's period")
            return
        if wait:
            self.waiting.append((name, value, index))
        elif target is not None:
            attach(target, name, value)
        else:
            self._unplaced(name, value)

    def claim(self, node: Node, since: int) -> None:
        """The fields printed from paragraph ``since`` on belong to the heading ``node``."""
        for name, value, index in self.waiting:
            if index >= since:
                attach(node, name, value)
            else:
                self._unplaced(name, value)
        self.waiting = []

    def finish(self) -> None:
        """Report fields kept for a heading that never came, and place the last orphans."""
        for name, value, _ in self.waiting:
            self._unplaced(name, value)
        self.waiting = []
        self.flush()

    def _unplaced(self, name: str, value: list[Piece]) -> None:
        self.review.add("skipped", value[0].line, f"a {name} value with no element to hold it")

    # ------------------------------------------------------------------ timeframe cells
    def orphan(self, pieces: list[Piece], last: Node | None) -> None:
        """A timeframe cell printed after ``last`` (an action-level element)."""
        if last is None or last.kind not in ACTION_LEVEL:
            return
        if self.orphans and self.owner is not last.parent:
            self.flush()
        self.owner = last.parent
        self.orphans.extend(pieces)

    def flush(self) -> None:
        """Give the collected timeframe cells to every action of their group."""
        if not self.orphans:
            return
        owner = self.owner
        group = [n for n in (owner.children if owner else self.b.top) if n.kind in ACTION_LEVEL]
        distinct: list[Piece] = []
        for piece in self.orphans:
            if all(fold(piece.text) != fold(d.text) for d in distinct):
                distinct.append(piece)
        first, last = self.orphans[0].line, self.orphans[-1].line
        for node in group:
            if not node.timeframe:
                node.timeframe = list(distinct)
                node.notes.append(
                    f"Timeframe from the {len(self.orphans)} cells printed after the actions "
                    f"(lines {lines_of([first, last])}); they cannot be matched to single "
                    "actions."
                )
        if group:
            where = owner.label if owner else "the plan"
            self.review.add(
                "orphan-cells",
                f"{first}-{last}" if last > first else first,
                f"{len(self.orphans)} timeframe cells after the actions of {where}; each of its "
                f"{len(group)} actions gets {', '.join(repr(d.text) for d in distinct)}",
                owner.label if owner else None,
            )
        self.orphans = []
        self.owner = None
