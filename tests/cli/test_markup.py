"""User text prints as it is: rich markup in errors, progress lines, tables and ``validate``
output is never read as markup (issue 15 item 10: ``^[a-z0-9]+(-[a-z0-9]+)*$`` printed as
``'^+(-+)*$'``, and a quote holding ``[bold]…[/bold]`` lost its brackets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plangraph.cli.main import main
from tests.conftest import MINI_PLAN, MINI_SOURCE, MakeProject

PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
MARKUP = "[bold]Capacitar[/bold] a [red]funcionarios[/red] consulares [link=x]."


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def test_a_pattern_in_an_error_prints_as_it_is(make_project: MakeProject) -> None:
    root = make_project(plan=MINI_PLAN.replace("id: mini-plan", "id: Mini Plan"))
    result = run(root, "check")
    assert result.exit_code == 2, result.output
    assert PATTERN in result.output.replace("\n", ""), result.output


def test_a_quote_with_markup_in_an_error_prints_as_it_is(make_project: MakeProject) -> None:
    plan = MINI_PLAN.replace("text: Capacitar a funcionarios consulares.", f"text: '{MARKUP}'")
    root = make_project(plan=plan)
    result = run(root, "check")
    assert result.exit_code == 2, result.output
    assert "[bold]Capacitar[/bold] a [red]funcionarios[/red]" in result.output, result.output


@pytest.fixture
def marked_project(make_project: MakeProject, tmp_path: Path) -> Path:
    """A project whose folder name and one element's text hold markup."""
    source = MINI_SOURCE.replace("Capacitar a funcionarios consulares.", MARKUP)
    plan = MINI_PLAN.replace("text: Capacitar a funcionarios consulares.", f"text: '{MARKUP}'")
    root = make_project(plan=plan, source=source)
    marked = tmp_path / "[bold]plans[/bold]"
    shutil.move(root, marked)
    return marked


def test_progress_lines_and_outputs_print_as_they_are(marked_project: Path) -> None:
    result = run(marked_project, "build")
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "[bold]plans[/bold]" in flat, result.output  # the output paths
    result = run(marked_project, "validate", "--no-owl")
    report = marked_project / "build" / "validation.json"
    assert f"report: {report}" in result.output.replace("\n", ""), result.output


def test_tables_print_user_text_as_it_is(marked_project: Path) -> None:
    result = run(marked_project, "query", "reports/element-texts", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "[bold]Ca" in result.output and "[red]fun" in result.output, result.output


def test_build_summary_tables_escape_kinds_and_roles(capsys: pytest.CaptureFixture[str]) -> None:
    from plangraph.cli.build import print_stats

    stats = {
        "p[i]": {
            "status": "[bold]adopted[/bold]",
            "elements": {"[red]kind[/red]": 1},
            "roles": {"[b]role[/b]": {"institutions": 1, "participations": 1}},
            "elements_with_institution": 1,
            "populations": 0,
            "citations": 0,
            "elements_with_timeframe": 0,
            "distinct_timeframe_texts": 0,
        }
    }
    print_stats(stats)
    printed = capsys.readouterr().out
    for text in ("[bold]adopted[/bold]", "[red]kind[/red]", "[b]role[/b]", "p[i]"):
        assert text in printed, printed


def test_the_summary_of_many_plans_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    """Regression (3.2M-quad benchmark): with a column per plan, the build summary of 380 plans
    printed boxes with no numbers. Beyond a few plans it gives corpus totals and the largest
    plans, one row each (user text still escaped)."""
    from plangraph.cli.build import LARGEST, WIDE, print_stats

    def plan(n: int) -> dict[str, object]:
        return {
            "status": "[bold]adopted[/bold]",
            "elements": {"action": n, "[red]kind[/red]": 1},
            "roles": {"responsible": {"institutions": 1, "participations": n}},
            "elements_with_institution": n,
            "populations": 0,
            "citations": 0,
            "elements_with_timeframe": 0,
            "distinct_timeframe_texts": 0,
        }

    count = max(WIDE, LARGEST) + 5
    print_stats({f"plan-{n:03d}[x]": plan(n) for n in range(1, count + 1)})
    printed = " ".join(capsys.readouterr().out.split())
    total = sum(range(1, count + 1))
    assert f"{count} plans" in printed and str(total) in printed  # actions and participations
    assert f"plan-{count:03d}[x]" in printed  # the largest plan, escaped
    assert "plan-001[x]" not in printed  # the smallest are summarised
    assert f"and {count - LARGEST} more plans" in printed
    assert "[red]kind[/red]" in printed
