"""Data tests: every quote of every plan stands at its lines; every source line is accounted for.

One test case per record, so a failure names the record (in the style of bioregistry's data tests):

* ``test_element_text``: one case per element, id ``<plan>:<kind>-<code>/<kind>-<code>/...``
  (``result[2]`` when an element has no code: the 2nd code-less result among its siblings, 1-based);
* ``test_element_quote``: one case per other quote of an element (timeframe, start, end, schedule
  entries, indicators), id ``<element id>/timeframe``, ``.../indicators[1]``, ...;
* ``test_institution_mention``: one case per institution mention in an element, whose ``text``
  must stand within its ``lines`` (or the element's lines), id
  ``<element id>/@<institution>-<role>``;
* ``test_plan_quote``: one case per plan-level quote (title, issuer_text, period_text, version,
  populations, cites, institutions, replaces, replaced_by), id ``<plan>:title``,
  ``<plan>:populations[2]``, ...;
* ``test_authority_mentions``: one case per institution of ``graph/institutions.yaml``: each
  mention's lines name the institution (its name, an acronym or an alias, case-insensitive);
* ``test_source_lines_are_accounted_for``: one case per source file: every line is accounted for by
  a stated line range, an authority-file mention or the reviewed allow-list
  ``tests/data/coverage-allowlist.yaml`` (whose header explains the rule);
* ``test_allowlist_entries_are_live``: the allow-list stays reviewed: no stale or malformed entries.

The fidelity rule is docs/plan-format.md, "Line numbers and fidelity" (plangraph.text.fidelity).
Failure messages print the command that re-checks or shows the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from plangraph.errors import InputError, Problem
from plangraph.pipeline.loader import (
    Plan,
    SourceText,
    load_corpus,
    load_institutions,
    plan_files,
    read_source,
)
from plangraph.pipeline.records import (
    Element,
    Institution,
    InstitutionsFile,
    PlanFile,
    format_lines,
    parse_lines,
)
from plangraph.pipeline.yamlsource import field_name, line_of, load_yaml
from plangraph.project import Project
from plangraph.text.fidelity import MAX_PIECES, find_pieces, normalise, quote_matches
from tests.helpers import ROOT

PROJECT = Project(ROOT)
ALLOWLIST_FILE = ROOT / "tests" / "data" / "coverage-allowlist.yaml"

Ranges = tuple[tuple[int, int], ...]
YamlPath = tuple[str | int, ...]

# Source files with known curation gaps (plan content that no element covers yet), mapped to a
# short description. Their coverage case is marked xfail(strict=True), so the gap stays visible and
# the mark must be removed once the gap is closed. Empty: no known gaps.
CURATION_GAPS: dict[str, str] = {}


def rel(path: Path) -> str:
    """A path relative to the project root, for messages and commands."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Loading (once per module). When the corpus does not load, the problems are reported by
# test_corpus_loads and every file that still parses is loaded leniently, so that the per-record
# tests below still name each failing record.


def _lenient_institutions() -> dict[str, Institution]:
    try:
        data, _ = load_yaml(PROJECT.institutions_file)
        parsed = InstitutionsFile.model_validate(data)
    except Exception:  # reported by test_corpus_loads
        return {}
    return {inst.id: inst for inst in parsed.institutions}


def _lenient_plans() -> list[Plan]:
    plans = []
    for file in plan_files(PROJECT):
        try:
            data, lines = load_yaml(file)
            record = PlanFile.model_validate(data)
            source = read_source(PROJECT.sources_dir / record.plan.source)
        except Exception:  # reported by test_corpus_loads
            continue
        plans.append(Plan(file, record, source, lines))
    return plans


def _load() -> tuple[list[Plan], dict[str, Institution], list[Problem]]:
    problems: list[Problem] = []
    try:
        institutions = load_institutions(PROJECT.institutions_file, PROJECT.sources_dir)
    except (InputError, FileNotFoundError):
        institutions = _lenient_institutions()
    try:
        corpus = load_corpus(PROJECT)
    except InputError as exc:
        return _lenient_plans(), institutions, list(exc.problems)
    return list(corpus.plans), institutions, problems


PLANS, INSTITUTIONS, LOAD_PROBLEMS = _load()


@cache
def source(name: str) -> SourceText | None:
    """A source document of graph/sources/ (None when missing)."""
    path = PROJECT.sources_dir / name
    return read_source(path) if path.is_file() else None


def check_command(plan: Plan) -> str:
    return f"plangraph check {rel(plan.file)}"


def show_command(source_name: str, ranges: Ranges) -> str:
    script = ";".join(f"{a},{b}p" for a, b in ranges)
    return f"cat -n {rel(PROJECT.sources_dir / source_name)} | sed -n '{script}'"


# ---------------------------------------------------------------------------------------------
# Records


def _segment(kind: str, code: str | None, ordinal: int) -> str:
    """``action-1.1`` for a coded element, ``result[2]`` for the 2nd code-less result."""
    kind = kind.replace("_", "-")
    if code is not None:
        return kind + "-" + re.sub(r"\s+", "_", code)
    return f"{kind}[{ordinal}]"


def walk_ids(plan: Plan) -> Iterator[tuple[str, YamlPath, Element]]:
    """Every element of a plan with its readable id and its YAML path."""

    def rec(
        elems: Sequence[Element], base: YamlPath, prefix: str
    ) -> Iterator[tuple[str, YamlPath, Element]]:
        uncoded: dict[str, int] = {}
        for i, el in enumerate(elems):
            ordinal = 0
            if el.code is None:
                ordinal = uncoded[el.kind.value] = uncoded.get(el.kind.value, 0) + 1
            eid = f"{prefix}/{_segment(el.kind.value, el.code, ordinal)}"
            path = (*base, i)
            yield eid, path, el
            yield from rec(el.children, (*path, "children"), eid)

    for eid, path, el in rec(plan.record.elements, ("elements",), ""):
        yield f"{plan.id}:{eid[1:]}", path, el


@dataclass(frozen=True)
class QuoteCase:
    """One verbatim quote of a plan file and the lines it claims."""

    plan: Plan
    id: str
    what: str  # e.g. "element text", "timeframe", "institution mention"
    path: YamlPath  # YAML path of the quote's text field
    text: str
    ranges: Ranges

    @property
    def yaml_line(self) -> int | None:
        return line_of(self.plan.lines, self.path)


def _unique(cases: list[QuoteCase]) -> list[QuoteCase]:
    seen: dict[str, int] = {}
    out = []
    for case in cases:
        n = seen[case.id] = seen.get(case.id, 0) + 1
        out.append(
            case
            if n == 1
            else QuoteCase(
                case.plan, f"{case.id}-{n}", case.what, case.path, case.text, case.ranges
            )
        )
    return out


def element_cases() -> list[QuoteCase]:
    return _unique(
        [
            QuoteCase(plan, eid, f"{el.kind.value} text", (*path, "text"), el.text, el.lines)
            for plan in PLANS
            for eid, path, el in walk_ids(plan)
        ]
    )


def element_quote_cases() -> list[QuoteCase]:
    cases = []
    for plan in PLANS:
        for eid, path, el in walk_ids(plan):
            for key in ("timeframe", "start", "end"):
                text, ranges = getattr(el, key), getattr(el, f"{key}_lines")
                if text is not None and ranges is not None:
                    cases.append(QuoteCase(plan, f"{eid}/{key}", key, (*path, key), text, ranges))
            for j, entry in enumerate(el.schedule):
                if entry.lines is not None:
                    cases.append(
                        QuoteCase(
                            plan,
                            f"{eid}/schedule[{j + 1}]",
                            "schedule entry",
                            (*path, "schedule", j, "text"),
                            entry.text,
                            entry.lines,
                        )
                    )
            for j, ind in enumerate(el.indicators):
                cases.append(
                    QuoteCase(
                        plan,
                        f"{eid}/indicators[{j + 1}]",
                        "indicator",
                        (*path, "indicators", j, "text"),
                        ind.text,
                        ind.lines,
                    )
                )
    return _unique(cases)


def institution_mention_cases() -> list[QuoteCase]:
    return _unique(
        [
            QuoteCase(
                plan,
                f"{eid}/@{ref.id}-{ref.role.value}",
                f"mention of institution '{ref.id}'",
                (*path, "institutions", j, "text"),
                ref.text,
                ref.lines or el.lines,
            )
            for plan in PLANS
            for eid, path, el in walk_ids(plan)
            for j, ref in enumerate(el.institutions)
        ]
    )


def plan_quote_cases() -> list[QuoteCase]:
    cases = []
    for plan in PLANS:
        meta = plan.record.plan
        for key, lines_key in (
            ("title", "title_lines"),
            ("issuer_text", "issuer_lines"),
            ("period_text", "period_lines"),
            ("version", "version_lines"),
        ):
            text, ranges = getattr(meta, key), getattr(meta, lines_key)
            if text is not None and ranges is not None:
                cases.append(
                    QuoteCase(plan, f"{plan.id}:{key}", f"plan {key}", ("plan", key), text, ranges)
                )
        for key in ("populations", "cites", "institutions", "replaces", "replaced_by"):
            for j, quote in enumerate(getattr(meta, key)):
                cases.append(
                    QuoteCase(
                        plan,
                        f"{plan.id}:{key}[{j + 1}]",
                        f"plan {key} entry",
                        ("plan", key, j, "text"),
                        quote.text,
                        quote.lines,
                    )
                )
        for key in ("replaces", "replaced_by"):
            for j, link in enumerate(getattr(meta, key)):
                if link.title is not None:
                    cases.append(
                        QuoteCase(
                            plan,
                            f"{plan.id}:{key}[{j + 1}].title",
                            f"plan {key} title",
                            ("plan", key, j, "title"),
                            link.title,
                            link.lines,
                        )
                    )
    return _unique(cases)


def _params(cases: list[QuoteCase]) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in cases]


# ---------------------------------------------------------------------------------------------
# The fidelity check, with a message that shows the evidence


def _diagnosis(text: str, haystack: str) -> str:
    pieces = find_pieces(text, haystack)
    if pieces is not None:
        return f"its words stand there only in {len(pieces)} pieces (at most {MAX_PIECES} allowed)"
    words = normalise(text).split(" ")
    for k in range(1, len(words) + 1):
        if find_pieces(" ".join(words[:k]), haystack) is None:
            return f"word {k} of {len(words)}, '{words[k - 1]}', is not found there (in order)"
    return "its words are not found there in order"


def fidelity_problem(case: QuoteCase) -> str | None:
    """None when the quote stands at its lines, else a lint-style report."""
    plan = case.plan
    src = plan.source
    where = f"{rel(plan.file)}:{case.yaml_line} {field_name(case.path)}"
    header = f"{case.id}: {case.what} "
    stated = format_lines(case.ranges)
    if any(b > src.line_count for _, b in case.ranges):
        return (
            f"{header}claims lines {stated}, outside {src.path.name} ({src.line_count} lines)\n"
            f"  at:       {where}\n"
            f"  re-check: {check_command(plan)}"
        )
    span = src.span(case.ranges)
    if quote_matches(case.text, span):
        return None
    numbered = "\n".join(
        f"    {n:>5}| {src.lines[n - 1]}" for a, b in case.ranges for n in range(a, b + 1)
    )
    return (
        f"{header}does not stand at lines {stated} of {src.path.name}: "
        f"{_diagnosis(case.text, span)}\n"
        f"  at:           {where}\n"
        f"  text (normalised):\n    {normalise(case.text)}\n"
        f"  stated lines: {stated}\n"
        f"  source lines (as printed):\n{numbered}\n"
        f"  source lines (normalised):\n    {normalise(span)}\n"
        f"  re-check:     {check_command(plan)}\n"
        f"  show:         {show_command(src.path.name, case.ranges)}"
    )


def test_corpus_loads() -> None:
    """The whole corpus loads (schema, ids, hierarchy and every quote, as `plangraph check`)."""
    if LOAD_PROBLEMS:
        listing = "\n".join(f"  {p}" for p in LOAD_PROBLEMS)
        pytest.fail(
            f"{len(LOAD_PROBLEMS)} problem(s) loading the corpus:\n{listing}\n"
            f"  re-check: plangraph check",
            pytrace=False,
        )
    assert PLANS, f"no plan files in {rel(PROJECT.plans_dir)}"


@pytest.mark.parametrize("case", _params(element_cases()))
def test_element_text(case: QuoteCase) -> None:
    """Each element's text stands, verbatim, at its lines."""
    problem = fidelity_problem(case)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("case", _params(element_quote_cases()))
def test_element_quote(case: QuoteCase) -> None:
    """Each timeframe, start, end, schedule entry and indicator stands at its lines."""
    problem = fidelity_problem(case)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("case", _params(institution_mention_cases()))
def test_institution_mention(case: QuoteCase) -> None:
    """Each institution mention's text stands at its lines (or the element's lines)."""
    problem = fidelity_problem(case)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("case", _params(plan_quote_cases()))
def test_plan_quote(case: QuoteCase) -> None:
    """Each plan-level quote (title, issuer, period, version, populations, cites, plan-level
    participations, replacements and their titles) stands at its lines."""
    problem = fidelity_problem(case)
    if problem:
        pytest.fail(problem, pytrace=False)


# ---------------------------------------------------------------------------------------------
# The institution authority file


def names_of(inst: Institution) -> list[str]:
    return [inst.name, *inst.acronyms, *inst.aliases]


def names_institution(inst: Institution, haystack: str) -> bool:
    """True when the name, an acronym or an alias stands in the haystack as whole words
    (case-insensitive, after normalise; punctuation at word edges ignored)."""
    hay = normalise(haystack).lower()
    return any(quote_matches(normalise(n).lower(), hay, max_pieces=1) for n in names_of(inst))


@pytest.mark.parametrize("inst", [pytest.param(i, id=i.id) for i in INSTITUTIONS.values()])
def test_authority_mentions(inst: Institution) -> None:
    """Each mention of graph/institutions.yaml points at lines that name the institution."""
    bad = []
    for j, mention in enumerate(inst.mentions):
        src = source(mention.source)
        stated = format_lines(mention.lines)
        if src is None:
            bad.append(
                f"  mentions[{j}]: no source file {mention.source} in {rel(PROJECT.sources_dir)}"
            )
            continue
        if any(b > src.line_count for _, b in mention.lines):
            bad.append(
                f"  mentions[{j}]: lines {stated} are outside {mention.source} "
                f"({src.line_count} lines)"
            )
            continue
        span = src.span(mention.lines)
        if not names_institution(inst, span):
            bad.append(
                f"  mentions[{j}]: {mention.source} lines {stated} name none of "
                f"{names_of(inst)}:\n      {normalise(span)[:300]}\n"
                f"      show: {show_command(mention.source, mention.lines)}"
            )
    if bad:
        pytest.fail(
            f"{inst.id} ({rel(PROJECT.institutions_file)}): {len(bad)} mention(s) "
            f"not naming it\n" + "\n".join(bad) + "\n  re-check: plangraph check",
            pytrace=False,
        )


# ---------------------------------------------------------------------------------------------
# Coverage of the source documents


def ignorable(line: str) -> bool:
    """Blank, whitespace-only or markup-only lines: no letter left after normalise."""
    return re.search(r"[^\W\d_]", normalise(line)) is None


def _add(lines: set[int], ranges: Ranges | None) -> None:
    for a, b in ranges or ():
        lines.update(range(a, b + 1))


def accounted_lines(source_name: str) -> set[int]:
    """Lines of a source named by any stated line range of a plan quoting it, or by a mention of
    graph/institutions.yaml (this accounts for glossary entries naming institutions)."""
    lines: set[int] = set()
    for plan in PLANS:
        meta = plan.record.plan
        if meta.source != source_name:
            continue
        for ranges in (meta.title_lines, meta.issuer_lines, meta.period_lines, meta.version_lines):
            _add(lines, ranges)
        for quote in (*meta.populations, *meta.cites, *meta.institutions):
            _add(lines, quote.lines)
        for link in (*meta.replaces, *meta.replaced_by):
            _add(lines, link.lines)
        for _, el, _ in plan.walk():
            for ranges in (el.lines, el.timeframe_lines, el.start_lines, el.end_lines):
                _add(lines, ranges)
            for entry in el.schedule:
                _add(lines, entry.lines)
            for ind in el.indicators:
                _add(lines, ind.lines)
            for ref in el.institutions:
                _add(lines, ref.lines or el.lines)
    for inst in INSTITUTIONS.values():
        for mention in inst.mentions:
            if mention.source == source_name:
                _add(lines, mention.lines)
    return lines


@dataclass(frozen=True)
class AllowEntry:
    index: int
    lines: Ranges
    reason: str


def load_allowlist() -> tuple[dict[str, list[AllowEntry]], list[str]]:
    """The reviewed allow-list by source file, and the problems of its form."""
    data = yaml.safe_load(ALLOWLIST_FILE.read_text(encoding="utf-8")) or {}
    entries: dict[str, list[AllowEntry]] = {}
    problems: list[str] = []
    if not isinstance(data, dict):
        return {}, [f"{rel(ALLOWLIST_FILE)}: a mapping of source file -> entries is expected"]
    for name, items in data.items():
        entries[name] = []
        for i, item in enumerate(items or []):
            where = f"{rel(ALLOWLIST_FILE)}: {name}[{i}]"
            if not isinstance(item, dict) or set(item) != {"lines", "reason"}:
                problems.append(f'{where}: an entry is {{lines: "N-M", reason: "..."}}')
                continue
            try:
                ranges = parse_lines(item["lines"])
            except ValueError as exc:
                problems.append(f"{where}: lines: {exc}")
                continue
            if not isinstance(item["reason"], str) or not item["reason"].strip():
                problems.append(f"{where}: an entry needs a reason")
                continue
            entries[name].append(AllowEntry(i, ranges, item["reason"].strip()))
    return entries, problems


ALLOWLIST, ALLOWLIST_PROBLEMS = load_allowlist()


def covered_sources() -> list[tuple[str, list[Plan]]]:
    by_source: dict[str, list[Plan]] = {}
    for plan in PLANS:
        by_source.setdefault(plan.record.plan.source, []).append(plan)
    return sorted(by_source.items())


def _coverage_params() -> list[Any]:
    params = []
    for name, _ in covered_sources():
        marks = []
        if name in CURATION_GAPS:
            reason = f"curation gaps: {CURATION_GAPS[name]}"
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _ranges_of(numbers: Sequence[int]) -> str:
    ranges: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return format_lines(tuple(ranges))


@pytest.mark.parametrize("source_name", _coverage_params())
def test_source_lines_are_accounted_for(source_name: str) -> None:
    """Every line of a source document is modelled, named by an institution mention, ignorable
    (blank or markup) or listed in the reviewed allow-list with a reason."""
    src = source(source_name)
    assert src is not None, f"no source file {source_name} in {rel(PROJECT.sources_dir)}"
    accounted = accounted_lines(source_name)
    for entry in ALLOWLIST.get(source_name, []):
        _add(accounted, entry.lines)
    uncovered = [
        n for n, line in enumerate(src.lines, 1) if n not in accounted and not ignorable(line)
    ]
    if uncovered:
        plans = [p for name, ps in covered_sources() if name == source_name for p in ps]
        listing = "\n".join(f"  {n:>5}| {src.lines[n - 1].strip()[:200]}" for n in uncovered)
        spans = _ranges_of(uncovered)
        pytest.fail(
            f"{rel(src.path)}: {len(uncovered)} line(s) accounted for by no element, quote, "
            f"institution mention or allow-list entry (lines {spans}):\n{listing}\n"
            f"  if a line holds plan content, model it in "
            f"{', '.join(rel(p.file) for p in plans)}, then: "
            f"{'; '.join(check_command(p) for p in plans)}\n"
            f"  if it is boilerplate or deliberately out of scope, add a reviewed entry under "
            f"'{source_name}' in {rel(ALLOWLIST_FILE)}:\n"
            f'    - lines: "{spans}"\n      reason: "..."\n'
            f"  show: {show_command(source_name, tuple(parse_lines(spans)))}",
            pytrace=False,
        )


def test_allowlist_is_well_formed() -> None:
    """Every allow-list entry has lines and a reason, and names a source some plan quotes."""
    problems = list(ALLOWLIST_PROBLEMS)
    known = {name for name, _ in covered_sources()}
    for name in ALLOWLIST:
        if name not in known and not LOAD_PROBLEMS:  # else the plan may just have failed to load
            problems.append(
                f"{rel(ALLOWLIST_FILE)}: '{name}' is not the source of any plan "
                f"(sources: {', '.join(sorted(known))})"
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("source_name", [pytest.param(n, id=n) for n, _ in covered_sources()])
def test_allowlist_entries_are_live(source_name: str) -> None:
    """Each range of an allow-list entry still holds a line that nothing else accounts for (else
    it is stale: the line was modelled since, or the source changed)."""
    src = source(source_name)
    assert src is not None
    accounted = accounted_lines(source_name)
    stale = []
    stale_ranges: list[tuple[int, int]] = []
    for entry in ALLOWLIST.get(source_name, []):
        for a, b in entry.lines:
            if b > src.line_count:
                stale.append(
                    f"  {source_name}[{entry.index}] lines {a}-{b}: outside the source "
                    f"({src.line_count} lines)"
                )
                continue
            live = [
                n for n in range(a, b + 1) if n not in accounted and not ignorable(src.lines[n - 1])
            ]
            if not live:
                stale.append(
                    f"  {source_name}[{entry.index}] lines {format_lines(((a, b),))}: "
                    f"every line is modelled or blank ({entry.reason[:80]})"
                )
                stale_ranges.append((a, b))
    if stale:
        pytest.fail(
            f"{rel(ALLOWLIST_FILE)}: {len(stale)} stale range(s); remove or narrow them:\n"
            + "\n".join(stale)
            + (
                f"\n  show: {show_command(source_name, tuple(stale_ranges))}"
                if stale_ranges
                else ""
            ),
            pytrace=False,
        )
