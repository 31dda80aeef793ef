"""Regression tests for the bad-input and data-safety defects of issue 15 (items 5-9): every
one ends in ``file:line: field: message`` and exit 2, never a traceback, and nothing is
written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plangraph.cli.main import main
from tests.conftest import MINI_INSTITUTIONS, MINI_PLAN, MakeProject


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def assert_refused(result: Result, *needles: str) -> None:
    """Exit 2, no traceback, each needle in the output."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    flat = result.output.replace("\n", "")
    for needle in needles:
        assert needle in flat, result.output


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if marker in line)


# -- item 5: sources stay inside graph/sources/ ------------------------------------------------


@pytest.mark.parametrize("name", ["/etc/hostname", "../" * 30 + "etc/hostname"])
def test_source_outside_graph_sources_is_refused(make_project: MakeProject, name: str) -> None:
    """Issue 15 item 5: ``source: /etc/hostname`` was read and passed the fidelity check."""
    plan = MINI_PLAN.replace("source: mini.txt", f"source: {name}")
    root = make_project(plan=plan)
    for command in ("check", "build"):
        result = run(root, command)
        assert_refused(result, f"mini-plan.yaml:{line_of(plan, 'source:')}: plan.source:")
        assert "hostname" in result.output
    assert not (root / "build").exists()


def test_source_symlink_out_of_graph_sources_is_refused(make_project: MakeProject) -> None:
    """Issue 15 item 5: a symlink inside graph/sources/ that points out of it."""
    root = make_project()
    (root / "graph" / "sources" / "escape.txt").symlink_to("/etc/hostname")
    plan = MINI_PLAN.replace("source: mini.txt", "source: escape.txt")
    (root / "graph" / "plans" / "mini-plan.yaml").write_text(plan, encoding="utf-8")
    assert_refused(run(root, "check"), "plan.source:", "leads out of")


def test_mention_source_outside_graph_sources_is_refused(make_project: MakeProject) -> None:
    """Issue 15 item 5: the authority file's mentions obey the same rule."""
    institutions = MINI_INSTITUTIONS.replace("source: mini.txt", "source: /etc/hostname")
    root = make_project(institutions=institutions)
    line = line_of(institutions, "source:")
    where = f"institutions.yaml:{line}: institutions[0].mentions[0].source:"
    assert_refused(run(root, "check"), where)


def test_source_in_a_subfolder_of_graph_sources_is_read(make_project: MakeProject) -> None:
    root = make_project()
    sub = root / "graph" / "sources" / "sub"
    sub.mkdir()
    os.replace(root / "graph" / "sources" / "mini.txt", sub / "mini.txt")
    (root / "graph" / "sources" / "mini.txt").symlink_to("sub/mini.txt")  # a link inside is fine
    plan = MINI_PLAN.replace("source: mini.txt", "source: sub/mini.txt")
    (root / "graph" / "plans" / "mini-plan.yaml").write_text(plan, encoding="utf-8")
    result = run(root, "check")
    assert result.exit_code == 0, result.output


# -- item 6: YAML aliases ----------------------------------------------------------------------

BOMB = """lol: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
""" + "".join(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]\n" for i in range(1, 10))


def test_yaml_alias_bomb_in_a_plan_file_is_refused(make_project: MakeProject) -> None:
    """Issue 15 item 6: a billion-laughs plan file never finished loading (RSS grew ~30 MB/s)."""
    plan = MINI_PLAN.replace("plan:\n", BOMB.replace("lol:", "x-lol:", 1) + "plan:\n", 1)
    root = make_project(plan=plan)
    result = run(root, "check")
    assert_refused(result, f"mini-plan.yaml:{line_of(plan, '*lol0')}:", "aliases")


def test_yaml_alias_bomb_in_institutions_is_refused(make_project: MakeProject) -> None:
    """Issue 15 item 6: the authority file is read the same way."""
    institutions = BOMB + MINI_INSTITUTIONS
    root = make_project(institutions=institutions)
    assert_refused(run(root, "check"), f"institutions.yaml:{line_of(institutions, '*lol0')}:")


def test_a_single_alias_is_refused(make_project: MakeProject) -> None:
    plan = MINI_PLAN.replace("status: adopted", "status: &s adopted\n  version: *s")
    root = make_project(plan=plan)
    assert_refused(run(root, "check"), f"mini-plan.yaml:{line_of(plan, 'version: *s')}:")


# -- item 7: what the build cannot write, check refuses ----------------------------------------


def test_string_over_the_limit_is_refused_by_check(make_project: MakeProject) -> None:
    """Issue 15 item 7: a 17 MiB string passed ``check``; ``build`` then wrote plangraph.nq,
    died with a traceback (pyoxigraph's 16 MiB line buffer) and left a mixed build."""
    plan = MINI_PLAN.replace(
        "  status: adopted\n", "  status: adopted\n  note: " + "a" * 17 * 2**20 + "\n"
    )
    root = make_project(plan=plan)
    line = line_of(plan, "note:")
    for command in ("check", "build"):
        result = run(root, command)
        assert_refused(result, f"mini-plan.yaml:{line}: plan.note:", "1,048,576 characters")
    assert not (root / "build").exists()


def test_element_iri_over_the_limit_is_refused(make_project: MakeProject) -> None:
    plan = MINI_PLAN.replace('code: "1.1"', 'code: "' + "1" * 5000 + '"')
    root = make_project(plan=plan)
    line = line_of(plan, 'code: "111')
    assert_refused(run(root, "check"), f"mini-plan.yaml:{line}:", "longer than 4,096")


# -- item 9: tracebacks instead of file:line: field: message -----------------------------------


def test_directory_named_like_a_plan_file(make_project: MakeProject) -> None:
    """Issue 15 item 9: a directory ``x.yaml`` in graph/plans/ ended in IsADirectoryError."""
    root = make_project()
    (root / "graph" / "plans" / "x.yaml").mkdir()
    for command in ("check", "build"):
        assert_refused(run(root, command), "x.yaml:", "is a directory")


def test_symlink_loop_in_plans(make_project: MakeProject) -> None:
    """Issue 15 item 9: a symlink loop ended in OSError (too many levels of symbolic links)."""
    root = make_project()
    (root / "graph" / "plans" / "loop.yaml").symlink_to("loop.yaml")
    assert_refused(run(root, "check"), "loop.yaml:", "cannot read")


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!foo", "!!binary"])
def test_unknown_yaml_tag_on_a_scalar(make_project: MakeProject, tag: str) -> None:
    """Issue 15 item 9: an unknown tag on a scalar ended in ConstructorError."""
    plan = MINI_PLAN.replace("status: adopted", f"status: {tag} adopted")
    root = make_project(plan=plan)
    assert_refused(run(root, "check"), f"mini-plan.yaml:{line_of(plan, 'status:')}: plan.status:")


@pytest.mark.parametrize("value", ["2017-02-30", '"2017-02-30"', '"2017-13"'])
def test_impossible_date(make_project: MakeProject, value: str) -> None:
    """Issue 15 item 9: ``2017-02-30`` ended in ValueError (day is out of range for month);
    quoted, it passed and was written as an invalid xsd:date."""
    plan = MINI_PLAN.replace('period: {start: "2020", end: "2021"}', f"period:\n    start: {value}")
    root = make_project(plan=plan)
    line = line_of(plan, "start:")
    assert_refused(run(root, "build"), f"mini-plan.yaml:{line}: plan.period.start:", "not a date")
    assert not (root / "build").exists()


@pytest.mark.parametrize(("first", "second"), [("Hito 3", "hito-3"), ("IV", "IV."), (None, "n1")])
def test_element_codes_that_collide_in_an_iri(
    make_project: MakeProject, first: str | None, second: str
) -> None:
    """Issue 15 item 9: codes that differ only in what the IRI slug drops (or a code ``n1``
    beside an uncoded sibling of the same kind) passed ``check`` and made ``build`` fail
    without a line."""
    code = f'        code: "{first}"\n' if first else ""
    plan = MINI_PLAN.replace(
        """      - kind: result
        code: "1"
""",
        f"""      - kind: result
{code}        text: Niñez informada sobre sus derechos.
        lines: 3
      - kind: result
        code: "{second}"
""",
    )
    root = make_project(plan=plan)
    line = line_of(plan, f'code: "{second}"')
    for command in ("check", "build"):
        result = run(root, command)
        assert_refused(result, f"mini-plan.yaml:{line}: elements[0].children[1].code:", "same IRI")
