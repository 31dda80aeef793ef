"""QC queries: ``queries/qc/*-violation.rq``, each must return zero rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraph.analysis.backends import EmbeddedBackend
from plangraph.analysis.catalogue import catalogue
from plangraph.rdf.terms import to_python


@dataclass(frozen=True)
class QcResult:
    """Rows a QC query returned (each row is a violation)."""

    name: str
    title: str
    rows: list[dict[str, Any]]


def run_qc(store: Any, queries_dir: Path) -> list[QcResult]:
    """Run every ``qc/*-violation.rq``; each row is a violation."""
    out = []
    backend = EmbeddedBackend(store)
    for name, query in sorted(catalogue(queries_dir).items()):
        if not (name.startswith("qc/") and name.endswith("-violation")):
            continue
        result = backend.select(query, {})
        out.append(
            QcResult(
                name,
                query.title,
                [
                    {c: to_python(v) for c, v in zip(result.columns, row, strict=True)}
                    for row in result.rows
                ],
            )
        )
    return out
