"""The catalogue of named queries: ``.rq`` files with a header, found by name.

The queries ship with plangraph as package data (the project's top-level ``queries/`` is the
package ``plangraph.queries``), so an installed wheel has them; a project's own ``queries/``
directory adds queries and overrides shipped ones of the same name.

Header lines at the top of each file (``# key: value``)::

    # title: Elements with no responsible institution
    # description: ...
    # param: plan (IRI, optional) the plan to look in
    # columns: entity, property, value

Values are bound as RDF terms (:meth:`NamedQuery.bind`), never formatted into the query text;
:mod:`plangraph.analysis.backends` runs the query on the embedded store or an endpoint.

>>> cat = catalogue()
>>> cat["gaps/no-responsible"].title
'Action-level elements with no responsible institution'
>>> find("no-responsible", cat).name
'gaps/no-responsible'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError
from plangraph.rdf.iris import plan_ref
from plangraph.rdf.terms import to_term

_HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*(.*)$")


@dataclass(frozen=True)
class Param:
    """A query parameter: a variable the caller may bind."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file with its parsed header."""

    name: str
    path: Path
    text: str
    title: str
    description: str
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = field(default=())

    def bind(self, bindings: Mapping[str, Any]) -> dict[str, Any]:
        """The bound values as pyoxigraph terms, by parameter name; ``None`` leaves a
        parameter unbound. An unknown name or a value of the wrong kind is an error.

        A ``plan`` parameter of kind IRI also takes a plan id.

        >>> catalogue()["reports/plans"].bind({"plan": "p1"})["plan"].value
        'https://w3id.org/plangraph/plan/p1'
        >>> q = catalogue()["gaps/plans-in-force"]
        >>> q.bind({"on": "2024-01-01"})["on"].value
        '2024-01-01'
        >>> q.bind({"on": "notadate"})
        Traceback (most recent call last):
        ...
        plangraph.errors.PlangraphError: query 'gaps/plans-in-force', parameter 'on': not a ...
        """
        known = {p.name: p for p in self.params}
        terms: dict[str, Any] = {}
        for key, value in bindings.items():
            if value is None:
                continue
            if key not in known:
                raise PlangraphError(
                    f"query '{self.name}' has no parameter '{key}' "
                    f"(parameters: {', '.join(known) or 'none'})"
                )
            if (
                key == "plan"
                and isinstance(value, str)
                and known[key].kind.upper().startswith("IRI")
            ):
                value = plan_ref(value)  # a bare plan id names the plan
            try:
                terms[key] = to_term(value, known[key].kind)
            except ValueError as exc:
                raise PlangraphError(f"query '{self.name}', parameter '{key}': {exc}") from None
        return terms


def parse_query_file(path: Path, name: str) -> NamedQuery:
    """Read a ``.rq`` file and its header; a missing title or description is an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlangraphError(f"{path}: cannot read the query: {exc}") from None
    meta: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            meta.setdefault(m.group(1), []).append(m.group(2).strip())
    for key in ("title", "description"):
        if key not in meta:
            raise PlangraphError(f"{path}:1: the header lacks '# {key}:'")
    params = []
    for raw in meta.get("param", []):
        m = _PARAM.match(raw)
        if not m:
            raise PlangraphError(f"{path}: bad '# param:' line: {raw}")
        params.append(Param(m.group(1), (m.group(2) or "literal").strip(), m.group(3).strip()))
    columns = tuple(c.strip() for c in ",".join(meta.get("columns", [])).split(",") if c.strip())
    for param in params:
        if columns and param.name not in columns:
            raise PlangraphError(
                f"{path}: '# param: {param.name}' is not one of the query's columns "
                f"({', '.join(columns)}): a value is bound to a variable the query selects"
            )
    return NamedQuery(
        name, path, text, meta["title"][0], " ".join(meta["description"]), tuple(params), columns
    )


def shipped_queries_dir() -> Path:
    """The directory of the queries shipped with plangraph (package ``plangraph.queries``)."""
    return Path(str(resources.files("plangraph.queries")))


@cache
def _read_dir(queries_dir: Path) -> dict[str, NamedQuery]:
    out = {}
    for path in sorted(queries_dir.rglob("*.rq")):
        name = path.relative_to(queries_dir).with_suffix("").as_posix()
        out[name] = parse_query_file(path, name)
    return out


def catalogue(queries_dir: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries, keyed by path without suffix (``qc/x-violation``): the shipped ones,
    then those of ``queries_dir`` (a project's ``queries/``) added or overriding by name."""
    out = dict(_read_dir(shipped_queries_dir().resolve()))
    if queries_dir is not None and queries_dir.is_dir():
        out.update(_read_dir(queries_dir.resolve()))
    return out


def find(name: str, cat: Mapping[str, NamedQuery]) -> NamedQuery:
    """One named query of a catalogue, by full name or unique last part; a missing name lists
    the close ones."""
    if name in cat:
        return cat[name]
    matches = [n for n in cat if n.endswith("/" + name) or n.split("/")[-1] == name]
    if len(matches) == 1:
        return cat[matches[0]]
    hint = ", ".join(matches or sorted(cat)[:10])
    raise PlangraphError(f"no query named '{name}' (try: {hint})")
