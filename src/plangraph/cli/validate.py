"""``plangraph validate``: SHACL shapes, OWL consistency (HermiT), QC queries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape

from plangraph.cli.common import current_build, err, friendly, progress, project_of, shown
from plangraph.rdf.atomic import write_text


@click.command()
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
    "--no-cache",
    is_flag=True,
    help="Validate everything again (no report, unit or HermiT result kept from before).",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the machine-readable report here (default: build/validation.json).",
)
@click.pass_context
@friendly
def validate(
    ctx: click.Context,
    data_file: Path | None,
    no_owl: bool,
    no_shacl: bool,
    no_qc: bool,
    no_cache: bool,
    report_file: Path | None,
) -> None:
    """Validate the graph: SHACL shapes, OWL consistency (HermiT), QC queries.
    Exit 0 conforms, 1 violations, 2 could not run."""
    from plangraph.validation.validate import validate_file  # pyshacl loads on first use

    project = project_of(ctx)
    path = data_file or current_build(project)
    progress(f"validating {shown(path)}")
    report = validate_file(
        path, project, shacl=not no_shacl, owl=not no_owl, qc=not no_qc, cache=not no_cache
    )
    target = report_file or project.build_dir / "validation.json"
    write_text(target, json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    if report.reused:
        err.print("[dim]… same graph, shapes and code as the last validation: its report[/dim]")
    elif report.shacl_units:
        units, validated = report.shacl_units
        err.print(f"[dim]… SHACL by units: {validated} of {units} validated now[/dim]")
    click.echo(report.to_text())
    err.print(f"[dim]report: {escape(shown(target))}[/dim]", highlight=False)
    sys.exit(report.exit_code)


COMMANDS = [validate]
