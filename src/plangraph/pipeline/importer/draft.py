"""Draft a plan from converted text with one layout profile, or with the best of all bundled
profiles (``auto``): parse, resolve institutions, read the header, render.

The score of a profile on a document counts the elements it drafted from strong evidence (a
label, a table column, a section heading, a lead-in line: 1 each; a numbering scheme alone: 0.6),
adds ten times the share of elements found the way the profile ``expects``, and subtracts the
elements it had to move or drop for the hierarchy rules (0.5 / 1 each), 3 for each expected kind
of evidence not found and 2 for each feature the profile declares that the document never used
(its numbering, sections, titles before labels, titled headings, parallel lists, sentence splits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plangraph.pipeline.importer.header import Header, read_header
from plangraph.pipeline.importer.institutions import Authority, MentionFinder
from plangraph.pipeline.importer.outline import OutlineParser
from plangraph.pipeline.importer.profile import Profile, bundled_names, load_profile
from plangraph.pipeline.importer.render import Renderer
from plangraph.pipeline.importer.review import Review
from plangraph.pipeline.importer.textdoc import TextDoc
from plangraph.pipeline.importer.tree import ACTION_LEVEL, Builder, Mention, Node
from plangraph.pipeline.records import Institution, Role

WEIGHTS = {"label": 1.0, "column": 1.0, "section": 1.0, "list": 1.0, "numbering": 0.6}


@dataclass
class Draft:
    """The result of drafting one document with one profile."""

    profile: Profile
    nodes: list[Node]
    header: Header
    review: Review
    proposals: list[dict[str, Any]]
    score: float
    why: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def element_count(self) -> int:
        """Elements in the tree."""
        return sum(1 for n in self.nodes for _ in n.walk())


def draft_with(
    text: str,
    profile: Profile,
    authority: Authority,
    rules: dict[str, frozenset[str]],
    *,
    language: str | None = None,
) -> Draft:
    """Parse ``text`` with ``profile`` into an element tree, mentions and header (no rendering).
    ``authority`` carries the plan's country (given, or inferred by :func:`choose`)."""
    review = Review()
    doc = TextDoc.from_text(text, profile.vocab.structural)
    finder = MentionFinder(authority, profile.vocab)
    builder = Builder(rules, dict(profile.rank), review)
    parser = OutlineParser(doc, profile, builder, review, finder.is_institutional)
    parser.run()
    builder.drop_duplicate_codes()
    firsts = [n.line_numbers()[0] for n in builder.nodes() if n.line_numbers()]
    header = read_header(
        doc, min(firsts) if firsts else None, finder, review, language, authority.country
    )
    header.country = authority.country
    if header.country is None:
        review.add("header", 1, "no country found: add `country` (or `region`) to the plan")
    finder.skip = set(header.issuer)
    columns = any(c.layout for n in builder.nodes() for c in n.cells)
    in_text = profile.mentions_in_text == "always" or (
        profile.mentions_in_text == "auto" and not columns
    )
    for node in builder.nodes():
        _resolve(node, finder, in_text, review)
    proposals = sorted(finder.proposals.values(), key=lambda p: str(p["id"]))
    for p in proposals:
        lines = p["lines"]
        assert isinstance(lines, list)
        best = f"; closest known: {p['best']} ({p['score']})" if p["best"] else ""
        review.add(
            "institution-unknown",
            ", ".join(str(n) for n in sorted(lines)),
            f"'{p['name']}' is not in the authority file: proposed as {p['id']}{best}",
        )
    score, why = _score(builder, review, profile, parser.used)
    return Draft(profile, builder.top, header, review, proposals, score, why=why)


def _resolve(node: Node, finder: MentionFinder, in_text: bool, review: Review) -> None:
    """Mentions of one element: its institution cells, or its own text when the layout has
    no institutions for it and the profile says texts name them."""
    found: list[Mention] = []
    for cell in node.cells:
        for piece in cell.pieces:
            found += finder.scan(piece, cell.role, cell=True, markup=cell.markup)
    if not node.cells and in_text:
        for piece in node.pieces:
            found += finder.scan(piece, Role.INVOLVED, cell=False)
    best: dict[tuple[str, str], Mention] = {}
    for m in found:
        if m.id is None:
            continue
        key = (m.id, m.role.value)
        if key not in best or (best[key].markup and not m.markup):
            best[key] = m
    node.mentions = [m for m in found if m.id is not None and best.get((m.id, m.role.value)) is m]
    for m in node.mentions:
        if m.score < 100.0:
            review.add(
                "institution-fuzzy",
                m.line,
                f"'{m.text}' matched {m.id} by similarity ({m.score:.0f})",
                node.label,
            )
    if node.kind in ACTION_LEVEL and node.cells and not node.mentions:
        lines = sorted({p.line for c in node.cells for p in c.pieces})
        if any(m.proposed for m in found):
            return
        review.add(
            "institution-unknown",
            ", ".join(str(n) for n in lines),
            "an institutions cell with no body found in it",
            node.label,
        )


def _declared(profile: Profile) -> set[str]:
    """The layout features a profile declares beyond the shared vocabulary."""
    features = {
        "numbering": bool(profile.numbering),
        "sections": any(rule.kind is not None for rule in profile.sections),
        "text_before": bool(profile.text_before),
        "titled": bool(profile.titled),
        "parallel_lists": profile.parallel_lists,
        "split": any(mode == "sentences" for mode in profile.split.values()),
    }
    return {name for name, declared in features.items() if declared}


def _score(builder: Builder, review: Review, profile: Profile, used: set[str]) -> tuple[float, str]:
    """A profile's score on a document, and how it was reached (for the review list): strong
    evidence, plus the share of elements found the way the profile expects, minus elements
    moved or dropped for the hierarchy rules, expected evidence not found, and declared
    features the document never used."""
    nodes = list(builder.nodes())
    base = sum(WEIGHTS.get(n.evidence, 0.5) for n in nodes)
    counts = review.counts()
    penalty = 0.5 * counts.get("hierarchy", 0) + counts.get("dropped", 0)
    found = {e: sum(n.evidence == e for n in nodes) for e in profile.expects}
    missing = [e for e, n in found.items() if n < 2]
    share = sum(found.values()) / len(nodes) if nodes else 0.0
    unused = sorted(_declared(profile) - used)
    score = round(base - penalty + 10 * share - 3 * len(missing) - 2 * len(unused), 1)
    detail = ", ".join(f"{e} {n}" for e, n in found.items())
    why = f"{len(nodes)} elements, expected evidence: {detail or 'none declared'}"
    return score, why + (f"; features unused: {', '.join(unused)}" if unused else "")


def choose(
    text: str,
    layout: str,
    institutions: dict[str, Institution],
    rules: dict[str, frozenset[str]],
    *,
    language: str | None = None,
    country: str | None = None,
) -> tuple[Draft, dict[str, float]]:
    """Draft with the named profile (or file), or with every bundled profile when ``layout``
    is ``auto``, keeping the best score. Returns the draft and every profile's score."""
    names = bundled_names() if layout == "auto" else [layout]
    authority = Authority(institutions, country)
    if country is None:
        authority.country = authority.infer_country(text.split("\n"))
    drafts = []
    for name in names:
        profile = load_profile(name)
        drafts.append(draft_with(text, profile, authority, rules, language=language))
    scores = {d.profile.name: d.score for d in drafts}
    best = max(drafts, key=lambda d: d.score)
    if layout == "auto":
        others = "; ".join(
            f"{d.profile.name} {d.score} ({d.why})" for d in sorted(drafts, key=lambda d: -d.score)
        )
        best.review.add(
            "layout", 1, f"layout profile '{best.profile.name}' chosen by score: {others}"
        )
    return best, scores


def render(
    draft: Draft, plan_id: str, source: str, note: str, source_lines: list[str]
) -> dict[str, Any]:
    """The plan-file data of a draft (quotes checked)."""
    renderer = Renderer(source_lines, draft.review)
    draft.data = renderer.plan(plan_id, source, draft.header, note, draft.nodes)
    return draft.data
