"""Fixtures of the importer's tests: a scratch project with the repository's ontology, authority
file and sources (no plans), and the paths of the test documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plangraph.pipeline.importer.evalrun import scratch
from plangraph.project import Project

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
FORMATS = DATA / "formats"
RENDERINGS = DATA / "renderings"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh scratch project for one test."""
    return scratch(ROOT, tmp_path / "project")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes (to show that nothing was written)."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


Snapshot = Callable[[Path], dict[str, bytes]]
