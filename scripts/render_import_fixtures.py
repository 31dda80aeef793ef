#!/usr/bin/env python3
"""Render two bundled sources as Word and PDF files with LibreOffice, for the importer's tests
and ``make eval-import`` (tests/pipeline/importer/data/renderings/). Needs ``soffice``
(Debian: ``apt-get install libreoffice-writer-nogui``); CI does not: the files are committed.

* 000 (a text with tab-led cells): converted from the text as it is, one line a paragraph.
* 001 (a tab-separated table): each line with tabs becomes a row of an HTML table with borders,
  other lines paragraphs; LibreOffice converts that HTML to Word (a real table); the Word file,
  turned to landscape with equal column widths (python-docx, so the table fits the page), is
  converted to PDF (ruled cells).

    .venv/bin/python scripts/render_import_fixtures.py   # python-docx from the venv
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "pipeline" / "importer" / "data" / "renderings"
AS_TEXT = ["000_812da2d6e68be433"]
AS_TABLE = ["001_0bdaad5329b673a8"]


def as_html(text: str) -> str:
    """Tab-separated lines as table rows, other lines as paragraphs."""
    out = ['<html><head><meta charset="utf-8"></head><body>']
    in_table = False
    for line in text.split("\n"):
        if "\t" in line:
            if not in_table:
                width = 100 // max(len(line.split("\t")), 1)
                out.append('<table border="1" cellspacing="0" cellpadding="2" width="100%">')
                out.append(f'<colgroup>{"".join(f"<col width={width}%>" for _ in line.split(chr(9)))}</colgroup>')
                in_table = True
            cells = "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("\t"))
            out.append(f"<tr>{cells}</tr>")
            continue
        if in_table and line.strip():
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def landscape(path: Path) -> None:
    """Landscape pages and equal column widths that fit them (python-docx)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document(str(path))
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(1.5)
    usable = Cm(29.7 - 3.0)
    for table in document.tables:
        table.autofit = False
        columns = len(table.columns)
        for row in table.rows:
            for cell in row.cells:
                cell.width = usable // columns
    document.save(str(path))


def soffice(source: Path, fmt: str, into: Path) -> None:
    """Convert with LibreOffice (headless), text read as UTF-8."""
    cmd = ["soffice", "--headless", "--convert-to", fmt, "--outdir", str(into)]
    if source.suffix == ".txt":
        cmd += ["--infilter=Text (encoded):UTF8"]
    subprocess.run([*cmd, str(source)], check=True, capture_output=True, timeout=300)


def main() -> int:
    if shutil.which("soffice") is None:
        print("soffice not found: apt-get install libreoffice-writer-nogui", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for stem in AS_TEXT + AS_TABLE:
            text = (ROOT / "graph" / "sources" / f"{stem}.txt").read_text(encoding="utf-8")
            if stem in AS_TEXT:
                source = work / f"{stem}.txt"
                source.write_text(text, encoding="utf-8")
            else:
                source = work / f"{stem}.html"
                source.write_text(as_html(text), encoding="utf-8")
            soffice(source, "docx:MS Word 2007 XML", work)
            if stem in AS_TABLE:
                landscape(work / f"{stem}.docx")
                soffice(work / f"{stem}.docx", "pdf:writer_pdf_Export", work)
            else:
                soffice(source, "pdf:writer_pdf_Export", work)
            for suffix in (".docx", ".pdf"):
                shutil.copy2(work / f"{stem}{suffix}", OUT / f"{stem}{suffix}")
                print(OUT / f"{stem}{suffix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
