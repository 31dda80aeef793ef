"""Spreadsheets (.xlsx) and CSV to text lines: one row a line, cells separated by tabs.

Cell values are written as the sheet shows them (dates as ISO dates, whole numbers without a
decimal point); line breaks inside a cell become spaces; trailing empty cells are dropped.
Several sheets are separated by a heading line with the sheet's name.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _line(values: list[object]) -> str:
    cells = [_cell(v) for v in values]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells)


def xlsx_text(path: Path) -> str:
    """Every sheet of a workbook, row by row (merged cells: the value in the first cell)."""
    from openpyxl import load_workbook  # imported here: only needed for spreadsheets

    book = load_workbook(path, read_only=True, data_only=True)
    lines: list[str] = []
    try:
        sheets = list(book.worksheets)
        for sheet in sheets:
            if len(sheets) > 1:
                lines += ["", f"**{sheet.title}**", ""]
            for row in sheet.iter_rows(values_only=True):
                lines.append(_line(list(row)))
    finally:
        book.close()
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines).lstrip("\n") + "\n"


def csv_text(text: str) -> str:
    """A CSV (or TSV, semicolon-separated) file, its delimiter sniffed."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return "\n".join(_line(list(row)) for row in rows) + "\n"
