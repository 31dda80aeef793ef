"""Section 0, the findings: which plans are in force on the report's day and their periods, then
the top findings in plain words — where plans meet and what they leave out — each with the
evidence of every plan. The detailed sections follow as drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plangraph.analysis.findings import Finding
from plangraph.report import scale
from plangraph.report.view import Lookup, Ref

TOP = 20
"""Findings shown at the top of the report (the next ones in a collapsed list, at most
:data:`plangraph.report.scale.MORE_FINDINGS`)."""
STATES = {
    "in force": "in force",
    "lapsed": "lapsed",
    "not yet in force": "not yet in force",
    "no period": "no period printed",
}


@dataclass(frozen=True)
class Shown:
    """A finding as the section shows it: the finding, its rank, and its evidence as refs."""

    rank: int
    finding: Finding
    evidence: list[tuple[Any, Ref, str]]
    """(plan, the element's words and lines, why it is evidence)."""


def _shown(look: Lookup, rank: int, f: Finding) -> Shown:
    return Shown(
        rank, f, [(look.plan(e.plan), look.ref(e.element, e.text), e.why) for e in f.evidence]
    )


def prepare(look: Lookup) -> dict[str, Any]:
    """The template's context: the day, every plan's state and the findings."""
    states = []
    for row in look.r.in_force:
        plan = look.plan(str(row["plan"]))
        period = " – ".join(str(x) for x in (row.get("start"), row.get("end")) if x)
        states.append((plan, STATES.get(str(row.get("state")), str(row.get("state"))), period))
    in_force = [s for s in states if s[1] == "in force"]
    found = look.r.findings
    return {
        "day": look.r.day,
        "states": states,
        "n_in_force": len(in_force),
        "top": [_shown(look, n, f) for n, f in enumerate(found[:TOP], start=1)],
        "rest": [
            _shown(look, n, f)
            for n, f in enumerate(found[TOP : TOP + scale.MORE_FINDINGS], start=TOP + 1)
        ],
        "n_more": max(0, len(found) - TOP - scale.MORE_FINDINGS),
        "n_overlaps": sum(1 for f in found if not f.is_gap),
        "n_gaps": sum(1 for f in found if f.is_gap),
    }
