"""Read YAML keeping the line of every value, so errors can name file and line.

``load_yaml`` returns plain Python data plus a map from each value's path (a tuple of keys and
indices, as pydantic reports it in ``loc``) to its 1-based line.

Plan files and the authority file are plain data: YAML aliases (which can expand a small file
into billions of values), explicit tags other than YAML's core ones (``!!python/name:…``,
``!foo``), values nested deeper than :data:`MAX_DEPTH` and strings longer than
:data:`MAX_TEXT` characters are refused with their line, like any other bad input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from plangraph.errors import InputError, Problem

LineMap = dict[tuple[str | int, ...], int]

#: libyaml's parser when PyYAML was built with it (10× faster, same line marks)
FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_TEXT = 1 << 20
"""Longest string value, in characters (1 MiB). Every text ends up in one N-Quads line, and
RDF parsers cap a line's buffer (pyoxigraph at 16 MiB, which escaping and UTF-8 can reach from
a quarter of that): a value the build could not write, or a store could not read back, is
refused at load time."""
MAX_DEPTH = 100
"""Deepest nesting of mappings and lists (plans nest a few levels; this keeps the reader's
recursion far from Python's limit)."""
CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
"""The explicit tags a plan file may carry (YAML's core schema); any other is refused."""


def _problem(file: Path, node: yaml.Node, path: Sequence[str | int], message: str) -> InputError:
    return InputError([Problem(file, node.start_mark.line + 1, _dotted(path), message)])


def _construct(
    node: yaml.Node,
    path: tuple[str | int, ...],
    lines: LineMap,
    file: Path,
    seen: set[int] | None = None,
) -> Any:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: the composer hands back the anchored node itself
        raise _problem(file, node, path, "YAML aliases (*name) are not allowed in plangraph files")
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise _problem(file, node, path, f"values nested deeper than {MAX_DEPTH} levels")
    if node.tag not in CORE_TAGS:
        raise _problem(
            file,
            node,
            path,
            f"YAML tag '{node.tag}' is not allowed (plangraph files are plain data)",
        )
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    [
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            _dotted(path),
                            "mapping keys must be plain text",
                        )
                    ]
                )
            key = str(key_node.value)
            if key in out:
                raise InputError(
                    [
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            _dotted((*path, key)),
                            f"duplicate key '{key}'",
                        )
                    ]
                )
            out[key] = _construct(value_node, (*path, key), lines, file, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(child, (*path, i), lines, file, seen) for i, child in enumerate(node.value)
        ]
    loader = yaml.SafeLoader("")
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        reason = getattr(exc, "problem", None) or str(exc)
        what = "a date" if node.tag.endswith(":timestamp") else "a valid value"
        raise _problem(file, node, path, f"'{node.value}' is not {what} ({reason})") from None
    finally:
        loader.dispose()
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise _problem(
            file,
            node,
            path,
            f"a text of {len(value):,} characters is longer than plangraph can write "
            f"(at most {MAX_TEXT:,} characters, 1 MiB)",
        )
    return value


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_name(path: Sequence[str | int]) -> str:
    """Render a value path as a field name, e.g. ``elements[0].children[2].kind``.

    >>> field_name(("elements", 0, "children", 2, "kind"))
    'elements[0].children[2].kind'
    """
    return _dotted(path)


def line_of(lines: LineMap, path: Sequence[str | int]) -> int | None:
    """The line of the value at ``path``, or of its nearest ancestor that has one."""
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), None)


def read_text(file: Path) -> str:
    """Read a UTF-8 text file, raising an InputError that names the line of a bad byte (or
    why it cannot be read: a directory, a symlink loop, no permission)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, None, "", "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(file, None, "", "is a directory, not a file")]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError([Problem(file, None, "", f"cannot read: {reason}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(file, line, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x})")]
        ) from None


def load_yaml(file: Path) -> tuple[Any, LineMap]:
    """Parse one YAML document, returning its data and a map of value paths to lines."""
    text = read_text(file)
    try:
        node = yaml.compose(text, Loader=FastLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError([Problem(file, line, "", f"malformed YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, "", f"malformed YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(file, 1, "", "the file is empty")])
    if "*" in text:  # an alias is marked by '*': find the first one's line
        for event in yaml.parse(text, Loader=FastLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                message = "YAML aliases (*name) are not allowed in plangraph files"
                raise InputError([Problem(file, line, "", message)])
    lines: LineMap = {}
    return _construct(node, (), lines, file), lines
