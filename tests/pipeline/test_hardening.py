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
