"""HTML and Markdown to text lines.

Block elements (paragraphs, headings, list items, table rows) become lines in document order;
a table row is one line with its cells separated by tabs; headings are wrapped in ``**`` (which
the fidelity rule ignores) so the parsers can tell them apart; list items keep a ``- `` mark.
Markdown is rendered to HTML with markdown-it-py (tables enabled) first; a YAML front matter's
``title`` becomes the first heading.
"""

from __future__ import annotations

import re
from typing import Any

_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "figcaption", "caption", "address",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "nav"}
_SPACE = re.compile(r"\s+")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _text(node: Any) -> str:
    """The words of an element, whitespace collapsed (``<br>`` as a space)."""
    from bs4.element import NavigableString  # imported here: only needed when converting HTML

    parts: list[str] = []
    for child in node.descendants:
        parent = child.parent
        if isinstance(child, NavigableString) and parent is not None and parent.name not in _SKIP:
            parts.append(str(child))
        elif getattr(child, "name", None) == "br":
            parts.append(" ")
    return _SPACE.sub(" ", "".join(parts)).strip()


def _row(tr: Any) -> str:
    """A table row: its cells' words separated by tabs (a spanned cell's text in its first
    column, the others left empty, as merged cells are)."""
    out: list[str] = []
    for cell in tr.find_all(["td", "th"], recursive=False):
        span = int(cell.get("colspan", 1) or 1)
        out += [_text(cell).replace("\t", " ")] + [""] * (span - 1)
    return "\t".join(out)


def _walk(node: Any, lines: list[str]) -> None:
    """Append the lines of ``node``'s blocks in document order."""
    from bs4.element import NavigableString, Tag  # imported here: only needed for HTML

    inline: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(inline)).strip()
        if text:
            lines.append(text)
        inline.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.parent is not None and child.parent.name not in _SKIP:
                inline.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        name = child.name
        if name == "table":
            flush()
            for tr in child.find_all("tr"):
                if tr.find_parent("table") is child:
                    row = _row(tr)
                    if row.strip():
                        lines.append(row)
            lines.append("")
        elif name in ("ul", "ol"):
            flush()
            _walk(child, lines)
        elif name == "li":
            flush()
            nested = child.find(["ul", "ol", "table"])
            if nested is None:
                lines.append(f"- {_text(child)}")
            else:
                own: list[str] = []
                _walk(child, own)
                if own:
                    own[0] = f"- {own[0]}"
                lines.extend(own)
        elif name in _HEADINGS:
            flush()
            text = _text(child)
            if text:
                lines += ["", f"**{text}**", ""]
        elif name in _BLOCKS:
            flush()
            before = len(lines)
            _walk(child, lines)
            if len(lines) > before and name == "p":
                lines.append("")
        elif name == "br":
            flush()
        elif name == "hr":
            flush()
            lines.append("")
        elif child.find([*_BLOCKS, "table"]):
            flush()
            _walk(child, lines)
        else:
            inline.append(_text(child))
    flush()


def html_text(html: str) -> str:
    """Text lines of an HTML document."""
    from bs4 import BeautifulSoup  # imported here: only needed when converting HTML

    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    lines: list[str] = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title and not soup.body:
        lines += [f"**{title}**", ""]
    _walk(root, lines)
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def markdown_text(markdown: str) -> str:
    """Text lines of a Markdown document (front matter's title kept as a heading)."""
    from markdown_it import MarkdownIt  # imported here: only needed when converting Markdown

    head = ""
    front = _FRONT.match(markdown)
    if front:
        title = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", front.group(1), re.MULTILINE)
        head = f"# {title.group(1)}\n\n" if title else ""
        markdown = markdown[front.end() :]
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(head + markdown)
    return html_text(html)
