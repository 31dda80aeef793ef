"""Where a plangraph project keeps its files (see docs/architecture.md, "Layout")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plangraph.errors import PlangraphError


@dataclass(frozen=True)
class Project:
    """Paths of one plangraph project tree.

    >>> p = Project(Path("/data/myplans"))
    >>> p.plans_dir
    PosixPath('/data/myplans/graph/plans')
    """

    root: Path
    graph: Path | None = None
    """Another folder to read the curated data from (default ``<root>/graph``): a second
    corpus that shares the project's ontology, vocabularies and queries."""

    @property
    def graph_dir(self) -> Path:
        """``graph/``: curated data."""
        return self.graph if self.graph is not None else self.root / "graph"

    @property
    def plans_dir(self) -> Path:
        """``graph/plans/``: one YAML file per plan."""
        return self.graph_dir / "plans"

    @property
    def sources_dir(self) -> Path:
        """``graph/sources/``: the plan documents as text, verbatim."""
        return self.graph_dir / "sources"

    @property
    def institutions_file(self) -> Path:
        """``graph/institutions.yaml``: the institution authority file."""
        return self.graph_dir / "institutions.yaml"

    @property
    def ontology_dir(self) -> Path:
        """``ontology/``: OWL ontology, SHACL shapes and SKOS vocabularies."""
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        """``ontology/plangraph.ttl``."""
        return self.ontology_dir / "plangraph.ttl"

    @property
    def shapes_dir(self) -> Path:
        """``ontology/shapes/``."""
        return self.ontology_dir / "shapes"

    @property
    def vocab_dir(self) -> Path:
        """``ontology/vocab/``."""
        return self.ontology_dir / "vocab"

    @property
    def queries_dir(self) -> Path:
        """``queries/``: SPARQL ``.rq`` files."""
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        """``build/``: generated output (git-ignored)."""
        return self.root / "build"

    @classmethod
    def discover(cls, root: Path | None = None) -> Project:
        """Find the project: ``root`` if given, else ``$PLANGRAPH_ROOT``, else the nearest
        directory at or above the working directory that has ``ontology/plangraph.ttl``."""
        if root is None and os.environ.get("PLANGRAPH_ROOT"):
            root = Path(os.environ["PLANGRAPH_ROOT"])
        if root is not None:
            project = cls(root.resolve())
            if not project.ontology_file.is_file():
                raise PlangraphError(
                    f"{root} is not a plangraph project: {project.ontology_file} is missing"
                )
            return project
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / "ontology" / "plangraph.ttl").is_file():
                return cls(candidate)
        raise PlangraphError(
            "no plangraph project found at or above the working directory "
            "(looked for ontology/plangraph.ttl); pass --root or set PLANGRAPH_ROOT"
        )
