"""Map the lines of one text of a document to the lines of another text of it (the text of a
PDF or Word rendering to the curated source), by aligning their words. Used by the evaluation
only: the drafted lines of a rendering are compared with the curated lines of the source."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from plangraph.pipeline.importer.textdoc import clean, fold


def _words(text: str) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        out += [(number, w) for w in fold(clean(line)).split()]
    return out


def line_map(converted: str, original: str) -> Callable[[int], set[int]]:
    """A function from a line of ``converted`` to the lines of ``original`` its words align to.

    >>> m = line_map("uno dos\\ntres", "uno\\ndos tres")
    >>> m(1), m(2)
    ({1, 2}, {2})
    """
    a, b = _words(converted), _words(original)
    matcher = difflib.SequenceMatcher(None, [w for _, w in a], [w for _, w in b], autojunk=False)
    mapping: dict[int, set[int]] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapping.setdefault(a[block.a + k][0], set()).add(b[block.b + k][0])
    return lambda n: mapping.get(n, set())
