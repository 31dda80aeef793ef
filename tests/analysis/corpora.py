"""The seeds and the English FDS fixture plans in one dataset, built once per test session (the
near-duplicate tests and the pair evaluation both use it)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from plangraph.project import Project
from tests.helpers import ROOT, seeds_dataset

FDS_GRAPH = ROOT / "tests" / "data" / "corpora" / "us-fds-2021" / "graph"


@cache
def seeds_and_fds_dataset() -> Path:
    """N-Quads of the seed plans and of the two U.S. Federal Data Strategy plans (built from
    their own ``graph/`` folder with the project's ontology and vocabularies)."""
    from plangraph.pipeline.build import build

    tmp = Path(tempfile.mkdtemp(prefix="plangraph-fds-"))
    atexit.register(shutil.rmtree, tmp, True)
    fds = build(Project(ROOT, FDS_GRAPH), out_dir=tmp / "fds").outputs["nquads"]
    merged = tmp / "merged.nq"
    merged.write_text(
        seeds_dataset().read_text(encoding="utf-8") + fds.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return merged
