"""``plangraph findings``: the ranked findings — where plans meet and what they leave out —
each with its evidence, as text, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
from rich.markup import escape

from plangraph.analysis.findings.model import KINDS
from plangraph.cli.common import day_option, friendly, open_graph, out, short_iri, source_options


@click.command()
@click.option("--limit", default=20, show_default=True, help="How many findings (0: all).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(KINDS)),
    help="Only these kinds (repeatable; default: every kind).",
)
@day_option("The day for the plans in force (YYYY-MM-DD; default today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
)
@source_options
@click.pass_context
@friendly
def findings(
    ctx: click.Context,
    limit: int,
    kinds: tuple[str, ...],
    on: str | None,
    fmt: str,
    data_file: Path | None,
    endpoint: str | None,
) -> None:
    """Where plans meet (shared institutions, specific concepts, framework objectives,
    near-duplicate commitments) and what they leave out (unserved populations and objectives,
    plans not in force, actions without owner, timing or indicator), ranked, with the evidence
    of every plan: the elements' own words and source lines."""
    pg = open_graph(ctx, data_file, endpoint)
    found = pg.findings(on=on, kinds=kinds or None, limit=limit or None)
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in found], indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["rank", "kind", "score", "confidence", "plans", "title", "evidence"])
        for n, f in enumerate(found, start=1):
            evidence = " | ".join(f"{short_iri(e.element)} ({e.where})" for e in f.evidence)
            plans = " ".join(short_iri(p) for p in f.plans)
            writer.writerow([n, f.kind, f.score, f.confidence, plans, f.title, evidence])
        return
    for n, f in enumerate(found, start=1):
        tag = "gap" if f.is_gap else "overlap"
        out.print(
            f"[bold]{n}. {escape(f.title)}[/bold]  [dim]({tag}: {f.kind}; score {f.score:.2f}, "
            f"confidence {f.confidence:.2f})[/dim]",
            highlight=False,
        )
        for e in f.evidence:
            words = f"“{escape(e.text)}”" if e.text else ""
            why = f" — {escape(e.why)}" if e.why else ""
            out.print(f"   {escape(e.where or short_iri(e.element))} {words}{why}", highlight=False)
        out.print(f"   [dim]how: {escape(f.derivation)}[/dim]", highlight=False)
    out.print(f"{len(found)} finding(s)", highlight=False)


COMMANDS = [findings]
