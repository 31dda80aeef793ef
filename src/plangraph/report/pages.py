"""The two pages of the report: ``index.html`` (the sections, their data for the page's script,
the summary at the top) and ``sources.html`` (the plan documents, one anchor per line)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError
from plangraph.report.common import local
from plangraph.report.data import Plan, Report
from plangraph.report.figures import TimelineRow
from plangraph.report.render import render
from plangraph.report.sections import (
    findings,
    gaps,
    heatmaps,
    networks,
    overlaps,
    plans,
    timeline,
)
from plangraph.report.view import Lookup

TOC = [
    ("findings", "Findings"),
    ("plans", "1. Plans"),
    ("overlaps", "2. Overlaps"),
    ("gaps", "3. Gaps"),
    ("heatmaps", "4. Heatmaps"),
    ("networks", "5. Networks"),
    ("timeline", "6. Timeline"),
    ("about", "About"),
]
"""The table of contents: anchor and title."""


def render_index(
    report: Report,
    written: Mapping[str, Any],
    matrices: Sequence[heatmaps.Matrix],
    rows: Sequence[TimelineRow],
) -> str:
    """The report page."""
    look = Lookup(report)
    sections = [
        render("sections/findings.html", **findings.prepare(look)),
        render("sections/plans.html", **plans.prepare(look)),
        render("sections/overlaps.html", **overlaps.prepare(look)),
        render("sections/gaps.html", **gaps.prepare(look)),
        render("sections/heatmaps.html", **heatmaps.prepare(look, matrices, written)),
        render("sections/networks.html", **networks.prepare(look, written)),
        render("sections/timeline.html", **timeline.prepare(look, rows, written)),
    ]
    return render(
        "index.html",
        toc=TOC,
        sections=sections,
        n_plans=len(report.plans),
        n_elements=sum(p.n_elements for p in report.plans),
        n_actions=sum(p.n_actions for p in report.plans),
        n_institutions=len({p["id"] for p in report.participations}),
        n_multi=len({local(r["institution"]) for r in report.across}),
        n_unserved_populations=len(report.gaps["declared-population-unserved"]),
        n_unserved_gcm=len(report.gaps["gcm-objectives-unserved"]),
        n_no_responsible=len(report.gaps["no-responsible"]),
        generated=report.generated,
        graph_file=report.graph_file,
        data={
            "coordination": networks.coordination_data(look),
            "planNetwork": networks.plan_network_data(look),
        },
    )


def render_sources(report: Report, sources_dir: Path) -> str:
    """The source documents, one anchor per line: ``#<file>-L<n>``."""
    by_file: dict[str, list[Plan]] = defaultdict(list)
    for p in report.plans:
        if p.source_file:
            by_file[p.source_file].append(p)
    documents = []
    root = sources_dir.resolve()
    for name in sorted(by_file):
        plan_id = by_file[name][0].id
        # the name comes from the data (``report --data``): never read outside the sources
        path = (sources_dir / name).resolve()
        if not path.is_relative_to(root):
            raise PlangraphError(
                f"plan {plan_id}: its source document '{name}' is outside {sources_dir}; "
                "the report reads sources from that folder only"
            )
        if not path.is_file():
            raise PlangraphError(f"{path}: source document of plan {plan_id} not found")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise PlangraphError(f"{path}: source document of plan {plan_id}: {exc}") from None
        documents.append({"name": name, "plans": by_file[name], "lines": lines})
    return render("sources.html", documents=documents)
