"""Normalise printed timeframes to OWL-Time where the text allows it; report the rest.

A timeframe text is split into parts (on line breaks, ``|`` and dashes between words) and each
part is read (in Spanish or English) as one of:

- a duration: ``6 meses``, ``1 año``, ``dos semanas`` → ``xsd:duration`` (``P6M``), anchored to
  the plan's period start when that start is a month or a day;
- a category: ``Corto/Mediano/Largo plazo``, ``Continuo``, ``permanente``, ``Dos veces al año``
  (recurring), ``Por definir`` (undefined) → a concept of ``vocab/timeframe-category``;
- a date or period: ``Junio 2023``, ``30.6.2023``, ``Año 2024``, and ``I/II Semestre`` or
  ``I–IV Trimestre`` when a schedule column gives the year → an interval.

Anything else is returned as :class:`Unparsed` with its reason, never guessed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field

MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "sept": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
NUMBERS = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "dieciocho": 18,
    "veinticuatro": 24,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
}
UNITS = {
    "mes": "M",
    "meses": "M",
    "ano": "Y",
    "anos": "Y",
    "semana": "W",
    "semanas": "W",
    "dia": "D",
    "dias": "D",
    "month": "M",
    "months": "M",
    "year": "Y",
    "years": "Y",
    "week": "W",
    "weeks": "W",
    "day": "D",
    "days": "D",
}
CATEGORIES = [
    (re.compile(r"^corto plazo$"), "short-term"),
    (re.compile(r"^mediano plazo$"), "medium-term"),
    (re.compile(r"^largo plazo$"), "long-term"),
    (re.compile(r"^(continuo|continua|de forma continua|permanentemente)$"), "continuous"),
    (re.compile(r"^(\w+ )*permanente$"), "permanent"),
    (
        re.compile(
            r"^(dos|tres|cuatro|una) veces? (al|por) ano$|^(anual|semestral|trimestral|"
            r"mensual)(mente)?$"
        ),
        "recurring",
    ),
    (re.compile(r"^por definir$|^a definir$|^pendiente$"), "undefined"),
    (re.compile(r"^short[- ]term$"), "short-term"),
    (re.compile(r"^medium[- ]term$"), "medium-term"),
    (re.compile(r"^long[- ]term$"), "long-term"),
    (re.compile(r"^(ongoing|continuous|continuously)$"), "continuous"),
    (re.compile(r"^(\w+ )*permanent$"), "permanent"),
    (
        re.compile(
            r"^(once|twice|\w+ times) (a|per) year$|^(measured? )?(annually|yearly|quarterly|"
            r"monthly|semiannually|biannually)\b|^every (year|quarter|month)$"
        ),
        "recurring",
    ),
    (re.compile(r"^(to be determined|tbd|to be defined)$"), "undefined"),
]
DATE_WORDS = {"de", "del", "al", "ano", "y", "a", "/", "by", "the", "end", "of", "in", "on"}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SPLIT = re.compile(r"\n|\s\|\s|\s[–—-]\s")
_STRUCK = re.compile(r"<(s|strike|del)>.*?</\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_RELATIVE = re.compile(
    r"^(?:within |en |dentro de )?(\d+|[a-z]+) ([a-z]+) (?:of|after|from|following|de|despues de|"
    r"tras|a partir de) .+$"
)


def _clean(text: str) -> str:
    """Markup read as a document shows it: struck-through text (a superseded date) deleted, other
    tags and asterisks (footnote marks) dropped.

    >>> _clean("<s>June 30, 2020</s> <b>July 31, 2020*</b>")
    'July 31, 2020'
    """
    text = _TAG.sub(" ", _STRUCK.sub(" ", text))
    return " ".join(text.replace("*", " ").split())


def fold(text: str) -> str:
    """Lowercase, strip accents, collapse spaces and trailing punctuation.

    >>> fold("  Mediano  Plazo. ")
    'mediano plazo'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", text).strip(" .;,")


@dataclass(frozen=True)
class Timeframe:
    """What could be read from a timeframe text."""

    text: str
    categories: tuple[str, ...] = ()
    duration: str | None = None
    begin: str | None = None
    end: str | None = None
    how: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Unparsed:
    """A timeframe text (or part of one) that could not be placed, and why."""

    text: str
    reason: str


def parse_date(text: str) -> str | None:
    """An ISO date, year-month or year from a printed date; the last one when several are printed.

    >>> parse_date("Junio 2023"), parse_date("30.6.2025"), parse_date("Enero 2024 Junio 2025")
    ('2023-06', '2025-06-30', '2025-06')
    >>> parse_date("Año 2024"), parse_date("pronto") is None
    ('2024', True)
    >>> parse_date("September 30, 2021"), parse_date("by the end of June 2021")
    ('2021-09-30', '2021-06')
    """
    t = fold(text)
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b", t):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((m.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    for m in re.finditer(r"\b(\d{1,2}) (?:de )?(\w+),? (?:de )?(\d{4})\b", t):
        if m.group(2) in MONTHS:
            found.append(
                (m.start(), f"{int(m.group(3)):04d}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}")
            )
    for m in re.finditer(r"\b([a-z]+)\.? (\d{1,2}),? (\d{4})\b", t):  # September 30, 2021
        if m.group(1) in MONTHS and 1 <= int(m.group(2)) <= 31:
            found.append(
                (m.start(), f"{int(m.group(3)):04d}-{MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}")
            )
    if not found:
        for m in re.finditer(r"\b(\w+),? (?:de )?(\d{4})\b", t):
            if m.group(1) in MONTHS:
                found.append((m.start(), f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"))
    if not found:
        for m in re.finditer(r"\b(?:ano )?(\d{4})\b", t):
            found.append((m.start(), m.group(1)))
    if not found:
        return None
    return max(found)[1]


def add_months(start: str, months: int) -> str:
    """Add months to a YYYY-MM or YYYY-MM-DD date (day clipped to the month's last day).

    >>> add_months("2023-06-30", 6), add_months("2017-11", 3), add_months("2024-01-31", 1)
    ('2023-12-30', '2018-02', '2024-02-29')
    """
    year, month = int(start[:4]), int(start[5:7])
    total = year * 12 + (month - 1) + months
    y, m = divmod(total, 12)
    if len(start) == 7:
        return f"{y:04d}-{m + 1:02d}"
    day = min(int(start[8:10]), calendar.monthrange(y, m + 1)[1])
    return f"{y:04d}-{m + 1:02d}-{day:02d}"


def _duration(t: str) -> tuple[int, str] | None:
    units = "|".join(UNITS)
    m = re.match(rf"^(?:within |en |dentro de )?(\d+|[a-z]+) ({units})$", t)
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else NUMBERS.get(m.group(1))
    if n is None:
        return None
    return n, UNITS[m.group(2)]


def _period_part(t: str, year: str | None) -> tuple[str, str] | Unparsed | None:
    m = re.match(r"^(i{1,3}|iv) (semestre|trimestre)$", t)
    if not m:
        return None
    n = ROMAN[m.group(1)]
    size = 6 if m.group(2) == "semestre" else 3
    if n * size > 12:
        return Unparsed(t, f"there is no {m.group(1).upper()} {m.group(2)} in a year")

    if year is None or not re.fullmatch(r"\d{4}", year):
        unit = "semester" if m.group(2) == "semestre" else "quarter"
        return Unparsed(t, f"a {unit} with no year to place it in (no period column gives one)")
    begin = f"{year}-{(n - 1) * size + 1:02d}"
    end = f"{year}-{n * size:02d}"
    return begin, end


def parse_timeframe(
    text: str, plan_start: str | None = None, year: str | None = None
) -> tuple[Timeframe | None, list[Unparsed]]:
    """Read one printed timeframe. ``plan_start`` anchors durations; ``year`` (a schedule
    column) places semesters and trimesters.

    >>> tf, bad = parse_timeframe("6 meses")
    >>> tf.duration, bad
    ('P6M', [])
    >>> tf, bad = parse_timeframe("12 meses – actualización permanente")
    >>> tf.duration, tf.categories
    ('P12M', ('relative-duration', 'permanent'))
    >>> parse_timeframe("II Semestre", year="2018")[0].begin
    '2018-07'
    >>> parse_timeframe("cuando se pueda")[1][0].reason
    'not a duration, date, period or known category'
    >>> tf, bad = parse_timeframe("Within 60 days")
    >>> tf.duration, parse_timeframe("Ongoing")[0].categories
    ('P60D', ('continuous',))
    >>> parse_timeframe("Within 60 days of the completion of inventories")[0].duration
    'P60D'
    >>> parse_timeframe("<s>June 30, 2020</s> <b>July 31, 2020*</b>")[0].begin
    '2020-07-31'
    """
    categories: list[str] = []
    how: list[str] = []
    unparsed: list[Unparsed] = []
    duration = begin = end = None
    for raw in _SPLIT.split(_clean(text) if "<" in text or "*" in text else text):
        t = fold(raw)
        if not t:
            continue
        rel = _RELATIVE.match(t)
        relative = _duration(f"{rel.group(1)} {rel.group(2)}") if rel else None
        if relative is not None:
            duration = f"P{relative[0]}{relative[1]}"
            categories.append("relative-duration")
            how.append(f"'{raw.strip()}' → duration {duration} after an event (not anchored)")
            continue
        cat = next((c for rx, c in CATEGORIES if rx.match(t)), None)
        if cat is not None:
            categories.append(cat)
            how.append(f"'{raw.strip()}' → category {cat}")
            continue
        dur = _duration(t)
        if dur is not None:
            n, unit = dur
            duration = f"P{n}{unit}"
            categories.append("relative-duration")
            how.append(f"'{raw.strip()}' → duration {duration}")
            if plan_start and len(plan_start) >= 7 and unit in ("M", "Y"):
                begin = plan_start
                end = add_months(plan_start, n if unit == "M" else 12 * n)
                how.append(f"anchored at the plan's start {plan_start}")
            continue
        period = _period_part(t, year)
        if isinstance(period, Unparsed):
            unparsed.append(Unparsed(raw.strip(), period.reason))
            continue
        if period is not None:
            begin, end = period
            categories.append("calendar-period")
            how.append(f"'{raw.strip()}' in {year} → {begin}..{end}")
            continue
        date = parse_date(t)
        if date is not None and all(
            w in MONTHS or w in DATE_WORDS or re.fullmatch(r"[\d./-]+", w)
            for w in t.replace(",", " ").split()
        ):
            begin = begin or date
            categories.append("calendar-period")
            how.append(f"'{raw.strip()}' → {date}")
            continue
        unparsed.append(Unparsed(raw.strip(), "not a duration, date, period or known category"))
    if not (categories or duration or begin):
        return None, unparsed
    unique = tuple(dict.fromkeys(categories))
    return Timeframe(text, unique, duration, begin, end, tuple(how)), unparsed
