"""The findings of the seed plans, checked against the plans' own words: every piece of evidence
stands at its source lines, and no gap says something that reading the plan file refutes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.findings import GAP_KINDS, KINDS, Finding
from plangraph.cli.main import main
from plangraph.errors import PlangraphError
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import load_corpus
from plangraph.pipeline.records import Role
from plangraph.project import Project
from plangraph.text.fidelity import quote_matches
from plangraph.text.words import content_keys
from tests.helpers import ROOT, seeds_dataset

DAY = dt.date(2026, 12, 1)
CORPUS = load_corpus(Project(ROOT))
PLANS = {f"https://w3id.org/plangraph/plan/{p.id}": p for p in CORPUS.plans}


@pytest.fixture(scope="module")
def pg() -> PlanGraph:
    return open_dataset(seeds_dataset())


@pytest.fixture(scope="module")
def found(pg: PlanGraph) -> list[Finding]:
    return pg.findings(on=DAY)


def _lines(source_file: str, lines: str) -> str:
    text = (ROOT / "graph" / "sources" / source_file).read_text(encoding="utf-8").splitlines()
    out = []
    for part in lines.split(","):
        a, _, b = part.strip().partition("-")
        out += text[int(a) - 1 : int(b or a)]
    return "\n".join(out)


def test_there_are_findings_of_both_kinds(found: list[Finding]) -> None:
    kinds = {f.kind for f in found}
    assert kinds & set(GAP_KINDS) and kinds - set(GAP_KINDS)
    assert [f.details["rank"] for f in found] == list(range(1, len(found) + 1))


def test_every_evidence_stands_at_its_lines(found: list[Finding]) -> None:
    for f in found:
        assert f.title and f.derivation and 0 <= f.confidence <= 1
        for e in f.evidence:
            if not e.source_file:
                continue
            words = " ".join(e.text.rstrip("…").split()[:-1] or e.text.split())  # whole words
            assert quote_matches(words, _lines(e.source_file, e.lines)), (f.title, e)


def test_accountability_gaps_agree_with_the_plan_files(found: list[Finding]) -> None:
    """An element a gap lists has, in its plan file, no responsible institution (no-responsible),
    no timeframe of its own or of its children (no-timeframe) or no indicator (no-indicator)."""
    for f in found:
        if f.kind not in ("no-responsible", "no-timeframe", "no-indicator"):
            continue
        for plan_iri, elements in f.details["elements"].items():
            plan = PLANS[plan_iri]
            by_iri = {}
            iris = element_iris(plan)
            for path, el, _ in plan.walk():
                by_iri[str(iris[path])] = el
            for iri in elements:
                el = by_iri[iri]
                if f.kind == "no-responsible":
                    assert not any(r.role is Role.RESPONSIBLE for r in el.institutions), iri
                elif f.kind == "no-timeframe":
                    assert not el.timeframe and not el.schedule, iri
                else:
                    assert not el.indicators, iri


def test_declared_populations_unserved_are_not_named_by_the_plans_actions(
    found: list[Finding],
) -> None:
    """The declared words of an unserved population stand in none of the plan's own actions
    (reading the plan file): a population the plan's actions name is not a gap."""
    from plangraph.pipeline.derive.tagger import INTERVENTIONS

    for f in found:
        if f.kind != "population-unserved":
            continue
        plan = PLANS[f.plans[0]]
        declared = f.evidence[0].text
        stop = {"nino", "nina", "ninez", "adolescente", "persona", "poblacion", "grupo"}
        keys = [k for k in content_keys(declared, plan.record.plan.language) if k not in stop]
        for _, el, _ in plan.walk():
            if el.kind in INTERVENTIONS:
                own = content_keys(el.text, plan.record.plan.language)
                assert not (keys and all(k in own for k in keys)), (declared, el.text)


def test_plans_not_in_force_agree_with_their_periods(found: list[Finding]) -> None:
    for f in found:
        if f.kind != "plan-not-in-force":
            continue
        period = PLANS[f.plans[0]].record.plan.period
        if f.details["state"] == "lapsed":
            assert period is not None and period.end is not None
            assert period.end[:4] <= str(DAY.year)


def test_generic_process_themes_rank_below_specific_concepts(found: list[Finding]) -> None:
    concepts = [f for f in found if f.kind == "shared-concept"]
    rank = {f.subject.rsplit("/", 1)[-1]: f.details["rank"] for f in concepts}
    specific = [rank[c] for c in ("returned-children", "communities-of-origin") if c in rank]
    generic = [
        rank[c]
        for c in (
            "inter-institutional-coordination",
            "training-of-officials",
            "research-and-mapping",
        )
        if c in rank
    ]
    assert specific and generic and min(specific) < min(generic)


def test_unknown_kind_and_bad_day(pg: PlanGraph) -> None:
    with pytest.raises(PlangraphError, match="unknown finding kind"):
        pg.findings(kinds=("nope",))
    with pytest.raises(PlangraphError, match="not a date"):
        pg.findings(on="2017-02-30")


def test_cli_findings_json_and_text(tmp_path: Path) -> None:
    args = ["--root", str(ROOT), "findings", "--data", str(seeds_dataset()), "--on", "2026-12-01"]
    result = CliRunner().invoke(main, [*args, "--format", "json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 5 and all(d["kind"] in KINDS and d["evidence"] is not None for d in data)
    result = CliRunner().invoke(main, [*args, "--limit", "3"])
    assert result.exit_code == 0 and "3 finding(s)" in result.output
    result = CliRunner().invoke(main, [*args, "--on", "someday"])
    assert result.exit_code == 2 and "not a date" in result.output
