"""Section 6, the timeline: plan periods as bars, dated action-level elements as a diamond at
their start and a line to their end. The rows feed both the page's SVG (template
``sections/timeline.svg``, laid out here) and the matplotlib figure."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plangraph.report.common import clip
from plangraph.report.figures import TimelineRow
from plangraph.report.view import Lookup, static_figure

LEFT, WIDTH, ROW_HEIGHT, TOP = 290, 1000, 54, 30
"""Layout of the SVG: where the plot starts, the width, the height of a plan's row, the top."""


def year_fraction(value: str | None, end: bool = False) -> float | None:
    """A date, year-month or year as a fractional year; ``end`` moves to the end of the period.

    >>> year_fraction("2023-07")
    2023.5
    >>> year_fraction("2022", end=True)
    2023.0
    >>> round(year_fraction("2025-06-30", end=True), 3)
    2025.499
    """
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return year + (1.0 if end else 0.0)
    month = int(m.group(2))
    if m.group(3) is None:
        return year + (month - (0 if end else 1)) / 12
    day = int(m.group(3))
    return year + (month - 1) / 12 + (day - (0 if end else 1)) / 365


def timeline_rows(look: Lookup) -> list[TimelineRow]:
    """One row per plan: its period and its dated elements (begin, end, IRI), in years."""
    items: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for t in look.r.timeline:
        b = year_fraction(t.get("begin"))
        e = year_fraction(t.get("end"), end=True)
        if b is None and e is None:
            continue
        b = b if b is not None else e
        e = e if e is not None else b
        assert b is not None and e is not None
        items[t["plan"]].append((b, e, t["element"]))
    return [
        TimelineRow(
            tag=p.tag,
            label=p.title,
            colour=p.colour,
            start=year_fraction(p.start),
            end=year_fraction(p.end, end=True),
            items=sorted(items.get(p.iri, [])),
        )
        for p in look.r.plans
    ]


@dataclass(frozen=True)
class Mark:
    """A dated element on the SVG: from ``x1`` to ``x2`` at height ``y``, its tooltip, its link."""

    x1: float
    x2: float
    y: float
    tip: str
    href: str


@dataclass(frozen=True)
class Lane:
    """A plan's row on the SVG: label, period bar (x and width; None: no period) and marks."""

    y: float
    tag: str
    label: str
    colour: str
    bar: tuple[float, float] | None
    bar_title: str
    marks: list[Mark]


def svg_layout(look: Lookup, rows: Sequence[TimelineRow]) -> dict[str, Any] | None:
    """Coordinates of the SVG timeline (``None`` when nothing has a date)."""
    years = [y for r in rows for y in (r.start, r.end) if y is not None]
    years += [y for r in rows for it in r.items for y in it[:2]]
    if not years:
        return None
    lo, hi = int(min(years)), int(max(years) + 0.999)
    hi = max(hi, lo + 1)
    plot_w = WIDTH - LEFT - 20
    height = TOP + ROW_HEIGHT * len(rows) + 10

    def x(year: float) -> float:
        return LEFT + (year - lo) / (hi - lo) * plot_w

    lanes = []
    for i, row in enumerate(rows):
        y = TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2
        plan = next(p for p in look.r.plans if p.tag == row.tag)
        marks = []
        for k, (b, e, el_iri) in enumerate(row.items):
            p = look.prov(el_iri)
            tip = f"{row.tag} {look.element_name(el_iri)}: {clip(p.quote if p else '', 160)}"
            href = f"sources.html#{p.anchor}" if p else "#"
            marks.append(Mark(x(b), x(e), y + ((k % 5) - 2) * 4, tip, href))
        bar = None
        if row.start is not None and row.end is not None:
            bar = (x(row.start), x(row.end) - x(row.start))
        lanes.append(
            Lane(
                y=y,
                tag=row.tag,
                label=clip(row.label, 38),
                colour=row.colour,
                bar=bar,
                bar_title=f"{row.tag} period: {plan.period_text or ''} "
                f"({plan.start or ''} – {plan.end or ''})",
                marks=marks,
            )
        )
    step = 1 if hi - lo <= 20 else 5
    return {
        "width": WIDTH,
        "height": height,
        "top": TOP,
        "left": LEFT,
        "years": [(yr, x(yr)) for yr in range(lo, hi + 1, step)],
        "lanes": lanes,
    }


def prepare(
    look: Lookup, rows: Sequence[TimelineRow], written: Mapping[str, Any]
) -> dict[str, Any]:
    """The context of ``sections/timeline.html``."""
    return {
        "n_items": sum(len(r.items) for r in rows),
        "svg": svg_layout(look, rows),
        "figure": static_figure(written.get("timeline"), "Timeline (matplotlib)"),
    }
