"""The ``plangraph`` command line: a thin layer over the library.

Exit codes: 0 success / conforms, 1 violations found, 2 could not run (bad input, missing files).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from plangraph.cliutil import current_build
from plangraph.cliutil import friendly as _friendly
from plangraph.cliutil import project_of as _project
from plangraph.errors import PlangraphError

err = Console(stderr=True)
out = Console()


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


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
@_friendly
def check(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Load plan files (all, or FILES) and report every problem with file, line and field."""
    from plangraph.loader import load_corpus

    project = _project(ctx)
    corpus = load_corpus(project, list(files) if files else None)
    elements = sum(1 for p in corpus.plans for _ in p.walk())
    out.print(
        f"ok: {len(corpus.plans)} plan file(s), {elements} elements, "
        f"{len(corpus.institutions)} institutions"
    )


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: build/).",
)
@click.pass_context
@_friendly
def build(ctx: click.Context, out_dir: Path | None) -> None:
    """Compile every plan file into build/plangraph.{trig,nq,nt,owl} and print a summary."""
    from plangraph.build import build as run_build
    from plangraph.stats import plan_stats
    from plangraph.store import open_store

    project = _project(ctx)
    start = time.perf_counter()
    result = run_build(
        project, out_dir=out_dir, progress=lambda msg: err.print(f"[dim]… {msg}[/dim]")
    )
    seconds = time.perf_counter() - start
    store = open_store(result.outputs["nquads"])
    stats = plan_stats(store, project.queries_dir)
    _print_stats(stats)
    triples = len(store)  # type: ignore[arg-type]
    out.print(
        f"{len(result.corpus.plans)} plans, {len(result.corpus.institutions)} institutions, "
        f"{triples} quads, built in {seconds:.1f} s"
    )
    for kind, path in result.outputs.items():
        out.print(f"  {kind:9} {path}")


def _print_stats(stats: dict[str, dict[str, Any]]) -> None:
    """Two tables, one column per plan (numbered, with a legend)."""
    ids = list(stats)
    for i, plan_id in enumerate(ids, start=1):
        out.print(f"  P{i} = {plan_id} ({stats[plan_id]['status']})", highlight=False)
    kinds = sorted({k for s in stats.values() for k in s["elements"]})
    table = Table(title="Elements by kind")
    table.add_column("kind")
    for i in range(1, len(ids) + 1):
        table.add_column(f"P{i}", justify="right")
    for k in kinds:
        table.add_row(k, *[str(stats[p]["elements"].get(k, "")) for p in ids])
    table.add_row("total", *[str(sum(stats[p]["elements"].values())) for p in ids], style="bold")
    out.print(table)
    roles = sorted({r for s in stats.values() for r in s["roles"]})
    table = Table(
        title="Institutions by role (distinct institutions / participations), "
        "populations and timeframes"
    )
    table.add_column("")
    for i in range(1, len(ids) + 1):
        table.add_column(f"P{i}", justify="right")
    for r in roles:
        table.add_row(
            r,
            *[
                f"{stats[p]['roles'][r]['institutions']}/{stats[p]['roles'][r]['participations']}"
                if r in stats[p]["roles"]
                else ""
                for p in ids
            ],
        )
    table.add_row(
        "elements with an institution", *[str(stats[p]["elements_with_institution"]) for p in ids]
    )
    table.add_row("declared populations", *[str(stats[p]["populations"]) for p in ids])
    table.add_row("citations", *[str(stats[p]["citations"]) for p in ids])
    table.add_row(
        "elements with timeframe text", *[str(stats[p]["elements_with_timeframe"]) for p in ids]
    )
    table.add_row(
        "distinct timeframe texts", *[str(stats[p]["distinct_timeframe_texts"]) for p in ids]
    )
    out.print(table)


@main.command()
@click.option("--plan", help="Only this plan id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_friendly
def stats(ctx: click.Context, plan: str | None, as_json: bool) -> None:
    """Counts per plan from the built graph: elements by kind, institutions by role,
    declared populations and timeframes."""
    from plangraph.namespaces import plan_iri
    from plangraph.stats import plan_stats
    from plangraph.store import open_store

    project = _project(ctx)
    store = open_store(current_build(project))
    result = plan_stats(store, project.queries_dir, str(plan_iri(plan)) if plan else None)
    if plan and not result:
        raise PlangraphError(f"no plan '{plan}' in the built graph")
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_stats(result)


@main.command()
@click.option(
    "--data",
    "data_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Validate this RDF file (.nq, .trig, .ttl, .nt) instead of build/plangraph.nq.",
)
@click.option("--no-owl", is_flag=True, help="Skip the HermiT consistency check.")
@click.option("--no-shacl", is_flag=True, help="Skip SHACL.")
@click.option("--no-qc", is_flag=True, help="Skip the QC queries.")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the machine-readable report here (default: build/validation.json).",
)
@click.pass_context
@_friendly
def validate(
    ctx: click.Context,
    data_file: Path | None,
    no_owl: bool,
    no_shacl: bool,
    no_qc: bool,
    report_file: Path | None,
) -> None:
    """Validate the graph: SHACL shapes, OWL consistency (HermiT), QC queries.
    Exit 0 conforms, 1 violations, 2 could not run."""
    from rdflib import Dataset, Graph

    from plangraph.atomic import write_text
    from plangraph.build import sorted_nquads

    project = _project(ctx)
    path = data_file or current_build(project)
    if not path.is_file():
        raise PlangraphError(f"{path} not found: run 'plangraph build' first")
    if path.suffix == ".nq":
        # plangraph build writes sorted N-Quads: read them as they are
        nquads = path.read_text(encoding="utf-8")
    else:
        ds = Dataset()
        if path.suffix == ".trig":
            ds.parse(path, format="trig")
        else:
            for t in Graph().parse(path):
                ds.add(t)
        nquads = sorted_nquads(ds)
    from plangraph.validate import validate_nquads

    ontology = Graph().parse(project.ontology_file, format="turtle")
    err.print(f"[dim]… validating {path}[/dim]")
    report = validate_nquads(
        nquads,
        ontology,
        project.shapes_dir,
        project.queries_dir,
        shacl=not no_shacl,
        owl=not no_owl,
        qc=not no_qc,
    )
    target = report_file or project.build_dir / "validation.json"
    write_text(target, json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    click.echo(report.to_text())
    err.print(f"[dim]report: {target}[/dim]")
    sys.exit(report.exit_code)


@main.command()
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind a query parameter (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run on this SPARQL endpoint (e.g. after 'plangraph push') instead of build/.",
)
@click.pass_context
@_friendly
def query(
    ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, endpoint: str | None
) -> None:
    """Run the named query NAME (a file under queries/, e.g. reports/element-counts)."""
    import csv

    from plangraph.queries import find, plain, run
    from plangraph.store import open_store

    project = _project(ctx)
    named = find(project.queries_dir, name)
    bindings: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise PlangraphError(f"--param '{item}' is not KEY=VALUE")
        bindings[key] = value
    if endpoint:
        from plangraph.remote import run_remote

        columns, rows = run_remote(endpoint, named, **bindings)
    else:
        store = open_store(current_build(project))
        columns, rows = run(store, named, **bindings)
    values = [[plain(v) for v in row] for row in rows]
    if fmt == "json":
        click.echo(
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in values], indent=2, ensure_ascii=False
            )
        )
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(values)
    else:
        table = Table(title=named.title)
        for c in columns:
            table.add_column(c)
        for r in values:
            table.add_row(*["" if v is None else str(v) for v in r])
        out.print(table)
        out.print(f"{len(values)} row(s)")


# Commands of other areas live in their own modules (cli_<area>.py), each exposing COMMANDS;
# they are registered here explicitly. Their heavy imports happen inside the commands.
def _register(module_name: str) -> None:
    import importlib

    module = importlib.import_module(module_name)
    for command in module.COMMANDS:
        main.add_command(command)


for _module in (
    "plangraph.cli_tags",
    "plangraph.cli_serve",
    "plangraph.cli_analysis",
    "plangraph.cli_report",
    "plangraph.cli_import",
):
    _register(_module)


if __name__ == "__main__":  # pragma: no cover
    main()
