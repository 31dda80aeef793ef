"""Named SPARQL queries: ``.rq`` files with a header, run by name with bound values.

Header lines at the top of each file (``# key: value``)::

    # title: Elements with no responsible institution
    # description: ...
    # param: plan (IRI, optional) the plan to look in
    # columns: entity, property, value

Values are passed as substitutions to Oxigraph (SEP-0007) or ``initBindings`` to rdflib: never
formatted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError

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


def parse_query_file(path: Path, name: str) -> NamedQuery:
    """Read a ``.rq`` file and its header; missing title or description is an error."""
    text = path.read_text(encoding="utf-8")
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
    return NamedQuery(
        name, path, text, meta["title"][0], " ".join(meta["description"]), tuple(params), columns
    )


@cache
def _catalogue(queries_dir: Path) -> dict[str, NamedQuery]:
    out = {}
    for path in sorted(queries_dir.rglob("*.rq")):
        name = path.relative_to(queries_dir).with_suffix("").as_posix()
        out[name] = parse_query_file(path, name)
    return out


def catalogue(queries_dir: Path) -> dict[str, NamedQuery]:
    """All named queries under ``queries/``, keyed by path without suffix (``qc/x-violation``)."""
    return dict(_catalogue(queries_dir.resolve()))


def find(queries_dir: Path, name: str) -> NamedQuery:
    """One named query; a missing name lists the close ones."""
    cat = catalogue(queries_dir)
    if name in cat:
        return cat[name]
    matches = [n for n in cat if n.endswith("/" + name) or n.split("/")[-1] == name]
    if len(matches) == 1:
        return cat[matches[0]]
    hint = ", ".join(matches or sorted(cat)[:10])
    raise PlangraphError(f"no query named '{name}' in {queries_dir} (try: {hint})")


def _term(value: Any, kind: str) -> Any:
    from pyoxigraph import Literal, NamedNode

    if isinstance(value, NamedNode | Literal):
        return value
    if kind.upper().startswith("IRI"):
        return NamedNode(str(value))
    if isinstance(value, bool):
        return Literal(
            str(value).lower(), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
        )
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if kind.lower().startswith("date"):
        return Literal(str(value), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    return Literal(str(value))


def run(store: Any, query: NamedQuery, **bindings: Any) -> tuple[list[str], list[list[Any]]]:
    """Run a named SELECT query on a pyoxigraph Store with bound values.

    Returns the column names and rows of pyoxigraph terms (None for unbound).
    Unknown parameter names are an error.
    """
    from pyoxigraph import Variable

    known = {p.name: p for p in query.params}
    subs = {}
    for key, value in bindings.items():
        if value is None:
            continue
        if key not in known:
            raise PlangraphError(
                f"query '{query.name}' has no parameter '{key}' "
                f"(parameters: {', '.join(known) or 'none'})"
            )
        subs[Variable(key)] = _term(value, known[key].kind)
    try:
        result = store.query(query.text, use_default_graph_as_union=True, substitutions=subs)
    except SyntaxError as exc:
        raise PlangraphError(f"{query.path}: {exc}") from None
    columns = [v.value for v in result.variables]
    rows = [[sol[c] for c in columns] for sol in result]
    return columns, rows


def plain(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value (IRI string, literal value, None)."""
    if term is None:
        return None
    return getattr(term, "value", str(term))
