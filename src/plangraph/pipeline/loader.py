"""Load plan files and the institution authority file into typed, cross-checked records.

Every problem is reported with file, line and field; all problems of a run are collected before
raising, so a curator sees the whole list at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plangraph.errors import InputError, Problem
from plangraph.pipeline.hierarchy import allowed_parents, parent_allowed
from plangraph.pipeline.iris import MAX_IRI, iri_clashes
from plangraph.pipeline.records import (
    Element,
    Institution,
    InstitutionRef,
    InstitutionsFile,
    PlanFile,
    PlanLink,
    Quote,
    format_lines,
)
from plangraph.pipeline.yamlsource import LineMap, field_name, line_of, load_yaml, read_text
from plangraph.project import Project
from plangraph.text.fidelity import normalise, quote_matches

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceText:
    """A source document split into lines (1-based access)."""

    path: Path
    lines: tuple[str, ...]

    def span(self, ranges: Sequence[tuple[int, int]]) -> str:
        """The text of the given inclusive 1-based line ranges, joined by newlines."""
        return "\n".join("\n".join(self.lines[a - 1 : b]) for a, b in ranges)

    @property
    def line_count(self) -> int:
        """Number of lines."""
        return len(self.lines)


def read_source(path: Path) -> SourceText:
    """Read a source document as UTF-8 text lines."""
    return SourceText(path, tuple(read_text(path).splitlines()))


def source_path(sources_dir: Path, name: str) -> Path | str:
    """The file a ``source:`` names, or why it cannot be read: sources are files inside
    ``graph/sources/`` (no absolute paths, no ``..``, no symlink leading out of it).

    >>> source_path(Path("/p/graph/sources"), "/etc/hostname")
    "'/etc/hostname' is not a file name inside /p/graph/sources"
    """
    bad = f"'{name}' is not a file name inside {sources_dir}"
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return bad
    path = sources_dir / relative
    try:
        inside = path.resolve().is_relative_to(sources_dir.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return f"cannot read source '{name}' in {sources_dir} (a symlink loop?)"
    if not inside:
        return f"'{name}' leads out of {sources_dir} (a symlink?): sources must stay inside it"
    if not path.is_file():
        return f"no source file '{name}' in {sources_dir}"
    return path


@dataclass(frozen=True)
class Plan:
    """A loaded plan: its records, its file and the source it quotes."""

    file: Path
    record: PlanFile
    source: SourceText
    lines: LineMap = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        """The plan id."""
        return self.record.plan.id

    def walk(self) -> Iterator[tuple[Path_, Element, Element | None]]:
        """Every element depth-first with its YAML path and its parent (None at top)."""

        def rec(
            elems: Sequence[Element], base: Path_, parent: Element | None
        ) -> Iterator[tuple[Path_, Element, Element | None]]:
            for i, el in enumerate(elems):
                path = (*base, i)
                yield path, el, parent
                yield from rec(el.children, (*path, "children"), el)

        yield from rec(self.record.elements, ("elements",), None)


@dataclass(frozen=True)
class Corpus:
    """All plans of a project plus the institution authority file."""

    plans: tuple[Plan, ...]
    institutions: dict[str, Institution]
    institutions_file: Path
    institution_lines: LineMap = field(default_factory=dict)
    """Where each value of the authority file stands (for errors found after loading)."""
    institution_index: dict[str, int] = field(default_factory=dict)
    """Position of each institution id in the authority file's list."""

    @cached_property
    def plan_ids(self) -> tuple[str, ...]:
        """Plan ids in load order."""
        return tuple(p.id for p in self.plans)


def _validation_problems(exc: ValidationError, file: Path, lines: LineMap) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(
            p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-")
        )
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        problems.append(Problem(file, line_of(lines, loc), field_name(loc), msg))
    return problems


def load_institutions(file: Path, sources_dir: Path) -> dict[str, Institution]:
    """Load and check ``graph/institutions.yaml``: ids unique, parents and members defined,
    mentions inside their sources."""
    return load_authority(file, sources_dir)[0]


def load_authority(
    file: Path, sources_dir: Path
) -> tuple[dict[str, Institution], LineMap, dict[str, int]]:
    """:func:`load_institutions`, with the line of every value and each id's position."""
    data, lines = load_yaml(file)
    try:
        parsed = InstitutionsFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_validation_problems(exc, file, lines)) from None
    problems: list[Problem] = []
    by_id: dict[str, Institution] = {}
    for i, inst in enumerate(parsed.institutions):
        path: Path_ = ("institutions", i)
        if inst.id in by_id:
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*path, "id")),
                    field_name((*path, "id")),
                    f"duplicate institution id '{inst.id}'",
                )
            )
        # the file's language is each name's language unless an entry says otherwise
        by_id[inst.id] = (
            inst if inst.language else inst.model_copy(update={"language": parsed.language})
        )
    sources: dict[str, SourceText | str] = {}
    for i, inst in enumerate(parsed.institutions):
        path = ("institutions", i)
        refs: list[tuple[Path_, str]] = [((*path, "parent"), inst.parent)] if inst.parent else []
        refs += [((*path, "members", j), m) for j, m in enumerate(inst.members)]
        for sub, ref in refs:
            if ref not in by_id:
                problems.append(
                    Problem(
                        file,
                        line_of(lines, sub),
                        field_name(sub),
                        f"unknown institution id '{ref}'",
                    )
                )
        for j, mention in enumerate(inst.mentions):
            msub: Path_ = (*path, "mentions", j)
            if mention.source not in sources:
                src = source_path(sources_dir, mention.source)
                sources[mention.source] = read_source(src) if isinstance(src, Path) else src
            text = sources[mention.source]
            if not isinstance(text, SourceText):
                problems.append(
                    Problem(
                        file,
                        line_of(lines, (*msub, "source")),
                        field_name((*msub, "source")),
                        text,
                    )
                )
                continue
            problems += _check_ranges(mention.lines, text, file, lines, (*msub, "lines"))
    if problems:
        raise InputError(problems)
    return by_id, lines, {inst.id: i for i, inst in enumerate(parsed.institutions)}


def _check_ranges(
    ranges: Sequence[tuple[int, int]], source: SourceText, file: Path, lines: LineMap, path: Path_
) -> list[Problem]:
    for _, end in ranges:
        if end > source.line_count:
            return [
                Problem(
                    file,
                    line_of(lines, path),
                    field_name(path),
                    f"line range {format_lines(tuple(ranges))} is outside "
                    f"{source.path.name} ({source.line_count} lines)",
                )
            ]
    return []


def load_plan(
    file: Path,
    sources_dir: Path,
    institutions: dict[str, Institution] | None = None,
    hierarchy: dict[str, frozenset[str]] | None = None,
) -> Plan:
    """Load one plan file and check it against its source and the institutions.

    Checks: schema (unknown fields, kinds, roles), file name = plan id, source exists, every
    line range inside the source, every quote standing at its lines (docs/plan-format.md),
    codes unique among siblings of the same kind, institution ids known (when given), each
    kind under a parent the hierarchy rules allow (when given; see plangraph.pipeline.hierarchy).
    """
    data, lines = load_yaml(file)
    try:
        record = PlanFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_validation_problems(exc, file, lines)) from None
    meta = record.plan
    problems: list[Problem] = []
    if meta.id != file.stem:
        problems.append(
            Problem(
                file,
                line_of(lines, ("plan", "id")),
                "plan.id",
                f"plan id '{meta.id}' does not match the file name '{file.name}'",
            )
        )
    src_path = source_path(sources_dir, meta.source)
    if not isinstance(src_path, Path):
        where = line_of(lines, ("plan", "source"))
        raise InputError([*problems, Problem(file, where, "plan.source", src_path)])
    source = read_source(src_path)
    plan = Plan(file, record, source, lines)

    def quote(text: str | None, ranges: Any, path: Path_, text_key: str, lines_key: str) -> None:
        if text is None or ranges is None:
            return
        probs = _check_ranges(ranges, source, file, lines, (*path, lines_key))
        if not probs and not quote_matches(text, source.span(ranges)):
            shown = normalise(text)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            probs = [
                Problem(
                    file,
                    line_of(lines, (*path, text_key)),
                    field_name((*path, text_key)),
                    f"'{shown}' does not stand at lines {format_lines(ranges)} "
                    f"of {source.path.name}",
                )
            ]
        problems.extend(probs)

    mp: Path_ = ("plan",)
    quote(meta.title, meta.title_lines, mp, "title", "title_lines")
    quote(meta.issuer_text, meta.issuer_lines, mp, "issuer_text", "issuer_lines")
    quote(meta.period_text, meta.period_lines, mp, "period_text", "period_lines")
    quote(meta.version, meta.version_lines, mp, "version", "version_lines")
    for key in ("populations", "cites", "timeframe"):
        for i, q in enumerate(getattr(meta, key)):
            assert isinstance(q, Quote)
            quote(q.text, q.lines, (*mp, key, i), "text", "lines")
    for i, inst_id in enumerate(meta.issuer):
        if institutions is not None and inst_id not in institutions:
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*mp, "issuer", i)),
                    field_name((*mp, "issuer", i)),
                    f"unknown institution id '{inst_id}'",
                )
            )
    for key in ("replaces", "replaced_by"):
        for i, link in enumerate(getattr(meta, key)):
            assert isinstance(link, PlanLink)
            lpath = (*mp, key, i)
            quote(link.text, link.lines, lpath, "text", "lines")
            quote(link.title, link.lines, lpath, "title", "lines")
            if link.id == meta.id:
                problems.append(
                    Problem(
                        file,
                        line_of(lines, (*lpath, "id")),
                        field_name((*lpath, "id")),
                        f"a plan cannot replace itself ('{link.id}')",
                    )
                )

    def check_institution(ref: InstitutionRef, rpath: Path_) -> None:
        if institutions is not None and ref.id not in institutions:
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*rpath, "id")),
                    field_name((*rpath, "id")),
                    f"unknown institution id '{ref.id}'",
                )
            )
        elif institutions is not None and institutions[ref.id].is_programme:
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*rpath, "id")),
                    field_name((*rpath, "id")),
                    f"'{ref.id}' is a programme, not a body that can take part: "
                    "name the institution that runs it",
                )
            )

    for i, pref in enumerate(meta.institutions):
        rpath = (*mp, "institutions", i)
        quote(pref.text, pref.lines, rpath, "text", "lines")
        check_institution(pref, rpath)

    def check_siblings(elems: Sequence[Element], base: Path_) -> None:
        seen: dict[tuple[str, str], int] = {}
        for i, el in enumerate(elems):
            if el.code is None:
                continue
            key = (el.kind.value, el.code)
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        line_of(lines, (*base, i, "code")),
                        field_name((*base, i, "code")),
                        f"duplicate code '{el.code}' for kind '{el.kind}' under "
                        f"the same parent (first at {field_name((*base, seen[key]))})",
                    )
                )
            else:
                seen[key] = i

    check_siblings(record.elements, ("elements",))
    for path, el, parent in plan.walk():
        check_siblings(el.children, (*path, "children"))
        if hierarchy is not None and not parent_allowed(
            hierarchy, el.kind, parent.kind if parent else None
        ):
            under = f"a {parent.kind.value}" if parent else "the top of the plan"
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*path, "kind")),
                    field_name((*path, "kind")),
                    f"a {el.kind.value} cannot stand under {under} "
                    f"(rules: ontology/shapes/, pgsh:{el.kind.class_name}ParentShape)",
                )
            )
        quote(el.text, el.lines, path, "text", "lines")
        quote(el.timeframe, el.timeframe_lines, path, "timeframe", "timeframe_lines")
        quote(el.start, el.start_lines, path, "start", "start_lines")
        quote(el.end, el.end_lines, path, "end", "end_lines")
        for j, entry in enumerate(el.schedule):
            quote(entry.text, entry.lines, (*path, "schedule", j), "text", "lines")
        for j, ind in enumerate(el.indicators):
            quote(ind.text, ind.lines, (*path, "indicators", j), "text", "lines")
        for j, ref in enumerate(el.institutions):
            rpath = (*path, "institutions", j)
            quote(ref.text, ref.lines or el.lines, rpath, "text", "lines")
            check_institution(ref, rpath)
    problems += _clash_problems(plan)
    if problems:
        raise InputError(problems)
    return plan


def link_problems(plans: Sequence[Plan], known: set[str]) -> list[Problem]:
    """``replaces`` / ``replaced_by`` ids: a plan of the corpus, or one outside it named by its
    printed ``title``."""
    problems = []
    for plan in plans:
        meta = plan.record.plan
        for key in ("replaces", "replaced_by"):
            for i, link in enumerate(getattr(meta, key)):
                assert isinstance(link, PlanLink)
                if link.id not in known and link.title is None:
                    path: Path_ = ("plan", key, i, "id")
                    problems.append(
                        Problem(
                            plan.file,
                            line_of(plan.lines, path),
                            field_name(path),
                            f"unknown plan id '{link.id}': give the plan's printed `title` "
                            "for a plan outside the corpus",
                        )
                    )
    return problems


def _clash_problems(plan: Plan) -> list[Problem]:
    """Elements that would share an IRI, or get one too long (see plangraph.pipeline.iris)."""
    out = []
    elements = {path: el for path, el, _parent in plan.walk()}
    for clash in iri_clashes(plan):
        el = elements[clash.second]
        key = (*clash.second, "code") if el.code else (*clash.second, "kind")
        if clash.first is None:
            message = (
                f"this element's IRI would be longer than {MAX_IRI:,} characters: "
                "shorten its code or its ancestors' codes"
            )
        elif elements[clash.first].code == el.code and el.code is not None:
            continue  # the same code twice: reported as a duplicate code
        else:
            message = (
                f"gets the same IRI segment '{clash.segment}' as {field_name(clash.first)} "
                "(codes that differ only in case, accents or punctuation): "
                "give them distinct codes"
            )
        out.append(Problem(plan.file, line_of(plan.lines, key), field_name(key), message))
    return out


def plan_files(project: Project) -> list[Path]:
    """The plan files of a project, sorted by name."""
    return sorted(project.plans_dir.glob("*.yaml"))


def load_corpus(project: Project, files: Sequence[Path] | None = None) -> Corpus:
    """Load the institutions and every plan file (or the given ones), collecting all problems."""
    problems: list[Problem] = []
    institutions: dict[str, Institution] | None = None
    inst_lines: LineMap = {}
    inst_index: dict[str, int] = {}
    try:
        institutions, inst_lines, inst_index = load_authority(
            project.institutions_file, project.sources_dir
        )
    except InputError as exc:
        problems += exc.problems
    except FileNotFoundError:
        problems.append(Problem(project.institutions_file, None, "", "file not found"))
    rules = allowed_parents(project.ontology_file, project.shapes_dir)
    plans: list[Plan] = []
    seen: dict[str, Path] = {}
    for file in files if files is not None else plan_files(project):
        try:
            plan = load_plan(file, project.sources_dir, institutions, rules)
        except InputError as exc:
            problems += exc.problems
            continue
        except FileNotFoundError:
            problems.append(Problem(file, None, "", "file not found"))
            continue
        if plan.id in seen:
            problems.append(
                Problem(
                    file,
                    line_of(plan.lines, ("plan", "id")),
                    "plan.id",
                    f"duplicate plan id '{plan.id}' (also in {seen[plan.id]})",
                )
            )
        seen[plan.id] = file
        plans.append(plan)
    if not plans and not problems:
        problems.append(Problem(project.plans_dir, None, "", "no plan files (*.yaml) found"))
    # a plan checked alone may name another plan of the project
    problems += link_problems(plans, set(seen) | {f.stem for f in plan_files(project)})
    if problems:
        raise InputError(problems)
    assert institutions is not None
    return Corpus(tuple(plans), institutions, project.institutions_file, inst_lines, inst_index)
