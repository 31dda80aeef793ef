"""``plangraph check``, ``plangraph build`` and ``plangraph stats``: load, compile, count."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from plangraph.analysis.stats import plan_stats
from plangraph.cli.common import current_build, friendly, out, progress, project_of
from plangraph.errors import PlangraphError
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.rdf.iris import plan_ref


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
@friendly
def check(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Load plan files (all, or FILES) and report every problem with file, line and field."""
    from plangraph.pipeline.loader import load_corpus  # pydantic loads on first use

    project = project_of(ctx)
    corpus = load_corpus(project, list(files) if files else None)
    elements = sum(1 for p in corpus.plans for _ in p.walk())
    out.print(
        f"ok: {len(corpus.plans)} plan file(s), {elements} elements, "
        f"{len(corpus.institutions)} institutions"
    )


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: build/).",
)
@click.option("--force", is_flag=True, help="Build even when nothing changed since the last build.")
@click.pass_context
@friendly
def build(ctx: click.Context, out_dir: Path | None, force: bool) -> None:
    """Compile every plan file into build/plangraph.{trig,nq,nt,owl} and print a summary.
    Nothing is redone when the plan files, sources, ontology and code are those of the
    published build (--force rebuilds)."""
    from plangraph.pipeline.build import build as run_build

    project = project_of(ctx)
    start = time.perf_counter()
    result = run_build(project, out_dir=out_dir, progress=progress, force=force)
    seconds = time.perf_counter() - start
    print_stats(summary_stats(result.outputs["nquads"], result.digest, project))
    how = "unchanged, checked" if result.reused else "built"
    out.print(
        f"{len(result.plans)} plans, {result.institutions} institutions, "
        f"{result.quads} quads, {how} in {seconds:.1f} s"
    )
    for kind, path in result.outputs.items():
        out.print(f"  {kind:9} {escape(str(path))}", highlight=False)


def summary_stats(nquads: Path, digest: str, project: Project) -> dict[str, dict[str, Any]]:
    """The per-plan counts of a build, kept beside it in ``.cache/`` by the digest of its
    N-Quads (a build with nothing changed prints them without loading the graph)."""
    cache = nquads.parent / ".cache" / "summary.json"
    with contextlib.suppress(OSError, ValueError):
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if digest and kept.get("digest") == digest:
            stats: dict[str, dict[str, Any]] = kept["stats"]
            return stats
    from plangraph.analysis.api import open as open_dataset  # pandas loads on first use

    stats = plan_stats(open_dataset(nquads, queries_dir=project.queries_dir))
    with contextlib.suppress(OSError):
        write_text(cache, json.dumps({"digest": digest, "stats": stats}, ensure_ascii=False))
    return stats


WIDE = 8
"""More plans than this are summarised: corpus totals and the largest plans, one row each (a
column per plan stops being readable)."""
LARGEST = 15


def print_stats(stats: dict[str, dict[str, Any]]) -> None:
    """Two tables, one column per plan (numbered, with a legend); for more than :data:`WIDE`
    plans, corpus totals and the largest plans instead."""
    if len(stats) > WIDE:
        print_corpus_stats(stats)
        return
    ids = list(stats)
    for i, plan_id in enumerate(ids, start=1):
        out.print(
            f"  P{i} = {escape(plan_id)} ({escape(stats[plan_id]['status'])})", highlight=False
        )
    kinds = sorted({k for s in stats.values() for k in s["elements"]})
    table = Table(title="Elements by kind")
    table.add_column("kind")
    for i in range(1, len(ids) + 1):
        table.add_column(f"P{i}", justify="right")
    for k in kinds:
        table.add_row(escape(k), *[str(stats[p]["elements"].get(k, "")) for p in ids])
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
            escape(r),
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


def print_corpus_stats(stats: dict[str, dict[str, Any]]) -> None:
    """Totals over all plans, then the :data:`LARGEST` plans by elements, a row each."""
    kinds: dict[str, int] = {}
    roles: dict[str, int] = {}
    for s in stats.values():
        for k, n in s["elements"].items():
            kinds[k] = kinds.get(k, 0) + n
        for r, counts in s["roles"].items():
            roles[r] = roles.get(r, 0) + counts["participations"]
    table = Table(title=f"Elements by kind and participations by role, {len(stats)} plans")
    table.add_column("")
    table.add_column("total", justify="right")
    for k in sorted(kinds):
        table.add_row(escape(k), str(kinds[k]))
    for r in sorted(roles):
        table.add_row(f"role: {escape(r)}", str(roles[r]))
    out.print(table)
    size = {p: sum(s["elements"].values()) for p, s in stats.items()}
    largest = sorted(stats, key=lambda p: (-size[p], p))[:LARGEST]
    table = Table(title=f"The {len(largest)} largest plans")
    for column in ("plan", "status", "elements", "with institution", "with timeframe"):
        table.add_column(column, justify="left" if column in ("plan", "status") else "right")
    for p in largest:
        s = stats[p]
        table.add_row(
            escape(p),
            escape(s["status"]),
            str(size[p]),
            str(s["elements_with_institution"]),
            str(s["elements_with_timeframe"]),
        )
    out.print(table)
    if len(stats) > len(largest):
        out.print(f"  … and {len(stats) - len(largest)} more plans: plangraph stats --json")


@click.command()
@click.option("--plan", help="Only this plan id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def stats(ctx: click.Context, plan: str | None, as_json: bool) -> None:
    """Counts per plan from the built graph: elements by kind, institutions by role,
    declared populations and timeframes."""
    from plangraph.analysis.api import open as open_dataset  # pandas loads on first use

    project = project_of(ctx)
    pg = open_dataset(current_build(project), queries_dir=project.queries_dir)
    result = plan_stats(pg, plan_ref(plan) if plan else None)
    if plan and not result:
        raise PlangraphError(f"no plan '{plan}' in the built graph")
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_stats(result)


COMMANDS = [check, build, stats]
