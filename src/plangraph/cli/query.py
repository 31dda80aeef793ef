"""``plangraph query``: run a named query of the catalogue with bound values."""

from __future__ import annotations

from pathlib import Path

import click

from plangraph.analysis.catalogue import find
from plangraph.cli.common import (
    bindings,
    emit,
    format_option,
    friendly,
    open_graph,
    params_option,
    source_options,
)


@click.command()
@click.argument("name")
@params_option
@format_option
@source_options
@click.pass_context
@friendly
def query(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    data_file: Path | None,
    endpoint: str | None,
) -> None:
    """Run the named query NAME (e.g. reports/element-counts; see queries/). A ``plan``
    parameter takes a plan id or IRI."""
    pg = open_graph(ctx, data_file, endpoint)
    named = find(name, pg.queries)
    emit(pg.query(named.name, **bindings(params)), fmt, named.title)


COMMANDS = [query]
