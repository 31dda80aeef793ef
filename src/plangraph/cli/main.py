"""The ``plangraph`` command: a small group that gathers one module of commands per area.

Exit codes: 0 success / conforms, 1 violations found, 2 could not run (bad input, missing files).
Each area's module (:mod:`plangraph.cli.build`, ``validate``, ``query``, ``tags``, ``analysis``,
``report``, ``serve``) imports only light modules at start-up; the heavy ones load inside the
commands.
"""

from __future__ import annotations

import click

from plangraph.cli import (
    analysis,
    build,
    findings,
    importer,
    query,
    report,
    serve,
    tags,
    validate,
)


@click.group()
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="Project root (default: nearest "
    "directory with ontology/plangraph.ttl, or $PLANGRAPH_ROOT).",
)
@click.version_option(package_name="plangraph")
@click.pass_context
def main(ctx: click.Context, root: str | None) -> None:
    """plangraph: a knowledge graph of public action plans."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


for _module in (build, validate, query, tags, findings, analysis, report, serve, importer):
    for _command in _module.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
