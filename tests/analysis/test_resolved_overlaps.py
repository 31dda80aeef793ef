"""overlaps/institutions-across-plans-resolved on the seeds: named and derived links checked
against the plan files and the authority file, the same answer on a second engine (rdflib), and
the API kind ``institutions-resolved``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
import pytest
import yaml
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from plangraph.analysis.api import PlanGraph
from plangraph.analysis.api import open as open_dataset
from plangraph.analysis.catalogue import catalogue
from plangraph.pipeline.build import load_inputs
from plangraph.project import Project
from tests.helpers import ROOT, seeds_dataset
from tests.pipeline.derive.test_generic_agents import _expected_from_files

NAME = "overlaps/institutions-across-plans-resolved"
PLAN = "https://w3id.org/plangraph/plan/"
INST = "https://w3id.org/plangraph/institution/"
NETWORK = "crm-nna-liaison-network-2017-2022"
MATRIX = "crm-nna-reintegration-matrix"


@pytest.fixture(scope="module")
def seeds() -> PlanGraph:
    return open_dataset(seeds_dataset(), queries_dir=ROOT / "queries")


@pytest.fixture(scope="module")
def frame(seeds: PlanGraph) -> pd.DataFrame:
    return seeds.query(NAME)


def _short(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).removeprefix(PLAN).removeprefix(INST)


def _files() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    authority = yaml.safe_load((ROOT / "graph" / "institutions.yaml").read_text(encoding="utf-8"))
    plans = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "graph" / "plans").glob("*.yaml"))
    ]
    return {i["id"]: i for i in authority["institutions"]}, plans


def _namings() -> dict[tuple[str, str], list[tuple[str, str | None, int | None]]]:
    """(institution, plan) → [(role, mention text, element number)] from the plan files
    (publishing: no text, no element)."""
    _, plans = _files()
    out: dict[tuple[str, str], list[tuple[str, str | None, int | None]]] = defaultdict(list)
    for data in plans:
        pid = data["plan"]["id"]
        for inst in data["plan"].get("issuer") or []:
            out[(inst, pid)].append(("publisher", None, None))
        stack = list(data["elements"])
        number = 0
        while stack:
            el = stack.pop()
            number += 1
            for part in el.get("institutions") or []:
                out[(part["id"], pid)].append((part["role"], part["text"], number))
            stack += el.get("children") or []
    return out


def _expected_links() -> set[tuple[str, str, str, str | None]]:
    """(institution, plan, link, via) of named bodies in two or more plans, from the files."""
    insts, _ = _files()
    links: set[tuple[str, str, str, str | None]] = {
        (inst, plan, "named", None) for inst, plan in _namings() if not insts[inst].get("generic")
    }
    vocab = load_inputs(Project(ROOT)).vocabularies
    links |= {(inst, plan, "derived", via) for plan, via, inst in _expected_from_files(vocab)}
    plans: dict[str, set[str]] = defaultdict(set)
    for inst, plan, _, _ in links:
        plans[inst].add(plan)
    return {link for link in links if len(plans[link[0]]) > 1}


def test_rows_match_the_plan_files(frame: pd.DataFrame) -> None:
    got = {
        (_short(r.institution), _short(r.plan), r.link, _short(r.via)) for r in frame.itertuples()
    }
    assert got == _expected_links()
    assert len(got) == len(frame), "one row per institution, plan, link and via"
    plans: dict[str | None, set[str | None]] = defaultdict(set)
    for inst, plan, _, _ in got:
        plans[inst].add(plan)
    for row in frame.itertuples():
        assert row.n_plans == len(plans[_short(row.institution)])


def test_roles_and_words_of_each_link_are_the_plans(frame: pd.DataFrame) -> None:
    namings = _namings()
    for row in frame.itertuples():
        named_as = _short(row.via) if row.link == "derived" else _short(row.institution)
        found = namings[(str(named_as), str(_short(row.plan)))]
        assert set(row.roles.split(", ")) == {role for role, _, _ in found}, row
        texts = {" ".join(t.split()) for _, t, _ in found if t}
        assert set(filter(None, row.mentions.split(" | "))) == texts, row
        assert row.n_elements == len({n for _, _, n in found if n is not None}), row
        if row.link == "derived":
            assert row.via_label and isinstance(row.explanation, str) and row.explanation
            assert row.explanation.startswith(str(_short(row.plan)) + " names ")
        else:
            assert _short(row.via) is None and _short(row.explanation) is None


def test_guatemalas_foreign_ministry_in_five_plans(frame: pd.DataFrame) -> None:
    minex = frame[frame.institution == INST + "gt-minex"]
    links = {
        (_short(p), link, _short(v))
        for p, link, v in zip(minex.plan, minex.link, minex.via, strict=True)
    }
    assert links == {
        (NETWORK, "derived", "generic-foreign-ministries"),
        (MATRIX, "derived", "generic-foreign-ministries"),
        ("gt-congress-migrants-commission-2009-2012", "named", None),
        ("gt-crm-workshop-nna-plan", "named", None),
        ("gt-ogp-nap6-2023-2025", "named", None),
    }
    assert set(minex.n_plans) == {5}
    network = minex[minex.plan == PLAN + NETWORK].iloc[0]
    assert network.via_label == "Ministerios de Relaciones Exteriores"
    assert network.mentions == "Ministerios de Relaciones Exteriores y OIM"
    assert network.roles == "responsible"
    assert "GT is a member" in network.explanation


def test_a_body_that_publishes_and_takes_part_keeps_its_words(frame: pd.DataFrame) -> None:
    """The workshop plan is published by MINTRAB, which also takes part in it: its words and
    elements are listed (a publishing row has neither, which must not blank the others)."""
    row = frame[
        (frame.institution == INST + "gt-mintrab")
        & (frame.plan == PLAN + "gt-crm-workshop-nna-plan")
    ].iloc[0]
    assert "publisher" in row.roles.split(", ")
    assert row.mentions and not row.mentions.startswith(" |") and not row.mentions.endswith("| ")
    assert len(row.elements.split(" ")) == row.n_elements
    only_publishes = frame[
        (frame.institution == INST + "gt-igm") & (frame.plan == PLAN + "gt-crm-workshop-nna-plan")
    ].iloc[0]
    assert only_publishes.roles == "publisher"
    assert only_publishes.mentions == "" and only_publishes.elements == ""


def test_the_institution_parameter_and_the_overlaps_kind(seeds: PlanGraph) -> None:
    one = seeds.query(NAME, institution=INST + "gt-renap")
    assert {(_short(p), link) for p, link in zip(one.plan, one.link, strict=True)} == {
        (NETWORK, "derived"),
        ("gt-crm-workshop-nna-plan", "named"),
    }
    kind = seeds.overlaps("institutions-resolved", institution=INST + "gt-renap")
    assert kind.equals(one)


def test_the_same_rows_on_rdflib(frame: pd.DataFrame) -> None:
    ds = Dataset(default_union=True)
    ds.parse(seeds_dataset(), format="nquads")
    rows = list(ds.query(prepareQuery(catalogue()[NAME].text)))

    def key(inst: Any, plan: Any, link: Any, via: Any) -> tuple[str | None, ...]:
        return (_short(inst), _short(plan), str(link), _short(via))

    def values(roles: Any, mentions: Any, elements: Any, n: Any, expl: Any) -> tuple[Any, ...]:
        return (
            sorted(str(roles).split(", ")),
            sorted(str(mentions).split(" | ")),
            sorted(str(elements).split(" ")),
            int(n),
            _short(expl),
        )

    other = {
        key(r.institution, r.plan, r.link, r.via): values(
            r.roles, r.mentions, r.elements, r.n_elements, r.explanation
        )
        for r in rows
    }
    mine = {
        key(r.institution, r.plan, r.link, r.via): values(
            r.roles, r.mentions, r.elements, r.n_elements, r.explanation
        )
        for r in frame.itertuples()
    }
    assert other == mine
