"""What a finding is: a ranked statement about how plans meet or what they leave out, in plain
words, with the evidence on every side and how it was derived."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

OVERLAP_KINDS = ("shared-institution", "shared-concept", "near-duplicate", "shared-objective")
GAP_KINDS = (
    "population-unserved",
    "objectives-unserved",
    "plan-not-in-force",
    "no-responsible",
    "no-timeframe",
    "no-indicator",
)
KINDS = OVERLAP_KINDS + GAP_KINDS
"""Every kind of finding."""


@dataclass(frozen=True)
class Evidence:
    """One element (or plan statement) that a finding rests on, as the plan says it."""

    plan: str
    element: str
    kind: str
    code: str
    text: str
    source_file: str = ""
    lines: str = ""
    why: str = ""
    """How this element supports the finding (e.g. the tag's matched words and method)."""

    @property
    def where(self) -> str:
        """``file:lines`` of the words in the source."""
        return f"{self.source_file}:{self.lines}" if self.source_file else ""


@dataclass(frozen=True)
class Finding:
    """A ranked finding: what, in which plans, on what evidence, derived how, how sure."""

    kind: str
    title: str
    plans: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    derivation: str
    confidence: float
    score: float
    subject: str = ""
    """The institution, concept or objective the finding is about (an IRI), if any."""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """A stable id: the same kind, subject, plans and evidence give the same id in every run
        (labels of findings refer to it)."""
        key = "|".join(
            [
                self.kind,
                self.subject,
                *sorted(self.plans),
                *sorted(e.element for e in self.evidence),
            ]
        )
        return f"{self.kind}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"

    @property
    def is_gap(self) -> bool:
        """A gap (what plans leave out) rather than an overlap (where plans meet)."""
        return self.kind in GAP_KINDS

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        out = asdict(self)
        out["id"] = self.id
        out["plans"] = list(self.plans)
        out["evidence"] = [asdict(e) | {"where": e.where} for e in self.evidence]
        out["category"] = "gap" if self.is_gap else "overlap"
        return out
