#!/usr/bin/env python3
"""Render two bundled sources as Word and PDF files with LibreOffice, for the importer's tests
and ``make eval-import`` (tests/pipeline/importer/data/renderings/). Needs ``soffice``
(Debian: ``apt-get install libreoffice-writer-nogui``); CI does not: the files are committed.

* 000 (a text with tab-led cells): converted from the text as it is, one line a paragraph.
* 001 (a tab-separated table): each line with tabs becomes a row of an HTML table with borders,
  other lines paragraphs; LibreOffice converts that HTML to Word (a real table); the Word file,
  turned to landscape with equal column widths (python-docx, so the table fits the page), is
  converted to PDF (ruled cells).

* formats/: one small plan in every format the importer reads (text, Markdown, HTML and CSV
  written here; Word and PDF by LibreOffice from the HTML; .xlsx with openpyxl), plus the bad
  inputs: a PDF that needs a password (pypdf), a PDF with an image and no text, an empty file,
  an old binary Word file header.

    .venv/bin/python scripts/render_import_fixtures.py   # python-docx, openpyxl, pypdf
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
                out.append(
                    f"<colgroup>{''.join(f'<col width={width}%>' for _ in line.split(chr(9)))}</colgroup>"
                )
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


FORMATS = ROOT / "tests" / "pipeline" / "importer" / "data" / "formats"
TITLE = "PLAN DE ACCIÓN DE PRUEBA 2024-2026"
ROWS = [
    ["Acción", "Plazo", "Responsable"],
    [
        "Acción 1.1 Capacitar a funcionarios consulares.",
        "6 meses",
        "Ministerio de Relaciones Exteriores",
    ],
    [
        "Acción 1.2 Difundir materiales informativos.",
        "Corto plazo",
        "Procuraduría General de la Nación",
    ],
]
PARAGRAPHS = [
    "Objetivo general: Proteger a la niñez migrante.",
    "Resultado 1: Niñez informada sobre sus derechos.",
]


def formats(work: Path) -> None:
    """The small plan in each format, and the bad inputs."""
    FORMATS.mkdir(parents=True, exist_ok=True)
    table = "\n".join("\t".join(r) for r in ROWS)
    text = f"{TITLE}\n\n" + "\n\n".join(PARAGRAPHS) + f"\n\n{table}\n"
    (FORMATS / "plan.txt").write_text(text, encoding="utf-8")
    md_rows = ["| " + " | ".join(r) + " |" for r in ROWS]
    md_rows.insert(1, "|" + "---|" * len(ROWS[0]))
    md = f"# {TITLE}\n\n" + "\n\n".join(PARAGRAPHS) + "\n\n" + "\n".join(md_rows) + "\n"
    (FORMATS / "plan.md").write_text(md, encoding="utf-8")
    cells = "".join(
        "<tr>"
        + "".join(
            f"<{'th' if i == 0 else 'td'}>{html.escape(c)}</{'th' if i == 0 else 'td'}>" for c in r
        )
        + "</tr>"
        for i, r in enumerate(ROWS)
    )
    page = (
        f'<html><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title></head><body>'
        f"<h1>{html.escape(TITLE)}</h1>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
        + f'<table border="1" cellspacing="0" width="100%">{cells}</table></body></html>'
    )
    (FORMATS / "plan.html").write_text(page, encoding="utf-8")
    with (FORMATS / "plan.csv").open("w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.writer(fh)
        writer.writerow([TITLE])
        for p in PARAGRAPHS:
            writer.writerow([p])
        writer.writerows(ROWS)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append([TITLE])
    for p in PARAGRAPHS:
        sheet.append([p])
    for r in ROWS:
        sheet.append(r)
    book.save(FORMATS / "plan.xlsx")
    source = work / "plan.html"
    source.write_text(page, encoding="utf-8")
    soffice(source, "docx:MS Word 2007 XML", work)
    soffice(work / "plan.docx", "pdf:writer_pdf_Export", work)
    shutil.copy2(work / "plan.docx", FORMATS / "plan.docx")
    shutil.copy2(work / "plan.pdf", FORMATS / "plan.pdf")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pg in PdfReader(str(FORMATS / "plan.pdf")).pages:
        writer.add_page(pg)
    writer.encrypt(user_password="secreto", owner_password="secreto", algorithm="AES-128")
    with (FORMATS / "encrypted.pdf").open("wb") as fh:
        writer.write(fh)
    (FORMATS / "scanned.pdf").write_bytes(image_only_pdf())
    (FORMATS / "empty.txt").write_bytes(b"")
    (FORMATS / "old-word.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)


def image_only_pdf() -> bytes:
    """A one-page PDF whose only content is an 8×8 grey image (a scan without a text layer)."""
    image = bytes(range(0, 256, 4))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length "
        + str(len(image)).encode()
        + b" >>\nstream\n"
        + image
        + b"\nendstream",
    ]
    content = b"q 100 0 0 100 50 50 cm /Im1 Do Q"
    objects.append(
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def main() -> int:
    if shutil.which("soffice") is None:
        print("soffice not found: apt-get install libreoffice-writer-nogui", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        formats(work)
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
