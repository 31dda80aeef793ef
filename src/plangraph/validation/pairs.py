"""Evaluate the near-duplicate search against hand-labelled cross-plan pairs.

The labelled pairs live in ``tests/data/eval/pairs/`` (GUIDELINES.md there says how they were
labelled, README.md where each set came from). A *pair set* is a folder with

- ``pool.yaml``: the candidate pairs (``iri_a``, ``iri_b``) with their frozen ``split``
  (``dev`` / ``test``);
- ``labels.yaml``: one label per pool pair, ``overlap`` / ``related`` / ``unrelated``;
- optionally ``out_of_pool.yaml``: overlaps found by reading, outside the pool (not counted in
  precision or recall; reported apart);
- optionally ``corpora.yaml``: other ``graph/`` folders (relative to the project root) whose
  plans the pairs name; the search then runs on the project's graph and theirs together.

What counts:

- a pool pair is **predicted** when its score (:func:`plangraph.analysis.similarity.score_pairs`,
  on the action-level elements of the corpus) is at or above the threshold;
- **positive** = labelled ``overlap``; precision = predicted overlaps / predicted pool pairs;
  recall = predicted overlaps / labelled overlaps of the split. Both with Wilson 95% intervals:
  with a handful of overlaps per split the figures are noisy;
- separately: how many out-of-pool overlaps score at or above the threshold, and how many pairs
  the search reports at the threshold that no pool holds (their label is unknown, so precision
  on the pool says nothing about them).

Weights and the default threshold are chosen on ``dev`` (:func:`choose_threshold`); ``test`` is
measured, never tuned on.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.errors import InputError, PlangraphError, Problem
from plangraph.pipeline.yamlsource import field_name, line_of, load_yaml
from plangraph.project import Project

LABELS = ("overlap", "related", "unrelated")
SPLITS = ("dev", "test")
TARGET_PRECISION = 0.7
"""Issue 13: precision at the default threshold on the test pairs, at least."""
TARGET_RECALL = 0.6
"""Issue 13: recall of the labelled overlaps at the default threshold, at least."""


@dataclass(frozen=True)
class LabelledPair:
    """One labelled pair of elements of two plans."""

    iri_a: str
    iri_b: str
    label: str
    split: str

    @property
    def key(self) -> frozenset[str]:
        """The unordered pair."""
        return frozenset((self.iri_a, self.iri_b))


@dataclass
class PairSet:
    """The labelled pairs of one folder."""

    name: str
    folder: Path
    pairs: list[LabelledPair]
    out_of_pool: list[LabelledPair] = field(default_factory=list)
    corpora: list[Path] = field(default_factory=list)


def _load(file: Path) -> tuple[Any, Any]:
    data, lines = load_yaml(file)
    return data, lines


def _problem(file: Path, lines: Any, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(file, line_of(lines, path), field_name(path), message)


def load_pair_set(folder: Path, root: Path, name: str | None = None) -> PairSet:
    """The pairs of one folder (pool, labels, out-of-pool overlaps, corpora). Problems (a
    label for a pair not in the pool, a pool pair with no label, an unknown label or split)
    are an :class:`~plangraph.errors.InputError` with file and line."""
    problems: list[Problem] = []
    pool_file, labels_file = folder / "pool.yaml", folder / "labels.yaml"
    pool, pool_lines = _load(pool_file)
    labels, label_lines = _load(labels_file)
    splits: dict[frozenset[str], str] = {}
    order: list[tuple[str, str]] = []
    for i, p in enumerate((pool or {}).get("pairs") or []):
        split = p.get("split")
        if split not in SPLITS:
            problems.append(_problem(pool_file, pool_lines, ("pairs", i, "split"), "dev or test"))
            continue
        key = frozenset((str(p["iri_a"]), str(p["iri_b"])))
        if key in splits:
            problems.append(_problem(pool_file, pool_lines, ("pairs", i), "pair listed twice"))
        splits[key] = split
        order.append((str(p["iri_a"]), str(p["iri_b"])))
    labelled: dict[frozenset[str], str] = {}
    for i, lab in enumerate((labels or {}).get("labels") or []):
        key = frozenset((str(lab["iri_a"]), str(lab["iri_b"])))
        where = ("labels", i)
        if lab.get("label") not in LABELS:
            problems.append(_problem(labels_file, label_lines, (*where, "label"), "bad label"))
        elif key not in splits:
            problems.append(_problem(labels_file, label_lines, where, "pair not in pool.yaml"))
        elif key in labelled:
            problems.append(_problem(labels_file, label_lines, where, "pair labelled twice"))
        else:
            labelled[key] = str(lab["label"])
    missing = [pair for pair in order if frozenset(pair) not in labelled]
    if missing:
        problems.append(
            Problem(labels_file, None, "labels", f"{len(missing)} pool pair(s) have no label")
        )
    out_of_pool = []
    oop_file = folder / "out_of_pool.yaml"
    if oop_file.is_file():
        oop, oop_lines = _load(oop_file)
        for i, lab in enumerate((oop or {}).get("out_of_pool") or []):
            if lab.get("label") not in LABELS:
                problems.append(_problem(oop_file, oop_lines, ("out_of_pool", i), "bad label"))
                continue
            pair = LabelledPair(str(lab["iri_a"]), str(lab["iri_b"]), str(lab["label"]), "")
            if pair.key in splits:
                problems.append(_problem(oop_file, oop_lines, ("out_of_pool", i), "in the pool"))
            out_of_pool.append(pair)
    corpora = []
    corpora_file = folder / "corpora.yaml"
    if corpora_file.is_file():
        data, _ = _load(corpora_file)
        corpora = [root / str(c) for c in (data or {}).get("corpora") or []]
    if problems:
        raise InputError(problems)
    pairs = [
        LabelledPair(a, b, labelled[frozenset((a, b))], splits[frozenset((a, b))]) for a, b in order
    ]
    return PairSet(name or folder.name, folder, pairs, out_of_pool, corpora)


def load_pair_sets(folder: Path, root: Path) -> list[PairSet]:
    """The pair set of ``folder`` (if it holds a pool) and of each subfolder that holds one,
    in name order."""
    sets = []
    if (folder / "pool.yaml").is_file():
        sets.append(load_pair_set(folder, root, name="seeds"))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if (sub / "pool.yaml").is_file():
            sets.append(load_pair_set(sub, root))
    if not sets:
        raise PlangraphError(f"{folder}: no pool.yaml with labelled pairs")
    return sets


# -- figures ----------------------------------------------------------------------------------


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default); ``None`` without trials.

    >>> [round(x, 3) for x in wilson(7, 8)]
    [0.529, 0.978]
    """
    if trials == 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Counts:
    """Counts of one split at one threshold."""

    pairs: int = 0
    overlaps: int = 0
    predicted: int = 0
    true_positives: int = 0

    @property
    def precision(self) -> float | None:
        """Predicted overlaps over predicted pairs (``None`` when nothing is predicted)."""
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """Predicted overlaps over labelled overlaps (``None`` without overlaps)."""
        return self.true_positives / self.overlaps if self.overlaps else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts, figures and intervals."""
        return {
            "pairs": self.pairs,
            "overlaps": self.overlaps,
            "predicted": self.predicted,
            "true_positives": self.true_positives,
            "precision": self.precision,
            "precision_interval": wilson(self.true_positives, self.predicted),
            "recall": self.recall,
            "recall_interval": wilson(self.true_positives, self.overlaps),
        }


def counts(scored: Iterable[tuple[float, str]], threshold: float) -> Counts:
    """Counts of (score, label) pairs at a threshold.

    >>> c = counts([(0.9, "overlap"), (0.5, "related"), (0.2, "overlap")], 0.4)
    >>> c.predicted, c.true_positives, c.precision, c.recall
    (2, 1, 0.5, 0.5)
    """
    out = Counts()
    for score, label in scored:
        out.pairs += 1
        positive = label == "overlap"
        out.overlaps += positive
        if score >= threshold - 1e-9:
            out.predicted += 1
            out.true_positives += positive
    return out


def choose_threshold(
    scored: Sequence[tuple[float, str]], min_precision: float = TARGET_PRECISION
) -> float | None:
    """The rule that set the default threshold, applied to the DEV pairs: among thresholds at
    which precision is at least ``min_precision``, the one with the highest recall, and of those
    the highest threshold (fewest pairs to review); rounded down to two decimals. ``None``
    when no threshold reaches that precision.

    >>> choose_threshold([(0.9, "overlap"), (0.6, "overlap"), (0.5, "unrelated"), (0.3, "overlap")])
    0.3
    >>> choose_threshold([(0.9, "overlap"), (0.5, "unrelated"), (0.4, "unrelated")])
    0.9
    """
    best: tuple[float, float] | None = None  # (recall, threshold)
    for t in sorted({s for s, _ in scored}, reverse=True):
        c = counts(scored, t)
        if c.precision is None or c.precision < min_precision - 1e-9:
            continue
        recall = c.recall or 0.0
        if best is None or recall > best[0] + 1e-9:
            best = (recall, t)
    if best is None:
        return None
    # round down to two decimals (three if two would let in a lower-scoring pair)
    lower = [s for s, _ in scored if s < best[1] - 1e-9]
    floor = max(lower) if lower else -1.0
    for digits in (100, 1000):
        rounded = math.floor(best[1] * digits + 1e-6) / digits
        if rounded > floor + 1e-9:
            return rounded
    return best[1]


# -- running the search on a pair set ----------------------------------------------------------


@dataclass
class SetResult:
    """The scores of one pair set and what they give at the threshold."""

    name: str
    threshold: float
    scores: Any  # DataFrame: iri_a, iri_b, label, split, score, text_score, concept_score, …
    out_of_pool: Any  # DataFrame of the out-of-pool overlaps with their scores
    unlabelled_predicted: int
    """Cross-plan pairs the search reports at the threshold that are not in the pool."""
    reported: int
    """All cross-plan pairs of action-level elements the search reports at the threshold."""
    plans: list[str]

    def split_counts(self, split: str, threshold: float | None = None) -> Counts:
        """Counts of one split (``all`` for both) at a threshold (default: the set's)."""
        rows = self.scores if split == "all" else self.scores[self.scores.split == split]
        return counts(
            zip(rows.score.tolist(), rows.label.tolist(), strict=True),
            self.threshold if threshold is None else threshold,
        )

    def out_of_pool_found(self) -> tuple[int, int]:
        """(out-of-pool overlaps at or above the threshold, out-of-pool overlaps)."""
        frame = self.out_of_pool
        if frame is None or len(frame) == 0:
            return 0, 0
        overlaps = frame[frame.label == "overlap"]
        return int((overlaps.score >= self.threshold - 1e-9).sum()), len(overlaps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures of every split."""
        found, total = self.out_of_pool_found()
        return {
            "name": self.name,
            "threshold": self.threshold,
            "plans": self.plans,
            "splits": {s: self.split_counts(s).to_dict() for s in (*SPLITS, "all")},
            "out_of_pool": {"found": found, "overlaps": total},
            "unlabelled_predicted": self.unlabelled_predicted,
            "reported": self.reported,
            "dev_threshold": choose_threshold(self.dev_scored()),
        }

    def dev_scored(self) -> list[tuple[float, str]]:
        """(score, label) of the dev pairs."""
        dev = self.scores[self.scores.split == "dev"]
        return list(zip(dev.score.tolist(), dev.label.tolist(), strict=True))


def _graph_for(
    project: Project,
    corpora: Sequence[Path],
    say: Callable[[str], None],
    dataset: Path | None = None,
) -> Any:
    """A PlanGraph over the project's graph (``dataset``, or the project's current build) and
    the graphs of other corpora, built into a temporary folder, in one store."""
    from plangraph.analysis.api import PlanGraph
    from plangraph.analysis.backends import EmbeddedBackend
    from plangraph.pipeline.build import build
    from plangraph.pipeline.freshness import current_build
    from plangraph.rdf.store import load_store

    nquads = dataset or current_build(project, progress=say)
    if not corpora:
        return PlanGraph(EmbeddedBackend(load_store(nquads)), source=str(nquads))
    with tempfile.TemporaryDirectory(prefix="plangraph-pairs-") as tmp:
        merged = Path(tmp) / "merged.nq"
        parts = [nquads.read_text(encoding="utf-8")]
        for i, graph in enumerate(corpora):
            say(f"building {graph}")
            other = build(Project(project.root, graph), out_dir=Path(tmp) / f"corpus-{i}")
            parts.append(other.outputs["nquads"].read_text(encoding="utf-8"))
        merged.write_text("".join(parts), encoding="utf-8")
        return PlanGraph(EmbeddedBackend(load_store(merged)), source="project + corpora")


def evaluate_set(
    pair_set: PairSet,
    graph: Any,
    threshold: float | None = None,
) -> SetResult:
    """Score every pair of a set with the near-duplicate search on ``graph`` (a PlanGraph
    holding all the plans the set names)."""
    import pandas as pd

    from plangraph.analysis import similarity

    t = similarity.DEFAULT_THRESHOLD if threshold is None else threshold
    elements, taggings = graph.similarity_input()
    elements = elements[elements.action_level.astype(bool)]
    prepared = similarity.prepare(elements, taggings)
    pairs = [(p.iri_a, p.iri_b) for p in pair_set.pairs]
    scored = similarity.score_pairs(prepared, pairs)
    scored.insert(2, "label", [p.label for p in pair_set.pairs])
    scored.insert(3, "split", [p.split for p in pair_set.pairs])
    scored = scored.rename(columns={"element_a": "iri_a", "element_b": "iri_b"})
    oop = similarity.score_pairs(prepared, [(p.iri_a, p.iri_b) for p in pair_set.out_of_pool])
    oop.insert(2, "label", [p.label for p in pair_set.out_of_pool])
    named = {
        iri.split("/plan/")[-1].split("/")[0] for p in pair_set.pairs for iri in (p.iri_a, p.iri_b)
    }
    in_set = elements[elements.plan.astype(str).str.rsplit("/", n=1).str[-1].isin(named)]
    reported = similarity.near_duplicates(in_set, threshold=t, scope="across", taggings=taggings)
    pool_keys = {p.key for p in pair_set.pairs}
    outside = sum(
        1
        for a, b in zip(reported.element_a.tolist(), reported.element_b.tolist(), strict=True)
        if frozenset((str(a), str(b))) not in pool_keys
    )
    return SetResult(
        pair_set.name,
        t,
        pd.DataFrame(scored),
        oop,
        outside,
        len(reported),
        sorted(named),
    )


@dataclass
class PairsEvaluation:
    """The figures of every pair set."""

    threshold: float
    sets: list[SetResult]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "threshold": self.threshold,
            "target": {"precision": TARGET_PRECISION, "recall": TARGET_RECALL, "split": "test"},
            "sets": [s.to_dict() for s in self.sets],
        }


def gold_folder(root: Path) -> Path:
    """``tests/data/eval/pairs`` of a project."""
    return root / "tests" / "data" / "eval" / "pairs"


def run_pairs_evaluation(
    project: Project,
    folder: Path | None = None,
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    dataset: Path | None = None,
) -> PairsEvaluation:
    """Load the pair sets, build the graphs they need, and score every pair (``dataset``: an
    N-Quads file of the project's graph to use instead of its current build)."""
    from plangraph.analysis import similarity

    say = progress or (lambda _msg: None)
    folder = folder or gold_folder(project.root)
    sets = load_pair_sets(folder, project.root)
    graphs: dict[tuple[Path, ...], Any] = {}
    results = []
    for pair_set in sets:
        key = tuple(pair_set.corpora)
        if key not in graphs:
            graphs[key] = _graph_for(project, pair_set.corpora, say, dataset)
        say(f"scoring {len(pair_set.pairs)} pairs of {pair_set.name}")
        results.append(evaluate_set(pair_set, graphs[key], threshold))
    t = similarity.DEFAULT_THRESHOLD if threshold is None else threshold
    return PairsEvaluation(t, results)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _interval(pair: tuple[float, float] | None) -> str:
    return "" if pair is None else f" [{pair[0]:.2f}, {pair[1]:.2f}]"


def format_evaluation(evaluation: PairsEvaluation) -> str:
    """The figures as plain text, one block per pair set."""
    lines = [
        f"near-duplicates at threshold {evaluation.threshold:g} "
        f"(target on test: precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL}; "
        "95% Wilson intervals)"
    ]
    for result in evaluation.sets:
        lines.append("")
        lines.append(
            f"{result.name}: {len(result.scores)} labelled pairs, plans {', '.join(result.plans)}"
        )
        for split in (*SPLITS, "all"):
            c = result.split_counts(split)
            lines.append(
                f"  {split:<5} pairs {c.pairs:>4}  overlaps {c.overlaps:>3}  predicted "
                f"{c.predicted:>3}  correct {c.true_positives:>3}  "
                f"precision {_pct(c.precision)}{_interval(wilson(c.true_positives, c.predicted))}  "
                f"recall {_pct(c.recall)}{_interval(wilson(c.true_positives, c.overlaps))}"
            )
        found, total = result.out_of_pool_found()
        if total:
            lines.append(f"  out-of-pool overlaps found: {found} of {total} (not in the figures)")
        lines.append(
            f"  reported across these plans at the threshold: {result.reported} pairs, "
            f"{result.unlabelled_predicted} of them outside the pool (unlabelled)"
        )
        dev_t = choose_threshold(result.dev_scored())
        lines.append(
            "  threshold the dev rule picks on this set: "
            + ("none reaches the precision" if dev_t is None else f"{dev_t:g}")
        )
    return "\n".join(lines)


def figures(evaluation: PairsEvaluation) -> Mapping[str, Mapping[str, Counts]]:
    """Counts per set and split (for tests)."""
    return {r.name: {s: r.split_counts(s) for s in (*SPLITS, "all")} for r in evaluation.sets}
