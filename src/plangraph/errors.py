"""Error types that name the file, line and field of bad input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong.

    >>> str(Problem(Path("graph/plans/x.yaml"), 12, "elements[0].kind", "unknown kind 'axe'"))
    "graph/plans/x.yaml:12: elements[0].kind: unknown kind 'axe'"
    """

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class PlangraphError(Exception):
    """Base class for errors plangraph reports to users (never a traceback)."""


class InputError(PlangraphError):
    """Bad input: one or more problems, each naming file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
