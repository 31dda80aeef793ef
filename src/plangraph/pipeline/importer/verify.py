"""Run the loader on a draft before it is written, and drop whatever it rejects.

The draft must pass ``plangraph check`` as written. The renderer already checks each quote;
this is the last guard, with the loader itself: a problem it reports is an importer bug, so the
offending part (an institution, a field, an element) is dropped into the review list and the
loader runs again.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from plangraph.errors import InputError, PlangraphError
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.records import Institution

_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
_ELEMENT_FIELDS = {"kind", "text", "lines"}
LoadPlan = Callable[..., Any]
MAX_ROUNDS = 6


def _path(field: str) -> list[str | int]:
    return [m.group(1) if m.group(1) else int(m.group(2)) for m in _STEP.finditer(field)]


def _key(path: list[str | int]) -> list[tuple[int, int | str]]:
    return [(0, s) if isinstance(s, int) else (1, s) for s in path]


def _drop(data: dict[str, Any], fields: list[str]) -> list[str] | None:
    """Remove the parts the problems name: an element's field, or the element (or list entry)
    itself. Returns what was removed, or None when a problem names nothing removable."""
    targets: dict[tuple[str | int, ...], set[str]] = {}
    for name in fields:
        path = _path(name)
        if len(path) < 2 or path[0] != "elements":
            return None
        cut = len(path)
        while cut > 0 and not isinstance(path[cut - 1], int):
            cut -= 1
        field = str(path[cut]) if cut < len(path) else ""
        targets.setdefault(tuple(path[:cut]), set()).add(field)
    removed: list[str] = []
    for target in sorted(targets, key=lambda t: _key(list(t)), reverse=True):
        *holder, index = target
        container: Any = data
        for step in holder:
            container = container[step]
        assert isinstance(index, int)
        if not isinstance(container, list) or index >= len(container):
            return None
        entry = container[index]
        names = targets[target]
        is_element = holder[-1] in ("elements", "children")
        if is_element and not names & (_ELEMENT_FIELDS | {""}):
            for name in names:
                base = name.removesuffix("_lines")
                entry.pop(base, None)
                entry.pop(f"{base}_lines", None)
                removed.append(f"{base} of {entry.get('kind')} {entry.get('code', '')}".strip())
            continue
        container.pop(index)
        if isinstance(entry, dict) and "kind" in entry:
            removed.append(
                f"{entry['kind']} {entry.get('code', '')} '{str(entry.get('text'))[:50]}'"
            )
        else:
            removed.append(f"{holder[-1]} entry {entry}")
    return removed


def prune(
    data: dict[str, Any],
    text: str,
    source_name: str,
    plan_name: str,
    institutions: dict[str, Institution],
    rules: dict[str, frozenset[str]],
    review: Review,
    load_plan: LoadPlan,
) -> dict[str, Any]:
    """The draft data, minus whatever the loader rejects (each removal in the review list)."""
    with tempfile.TemporaryDirectory(prefix="plangraph-import-") as tmp:
        sources = Path(tmp) / "sources"
        sources.mkdir()
        (sources / source_name).write_text(text, encoding="utf-8")
        plan_file = Path(tmp) / plan_name
        for _ in range(MAX_ROUNDS):
            plan_file.write_text(
                yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100000),
                encoding="utf-8",
            )
            try:
                load_plan(plan_file, sources, institutions, rules)
                return data
            except InputError as exc:
                removed = _drop(data, [p.field for p in exc.problems])
                if removed is None:
                    raise PlangraphError(
                        "the draft does not pass the loader (an importer bug): "
                        + "; ".join(str(p) for p in exc.problems)
                    ) from None
                for problem, what in zip(exc.problems, removed, strict=False):
                    review.add("dropped", "?", f"{what}: {problem.message}")
                if not data.get("elements"):
                    raise PlangraphError(
                        "no element of the draft passes the loader: nothing to write"
                    ) from None
    raise PlangraphError("the draft still does not pass the loader after pruning (an importer bug)")
