"""The package as it installs: every subpackage listed, the queries shipped as package data."""

from __future__ import annotations

import tomllib

from setuptools import find_packages

from tests.helpers import ROOT


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set(find_packages(str(ROOT / "src"))) | {"plangraph.queries"}
    assert listed == found


def test_the_shipped_catalogue_is_the_queries_folder() -> None:
    from plangraph.analysis.catalogue import catalogue, shipped_queries_dir

    assert shipped_queries_dir().resolve() == (ROOT / "queries").resolve()
    names = set(catalogue())
    on_disk = {
        p.relative_to(ROOT / "queries").with_suffix("").as_posix()
        for p in (ROOT / "queries").rglob("*.rq")
    }
    assert names == on_disk
