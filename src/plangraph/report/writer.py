"""Writing the report: collect the data, draw the static figures, render the two pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from plangraph.analysis.api import open as open_dataset
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.report import figures
from plangraph.report.data import Report, collect
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
    tags = [p.tag for p in report.plans]
    colours = [p.colour for p in report.plans]
    for m in mats:
        say(f"figure: heatmap {m.key}")
        limit = FIGURE_ROWS if m.key == "institution" else len(m.rows)
        title = f"{m.title} × plan"
        if limit < len(m.rows):
            title += f" (first {limit} of {len(m.rows)})"
        written["heatmap-" + m.key] = figures.heatmap(
            m.values[:limit], m.rows[:limit], tags, title, fig_dir / f"heatmap-{m.key}", colours
        )
    say("figure: institution network")
    written["network-institutions"] = draw(
        "institutions", report.graphs["institutions"], fig_dir / "network-institutions"
    )
    say("figure: plan network")
    written["network-plans"] = draw("plans", report.graphs["plans"], fig_dir / "network-plans")
    say("figure: timeline")
    written["timeline"] = figures.timeline(
        rows, fig_dir / "timeline", "Plan periods (bars) and dated action-level elements (◆)"
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
    report = collect(open_dataset(graph_file, queries_dir=project.queries_dir), say)
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
