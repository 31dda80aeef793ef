"""The converted document as lines, cells and paragraphs.

Everything the importer quotes comes from here, so every text this module returns is the
line's own words in order with conversion markup removed (the fidelity rule of
:mod:`plangraph.text.fidelity`): ``clean`` only drops characters, never rewrites them.

Furniture (page markers, running headers, table-of-contents lines) is found here too, so the
parsers never see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_MARKUP = re.compile(r"<[^>]*>|\[bookmark:[^\]]*\]|\[footnoteRef:\d+\]|\*\*|\uFFFD")
_FOOTNOTE_BODY = re.compile(r"\[\d+:\s[^\]]*\]?")
_SPACE = re.compile(r"\s+")
_ALNUM = re.compile(r"\w", re.UNICODE)
PAGE_MARK = re.compile(r"^\s*(?:-{3,}|<!--\s*page\s*\d+\s*-->)\s*$", re.IGNORECASE)
_TOC = re.compile(r"(?:\t|\.{3,}|…+)\s*\d{1,4}\s*$")
_ITEM_TAGS = re.compile(r"<(p|li|u|td|th)(\s[^>]*)?>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-–—•●▪◦‣∙*]\s*)?(?:[▶►▸➢➤✓]\s*)?")
_BULLET_ONLY = re.compile(r"^\s*[-–—•●▪◦‣∙*▶►▸➢➤✓]+\s*")


@lru_cache(maxsize=65536)
def clean(raw: str) -> str:
    """Drop conversion markup and footnote bodies, collapse whitespace.

    >>> clean("<p>Hito 3</p>  **Seguimiento**\\t y [bookmark: X]monitoreo [1: nota al pie]")
    'Hito 3 Seguimiento y monitoreo'
    """
    text = unicodedata.normalize("NFC", raw)
    text = _FOOTNOTE_BODY.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    return text if _ALNUM.search(text) else ""


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent- and case-folded words, for comparing vocabulary (never for quotes).

    >>> fold("  Acción **Estratégica**: ")
    'accion estrategica'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", stripped.casefold().replace("_", " "))
    return _SPACE.sub(" ", words).strip()


def strip_bullet(text: str) -> str:
    """Remove a leading list mark ("-", "•", "- ▶").

    >>> strip_bullet("- ▶ Funprosperiti")
    'Funprosperiti'
    """
    return _BULLET.sub("", text, count=1).strip()


def has_bullet(text: str) -> bool:
    """True when the text starts with a list mark."""
    return bool(_BULLET_ONLY.match(text))


def split_tagged(raw: str) -> list[tuple[str, str | None]]:
    """The items of a cell in order, each with the tag it stood in (``p``, ``li``, ``u``,
    ``td``, ``th``; None for text between tags), cleaned, empty pieces dropped.

    >>> split_tagged("<p>Uno:</p> <ul> <li>a</li> </ul> fin")
    [('Uno:', 'p'), ('a', 'li'), ('fin', None)]
    """
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for m in _ITEM_TAGS.finditer(raw):
        pieces.append((clean(raw[pos : m.start()]), None))
        pieces.append((clean(m.group(3)), m.group(1).lower()))
        pos = m.end()
    pieces.append((clean(raw[pos:]), None))
    return [(text, tag) for text, tag in pieces if text]


def split_items(raw: str) -> list[str]:
    """The items of a cell in order (see :func:`split_tagged`).

    >>> split_items("<b>Fortalezas</b> <u>Uno</u> <u></u> <u>Dos</u>")
    ['Fortalezas', 'Uno', 'Dos']
    """
    return [text for text, _ in split_tagged(raw)]


@dataclass(frozen=True)
class Line:
    """One line of the converted text."""

    number: int
    raw: str
    cells: tuple[str, ...]
    text: str

    @property
    def blank(self) -> bool:
        """No words on the line."""
        return not self.text

    @property
    def tab_led(self) -> bool:
        """The line starts a table cell (a tab before its first word)."""
        head = self.raw[: len(self.raw) - len(self.raw.lstrip())]
        return "\t" in head and not self.blank

    @cached_property
    def filled_cells(self) -> list[tuple[int, str]]:
        """(column, cleaned text) of the non-empty cells."""
        return [(i, c) for i, c in enumerate(clean(cell) for cell in self.cells) if c]

    @property
    def is_row(self) -> bool:
        """A table row: two or more non-empty cells."""
        return len(self.filled_cells) >= 2


@dataclass
class Paragraph:
    """Consecutive lines read as one unit: a text paragraph, a table row or a cell."""

    lines: list[Line]
    row: bool = False
    cell: bool = False

    @property
    def first(self) -> int:
        """Its first line number."""
        return self.lines[0].number

    @property
    def text(self) -> str:
        """Its words, lines joined by a space."""
        return " ".join(line.text for line in self.lines if line.text)

    def spans(self) -> list[tuple[int, str]]:
        """(line, text) of each non-empty line."""
        return [(line.number, line.text) for line in self.lines if line.text]


_CONNECTORS = {
    "de", "del", "la", "las", "el", "los", "y", "e", "o", "u", "en", "con", "para", "por", "a",
    "al", "que", "su", "sus", "un", "una", "of", "the", "and", "or", "to", "for", "in", "on",
    "with", "by", "an",
}  # fmt: skip


def continues(previous: str, following: str) -> bool:
    """True when ``following`` reads as the continuation of ``previous`` (a wrapped line or a
    cell cut by a page break): the previous text does not end a sentence and the next starts in
    lower case, or the previous ends with a connecting word, comma, slash or hyphen.

    >>> continues("Institución o actor", "responsable de la")
    True
    >>> continues("Plazo (meses)", "Instituciones involucradas")
    False
    """
    prev = previous.rstrip().rstrip("*").rstrip()
    nxt = following.lstrip().lstrip("*").lstrip()
    if not prev or not nxt or has_bullet(nxt):
        return False
    if prev[-1] in ",/-–":
        return True
    if prev[-1] in ".:;?!)":
        return False
    last = fold(prev).rsplit(" ", 1)[-1] if fold(prev) else ""
    if last in _CONNECTORS:
        return True
    return nxt[0].islower() or nxt[0] == "("


@dataclass
class TextDoc:
    """A converted document: its lines, which of them are furniture, and its paragraphs."""

    lines: list[Line]
    furniture: set[int] = field(default_factory=set)

    @classmethod
    def from_text(cls, text: str, structural: Callable[[str], bool] = lambda _t: False) -> TextDoc:
        """Split text into lines (``\\n`` only, as the loader and ``cat -n`` count them).

        ``structural``: true for folded text that is never furniture (the profile's
        vocabulary)."""
        raws = text.split("\n")
        if raws and raws[-1] == "":
            raws.pop()
        lines = [Line(i + 1, raw, tuple(raw.split("\t")), clean(raw)) for i, raw in enumerate(raws)]
        doc = cls(lines)
        doc.furniture = _furniture(lines, structural)
        return doc

    def line(self, number: int) -> Line:
        """The line with this 1-based number."""
        return self.lines[number - 1]

    def paragraphs(self) -> list[Paragraph]:
        """Paragraphs in order, furniture left out (see :func:`continues` for joins)."""
        out: list[Paragraph] = []
        current: Paragraph | None = None
        for line in self.lines:
            if line.number in self.furniture or line.blank or PAGE_MARK.match(line.raw):
                current = None
                continue
            if line.is_row:
                out.append(Paragraph([line], row=True))
                current = None
                continue
            starts_item = line.tab_led or has_bullet(line.text) or _starts_numbered(line.text)
            if (
                current is not None
                and not current.row
                and not starts_item
                and continues(current.lines[-1].text, line.text)
            ):
                current.lines.append(line)
                continue
            current = Paragraph([line], cell=line.tab_led)
            out.append(current)
        return out


_NUMBERED_START = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[IVXLC]{1,6}\.|[a-z][.)])\s")


def _starts_numbered(text: str) -> bool:
    return bool(_NUMBERED_START.match(text))


def _toc(lines: Sequence[Line]) -> set[int]:
    """Table-of-contents lines: an entry ending in a page number (after a tab or dot
    leaders), in a run of at least three such lines."""
    found = [
        ln.number
        for ln in lines
        if not ln.blank and _TOC.search(ln.raw) and len(ln.text.split()) >= 3
    ]
    out: set[int] = set()
    run: list[int] = []
    for n in [*found, 10**9]:
        if run and n - run[-1] > 3:
            if len(run) >= 3:
                out.update(run)
            run = []
        run.append(n)
    return out


def _furniture(lines: Sequence[Line], structural: Callable[[str], bool]) -> set[int]:
    """Page markers, table-of-contents lines and running headers/footers.

    A running header is a block of two or more consecutive short plain lines repeated at least
    three times, or a short plain line repeated at least three times next to page markers. List
    items, lines without letters and the profile's vocabulary (``structural``: column headers
    and field labels repeat on every page too, and are structure) never are."""
    marks = {line.number for line in lines if PAGE_MARK.match(line.raw)}
    out = set(marks)
    out |= _toc(lines)

    def plain(ln: Line) -> bool:
        return (
            not ln.blank
            and "\t" not in ln.raw
            and ln.number not in out
            and not has_bullet(ln.text)
            and any(c.isalpha() for c in ln.text)
            and len(ln.text.split()) <= 10
        )

    candidates = {ln.number: fold(ln.text) for ln in lines if plain(ln)}
    near_mark = {n for m in marks for n in range(m - 3, m + 4)}
    occurrences: dict[str, list[int]] = {}
    for number, key in candidates.items():
        occurrences.setdefault(key, []).append(number)
    for key, numbers in occurrences.items():
        near = sum(n in near_mark for n in numbers)
        if len(numbers) >= 3 and near * 2 >= len(numbers) and not structural(key):
            out.update(numbers)
    blocks: dict[tuple[str, ...], list[list[int]]] = {}
    run: list[int] = []
    for ln in [*lines, Line(len(lines) + 1, "", ("",), "")]:
        if ln.number in candidates:
            run.append(ln.number)
            continue
        if len(run) >= 2:
            key2 = tuple(candidates[n] for n in run)
            blocks.setdefault(key2, []).append(list(run))
        run = []
    for key2, found in blocks.items():
        if len(found) >= 3 and not structural(" ".join(key2)):
            for numbers in found:
                out.update(numbers)
    return out
