"""The benchmark corpus generator (benchmarks/generate.py): its projects load, compile to the
size it estimates, and are deterministic for a seed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plangraph.pipeline.build import load_inputs
from plangraph.pipeline.compiler import compile_corpus
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for sub in ("graph/plans", "graph/sources"):
        for f in sorted((root / sub).iterdir()):
            out[f"{sub}/{f.name}"] = f.read_bytes()
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, generate.Generated]:
    root = tmp_path_factory.mktemp("gen") / "project"
    return Project(root), generate.generate(root, plans=5, seed=7)


def test_generated_project_loads_with_fidelity(
    project: tuple[Project, generate.Generated],
) -> None:
    proj, gen = project
    corpus = load_corpus(proj)  # schema, institutions, hierarchy rules, every quote at its lines
    assert len(corpus.plans) == 5 == gen.plans
    assert gen.by_layout == {layout: 1 for layout in generate.LAYOUTS}
    kinds = {el.kind.value for plan in corpus.plans for _, el, _ in plan.walk()}
    assert {"axis", "commitment", "milestone", "immediate_step", "activity", "strength"} <= kinds
    assert sum(1 for plan in corpus.plans for _ in plan.walk()) == gen.elements
    assert all(plan.record.plan.populations for plan in corpus.plans)
    assert any(plan.record.plan.cites for plan in corpus.plans)
    elements = [el for p in corpus.plans for _, el, _ in p.walk()]
    roles = {ref.role.value for el in elements for ref in el.institutions}
    assert {"responsible", "supporting", "involved", "accompanying"} <= roles
    multi = [el.lines for el in elements if len(el.lines) > 1]
    assert multi, "some texts are split by a page break"


def test_timeframes_of_every_kind(project: tuple[Project, generate.Generated]) -> None:
    proj, _ = project
    texts: set[str] = set()
    for plan in load_corpus(proj).plans:
        for _, el, _ in plan.walk():
            texts |= {t for t in (el.timeframe, el.start, el.end) if t}
            texts |= {s.text for s in el.schedule}
    joined = "\n".join(texts)
    for expected in ("meses", "plazo", "Continuo", "Semestre", "Por definir", "Dos veces al año"):
        assert expected in joined, expected
    assert any(t.split()[0] in generate.MONTHS for t in texts), "month-year dates"


def test_estimate_matches_the_compiler(project: tuple[Project, generate.Generated]) -> None:
    proj, gen = project
    dataset = compile_corpus(load_corpus(proj), load_inputs(proj))
    plan_quads = sum(
        len(g) for g in dataset.graphs() if str(g.identifier).startswith(generate.PLAN_GRAPHS)
    )
    assert abs(plan_quads - gen.estimated_triples) <= 0.02 * plan_quads


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b, c, d = (tmp_path / n for n in "abcd")
    generate.generate(a, plans=3, seed=1)
    generate.generate(b, plans=3, seed=1)
    generate.generate(c, plans=3, seed=2)
    generate.generate(d, plans=2, seed=1)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)
    smaller = _files(d)
    assert {k: v for k, v in _files(a).items() if k in smaller} == smaller  # a prefix


def test_size_is_thousands_of_plan_triples(tmp_path: Path) -> None:
    gen = generate.generate(tmp_path / "p", size=5, seed=3)
    assert 5_000 <= gen.estimated_triples < 5_000 + 6_000  # one plan past the budget at most
