"""Read YAML keeping the line of every value, so errors can name file and line.

``load_yaml`` returns plain Python data plus a map from each value's path (a tuple of keys and
indices, as pydantic reports it in ``loc``) to its 1-based line.
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


def _construct(node: yaml.Node, path: tuple[str | int, ...], lines: LineMap, file: Path) -> Any:
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
            out[key] = _construct(value_node, (*path, key), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, (*path, i), lines, file) for i, child in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


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
    """Read a UTF-8 text file, raising an InputError that names the line of a bad byte."""
    data = file.read_bytes()
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
    lines: LineMap = {}
    return _construct(node, (), lines, file), lines
