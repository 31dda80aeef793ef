"""Reading one paragraph: a kind label ("Resultado 2:"), a numbering ("1.1", "IV."), a field
label ("Plazo:"), a heading. Pure functions over text; the vocabulary comes from the profile."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangraph.pipeline.importer.profile import Vocabulary, words
from plangraph.pipeline.importer.textdoc import fold, strip_bullet
from plangraph.pipeline.importer.tree import Piece
from plangraph.pipeline.records import ElementKind

_ROMAN_VALID = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_CODE = re.compile(
    r"^\s*(?:n[°º.]\s*)?(?P<code>\d{1,3}(?:\.\d{1,3})*(?:[a-z](?=[\s.:)]))?|[IVXLC]{1,7}(?=[\s.:)\-–—]|$)"
    r"|[A-Za-z](?=[.):]))"
)
_SEP = re.compile(r"^\s*[:.)\-–—]*\s*")
_NUMBERED = (
    ("number.number.number", re.compile(r"^(?P<code>\d{1,2}\.\d{1,2}\.\d{1,2})\.?(?=\s|$)")),
    ("number.number", re.compile(r"^(?P<code>\d{1,2}\.\d{1,2})\.?(?=\s|$)")),
    ("number", re.compile(r"^(?P<code>\d{1,2})[.)](?=\s|$)")),
    ("roman", re.compile(r"^(?P<code>[IVXLC]{1,7})[.)](?=\s|$)")),
    ("letter", re.compile(r"^(?P<code>[a-zA-Z])[.)](?=\s|$)")),
)
_PAREN = re.compile(r"\([^)]*\)")
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-ZÁÉÍÓÚÑ¿“\"])")


def cut(pieces: list[Piece], chars: int) -> list[Piece]:
    """Drop the first ``chars`` characters of the first piece (a label or a number), and any
    list mark and separator left at the start; empty pieces are removed."""
    if not pieces:
        return []
    first = pieces[0].text[chars:]
    first = _SEP.sub("", first, count=1) if chars else first
    out = [Piece(pieces[0].line, first.strip()), *pieces[1:]]
    return [p for p in out if p.text]


def unbullet(pieces: list[Piece]) -> list[Piece]:
    """Remove a leading list mark from the first piece."""
    if not pieces:
        return []
    return [p for p in [Piece(pieces[0].line, strip_bullet(pieces[0].text)), *pieces[1:]] if p.text]


@dataclass(frozen=True)
class Label:
    """A kind label at the start of a paragraph."""

    kind: ElementKind
    code: str | None
    rest: list[Piece]
    plural: bool
    heading: bool


def read_label(pieces: list[Piece], vocab: Vocabulary) -> Label | None:
    """A kind label with a code, a colon, or nothing after it: "Acción 1.1", "Resultado 2:
    text", "Visión:", "COMPROMISO". Anything else starting with a kind word is a sentence.

    ``heading``: the label stands alone (its text is in the next paragraph)."""
    pieces = unbullet(pieces)
    if not pieces:
        return None
    first = pieces[0].text
    match = vocab.kinds.at(first)
    if match is None:
        return None
    after = first[match.end :]
    code_match = _CODE.match(after)
    code = None
    if code_match:
        candidate = code_match.group("code")
        if not re.fullmatch(r"[IVXLC]+", candidate) or _ROMAN_VALID.match(candidate):
            code = candidate
            after = after[code_match.end() :]
    colon = after.lstrip().startswith(":")
    rest = cut(pieces, len(first) - len(after))
    text = " ".join(p.text for p in rest)
    alone = not text
    if not (code or colon or alone):
        # "Objetivo general del Plan …:" – words after the label, then a colon: a heading
        if len(pieces) == 1 and first.rstrip().endswith(":") and len(words(after)) <= 8:
            alone = True
            rest = []
        else:
            return None
    return Label(
        ElementKind(match.value),
        code.rstrip(".") if code else None,
        rest,
        vocab.kinds.plural(match),
        alone,
    )


@dataclass(frozen=True)
class Numbered:
    """A numbered item: its scheme, code and text."""

    scheme: str
    code: str
    rest: list[Piece]


def read_numbered(pieces: list[Piece]) -> Numbered | None:
    """ "1.1 text", "IV. text", "a) text" (after any list mark). Roman numerals must be valid.

    >>> n = read_numbered([Piece(3, "1.2. Impulsar un sistema")])
    >>> (n.scheme, n.code, n.rest[0].text)
    ('number.number', '1.2', 'Impulsar un sistema')
    """
    pieces = unbullet(pieces)
    if not pieces:
        return None
    first = pieces[0].text
    for scheme, pattern in _NUMBERED:
        m = pattern.match(first)
        if not m:
            continue
        code = m.group("code")
        if scheme == "roman" and not _ROMAN_VALID.match(code):
            continue
        return Numbered(scheme, code, cut(pieces, m.end()))
    return None


def is_bare_number(text: str) -> bool:
    """A paragraph that is only a number (a stray cell)."""
    return bool(_BARE_NUMBER.match(text))


def is_heading(text: str, raw: str = "") -> bool:
    """Looks like a heading: short, and a question, ending with a colon, mostly capitals, or
    printed in bold."""
    stripped = text.strip()
    n = len(stripped.split())
    if not stripped or n > 16:
        return False
    if stripped.startswith("¿") or stripped.endswith("?") or stripped.endswith(":"):
        return True
    letters = [c for c in stripped if c.isalpha()]
    if n >= 2 and letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    bold = raw.lstrip().startswith(("**", "<b>", "<strong>")) and not stripped.endswith(".")
    return bold and n <= 12


@dataclass(frozen=True)
class FieldLabel:
    """A paragraph naming one or more fields ("Plazo:", "Fecha de inicio / Fecha de término"),
    with an inline value after a colon."""

    fields: list[str]
    value: list[Piece]


def read_field_label(pieces: list[Piece], vocab: Vocabulary) -> FieldLabel | None:
    """Fields named at the start of a paragraph: the whole paragraph (a label line) or the
    part before a colon ("Responsable: MINEX")."""
    pieces = unbullet(pieces)
    if not pieces:
        return None
    text = " ".join(p.text for p in pieces)
    head, colon, _ = text.partition(":")
    label_text = _PAREN.sub(" ", head if colon else text)
    found = vocab.fields.find(label_text)
    if not found:
        return None
    covered = sum(m.words for _, m in found)
    total = len(words(label_text))
    if covered < max(1, total - 1) or found[0][0] != 0:
        return None
    value: list[Piece] = []
    if colon:
        value = cut(pieces, len(head) + 1) if len(pieces[0].text) > len(head) else []
    return FieldLabel([m.value for _, m in found], value)


def split_sentences(text: str) -> list[str]:
    """Sentences of a cell (". " followed by a capital).

    >>> split_sentences("Informe publicado. Capacitación a OSC. Socialización.")
    ['Informe publicado.', 'Capacitación a OSC.', 'Socialización.']
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def first_words(text: str, n: int = 8) -> str:
    """The folded first words, for comparing repeated cells."""
    return " ".join(fold(text).split()[:n])
