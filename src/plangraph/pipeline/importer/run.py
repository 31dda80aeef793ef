"""``plangraph import``: convert a document, draft its plan file, check the draft with the
loader, and write everything at once.

Outputs: ``graph/sources/<id>.txt`` (the text), ``graph/plans/<id>.yaml`` (the draft),
``build/import/<id>-review.md`` and ``.json`` (the review list) and
``build/import/<id>-institutions-proposed.yaml`` (bodies missing from the authority file, for
the curator; ``graph/institutions.yaml`` is never written). Nothing is written when anything
fails; with ``--force`` an existing plan or source is first copied to ``<file>.<time>.bak``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from plangraph.errors import InputError, PlangraphError, Problem
from plangraph.pipeline.hierarchy import allowed_parents
from plangraph.pipeline.importer.draft import Draft, choose, render
from plangraph.pipeline.importer.formats import Converted, convert
from plangraph.pipeline.importer.render import comment_lines, to_yaml
from plangraph.pipeline.importer.verify import prune
from plangraph.pipeline.loader import load_institutions, load_plan
from plangraph.pipeline.records import SLUG, Institution
from plangraph.project import Project

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for."""

    file: Path
    plan_id: str | None = None
    language: str | None = None
    layout: str = "auto"
    country: str | None = None
    force: bool = False


@dataclass
class ImportResult:
    """What an import wrote and found."""

    plan_id: str
    profile: str
    scores: dict[str, float]
    elements: int
    institutions: int
    review_counts: dict[str, int]
    proposals: int
    written: dict[str, Path]
    backups: list[Path]
    seconds: float
    converted: Converted
    draft: Draft
    meta: dict[str, Any] = field(default_factory=dict)


def plan_id_for(path: Path) -> str:
    """A plan id from a file name: lowercase words of letters and digits joined by hyphens.

    >>> plan_id_for(Path("Plan de Acción 2023_2025.pdf"))
    'plan-de-accion-2023-2025'
    """
    from plangraph.pipeline.importer.textdoc import fold

    return "-".join(fold(path.stem).split()) or "imported-plan"


def import_document(
    project: Project, options: ImportOptions, progress: Progress | None = None
) -> ImportResult:
    """Run the whole import (see the module docstring)."""
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    plan_id = options.plan_id or plan_id_for(options.file)
    if not re.match(SLUG, plan_id):
        raise InputError(
            [Problem(options.file, None, "--id", f"'{plan_id}' is not a plan id (a-z, 0-9, -)")]
        )
    if options.country is not None and not re.fullmatch(r"[A-Z]{2}", options.country):
        raise PlangraphError(f"--country '{options.country}' is not an ISO 3166-1 alpha-2 code")
    plan_file = project.plans_dir / f"{plan_id}.yaml"
    source_file = project.sources_dir / f"{plan_id}.txt"
    existing = [f for f in (plan_file, source_file) if f.exists()]
    if existing and not options.force:
        raise InputError(
            [
                Problem(f, None, "", f"plan id '{plan_id}' exists already: choose another --id, "
                "or pass --force to replace it (a backup is kept)")
                for f in existing
            ]
        )  # fmt: skip
    converted = convert(options.file, say)
    say(f"{converted.text.count(chr(10))} lines of text")
    institutions = _institutions(project)
    rules = allowed_parents(project.ontology_file, project.shapes_dir)
    say(f"drafting with layout '{options.layout}'")
    draft, scores = choose(
        converted.text,
        options.layout,
        institutions,
        rules,
        language=options.language,
        country=options.country,
    )
    say(f"layout '{draft.profile.name}' ({', '.join(f'{k} {v}' for k, v in scores.items())})")
    if draft.element_count == 0:
        tried = ", ".join(scores) if options.layout == "auto" else options.layout
        raise InputError(
            [
                Problem(
                    options.file,
                    None,
                    "",
                    f"no plan element found with the layout profile(s) {tried}: copy the profile "
                    "closest to this document, add its headings and column names, and pass it "
                    "with --layout (docs/import.md, 'Layout profiles')",
                )
            ]
        )
    source_lines = converted.text.split("\n")
    note = _note(converted, draft.profile.name)
    data = render(draft, plan_id, source_file.name, note, source_lines)
    review_path = project.build_dir / "import" / f"{plan_id}-review.md"
    say("checking the draft with the loader")
    data = prune(
        data,
        converted.text,
        source_file.name,
        plan_file.name,
        institutions,
        rules,
        draft.review,
        load_plan,
    )
    header = comment_lines(plan_id, converted.name, draft.profile.name, _rel(review_path, project))
    plan_text = to_yaml(data, header)
    elements = _count(data.get("elements", []))
    refs = _count_refs(data.get("elements", []))
    meta = {
        "plan_id": plan_id,
        "input": converted.name,
        "format": converted.format,
        "sha256": converted.sha256,
        "pages": converted.pages,
        "source": _rel(source_file, project),
        "plan": _rel(plan_file, project),
        "profile": draft.profile.name,
        "scores": scores,
        "elements": elements,
        "institution_mentions": refs,
        "notes": converted.notes,
    }
    outputs: dict[str, tuple[Path, str]] = {
        "source": (source_file, converted.text),
        "plan": (plan_file, plan_text),
        "review": (review_path, draft.review.to_markdown(meta, source_lines)),
        "review_json": (review_path.with_suffix(".json"), draft.review.to_json(meta)),
    }
    if draft.proposals:
        proposals_file = project.build_dir / "import" / f"{plan_id}-institutions-proposed.yaml"
        outputs["proposals"] = (proposals_file, _proposals_yaml(draft, source_file.name))
    say("writing")
    backups = _write_all(outputs, existing)
    return ImportResult(
        plan_id=plan_id,
        profile=draft.profile.name,
        scores=scores,
        elements=elements,
        institutions=refs,
        review_counts=draft.review.counts(),
        proposals=len(draft.proposals),
        written={k: v[0] for k, v in outputs.items()},
        backups=backups,
        seconds=time.perf_counter() - start,
        converted=converted,
        draft=draft,
        meta=meta,
    )


_AUTHORITY: dict[tuple[str, int, int], dict[str, Institution]] = {}


def _institutions(project: Project) -> dict[str, Institution]:
    """The authority file, loaded and checked once per version of the file in a process."""
    file = project.institutions_file
    if not file.is_file():
        raise InputError([Problem(file, None, "", "file not found")])
    stat = file.stat()
    key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _AUTHORITY:
        _AUTHORITY[key] = load_institutions(file, project.sources_dir)
    return _AUTHORITY[key]


def _note(converted: Converted, profile: str) -> str:
    pages = f", {converted.pages} pages" if converted.pages else ""
    return (
        f"Drafted by plangraph import from '{converted.name}' ({converted.format}{pages}, "
        f"sha256 {converted.sha256}) with the layout profile '{profile}'. Every element needs "
        "a curator's check; see the review list."
    )


def _rel(path: Path, project: Project) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def _count(elements: list[dict[str, Any]]) -> int:
    return sum(1 + _count(e.get("children", [])) for e in elements)


def _count_refs(elements: list[dict[str, Any]]) -> int:
    return sum(
        len(e.get("institutions", [])) + _count_refs(e.get("children", [])) for e in elements
    )


def _proposals_yaml(draft: Draft, source: str) -> str:
    """Proposed authority entries in the format of graph/institutions.yaml (for the curator)."""
    entries = []
    for p in draft.proposals:
        lines = p["lines"]
        assert isinstance(lines, list)
        entry: dict[str, Any] = {"id": p["id"], "name": p["name"]}
        if p["acronyms"]:
            entry["acronyms"] = p["acronyms"]
        entry["type"] = "other"
        if draft.header.country:
            entry["country"] = draft.header.country
        entry["mentions"] = [{"source": source, "lines": str(n)} for n in sorted(lines)]
        if p["best"]:
            entry["note"] = (
                f"PROPOSED by plangraph import; closest known: {p['best']} ({p['score']})"
            )
        else:
            entry["note"] = "PROPOSED by plangraph import"
        entries.append(entry)
    head = (
        "# Bodies the document names that graph/institutions.yaml does not have.\n"
        "# Check each (name, type, country, parent), copy the right ones into\n"
        "# graph/institutions.yaml, then add them to the elements of the plan file.\n"
    )
    return head + yaml.safe_dump(
        {"institutions": entries}, sort_keys=False, allow_unicode=True, width=100000
    )


def _write_all(outputs: dict[str, tuple[Path, str]], existing: list[Path]) -> list[Path]:
    """Write every output to a temporary file beside it, then back up what is replaced and
    rename all; on any error before the renames, nothing is left behind."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, text in outputs.values():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(name), path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(name, 0o644)
    except BaseException:
        for temp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        raise
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backups = []
    for old in existing:
        backup = old.with_name(f"{old.name}.{stamp}.bak")
        shutil.copy2(old, backup)
        backups.append(backup)
    for temp, path in temps:
        os.replace(temp, path)
    return backups
