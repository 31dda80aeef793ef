"""What the report shows, collected from the graph through :class:`PlanGraph` alone: the named
queries (``reports/``, ``overlaps/``, ``gaps/``), the near-duplicate search and the networks of
:mod:`plangraph.report.exports.graph`. Nothing here knows the bundled plans or writes HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.findings import Finding
from plangraph.analysis.stats import plan_stats
from plangraph.rdf.terms import to_python
from plangraph.report.common import as_int, local
from plangraph.report.exports.graph import Context, build_graph
from plangraph.report.figures import plan_colour

Progress = Callable[[str], None]
Row = dict[str, Any]

VOCAB = "https://w3id.org/plangraph/vocab/"
SCHEMES = {
    "theme": "Theme",
    "population": "Population",
    "gcm": "GCM objective",
    "sdg": "SDG target",
}
"""The concept schemes the report counts, and what a row of each is called."""

GAP_KINDS = (
    "no-responsible",
    "no-timeframe",
    "results-without-actions",
    "declared-population-unserved",
    "gcm-objectives-unserved",
    "themes-single-plan",
)
"""The ``gaps/`` queries of section 3."""


@dataclass
class Prov:
    """Where a plan statement stands in its source."""

    entity: str
    plan: str
    kind: str
    code: str | None
    parent: str | None
    file: str
    first: int
    last: int
    lines: str
    quote: str

    @property
    def anchor(self) -> str:
        """The fragment of ``sources.html`` that shows these lines."""
        tail = f"-L{self.last}" if self.last != self.first else ""
        return f"{self.file}-L{self.first}{tail}"


@dataclass
class Plan:
    """One plan as the report shows it."""

    iri: str
    id: str
    tag: str
    colour: str
    title: str
    status: str
    period_text: str | None
    start: str | None
    end: str | None
    area: str
    source_file: str | None
    title_line: int | None
    issuers: list[str]
    issuer_text: str | None
    version: str | None
    kinds: dict[str, int] = field(default_factory=dict)
    n_elements: int = 0
    n_actions: int = 0
    roles: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Report:
    """Everything the report shows, computed from the graph."""

    generated: str = ""
    graph_file: str = ""
    plans: list[Plan] = field(default_factory=list)
    prov: dict[str, Prov] = field(default_factory=dict)
    institutions: dict[str, Row] = field(default_factory=dict)
    participations: list[Row] = field(default_factory=list)
    element_concepts: list[Row] = field(default_factory=list)
    coverage: dict[str, list[Row]] = field(default_factory=dict)
    declared: list[Row] = field(default_factory=list)
    across: list[Row] = field(default_factory=list)
    plan_matrix: list[Row] = field(default_factory=list)
    near_duplicates: list[Row] = field(default_factory=list)
    gaps: dict[str, list[Row]] = field(default_factory=dict)
    timeline: list[Row] = field(default_factory=list)
    concept_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    communities: dict[str, int] = field(default_factory=dict)
    graphs: dict[str, Any] = field(default_factory=dict)
    day: str = ""
    """The day the report is about (plans in force)."""
    in_force: list[Row] = field(default_factory=list)
    """Every plan's state on :attr:`day` (query gaps/plans-in-force)."""
    findings: list[Finding] = field(default_factory=list)
    """The ranked findings (plangraph.analysis.findings), best first."""

    @property
    def plan_by_iri(self) -> dict[str, Plan]:
        return {p.iri: p for p in self.plans}


def _rows(pg: PlanGraph, name: str, **bindings: Any) -> list[Row]:
    result = pg.select(name, **bindings)
    return [
        {c: to_python(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows
    ]


def _plans(pg: PlanGraph) -> list[Plan]:
    details = _rows(pg, "reports/plan-details")
    counts = {r["plan"]: r for r in _rows(pg, "reports/plans")}
    stats = plan_stats(pg)
    plans = []
    for i, row in enumerate(details):
        pid = local(row["plan"])
        st = stats.get(pid, {})
        status = (row.get("status") or "unknown").replace("unknownstatus", "unknown")
        plans.append(
            Plan(
                iri=row["plan"],
                id=pid,
                tag=f"P{i + 1}",
                colour=plan_colour(i),
                title=row.get("title") or pid,
                status=status,
                period_text=row.get("period_text"),
                start=row.get("period_start"),
                end=row.get("period_end"),
                area=row.get("country") or row.get("region") or "",
                source_file=row.get("source_file"),
                title_line=as_int(row.get("title_line")) or None,
                issuers=[s for s in (row.get("issuers") or "").split(" | ") if s],
                issuer_text=row.get("issuer_text"),
                version=row.get("version"),
                kinds=dict(st.get("elements", {})),
                n_elements=as_int(counts.get(row["plan"], {}).get("elements")),
                n_actions=as_int(counts.get(row["plan"], {}).get("actions")),
                roles=dict(st.get("roles", {})),
            )
        )
    return plans


def _provenance(pg: PlanGraph) -> dict[str, Prov]:
    prov: dict[str, Prov] = {}
    for r in _rows(pg, "reports/provenance"):
        if r["entity"] in prov:
            continue
        prov[r["entity"]] = Prov(
            entity=r["entity"],
            plan=r["plan"],
            kind=r["kind"],
            code=r.get("code"),
            parent=r.get("parent"),
            file=r["source_file"],
            first=as_int(r["first_line"]),
            last=as_int(r["last_line"]),
            lines=r.get("lines") or str(r["first_line"]),
            quote=r.get("quote") or "",
        )
    return prov


def _concept_labels(coverage: dict[str, list[Row]]) -> dict[str, tuple[str, str]]:
    """Concept IRI → (scheme, label with its notation)."""
    labels: dict[str, tuple[str, str]] = {}
    for scheme, rows in coverage.items():
        for r in rows:
            notation = r.get("notation")
            label = r.get("label") or local(r["concept"])
            labels[r["concept"]] = (scheme, f"{notation}. {label}" if notation else label)
    return labels


def collect(pg: PlanGraph, progress: Progress | None = None, day: date | None = None) -> Report:
    """Run the queries, the findings, the near-duplicate search and the network builders on
    ``pg``; ``day`` (default today) is the day of the plans in force."""
    say = progress or (lambda _m: None)
    report = Report()
    on = day or date.today()
    report.day = on.isoformat()
    say("ranking findings")
    report.findings = pg.findings(on=on)
    report.in_force = _rows(pg, "gaps/plans-in-force", on=report.day)
    say("reading plans")
    report.plans = _plans(pg)
    say("reading provenance, institutions and participations")
    report.prov = _provenance(pg)
    report.institutions = {r["id"]: r for r in _rows(pg, "reports/institutions")}
    report.participations = _rows(pg, "reports/participations")
    for r in report.participations:
        r["id"] = local(r["institution"])
    report.element_concepts = _rows(pg, "reports/element-concepts")
    say("computing coverage of themes, populations and frameworks")
    report.coverage = {
        scheme: _rows(pg, "reports/concept-coverage", scheme=VOCAB + scheme) for scheme in SCHEMES
    }
    report.concept_labels = _concept_labels(report.coverage)
    report.declared = _rows(pg, "reports/declared-populations")
    say("finding overlaps")
    report.across = _rows(pg, "overlaps/institutions-across-plans")
    matrix = pg.overlaps("matrix").to_dict(orient="records")
    report.plan_matrix = [dict(r) for r in matrix if r["plan_a"] < r["plan_b"]]
    say("searching near-duplicate elements")
    pairs = pg.near_duplicates(scope="across", action_level=True)
    report.near_duplicates = [dict(r) for r in pairs.to_dict(orient="records")]
    say("finding gaps")
    report.gaps = {name: _rows(pg, f"gaps/{name}") for name in GAP_KINDS}
    report.timeline = _rows(pg, "reports/timeline")
    say("building networks")
    ctx = Context(pg)
    report.graphs = {kind: build_graph(kind, pg, ctx) for kind in ("institutions", "plans")}
    report.communities = {
        local(n): as_int(d.get("community"))
        for n, d in report.graphs["institutions"].nodes(data=True)
    }
    report.generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return report
