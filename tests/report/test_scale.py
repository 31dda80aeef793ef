"""The report at scale (issue 16): on a generated corpus of many small plans, with the limits of
:mod:`plangraph.report.scale` lowered so that twelve plans are 'many' (the same code paths as a
hundred plans at the default limits, in seconds), the heatmaps show the heaviest plans and sum
the rest, group the concepts of a scheme by their top-level concept, the plan network shows the
plans most alike the others, and long tables say how many rows they leave out. Every count is
checked against the graph."""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from typing import Any

import pytest
import yaml

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.pipeline.build import build
from plangraph.project import Project
from plangraph.report import scale, write_report
from tests.helpers import ROOT
from tests.report.test_report import Tables

PLANS = 12
LIMITS = {
    "FIGURE_PLANS": 8,
    "CONCEPT_ROWS": 10,
    "TABLE_ROWS": 5,
    "PLANS_PER_ROW": 3,
    "MORE_FINDINGS": 4,
}


def _trim(elements: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The first top-level element and, below it, the first two children at every level."""
    kept = elements[: 1 if depth == 0 else 2]
    for element in kept:
        if element.get("children"):
            element["children"] = _trim(element["children"], depth + 1)
    return kept


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Twelve generated plans of a few elements each, built, and their report written with
    the lowered limits."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("wide") / "project"
    generate(root, plans=PLANS, seed=16)
    for path in sorted((root / "graph" / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["elements"] = _trim(data["elements"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    project = Project(root)
    nquads = build(project).outputs["nquads"]
    out = root / "report"
    with pytest.MonkeyPatch.context() as mp:
        for name, value in LIMITS.items():
            mp.setattr(scale, name, value)
        write_report(project, out, nquads)
    html = (out / "index.html").read_text(encoding="utf-8")
    tables = Tables()
    tables.feed(html)
    return {"pg": open_dataset(nquads), "out": out, "html": html, "tables": tables}


def _data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html)
    assert found
    loaded: dict[str, Any] = json.loads(found.group(1))
    return loaded


def _header(html: str, table_id: str) -> str:
    found = re.search(rf'<table class="heat sortable" id="{table_id}"><thead>(.*?)</thead>', html)
    assert found
    return found.group(1)


def test_heatmaps_show_the_heaviest_plans_and_sum_the_rest(wide: dict[str, Any]) -> None:
    pg: PlanGraph = wide["pg"]
    shown = LIMITS["FIGURE_PLANS"]
    coverage = pg.query("reports/concept-coverage", scheme="https://w3id.org/plangraph/vocab/gcm")
    per_plan = coverage.groupby("plan").n_elements.sum()
    by_concept = coverage[coverage.n_elements > 0].groupby("concept")
    header = _header(wide["html"], "heat-gcm")
    assert len(re.findall(r'class="plan-tag"', header)) == shown
    assert f"{PLANS - shown} other plans" in header
    rows = wide["tables"].tables["heat-gcm"]
    assert len(rows) == 23  # every GCM objective, none grouped
    totals = sorted(int(r[-1]) for r in rows if int(r[-1]))
    assert totals == sorted(int(v) for v in by_concept.n_elements.sum())
    for row in rows:
        cells, other, n_plans, total = row[:shown], row[shown], row[-2], row[-1]
        assert sum(int(c) for c in cells) + int(other) == int(total)
        assert int(n_plans) <= PLANS
    # the columns are the plans with the most elements on GCM objectives
    heaviest = sorted(per_plan.values, reverse=True)[:shown]
    assert sum(int(c) for r in rows for c in r[:shown]) == sum(int(v) for v in heaviest)


def test_a_scheme_with_many_concepts_is_shown_by_concept_group(wide: dict[str, Any]) -> None:
    pg: PlanGraph = wide["pg"]
    broader: dict[str, list[str]] = defaultdict(list)
    concepts = pg.query("reports/concepts").dropna(subset=["broader"])
    for concept, up in zip(concepts.concept, concepts.broader, strict=True):
        broader[str(concept)].append(str(up))
    tags = pg.query("reports/element-concepts")
    tags = tags[(tags.scheme == "theme") & tags.action_level.astype(bool)]
    assert tags.concept.nunique() > LIMITS["CONCEPT_ROWS"]
    groups: dict[str, set[str]] = defaultdict(set)
    for row in tags.itertuples(index=False):
        top = str(row.concept)
        while broader.get(top):
            top = sorted(broader[top])[0]
        groups[top].add(str(row.element))
    rows = wide["tables"].tables["heat-theme"]
    assert len(rows) == len(groups) < tags.concept.nunique()
    assert sorted(int(r[-1]) for r in rows) == sorted(len(e) for e in groups.values())
    assert "Theme group" in _header(wide["html"], "heat-theme")
    assert "top-level concept of the scheme" in wide["html"]
    svg = (wide["out"] / "figures" / "heatmap-theme.svg").read_text(encoding="utf-8")
    assert f"{PLANS - LIMITS['FIGURE_PLANS']} other plans summed" in svg


def test_the_plan_network_shows_the_plans_most_alike_the_others(wide: dict[str, Any]) -> None:
    pg: PlanGraph = wide["pg"]
    network = _data(wide["html"])["planNetwork"]
    kept = {n["id"] for n in network["nodes"]}
    assert len(kept) == LIMITS["FIGURE_PLANS"] and "note" in network
    assert all(e["source"] in kept and e["target"] in kept for e in network["edges"])
    matrix = pg.overlaps("matrix")
    matrix = matrix[matrix.plan_a != matrix.plan_b]
    weights = matrix.groupby("plan_a").concept_similarity.sum()
    assert min(weights[list(kept)]) >= max(weights.drop(list(kept)))
    svg = (wide["out"] / "figures" / "network-plans.svg").read_text(encoding="utf-8")
    assert f"the {LIMITS['FIGURE_PLANS']} of {PLANS} plans" in svg


def test_long_tables_say_what_they_leave_out(wide: dict[str, Any]) -> None:
    pg: PlanGraph = wide["pg"]
    html, tables = wide["html"], wide["tables"].tables
    gaps = len(pg.gaps("no-responsible"))
    assert gaps > LIMITS["TABLE_ROWS"]
    assert len(tables["gap-no-responsible"]) == LIMITS["TABLE_ROWS"]
    assert f"{gaps - LIMITS['TABLE_ROWS']} more rows are not listed here" in html
    assert f"with no responsible institution ({gaps})" in html
    findings = pg.findings()
    top, more = 20, LIMITS["MORE_FINDINGS"]
    assert len(findings) > top + more
    assert f"and {len(findings) - top - more} more, not listed here" in html
    assert len(re.findall(r'<li class="finding ', html)) == top + more


def test_rows_listing_plans_name_the_first_ones(wide: dict[str, Any]) -> None:
    rows = wide["tables"].tables["shared-concepts"]
    wide_rows = [r for r in rows if int(r[2]) > LIMITS["PLANS_PER_ROW"]]
    assert wide_rows
    for row in wide_rows:
        listed = re.findall(r"\bP\d+\b", row[4])
        assert len(listed) == LIMITS["PLANS_PER_ROW"]
        assert f"and {int(row[2]) - LIMITS['PLANS_PER_ROW']} more plans" in row[4]
