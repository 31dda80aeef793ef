"""``plangraph import``: draft a plan file from a document (docs/import.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from plangraph.errors import InputError, PlangraphError
from plangraph.project import Project

out = Console()
err = Console(stderr=True)


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
    from plangraph.pipeline.importer import ImportOptions, import_document

    try:
        root = ctx.obj.get("root") if ctx.obj else None
        project = Project.discover(Path(root) if root else None)
        options = ImportOptions(file, plan_id, language, layout, country, force)
        result = import_document(
            project, options, progress=lambda msg: err.print(f"[dim]… {msg}[/dim]")
        )
    except InputError as exc:
        for problem in exc.problems:
            err.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s); nothing was written.")
        sys.exit(2)
    except PlangraphError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
        err.print("nothing was written.")
        sys.exit(2)
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
    out.print(f"layout: [bold]{result.profile}[/bold] (scores: {scores})", highlight=False)
    out.print(
        f"drafted {result.elements} elements, {result.institutions} institution mentions "
        f"in {result.seconds:.1f} s",
        highlight=False,
    )
    for note in result.converted.notes:
        out.print(f"note: {note}", highlight=False)
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
        out.print(f"  {name:12} {path}", highlight=False)
    for backup in result.backups:
        out.print(f"  {'backup':12} {backup}", highlight=False)
    out.print(
        f"next: read {result.written['review']}, fix the draft, then "
        f"`plangraph check {result.written['plan']}` and `make run`",
        highlight=False,
    )


COMMANDS = [import_command]
