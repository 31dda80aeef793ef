"""The validation report: what every layer found, the verdict and the exit code (pySHACL's:
0 conforms, 1 violations, 2 could not run)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from plangraph.validation.owl import OwlResult
from plangraph.validation.qc import QcResult
from plangraph.validation.shacl import ShaclResult


@dataclass
class ValidationReport:
    """Everything validation found."""

    shacl: list[ShaclResult] = field(default_factory=list)
    shacl_seconds: float = 0.0
    owl: OwlResult | None = None
    qc: list[QcResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    shacl_units: tuple[int, int] | None = None
    """SHACL by units: (units, units validated now); None when run on the whole graph."""
    reused: bool = False
    """The whole report was kept from a validation of the same graph, shapes and code."""

    @property
    def violations(self) -> list[ShaclResult]:
        """SHACL results of severity Violation."""
        return [r for r in self.shacl if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ShaclResult]:
        """SHACL results of severity Warning or Info."""
        return [r for r in self.shacl if r.severity != "Violation"]

    @property
    def qc_failures(self) -> list[QcResult]:
        """QC queries that returned rows."""
        return [q for q in self.qc if q.rows]

    @property
    def conforms(self) -> bool:
        """True when no layer found a violation (warnings allowed)."""
        return (
            not self.violations
            and not self.qc_failures
            and (self.owl is None or self.owl.consistent is not False)
        )

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 violations, 2 could not run."""
        if self.errors or (self.owl is not None and self.owl.consistent is None):
            return 2
        return 0 if self.conforms else 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {
            "conforms": self.conforms,
            "exit_code": self.exit_code,
            "shacl": {
                "violations": [asdict(r) for r in self.violations],
                "warnings": [asdict(r) for r in self.warnings],
                "seconds": round(self.shacl_seconds, 3),
                "units": list(self.shacl_units) if self.shacl_units else None,
            },
            "owl": asdict(self.owl) if self.owl else None,
            "qc": [{"query": q.name, "title": q.title, "rows": q.rows} for q in self.qc],
            "errors": self.errors,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValidationReport:
        """The report :meth:`to_dict` wrote."""
        shacl = data["shacl"]
        owl = data.get("owl")
        return cls(
            shacl=[ShaclResult(**r) for r in [*shacl["violations"], *shacl["warnings"]]],
            shacl_seconds=float(shacl.get("seconds", 0.0)),
            owl=OwlResult(**owl) if owl else None,
            qc=[QcResult(q["query"], q["title"], q["rows"]) for q in data.get("qc", [])],
            errors=list(data.get("errors", [])),
            shacl_units=tuple(shacl["units"]) if shacl.get("units") else None,
        )

    def to_text(self) -> str:
        """A report a curator can read."""
        out = []
        for r in self.violations + self.warnings:
            out.append(str(r))
        for q in self.qc_failures:
            for row in q.rows:
                out.append(
                    f"[QC] {q.name}: {q.title}: " + ", ".join(f"{k}={v}" for k, v in row.items())
                )
        out += [f"[error] {e}" for e in self.errors]
        owl = self.owl.message if self.owl else "OWL check skipped"
        out.append(
            f"SHACL: {len(self.violations)} violations, {len(self.warnings)} warnings; {owl}; "
            f"QC: {len(self.qc_failures)} of {len(self.qc)} queries returned rows"
        )
        out.append(
            "verdict: "
            + (
                "conforms"
                if self.exit_code == 0
                else "violations"
                if self.exit_code == 1
                else "could not run"
            )
        )
        return "\n".join(out)
