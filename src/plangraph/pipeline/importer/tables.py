"""Tables: a header row whose cells name kinds and fields, then rows (or, for tables converted
cell by cell, one cell a line).

Kind columns nest left to right: an element stands under the element of the nearest kind
column to its left in the same row, or, when that cell is empty (a merged cell), the last
element of that column. Field columns (timeframe, dates, institutions, indicators) belong to
the row's innermost action-level element. Repeated header rows and cells repeated after a page
break are recognised; a row whose timeframe stands left of the timeframe column is shifted back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plangraph.pipeline.importer.patterns import (
    is_heading,
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
from plangraph.pipeline.importer.tree import ACTION_LEVEL, Cell, Node, Piece, lines_of
from plangraph.records import ElementKind, Role

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


def _recognise(text: str, vocab: Vocabulary) -> tuple[ElementKind | None, str | None]:
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
        kind, fld = _recognise(text, vocab)
        if kind or fld:
            columns.append(Column(col, text, kind, fld))
    if len(columns) < 2 or not any(c.kind for c in columns):
        return None
    if len(columns) < 0.6 * len(filled):
        return None
    return columns


def vertical_header(
    paras: list[Paragraph], start: int, vocab: Vocabulary
) -> tuple[list[Column], int]:
    """Header cells printed one per line (a table converted cell by cell): two or more
    consecutive short paragraphs naming a kind and at least one field."""
    columns: list[Column] = []
    i = start
    while i < len(paras):
        p = paras[i]
        if p.row or len(p.lines) > 2 or len(p.text.split()) > 6:
            break
        if columns and p.first - paras[i - 1].lines[-1].number > 2:
            break
        kind, fld = _recognise(p.text, vocab)
        if not (kind or fld):
            break
        columns.append(Column(len(columns), p.text, kind, fld))
        i += 1
    if len(columns) >= 2 and any(c.kind for c in columns) and any(c.field for c in columns):
        return columns, len(columns)
    return [], 0


@dataclass
class _Record:
    """The cells of one record of a vertical table."""

    cells: list[list[Piece]] = field(default_factory=list)


class TableReader:
    """Reads the rows of one table into elements (see the module docstring)."""

    def __init__(
        self,
        parser: OutlineParser,
        columns: list[Column],
        header_line: int,
        *,
        vertical: bool,
        tabbed: bool,
    ) -> None:
        self.p = parser
        self.vocab = parser.vocab
        self.columns = {c.index: c for c in columns}
        self.kind_cols = [c.index for c in columns if c.kind]
        self.header = [fold(c.header) for c in columns]
        self.header_line = header_line
        self.vertical = vertical
        self.tabbed = tabbed
        self.current: dict[int, Node] = {}
        self.labelled: dict[int, bool] = {}
        self.several: dict[int, bool] = {}
        self.fresh: set[int] = set()
        self.ambiguous = ""
        self.role: Role | None = None
        self.record: Node | None = None
        self.vrecord: _Record | None = None
        self.strays = 0

    # ------------------------------------------------------------------ feeding
    def feed(self, p: Paragraph) -> bool:
        """Read one paragraph; False when it ends the table (it is then read as outline)."""
        if self.vertical:
            return self._feed_vertical(p)
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
        """Finish the last record."""
        if self.vrecord is not None:
            self._flush_vertical()

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

    # ------------------------------------------------------------------ vertical tables
    def _feed_vertical(self, p: Paragraph) -> bool:
        pieces = [Piece(n, t) for n, t in p.spans()]
        first_kind = self.columns[self.kind_cols[0]].kind if self.kind_cols else None
        label = read_label(pieces, self.vocab)
        if p.row or (label is not None and label.kind != first_kind):
            return False
        if label is None and self.p._section_at(p.text) is not None:
            return False
        if (
            label is None
            and not p.cell
            and (is_heading(p.text, p.lines[0].raw) or read_numbered(pieces) is not None)
        ):
            return False
        if label is not None:
            if self.vrecord is not None:
                self._flush_vertical()
            self.vrecord = _Record([pieces])
            return True
        if self.vrecord is None:
            return len(p.text.split()) < 8
        if self.tabbed and not p.cell:
            self.vrecord.cells[-1].extend(pieces)
        else:
            self.vrecord.cells.append(pieces)
        return True

    def _flush_vertical(self) -> None:
        record, self.vrecord = self.vrecord, None
        if record is None or not record.cells:
            return
        col0 = self.columns[self.kind_cols[0]]
        assert col0.kind is not None
        lab = read_label(record.cells[0], self.vocab)
        if lab is None:
            return
        text = lab.rest
        rest = record.cells[1:]
        if not text and rest and not self.tabbed:
            text, rest = rest[0], rest[1:]
        node = self.p.create(col0.kind, text, code=lab.code, evidence="label")
        if node is None:
            return
        order = [self.columns[c] for c in sorted(self.columns) if c != col0.index]
        at = -1
        for cell in rest:
            typed = self.vocab.is_timeframe(" ".join(x.text for x in cell))
            choice = _next_column(order, at, typed)
            if choice is None or (at < 0 and not typed and not self.tabbed):
                if at < 0:
                    node.pieces.extend(cell)  # the element's text went on past one line
                    continue
                choice = at
            at = choice
            self._vertical_field(node, order[at].field, cell)
        if not self.tabbed and len(rest) > len(order) + 1:
            self.p.review.add(
                "orphan-cells",
                node.lines,
                f"{len(rest)} paragraphs after {node.label} for {len(order)} columns: "
                "check which column each belongs to",
                node.label,
            )

    def _vertical_field(self, node: Node, fld: str | None, cell: list[Piece]) -> None:
        if fld in TYPED:
            getattr(node, fld).extend(cell)
        elif fld in ROLE_FIELDS:
            for piece in cell:
                node.cells.append(Cell(ROLE_FIELDS[fld], [piece]))
        elif fld == "indicator":
            node.indicators.append(cell)


def _next_column(order: list[Column], at: int, typed: bool) -> int | None:
    """The column a vertical cell goes to: the next typed column for a timeframe, else the
    current text column (a cell of several paragraphs) or the next text column."""
    if not typed and at >= 0 and order[at].field not in TYPED:
        return at
    for pos in range(at + 1, len(order)):
        if (order[pos].field in TYPED) == typed:
            return pos
    return None


def _unmark(item: str) -> str:
    """An item without a leading list mark or stray punctuation ("-Ley de …", ".Iniciativas")."""
    return strip_bullet(item).lstrip(".,;:·-–— ").strip()


def _same(a: str, b: str) -> bool:
    """Two cells with the same words (a repeat)."""
    fa, fb = fold(a), fold(b)
    return fa == fb or (len(fa) > 20 and (fa.startswith(fb) or fb.startswith(fa)))


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["Column", "TableReader", "header_columns", "lines_of", "vertical_header"]
