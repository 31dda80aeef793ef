"""Section 5, networks: the institution coordination network (5.1) and the plan–plan overlap
network (5.2). The page's script draws them from the data prepared here (``#report-data``) and
rebuilds the coordination network for each filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from plangraph.analysis.kinds import MATRIX_MEASURES
from plangraph.report.common import as_bool, as_int, clip, local
from plangraph.report.exports.graph import type_colours
from plangraph.report.figures import CATEGORY_COLOURS
from plangraph.report.view import Lookup, static_figure


def coordination_data(look: Lookup) -> dict[str, Any]:
    """The data of the interactive coordination network (rebuilt in the browser per filter)."""
    r = look.r
    themes_of: dict[str, list[str]] = defaultdict(list)
    for ec in r.element_concepts:
        if ec.get("scheme") == "theme":
            themes_of[ec["element"]].append(local(ec["concept"]))
    elements: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    participations = []
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
                    "label": look.element_name(el_iri),
                    "text": clip(p.quote if p else "", 400),
                    "src": p.anchor if p else "",
                    "lines": f"l. {p.lines}" if p else "",
                    "action": as_bool(part.get("action_level")),
                    "themes": sorted(set(themes_of.get(el_iri, []))),
                }
            )
        participations.append([part["id"], index[el_iri], part["role"]])
    institutions = {}
    for inst_id in sorted({p[0] for p in participations}):
        info = r.institutions.get(inst_id, {})
        institutions[inst_id] = {
            "label": look.inst_label(inst_id),
            "short": look.inst_short(inst_id),
            "type": info.get("type") or "other",
            "typeLabel": info.get("type_label") or info.get("type") or "other",
            "generic": as_bool(info.get("is_generic")),
            "community": r.communities.get(inst_id, -1),
        }
    return {
        "plans": [
            {"id": p.iri, "tag": p.tag, "color": p.colour, "title": p.title} for p in r.plans
        ],
        "institutions": institutions,
        "elements": elements,
        "participations": participations,
        # colours of organisation types, as in the maps and figures
        "typeColours": type_colours(
            [str(i.get("type") or "other") for i in r.institutions.values()]
        ),
        "communityColours": CATEGORY_COLOURS,
    }


def plan_network_data(look: Lookup) -> dict[str, Any]:
    """The data of the plan–plan overlap network: plans, and per pair what they share."""
    r = look.r
    insts: dict[str, set[str]] = defaultdict(set)
    for part in r.participations:
        insts[part["plan"]].add(part["id"])
    nodes = [
        {
            "id": p.iri,
            "tag": p.tag,
            "short": clip(p.title, 40),
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
        a, b = look.plans.get(row["plan_a"]), look.plans.get(row["plan_b"])
        if a is None or b is None:
            continue
        edges.append(
            {
                "source": a.iri,
                "target": b.iri,
                "sourceTag": a.tag,
                "targetTag": b.tag,
                **{k: as_int(row.get(k)) for k in MATRIX_MEASURES if k != "concept_similarity"},
                "concept_similarity": round(float(row.get("concept_similarity") or 0.0), 2),
            }
        )
    return {"nodes": nodes, "edges": edges}


def prepare(look: Lookup, written: Mapping[str, Any]) -> dict[str, Any]:
    """The context of ``sections/networks.html``."""
    r = look.r
    sizes: dict[int, int] = defaultdict(int)
    for c in r.communities.values():
        sizes[c] += 1
    return {
        "plans": [(p.iri, p.tag, clip(p.title, 60)) for p in r.plans],
        "themes": sorted(
            {
                (look.concept_label(ec["concept"]), local(ec["concept"]))
                for ec in r.element_concepts
                if ec.get("scheme") == "theme"
            }
        ),
        "roles": sorted({p["role"] for p in r.participations if p.get("element")}),
        "n_institutions": len(r.communities),
        "n_communities": sum(1 for n in sizes.values() if n > 1),
        "n_alone": sum(1 for n in sizes.values() if n == 1),
        "institutions_figure": static_figure(
            written.get("network-institutions"),
            "Institution co-responsibility network, all plans (networkx + matplotlib)",
        ),
        "plans_figure": static_figure(
            written.get("network-plans"),
            "Plan–plan overlap network, edges = shared institutions, themes, populations and "
            "framework objectives (networkx + matplotlib)",
        ),
    }
