"""PDF to text lines with pdfplumber, reading order kept.

Per page, top to bottom: ruled tables (pdfplumber's table finder) become one row a line with
cells separated by tabs; other words are grouped into visual lines, and a line that wraps (it
reaches the right margin and the next line's first word would not have fitted) is joined to the
next, so a paragraph is one line as in a converted text; a wide gap between words becomes a
tab; a taller gap between lines becomes a blank line. Pages are separated by a
``<!-- page N -->`` line.

A PDF that needs a password, or that has no text layer (scanned pages: it needs OCR), is
refused with a clear error; nothing is guessed.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.pipeline.importer.formats import fail

_STARTS_ITEM = re.compile(
    r"^(?:[-–—•●▪◦‣∙*▶►]|\d{1,2}(?:\.\d{1,2})*[.)]?\s|[IVXLC]{1,6}\.\s|[a-z][.)]\s)"
)


@dataclass
class _Line:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    words: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    table: bool = False


def _group(words: list[dict[str, Any]]) -> list[_Line]:
    """Words into visual lines (by their top), each line's words left to right, wide gaps as
    tabs."""
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        size = float(w.get("size") or (w["bottom"] - w["top"]))
        if lines and abs(w["top"] - lines[-1].top) <= 0.5 * size:
            line = lines[-1]
            line.words.append(w)
            line.x1 = max(line.x1, w["x1"])
            line.bottom = max(line.bottom, w["bottom"])
            continue
        lines.append(_Line(w["top"], w["bottom"], w["x0"], w["x1"], size, [w]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        parts = [line.words[0]["text"]]
        for a, b in zip(line.words, line.words[1:], strict=False):
            char = (a["x1"] - a["x0"]) / max(len(a["text"]), 1)
            gap = b["x0"] - a["x1"]
            parts.append("\t" if gap > 4 * char else " ")
            parts.append(b["text"])
        line.text = "".join(parts)
        line.x0 = line.words[0]["x0"]
    return lines


def _paragraphs(lines: list[_Line], right: float) -> list[str]:
    """Visual lines to text lines: wrapped lines joined, blank lines where the gap is tall."""
    out: list[str] = []
    if not lines:
        return out
    heights = [ln.bottom - ln.top for ln in lines if not ln.table] or [10.0]
    height = statistics.median(heights)
    previous: _Line | None = None
    for line in lines:
        if previous is not None:
            gap = line.top - previous.bottom
            first_word = line.words[0] if line.words else None
            fits = (
                first_word is not None
                and previous.x1 + (first_word["x1"] - first_word["x0"]) + 2 * height < right
            )
            wrapped = (
                not line.table
                and not previous.table
                and gap < 0.6 * height
                and not fits
                and "\t" not in previous.text
                and "\t" not in line.text
                and not _STARTS_ITEM.match(line.text)
            )
            if wrapped:
                out[-1] = f"{out[-1]} {line.text}"
                previous = line
                continue
            if gap > 0.9 * height:
                out.append("")
        out.append(line.text)
        previous = line
    return out


def _page(page: Any) -> list[str]:
    """One page's text lines in reading order."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def inside(w: dict[str, Any]) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    words = [
        w for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False) if not inside(w)
    ]
    lines = _group(words)
    for table in tables:
        x0, top, x1, bottom = table.bbox
        for row in table.extract():
            text = "\t".join(" ".join((cell or "").split()) for cell in row)
            if text.strip():
                lines.append(_Line(top, top, x0, x1, 0.0, [], text.rstrip("\t"), table=True))
                top += 0.01
        lines.append(_Line(bottom, bottom, x0, x1, 0.0, [], "", table=True))
    lines.sort(key=lambda ln: ln.top)
    right = max((ln.x1 for ln in lines if not ln.table), default=page.width)
    return _paragraphs(lines, right)


def pdf_text(path: Path, say: Callable[[str], None]) -> tuple[str, int]:
    """The text of a PDF and its number of pages (see the module docstring)."""
    import pdfplumber  # imported here: only needed for PDFs
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer's many exception types
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any(isinstance(c, PDFPasswordIncorrect) for c in causes):
            raise fail(
                path,
                "encrypted PDF: it needs a password; decrypt it first "
                "(e.g. `qpdf --decrypt --password=… in.pdf out.pdf`)",
            ) from None
        raise fail(path, f"damaged or unreadable PDF ({type(exc).__name__})") from None
    out: list[str] = []
    chars = images = 0
    with pdf:
        count = len(pdf.pages)
        for i, page in enumerate(pdf.pages):
            if i and i % 10 == 0:
                say(f"page {i + 1} of {count}")
            chars += len(page.chars)
            images += len(page.images)
            if i:
                out += ["", f"<!-- page {i + 1} -->", ""]
            out += _page(page)
    if chars == 0:
        if images:
            raise fail(
                path,
                f"the PDF has no text layer ({images} image(s) on {count} page(s)): it needs OCR "
                "first (e.g. `ocrmypdf in.pdf out.pdf`); plangraph does not guess",
            )
        raise fail(path, "the PDF has no text")
    text = "\n".join(out)
    text = re.sub(r"\n{3,}(?!<!--)", "\n\n", text)
    return text.strip("\n") + "\n", count
