"""Section 4, heatmaps: theme, population and GCM objective × plan (action-level elements
carrying the concept) and institution × plan (elements naming it), as coloured tables beside
their matplotlib figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plangraph.report.common import as_int, local
from plangraph.report.data import SCHEMES
from plangraph.report.figures import HEAT_COLOURS, Written, heat_colour, text_colour
from plangraph.report.view import Lookup, StaticFigure, static_figure


@dataclass
class Matrix:
    """A heatmap: labelled rows × plans."""

    key: str
    title: str
    rows: list[str]
    row_titles: list[str]
    values: list[list[int]]
    note: str = ""


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


@dataclass(frozen=True)
class Heatmap:
    """One heatmap section: its table, the largest count, its text and its static figure."""

    matrix: Matrix
    title: str
    how: str
    maximum: int
    rows: list[HeatRow]
    figure: StaticFigure | None


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


def matrices(look: Lookup) -> list[Matrix]:
    """The four heatmaps, in the order of the report."""
    return [
        concept_matrix(look, "theme", keep_zero_rows=False),
        concept_matrix(look, "population", keep_zero_rows=False),
        concept_matrix(look, "gcm", keep_zero_rows=True),
        institution_matrix(look),
    ]


def heatmap(m: Matrix, tags: Sequence[str], figure: Written | None) -> Heatmap:
    """The table of ``m`` (columns: the plans ``tags``) with its colours, text and static
    figure."""
    maximum = max((v for row in m.values for v in row), default=0)
    rows = []
    for label, title, values in zip(m.rows, m.row_titles, m.values, strict=True):
        cells = []
        for tag, v in zip(tags, values, strict=True):
            bg = heat_colour(v, maximum)
            cells.append(Cell(tag, v, bg, text_colour(bg)))
        rows.append(HeatRow(label, title, cells, sum(1 for v in values if v), sum(values)))
    title, how = HEATMAP_TEXT[m.key]
    caption = f"{title[4:]} (matplotlib)"
    if m.key == "institution" and len(m.rows) > FIGURE_ROWS:
        caption += f"; the {FIGURE_ROWS} first of {len(m.rows)} institutions"
    return Heatmap(m, title, how, maximum, rows, static_figure(figure, caption))


def prepare(look: Lookup, mats: Sequence[Matrix], written: Mapping[str, Any]) -> dict[str, Any]:
    """The context of ``sections/heatmaps.html``."""
    tags = [p.tag for p in look.r.plans]
    return {
        "plans": look.r.plans,
        "gradient": ", ".join(HEAT_COLOURS),
        "heatmaps": [heatmap(m, tags, written.get("heatmap-" + m.key)) for m in mats],
    }
