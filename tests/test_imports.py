"""Nothing heavy loads at import time: starting the CLI or importing the package loads none of
the data, analysis, web or document libraries (each loads inside the function that needs it)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "pandas",
    "numpy",
    "scipy",
    "pyoxigraph",
    "rdflib",
    "networkx",
    "sklearn",
    "simplemma",
    "pyshacl",
    "owlready2",
    "matplotlib",
    "jinja2",
    "starlette",
    "uvicorn",
    "pdfplumber",
    "docx",
    "openpyxl",
)


def _loaded(statement: str) -> list[str]:
    code = (
        f"import json, sys\n{statement}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_importing_the_package_loads_nothing_heavy() -> None:
    assert _loaded("import plangraph") == []


def test_starting_the_cli_loads_nothing_heavy() -> None:
    assert _loaded("import plangraph.cli.main") == []
