"""``plangraph report`` and ``plangraph map``: the analyst report and the coordination maps."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from rich.console import Console

from plangraph.analysis.api import NETWORK_ALIASES
from plangraph.cli.common import current_build, data_file_option, project_of
from plangraph.cli.common import friendly as _friendly
from plangraph.report.exports import EXTENSIONS, FORMATS, KINDS

err = Console(stderr=True)


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def _graph_file(ctx: click.Context, data: Path | None) -> tuple[object, Path]:
    """The project and the graph to read: ``data``, or the current build."""
    project = project_of(ctx)
    return project, data if data is not None else current_build(project)


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: build/report).",
)
@data_file_option
@click.pass_context
def report(ctx: click.Context, out_dir: Path | None, data_file: Path | None) -> None:
    """Write the analyst report: build/report/index.html (one self-contained page: plan
    summaries, overlaps, gaps, heatmaps, networks, timeline), sources.html and figures/."""

    @_friendly
    def run() -> None:
        from plangraph.project import Project
        from plangraph.report.page import write_report

        start = time.perf_counter()
        project, nquads = _graph_file(ctx, data_file)
        assert isinstance(project, Project)
        index = write_report(
            project, out_dir, nquads, progress=lambda m: err.print(f"[dim]… {m}[/dim]")
        )
        err.print(f"[dim]… report written in {time.perf_counter() - start:.1f} s[/dim]")
        click.echo(f"report: {_shown(index)}")

    run()


@click.command("map")
@click.argument("kind", type=click.Choice([*KINDS, *NETWORK_ALIASES]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="html",
    show_default=True,
    help="graphml/gexf: Gephi, Cytoscape, yEd; cyjs: Cytoscape(.js); csv: edge list; html: "
    "interactive page; png/svg: static figure.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: build/maps/<kind>.<format>).",
)
@data_file_option
@click.pass_context
def map_(
    ctx: click.Context, kind: str, fmt: str, out_file: Path | None, data_file: Path | None
) -> None:
    """Write the network KIND as a file: institutions (co-responsibility: institutions named
    in the same element), institution-plan (bipartite), plans (what plans share), similarity
    (near-duplicate elements)."""

    @_friendly
    def run() -> None:
        from plangraph.project import Project
        from plangraph.rdf.store import open_store
        from plangraph.report.exports import write_map

        project, nquads = _graph_file(ctx, data_file)
        assert isinstance(project, Project)
        target = out_file or project.build_dir / "maps" / f"{kind}.{EXTENSIONS[fmt]}"
        err.print(f"[dim]… building the {kind} network from {nquads}[/dim]")
        store = open_store(nquads)
        written = write_map(kind, fmt, store, project.queries_dir, target)
        click.echo(f"map: {_shown(written)}")

    run()


COMMANDS = [report, map_]
