"""``plangraph report`` and ``plangraph map``: the analyst report and the coordination maps."""

from __future__ import annotations

import time
from pathlib import Path

import click

from plangraph.analysis.kinds import NETWORK_ALIASES, NETWORK_KINDS, network_kind
from plangraph.cli.common import (
    data_file_option,
    friendly,
    graph_file,
    open_graph,
    progress,
    project_of,
    shown,
)
from plangraph.report import write_report
from plangraph.report.formats import EXTENSIONS, FORMATS


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: build/report).",
)
@data_file_option
@click.pass_context
@friendly
def report(ctx: click.Context, out_dir: Path | None, data_file: Path | None) -> None:
    """Write the analyst report: build/report/index.html (one self-contained page: plan
    summaries, overlaps, gaps, heatmaps, networks, timeline), sources.html and figures/."""
    start = time.perf_counter()
    project = project_of(ctx)
    nquads = graph_file(ctx, data_file)
    index = write_report(project, out_dir, nquads, progress=progress)
    progress(f"report written in {time.perf_counter() - start:.1f} s")
    click.echo(f"report: {shown(index)}")


@click.command("map")
@click.argument("kind", type=click.Choice([*NETWORK_KINDS, *NETWORK_ALIASES]))
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
@friendly
def map_(
    ctx: click.Context, kind: str, fmt: str, out_file: Path | None, data_file: Path | None
) -> None:
    """Write the network KIND as a file: institutions (co-responsibility: institutions named
    in the same element), institution-plan (bipartite), plans (what plans share), similarity
    (near-duplicate elements)."""
    from plangraph.report.exports import write_map  # matplotlib loads on first use

    project = project_of(ctx)
    kind = network_kind(kind)
    target = out_file or project.build_dir / "maps" / f"{kind}.{EXTENSIONS[fmt]}"
    pg = open_graph(ctx, data_file)
    progress(f"building the {kind} network from {pg.source}")
    written = write_map(kind, fmt, pg, target)
    click.echo(f"map: {shown(written)}")


COMMANDS = [report, map_]
