"""``plangraph overlaps``, ``plangraph gaps`` and ``plangraph network``: the analysis commands.

Registered by :mod:`plangraph.cli.main`. They read ``build/plangraph.nq`` (like ``plangraph query``),
or ``--data FILE``, or a SPARQL endpoint with ``--endpoint URL``, and print a table, CSV or JSON.
Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from plangraph.analysis.api import (
    GAP_KINDS,
    MATRIX_MEASURES,
    NETWORK_ALIASES,
    NETWORK_KINDS,
    OVERLAP_KINDS,
)
from plangraph.cli.common import current_build
from plangraph.cli.common import friendly as _friendly
from plangraph.errors import PlangraphError

if TYPE_CHECKING:
    import pandas as pd

    from plangraph.analysis.api import PlanGraph

F = TypeVar("F", bound=Callable[..., Any])

OVERLAP_CHOICES = list(OVERLAP_KINDS)
GAP_CHOICES = list(GAP_KINDS)
NETWORK_CHOICES = [*NETWORK_KINDS, *NETWORK_ALIASES]
MEASURES = list(MATRIX_MEASURES)
_TABLE_CELL = 48
_LIST_LIKE = 60
_BASE = "https://w3id.org/plangraph/"


def _source_options(fn: F) -> F:
    fn = click.option(
        "--endpoint", metavar="URL", help="Query this SPARQL endpoint instead of the build."
    )(fn)
    fn = click.option(
        "--data",
        "data_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Query this dataset file (.nq, .trig, …) instead of build/plangraph.nq.",
    )(fn)
    return fn


def _format_option(fn: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
    )(fn)


def _open(ctx: click.Context, data_file: Path | None, endpoint: str | None) -> PlanGraph:
    from plangraph.analysis.api import open as open_dataset
    from plangraph.project import Project

    root = ctx.obj.get("root") if ctx.obj else None
    try:
        project: Project | None = Project.discover(Path(root) if root else None)
    except PlangraphError:
        if data_file is None and endpoint is None:
            raise
        project = None
    queries_dir = project.queries_dir if project else None
    if endpoint:
        return open_dataset(endpoint=endpoint, queries_dir=queries_dir)
    if data_file:
        return open_dataset(data_file, queries_dir=queries_dir)
    assert project is not None
    return open_dataset(current_build(project), queries_dir=project.queries_dir)


def _bindings(params: tuple[str, ...], plan: str | None) -> dict[str, Any]:
    from plangraph.rdf.namespaces import plan_iri

    out: dict[str, Any] = {}
    for item in params:
        key, sep, val = item.partition("=")
        if not sep:
            raise PlangraphError(f"--param '{item}' is not KEY=VALUE")
        out[key] = val
    if plan:
        out["plan"] = plan if "://" in plan else str(plan_iri(plan))
    return out


def _plain(val: Any) -> Any:
    if val is None or (isinstance(val, float) and math.isnan(val)):
        return None
    if hasattr(val, "item"):  # numpy scalars
        return val.item()
    return val


def emit(frame: pd.DataFrame, fmt: str, title: str = "") -> None:
    """Print a DataFrame as a table (plangraph IRIs without their common prefix, long cells
    cut), CSV or JSON (records, full values)."""
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
        return
    records = [
        {c: _plain(v) for c, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    rows = [["" if v is None else _short_iri(str(v)) for v in r.values()] for r in records]
    columns = [str(c) for c in frame.columns]
    # list-like columns (e.g. every element IRI an institution takes part in) drown a terminal
    # table: leave them out here, they are in --format csv and json
    long = [
        i
        for i in range(len(columns))
        if rows and sum(len(r[i]) for r in rows) / len(rows) > _LIST_LIKE
    ]
    keep = (
        [i for i in range(len(columns)) if i not in long]
        if len(long) < len(columns) - 1
        else (list(range(len(columns))))
    )
    table = Table(title=title or None)
    for i in keep:
        table.add_column(columns[i], max_width=_TABLE_CELL, overflow="ellipsis")
    for row in rows:
        table.add_row(
            *[
                row[i] if len(row[i]) <= _TABLE_CELL else row[i][: _TABLE_CELL - 1] + "…"
                for i in keep
            ]
        )
    console = Console()
    console.print(table)
    left_out = [columns[i] for i in range(len(columns)) if i not in keep]
    note = f" (left out here: {', '.join(left_out)}; see --format csv or json)" if left_out else ""
    console.print(f"{len(records)} row(s){note}")


def _short_iri(text: str) -> str:
    """plangraph IRIs as ids: plan/<id>/… and institution/<id> lose their prefix, vocabulary
    concepts keep their scheme.

    >>> _short_iri("https://w3id.org/plangraph/plan/p1/action-1.1")
    'p1/action-1.1'
    >>> _short_iri("https://w3id.org/plangraph/vocab/theme/consular-protection")
    'theme/consular-protection'
    """
    for prefix in ("plan/", "institution/", "vocab/", ""):
        if text.startswith(_BASE + prefix):
            return text[len(_BASE + prefix) :]
    return text


@click.command()
@click.option(
    "--kind", type=click.Choice(OVERLAP_CHOICES), default="institutions", show_default=True
)
@_format_option
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
    type=click.Choice(MEASURES),
    help="matrix: print the square plan × plan matrix of this measure.",
)
@click.option("--plan", help="similar: only this plan (id or IRI).")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter."
)
@_source_options
@click.pass_context
@_friendly
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
    pg = _open(ctx, data_file, endpoint)
    bindings = _bindings(params, plan)
    if kind == "matrix" and measure:
        square = pg.plan_matrix(measure)
        square.columns = [c.rsplit("/", 1)[-1] for c in square.columns]
        square.insert(0, "plan", [i.rsplit("/", 1)[-1] for i in square.index])
        emit(square.reset_index(drop=True), fmt, f"Plans sharing {measure}")
        return
    if kind == "similar":
        frame = pg.overlaps(
            kind, threshold=threshold, scope=scope, action_level=action_level, **bindings
        )
    else:
        frame = pg.overlaps(kind, **bindings)
    emit(frame, fmt, f"Overlaps: {kind}")


@click.command()
@click.option(
    "--kind",
    type=click.Choice(GAP_CHOICES),
    help="The gap to list (default: a summary of every gap with its row count).",
)
@click.option(
    "--on", "on", metavar="DATE", help="plans-in-force: the day (YYYY-MM-DD; default today)."
)
@click.option("--plan", help="Only this plan (id or IRI), for the gaps that take one.")
@_format_option
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter."
)
@_source_options
@click.pass_context
@_friendly
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
    import datetime as dt

    if on is not None:
        try:
            dt.date.fromisoformat(on)
        except ValueError:
            raise PlangraphError(f"--on '{on}' is not a date (YYYY-MM-DD)") from None
    pg = _open(ctx, data_file, endpoint)
    if kind is None:
        if plan or params:
            raise PlangraphError("--plan and --param need a --kind")
        emit(pg.gap_summary(on=on), fmt, "Gaps")
        return
    bindings = _bindings(params, plan)
    emit(pg.gaps(kind, on=on, **bindings), fmt, f"Gaps: {kind}")


@click.command()
@click.argument("kind", type=click.Choice(NETWORK_CHOICES))
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
@_format_option
@_source_options
@click.pass_context
@_friendly
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

    from plangraph.analysis.metrics import brokers, node_metrics
    from plangraph.analysis.networks import write_graphml

    pg = _open(ctx, data_file, endpoint)
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
