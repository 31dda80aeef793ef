"""``plangraph import``: draft a plan file from a document (docs/import.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from plangraph.cli.common import friendly, out, progress, project_of


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--id", "plan_id", help="Plan id (default: from the file name).")
@click.option(
    "--language",
    type=click.Choice(["es", "en"]),
    help="Language of the document (default: detected).",
)
@click.option(
    "--layout",
    default="auto",
    show_default=True,
    help="Layout profile: auto, a bundled name, or a profile file (.yaml).",
)
@click.option(
    "--country", help="ISO 3166-1 alpha-2 code of the plan's country (default: inferred)."
)
@click.option(
    "--force", is_flag=True, help="Replace an existing plan id (the old files are kept as .bak)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
@friendly
def import_command(
    ctx: click.Context,
    file: Path,
    plan_id: str | None,
    language: str | None,
    layout: str,
    country: str | None,
    force: bool,
    fmt: str,
) -> None:
    """Draft graph/plans/<id>.yaml from FILE (PDF, Word .docx, HTML, Markdown, .xlsx, CSV or
    text): the text goes to graph/sources/<id>.txt, the review list to
    build/import/<id>-review.md (and .json). Exit 0 drafted, 2 bad input (nothing written)."""
    # the converters (pdfplumber, python-docx, openpyxl …) load only for this command
    from plangraph.pipeline.importer import ImportOptions, import_document

    project = project_of(ctx)
    options = ImportOptions(file, plan_id, language, layout, country, force)
    result = import_document(project, options, progress=progress)
    if fmt == "json":
        payload = {
            **result.meta,
            "seconds": round(result.seconds, 2),
            "review_counts": result.review_counts,
            "proposed_institutions": result.proposals,
            "written": {k: str(v) for k, v in result.written.items()},
            "backups": [str(b) for b in result.backups],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    scores = ", ".join(f"{k} {v}" for k, v in sorted(result.scores.items(), key=lambda x: -x[1]))
    out.print(f"layout: [bold]{escape(result.profile)}[/bold] (scores: {scores})", highlight=False)
    out.print(
        f"drafted {result.elements} elements, {result.institutions} institution mentions "
        f"in {result.seconds:.1f} s",
        highlight=False,
    )
    for note in result.converted.notes:
        out.print(f"note: {escape(note)}", highlight=False)
    items = sum(result.review_counts.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(result.review_counts.items()))
    out.print(f"review list: {items} item(s) ({detail})", highlight=False)
    if result.proposals:
        out.print(
            f"{result.proposals} bod(ies) not in graph/institutions.yaml: proposed entries in "
            f"{result.written['proposals']}",
            highlight=False,
        )
    for name, path in result.written.items():
        out.print(f"  {name:12} {escape(str(path))}", highlight=False)
    for backup in result.backups:
        out.print(f"  {'backup':12} {escape(str(backup))}", highlight=False)
    out.print(
        escape(
            f"next: read {result.written['review']}, fix the draft, then "
            f"`plangraph check {result.written['plan']}` and `make run`"
        ),
        highlight=False,
    )


COMMANDS = [import_command]
