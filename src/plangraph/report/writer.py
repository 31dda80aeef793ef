"""Writing the report: collect the data, draw the static figures, render the two pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from plangraph.analysis.api import open as open_dataset
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.report import figures, scale
from plangraph.report.data import Report, collect
from plangraph.report.exports.graph import relayout
from plangraph.report.exports.image import draw
from plangraph.report.pages import render_index, render_sources
from plangraph.report.sections.heatmaps import FIGURE_ROWS, Matrix, matrices
from plangraph.report.sections.timeline import timeline_rows
from plangraph.report.view import Lookup

Progress = Callable[[str], None]


def write_figures(
    report: Report,
    out: Path,
    mats: Sequence[Matrix],
    rows: Sequence[figures.TimelineRow],
    say: Progress,
) -> dict[str, figures.Written]:
    """The static PNG and SVG figures under ``out/figures``."""
    fig_dir = out / "figures"
    written: dict[str, figures.Written] = {}
    large = scale.at_scale(len(report.plans))
    for m in mats:
        say(f"figure: heatmap {m.key}")
        limit = FIGURE_ROWS if m.key == "institution" else len(m.rows)
        title = f"{m.title} × plan"
        if limit < len(m.rows):
            title += f" (first {limit} of {len(m.rows)})"
        columns = m.columns(report.plans)
        others = m.others()
        extra = None
        if others is not None:
            title += f"; {len(report.plans) - len(columns)} other plans summed"
            extra = (f"+{len(report.plans) - len(columns)}", others[:limit])
        written["heatmap-" + m.key] = figures.heatmap(
            m.shown_values()[:limit],
            m.rows[:limit],
            [p.tag for p in columns],
            title,
            fig_dir / f"heatmap-{m.key}",
            [p.colour for p in columns],
            extra=extra,
            large=large,
        )
    say("figure: institution network")
    written["network-institutions"] = draw(
        "institutions",
        report.graphs["institutions"],
        fig_dir / "network-institutions",
        large=large,
    )
    say("figure: plan network")
    plans_graph, net_title = report.graphs["plans"], None
    top = scale.top_plans(report.plan_matrix, [p.iri for p in report.plans])
    if top is not None:
        plans_graph = scale.strongest_links(plans_graph, top)
        relayout(plans_graph)
        net_title = (
            f"Plan overlap network: the {len(top)} of {len(report.plans)} plans most alike the "
            f"others, each with its {scale.PLAN_EDGES} strongest links (concept similarity)"
        )
    written["network-plans"] = draw("plans", plans_graph, fig_dir / "network-plans", net_title)
    say("figure: timeline")
    written["timeline"] = figures.timeline(
        rows,
        fig_dir / "timeline",
        "Plan periods (bars) and dated action-level elements (◆)",
        large=large,
    )
    return written


def write(
    project: Project,
    out_dir: Path | None = None,
    nquads: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """See :func:`plangraph.report.write_report`."""
    say = progress or (lambda _m: None)
    graph_file = nquads or project.build_dir / "plangraph.nq"
    out = out_dir or project.build_dir / "report"
    say(f"loading {graph_file}")
    pg = open_dataset(graph_file, queries_dir=project.queries_dir)
    with pg.remembering():  # sections ask the same queries; answer each once
        report = collect(pg, say)
    try:
        report.graph_file = str(graph_file.relative_to(project.root))
    except ValueError:
        report.graph_file = str(graph_file)
    look = Lookup(report)
    mats = matrices(look)
    rows = timeline_rows(look)
    # the sources page first, in memory: a source the data names wrongly stops the report
    # before anything is written
    sources = render_sources(report, project.sources_dir)
    written = write_figures(report, out, mats, rows, say)
    say("writing sources.html")
    write_text(out / "sources.html", sources)
    say("writing index.html")
    index = out / "index.html"
    write_text(index, render_index(report, written, mats, rows))
    return index
