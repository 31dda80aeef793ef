"""Write the draft as a plan file (docs/plan-format.md).

Every quote is checked against its lines with the fidelity rule before it is written; a quote
that would not stand is left out and reported (the importer's own bug, made visible).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import yaml

from plangraph.pipeline.importer.header import Header
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.tree import Node, Piece, lines_of
from plangraph.pipeline.records import parse_lines
from plangraph.text.fidelity import quote_matches


class Renderer:
    """Turns the header and the element tree into plan-file data, checking each quote."""

    def __init__(self, source_lines: list[str], review: Review) -> None:
        self.source = source_lines
        self.review = review

    def span(self, lines: str) -> str:
        """The source text of a line specification."""
        return "\n".join(
            "\n".join(self.source[a - 1 : b])
            for a, b in parse_lines(lines)
            if b <= len(self.source)
        )

    def quote(self, text: str, lines: str, what: str) -> bool:
        """True when ``text`` stands at ``lines``; otherwise report it."""
        ok = bool(text) and quote_matches(text, self.span(lines))
        if not ok:
            self.review.add("dropped", lines, f"{what}: '{text[:60]}' does not stand at its lines")
        return ok

    def plan(
        self, plan_id: str, source: str, header: Header, note: str, nodes: list[Node]
    ) -> dict[str, Any]:
        """The whole plan file as data."""
        meta: dict[str, Any] = {"id": plan_id}
        title, title_lines = _join(header.title)
        if not title or not self.quote(title, title_lines, "title"):
            first = next((i for i, s in enumerate(self.source) if s.strip()), 0)
            title, title_lines = " ".join(self.source[first].split()), str(first + 1)
        meta["title"] = title
        meta["title_lines"] = _lines_value(title_lines)
        meta["source"] = source
        if header.issuer:
            meta["issuer"] = list(header.issuer)
            text, lines = _join(header.issuer_text)
            if text and self.quote(text, lines, "issuer_text"):
                meta["issuer_text"] = text
                meta["issuer_lines"] = _lines_value(lines)
        if header.country:
            meta["country"] = header.country
        if header.period:
            meta["period"] = {"start": header.period[0], "end": header.period[1]}
            text, lines = _join(header.period_text)
            if text and self.quote(text, lines, "period_text"):
                meta["period_text"] = text
                meta["period_lines"] = _lines_value(lines)
        meta["status"] = header.status.value
        text, lines = _join(header.version)
        if text and self.quote(text, lines, "version"):
            meta["version"] = text
            meta["version_lines"] = _lines_value(lines)
        meta["language"] = header.language
        meta["note"] = note
        elements = [e for e in (self.element(n) for n in nodes) if e is not None]
        return {"plan": meta, "elements": elements}

    def element(self, node: Node) -> dict[str, Any] | None:
        """One element and its children, or None when its text does not stand at its lines."""
        lines = node.lines
        if not self.quote(node.text, lines, f"{node.label} text"):
            return None
        out: dict[str, Any] = {"kind": node.kind.value}
        if node.code:
            out["code"] = node.code
        if node.title:
            out["title"] = " ".join(p.text for p in node.title)
        out["text"] = node.text
        out["lines"] = _lines_value(lines)
        for name in ("timeframe", "start", "end"):
            pieces: list[Piece] = getattr(node, name)
            text, at = _join(pieces, newline=name == "timeframe")
            if text and self.quote(text, at, f"{node.label} {name}"):
                out[name] = text
                out[f"{name}_lines"] = _lines_value(at)
        refs = []
        for m in node.mentions:
            if m.id is None:
                continue
            if self.quote(m.text, str(m.line), f"{node.label} institution '{m.id}'"):
                refs.append({"id": m.id, "role": m.role.value, "text": m.text, "lines": m.line})
        if refs:
            out["institutions"] = refs
        indicators = []
        for pieces in node.indicators:
            text, at = _join(pieces)
            if text and self.quote(text, at, f"{node.label} indicator"):
                indicators.append({"text": text, "lines": _lines_value(at)})
        if indicators:
            out["indicators"] = indicators
        if node.notes:
            out["note"] = " ".join(dict.fromkeys(node.notes))
        children = [e for e in (self.element(c) for c in node.children) if e is not None]
        if children:
            out["children"] = children
        return out


def _join(pieces: list[Piece], *, newline: bool = False) -> tuple[str, str]:
    """Text and lines of pieces; distinct far-apart pieces one per line when ``newline``."""
    if not pieces:
        return "", ""
    numbers = [p.line for p in pieces]
    apart = newline and any(b - a > 1 for a, b in pairwise(numbers))
    text = ("\n" if apart else " ").join(p.text for p in pieces)
    return text, lines_of(numbers)


def _lines_value(lines: str) -> int | str:
    return int(lines) if lines.isdigit() else lines


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict[str, Any], header_comment: list[str]) -> str:
    """The plan file's text: a comment block, then the data in block style."""
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000, indent=2
    )
    comment = "".join(f"# {line}\n" for line in header_comment)
    return comment + body


def comment_lines(plan_id: str, input_name: str, profile: str, review_path: str) -> list[str]:
    """The comment at the top of a draft."""
    return [
        f"Draft of plan '{plan_id}', written by `plangraph import` on {date.today().isoformat()}",
        f"from {input_name}",
        f"with the layout profile '{profile}'. Check it against the review list",
        f"({review_path}) before relying on it; then remove this comment.",
    ]
