"""How useful the findings are, measured on labelled findings (``tests/data/eval/findings/``).

Each labelled finding (by its stable id, :attr:`plangraph.analysis.findings.Finding.id`) is
``useful`` (correct and worth a coordination meeting's time), ``trivial`` (correct but not worth
it) or ``wrong`` (reading the plans refutes it), judged by reading the plans under
``tests/data/eval/findings/GUIDELINES.md``. The labelled set holds the top of the list and a random
sample of the rest (``sample: top`` / ``sample: random``). Reported: the share of useful findings
among today's top 20 (a top finding nobody labelled counts as not useful, and is listed), and among
the random sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.analysis.findings import Finding
from plangraph.errors import InputError, Problem
from plangraph.pipeline.yamlsource import field_name, line_of, load_yaml

LABELS = ("useful", "trivial", "wrong")
TOP = 20


@dataclass(frozen=True)
class FindingLabel:
    """A labelled finding."""

    id: str
    label: str
    sample: str
    note: str


@dataclass
class FindingsScore:
    """Usefulness of the top findings and of the random sample."""

    top: list[tuple[str, str | None]] = field(default_factory=list)
    """Today's top findings: (id, label or None when unlabelled)."""
    sample: list[tuple[str, str]] = field(default_factory=list)
    """The random sample's findings still produced today: (id, label)."""
    missing: list[str] = field(default_factory=list)
    """Labelled findings the method no longer produces."""

    @staticmethod
    def _share(labels: Sequence[str | None], wanted: str) -> float | None:
        return sum(1 for x in labels if x == wanted) / len(labels) if labels else None

    @property
    def top_useful(self) -> float | None:
        """Share of useful findings in the top (unlabelled ones count as not useful)."""
        return self._share([label for _, label in self.top], "useful")

    @property
    def top_wrong(self) -> float | None:
        """Share of wrong findings in the top."""
        return self._share([label for _, label in self.top], "wrong")

    @property
    def sample_useful(self) -> float | None:
        """Share of useful findings in the random sample."""
        return self._share([label for _, label in self.sample], "useful")

    @property
    def sample_correct(self) -> float | None:
        """Share of correct (useful or trivial) findings in the random sample."""
        labels = [label for _, label in self.sample]
        return (
            sum(1 for x in labels if x in ("useful", "trivial")) / len(labels) if labels else None
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "top": len(self.top),
            "top_useful": self.top_useful,
            "top_wrong": self.top_wrong,
            "top_unlabelled": [i for i, label in self.top if label is None],
            "sample": len(self.sample),
            "sample_useful": self.sample_useful,
            "sample_correct": self.sample_correct,
            "labelled_not_produced": self.missing,
        }


def labels_day(file: Path) -> str:
    """The day the findings were labelled on (the file's ``day:``; plans in force depend on it)."""
    data, lines = load_yaml(file)
    day = data.get("day") if isinstance(data, dict) else None
    if not isinstance(day, str):
        raise InputError(
            [Problem(file, line_of(lines, ("day",)) or 1, "day", "expected YYYY-MM-DD")]
        )
    return day


def load_labels(file: Path) -> list[FindingLabel]:
    """The labelled findings of a file; bad records are errors with file and line."""
    data, lines = load_yaml(file)
    items = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError([Problem(file, 1, "findings", "expected a list of labelled findings")])
    out, problems = [], []
    for i, item in enumerate(items):
        path: tuple[str | int, ...] = ("findings", i)
        ok = isinstance(item, dict)
        label = item.get("label") if ok else None
        sample = item.get("sample") if ok else None
        if not ok or not isinstance(item.get("id"), str):
            problems.append(Problem(file, line_of(lines, path), field_name(path), "expected an id"))
            continue
        if label not in LABELS:
            sub = (*path, "label")
            problems.append(
                Problem(file, line_of(lines, sub), field_name(sub), f"expected one of {LABELS}")
            )
        if sample not in ("top", "random"):
            sub = (*path, "sample")
            problems.append(
                Problem(file, line_of(lines, sub), field_name(sub), "expected top or random")
            )
        out.append(FindingLabel(item["id"], str(label), str(sample), str(item.get("note") or "")))
    if problems:
        raise InputError(problems)
    return out


def score_findings(found: Sequence[Finding], labels: Sequence[FindingLabel]) -> FindingsScore:
    """Score today's findings against the labels."""
    by_id = {label.id: label for label in labels}
    produced = {f.id for f in found}
    out = FindingsScore()
    out.top = [(f.id, by_id[f.id].label if f.id in by_id else None) for f in found[:TOP]]
    out.sample = [(x.id, x.label) for x in labels if x.sample == "random" and x.id in produced]
    out.missing = [x.id for x in labels if x.id not in produced]
    return out


def default_labels(root: Path) -> Path:
    """Where a project keeps its labelled findings."""
    return root / "tests" / "data" / "eval" / "findings" / "labels.yaml"
