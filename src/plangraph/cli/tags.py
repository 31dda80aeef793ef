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
@click.option(
    "--findings",
    "findings_labels",
    is_flag=False,
    flag_value="default",
    default=None,
    metavar="[LABELS]",
    help="Score the findings instead: share of useful findings in the top 20 and in the "
    "labelled random sample (default labels: tests/data/eval/findings/labels.yaml).",
)
@click.option(
    "--train",
    is_flag=True,
    help="Fit the tagger's model on the dev split (never the test split) and write it to "
    "--model-out, then evaluate with it.",
)
@click.option(
    "--model-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --train writes the model (default: the one plangraph ships).",
)
@click.option(
    "--pairs",
    is_flag=True,
    help="Evaluate the near-duplicate search on the labelled cross-plan pairs instead "
    "(tests/data/eval/pairs; --gold names another folder).",
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
    findings_labels: str | None,
    train: bool,
    model_out: Path | None,
    pairs: bool,
    as_json: bool,
) -> None:
    """Precision and recall of the tagger on the hand-labelled sample, per split, language and
    scheme (strict: clearly right; lenient: right or defensible), with the worst concepts.
    With --pairs: precision and recall of the near-duplicate search on the labelled pairs."""
    if pairs:
        from plangraph.validation.pairs import format_evaluation, run_pairs_evaluation

        result = run_pairs_evaluation(project_of(ctx), gold_dir, progress=progress)
        click.echo(json.dumps(result.to_dict(), indent=2) if as_json else format_evaluation(result))
        return
    # rdflib and the tagger load only for this command
    from plangraph.cli.evaluation import (
        evaluate_findings,
        print_errors,
        print_evaluation,
        print_findings_score,
        run_evaluation,
        train_model,
    )

    project = project_of(ctx)
    if findings_labels is not None:
        file = None if findings_labels == "default" else Path(findings_labels)
        score = evaluate_findings(project, file, progress)
        if as_json:
            click.echo(json.dumps(score.to_dict(), indent=2))
        else:
            print_findings_score(score)
        return
    splits = ("dev", "test") if split == "all" else (split,)
    if train:
        train_model(project, gold_dir, model_out, progress)
    evaluation = run_evaluation(project, gold_dir, splits, progress, model_out)
    if as_json:
        click.echo(json.dumps(evaluation.to_dict(), indent=2))
        return
    print_evaluation(evaluation, splits, worst)
    if errors:
        print_errors(evaluation)


COMMANDS = [tags, eval_]
