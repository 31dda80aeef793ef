"""Section 4, heatmaps: theme, population and GCM objective × plan (action-level elements
carrying the concept) and institution × plan (elements naming it), as coloured tables beside
their matplotlib figures. At scale (:mod:`plangraph.report.scale`) a heatmap shows the plans
with the most elements and sums the others in one column, and a scheme with many concepts is
shown by concept group (its top-level concepts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plangraph.report import scale
from plangraph.report.common import as_bool, as_int, local
from plangraph.report.data import SCHEMES, Plan
from plangraph.report.figures import HEAT_COLOURS, Written, heat_colour, text_colour
from plangraph.report.view import Lookup, StaticFigure, static_figure


@dataclass
class Matrix:
    """A heatmap: labelled rows × plans (``values`` has a column per plan of the report)."""

    key: str
    title: str
    rows: list[str]
    row_titles: list[str]
    values: list[list[int]]
    note: str = ""
    shown: list[int] | None = None
    """The plans shown as columns (indices into the report's plans); ``None``: every plan.
    The others are summed in one column."""

    def columns(self, plans: Sequence[Plan]) -> list[Plan]:
        """The plans shown as columns."""
        return list(plans) if self.shown is None else [plans[i] for i in self.shown]

    def shown_values(self) -> list[list[int]]:
        """The counts of the plans shown, row by row."""
        if self.shown is None:
            return self.values
        return [[row[i] for i in self.shown] for row in self.values]

    def others(self) -> list[int] | None:
        """Per row, the count in the plans not shown (``None`` when every plan is shown)."""
        if self.shown is None:
            return None
        return [sum(row) - sum(row[i] for i in self.shown) for row in self.values]


@dataclass(frozen=True)
class Cell:
    """A cell of a heatmap table: the plan's tag, the count and its colours."""

    tag: str
    value: int
    background: str
    colour: str


@dataclass(frozen=True)
class HeatRow:
    label: str
    title: str
    cells: list[Cell]
    n_plans: int
    total: int
    other: int | None = None
    """The count in the plans not shown as columns (``None``: every plan is shown)."""


@dataclass(frozen=True)
class Heatmap:
    """One heatmap section: its table, the largest count, its text and its static figure."""

    matrix: Matrix
    title: str
    how: str
    maximum: int
    rows: list[HeatRow]
    figure: StaticFigure | None
    columns: list[Plan]
    n_other: int
    """Plans summed in the last column (0: every plan has its column)."""


HEATMAP_TEXT = {
    "theme": (
        "4.1 Themes × plans",
        "how many action-level elements of each plan address each theme. A row with one "
        "coloured cell is a theme one plan covers alone; a dark row across several plans is "
        "where they overlap.",
    ),
    "population": (
        "4.2 Target populations × plans",
        "how many action-level elements of each plan target each population (the concept "
        "itself, not narrower ones).",
    ),
    "gcm": (
        "4.3 GCM objectives × plans",
        "how many action-level elements of each plan are aligned with each of the 23 "
        "objectives of the Global Compact for Migration; all objectives are listed, so a "
        "white row is an objective no plan serves.",
    ),
    "institution": (
        "4.4 Institutions × plans",
        "how many elements of each plan name the institution (any role). Institutions in "
        "several plans come first. Publishing a plan shows as a 0 in that plan's column when "
        "the institution is named in none of its elements.",
    ),
}
FIGURE_ROWS = 40
"""The institution figure shows this many institutions at most."""


def concept_matrix(look: Lookup, scheme: str, keep_zero_rows: bool) -> Matrix:
    r = look.r
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    order: list[str] = []
    for c in r.coverage.get(scheme, []):
        if c["concept"] not in counts:
            order.append(c["concept"])
            counts[c["concept"]] = {}
        if c.get("plan"):
            counts[c["concept"]][c["plan"]] = as_int(c.get("n_elements"))
    if scheme == "gcm":
        order.sort(key=lambda c: (as_int(local(c).rsplit("-", 1)[-1]), c))
    else:
        order.sort(key=lambda c: (-sum(counts[c].values()), look.concept_label(c).lower()))
    zero = [c for c in order if not sum(counts[c].values())]
    if not keep_zero_rows:
        order = [c for c in order if sum(counts[c].values())]
    values = [[counts[c].get(p.iri, 0) for p in r.plans] for c in order]
    labels = [look.concept_label(c) for c in order]
    note = ""
    if zero and not keep_zero_rows:
        note = f"{len(zero)} concept(s) of the scheme no plan addresses are left out."
    return Matrix(scheme, SCHEMES[scheme], labels, [local(c) for c in order], values, note)


def institution_matrix(look: Lookup) -> Matrix:
    r = look.r
    elements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for part in r.participations:
        if part.get("element"):
            elements[part["id"]][part["plan"]].add(part["element"])
        else:
            elements[part["id"]][part["plan"]]
    order = sorted(
        elements,
        key=lambda i: (
            -len(elements[i]),
            -sum(len(v) for v in elements[i].values()),
            look.inst_short(i).lower(),
        ),
    )
    values = [[len(elements[i].get(p.iri, ())) for p in r.plans] for i in order]
    labels = [
        f"{look.inst_short(i)} — {look.inst_label(i)}"
        if look.inst_short(i) != look.inst_label(i)
        else look.inst_label(i)
        for i in order
    ]
    return Matrix("institution", "Institution", labels, order, values)


def grouped_matrix(look: Lookup, scheme: str) -> Matrix:
    """The concepts of ``scheme`` by group: one row per top-level concept (following
    ``skos:broader``), counting each plan's action-level elements that carry a concept of the
    group (an element carrying two of them counts once)."""
    r = look.r
    elements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    members: dict[str, set[str]] = defaultdict(set)
    for ec in r.element_concepts:
        if ec.get("scheme") != scheme or not as_bool(ec.get("action_level")):
            continue
        group = scale.top_level(ec["concept"], r.broader)
        elements[group][ec["plan"]].add(ec["element"])
        members[group].add(ec["concept"])
    totals = {g: sum(len(v) for v in by_plan.values()) for g, by_plan in elements.items()}
    order = sorted(elements, key=lambda g: (-totals[g], look.concept_label(g).lower()))
    values = [[len(elements[g].get(p.iri, ())) for p in r.plans] for g in order]
    labels = [
        look.concept_label(g)
        + (f" (+{len(members[g] - {g})} narrower)" if members[g] - {g} else "")
        for g in order
    ]
    n_concepts = len(set().union(*members.values())) if members else 0
    note = (
        f"{n_concepts} concepts are shown as {len(order)} groups: each row is a top-level concept "
        "of the scheme with the narrower concepts under it (skos:broader), counting the "
        "action-level elements that carry any of them."
    )
    return Matrix(
        scheme, f"{SCHEMES[scheme]} group", labels, [local(g) for g in order], values, note
    )


def fit(m: Matrix, look: Lookup) -> Matrix:
    """At scale, the heatmap a page can hold: concept groups instead of concepts when there
    are more than :data:`plangraph.report.scale.CONCEPT_ROWS` (themes and populations), and
    the :data:`plangraph.report.scale.FIGURE_PLANS` plans with the most elements as columns."""
    plans = look.r.plans
    if not scale.at_scale(len(plans)):
        return m
    if m.key in ("theme", "population") and len(m.rows) > scale.CONCEPT_ROWS:
        m = grouped_matrix(look, m.key)
    sums = {str(i): float(sum(row[i] for row in m.values)) for i in range(len(plans))}
    order = [str(i) for i in range(len(plans))]
    m.shown = [int(i) for i in scale.heaviest(sums, order, scale.FIGURE_PLANS)]
    shown = f"the {len(m.shown)} plans with the most elements here are columns; the other "
    m.note = (m.note + " " if m.note else "") + (
        shown + f"{len(plans) - len(m.shown)} are summed in the last column."
    )
    return m


def matrices(look: Lookup) -> list[Matrix]:
    """The four heatmaps, in the order of the report (fitted to the page at scale)."""
    return [
        fit(m, look)
        for m in (
            concept_matrix(look, "theme", keep_zero_rows=False),
            concept_matrix(look, "population", keep_zero_rows=False),
            concept_matrix(look, "gcm", keep_zero_rows=True),
            institution_matrix(look),
        )
    ]


def heatmap(m: Matrix, plans: Sequence[Plan], figure: Written | None) -> Heatmap:
    """The table of ``m`` (columns: the plans it shows, of ``plans``) with its colours, text
    and static figure."""
    columns = m.columns(plans)
    shown = m.shown_values()
    others = m.others()
    maximum = max((v for row in shown for v in row), default=0)
    rows = []
    for i, (label, title, values) in enumerate(zip(m.rows, m.row_titles, m.values, strict=True)):
        cells = []
        for plan, v in zip(columns, shown[i], strict=True):
            bg = heat_colour(v, maximum)
            cells.append(Cell(plan.tag, v, bg, text_colour(bg)))
        other = None if others is None else others[i]
        rows.append(HeatRow(label, title, cells, sum(1 for v in values if v), sum(values), other))
    title, how = HEATMAP_TEXT[m.key]
    if m.title.endswith(" group"):
        title = title.replace(" × plans", " (groups) × plans")
    caption = f"{title[4:]} (matplotlib)"
    if m.key == "institution" and len(m.rows) > FIGURE_ROWS:
        caption += f"; the {FIGURE_ROWS} first of {len(m.rows)} institutions"
    n_other = len(plans) - len(columns)
    return Heatmap(m, title, how, maximum, rows, static_figure(figure, caption), columns, n_other)


def prepare(look: Lookup, mats: Sequence[Matrix], written: Mapping[str, Any]) -> dict[str, Any]:
    """The context of ``sections/heatmaps.html``."""
    return {
        "gradient": ", ".join(HEAT_COLOURS),
        "heatmaps": [heatmap(m, look.r.plans, written.get("heatmap-" + m.key)) for m in mats],
    }
