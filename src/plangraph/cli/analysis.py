"""``plangraph overlaps``, ``plangraph gaps`` and ``plangraph network``: the analysis commands.

Registered by :mod:`plangraph.cli.main`. They read ``build/plangraph.nq`` (like
``plangraph query``),
or ``--data FILE``, or a SPARQL endpoint with ``--endpoint URL``, and print a table, CSV or JSON.
Heavy imports happen inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from plangraph.analysis.kinds import MATRIX_MEASURES, NETWORK_ALIASES, NETWORK_KINDS, OVERLAP_KINDS
from plangraph.cli.common import (
    bindings,
    day_option,
    emit,
    format_option,
    friendly,
    open_graph,
    params_option,
    source_options,
)
from plangraph.errors import PlangraphError


@click.command()
@click.option(
    "--kind", type=click.Choice(list(OVERLAP_KINDS)), default="institutions", show_default=True
)
@format_option
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="similar: the lowest cosine score reported (default 0.7, see docs/queries.md).",
)
@click.option(
    "--scope",
    type=click.Choice(["all", "within", "across"]),
    default="all",
    show_default=True,
    help="similar: pairs in any plans, within one plan, or across plans.",
)
@click.option("--action-level", is_flag=True, help="similar: compare action-level elements only.")
@click.option(
    "--measure",
    type=click.Choice(list(MATRIX_MEASURES)),
    help="matrix: print the square plan × plan matrix of this measure.",
)
@click.option("--plan", help="similar: only this plan (id or IRI).")
@params_option
@source_options
@click.pass_context
@friendly
def overlaps(
    ctx: click.Context,
    kind: str,
    fmt: str,
    threshold: float | None,
    scope: str,
    action_level: bool,
    measure: str | None,
    plan: str | None,
    params: tuple[str, ...],
    data_file: Path | None,
    endpoint: str | None,
) -> None:
    """What plans share: institutions in several plans, action-level elements sharing a theme,
    population or framework objective, near-duplicate elements, and the plan × plan matrix."""
    pg = open_graph(ctx, data_file, endpoint)
    binds = bindings(params, plan)
    if kind == "matrix" and measure:
        square = pg.plan_matrix(measure)
        square.columns = [c.rsplit("/", 1)[-1] for c in square.columns]
        square.insert(0, "plan", [i.rsplit("/", 1)[-1] for i in square.index])
        emit(square.reset_index(drop=True), fmt, f"Plans sharing {measure}")
        return
    if kind == "similar":
        frame = pg.overlaps(
            kind, threshold=threshold, scope=scope, action_level=action_level, **binds
        )
    else:
        frame = pg.overlaps(kind, **binds)
    emit(frame, fmt, f"Overlaps: {kind}")


@click.command()
@click.option(
    "--kind",
    metavar="KIND",
    help="The gap to list (the gaps/ queries, e.g. no-responsible; default: a summary of every "
    "gap with its row count).",
)
@day_option("plans-in-force: the day (YYYY-MM-DD; default today).")
@click.option("--plan", help="Only this plan (id or IRI), for the gaps that take one.")
@format_option
@params_option
@source_options
@click.pass_context
@friendly
def gaps(
    ctx: click.Context,
    kind: str | None,
    on: str | None,
    plan: str | None,
    fmt: str,
    params: tuple[str, ...],
    data_file: Path | None,
    endpoint: str | None,
) -> None:
    """What plans leave out: actions with no responsible institution, timeframe or indicator,
    results nobody acts on, unserved populations and framework objectives, lapsed plans."""
    pg = open_graph(ctx, data_file, endpoint)
    if kind is None:
        if plan or params:
            raise PlangraphError("--plan and --param need a --kind")
        emit(pg.gap_summary(on=on), fmt, "Gaps")
        return
    binds = bindings(params, plan)
    emit(pg.gaps(kind, on=on, **binds), fmt, f"Gaps: {kind}")


@click.command()
@click.argument("kind", type=click.Choice([*NETWORK_KINDS, *NETWORK_ALIASES]))
@click.option("--metrics", "with_metrics", is_flag=True, help="Print node metrics, not edges.")
@click.option("--brokers", "with_brokers", is_flag=True, help="institution-plan: print brokers.")
@click.option(
    "--no-generic", is_flag=True, help="Leave out generic agents (e.g. 'sociedad civil')."
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="co-responsibility: count only these roles (repeatable, e.g. --role responsible).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="similarity: the lowest cosine score linking two elements (default 0.7).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the graph as GraphML (Gephi, Cytoscape).",
)
@format_option
@source_options
@click.pass_context
@friendly
def network(
    ctx: click.Context,
    kind: str,
    with_metrics: bool,
    with_brokers: bool,
    no_generic: bool,
    roles: tuple[str, ...],
    threshold: float | None,
    out_file: Path | None,
    fmt: str,
    data_file: Path | None,
    endpoint: str | None,
) -> None:
    """Build a network of KIND: institution-plan (bipartite), co-responsibility (institutions
    sharing action-level elements), plan-overlap, or similarity (near-duplicate elements)."""
    import pandas as pd

    # NetworkX loads on first use
    from plangraph.analysis.metrics import brokers, node_metrics
    from plangraph.analysis.networks import write_graphml

    pg = open_graph(ctx, data_file, endpoint)
    options: dict[str, Any] = {}
    if no_generic:
        if kind not in ("institution-plan", "co-responsibility"):
            raise PlangraphError("--no-generic applies to institution-plan and co-responsibility")
        options["generic"] = False
    if roles:
        if kind != "co-responsibility":
            raise PlangraphError("--role applies to co-responsibility")
        options["roles"] = roles
    if threshold is not None:
        if kind != "similarity":
            raise PlangraphError("--threshold applies to similarity")
        options["threshold"] = threshold
    if with_brokers and kind != "institution-plan":
        raise PlangraphError("--brokers applies to institution-plan")
    G = pg.network(kind, **options)
    if out_file:
        write_graphml(G, out_file)
        click.echo(f"wrote {out_file}", err=True)
    click.echo(f"{kind}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges", err=True)
    if with_brokers:
        emit(brokers(G), fmt, "Brokers: the only institution two plans share")
    elif with_metrics:
        emit(node_metrics(G), fmt, f"Node metrics: {kind}")
    else:
        rows = [
            [
                a,
                G.nodes[a].get("label", ""),
                b,
                G.nodes[b].get("label", ""),
                d.get("weight"),
                d.get("kind"),
            ]
            for a, b, d in G.edges(data=True)
        ]
        edges = pd.DataFrame(
            rows, columns=["source", "source_label", "target", "target_label", "weight", "kind"]
        )
        edges = edges.sort_values(["weight", "source", "target"], ascending=[False, True, True])
        emit(edges.reset_index(drop=True), fmt, f"Edges: {kind}")


COMMANDS = [overlaps, gaps, network]
