"""Whether the built graph is current, and building it when it is not.

Every command that reads the graph, and :func:`plangraph.open`, asks :func:`current_build`, so
no answer comes from a graph older than the plan files, sources, institutions, ontology,
vocabularies or plangraph's own code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from plangraph.project import Project

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""plangraph's own code: a change to it may change what a build writes."""


def newest_input(project: Project) -> float:
    """The modification time of the newest input of a build."""
    newest = 0.0
    for folder, pattern in (
        (project.graph_dir, "*"),
        (project.ontology_dir, "*"),
        (PACKAGE_DIR, "*.py"),
    ):
        for path in folder.rglob(pattern):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def is_fresh(project: Project) -> bool:
    """Whether ``build/plangraph.nq`` exists and is newer than every input of the build."""
    nquads = project.build_dir / "plangraph.nq"
    return nquads.is_file() and nquads.stat().st_mtime >= newest_input(project)


def current_build(
    project: Project, *, rebuild: bool = False, progress: Callable[[str], None] | None = None
) -> Path:
    """``build/plangraph.nq``, built first when it is missing or older than any of its inputs
    (or always, with ``rebuild``); ``progress`` hears what happens."""
    from plangraph.pipeline.build import build  # the build loads rdflib; most callers need not

    nquads = project.build_dir / "plangraph.nq"
    if rebuild or not is_fresh(project):
        if progress is not None:
            progress(f"{nquads} is missing or older than its inputs: building it")
        nquads = build(project, progress=progress).outputs["nquads"]
    return nquads
