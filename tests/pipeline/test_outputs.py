"""The build's outputs: canonical literals in every serialisation (issue 15 item 11), one
published set (issue 15 item 8)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph

from plangraph.cli.main import main
from tests.conftest import MakeProject
from tests.helpers import seed_build

PG = "https://w3id.org/plangraph/ontology#"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


QUERIES = {
    "method": f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?t <{PG}method> "keyword" }} }}',
    "score": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?t <{PG}score> 0.9 }} }}",
}


def _triples_query(query: str) -> str:
    return query.replace("GRAPH ?g {", "{")


def _rdflib_counts(path: Path) -> dict[str, int]:
    if path.suffix == ".nt":
        graph = Graph().parse(path, format="nt")
        return {k: int(next(iter(graph.query(_triples_query(q))))[0]) for k, q in QUERIES.items()}
    ds = Dataset()
    ds.parse(path, format="nquads" if path.suffix == ".nq" else "trig")
    return {k: int(next(iter(ds.query(q)))[0]) for k, q in QUERIES.items()}


def _oxigraph_counts(path: Path) -> dict[str, int]:
    from plangraph.rdf.store import load_store

    store = load_store(path)
    out = {}
    for key, query in QUERIES.items():
        text = query if path.suffix != ".nt" else _triples_query(query)
        out[key] = int(next(iter(store.query(text)))[0].value)
    return out


@pytest.mark.parametrize("reader", ["rdflib", "pyoxigraph"])
def test_literals_are_canonical_in_every_serialisation(reader: str) -> None:
    """Issue 15 item 11: plangraph.nq wrote ``"keyword"^^xsd:string`` and ``"0.50"``, so
    rdflib matched ``pg:method "keyword"`` 0 times from the .nq but 577 times from the .trig,
    and ``pg:score 0.5`` 0 times (the seeds' scores are 0.9 now). Every serialisation now
    answers alike, in both readers."""
    outputs = seed_build().outputs
    count = _rdflib_counts if reader == "rdflib" else _oxigraph_counts
    counts = {kind: count(outputs[kind]) for kind in ("nquads", "trig", "ntriples")}
    assert counts["nquads"]["method"] > 100, counts
    assert counts["nquads"]["score"] > 0, counts
    assert counts["nquads"] == counts["trig"], counts
    # the union graph: the same taggings (no tagging is in two graphs)
    assert counts["nquads"] == counts["ntriples"], counts


def test_no_literal_is_written_in_a_non_canonical_form() -> None:
    text = seed_build().outputs["nquads"].read_text(encoding="utf-8")
    assert "^^<http://www.w3.org/2001/XMLSchema#string>" not in text
    for line in text.splitlines():
        if line.endswith("#decimal> .") or "#decimal> <" in line:
            value = line.split('"')[1]
            assert value == "0.0" or not (value.endswith("0") and "." in value[:-2]), line


# -- item 8: the build is published as one set -------------------------------------------------


def _outputs(root: Path) -> dict[str, bytes]:
    names = ("plangraph.nq", "plangraph.nt", "plangraph.trig", "plangraph.owl")
    return {name: (root / "build" / name).read_bytes() for name in names}


def _edit_plan(root: Path) -> None:
    plan = root / "graph" / "plans" / "mini-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("adopted", "draft"), encoding="utf-8")


@pytest.mark.parametrize("when", ["after the N-Quads", "after the TriG"])
def test_interrupted_build_leaves_the_previous_set_whole(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Issue 15 item 8: 5 of 20 interrupted builds left a new .nq beside an old .nt, which then
    counted as current. Now the previous set stays published, whole, and is not current."""
    from plangraph.pipeline import build as build_module
    from plangraph.pipeline.freshness import is_fresh
    from plangraph.project import Project

    root = make_project()
    assert run(root, "build").exit_code == 0
    before = _outputs(root)
    _edit_plan(root)
    assert not is_fresh(Project(root))

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    target = "_write_trig" if when == "after the N-Quads" else "unparsed_csv"
    monkeypatch.setattr(build_module, target, interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_module.build(Project(root))
    assert _outputs(root) == before
    assert not is_fresh(Project(root)), "a stale set must not count as current"
    assert not [p for p in (root / "build" / ".sets").iterdir() if p.name.startswith(".new")]
    monkeypatch.undo()
    assert run(root, "build").exit_code == 0
    assert is_fresh(Project(root))
    assert _outputs(root)["plangraph.nq"] != before["plangraph.nq"]


def test_a_file_of_the_set_changed_makes_the_build_stale(make_project: MakeProject) -> None:
    """Issue 15 item 8: freshness checks the whole set, not the .nq alone."""
    from plangraph.pipeline.freshness import is_fresh
    from plangraph.project import Project

    root = make_project()
    assert run(root, "build").exit_code == 0
    assert is_fresh(Project(root))
    nt = root / "build" / "plangraph.nt"
    old = nt.read_bytes()
    nt.unlink()
    nt.write_bytes(old[: len(old) // 2])  # an .nt of another build beside this .nq
    assert not is_fresh(Project(root))
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert nt.read_bytes() == old


# -- item 9: an output folder that cannot be written -------------------------------------------


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EROFS", "EACCES"])
def test_unwritable_output_is_a_clean_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, errno_name: str
) -> None:
    """Issue 15 item 9: a read-only or full output folder ended in a traceback. Now exit 2 with
    the reason, and the previous build stays published, whole."""
    import errno
    import os

    from plangraph.pipeline import build as build_module

    root = make_project()
    assert run(root, "build").exit_code == 0
    before = _outputs(root)
    _edit_plan(root)
    code = getattr(errno, errno_name)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(root / "build" / ".sets" / "x"))

    monkeypatch.setattr(build_module, "_write_trig", fail)
    result = run(root, "build")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and os.strerror(code) in result.output
    assert "cannot write the build" in result.output
    assert _outputs(root) == before


def test_output_folder_that_is_a_file(make_project: MakeProject, tmp_path: Path) -> None:
    """Issue 15 item 9: ``--out`` naming something that cannot hold a build."""
    root = make_project()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run(root, "build", "--out", str(blocker / "sub"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "cannot write the build" in result.output


# -- issue 16: incremental builds --------------------------------------------------------------


def _two_plan_project(make_project: MakeProject) -> Path:
    from tests.conftest import MINI_PLAN

    root = make_project()
    other = MINI_PLAN.replace("id: mini-plan", "id: other-plan")
    (root / "graph" / "plans" / "other-plan.yaml").write_text(other, encoding="utf-8")
    return root


def test_editing_one_plan_redoes_that_plan_only(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 16: a plan's compiled graph and tags are reused while the plan, its source, the
    authority file, the ontology folder and the code are unchanged; the result is the same
    bytes as a build from scratch."""
    from plangraph.pipeline.build import build
    from plangraph.pipeline.derive import tagger
    from plangraph.project import Project

    project = Project(_two_plan_project(make_project))
    first = build(project)
    assert sorted(first.remade) == ["mini-plan", "other-plan"]
    assert build(project).reused
    _edit_plan(project.root)
    second = build(project)
    assert second.remade == ("mini-plan",)
    scratch = build(project, out_dir=tmp_path / "scratch", force=True)
    assert sorted(scratch.remade) == ["mini-plan", "other-plan"]
    for kind, path in second.outputs.items():
        assert path.read_bytes() == scratch.outputs[kind].read_bytes(), kind
    # a change no plan depends on: the tagger (and its lemma dictionaries) is not even built
    (project.sources_dir / "unrelated.txt").write_text("x", encoding="utf-8")

    def no_tagger(*_args: object) -> None:
        raise AssertionError("the tagger was built")

    monkeypatch.setattr(tagger.Tagger, "of", no_tagger)
    third = build(project)
    assert not third.reused and third.remade == ()


def test_an_edited_source_redoes_its_plans(make_project: MakeProject) -> None:
    from plangraph.errors import InputError
    from plangraph.pipeline.build import build
    from plangraph.project import Project

    project = Project(_two_plan_project(make_project))
    build(project)
    source = project.sources_dir / "mini.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Capacitar", "Formar"), "utf-8")
    with pytest.raises(InputError, match="does not stand at lines"):
        build(project)  # the fidelity check runs again for both plans


def test_plans_tagged_in_two_processes_give_the_same_bytes(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 16: large batches of plans are compiled and tagged in forked processes (each
    inherits the one tagger); the outputs are those of one process."""
    from plangraph.pipeline import incremental
    from plangraph.pipeline.build import build
    from plangraph.project import Project

    project = Project(_two_plan_project(make_project))
    serial = build(project, out_dir=tmp_path / "serial")
    monkeypatch.setattr(incremental, "PARALLEL_MIN_ELEMENTS", 0)
    parallel = build(project, out_dir=tmp_path / "parallel")
    assert sorted(parallel.remade) == ["mini-plan", "other-plan"]
    for kind, path in serial.outputs.items():
        assert path.read_bytes() == parallel.outputs[kind].read_bytes(), kind


def test_problems_found_while_tagging_in_two_processes_are_all_reported(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plangraph.errors import InputError
    from plangraph.pipeline import incremental
    from plangraph.pipeline.build import build
    from plangraph.project import Project
    from tests.conftest import MINI_PLAN

    bad = MINI_PLAN.replace(
        "            timeframe: 6 meses\n",
        "            timeframe: 6 meses\n            tags: {themes: [no-such-theme]}\n",
    )
    root = make_project(plan=bad)
    other = bad.replace("id: mini-plan", "id: other-plan")
    (root / "graph" / "plans" / "other-plan.yaml").write_text(other, encoding="utf-8")
    monkeypatch.setattr(incremental, "PARALLEL_MIN_ELEMENTS", 0)
    with pytest.raises(InputError) as info:
        build(Project(root))
    assert len(info.value.problems) == 2, info.value.problems
    assert all("no-such-theme" in p.message for p in info.value.problems)
    assert not (root / "build").exists()


def test_the_plan_by_plan_build_derives_what_the_whole_corpus_derives() -> None:
    """Regression (issue 16 merge): the build that derives plan by plan dropped the triples a
    plan's resolutions add about shared nodes (``pg:standsFor`` of a generic agent and its
    resolution's activity), and a corpus-level tagging feature made a plan's tags depend on the
    other plans. The published derived graph must hold what deriving the whole corpus at once
    gives, value for value."""
    from rdflib import Dataset, Literal, URIRef

    from plangraph.pipeline.build import load_inputs
    from plangraph.pipeline.derive.graph import derive
    from plangraph.pipeline.loader import load_corpus
    from plangraph.project import Project
    from tests.helpers import ROOT, seeds_dataset

    def values(graph: Iterable[tuple[object, object, object]]) -> set[tuple[object, ...]]:
        return {
            (s, p, (o.toPython(), o.language) if isinstance(o, Literal) else o) for s, p, o in graph
        }

    project = Project(ROOT)
    whole = derive(load_corpus(project), load_inputs(project).vocabularies).graph
    published = Dataset()
    published.parse(seeds_dataset(), format="nquads")
    derived = published.graph(URIRef("https://w3id.org/plangraph/graph/derived"))
    expected, got = values(whole), values(derived)
    assert expected - got == set()
    # the build adds only the description of the derived graph itself
    assert {s for s, _p, _o in got - expected} == {derived.identifier}
