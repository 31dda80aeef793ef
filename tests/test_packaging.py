"""The package as it installs: every subpackage listed, the queries shipped as package data."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

from tests.helpers import ROOT, seeds_dataset


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


@pytest.mark.slow
def test_an_installed_wheel_runs_a_named_query(tmp_path: Path) -> None:
    """Regression (issue 11, bug 3): a wheel had no query catalogue. Build the wheel, put it (and
    only it) on the path of a process that runs outside the repository, and run ``plangraph
    query reports/plans --data <built .nq>``."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("plangraph-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    assert (site / "plangraph" / "queries" / "reports" / "plans.rq").is_file()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import plangraph; "
        "assert plangraph.__file__.startswith(sys.argv[1]), plangraph.__file__; "
        "from plangraph.cli.main import main; "
        "main(['query', 'reports/plans', '--data', sys.argv[2], '--format', 'csv'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PLANGRAPH_ROOT", "PYTHONPATH")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(site), str(seeds_dataset())],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[0].startswith("plan,")
    assert len(rows) == 1 + len(list((ROOT / "graph" / "plans").glob("*.yaml")))
