"""Tables converted one cell a line: the header's cells on consecutive lines (a kind and at
least one field, e.g. "Acciones estratégicas / Plazo (meses) / Instituciones involucradas"), then
records that each start with a cell labelled with the first column's kind ("Acción 1.1").

With tabs marking where each cell starts (a Word table saved as text), a line without a leading
tab continues the cell above; without them (a PDF), each paragraph is a cell and a timeframe-like
cell goes to the timeframe column, text before it to the element, text after it to the next
columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plangraph.pipeline.importer.patterns import is_heading, read_label, read_numbered
from plangraph.pipeline.importer.profile import ROLE_FIELDS, Vocabulary
from plangraph.pipeline.importer.tables import TYPED, Column, recognise
from plangraph.pipeline.importer.textdoc import Paragraph
from plangraph.pipeline.importer.tree import Cell, Node, Piece

if TYPE_CHECKING:
    from plangraph.pipeline.importer.outline import OutlineParser


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
        kind, fld = recognise(p.text, vocab)
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


class VerticalReader:
    """Reads the records of a table converted one cell a line (see the module docstring)."""

    def __init__(self, parser: OutlineParser, columns: list[Column], *, tabbed: bool) -> None:
        self.p = parser
        self.vocab = parser.vocab
        self.columns = {c.index: c for c in columns}
        self.kind_cols = [c.index for c in columns if c.kind]
        self.tabbed = tabbed
        self.record: _Record | None = None

    def close(self) -> None:
        """Finish the last record."""
        if self.record is not None:
            self._flush()

    def feed(self, p: Paragraph) -> bool:
        """Read one paragraph; False when it ends the table."""
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
            if self.record is not None:
                self._flush()
            self.record = _Record([pieces])
            return True
        if self.record is None:
            return len(p.text.split()) < 8
        if self.tabbed and not p.cell:
            self.record.cells[-1].extend(pieces)
        else:
            self.record.cells.append(pieces)
        return True

    def _flush(self) -> None:
        record, self.record = self.record, None
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
            self._field(node, order[at].field, cell)
        if not self.tabbed and len(rest) > len(order) + 1:
            self.p.review.add(
                "orphan-cells",
                node.lines,
                f"{len(rest)} paragraphs after {node.label} for {len(order)} columns: "
                "check which column each belongs to",
                node.label,
            )

    def _field(self, node: Node, fld: str | None, cell: list[Piece]) -> None:
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
