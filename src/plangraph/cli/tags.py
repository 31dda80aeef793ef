"""``plangraph tags`` and ``plangraph eval``: the tagger's evidence and its evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from plangraph.cli.common import friendly, open_graph, out, project_of
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
            str(r["score"]),
            "yes" if r["asserted"] in (True, "true") else "",
            escape(str(r["matched"])),
        )
    out.print(table)


@click.command(name="eval")
@click.option(
    "--labels",
    "labels_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gold file (default: tests/data/eval/labels.yaml).",
)
@click.option(
    "--threshold", type=float, default=None, help="Score threshold (default: the tagger's)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def eval_(
    ctx: click.Context, labels_file: Path | None, threshold: float | None, as_json: bool
) -> None:
    """Precision and recall of the tagger per concept on the hand-labelled sample."""

    def run() -> None:
        # rdflib and the tagger load only for this command
        from plangraph.pipeline.build import load_inputs
        from plangraph.pipeline.derive.tagger import DEFAULT_THRESHOLD
        from plangraph.pipeline.loader import load_corpus
        from plangraph.validation.evaluation import SCHEMES, evaluate

        project = project_of(ctx)
        gold = labels_file or project.root / "tests" / "data" / "eval" / "labels.yaml"
        corpus = load_corpus(project)
        vocab = load_inputs(project).vocabularies
        report = evaluate(
            corpus, vocab, gold, DEFAULT_THRESHOLD if threshold is None else threshold
        )
        if as_json:
            click.echo(json.dumps(report.to_dict(), indent=2))
            return

        def pct(v: float | None) -> str:
            return "–" if v is None else f"{v:.2f}"

        out.print(
            f"{report.elements} labelled elements, threshold {report.threshold}. "
            "ok/wrong: predicted tags right or wrong; found/missed: gold labels found "
            "or missed; P precision, R recall."
        )
        for scheme in SCHEMES:
            table = Table(
                title=f"{scheme}: precision {pct(report.totals[scheme].precision)}, "
                f"recall {pct(report.totals[scheme].recall)}"
            )
            table.add_column("concept", no_wrap=True, max_width=36, overflow="ellipsis")
            for col in ("ok", "wrong", "found", "missed", "P", "R"):
                table.add_column(col, justify="right", no_wrap=True)
            for concept, s in sorted(report.concepts[scheme].items()):
                table.add_row(
                    concept,
                    str(s.tp),
                    str(s.fp),
                    str(s.found),
                    str(s.fn),
                    pct(s.precision),
                    pct(s.recall),
                )
            out.print(table)

    run()


COMMANDS = [tags, eval_]
