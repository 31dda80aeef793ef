"""``plangraph tags`` and ``plangraph eval``: the tagger's evidence and its evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from plangraph.cli.common import friendly, open_graph, out, progress, project_of
from plangraph.errors import PlangraphError
from plangraph.rdf.iris import BASE


@click.command()
@click.argument("element")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def tags(ctx: click.Context, element: str, as_json: bool) -> None:
    """Show each tag of ELEMENT and why: an element IRI, or its path after /plan/
    (e.g. gt-crm-workshop-nna-plan/general-objective-n1/result-1/action-1.1)."""
    iri = element if element.startswith("http") else f"{BASE}plan/{element.strip('/')}"
    records = open_graph(ctx).query("reports/element-tags", element=iri).to_dict("records")
    if not records:
        raise PlangraphError(
            f"no tags for {iri}: not an action-level element of the "
            "built graph, or nothing matched (see 'plangraph query "
            "reports/element-tags')"
        )
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
        return
    out.print(f"[bold]{escape(iri)}[/bold]\n{escape(str(records[0]['text']))}", highlight=False)
    table = Table()
    table.add_column("concept", no_wrap=True)
    table.add_column("method", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("asserted", no_wrap=True)
    table.add_column("evidence")
    for r in records:
        concept = f"{r['scheme']}/{r['concept'].rsplit('/', 1)[-1]}"
        table.add_row(
            escape(concept),
            escape(str(r["method"])),
            escape(str(r["score"])),
            "yes" if r["asserted"] in (True, "true") else "",
            escape(str(r["matched"])),
        )
    out.print(table)


@click.command(name="eval")
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of gold label files (default: tests/data/eval/tags).",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default="all",
    show_default=True,
    help="Which split to report (rules are tuned on dev only).",
)
@click.option("--worst", default=5, show_default=True, help="Worst concepts listed per scheme.")
@click.option(
    "--errors",
    is_flag=True,
    help="List every element of the dev split the tagger got wrong, with the evidence of each "
    "wrong tag (never the test split: it must not guide changes).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def eval_(
    ctx: click.Context,
    gold_dir: Path | None,
    split: str,
    worst: int,
    errors: bool,
    as_json: bool,
) -> None:
    """Precision and recall of the tagger on the hand-labelled sample, per split, language and
    scheme (strict: clearly right; lenient: right or defensible), with the worst concepts."""
    # rdflib and the tagger load only for this command
    from plangraph.cli.evaluation import print_errors, print_evaluation, run_evaluation

    project = project_of(ctx)
    splits = ("dev", "test") if split == "all" else (split,)
    evaluation = run_evaluation(project, gold_dir, splits, progress)
    if as_json:
        click.echo(json.dumps(evaluation.to_dict(), indent=2))
        return
    print_evaluation(evaluation, splits, worst)
    if errors:
        print_errors(evaluation)


COMMANDS = [tags, eval_]
