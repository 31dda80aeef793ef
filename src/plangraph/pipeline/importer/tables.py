"""Tables of rows: a header row whose cells name kinds and fields, then one row a line with
cells separated by tabs (tables converted one cell a line: :mod:`.vertical`).

Kind columns nest left to right: an element stands under the element of the nearest kind
column to its left in the same row, or, when that cell is empty (a merged cell), the last
element of that column. Field columns (timeframe, dates, institutions, indicators) belong to
the row's innermost action-level element. Repeated header rows and cells repeated after a page
break are recognised; a row whose timeframe stands left of the timeframe column is shifted back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plangraph.pipeline.importer.patterns import (
    read_label,
    read_numbered,
    split_sentences,
)
from plangraph.pipeline.importer.profile import ROLE_FIELDS, Vocabulary, words
from plangraph.pipeline.importer.textdoc import (
    Line,
    Paragraph,
    clean,
    continues,
    fold,
    split_items,
    split_tagged,
    strip_bullet,
)
from plangraph.pipeline.importer.tree import ACTION_LEVEL, Cell, Node, Piece
from plangraph.pipeline.records import ElementKind, Role

if TYPE_CHECKING:
    from plangraph.pipeline.importer.outline import OutlineParser

_PAREN = re.compile(r"\([^)]*\)")
TYPED = ("timeframe", "start", "end")


@dataclass(frozen=True)
class Column:
    """A table column: the kind of its elements, or the field it holds."""

    index: int
    header: str
    kind: ElementKind | None = None
    field: str | None = None


def recognise(text: str, vocab: Vocabulary) -> tuple[ElementKind | None, str | None]:
    """The kind or field a header cell names (a phrase covering all but one of its words)."""
    bare = _PAREN.sub(" ", text)
    total = len(words(bare))
    if not total or total > 8:
        return None, None
    kind = vocab.kinds.at(bare)
    fld = vocab.fields.at(bare)
    best = max((m for m in (kind, fld) if m is not None), key=lambda m: m.words, default=None)
    if best is None or best.words < total - 1:
        return None, None
    if best is kind:
        return ElementKind(best.value), None
    return None, best.value


def header_columns(line: Line, vocab: Vocabulary) -> list[Column] | None:
    """The columns of a header row, or None when the row is not a header: two or more cells
    name kinds or fields, at least one names a kind, and most cells are recognised."""
    filled = line.filled_cells
    columns = []
    for col, text in filled:
        kind, fld = recognise(text, vocab)
        if kind or fld:
            columns.append(Column(col, text, kind, fld))
    if len(columns) < 2 or not any(c.kind for c in columns):
        return None
    if len(columns) < 0.6 * len(filled):
        return None
    return columns


class TableReader:
    """Reads the rows of one table into elements (see the module docstring)."""

    def __init__(self, parser: OutlineParser, columns: list[Column], header_line: int) -> None:
        self.p = parser
        self.vocab = parser.vocab
        self.columns = {c.index: c for c in columns}
        self.kind_cols = [c.index for c in columns if c.kind]
        self.header = [fold(c.header) for c in columns]
        self.header_line = header_line
        self.current: dict[int, Node] = {}
        self.labelled: dict[int, bool] = {}
        self.several: dict[int, bool] = {}
        self.fresh: set[int] = set()
        self.ambiguous = ""
        self.role: Role | None = None
        self.record: Node | None = None
        self.strays = 0

    # ------------------------------------------------------------------ feeding
    def feed(self, p: Paragraph) -> bool:
        """Read one paragraph; False when it ends the table (it is then read as outline)."""
        line = p.lines[0]
        if len(p.lines) == 1 and "\t" in line.raw and line.filled_cells:
            self.strays = 0
            self._row(line)
            return True
        if self._ends(p):
            return False
        self.strays += 1
        return self.strays < 3

    def _ends(self, p: Paragraph) -> bool:
        """Structure or prose outside the table."""
        pieces = [Piece(n, t) for n, t in p.spans()]
        if self.p._section_at(p.text) is not None or read_label(pieces, self.vocab):
            return True
        return len(p.text.split()) >= 8 or p.text.rstrip().endswith(":")

    def close(self) -> None:
        """Nothing is pending at the end of a table of rows."""

    # ------------------------------------------------------------------ horizontal tables
    def _row(self, line: Line) -> None:
        cells = {col: raw for col, raw in enumerate(line.cells) if clean(raw)}
        texts = {col: clean(raw) for col, raw in cells.items()}
        if [fold(t) for t in texts.values()] == self.header:
            self.role = None  # the header repeated after a page break
            return
        if self.vocab.is_subheader(list(texts.values())):
            return
        cells, texts = self._unshift(line, cells, texts)
        first = self.kind_cols[0] if self.kind_cols else None
        if first is not None and first in texts and self.labelled.get(first):
            lab = read_label([Piece(line.number, texts[first])], self.vocab)
            unlabelled = lab is None or lab.kind != self.columns[first].kind
            if unlabelled and not self._continues(first, texts[first]):
                self._extras(line, cells)
                return
        if self.role is not None and not (first is not None and first in texts):
            # inside a record's stakeholder sub-table: every cell names institutions, unless
            # it continues a cell cut by a page break
            conts = [c for c in self.kind_cols if c in texts and self._continues(c, texts[c])]
            if not conts:
                self._extras(line, cells)
                return
        made: dict[int, list[Node]] = {}
        self.fresh = set()
        for col in self.kind_cols:
            if col in cells:
                made[col] = self._kind_cell(line, col, cells[col], made)
        target = self._target(made)
        for col, raw in cells.items():
            column = self.columns.get(col)
            if column is None:
                if target is not None and self.role is not None:
                    self._institutions(line, raw, self.role, target)
            elif column.field and target is not None:
                self._field(line, column.field, raw, target)

    def _unshift(
        self, line: Line, cells: dict[int, str], texts: dict[int, str]
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Move a row right when its timeframe stands left of the timeframe column (leading
        merged cells lost in conversion)."""
        typed_cols = [c for c, col in self.columns.items() if col.field in TYPED]
        typed = [c for c, t in texts.items() if self.vocab.is_timeframe(t)]
        if not typed or not typed_cols or typed[0] in typed_cols:
            return cells, texts
        later = [c for c in typed_cols if c > typed[0]]
        if not later:
            return cells, texts
        shift = later[0] - typed[0]
        width = max(self.columns) + 1
        if max(texts) + shift >= width:
            return cells, texts
        self.p.review.add(
            "shifted-cells",
            line.number,
            f"the timeframe '{texts[typed[0]]}' stands {shift} column(s) left of the "
            f"'{self.columns[later[0]].header}' column: the row is read shifted right by {shift}",
        )
        return ({c + shift: r for c, r in cells.items()}, {c + shift: t for c, t in texts.items()})

    def _continues(self, col: int, text: str) -> bool:
        node = self.current.get(col)
        return node is not None and continues(node.pieces[-1].text, text)

    def _kind_cell(self, line: Line, col: int, raw: str, made: dict[int, list[Node]]) -> list[Node]:
        column = self.columns[col]
        assert column.kind is not None
        kind = column.kind
        mode = self.p.profile.split.get(kind, "items")
        tagged = split_tagged(raw) if mode != "none" else [(clean(raw), None)]
        if mode == "sentences":
            split = [(s, tag) for item, tag in tagged for s in split_sentences(item)]
            if len(split) > len(tagged):
                self.p.used.add("split")
            tagged = split
        tagged = [(t, tag) for t, tag in ((_unmark(i), tag) for i, tag in tagged) if t]
        out: list[Node] = []
        # cells of this row left of this one that started new elements (repeats do not)
        left_made = any(c in self.fresh for c in self.kind_cols if c < col)
        k = 0
        if tagged and not left_made and self._continues(col, tagged[0][0]):
            node = self.current[col]
            node.pieces.append(Piece(line.number, tagged[0][0]))
            self.p.review.add(
                "page-break-join",
                node.lines,
                f"'{_short(tagged[0][0])}' continues {node.label} (a cell split by a page break)",
                node.label,
            )
            out.append(node)
            k = 1
        head: Node | None = None
        previous: str | None = None
        while k < len(tagged):
            text, tag = tagged[k]
            code = None
            lab = read_label([Piece(line.number, text)], self.vocab)
            if lab is not None and lab.kind == kind:
                self.labelled.setdefault(col, True)
                code = lab.code
                text = " ".join(p.text for p in lab.rest)
                if not text and k + 1 < len(tagged):
                    k += 1
                    text = tagged[k][0]
            else:
                if k == 0:
                    self.labelled.setdefault(col, False)
                numbered = read_numbered([Piece(line.number, text)])
                if numbered is not None and numbered.rest and numbered.scheme != "letter":
                    code = numbered.code  # "1.1 Assess data assets…": the code as printed
                    text = " ".join(p.text for p in numbered.rest)
            # list items right after a paragraph of the cell are its sub-items
            sub = tag == "li" and previous in ("p", "li") and head is not None
            previous = tag
            k += 1
            if not text:
                continue
            current = self.current.get(col)
            if current is not None and _same(current.text, text) and not left_made:
                current.repeat_lines.append(line.number)
                self.p.review.add(
                    "repeat-merged", line.number, f"repeats {current.label}", current.label
                )
                out.append(current)
                continue
            self.ambiguous = ""
            parent = head if sub else self._parent(col, made)
            created = self.p.create(
                kind, [Piece(line.number, text)], code=code, evidence="column",
                parent=parent, given=parent is not None,
            )  # fmt: skip
            if created is None:
                continue
            if self.ambiguous and not sub:
                self.p.review.add(
                    "merged-cells",
                    line.number,
                    f"{self.ambiguous}: placed under "
                    f"{created.parent.label if created.parent else 'the top of the plan'}",
                    created.label,
                )
            if sub:
                self.p.review.add(
                    "ambiguous-kind",
                    line.number,
                    f"a list item read as a sub-item of {head.label if head else '?'}",
                    created.label,
                )
            else:
                out.append(created)
                head = created
        if out:
            fresh = self.current.get(col) is not out[-1]
            if fresh:
                self.fresh.add(col)
            self.current[col] = out[-1]
            self.several[col] = len(out) > 1
            for deeper in self.kind_cols:
                if deeper > col and fresh:
                    self.current.pop(deeper, None)
            if col == self.kind_cols[0]:
                self.record = out[-1]
                self.role = None
        return out

    def _parent(self, col: int, made: dict[int, list[Node]]) -> Node | None:
        lefts = list(reversed([c for c in self.kind_cols if c < col]))
        for left in lefts:
            nodes = made.get(left)
            if nodes:
                if len(nodes) > 1:
                    self.ambiguous = f"the cell to its left holds {len(nodes)} elements"
                    return nodes[-1].parent
                return nodes[0]
            if left in self.current:
                node = self.current[left]
                if left != lefts[0]:
                    self.ambiguous = (
                        f"its parent is read from a merged cell {lefts.index(left) + 1} columns "
                        "left, over empty cells"
                    )
                # a merged cell that held several elements: which one is the parent is unknown
                return node.parent if self.several.get(left) else node
        return None

    def _target(self, made: dict[int, list[Node]]) -> Node | None:
        """The element a row's fields belong to: its innermost action-level element, else its
        innermost element, else the current record."""
        nodes = [n for col in self.kind_cols for n in made.get(col, [])]
        for node in reversed(nodes):
            if node.kind in ACTION_LEVEL:
                return node
        if nodes:
            return nodes[-1]
        deepest = [self.current[c] for c in self.kind_cols if c in self.current]
        for node in reversed(deepest):
            if node.kind in ACTION_LEVEL:
                return node
        return deepest[-1] if deepest else None

    # ------------------------------------------------------------------ fields and extras
    def _field(self, line: Line, name: str, raw: str, target: Node) -> None:
        text = clean(raw)
        if name in TYPED:
            piece = Piece(line.number, text)
            getattr(target, name).append(piece)
            return
        if name == "indicator":
            target.indicators.append([Piece(line.number, text)])
            return
        role = ROLE_FIELDS.get(name)
        if role is not None:
            self._institutions(line, raw, role, target)

    def _institutions(self, line: Line, raw: str, role: Role, target: Node) -> None:
        """An institutions cell: its items, each scanned later with the role in force; an
        item that is a role heading ("Responsable", "Partes Interesadas de Apoyo") switches
        the role for the rest of the record, stakeholder sub-headers are skipped."""
        for item in split_items(raw):
            match = self.vocab.fields.at(item)
            if match is not None and match.value in ROLE_FIELDS:
                role = ROLE_FIELDS[match.value]
                self.role = role
                item = item[match.end :].strip(" :-–")
                if not item:
                    continue
            if self.vocab.is_subheader([item]):
                continue
            target.cells.append(Cell(role, [Piece(line.number, item)], "<table" in raw))

    def _extras(self, line: Line, cells: dict[int, str]) -> None:
        """Cells of a record's continuation rows: institutions when a role is in force (the
        institutions column itself may also switch the role)."""
        target = self._target({})
        if target is None:
            return
        for col, raw in cells.items():
            column = self.columns.get(col)
            if column is not None and column.field in ROLE_FIELDS:
                self._institutions(line, raw, ROLE_FIELDS[column.field], target)
            elif self.role is not None:
                self._institutions(line, raw, self.role, target)


def lone_row(parser: OutlineParser, line: Line, index: int) -> None:
    """A row outside any table: "LABEL<tab>text" (an element of that kind), cells that start
    with a kind's plural followed by items ("<b>Fortalezas</b> <u>…</u> <u>…</u>": one element
    per item), or timeframe cells (for the actions above)."""
    vocab = parser.vocab
    cells = line.filled_cells
    label = vocab.kinds.whole(cells[0][1]) if cells else None
    if label and len(cells) == 2 and len(cells[1][1].split()) > 3:
        parser._end_blocks()
        body = [Piece(line.number, cells[1][1])]
        parser.create(ElementKind(label), body, container=True, index=index)
        return
    made = False
    for col, _ in cells:
        items = split_items(line.cells[col])
        kind = vocab.kinds.whole(items[0]) if items else None
        if kind and len(items) > 1:
            for item in items[1:]:
                node = parser.create(
                    ElementKind(kind), [Piece(line.number, item)], evidence="label", index=index
                )
                made = made or node is not None
    if not made and all(vocab.is_timeframe(text) for _, text in cells):
        for _, text in cells:
            parser.apart.orphan([Piece(line.number, text)], parser.last)


def _unmark(item: str) -> str:
    """An item without a leading list mark or stray punctuation ("-Ley de …", ".Iniciativas")."""
    return strip_bullet(item).lstrip(".,;:·-–— ").strip()


def _same(a: str, b: str) -> bool:
    """Two cells with the same words (a repeat)."""
    fa, fb = fold(a), fold(b)
    return fa == fb or (len(fa) > 20 and (fa.startswith(fb) or fb.startswith(fa)))


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["TYPED", "Column", "TableReader", "header_columns", "recognise"]
