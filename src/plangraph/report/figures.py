"""Static figures of the report with matplotlib: heatmaps, networks, the timeline.

Every figure is written twice, as PNG (for slides and documents) and SVG (for print and
editing), atomically, with no date in the SVG so that rebuilding gives the same bytes. pyplot is
never used: figures are plain ``matplotlib.figure.Figure`` objects, safe in threads and servers.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraph.rdf.atomic import atomic_write

Progress = Callable[[str], None]

# One colour per plan (Tableau 10), shared by the HTML page and the figures.
PLAN_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]
# Categorical colours for institution types and communities (Tableau 20 without near-greys).
CATEGORY_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#b6992d",
    "#f1ce63",
    "#499894",
    "#86bcb6",
    "#d37295",
    "#fabfd2",
    "#d4a6c8",
    "#79706e",
]
# The sequential scale of the heatmaps (light to dark blue), shared with the HTML tables.
HEAT_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def plan_colour(index: int) -> str:
    """The colour of the plan at ``index`` (0-based), cycling through :data:`PLAN_COLOURS`."""
    return PLAN_COLOURS[index % len(PLAN_COLOURS)]


def category_colour(index: int) -> str:
    """The colour of category ``index``, cycling through :data:`CATEGORY_COLOURS`."""
    return CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]


def heat_colour(value: float, maximum: float) -> str:
    """The colour of ``value`` on the heatmap scale from 0 to ``maximum`` (square-root scale, so
    that small counts stay visible beside large ones).

    >>> heat_colour(0, 10)
    '#ffffff'
    >>> heat_colour(10, 10)
    '#08306b'
    """
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    t = min(1.0, math.sqrt(value / maximum))
    stops = [_rgb(c) for c in HEAT_COLOURS]
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    mixed = tuple(round(a + (b - a) * f) for a, b in zip(stops[i], stops[i + 1], strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = _rgb(background)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


@dataclass(frozen=True)
class Written:
    """The files of one figure."""

    name: str
    png: Path
    svg: Path


def _save(fig: Any, stem: Path, large: bool = False) -> Written:
    """Write ``fig`` as ``stem.png`` and ``stem.svg`` atomically (SVG without a date).

    Each format lays the figure out for itself, measuring every text with its own renderer;
    a ``large`` figure (a report at scale: thousands of labels) is laid out once, for the PNG,
    and the SVG keeps those positions, which differ from its own by fractions of a point."""
    import matplotlib

    paths = {}
    for ext in ("png", "svg"):
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "plangraph", "svg.fonttype": "none"}):
            fig.savefig(
                buffer,
                format=ext,
                dpi=150,
                metadata={"Date": None} if ext == "svg" else {"Software": "plangraph"},
            )
        path = stem.with_suffix(f".{ext}")
        with atomic_write(path, "wb") as fh:
            fh.write(buffer.getvalue())  # type: ignore[arg-type]
        paths[ext] = path
        if large:
            fig.set_layout_engine("none")
    return Written(stem.name, paths["png"], paths["svg"])


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heatmap(
    values: Sequence[Sequence[float]],
    rows: Sequence[str],
    columns: Sequence[str],
    title: str,
    stem: Path,
    column_colours: Sequence[str] | None = None,
    extra: tuple[str, Sequence[float]] | None = None,
    large: bool = False,
) -> Written:
    """A heatmap of ``values`` (rows × columns) with the counts written in the cells;
    ``extra`` (a header and a value per row) is a last column written in grey, outside the
    colour scale (the plans a heatmap at scale sums); ``large``: see :func:`_save`."""
    from matplotlib.colors import LinearSegmentedColormap

    n_rows, n_cols = max(len(rows), 1), max(len(columns), 1) + (1 if extra else 0)
    fig = _figure(
        2.8 + 0.75 * n_cols + 0.06 * max((len(r) for r in rows), default=10), 1.4 + 0.26 * n_rows
    )
    ax = fig.add_subplot()
    cmap = LinearSegmentedColormap.from_list("plangraph", ["#ffffff", *HEAT_COLOURS[1:]])
    maximum = max((v for row in values for v in row), default=0) or 1
    scaled = [[math.sqrt(v / maximum) if v > 0 else 0.0 for v in row] for row in values] or [[0.0]]
    ax.imshow(scaled, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(columns)), labels=list(columns))
    ax.set_yticks(range(len(rows)), labels=[_short(r) for r in rows])
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=8)
    if column_colours:
        for label, colour in zip(ax.get_xticklabels(), column_colours, strict=False):
            label.set_color(colour)
            label.set_fontweight("bold")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                bg = heat_colour(v, maximum)
                label = ax.text(
                    j, i, f"{v:g}", ha="center", va="center", fontsize=7, color=text_colour(bg)
                )
                # inside its cell: the layout need not measure it (a third of the drawing time
                # of a large heatmap)
                label.set_in_layout(False)
    if extra:
        header, other = extra
        ax.set_xlim(-0.5, len(columns) + 0.5)
        ax.set_xticks(range(len(columns) + 1), labels=[*columns, header])
        for i, v in enumerate(other):
            ax.text(
                len(columns), i, f"{v:g}", ha="center", va="center", fontsize=7, color="#777777"
            )
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="#ffffff", linewidth=1)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=10, loc="left")
    return _save(fig, stem, large)


def network(
    graph: Any,
    stem: Path,
    title: str,
    colour: Callable[[str, Mapping[str, Any]], str],
    size: Callable[[str, Mapping[str, Any]], float],
    label: Callable[[str, Mapping[str, Any]], str],
    n_labels: int = 20,
    edge_weight: str = "weight",
    legend: Mapping[str, str] | None = None,
    edge_labels: bool = False,
    pos: Mapping[Any, tuple[float, float]] | None = None,
    large: bool = False,
) -> Written:
    """A network drawn with networkx and matplotlib: spring layout (fixed seed), node colour,
    size and label from the given functions, edge width by ``edge_weight``; only the
    ``n_labels`` largest nodes are labelled. ``pos`` gives the positions (default: a spring
    layout, or a circle for up to ten nodes)."""
    import networkx as nx
    from matplotlib.lines import Line2D

    n = graph.number_of_nodes()
    side = 7.0 if n < 15 else 11.0
    fig = _figure(side + (2.5 if legend else 0), side * 0.8)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=11, loc="left")
    if n == 0:
        ax.text(0.5, 0.5, "(no nodes)", ha="center", va="center", transform=ax.transAxes)
        return _save(fig, stem, large)
    if pos is None:
        if n <= 10:
            pos = nx.circular_layout(graph)
        else:
            pos = nx.spring_layout(graph, seed=7, k=1.6 / math.sqrt(n), iterations=200)
    ax.margins(0.12)
    nodes = list(graph.nodes)
    weights = [float(d.get(edge_weight, 1) or 1) for _, _, d in graph.edges(data=True)]
    top = max(weights, default=1.0)
    widths = [0.4 + 4.0 * (w / top) for w in weights]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#8d99ab", alpha=0.5)
    if edge_labels:
        nx.draw_networkx_edge_labels(
            graph,
            pos,
            ax=ax,
            edge_labels={
                (u, v): f"{d.get(edge_weight, 0):g}" for u, v, d in graph.edges(data=True)
            },
            font_size=8,
        )
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        nodelist=nodes,
        node_color=[colour(v, graph.nodes[v]) for v in nodes],
        node_size=[size(v, graph.nodes[v]) for v in nodes],
        edgecolors="#ffffff",
        linewidths=0.6,
    )
    ranked = sorted(nodes, key=lambda v: (-size(v, graph.nodes[v]), str(v)))[:n_labels]
    nx.draw_networkx_labels(
        graph,
        pos,
        ax=ax,
        labels={v: _short(label(v, graph.nodes[v]), 28) for v in ranked},
        font_size=7 if n > 15 else 9,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5},
    )
    if legend:
        handles = [
            Line2D(
                [0],
                [0],
                marker="o",
                linestyle="",
                markerfacecolor=c,
                markeredgecolor="white",
                markersize=8,
                label=name,
            )
            for name, c in legend.items()
        ]
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
        )
    return _save(fig, stem, large)


@dataclass(frozen=True)
class TimelineRow:
    """One plan of the timeline: its tag and label, its period (fractional years, or None) and
    its timed elements as (begin, end, label) in fractional years."""

    tag: str
    label: str
    colour: str
    start: float | None
    end: float | None
    items: Sequence[tuple[float, float, str]]


def timeline(rows: Sequence[TimelineRow], stem: Path, title: str, large: bool = False) -> Written:
    """Plan periods as bars, milestones and timed actions as ticks (begin) and thin lines to
    their end; plans without a printed period are marked as such. A ``large`` timeline (see
    :func:`_save`) draws every element as one of two collections instead of two lines each:
    the same marks, a fraction of the objects to lay out and write."""
    from matplotlib.collections import LineCollection

    fig = _figure(11, 1.2 + 0.6 * max(len(rows), 1))
    ax = fig.add_subplot()
    years = [y for r in rows for y in (r.start, r.end) if y is not None]
    years += [y for r in rows for it in r.items for y in it[:2]]
    lo = math.floor(min(years, default=2020))
    hi = math.ceil(max(years, default=2021))
    if hi <= lo:
        hi = lo + 1
    collected: list[tuple[float, float, float, str]] = []
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        if row.start is not None and row.end is not None:
            ax.barh(
                y,
                row.end - row.start,
                left=row.start,
                height=0.5,
                color=row.colour,
                alpha=0.35,
                edgecolor=row.colour,
            )
        else:
            ax.text(
                lo + 0.02,
                y,
                "no period printed",
                va="center",
                fontsize=8,
                color="#777777",
                style="italic",
            )
        marks = [(b, e, y + ((k % 5) - 2) * 0.07) for k, (b, e, _lab) in enumerate(row.items)]
        if large:
            collected += [(b, e, at, row.colour) for b, e, at in marks]
            continue
        for b, e, at in marks:
            ax.plot([b, e], [at, at], color=row.colour, linewidth=0.8, alpha=0.7)
            ax.plot([b], [at], marker="D", markersize=3.5, color=row.colour)
    if collected:
        ax.add_collection(
            LineCollection(
                [[(b, at), (e, at)] for b, e, at, _c in collected],
                colors=[c for *_bea, c in collected],
                linewidths=0.8,
                alpha=0.7,
            )
        )
        ax.scatter(
            [b for b, *_eac in collected],
            [at for _b, _e, at, _c in collected],
            marker="D",
            s=3.5**2,
            c=[c for *_bea, c in collected],
        )
    ax.set_yticks(
        range(len(rows)), labels=[f"{r.tag} {_short(r.label, 40)}" for r in reversed(rows)]
    )
    ax.set_xlim(lo, hi + 0.01)
    ax.set_xticks(range(lo, hi + 1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    return _save(fig, stem, large)
