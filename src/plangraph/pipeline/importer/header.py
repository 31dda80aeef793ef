"""The plan header: title, period, issuer, status, version and language, read from the front
matter (the lines before the first element) and the title. Every value is a verbatim quote with
its lines, or left out; each guess goes to the review list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plangraph.pipeline.importer.institutions import MentionFinder
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.textdoc import TextDoc, fold, has_bullet
from plangraph.pipeline.importer.tree import Piece
from plangraph.pipeline.records import Role, Status

_TITLE_WORDS = {
    "plan", "planes", "estrategia", "estrategico", "estrategica", "programa", "matriz", "agenda",
    "hoja", "politica", "strategy", "strategic", "roadmap", "framework", "program", "programme",
    "matrix", "policy",
}  # fmt: skip
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)\b")
_DMY = re.compile(
    r"\b(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)\s*(?:/|-|–|al|a|to)\s*"
    r"(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)\b"
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("enero", "january"), ("febrero", "february"), ("marzo", "march"),
            ("abril", "april"), ("mayo", "may"), ("junio", "june"), ("julio", "july"),
            ("agosto", "august"), ("septiembre", "setiembre", "september"),
            ("octubre", "october"), ("noviembre", "november"), ("diciembre", "december"),
        ]
    )
    for m in names
}  # fmt: skip
_DATE = r"(\d{1,2})\s+(?:de\s+)?([a-záéíóú]+)\s+(?:de\s+|del\s+)?((?:19|20)\d\d)"
_LONG = re.compile(
    rf"\b(?:del?\s+|from\s+)?{_DATE}\s+(?:al|a|to|hasta el|-)\s+{_DATE}", re.IGNORECASE
)
_STATUS = (
    (Status.DRAFT, re.compile(r"\b(borrador|draft|preliminar|propuesta de plan)\b", re.I)),
    (Status.UPDATED, re.compile(r"\b(actualizaci[oó]n|actualizado|updated|update)\b", re.I)),
    (Status.ADOPTED, re.compile(r"\b(aprobad[oa]|adoptad[oa]|adopted|approved)\b", re.I)),
)
_VERSION = re.compile(r"\b(versi[oó]n|version|borrador|draft)\b", re.I)
_JOINING = {"de", "del", "la", "el", "y", "of", "the", "and", "for"}
_ES = {"de", "la", "el", "los", "las", "y", "en", "para", "con", "del", "que", "por"}
_EN = {"the", "of", "and", "to", "for", "in", "with", "on", "by", "is", "that"}


@dataclass
class Header:
    """What the header of the draft says, each value with its lines."""

    title: list[Piece] = field(default_factory=list)
    issuer: list[str] = field(default_factory=list)
    issuer_text: list[Piece] = field(default_factory=list)
    country: str | None = None
    period: tuple[str, str] | None = None
    period_text: list[Piece] = field(default_factory=list)
    status: Status = Status.UNKNOWN
    version: list[Piece] = field(default_factory=list)
    language: str = "es"


def detect_language(text: str) -> str:
    """``es`` or ``en`` by counting common function words.

    >>> detect_language("The plan of action and the goals for the agency")
    'en'
    """
    ws = fold(text).split()
    es = sum(w in _ES for w in ws)
    en = sum(w in _EN for w in ws)
    return "en" if en > es else "es"


def read_header(
    doc: TextDoc,
    first_element: int | None,
    finder: MentionFinder,
    review: Review,
    language: str | None,
    country: str | None,
) -> Header:
    """Read the header from the front matter (the lines before ``first_element``, at most 60;
    a document whose first element comes at once has the title searched in its first lines)."""
    end = min(first_element or 60, 60)
    front = [ln for ln in doc.lines[: end - 1] if not ln.blank]
    if len(front) < 1:
        front = [ln for ln in doc.lines[:5] if not ln.blank and not ln.is_row]
    header = Header(country=country)
    header.language = language or detect_language(" ".join(ln.text for ln in doc.lines[:400]))
    body = [
        ln
        for ln in front
        if ln.number not in doc.furniture and not ln.is_row and not has_bullet(ln.text)
    ]
    _title(header, body, review)
    _period(header, doc, front, review)
    _status(header, front, review)
    plain = [ln for ln in front if not has_bullet(ln.text) and not ln.is_row]
    _issuer(header, plain[:15], finder, review)
    return header


def _title(header: Header, lines: list, review: Review) -> None:  # type: ignore[type-arg]
    best = None
    for ln in lines:
        ws = fold(ln.text).split()
        if not ws or len(ws) > 30 or ln.text.isdigit() or "](" in ln.raw or "://" in ln.raw:
            continue
        heading = ln.raw.lstrip().startswith(("**", "#", "<b>", "<h"))
        score = sum(w in _TITLE_WORDS for w in ws) + (1 if heading else 0)
        if best is None or score > best[0]:
            best = (score, ln)
    if best is None:
        return
    line = best[1]
    pieces = [Piece(line.number, line.text)]
    nxt = [ln for ln in lines if ln.number == line.number + 1]
    if nxt and line.text.rstrip().split()[-1].lower() in _JOINING:
        pieces.append(Piece(nxt[0].number, nxt[0].text))
    header.title = pieces
    review.add(
        "header",
        pieces[0].line,
        f"title read as '{' '.join(p.text for p in pieces)}'",
    )


def _period(header: Header, doc: TextDoc, front: list, review: Review) -> None:  # type: ignore[type-arg]
    candidates = [*header.title, *(Piece(ln.number, ln.text) for ln in front)]
    candidates += [
        Piece(ln.number, ln.text)
        for ln in doc.lines
        if any(
            w in fold(ln.text).split()[:3]
            for w in ("temporalidad", "periodo", "vigencia", "period")
        )
    ]
    for piece in candidates:
        text = piece.text
        for pattern, conv in ((_LONG, _long), (_DMY, _dmy), (_YEARS, _years)):
            m = pattern.search(text)
            if m is None:
                continue
            value = conv(m)
            if value is None:
                continue
            header.period = value
            header.period_text = [Piece(piece.line, m.group(0).strip())]
            review.add(
                "header", piece.line, f"period read as {value[0]} – {value[1]} from '{m.group(0)}'"
            )
            return


def _years(m: re.Match[str]) -> tuple[str, str] | None:
    a, b = m.group(1), m.group(2)
    return (a, b) if a <= b else None


def _dmy(m: re.Match[str]) -> tuple[str, str] | None:
    d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
        return None
    return f"{y1:04d}-{m1:02d}-{d1:02d}", f"{y2:04d}-{m2:02d}-{d2:02d}"


def _long(m: re.Match[str]) -> tuple[str, str] | None:
    d1, mon1, y1, d2, mon2, y2 = m.groups()
    a, b = _MONTHS.get(fold(mon1)), _MONTHS.get(fold(mon2))
    if a is None or b is None:
        return None
    return f"{y1}-{a:02d}-{int(d1):02d}", f"{y2}-{b:02d}-{int(d2):02d}"


def _status(header: Header, front: list, review: Review) -> None:  # type: ignore[type-arg]
    texts = [Piece(ln.number, ln.text) for ln in front]
    for status, pattern in _STATUS:
        for piece in texts:
            m = pattern.search(piece.text)
            if m:
                header.status = status
                review.add(
                    "header", piece.line, f"status read as {status.value} from '{m.group(0)}'"
                )
                if _VERSION.search(piece.text) and len(piece.text.split()) <= 15:
                    header.version = [piece]
                return
    review.add("header", 1, "no status stated: set to unknown")


def _issuer(header: Header, front: list, finder: MentionFinder, review: Review) -> None:  # type: ignore[type-arg]
    for ln in front:
        mentions = [
            m
            for m in finder.scan(Piece(ln.number, ln.text), Role.ISSUER, cell=False)
            if m.id is not None and m.score >= 100.0 and not finder.authority.by_id[m.id].generic
        ]
        for m in mentions:
            if m.id is not None and m.id not in header.issuer:
                header.issuer.append(m.id)
            if not header.issuer_text:
                header.issuer_text = [Piece(ln.number, ln.text)]
    if header.issuer:
        review.add(
            "header",
            header.issuer_text[0].line if header.issuer_text else 1,
            f"issuer read as {', '.join(header.issuer)} (bodies named before the first element)",
        )
