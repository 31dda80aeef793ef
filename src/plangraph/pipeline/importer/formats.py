"""Recognise a document's format and convert it to plain text lines.

Formats: PDF (pdfplumber), Word .docx (python-docx), HTML (BeautifulSoup), Markdown
(markdown-it-py, through HTML), spreadsheets .xlsx (openpyxl) and CSV, plain text. The text
keeps the document's words verbatim; tables become one row a line with cells separated by
tabs; PDF page breaks become ``<!-- page N -->`` lines (which the fidelity rule ignores).

Every failure is an :class:`~plangraph.errors.InputError` naming the file: unsupported format,
empty document, encrypted PDF, PDF without a text layer (needs OCR).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plangraph.errors import InputError, Problem

FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".text": "text",
}
_HINTS = {
    ".doc": "old Word format: save it as .docx",
    ".xls": "old Excel format: save it as .xlsx",
    ".odt": "save it as .docx",
    ".ods": "save it as .xlsx",
    ".rtf": "save it as .docx",
    ".pptx": "export the slides as PDF",
}
# characters str.splitlines() breaks on besides \n: they would shift the loader's line count
_LINE_BREAKERS = re.compile("[\x0b\x1c\x1d\x1e\x85\u2028\u2029]")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Converted:
    """A document as text, and where it came from."""

    text: str
    format: str
    name: str
    sha256: str
    pages: int | None = None
    notes: list[str] = field(default_factory=list)


def fail(path: Path, message: str, line: int | None = None) -> InputError:
    """The error for a file that cannot be imported."""
    return InputError([Problem(path, line, "", message)])


def detect(path: Path, data: bytes) -> str:
    """The format of a file, from its content first and its name second."""
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise fail(path, "damaged file (a ZIP archive that cannot be read)") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        hint = _HINTS.get(suffix, "a ZIP archive that is neither .docx nor .xlsx")
        raise fail(path, f"unsupported format ({hint})")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        hint = _HINTS.get(suffix, "an old Office file: save it as .docx or .xlsx")
        raise fail(path, f"unsupported format ({hint})")
    if suffix in _HINTS:
        raise fail(path, f"unsupported format ({_HINTS[suffix]})")
    fmt = FORMATS.get(suffix)
    if fmt in ("pdf", "docx", "xlsx"):
        raise fail(path, f"not a {suffix} file (its content does not match its name)")
    if fmt is not None:
        return fmt
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if b"\x00" in data[:4096]:
        known = ", ".join(sorted({s for s in FORMATS}))
        raise fail(path, f"unsupported format (binary file; supported: {known})")
    return "text"


def decode(path: Path, data: bytes) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (with or without BOM), else Windows-1252 with a note."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252"), [f"not UTF-8 (byte {exc.start}): read as Windows-1252"]
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise fail(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None


def sanitise(text: str) -> str:
    """One line per ``\\n``: CR LF and lone CR become LF, form feeds become line breaks,
    other characters that would split a line for ``str.splitlines`` become spaces; the text
    ends with a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _LINE_BREAKERS.sub(" ", text)
    return text if text.endswith("\n") else text + "\n"


def convert(path: Path, progress: Progress | None = None) -> Converted:
    """Convert one document to text (see the module docstring)."""
    say = progress or (lambda _msg: None)
    if not path.is_file():
        raise fail(path, "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise fail(path, "the document is empty")
    fmt = detect(path, data)
    say(f"converting {path.name} ({fmt})")
    notes: list[str] = []
    pages = None
    if fmt == "pdf":
        from plangraph.pipeline.importer.convert_pdf import pdf_text

        text, pages = pdf_text(path, say)
    elif fmt == "docx":
        from plangraph.pipeline.importer.convert_docx import docx_text

        text = docx_text(path)
    elif fmt == "xlsx":
        from plangraph.pipeline.importer.convert_sheet import xlsx_text

        text = xlsx_text(path)
    else:
        raw, notes = decode(path, data)
        if fmt == "csv":
            from plangraph.pipeline.importer.convert_sheet import csv_text

            text = csv_text(raw)
        elif fmt in ("html", "markdown"):
            from plangraph.pipeline.importer.convert_markup import html_text, markdown_text

            text = html_text(raw) if fmt == "html" else markdown_text(raw)
        else:
            text = raw
    text = sanitise(text)
    if not re.search(r"\w", text):
        raise fail(path, "the document has no text")
    return Converted(text, fmt, path.name, hashlib.sha256(data).hexdigest(), pages, notes)
