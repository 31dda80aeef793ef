"""Shared fixtures: the repository root and a factory for small throwaway projects."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the repository
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine's closed network refuses the rest
    "--disable-component-update",
    "--no-first-run",
]

MINI_SOURCE = """PLAN DE PRUEBA 2020-2021
Objetivo general: Proteger a la niñez migrante.
Resultado 1: Niñez informada sobre sus derechos.
Acción 1.1 Capacitar a funcionarios consulares.
Plazo: 6 meses
Responsable: Ministerio de Relaciones Exteriores (MINEX)
"""

MINI_INSTITUTIONS = """institutions:
  - id: xx-minex
    name: Ministerio de Relaciones Exteriores
    acronyms: [MINEX]
    type: ministry
    country: GT
    mentions:
      - {source: mini.txt, lines: "6"}
"""

MINI_PLAN = """plan:
  id: mini-plan
  title: PLAN DE PRUEBA 2020-2021
  title_lines: 1
  source: mini.txt
  country: GT
  period: {start: "2020", end: "2021"}
  status: adopted
elements:
  - kind: general_objective
    text: Proteger a la niñez migrante.
    lines: 2
    children:
      - kind: result
        code: "1"
        text: Niñez informada sobre sus derechos.
        lines: 3
        children:
          - kind: action
            code: "1.1"
            text: Capacitar a funcionarios consulares.
            lines: 4
            timeframe: 6 meses
            timeframe_lines: 5
            institutions:
              - id: xx-minex
                role: responsible
                text: Ministerio de Relaciones Exteriores
                lines: 6
"""

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Create a small project in tmp_path (ontology, shapes, queries copied from the repo)."""

    def make(
        plan: str | bytes = MINI_PLAN,
        institutions: str = MINI_INSTITUTIONS,
        source: str = MINI_SOURCE,
        plan_name: str = "mini-plan.yaml",
    ) -> Path:
        root = tmp_path / "project"
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "queries", root / "queries")
        (root / "graph" / "plans").mkdir(parents=True)
        (root / "graph" / "sources").mkdir()
        (root / "graph" / "sources" / "mini.txt").write_text(source, encoding="utf-8")
        (root / "graph" / "institutions.yaml").write_text(institutions, encoding="utf-8")
        target = root / "graph" / "plans" / plan_name
        if isinstance(plan, bytes):
            target.write_bytes(plan)
        else:
            target.write_text(plan, encoding="utf-8")
        return root

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
