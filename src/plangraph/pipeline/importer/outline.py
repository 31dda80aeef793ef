"""Read the element hierarchy from a document's paragraphs.

One pass over the paragraphs of :class:`~plangraph.pipeline.importer.textdoc.TextDoc`:
labelled headings ("Resultado 2:", "Hito 3", "COMPROMISO 4"), numbered outlines (as the
profile's ``numbering`` says), lists introduced by a line naming a kind ("Los objetivos
específicos de cada eje son:"), sections whose paragraphs are elements ("¿Cuál es el problema…?"),
field lines ("Plazo: 6 meses"), and tables (handed to :mod:`.tables`). Every element is
placed by :class:`~plangraph.pipeline.importer.tree.Builder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from plangraph.pipeline.importer.apart import Apart
from plangraph.pipeline.importer.patterns import (
    Label,
    is_bare_number,
    is_heading,
    read_field_label,
    read_label,
    read_numbered,
    unbullet,
)
from plangraph.pipeline.importer.profile import ROLE_FIELDS, Profile, SectionRule
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.tables import TableReader, header_columns, lone_row
from plangraph.pipeline.importer.textdoc import Paragraph, TextDoc, fold, has_bullet
from plangraph.pipeline.importer.tree import ACTION_LEVEL, Builder, Cell, Node, Piece, lines_of
from plangraph.pipeline.importer.vertical import VerticalReader, vertical_header
from plangraph.pipeline.records import ElementKind

_ENUMERATION = re.compile(r"(?:^|\s)(?:a\)|1\))\s.*\s(?:b\)|2\))\s")


@dataclass
class _Section:
    rule: SectionRule
    owner: Node | None
    items: list[Node] = field(default_factory=list)
    bullets: bool = False


@dataclass
class _Field:
    names: list[str]
    target: Node | None
    index: int


@dataclass
class _List:
    kind: ElementKind | None
    items: list[Node] = field(default_factory=list)


class OutlineParser:
    """The paragraph state machine (see the module docstring)."""

    def __init__(
        self,
        doc: TextDoc,
        profile: Profile,
        builder: Builder,
        review: Review,
        institutional: Callable[[str], bool],
    ) -> None:
        self.doc = doc
        self.profile = profile
        self.vocab = profile.vocab
        self.b = builder
        self.review = review
        self.institutional = institutional
        self.table: TableReader | VerticalReader | None = None
        self.pending: tuple[Label, int] | None = None
        self.section: _Section | None = None
        self.field: _Field | None = None
        self.list: _List | None = None
        self.previous_list: _List | None = None
        self.loose: list[tuple[int, Paragraph]] = []
        self.apart = Apart(builder, review)
        self.last: Node | None = None
        #: a heading whose paragraphs become its text (the profile's ``titled`` kinds)
        self.narrative: Node | None = None
        #: the profile's features that were used on this document (for the profile's score)
        self.used: set[str] = set()
        self.last_index = -1

    # ------------------------------------------------------------------ driving
    def run(self) -> None:
        """Read every paragraph."""
        paras = self.doc.paragraphs()
        i = 0
        while i < len(paras):
            p = paras[i]
            if p.row or self.table is not None:
                self.narrative = None
            if self.table is not None:
                if self.table.feed(p):
                    i += 1
                    continue
                self.table.close()
                self.table = None
            consumed = self._vertical(paras, i)
            if consumed:
                i += consumed
                continue
            self.handle(p, i)
            i += 1
        if self.table is not None:
            self.table.close()
        self._end_blocks()
        self.apart.finish()

    def _vertical(self, paras: list[Paragraph], i: int) -> int:
        """Open a table whose header cells stand one per line; returns paragraphs consumed."""
        columns, used = vertical_header(paras, i, self.vocab)
        if not columns:
            return 0
        self._end_blocks()
        self.apart.flush()
        tabbed = all(p.cell for p in paras[i : i + used])
        self.table = VerticalReader(self, columns, tabbed=tabbed)
        return used

    # ------------------------------------------------------------------ creating
    def create(
        self,
        kind: ElementKind,
        pieces: list[Piece],
        *,
        code: str | None = None,
        evidence: str = "label",
        container: bool = False,
        parent: Node | None = None,
        given: bool = False,
        index: int | None = None,
    ) -> Node | None:
        """Create and place an element, or merge it into the element it repeats."""
        text = " ".join(p.text for p in pieces)
        if not text:
            return None
        repeat = self.b.find_repeat(kind, text, code, parent if given else None)
        if repeat is not None and repeat is not parent:
            repeat.repeat_lines.extend(p.line for p in pieces)
            if code and not repeat.code:
                repeat.code = code
            if container:
                repeat.container = True
                self.b.reopen(repeat)
            self.review.add(
                "repeat-merged",
                lines_of([p.line for p in pieces]),
                f"read as a repeat of {repeat.label}",
                repeat.label,
            )
            self._touch(repeat, index)
            return repeat
        node = Node(kind, pieces, code=code, evidence=evidence, container=container)
        if not self.b.place(node, parent, given=given):
            return None
        self._touch(node, index)
        return node

    def _touch(self, node: Node, index: int | None) -> None:
        self.last = node
        if index is not None:
            self.last_index = index
        self.loose = []

    # ------------------------------------------------------------------ dispatch
    def handle(self, p: Paragraph, index: int) -> None:
        """Read one paragraph outside any table."""
        narrative, self.narrative = self.narrative, None
        if narrative is not None and self._narrate(narrative, p):
            return
        if p.row:
            self._row(p, index)
            return
        pieces = [Piece(n, t) for n, t in p.spans()]
        text = p.text
        raw = p.lines[0].raw
        section = self._section_at(text)
        if section is not None:
            self._end_blocks()
            if section.kind is not None:
                self.used.add("sections")
            self.section = _Section(section, self._owner())
            return
        fl = read_field_label(pieces, self.vocab)
        if fl is not None and not read_label(pieces, self.vocab):
            self._end_blocks()
            self.field = _Field(fl.fields, self.last, index)
            if fl.value:
                self._field_value(fl.value, index)
                self.field = None  # "Plazo: 6 meses" holds its whole value
            return
        label = read_label(pieces, self.vocab)
        if label is not None:
            self._label(label, pieces, index)
            return
        numbered = read_numbered(pieces)
        if numbered is not None:
            self._numbered(numbered.scheme, numbered.code, numbered.rest, pieces, index)
            return
        if is_bare_number(text):
            if self.pending is not None and self.pending[0].code is None:
                label, line = self.pending
                self.pending = (replace(label, code=text.strip()), line)
                return
            if self.last is not None and self.last.code is None and self.last_index >= index - 1:
                self.last.code = text.strip()
            return
        if self.pending is None and self.field is None and self.vocab.is_timeframe(text):
            self.apart.orphan(pieces, self.last)
            return
        if is_heading(text, raw) and not has_bullet(text):
            self._heading(text, pieces, index)
            return
        self._content(p, pieces, index)

    def _narrate(self, node: Node, p: Paragraph) -> bool:
        """A plain paragraph under a titled heading: the heading becomes the title, the
        paragraphs its text. False (the paragraph is read as usual) for anything else."""
        pieces = [Piece(n, t) for n, t in p.spans()]
        if (
            has_bullet(p.text)
            or p.cell
            or is_heading(p.text, p.lines[0].raw)
            or read_label(pieces, self.vocab) is not None
            or read_numbered(pieces) is not None
            or read_field_label(pieces, self.vocab) is not None
            or self._section_at(p.text) is not None
        ):
            return False
        self.used.add("titled")
        if not node.title:
            node.title, node.pieces = node.pieces, pieces
        else:
            node.pieces.extend(pieces)
        self.narrative = node
        return True

    def _section_at(self, text: str) -> SectionRule | None:
        match = self.vocab.sections.at(text)
        if match is None or len(fold(text).split()) > match.words + 12:
            return None
        return self.vocab.section_rules[match.value]

    def _owner(self) -> Node | None:
        return self.b.stack[-1] if self.b.stack else None

    def _end_blocks(self) -> None:
        """Close the open section, field, list and pending label."""
        if self.section is not None:
            self._finish_section()
        self.section = None
        self.field = None
        if self.list is not None and self.list.items:
            self.previous_list = self.list
        self.list = None
        if self.pending is not None:
            label, _ = self.pending
            self.review.add("skipped", "?", f"a {label.kind.value} label with no text after it")
        self.pending = None

    # ------------------------------------------------------------------ labels and lists
    def _label(self, label: Label, pieces: list[Piece], index: int) -> None:
        self._end_blocks()
        self.apart.flush()
        if label.kind in self.profile.text_before:
            title, since = self._title_before(index) if label.heading else (label.rest, index)
            if title:
                node = self.create(label.kind, title, code=label.code, container=True, index=index)
                if node is not None:
                    self.used.add("text_before")
                    self.apart.claim(node, since)
                return
        if label.heading:
            self.pending = (label, pieces[0].line)
            return
        node = self.create(label.kind, label.rest, code=label.code, container=True, index=index)
        if node is not None and label.kind in self.profile.titled:
            self.narrative = node

    def _title_before(self, index: int) -> tuple[list[Piece], int]:
        """The text printed before a label whose kind's text precedes it (the profile's
        ``text_before``): up to two paragraphs since the last element, close together; and the
        index of the first of them."""
        chosen: list[tuple[int, Paragraph]] = []
        for at, para in reversed(self.loose):
            if chosen and chosen[0][1].first - para.lines[-1].number > 3:
                break
            chosen.insert(0, (at, para))
            if len(chosen) == 2:
                break
        pieces = [Piece(n, t) for _, para in chosen for n, t in para.spans()]
        return pieces, chosen[0][0] if chosen else index

    def _numbered(
        self, scheme: str, code: str, rest: list[Piece], pieces: list[Piece], index: int
    ) -> None:
        if self.list is not None:
            self._list_item(rest, code, index)
            return
        if self.section is not None:
            if not self.section.items:
                self.section.bullets = True
            self._section_item(rest, code, index)
            return
        kind = self.vocab.numbering.get(scheme)
        if kind is None:
            if self.field is not None:
                self._field_value(pieces, index)
            elif self.pending is not None:
                self._pending_text(pieces, index, numbered=(code, rest))
            return
        if self.pending is not None:
            label, _ = self.pending
            self.pending = None
            self.list = _List(label.kind)
            self._list_item(rest, code, index)
            return
        self.apart.flush()
        self.field = None
        if not rest:
            self.review.add(
                "skipped",
                pieces[0].line,
                f"numeral '{code}' with no text: read as a continuation of the element above",
            )
            return
        self.create(kind, rest, code=code, container=True, evidence="numbering", index=index)
        self.used.add("numbering")

    def _list_item(self, rest: list[Piece], code: str | None, index: int) -> None:
        assert self.list is not None
        if self.list.kind is None or not rest:
            return
        parent = None
        given = False
        if self.profile.parallel_lists and self.previous_list is not None and code is not None:
            match = [n for n in self.previous_list.items if n.code == code]
            if match and self.b.allowed(self.list.kind, match[0]):
                parent, given = match[0], True
                self.used.add("parallel_lists")
        node = self.create(
            self.list.kind, rest, code=code, evidence="list", parent=parent, given=given,
            index=index,
        )  # fmt: skip
        if node is not None:
            self.list.items.append(node)
            if given:
                self.review.add(
                    "ambiguous-kind",
                    node.lines,
                    f"attached to {node.parent.label if node.parent else '?'} by its number",
                    node.label,
                )

    # ------------------------------------------------------------------ headings and text
    def _heading(self, text: str, pieces: list[Piece], index: int) -> None:
        self._end_blocks()
        if text.rstrip().endswith(":"):
            found = self.vocab.kinds.find(text)
            kind = ElementKind(found[0][1].value) if found else None
            self.list = _List(kind)
        self.loose.append((index, _para(pieces)))

    def _content(self, p: Paragraph, pieces: list[Piece], index: int) -> None:
        body = unbullet(pieces)
        if self.pending is not None:
            self._pending_text(body, index)
            return
        if self.list is not None and has_bullet(p.text):
            self._list_item(body, None, index)
            return
        if self.section is not None:
            if self.section.items and self.section.bullets and not has_bullet(p.text):
                # a section listed in bullets ends at the first paragraph that is not one
                self._end_blocks()
                self._content(p, pieces, index)
                return
            self.section.bullets = (
                has_bullet(p.text) if not self.section.items else (self.section.bullets)
            )
            self._section_item(body, None, index)
            return
        if self.field is not None:
            self._field_value(pieces, index)
            return
        if self.list is not None:
            self._end_blocks()
        if (
            self.last is not None
            and self.last.kind in ACTION_LEVEL
            and self.institutional(p.text)
            and not has_bullet(p.text)
        ):
            owner = self.last.parent or self.last
            owner.cells.append(Cell(ROLE_FIELDS["involved"], pieces, layout=False))
            self.review.add(
                "orphan-cells",
                lines_of([x.line for x in pieces]),
                f"institutions printed after the actions of {owner.label}; given to it "
                "(role involved): check which actions and role they belong to",
                owner.label,
            )
            return
        self.loose.append((index, p))

    def _pending_text(
        self, body: list[Piece], index: int, numbered: tuple[str, list[Piece]] | None = None
    ) -> None:
        assert self.pending is not None
        label, _ = self.pending
        if numbered is not None:
            self.pending = None
            self.list = _List(label.kind)
            self._list_item(numbered[1], numbered[0], index)
            return
        node = self.create(label.kind, body, code=label.code, container=True, index=index)
        self.pending = None
        if label.plural and node is not None:
            # a plural heading ("Objetivos Estratégicos:") may head several paragraphs
            self.list = _List(label.kind, [node])

    # ------------------------------------------------------------------ sections
    def _section_item(self, body: list[Piece], code: str | None, index: int) -> None:
        assert self.section is not None
        rule = self.section.rule
        if rule.kind is None or not body:
            return
        if code is None:
            numbered = read_numbered(body)
            if numbered is not None and numbered.rest:
                code, body = numbered.code, numbered.rest
        items = self.section.items
        if rule.take == "first" and items:
            return
        if rule.take == "joined" and items:
            items[0].pieces.extend(body)
            return
        node = self.create(
            rule.kind, body, code=code, evidence="section", parent=self.section.owner,
            given=self.section.owner is not None, index=index,
        )  # fmt: skip
        if node is not None:
            items.append(node)
            if _ENUMERATION.search(node.text):
                self.review.add(
                    "ambiguous-kind",
                    node.lines,
                    "the paragraph enumerates several points (a) b) … or 1) 2) …): it may hold "
                    "several elements",
                    node.label,
                )

    def _finish_section(self) -> None:
        assert self.section is not None
        for node in self.section.items:
            if len({p.line for p in node.pieces}) > 1 and self.section.rule.take == "joined":
                node.notes.append("Joined from several paragraphs of its section.")

    # ------------------------------------------------------------------ fields
    def _field_value(self, pieces: list[Piece], index: int) -> None:
        assert self.field is not None
        names = self.field.names
        body = unbullet(pieces)
        if not body:
            return
        if len(names) == 2 and names[0] == "start" and names[1] == "end":
            text = " ".join(p.text for p in body)
            if "/" in text and len(body) == 1:
                left, _, right = body[0].text.partition("/")
                self._store_field("start", [Piece(body[0].line, left.strip())], index)
                self._store_field("end", [Piece(body[0].line, right.strip())], index)
                return
        self._store_field(names[0], body, index)

    def _store_field(self, name: str, value: list[Piece], index: int) -> None:
        target = self.field.target if self.field is not None else None
        wait = bool(self.loose) and bool(self.profile.text_before)
        self.apart.field(name, value, index, target, wait=wait)

    # ------------------------------------------------------------------ rows outside tables
    def _row(self, p: Paragraph, index: int) -> None:
        line = p.lines[0]
        columns = header_columns(line, self.vocab)
        if columns:
            self._end_blocks()
            self.apart.flush()
            self.table = TableReader(self, columns, line.number)
            return
        lone_row(self, line, index)


def _para(pieces: list[Piece]) -> Paragraph:
    """A stand-in paragraph for pieces already read (title candidates)."""
    from plangraph.pipeline.importer.textdoc import Line

    return Paragraph([Line(p.line, p.text, (p.text,), p.text) for p in pieces])
