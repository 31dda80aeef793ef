"""The analyst report: one self-contained HTML page over the built graph.

``write_report`` reads ``build/plangraph.nq`` and writes, under ``build/report/``:

- ``index.html``: the report, with its CSS, JavaScript and data inline (no network access, prints);
- ``sources.html``: the plan documents, one anchor per line (``#<file>-L<n>``), which every row
  of the report links to;
- ``figures/*.png`` and ``figures/*.svg``: the static figures (heatmaps, networks, timeline).

Everything in the report is computed from the graph with the named queries of ``queries/``
(``reports/``, ``overlaps/``, ``gaps/``, ``report/``), the near-duplicate search of
:mod:`plangraph.analysis.similarity` and the networks of :mod:`plangraph.report.exports`.
Nothing is specific to the
bundled plans. See docs/report.md for what each section shows.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.errors import PlangraphError
from plangraph.project import Project
from plangraph.rdf.atomic import write_text
from plangraph.rdf.terms import to_python
from plangraph.report import figures as figs

Progress = Callable[[str], None]
Row = dict[str, Any]

VOCAB = "https://w3id.org/plangraph/vocab/"
SCHEMES = {
    "theme": "Theme",
    "population": "Population",
    "gcm": "GCM objective",
    "sdg": "SDG target",
}
QUOTE_LIMIT = 260


def asset(name: str) -> str:
    """The text of a file of ``plangraph/report/assets/`` (package data)."""
    return (resources.files("plangraph.report") / "assets" / name).read_text(encoding="utf-8")


def _rows(pg: PlanGraph, name: str, **bindings: Any) -> list[Row]:
    result = pg.select(name, **bindings)
    return [
        {c: to_python(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows
    ]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _bool(value: Any) -> bool:
    return str(value).lower() == "true"


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Collected data


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

    generated: str
    graph_file: str
    plans: list[Plan]
    prov: dict[str, Prov]
    institutions: dict[str, Row]
    participations: list[Row]
    element_concepts: list[Row]
    coverage: dict[str, list[Row]]
    declared: list[Row]
    across: list[Row]
    plan_matrix: list[Row]
    near_duplicates: list[Row]
    gaps: dict[str, list[Row]]
    timeline: list[Row]
    concept_labels: dict[str, tuple[str, str]]
    communities: dict[str, int]
    graphs: dict[str, Any]

    @property
    def plan_by_iri(self) -> dict[str, Plan]:
        return {p.iri: p for p in self.plans}


def collect(pg: PlanGraph, progress: Progress | None = None) -> Report:
    """Run the queries, the near-duplicate search and the network builders on ``pg``."""
    from plangraph.analysis.stats import plan_stats
    from plangraph.report import exports as maps

    say = progress or (lambda _m: None)
    say("reading plans")
    details = _rows(pg, "reports/plan-details")
    counts = {r["plan"]: r for r in _rows(pg, "reports/plans")}
    stats = plan_stats(pg)
    plans = []
    for i, row in enumerate(details):
        pid = _local(row["plan"])
        st = stats.get(pid, {})
        status = (row.get("status") or "unknown").replace("unknownstatus", "unknown")
        plans.append(
            Plan(
                iri=row["plan"],
                id=pid,
                tag=f"P{i + 1}",
                colour=figs.plan_colour(i),
                title=row.get("title") or pid,
                status=status,
                period_text=row.get("period_text"),
                start=row.get("period_start"),
                end=row.get("period_end"),
                area=row.get("country") or row.get("region") or "",
                source_file=row.get("source_file"),
                title_line=_int(row.get("title_line")) or None,
                issuers=[s for s in (row.get("issuers") or "").split(" | ") if s],
                issuer_text=row.get("issuer_text"),
                version=row.get("version"),
                kinds=dict(st.get("elements", {})),
                n_elements=_int(counts.get(row["plan"], {}).get("elements")),
                n_actions=_int(counts.get(row["plan"], {}).get("actions")),
                roles=dict(st.get("roles", {})),
            )
        )
    say("reading provenance, institutions and participations")
    prov = {}
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
            first=_int(r["first_line"]),
            last=_int(r["last_line"]),
            lines=r.get("lines") or str(r["first_line"]),
            quote=r.get("quote") or "",
        )
    institutions = {r["id"]: r for r in _rows(pg, "reports/institutions")}
    participations = _rows(pg, "reports/participations")
    for r in participations:
        r["id"] = _local(r["institution"])
    element_concepts = _rows(pg, "reports/element-concepts")
    say("computing coverage of themes, populations and frameworks")
    coverage = {
        scheme: _rows(pg, "reports/concept-coverage", scheme=VOCAB + scheme) for scheme in SCHEMES
    }
    concept_labels: dict[str, tuple[str, str]] = {}
    for scheme, rows in coverage.items():
        for r in rows:
            notation = r.get("notation")
            label = r.get("label") or _local(r["concept"])
            concept_labels[r["concept"]] = (scheme, f"{notation}. {label}" if notation else label)
    declared = _rows(pg, "reports/declared-populations")
    say("finding overlaps")
    across = _rows(pg, "overlaps/institutions-across-plans")
    plan_matrix = _rows(pg, "overlaps/plan-matrix")
    say("searching near-duplicate elements")
    near = [dict(r) for r in pg.near_duplicates().to_dict(orient="records")]
    say("finding gaps")
    gaps = {
        name: _rows(pg, f"gaps/{name}")
        for name in (
            "no-responsible",
            "no-timeframe",
            "results-without-actions",
            "declared-population-unserved",
            "gcm-objectives-unserved",
            "themes-single-plan",
        )
    }
    timeline = _rows(pg, "reports/timeline")
    say("building networks")
    ctx = maps.Context(pg)
    graphs = {kind: maps.build_graph(kind, pg, ctx) for kind in ("institutions", "plans")}
    communities = {
        _local(n): _int(d.get("community")) for n, d in graphs["institutions"].nodes(data=True)
    }
    return Report(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        graph_file="",
        plans=plans,
        prov=prov,
        institutions=institutions,
        participations=participations,
        element_concepts=element_concepts,
        coverage=coverage,
        declared=declared,
        across=across,
        plan_matrix=plan_matrix,
        near_duplicates=near,
        gaps=gaps,
        timeline=timeline,
        concept_labels=concept_labels,
        communities=communities,
        graphs=graphs,
    )


# ---------------------------------------------------------------------------------------------
# HTML helpers


def esc(value: Any) -> str:
    """HTML-escaped text of a value (empty for None)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Page:
    """Rendering context: the report's data plus lookups shared by all sections."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.plans = report.plan_by_iri

    # plans -------------------------------------------------------------------------------
    def plan_tag(self, plan_iri: str | None) -> str:
        plan = self.plans.get(plan_iri or "")
        if plan is None:
            return esc(_local(plan_iri or "")) if plan_iri else ""
        return (
            f'<span class="plan-tag" style="background:{plan.colour}" '
            f'title="{esc(plan.id)}: {esc(plan.title)}">{plan.tag}</span>'
        )

    def plan_sort(self, plan_iri: str | None) -> str:
        plan = self.plans.get(plan_iri or "")
        return f"{int(plan.tag[1:]):04d}" if plan else "9999"

    # elements ----------------------------------------------------------------------------
    def element_name(self, iri: str, depth: int = 3) -> str:
        """A short readable name of an element: its kind and code, and its parent's."""
        parts: list[str] = []
        current: str | None = iri
        while current and len(parts) < depth:
            p = self.r.prov.get(current)
            if p is None or current in self.plans:
                break
            name = p.kind.replace("_", " ")
            if p.code:
                name += f" {p.code}"
            parts.append(name)
            current = p.parent
        if not parts:
            return _local(iri)
        return " › ".join(reversed(parts))

    def src_link(self, iri: str | None, label: str | None = None) -> str:
        """A link to the source lines of a plan statement, the quote in its tooltip."""
        p = self.r.prov.get(iri or "")
        if p is None:
            return ""
        text = label or f"l. {p.lines}"
        return (
            f'<a class="src" href="sources.html#{esc(p.anchor)}" target="sources" '
            f'title="{esc(p.file)}, lines {esc(p.lines)}: {esc(_clip(p.quote, 400))}">'
            f"{esc(text)}</a>"
        )

    def quote(self, iri: str | None, fallback: str | None = None) -> str:
        """The quote of a plan statement with the link to its lines."""
        p = self.r.prov.get(iri or "")
        words = (p.quote if p and p.quote else None) or fallback or ""
        out = f'<span class="quote">{esc(_clip(words))}</span>' if words else ""
        link = self.src_link(iri)
        return f"{out} {link}".strip()

    def element_cell(self, iri: str, fallback_text: str | None = None) -> str:
        return f"<div><b>{esc(self.element_name(iri))}</b></div>{self.quote(iri, fallback_text)}"

    def concept_label(self, iri: str | None) -> str:
        if not iri:
            return ""
        return self.r.concept_labels.get(iri, ("", _local(iri)))[1]

    # institutions ------------------------------------------------------------------------
    def inst_short(self, inst_id: str) -> str:
        info = self.r.institutions.get(inst_id, {})
        return str(info.get("acronym") or info.get("label_es") or info.get("label_en") or inst_id)

    def inst_label(self, inst_id: str) -> str:
        info = self.r.institutions.get(inst_id, {})
        return str(info.get("label_es") or info.get("label_en") or inst_id)


def td(content: str, num: bool = False, sort: Any = None, cls: str = "") -> str:
    """A table cell with ready HTML content."""
    classes = " ".join(c for c in ("num" if num else "", cls) if c)
    attrs = f' class="{classes}"' if classes else ""
    if sort is not None:
        attrs += f' data-sort="{esc(sort)}"'
    return f"<td{attrs}>{content}</td>"


def data_table(
    table_id: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    empty: str = "No rows: nothing to report here.",
    search: bool = True,
) -> str:
    """A sortable table (click the headers) with a search box; rows are lists of ``td`` cells."""
    if not rows:
        return f'<p class="empty" id="{esc(table_id)}-empty">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join(f"<tr>{''.join(r)}</tr>" for r in rows)
    tools = ""
    if search:
        tools = (
            f'<div class="table-tools"><input type="search" placeholder="Filter rows…" '
            f'aria-label="Filter rows" data-filter-for="{esc(table_id)}">'
            f'<span id="{esc(table_id)}-shown">{len(rows)} rows</span>'
            f"<span>· click a column header to sort</span></div>"
        )
    return (
        f'{tools}<div class="table-wrap"><table class="data sortable" id="{esc(table_id)}">'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>"
    )


def section(sid: str, title: str, body: str, lead: str = "", how: str = "", level: int = 3) -> str:
    parts = [f'<section id="{esc(sid)}"><h{level}>{esc(title)}</h{level}>']
    if lead:
        parts.append(f'<p class="lead">{lead}</p>')
    if how:
        parts.append(f'<p class="how">{how}</p>')
    parts.append(body)
    parts.append("</section>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Sections


def plans_section(page: Page) -> str:
    r = page.r
    legend_rows = "".join(
        f"<tr><td>{page.plan_tag(p.iri)}</td><td>{esc(p.title)} <span class='id'>{esc(p.id)}</span>"
        f"</td></tr>"
        for p in r.plans
    )
    by_plan_insts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for part in r.participations:
        by_plan_insts[part["plan"]][part["id"]].add(part["role"])
    declared_by_plan: dict[str, list[Row]] = defaultdict(list)
    for d in r.declared:
        declared_by_plan[d["plan"]].append(d)
    cards = []
    for p in r.plans:
        kinds = "".join(
            f"<span>{esc(k.replace('_', ' '))} {n}</span>" for k, n in sorted(p.kinds.items())
        )
        period = esc(p.period_text) if p.period_text else "<span class='empty'>not printed</span>"
        if p.start or p.end:
            period += f" <span class='id'>({esc(p.start or '?')} – {esc(p.end or '?')})</span>"
        issuers = esc(", ".join(p.issuers)) if p.issuers else "<span class='empty'>not named</span>"
        if p.issuer_text:
            issuers = f'<span title="{esc(p.issuer_text)}">{issuers}</span>'
        source = ""
        if p.source_file:
            line = p.title_line or 1
            source = (
                f'<a class="src" href="sources.html#{esc(p.source_file)}-L{line}" '
                f'target="sources">{esc(p.source_file)}</a>'
            )
        insts = by_plan_insts.get(p.iri, {})
        role_counts = ", ".join(
            f"{role} {v['institutions']}" for role, v in sorted(p.roles.items())
        )
        inst_items = "".join(
            f"<li>{esc(page.inst_label(i))} <span class='id'>{esc(i)}</span> — "
            f"{esc(', '.join(sorted(roles)))}</li>"
            for i, roles in sorted(insts.items(), key=lambda kv: page.inst_label(kv[0]).lower())
        )
        pops = []
        seen: set[str] = set()
        groups: dict[str, list[Row]] = defaultdict(list)
        for d in declared_by_plan.get(p.iri, []):
            groups[d["declared"]].append(d)
        for decl, ds in groups.items():
            if decl in seen:
                continue
            seen.add(decl)
            concepts = []
            for d in ds:
                if not d.get("concept"):
                    concepts.append("<span class='empty'>not resolved to a concept</span>")
                    continue
                n_own = _int(d.get("served_in_plan"))
                flag = (
                    f"{n_own} own action(s)"
                    if n_own
                    else "<span class='gap-flag'>no own action serves it</span>"
                )
                concepts.append(f"{esc(page.concept_label(d['concept']))}: {flag}")
            pops.append(
                f"<li>{page.quote(decl, ds[0].get('text'))}<br><small>→ "
                f"{'; '.join(concepts)}</small></li>"
            )
        pop_html = (
            f"<ul class='pops'>{''.join(pops)}</ul>"
            if pops
            else ("<span class='empty'>none declared</span>")
        )
        cards.append(
            f"""<div class="card" id="plan-{esc(p.id)}">
<h3>{page.plan_tag(p.iri)} {esc(p.title)}</h3>
<dl>
<dt>id</dt><dd><code>{esc(p.id)}</code> · source {source}</dd>
<dt>issuer</dt><dd>{issuers}</dd>
<dt>period</dt><dd>{period}</dd>
<dt>status</dt><dd class="status-{esc(p.status)}">{esc(p.status)}</dd>
<dt>country / region</dt><dd>{esc(p.area) or "—"}</dd>
<dt>elements</dt><dd>{p.n_elements} in all, {p.n_actions} action-level
  <div class="kinds">{kinds}</div></dd>
<dt>institutions</dt><dd>{len(insts)} taking part; by role: {esc(role_counts) or "none"}
  <details><summary>list</summary><ul class="pops">{inst_items}</ul></details></dd>
<dt>populations declared</dt><dd>{pop_html}</dd>
</dl></div>"""
        )
    body = f'<table class="legend">{legend_rows}</table><div class="cards">{"".join(cards)}</div>'
    return section(
        "plans",
        "1. The plans",
        body,
        lead="Each plan gets a short tag (P1, P2…) and a colour used everywhere in this report.",
        how="element counts are by kind as the plan prints them; <i>action-level</i> elements are "
        "the ones that commit someone to do something (actions, milestones, activities, immediate "
        "steps). A declared population is a group the plan says it serves; the arrow shows the "
        "concept it was matched to and how many of the plan's own action-level elements target it.",
        level=2,
    )


def institutions_across_section(page: Page) -> str:
    r = page.r
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in r.across:
        grouped[_local(row["institution"])].append(row)
    rows = []
    for inst_id, plan_rows in grouped.items():
        first = plan_rows[0]
        items = []
        for pr in sorted(plan_rows, key=lambda x: page.plan_sort(x["plan"])):
            elements = [e for e in (pr.get("elements") or "").split() if e]
            elements.sort(key=lambda e: (r.prov[e].first if e in r.prov else 0, e))
            example = page.src_link(elements[0], "source") if elements else ""
            quote = ""
            if elements and elements[0] in r.prov:
                quote = f'<div class="quote">{esc(_clip(r.prov[elements[0]].quote, 160))}</div>'
            items.append(
                f"<li>{page.plan_tag(pr['plan'])} {esc(pr.get('roles') or '')} · "
                f"{_int(pr.get('n_elements'))} element(s), {_int(pr.get('n_actions'))} "
                f"action-level {example}{quote}</li>"
            )
        label = first.get("label") or inst_id
        generic = _bool(first.get("is_generic"))
        rows.append(
            [
                td(
                    f"<b>{esc(label)}</b><br><span class='id'>{esc(inst_id)}</span>",
                    sort=str(label).lower(),
                ),
                td(esc(first.get("type") or "") + (" <i>(generic)</i>" if generic else "")),
                td(str(_int(first.get("n_plans"))), num=True),
                td(
                    str(sum(_int(x.get("n_actions")) for x in plan_rows)),
                    num=True,
                ),
                td(f"<ul class='plan-roles'>{''.join(items)}</ul>"),
            ]
        )
    table = data_table(
        "inst-multi",
        ["Institution", "Type", "Plans", "Action-level elements", "Plans, roles and an example"],
        rows,
        empty="No institution takes part in more than one plan.",
    )
    return section(
        "institutions-multi",
        "2.1 Institutions in more than one plan",
        table,
        lead=f"{len(rows)} institutions or generic agents take part in, or publish, two or more "
        "plans: the first people to bring to a coordination table.",
        how="one row per institution; for each plan, the roles it has there (responsible, "
        "supporting, involved… or publisher), how many elements name it, and the first of them "
        "with its quote and a link to its lines in the source.",
    )


def shared_concepts_section(page: Page) -> str:
    r = page.r
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ec in r.element_concepts:
        if _bool(ec.get("action_level")):
            examples[(ec["concept"], ec["plan"])].append(ec["element"])
    rows = []
    for scheme, label in SCHEMES.items():
        per_concept: dict[str, dict[str, int]] = defaultdict(dict)
        for c in r.coverage.get(scheme, []):
            if c.get("plan") and _int(c.get("n_elements")):
                per_concept[c["concept"]][c["plan"]] = _int(c["n_elements"])
        for concept, by_plan in per_concept.items():
            if len(by_plan) < 2:
                continue
            items = []
            for plan_iri, n in sorted(by_plan.items(), key=lambda kv: page.plan_sort(kv[0])):
                els = sorted(
                    examples.get((concept, plan_iri), []),
                    key=lambda e: (r.prov[e].first if e in r.prov else 0, e),
                )
                link = page.src_link(els[0], "example") if els else ""
                items.append(f"<li>{page.plan_tag(plan_iri)} {n} {link}</li>")
            rows.append(
                [
                    td(esc(label)),
                    td(esc(page.concept_label(concept)), sort=page.concept_label(concept).lower()),
                    td(str(len(by_plan)), num=True),
                    td(str(sum(by_plan.values())), num=True),
                    td(f"<ul class='plan-roles'>{''.join(items)}</ul>"),
                ]
            )
    rows.sort(key=lambda row: row[2], reverse=True)
    table = data_table(
        "shared-concepts",
        ["Kind", "Concept", "Plans", "Action-level elements", "Elements per plan (example)"],
        rows,
        empty="No theme, population or framework objective is served by two plans.",
    )
    return section(
        "shared-concepts",
        "2.2 Themes, populations and framework objectives shared across plans",
        table,
        lead="Concepts that the action-level elements of two or more plans address, as tagged "
        "in the derived graph (keyword tagging with evidence; see <code>plangraph tags</code>).",
        how="a row is a theme, a target population, a GCM objective or an SDG target; the last "
        "column gives, per plan, how many of its action-level elements carry the concept and links "
        "to the first one. Tags are machine-made: open the example before relying on it.",
    )


def near_duplicates_section(page: Page) -> str:
    rows = []
    for d in page.r.near_duplicates:
        rows.append(
            [
                td(f"{float(d['score']):.2f}", num=True),
                td(page.plan_tag(d["plan_a"]), sort=page.plan_sort(d["plan_a"])),
                td(page.element_cell(d["element_a"], d.get("text_a"))),
                td(page.plan_tag(d["plan_b"]), sort=page.plan_sort(d["plan_b"])),
                td(page.element_cell(d["element_b"], d.get("text_b"))),
                td("yes" if d.get("same_plan") else "no"),
                td(esc(d.get("shared_terms") or "")),
            ]
        )
    table = data_table(
        "near-duplicates",
        ["Score", "Plan A", "Element A", "Plan B", "Element B", "Same plan", "Shared words"],
        rows,
        empty="No pair of elements is similar enough to be a near-duplicate.",
    )
    return section(
        "near-duplicates",
        "2.3 Near-duplicate elements",
        table,
        lead="Pairs of elements whose words are nearly the same (TF-IDF cosine similarity on "
        "accent-folded Spanish words, stopwords dropped): the same commitment written twice, in "
        "one plan or in two.",
        how="score 1.00 is the same words; pairs across plans (same plan = no) are candidate "
        "overlaps to merge or coordinate, pairs within a plan are often repeated rows of a table.",
    )


def _gap_rows(page: Page, rows: Iterable[Row], extra: str | None = None) -> list[list[str]]:
    out = []
    for g in rows:
        cells = [
            td(page.plan_tag(g["plan"]), sort=page.plan_sort(g["plan"])),
            td(esc(str(g.get("kind") or "").replace("_", " "))),
            td(page.element_cell(g["element"], g.get("text"))),
        ]
        if extra is not None:
            value = g.get(extra)
            cells.append(td(esc(value) if value else "<span class='empty'>none</span>"))
        out.append(cells)
    return out


def structural_gaps_section(page: Page) -> str:
    gaps = page.r.gaps
    parts = [
        section(
            "gap-no-responsible",
            f"3.1 Action-level elements with no responsible institution "
            f"({len(gaps['no-responsible'])})",
            data_table(
                "gap-no-responsible",
                ["Plan", "Kind", "Element", "Roles it does have"],
                _gap_rows(page, gaps["no-responsible"], "roles"),
            ),
            how="nobody is named as responsible for the element itself (a responsible body of a "
            "parent is not counted); the last column lists the roles that are named, e.g. "
            "supporting bodies.",
        ),
        section(
            "gap-no-timeframe",
            f"3.2 Action-level elements with no timeframe ({len(gaps['no-timeframe'])})",
            data_table(
                "gap-no-timeframe",
                ["Plan", "Kind", "Element", "Timeframe printed"],
                _gap_rows(page, gaps["no-timeframe"], "timeframe_text"),
            ),
            how="no deadline, start, end or schedule is printed (or only “Por definir”).",
        ),
        section(
            "gap-results-without-actions",
            f"3.3 Results with no action under them ({len(gaps['results-without-actions'])})",
            data_table(
                "gap-results-without-actions",
                ["Plan", "Kind", "Element", "Stands under"],
                _gap_rows(page, gaps["results-without-actions"], "parent_kind"),
            ),
            how="an expected result or strategic line with no action-level element anywhere below "
            "it: an outcome nobody is committed to act on.",
        ),
    ]
    return "\n".join(parts)


def coverage_gaps_section(page: Page) -> str:
    r = page.r
    gaps = r.gaps
    elsewhere = {(d["declared"], d.get("concept")): d for d in r.declared}
    pop_rows = []
    for g in gaps["declared-population-unserved"]:
        other = elsewhere.get((g["declared"], g["population"]), {})
        n_other = _int(other.get("served_elsewhere"))
        pop_rows.append(
            [
                td(page.plan_tag(g["plan"]), sort=page.plan_sort(g["plan"])),
                td(page.quote(g["declared"], g.get("declared_text"))),
                td(
                    esc(page.concept_label(g["population"]))
                    + f"<br><span class='id'>{esc(_local(g['population']))}</span>"
                ),
                td(str(n_other), num=True),
            ]
        )
    gcm_rows = []
    for g in gaps["gcm-objectives-unserved"]:
        gcm_rows.append(
            [
                td(esc(g.get("notation") or ""), num=True),
                td(esc(page.concept_label(g["objective"]))),
                td(esc(g.get("label") or "")),
            ]
        )
    theme_rows = []
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ec in r.element_concepts:
        if _bool(ec.get("action_level")):
            examples[(ec["concept"], ec["plan"])].append(ec["element"])
    for g in gaps["themes-single-plan"]:
        els = sorted(
            examples.get((g["theme"], g["plan"]), []),
            key=lambda e: (r.prov[e].first if e in r.prov else 0, e),
        )
        theme_rows.append(
            [
                td(esc(page.concept_label(g["theme"]))),
                td(page.plan_tag(g["plan"]), sort=page.plan_sort(g["plan"])),
                td(str(_int(g.get("elements"))), num=True),
                td(page.element_cell(els[0]) if els else ""),
            ]
        )
    parts = [
        section(
            "gap-populations",
            f"3.4 Declared populations no action serves ({len(pop_rows)})",
            data_table(
                "gap-populations",
                [
                    "Plan",
                    "Population as declared",
                    "Concept",
                    "Action-level elements of other plans",
                ],
                pop_rows,
                empty="Every declared population is served by at least one action of its plan.",
            ),
            how="the plan says it serves this group, but none of its own action-level elements "
            "targets it (or a narrower group). The last column says whether other plans have "
            "actions for it: a partner to coordinate with.",
        ),
        section(
            "gap-gcm",
            f"3.5 GCM objectives no plan serves ({len(gcm_rows)})",
            data_table(
                "gap-gcm",
                ["Objective", "Global Compact for Migration objective", "Spanish"],
                gcm_rows,
                empty="Every GCM objective is served by at least one action-level element.",
            ),
            how="objectives of the Global Compact for Safe, Orderly and Regular Migration that no "
            "action-level element of any plan is aligned with. There is no quote to show: the gap "
            "is an absence. The heatmap in section 4 shows the rest of the objectives.",
        ),
        section(
            "gap-themes",
            f"3.6 Themes only one plan covers ({len(theme_rows)})",
            data_table(
                "gap-themes",
                ["Theme", "Plan", "Action-level elements", "First element"],
                theme_rows,
            ),
            how="topics where one plan acts alone: no other plan to coordinate with, or a topic "
            "the other plans leave out.",
        ),
    ]
    return "\n".join(parts)


# heatmaps ------------------------------------------------------------------------------------


@dataclass
class Matrix:
    """A heatmap: labelled rows × plans."""

    key: str
    title: str
    rows: list[str]
    row_titles: list[str]
    values: list[list[int]]
    note: str = ""


def concept_matrix(page: Page, scheme: str, keep_zero_rows: bool) -> Matrix:
    r = page.r
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    order: list[str] = []
    for c in r.coverage.get(scheme, []):
        if c["concept"] not in counts:
            order.append(c["concept"])
            counts[c["concept"]] = {}
        if c.get("plan"):
            counts[c["concept"]][c["plan"]] = _int(c.get("n_elements"))
    if scheme == "gcm":
        order.sort(key=lambda c: (_int(_local(c).rsplit("-", 1)[-1]), c))
    else:
        order.sort(key=lambda c: (-sum(counts[c].values()), page.concept_label(c).lower()))
    zero = [c for c in order if not sum(counts[c].values())]
    if not keep_zero_rows:
        order = [c for c in order if sum(counts[c].values())]
    values = [[counts[c].get(p.iri, 0) for p in r.plans] for c in order]
    labels = [page.concept_label(c) for c in order]
    note = ""
    if zero and not keep_zero_rows:
        note = f"{len(zero)} concept(s) of the scheme no plan addresses are left out."
    return Matrix(scheme, SCHEMES[scheme], labels, [_local(c) for c in order], values, note)


def institution_matrix(page: Page) -> Matrix:
    r = page.r
    elements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for part in r.participations:
        if part.get("element"):
            elements[part["id"]][part["plan"]].add(part["element"])
        else:
            elements[part["id"]][part["plan"]]
    order = sorted(
        elements,
        key=lambda i: (
            -len(elements[i]),
            -sum(len(v) for v in elements[i].values()),
            page.inst_short(i).lower(),
        ),
    )
    values = [[len(elements[i].get(p.iri, ())) for p in r.plans] for i in order]
    labels = [
        f"{page.inst_short(i)} — {page.inst_label(i)}"
        if page.inst_short(i) != page.inst_label(i)
        else page.inst_label(i)
        for i in order
    ]
    return Matrix("institution", "Institution", labels, order, values)


def heat_table(page: Page, m: Matrix) -> str:
    plans = page.r.plans
    maximum = max((v for row in m.values for v in row), default=0)
    head = (
        f"<th>{esc(m.title)}</th>"
        + "".join(f"<th>{page.plan_tag(p.iri)}</th>" for p in plans)
        + "<th>Plans</th><th>Total</th>"
    )
    body = []
    for label, title, row in zip(m.rows, m.row_titles, m.values, strict=True):
        cells = []
        for p, v in zip(plans, row, strict=True):
            bg = figs.heat_colour(v, maximum)
            style = f"background:{bg};color:{figs.text_colour(bg)}"
            cells.append(
                f'<td style="{style}" class="{"zero" if not v else ""}" '
                f'title="{esc(label)} × {p.tag}: {v}">{v}</td>'
            )
        n_plans = sum(1 for v in row if v)
        body.append(
            f'<tr><th class="row" title="{esc(title)}">{esc(label)}</th>{"".join(cells)}'
            f'<td class="num">{n_plans}</td><td class="num">{sum(row)}</td></tr>'
        )
    scale = "".join(
        figs.heat_colour(maximum * (i / 4) ** 2, maximum) if maximum else "#fff" for i in range(5)
    )
    del scale
    gradient = ", ".join(figs.HEAT_COLOURS)
    return (
        f'<div class="scale">0 <span class="bar" style="background:linear-gradient(to right, '
        f'#ffffff, {gradient})"></span> {maximum} (square-root scale)</div>'
        f'<div class="heat-wrap"><table class="heat sortable" id="heat-{esc(m.key)}"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def figure_block(written: figs.Written | None, caption: str) -> str:
    if written is None:
        return ""
    return (
        f'<figure class="static"><details><summary>Static figure for slides and print '
        f"(PNG/SVG)</summary>{_img(written.png, caption)}</details>"
        f'<figcaption>{esc(caption)} · <a href="figures/{esc(written.png.name)}">PNG</a> · '
        f'<a href="figures/{esc(written.svg.name)}">SVG</a></figcaption></figure>'
    )


HEATMAP_TEXT = {
    "theme": (
        "4.1 Themes × plans",
        "how many action-level elements of each plan address each theme. A row with one "
        "coloured cell is a theme one plan covers alone; a dark row across several plans is "
        "where they overlap.",
    ),
    "population": (
        "4.2 Target populations × plans",
        "how many action-level elements of each plan target each population (the concept "
        "itself, not narrower ones).",
    ),
    "gcm": (
        "4.3 GCM objectives × plans",
        "how many action-level elements of each plan are aligned with each of the 23 "
        "objectives of the Global Compact for Migration; all objectives are listed, so a "
        "white row is an objective no plan serves.",
    ),
    "institution": (
        "4.4 Institutions × plans",
        "how many elements of each plan name the institution (any role). Institutions in "
        "several plans come first. Publishing a plan shows as a 0 in that plan's column when "
        "the institution is named in none of its elements.",
    ),
}


def heatmaps_section(page: Page, matrices: Sequence[Matrix], written: Mapping[str, Any]) -> str:
    parts = []
    for m in matrices:
        title, how = HEATMAP_TEXT[m.key]
        caption = f"{title[4:]} (matplotlib)"
        if m.key == "institution" and len(m.rows) > 40:
            caption += f"; the 40 first of {len(m.rows)} institutions"
        body = (
            f'<div class="heat-block"><div>{heat_table(page, m)}</div>'
            f"{figure_block(written.get('heatmap-' + m.key), caption)}</div>"
        )
        if m.note:
            body += f"<p class='lead'>{esc(m.note)}</p>"
        parts.append(section(f"heat-{m.key}", title, body, how=how))
    return "\n".join(parts)


# networks ------------------------------------------------------------------------------------


def coordination_data(page: Page) -> dict[str, Any]:
    """The data of the interactive coordination network (rebuilt in the browser per filter)."""
    r = page.r
    themes_of: dict[str, list[str]] = defaultdict(list)
    for ec in r.element_concepts:
        if ec.get("scheme") == "theme":
            themes_of[ec["element"]].append(_local(ec["concept"]))
    elements: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    participations = []
    used_types: set[str] = set()
    for part in r.participations:
        el_iri = part.get("element")
        if not el_iri:
            continue
        if el_iri not in index:
            p = r.prov.get(el_iri)
            index[el_iri] = len(elements)
            elements.append(
                {
                    "plan": part["plan"],
                    "label": page.element_name(el_iri),
                    "text": _clip(p.quote if p else "", 400),
                    "src": p.anchor if p else "",
                    "lines": f"l. {p.lines}" if p else "",
                    "action": _bool(part.get("action_level")),
                    "themes": sorted(set(themes_of.get(el_iri, []))),
                }
            )
        participations.append([part["id"], index[el_iri], part["role"]])
    institutions = {}
    for inst_id in sorted({p[0] for p in participations}):
        info = r.institutions.get(inst_id, {})
        used_types.add(str(info.get("type") or "other"))
        institutions[inst_id] = {
            "label": page.inst_label(inst_id),
            "short": page.inst_short(inst_id),
            "type": info.get("type") or "other",
            "typeLabel": info.get("type_label") or info.get("type") or "other",
            "generic": _bool(info.get("is_generic")),
            "community": r.communities.get(inst_id, -1),
        }
    return {
        "plans": [
            {"id": p.iri, "tag": p.tag, "color": p.colour, "title": p.title} for p in r.plans
        ],
        "institutions": institutions,
        "elements": elements,
        "participations": participations,
        "typeColours": type_colours(r),
        "communityColours": figs.CATEGORY_COLOURS,
    }


def type_colours(r: Report) -> dict[str, str]:
    """Colours of organisation types, as in the maps and figures."""
    from plangraph.report.exports import type_colours as colours

    return colours([str(i.get("type") or "other") for i in r.institutions.values()])


def plan_network_data(page: Page) -> dict[str, Any]:
    r = page.r
    insts: dict[str, set[str]] = defaultdict(set)
    for part in r.participations:
        insts[part["plan"]].add(part["id"])
    nodes = [
        {
            "id": p.iri,
            "tag": p.tag,
            "short": _clip(p.title, 40),
            "title": p.title,
            "color": p.colour,
            "actions": p.n_actions,
            "institutions": len(insts.get(p.iri, ())),
        }
        for p in r.plans
    ]
    edges = []
    for row in r.plan_matrix:
        if row["plan_a"] == row["plan_b"]:
            continue
        a, b = page.plans.get(row["plan_a"]), page.plans.get(row["plan_b"])
        if a is None or b is None:
            continue
        edges.append(
            {
                "source": a.iri,
                "target": b.iri,
                "sourceTag": a.tag,
                "targetTag": b.tag,
                **{
                    k: _int(row.get(k))
                    for k in (
                        "institutions",
                        "named_institutions",
                        "themes",
                        "populations",
                        "frameworks",
                    )
                },
            }
        )
    return {"nodes": nodes, "edges": edges}


def networks_section(page: Page, written: Mapping[str, Any]) -> str:
    r = page.r
    themes = sorted(
        {
            (page.concept_label(ec["concept"]), _local(ec["concept"]))
            for ec in r.element_concepts
            if ec.get("scheme") == "theme"
        }
    )
    roles = sorted({p["role"] for p in r.participations if p.get("element")})
    plan_opts = "".join(
        f'<option value="{esc(p.iri)}">{p.tag} — {esc(_clip(p.title, 60))}</option>'
        for p in r.plans
    )
    theme_opts = "".join(f'<option value="{esc(k)}">{esc(lab)}</option>' for lab, k in themes)
    role_opts = "".join(f'<option value="{esc(x)}">{esc(x)}</option>' for x in roles)
    sizes: dict[int, int] = defaultdict(int)
    for c in r.communities.values():
        sizes[c] += 1
    n_comm = sum(1 for n in sizes.values() if n > 1)
    n_alone = sum(1 for n in sizes.values() if n == 1)
    inst_fig = figure_block(
        written.get("network-institutions"),
        "Institution co-responsibility network, all plans (networkx + matplotlib)",
    )
    plan_fig = figure_block(
        written.get("network-plans"),
        "Plan–plan overlap network, edges = shared institutions, themes, populations and "
        "framework objectives (networkx + matplotlib)",
    )
    coord = f"""
<div class="net-controls no-print">
 <label>Plan <select id="coord-plan"><option value="">all plans</option>{plan_opts}
  </select></label>
 <label>Theme <select id="coord-theme"><option value="">all themes</option>{theme_opts}
  </select></label>
 <label>Role <select id="coord-role"><option value="">all roles</option>{role_opts}
  </select></label>
 <label>Colour by <select id="coord-colour"><option value="type">institution type</option>
   <option value="community">community (Louvain)</option></select></label>
 <label><input type="checkbox" id="coord-named"> named bodies only</label>
 <label><input type="checkbox" id="coord-actions"> action-level elements only</label>
</div>
<p class="net-status" id="coord-status"></p>
<div class="net-legend" id="coord-legend"></div>
<div class="net-layout">
 <div class="net-canvas" id="coord-net">
  <svg role="img" aria-label="Institution coordination network"></svg>
  <div class="tooltip"></div></div>
 <div class="net-side" id="coord-side"><h4>Click an institution</h4>
  <p>to list the elements it takes part in (under the current filters), each with its quote and a
  link to its lines in the source. Drag to pan, scroll to zoom, hover to see an institution's
  links.</p></div>
</div>
{inst_fig}
"""
    plan_net = f"""
<div class="net-controls no-print">
 <label>Link plans by shared <select id="plan-measure">
  <option value="institutions">institutions</option>
  <option value="named_institutions">named institutions</option>
  <option value="themes">themes</option>
  <option value="populations">populations</option>
  <option value="frameworks">framework objectives</option></select></label>
</div>
<p class="net-status" id="plan-status"></p>
<div class="net-canvas" id="plan-net">
 <svg class="small" role="img" aria-label="Plan overlap network"></svg>
 <div class="tooltip"></div></div>
{plan_fig}
"""
    return "\n".join(
        [
            section(
                "coordination",
                "5.1 Institution coordination network",
                coord,
                lead=f"{len(r.communities)} institutions; Louvain finds {n_comm} communities of "
                "institutions that work together more than with the rest"
                + (f", and {n_alone} institutions linked to no other" if n_alone else "")
                + ". Tip: choose a plan to see who works with whom inside it; hover a circle to "
                "see its partners.",
                how="a circle is an institution (or a generic agent such as “sociedad civil”); its "
                "size grows with the number of action-level elements it takes part in; two "
                "institutions are linked when the same plan element names both. Filter by plan, "
                "theme or role (choose role <i>responsible</i> to see co-responsibility only); the "
                "network is recomputed for the filter.",
            ),
            section(
                "plan-network",
                "5.2 Plan–plan overlap network",
                plan_net,
                how="a circle is a plan (size: its action-level elements); the number on a link "
                "is how many institutions (or themes, populations, framework objectives) the two "
                "plans share. Thick links are where coordination between plans matters most.",
            ),
        ]
    )


# timeline ------------------------------------------------------------------------------------


def year_fraction(value: str | None, end: bool = False) -> float | None:
    """A date, year-month or year as a fractional year; ``end`` moves to the end of the period.

    >>> year_fraction("2023-07")
    2023.5
    >>> year_fraction("2022", end=True)
    2023.0
    >>> round(year_fraction("2025-06-30", end=True), 3)
    2025.499
    """
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return year + (1.0 if end else 0.0)
    month = int(m.group(2))
    if m.group(3) is None:
        return year + (month - (0 if end else 1)) / 12
    day = int(m.group(3))
    return year + (month - 1) / 12 + (day - (0 if end else 1)) / 365


def timeline_rows(page: Page) -> list[figs.TimelineRow]:
    items: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for t in page.r.timeline:
        b = year_fraction(t.get("begin"))
        e = year_fraction(t.get("end"), end=True)
        if b is None and e is None:
            continue
        b = b if b is not None else e
        e = e if e is not None else b
        assert b is not None and e is not None
        items[t["plan"]].append((b, e, t["element"]))
    return [
        figs.TimelineRow(
            tag=p.tag,
            label=p.title,
            colour=p.colour,
            start=year_fraction(p.start),
            end=year_fraction(p.end, end=True),
            items=sorted(items.get(p.iri, [])),
        )
        for p in page.r.plans
    ]


def timeline_svg(page: Page, rows: Sequence[figs.TimelineRow]) -> str:
    years = [y for r in rows for y in (r.start, r.end) if y is not None]
    years += [y for r in rows for it in r.items for y in it[:2]]
    if not years:
        return "<p class='empty'>No plan prints a period and no element a date.</p>"
    lo, hi = int(min(years)), int(max(years) + 0.999)
    hi = max(hi, lo + 1)
    left, width, row_h, top = 290, 1000, 54, 30
    plot_w = width - left - 20
    height = top + row_h * len(rows) + 10

    def x(year: float) -> float:
        return left + (year - lo) / (hi - lo) * plot_w

    out = [
        f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12" role="img" '
        f'aria-label="Timeline of plan periods and milestones">'
    ]
    step = 1 if hi - lo <= 20 else 5
    for yr in range(lo, hi + 1, step):
        out.append(
            f'<line x1="{x(yr):.1f}" x2="{x(yr):.1f}" y1="{top - 6}" y2="{height - 8}" '
            f'stroke="#e2e6ec"/><text x="{x(yr):.1f}" y="{top - 12}" text-anchor="middle" '
            f'fill="#5b6575">{yr}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        plan = next(p for p in page.r.plans if p.tag == row.tag)
        out.append(
            f'<text x="8" y="{y + 4:.1f}"><tspan font-weight="bold" fill="{row.colour}">'
            f"{esc(row.tag)}</tspan> {esc(_clip(row.label, 38))}</text>"
        )
        if row.start is not None and row.end is not None:
            out.append(
                f'<rect x="{x(row.start):.1f}" y="{y - 11:.1f}" '
                f'width="{x(row.end) - x(row.start):.1f}"'
                f' height="22" rx="3" fill="{row.colour}" fill-opacity=".25" stroke="{row.colour}">'
                f"<title>{esc(row.tag)} period: {esc(plan.period_text or '')} "
                f"({esc(plan.start)} – {esc(plan.end)})</title></rect>"
            )
        else:
            out.append(
                f'<text x="{left + 4}" y="{y + 4:.1f}" fill="#8a93a0" font-style="italic">'
                f"no period printed"
                f"{' — timed elements shown' if row.items else ''}</text>"
            )
        for k, (b, e, el_iri) in enumerate(row.items):
            dy = ((k % 5) - 2) * 4
            p = page.r.prov.get(el_iri)
            name = page.element_name(el_iri)
            tip = f"{row.tag} {name}: {_clip(p.quote if p else '', 160)}"
            href = f"sources.html#{p.anchor}" if p else "#"
            out.append(
                f'<a href="{esc(href)}" target="sources"><g class="milestone">'
                f"<title>{esc(tip)}</title>"
                f'<line x1="{x(b):.1f}" x2="{x(e):.1f}" y1="{y + dy:.1f}" y2="{y + dy:.1f}" '
                f'stroke="{row.colour}" stroke-width="1.2" stroke-opacity=".7"/>'
                f'<path d="M{x(b):.1f} {y + dy - 4:.1f} l4 4 l-4 4 l-4 -4 z" fill="{row.colour}"/>'
                f"</g></a>"
            )
    out.append("</svg>")
    return "".join(out)


def timeline_section(
    page: Page, rows: Sequence[figs.TimelineRow], written: Mapping[str, Any]
) -> str:
    n_items = sum(len(r.items) for r in rows)
    body = (
        f'<div class="timeline">{timeline_svg(page, rows)}</div>'
        f"{figure_block(written.get('timeline'), 'Timeline (matplotlib)')}"
    )
    return section(
        "timeline",
        "6. Timeline of plan periods and milestones",
        body,
        lead=f"{n_items} action-level elements (mostly milestones) have dates the timeframe "
        "parser could place; relative timeframes (“6 meses”, “corto plazo”) cannot be drawn on a "
        "calendar.",
        how="a shaded bar is the period a plan says it covers; a diamond is the start of a dated "
        "element and the thin line runs to its end. Hover for the element, click for its source.",
        level=2,
    )


# ---------------------------------------------------------------------------------------------
# Page assembly


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def render_index(
    report: Report,
    written: Mapping[str, Any],
    matrices: Sequence[Matrix],
    rows: Sequence[figs.TimelineRow],
) -> str:
    """The report page."""
    page = Page(report)
    n_inst = len({p["id"] for p in report.participations})
    toc = [
        ("plans", "1. Plans"),
        ("overlaps", "2. Overlaps"),
        ("gaps", "3. Gaps"),
        ("heatmaps", "4. Heatmaps"),
        ("networks", "5. Networks"),
        ("timeline", "6. Timeline"),
        ("about", "About"),
    ]
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in toc)
    gaps = report.gaps
    overlaps = "\n".join(
        [
            '<section id="overlaps"><h2>2. Overlaps: where plans meet</h2>'
            '<p class="lead">The same institutions, topics, groups of people and commitments '
            "appearing in several plans, which were each written alone.</p>",
            institutions_across_section(page),
            shared_concepts_section(page),
            near_duplicates_section(page),
            "</section>",
        ]
    )
    gap_html = "\n".join(
        [
            '<section id="gaps"><h2>3. Gaps: what is missing</h2>'
            '<p class="lead">Structural gaps are holes inside a plan (3.1–3.3); coverage gaps are '
            "groups, objectives and topics the plans together leave thin (3.4–3.6).</p>",
            structural_gaps_section(page),
            coverage_gaps_section(page),
            "</section>",
        ]
    )
    heat = (
        '<section id="heatmaps"><h2>4. Heatmaps</h2><p class="lead">Counts of action-level '
        "elements (institutions: of elements) per plan. Darker is more; click a column header "
        "to sort.</p>" + heatmaps_section(page, matrices, written) + "</section>"
    )
    nets = (
        '<section id="networks"><h2>5. Networks</h2><p class="lead">Who works with whom. Export '
        "these networks for Gephi or Cytoscape with <code>plangraph map co-responsibility --format "
        "graphml</code> (see docs/report.md).</p>" + networks_section(page, written) + "</section>"
    )
    n_multi = len({_local(r["institution"]) for r in report.across})
    summary = (
        f"{len(report.plans)} plans, {sum(p.n_elements for p in report.plans)} elements "
        f"({sum(p.n_actions for p in report.plans)} action-level), {n_inst} institutions taking "
        f'part; <a href="#institutions-multi">{n_multi} institutions in more than one plan</a>; '
        f'<a href="#gap-populations">{len(gaps["declared-population-unserved"])} declared '
        f'populations no action serves</a>; <a href="#gap-gcm">'
        f"{len(gaps['gcm-objectives-unserved'])} GCM objectives no plan serves</a>; "
        f'<a href="#gap-no-responsible">{len(gaps["no-responsible"])} action-level elements with '
        f"no responsible institution</a>."
    )
    about = f"""<section id="about"><h2>About this report</h2>
<p class="lead">Generated {esc(report.generated)} by <code>plangraph report</code> from
<code>{esc(report.graph_file)}</code>. Every table is the result of a named SPARQL query of
<code>queries/</code> (run it yourself with <code>plangraph query NAME</code>):
<code>report/*</code>, <code>overlaps/institutions-across-plans</code>,
<code>overlaps/plan-matrix</code>, <code>gaps/*</code>, <code>reports/participations</code>; the
near-duplicates come from <code>plangraph.analysis.similarity</code> and the communities
from Louvain (<code>plangraph.report.exports</code>). What the plans say (elements, institutions,
roles, quotes) is
curated and checked against the source lines; themes, target populations, framework alignment and
normalised dates are derived by keyword matching and parsing, each with its evidence
(<code>plangraph tags ELEMENT</code>).</p>
<p class="lead">The sources open in <a href="sources.html" target="sources">sources.html</a>, one
anchor per line. The static figures are in <code>figures/</code> beside this file.</p></section>"""
    coord = coordination_data(page)
    data = {"coordination": coord, "planNetwork": plan_network_data(page)}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plangraph report — overlaps and gaps across {len(report.plans)} plans</title>
<style>{asset("report.css")}</style></head>
<body>
<header class="top"><h1>Overlaps and gaps across {len(report.plans)} action plans</h1>
<p>{summary}</p>
<p>Every row links to the words of the plan it comes from (<i>l. 30</i> opens the source at that
line). Tables sort when you click a header and filter as you type.</p></header>
<nav class="toc">{nav}</nav>
<main>
{plans_section(page)}
{overlaps}
{gap_html}
{heat}
{nets}
{timeline_section(page, rows, written)}
{about}
</main>
<footer>plangraph — a knowledge graph of public action plans. This page works offline and
prints.</footer>
<script type="application/json" id="report-data">{_json_for_script(data)}</script>
<script>{asset("network.js")}</script>
<script>{asset("report.js")}</script>
</body></html>
"""


def render_sources(report: Report, sources_dir: Path) -> str:
    """The source documents, one anchor per line: ``#<file>-L<n>``."""
    by_file: dict[str, list[Plan]] = defaultdict(list)
    for p in report.plans:
        if p.source_file:
            by_file[p.source_file].append(p)
    page = Page(report)
    sections = []
    nav = []
    for name in sorted(by_file):
        path = sources_dir / name
        if not path.is_file():
            raise PlangraphError(f"{path}: source document of plan {by_file[name][0].id} not found")
        lines = path.read_text(encoding="utf-8").splitlines()
        tags = " ".join(page.plan_tag(p.iri) for p in by_file[name])
        titles = "; ".join(p.title for p in by_file[name])
        nav.append(f'<a href="#{esc(name)}">{tags} {esc(name)}</a>')
        body = "\n".join(
            f'<div class="ln" id="{esc(name)}-L{i}"><a href="#{esc(name)}-L{i}">{i}</a>'
            f"<span>{esc(text)}</span></div>"
            for i, text in enumerate(lines, start=1)
        )
        sections.append(
            f'<section id="{esc(name)}"><h2>{tags} {esc(name)}</h2>'
            f'<p class="t">{esc(titles)}</p><div class="src">{body}</div></section>'
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plangraph report — source documents</title>
<style>{asset("sources.css")}</style></head>
<body><header><h1>Source documents</h1>
<p>The plan documents as text, verbatim, one numbered line per line of the file. Links from the
report highlight the lines a statement comes from. <a href="index.html">Back to the report</a>.</p>
<nav>{" ".join(nav)}</nav></header>
<main>{"".join(sections)}</main>
<script>{asset("sources.js")}</script>
</body></html>
"""


# ---------------------------------------------------------------------------------------------
# Entry point


def write_figures(
    report: Report,
    out: Path,
    matrices: Sequence[Matrix],
    rows: Sequence[figs.TimelineRow],
    say: Progress,
) -> dict[str, figs.Written]:
    """The static PNG and SVG figures under ``out/figures``."""
    from plangraph.report import exports as maps

    fig_dir = out / "figures"
    written: dict[str, figs.Written] = {}
    tags = [p.tag for p in report.plans]
    colours = [p.colour for p in report.plans]
    for m in matrices:
        say(f"figure: heatmap {m.key}")
        limit = 40 if m.key == "institution" else len(m.rows)
        title = f"{m.title} × plan"
        if limit < len(m.rows):
            title += f" (first {limit} of {len(m.rows)})"
        written["heatmap-" + m.key] = figs.heatmap(
            m.values[:limit], m.rows[:limit], tags, title, fig_dir / f"heatmap-{m.key}", colours
        )
    say("figure: institution network")
    written["network-institutions"] = maps.draw(
        "institutions", report.graphs["institutions"], fig_dir / "network-institutions"
    )
    say("figure: plan network")
    written["network-plans"] = maps.draw("plans", report.graphs["plans"], fig_dir / "network-plans")
    say("figure: timeline")
    written["timeline"] = figs.timeline(
        rows, fig_dir / "timeline", "Plan periods (bars) and dated action-level elements (◆)"
    )
    return written


def write_report(
    project: Project,
    out_dir: Path | None = None,
    nquads: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the report of the graph in ``nquads`` (default ``build/plangraph.nq``) to
    ``out_dir`` (default ``build/report``); return the path of ``index.html``."""
    say = progress or (lambda _m: None)
    graph_file = nquads or project.build_dir / "plangraph.nq"
    out = out_dir or project.build_dir / "report"
    say(f"loading {graph_file}")
    report = collect(open_dataset(graph_file, queries_dir=project.queries_dir), say)
    try:
        report.graph_file = str(graph_file.relative_to(project.root))
    except ValueError:
        report.graph_file = str(graph_file)
    page = Page(report)
    matrices = [
        concept_matrix(page, "theme", keep_zero_rows=False),
        concept_matrix(page, "population", keep_zero_rows=False),
        concept_matrix(page, "gcm", keep_zero_rows=True),
        institution_matrix(page),
    ]
    rows = timeline_rows(page)
    written = write_figures(report, out, matrices, rows, say)
    say("writing sources.html")
    write_text(out / "sources.html", render_sources(report, project.sources_dir))
    say("writing index.html")
    index = out / "index.html"
    write_text(index, render_index(report, written, matrices, rows))
    return index
