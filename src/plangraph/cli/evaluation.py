"""How ``plangraph eval`` prints an evaluation: one table per split and language, then the
worst concepts and what they were confused with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from plangraph.cli.common import out
from plangraph.project import Project

if TYPE_CHECKING:
    from collections.abc import Callable

    from plangraph.validation.evaluation import Evaluation, Group
    from plangraph.validation.findings import FindingsScore


def run_evaluation(
    project: Project,
    gold_dir: Path | None,
    splits: Sequence[str],
    progress: Callable[[str], None],
    model_file: Path | None = None,
) -> Evaluation:
    """Evaluate the tagger on the project's gold labels (curated tags never count)."""
    from plangraph.pipeline.derive.scoring import load_model
    from plangraph.pipeline.derive.tagger import DEFAULT_WEIGHTS
    from plangraph.validation.evaluation import run_evaluation as run

    model = load_model(model_file) if model_file is not None else True
    return run(project, gold_dir, splits, progress, DEFAULT_WEIGHTS, model)


def train_model(
    project: Project, gold_dir: Path | None, out: Path | None, progress: Callable[[str], None]
) -> Path:
    """Fit the tagger's model on the dev split and write it; return where."""
    from plangraph.pipeline.derive.scoring import default_model_path
    from plangraph.rdf.atomic import write_text
    from plangraph.validation.evaluation import gold_and_corpora
    from plangraph.validation.training import train

    gold, corpora, vocab = gold_and_corpora(project, gold_dir, progress)
    model = train([g for g in gold if g.split == "dev"], corpora, vocab, progress)
    target = out or default_model_path()
    write_text(target, model.to_json())
    progress(f"model written to {target}")
    return target


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _table(title: str, group: Group) -> Table:
    from plangraph.validation.evaluation import SCHEMES

    table = Table(title=escape(title), title_justify="left")
    for col in ("scheme", "tags", "P strict", "P lenient", "gold", "found", "R"):
        table.add_column(col, justify="left" if col == "scheme" else "right", no_wrap=True)
    for scheme in SCHEMES:
        s = group.schemes[scheme]
        table.add_row(
            scheme,
            str(s.predicted),
            _pct(s.precision),
            _pct(s.lenient_precision),
            str(s.gold),
            str(s.found),
            _pct(s.recall),
        )
    return table


def print_evaluation(evaluation: Evaluation, splits: Sequence[str], worst: int) -> None:
    """Print the figures of each split (all languages, then each language) and the confusions
    of the worst concepts of each split."""
    from plangraph.validation.evaluation import SCHEMES

    languages = sorted({lang for _, lang in evaluation.groups})
    out.print(
        "strict: tags that are clearly right (or broader than a clear label); lenient: right or "
        "defensible; R: clear labels found. Curated tags are not counted.",
        highlight=False,
    )
    for split in splits:
        for language in [None, *languages]:
            group = evaluation.group(split, language)
            if not group.elements:
                continue
            title = f"{split} split, {language or 'all languages'}: {group.elements} elements"
            out.print(_table(title, group))
        group = evaluation.group(split)
        for scheme in SCHEMES:
            fps = group.false_positives[scheme].most_common(worst)
            misses = group.misses[scheme].most_common(worst)
            if not fps and not misses:
                continue
            wrong = ", ".join(f"{c} ×{n}" for c, n in fps) or "none"
            missed = ", ".join(f"{c} ×{n}" for c, n in misses) or "none"
            out.print(f"[bold]{split} {scheme}[/bold] wrong: {escape(wrong)}", highlight=False)
            out.print(f"  missed: {escape(missed)}", highlight=False)
            pairs = group.confused_with[scheme].most_common(worst)
            if pairs:
                confused = ", ".join(f"{a} for {b} ×{n}" for (a, b), n in pairs)
                out.print(f"  confused: {escape(confused)}", highlight=False)


def print_errors(evaluation: Evaluation) -> None:
    """Each dev element with a wrong or missed label: its text, the wrong tags with their
    evidence, the missed labels."""
    for o in evaluation.outcomes:
        if o.split != "dev" or not (o.wrong or o.missed):
            continue
        out.print(f"[bold]{escape(o.iri.split('/plan/')[-1])}[/bold]", highlight=False)
        out.print(f"  {escape(' '.join(o.text.split())[:300])}", highlight=False)
        for scheme, items in sorted(o.wrong.items()):
            out.print(f"  [red]wrong {scheme}[/red]: {escape('; '.join(items))}", highlight=False)
        for scheme, items in sorted(o.missed.items()):
            out.print(
                f"  [yellow]missed {scheme}[/yellow]: {escape(', '.join(items))}", highlight=False
            )


def evaluate_findings(
    project: Project, labels: Path | None, progress: Callable[[str], None]
) -> FindingsScore:
    """Today's findings of the project's graph, scored against the labelled findings."""
    from plangraph.analysis.api import open as open_dataset
    from plangraph.validation.findings import (
        default_labels,
        labels_day,
        load_labels,
        score_findings,
    )

    file = labels or default_labels(project.root)
    day = labels_day(file)
    progress(f"findings of {project.root} on {day}, against {file}")
    found = open_dataset(project.root).findings(on=day)
    return score_findings(found, load_labels(file))


def print_findings_score(score: FindingsScore) -> None:
    """The usefulness of the top 20 and of the random sample."""
    d = score.to_dict()
    out.print(
        f"top {d['top']}: useful {_pct(d['top_useful'])}, wrong {_pct(d['top_wrong'])}"
        f"{'; unlabelled ' + str(len(d['top_unlabelled'])) if d['top_unlabelled'] else ''}",
        highlight=False,
    )
    out.print(
        f"random sample {d['sample']}: useful {_pct(d['sample_useful'])}, correct (useful or "
        f"trivial) {_pct(d['sample_correct'])}",
        highlight=False,
    )
    if d["top_unlabelled"]:
        out.print(f"unlabelled in the top: {escape(', '.join(d['top_unlabelled']))}")
    if d["labelled_not_produced"]:
        out.print(
            f"labelled but no longer produced: {len(d['labelled_not_produced'])}", highlight=False
        )
