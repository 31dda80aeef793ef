"""What every command module shares: friendly errors (exit 2, never a traceback) and finding
the project from the ``--root`` option."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from plangraph.errors import InputError, PlangraphError
from plangraph.project import Project

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True)


def friendly(fn: F) -> F:
    """Turn plangraph errors into a clear message and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                err.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
            err.print(f"{len(exc.problems)} problem(s); nothing was written.")
            sys.exit(2)
        except PlangraphError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def data_file_option(fn: F) -> F:
    """``--data FILE``: read this dataset instead of ``build/plangraph.nq``."""
    return click.option(
        "--data",
        "data_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read this dataset (.nq or .trig) instead of build/plangraph.nq.",
    )(fn)


def current_build(project: Project) -> Path:
    """``build/plangraph.nq``, built first when it is missing or older than any of its inputs
    (plan files, sources, institutions, ontology, vocabularies, plangraph's code), so no command
    answers from a stale graph."""
    from plangraph.analysis.api import is_fresh
    from plangraph.pipeline.build import build

    nquads = project.build_dir / "plangraph.nq"
    if not is_fresh(project):
        err.print(f"[dim]… {nquads} is missing or older than its inputs: building it[/dim]")
        nquads = build(project, progress=lambda m: err.print(f"[dim]… {m}[/dim]")).outputs["nquads"]
    return nquads


def project_of(ctx: click.Context) -> Project:
    """The project named by ``--root`` (or found from the working directory)."""
    root = ctx.obj.get("root") if ctx.obj else None
    return Project.discover(Path(root) if root else None)
