"""Helpers shared by the test modules: the one seed build of a test session, and a real
``plangraph serve`` process on a free loopback port."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from plangraph.project import Project

if TYPE_CHECKING:
    from plangraph.pipeline.build import BuildResult

ROOT = Path(__file__).resolve().parents[1]


@cache
def seed_build() -> BuildResult:
    """The bundled plans built once per test session into a temporary directory (every test
    module that needs the seed graph shares this one build)."""
    from plangraph.pipeline.build import build

    out = Path(tempfile.mkdtemp(prefix="plangraph-seeds-"))
    atexit.register(shutil.rmtree, out, True)
    return build(Project(ROOT), out_dir=out)


def seeds_dataset() -> Path:
    """``plangraph.nq`` of the shared seed build."""
    return seed_build().outputs["nquads"]


def plan_files() -> list[Path]:
    return sorted((ROOT / "graph" / "plans").glob("*.yaml"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def plangraph_command() -> list[str]:
    script = Path(sys.executable).with_name("plangraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "plangraph.cli.main"]


@contextlib.contextmanager
def running_server(data: Path, *args: str, ready_timeout: float = 60.0) -> Iterator[str]:
    """Start ``plangraph serve`` on a free loopback port; yield its base URL once it answers."""
    port = free_port()
    fd, log_name = tempfile.mkstemp(prefix="plangraph-serve-", suffix=".log")
    cmd = [
        *plangraph_command(),
        "--root",
        str(ROOT),
        "serve",
        "--data",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        *args,
    ]
    proc = subprocess.Popen(cmd, stdout=fd, stderr=subprocess.STDOUT)
    os.close(fd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"plangraph serve exited ({proc.returncode}):\n{_read(log_name)}")
            try:
                if httpx.get(base + "/sparql", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"plangraph serve not ready in {ready_timeout} s:\n{_read(log_name)}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        Path(log_name).unlink(missing_ok=True)


def _read(path: str) -> str:
    return Path(path).read_text(errors="replace")[-5000:]


XSD = ROOT / "tests" / "data" / "xsd"
"""The GraphML and GEXF schemas the exports are validated against (``README.md`` there)."""
SCHEMAS = {"graphml": XSD / "graphml" / "graphml.xsd", "gexf": XSD / "gexf" / "gexf.xsd"}


def xmllint_errors(path: Path, fmt: str) -> str:
    """What ``xmllint --noout --schema`` says is wrong with ``path`` against the schema of
    ``fmt`` (``graphml`` or ``gexf``); empty when the file is valid."""
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        pytest.fail("xmllint is not installed (Debian: libxml2-utils): run `make system-deps`")
    result = subprocess.run(
        [xmllint, "--noout", "--schema", str(SCHEMAS[fmt]), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if result.returncode == 0 else result.stderr[:4000]
