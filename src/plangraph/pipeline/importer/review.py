"""The review list: every uncertain decision of an import, with its lines.

A curator reads ``build/import/<id>-review.md`` (or the JSON) and checks the few places that
need a person: shifted cells, page-break joins, ambiguous kinds, institution matches below the
confidence threshold, bodies missing from the authority file, parts dropped from the draft.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Category = Literal[
    "layout",
    "header",
    "shifted-cells",
    "page-break-join",
    "repeat-merged",
    "ambiguous-kind",
    "hierarchy",
    "duplicate-code",
    "merged-cells",
    "orphan-cells",
    "skipped",
    "institution-fuzzy",
    "institution-unknown",
    "dropped",
]

#: what each category asks of the curator, in the order the list shows them
CATEGORY_TITLES: dict[str, str] = {
    "layout": "Layout chosen",
    "header": "Plan header (title, period, issuer, status): check against the document",
    "dropped": "Dropped from the draft because it would not pass `plangraph check`",
    "hierarchy": "Kind or parent changed to fit the hierarchy rules (ontology/shapes)",
    "ambiguous-kind": "Kinds read from weak evidence",
    "shifted-cells": "Table rows whose cells were shifted",
    "page-break-join": "Texts joined across a page break or a cell split",
    "repeat-merged": "Repeated cells read as the same element",
    "merged-cells": "Parents read from merged or multi-element cells (check the parent)",
    "orphan-cells": "Cells that could not be tied to one element",
    "duplicate-code": "Codes printed twice under the same parent (code dropped on the later one)",
    "skipped": "Lines that look like structure but were not read as elements",
    "institution-fuzzy": "Institution mentions matched by similarity (check the id)",
    "institution-unknown": (
        "Bodies not in graph/institutions.yaml (proposed entries, not in the draft)"
    ),
}


@dataclass(frozen=True)
class ReviewItem:
    """One decision a person should check."""

    category: Category
    lines: str
    message: str
    element: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Review:
    """The collected review items of one import."""

    items: list[ReviewItem] = field(default_factory=list)

    def add(
        self,
        category: Category,
        lines: str | int,
        message: str,
        element: str | None = None,
        **detail: Any,
    ) -> None:
        """Record one item (``lines`` as printed in plan files: ``31`` or ``31-33, 40``)."""
        self.items.append(ReviewItem(category, str(lines), message, element, dict(detail)))

    def counts(self) -> dict[str, int]:
        """Items per category."""
        return dict(Counter(i.category for i in self.items))

    def to_json(self, meta: dict[str, Any]) -> str:
        """The review list as JSON: the import's metadata, counts and every item."""
        payload = {**meta, "counts": self.counts(), "items": [asdict(i) for i in self.items]}
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self, meta: dict[str, Any], source_lines: list[str]) -> str:
        """The review list as Markdown, grouped by category, each item with its source text."""
        out = [f"# Review list: {meta.get('plan_id')}", ""]
        for key in ("input", "format", "sha256", "source", "plan", "profile", "elements"):
            if key in meta:
                out.append(f"- {key}: `{meta[key]}`")
        out += [
            "",
            "Each item names the lines of the source (as `cat -n` shows them). Fix the plan "
            "file where the draft is wrong, then run `plangraph check` on it.",
            "",
        ]
        counts = self.counts()
        out.append("| category | items |")
        out.append("|---|---|")
        for cat, title in CATEGORY_TITLES.items():
            if counts.get(cat):
                out.append(f"| {title} | {counts[cat]} |")
        out.append("")
        for cat, title in CATEGORY_TITLES.items():
            group = [i for i in self.items if i.category == cat]
            if not group:
                continue
            out += [f"## {title}", ""]
            for item in group:
                where = f" ({item.element})" if item.element else ""
                out.append(f"- **lines {item.lines}**{where}: {item.message}")
                quote = _excerpt(item.lines, source_lines)
                if quote:
                    out.append(f"  > {quote}")
            out.append("")
        return "\n".join(out).rstrip() + "\n"


def _excerpt(lines: str, source_lines: list[str], limit: int = 160) -> str:
    """The first stated line's text, shortened, for the Markdown list."""
    first = lines.split(",")[0].split("-")[0].strip()
    if not first.isdigit():
        return ""
    n = int(first)
    if not 1 <= n <= len(source_lines):
        return ""
    text = " ".join(source_lines[n - 1].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
