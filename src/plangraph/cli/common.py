"""What every command module shares: friendly errors (exit 2, never a traceback), the project
(``--root``), where the graph comes from (``--data``, ``--endpoint``), ``KEY=VALUE`` parameters,
plan ids, and printing tables, CSV or JSON.

Commands reach the graph only through the Python API (:func:`open_graph` gives a
:class:`~plangraph.analysis.api.PlanGraph`), so the command line and the library answer alike.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from plangraph.errors import InputError, PlangraphError
from plangraph.project import Project
from plangraph.rdf.iris import BASE

if TYPE_CHECKING:
    import pandas as pd

    from plangraph.analysis.api import PlanGraph

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True)
out = Console()

_TABLE_CELL = 48
_LIST_LIKE = 60


def friendly(fn: F) -> F:
    """Turn plangraph errors into a clear message and exit code 2, never a traceback. User
    text is printed as it is (no terminal markup is read in it)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                err.print(
                    f"[red]error[/red] {escape(str(problem))}", highlight=False, soft_wrap=True
                )
            err.print(f"{len(exc.problems)} problem(s); nothing was written.")
            sys.exit(2)
        except PlangraphError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def progress(message: str) -> None:
    """Print a progress line on stderr (dimmed)."""
    err.print(f"[dim]… {escape(message)}[/dim]", highlight=False)


def shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


# -- the project and the graph ----------------------------------------------------------------


def project_of(ctx: click.Context) -> Project:
    """The project named by ``--root`` (or found from the working directory)."""
    root = ctx.obj.get("root") if ctx.obj else None
    return Project.discover(Path(root) if root else None)


def project_or_none(ctx: click.Context) -> Project | None:
    """The project, or ``None`` when there is none and no ``--root`` was given (commands that
    can read ``--data`` alone)."""
    root = ctx.obj.get("root") if ctx.obj else None
    try:
        return Project.discover(Path(root) if root else None)
    except PlangraphError:
        if root:
            raise
        return None


def current_build(project: Project) -> Path:
    """``build/plangraph.nq``, built first when it is missing or older than its inputs."""
    from plangraph.pipeline.freshness import current_build as build_if_stale  # loads rdflib

    return build_if_stale(project, progress=progress)


def graph_file(ctx: click.Context, data_file: Path | None) -> Path:
    """The dataset a command reads: ``--data``, else the project's current build."""
    if data_file is not None:
        if not data_file.is_file():
            raise PlangraphError(f"{data_file} not found")
        return data_file
    project = project_or_none(ctx)
    if project is None:
        raise PlangraphError(
            "no plangraph project found: pass --data FILE.nq (or --root / PLANGRAPH_ROOT)"
        )
    return current_build(project)


def open_graph(
    ctx: click.Context, data_file: Path | None = None, endpoint: str | None = None
) -> PlanGraph:
    """The graph a command questions: ``--endpoint``, ``--data``, or the project's build."""
    from plangraph.analysis.api import open as open_dataset  # pandas loads on first use

    if data_file is not None and endpoint is not None:
        raise PlangraphError("give --data or --endpoint, not both")
    project = project_or_none(ctx)
    queries_dir = project.queries_dir if project else None
    if endpoint:
        return open_dataset(endpoint=endpoint, queries_dir=queries_dir)
    return open_dataset(graph_file(ctx, data_file), queries_dir=queries_dir)


def data_file_option(fn: F) -> F:
    """``--data FILE``: read this dataset instead of ``build/plangraph.nq``."""
    return click.option(
        "--data",
        "data_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read this dataset (.nq, .trig, .nt, .ttl, .rdf) instead of build/plangraph.nq.",
    )(fn)


def source_options(fn: F) -> F:
    """``--data FILE`` and ``--endpoint URL``: where the graph comes from."""
    fn = click.option(
        "--endpoint",
        metavar="URL",
        help="Query this SPARQL endpoint (e.g. after 'plangraph push') instead of the build.",
    )(fn)
    return data_file_option(fn)


def format_option(fn: F) -> F:
    """``--format table|csv|json``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
    )(fn)


def day_option(help_text: str) -> Callable[[F], F]:
    """``--on DATE``: a day as YYYY-MM-DD, refused with a clear message when it is not one."""

    def check(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        import datetime as dt

        if value is None:
            return None
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None
        return value

    return click.option("--on", "on", metavar="DATE", help=help_text, callback=check)


def params_option(fn: F) -> F:
    """``--param/-p KEY=VALUE`` (repeatable)."""
    return click.option(
        "--param",
        "-p",
        "params",
        multiple=True,
        metavar="KEY=VALUE",
        help="Bind a query parameter (repeatable).",
    )(fn)


# -- values -----------------------------------------------------------------------------------


def bindings(params: tuple[str, ...], plan: str | None = None) -> dict[str, Any]:
    """``KEY=VALUE`` parameters (and ``--plan``) as query bindings (a ``plan`` may be a plan
    id or IRI: the catalogue binds either).

    >>> bindings(("plan=p1", "on=2024-01-01"))
    {'plan': 'p1', 'on': '2024-01-01'}
    """
    out: dict[str, Any] = {}
    for item in params:
        key, sep, val = item.partition("=")
        if not sep or not key:
            raise PlangraphError(f"--param '{item}' is not KEY=VALUE")
        out[key] = val
    if plan:
        out["plan"] = plan
    return out


def short_iri(text: str) -> str:
    """plangraph IRIs as ids: plan/<id>/… and institution/<id> lose their prefix, vocabulary
    concepts keep their scheme.

    >>> short_iri("https://w3id.org/plangraph/plan/p1/action-1.1")
    'p1/action-1.1'
    >>> short_iri("https://w3id.org/plangraph/vocab/theme/consular-protection")
    'theme/consular-protection'
    """
    for prefix in ("plan/", "institution/", "vocab/", ""):
        if text.startswith(BASE + prefix):
            return text[len(BASE + prefix) :]
    return text


def _plain(val: Any) -> Any:
    if val is None or (isinstance(val, float) and math.isnan(val)):
        return None
    if hasattr(val, "item"):  # numpy scalars
        return val.item()
    return val


def emit(frame: pd.DataFrame, fmt: str, title: str = "") -> None:
    """Print a DataFrame as a table (plangraph IRIs without their common prefix, long cells
    cut, list-like columns left out with a pointer to csv/json), CSV or JSON (full values)."""
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
    from rich.table import Table

    rows = [["" if v is None else short_iri(str(v)) for v in r.values()] for r in records]
    columns = [str(c) for c in frame.columns]
    long = [
        i
        for i in range(len(columns))
        if rows and sum(len(r[i]) for r in rows) / len(rows) > _LIST_LIKE
    ]
    keep = (
        [i for i in range(len(columns)) if i not in long]
        if len(long) < len(columns) - 1
        else list(range(len(columns)))
    )
    table = Table(title=escape(title) if title else None)
    for i in keep:
        table.add_column(escape(columns[i]), max_width=_TABLE_CELL, overflow="ellipsis")
    for row in rows:
        table.add_row(
            *[
                escape(row[i] if len(row[i]) <= _TABLE_CELL else row[i][: _TABLE_CELL - 1] + "…")
                for i in keep
            ]
        )
    out.print(table)
    left_out = [columns[i] for i in range(len(columns)) if i not in keep]
    note = f" (left out here: {', '.join(left_out)}; see --format csv or json)" if left_out else ""
    out.print(f"{len(records)} row(s){escape(note)}", highlight=False)
