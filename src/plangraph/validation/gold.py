"""The hand-labelled gold standard of the tagger: ``tests/data/eval/tags/*.yaml``.

Each file lists action-level elements of one or more plans with their frozen ``split`` (``dev``
or ``test``), the concepts that clearly apply (``themes``, ``populations``, ``gcm``) and those a
reader could defend (``defensible``); ``tests/data/eval/GUIDELINES.md`` says how they were made.
A ``corpora.yaml`` beside them names other ``graph/`` folders whose plans the files label
(relative to the project root). Bad files are errors with file, line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef

from plangraph.errors import InputError, Problem
from plangraph.pipeline.yamlsource import LineMap, field_name, line_of, load_yaml
from plangraph.rdf.namespaces import concept_iri

SCHEMES = {"themes": "theme", "populations": "population", "gcm": "gcm"}
"""Keys of a gold record and the scheme of each."""
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class GoldElement:
    """One labelled element."""

    iri: str
    split: str
    clear: dict[str, frozenset[URIRef]]
    defensible: dict[str, frozenset[URIRef]]
    file: Path
    line: int | None


def concept(scheme: str, ident: Any) -> URIRef:
    """The IRI of a gold label (GCM objectives by number).

    >>> str(concept("gcm", 14)), str(concept("theme", "advocacy"))
    ('https://w3id.org/plangraph/vocab/gcm/objective-14', 'https://w3id.org/plangraph/vocab/theme/advocacy')
    """
    if scheme == "gcm":
        return concept_iri("gcm", f"objective-{int(ident)}")
    return concept_iri(scheme, str(ident))


def _concepts(
    value: Any, scheme: str, file: Path, lines: LineMap, path: tuple[str | int, ...]
) -> tuple[frozenset[URIRef], list[Problem]]:
    if value is None:
        return frozenset(), []
    if not isinstance(value, list):
        return frozenset(), [
            Problem(file, line_of(lines, path), field_name(path), "expected a list of concepts")
        ]
    out, problems = set(), []
    for i, ident in enumerate(value):
        ok = isinstance(ident, int) if scheme == "gcm" else isinstance(ident, str) and ident
        if not ok or (scheme == "gcm" and not 1 <= int(ident) <= 23):
            what = "a GCM objective number 1-23" if scheme == "gcm" else "a concept id"
            problems.append(
                Problem(
                    file, line_of(lines, (*path, i)), field_name((*path, i)), f"expected {what}"
                )
            )
            continue
        out.add(concept(scheme, ident))
    return frozenset(out), problems


def load_gold_file(file: Path) -> list[GoldElement]:
    """The labelled elements of one gold file."""
    data, lines = load_yaml(file)
    problems: list[Problem] = []
    elements = data.get("elements") if isinstance(data, Mapping) else None
    if not isinstance(elements, list):
        raise InputError([Problem(file, 1, "elements", "expected a list of labelled elements")])
    out = []
    for i, record in enumerate(elements):
        path: tuple[str | int, ...] = ("elements", i)
        if not isinstance(record, Mapping):
            problems.append(
                Problem(file, line_of(lines, path), field_name(path), "expected a mapping")
            )
            continue
        iri, split = record.get("iri"), record.get("split")
        if not isinstance(iri, str) or not iri.startswith("http"):
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*path, "iri")),
                    field_name((*path, "iri")),
                    "expected an element IRI",
                )
            )
        if split not in SPLITS:
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*path, "split")),
                    field_name((*path, "split")),
                    f"expected one of {', '.join(SPLITS)}",
                )
            )
        clear: dict[str, frozenset[URIRef]] = {}
        defensible: dict[str, frozenset[URIRef]] = {}
        extra = record.get("defensible") or {}
        if not isinstance(extra, Mapping):
            problems.append(
                Problem(
                    file,
                    line_of(lines, (*path, "defensible")),
                    field_name((*path, "defensible")),
                    "expected a mapping",
                )
            )
            extra = {}
        for key, scheme in SCHEMES.items():
            clear[scheme], probs = _concepts(record.get(key), scheme, file, lines, (*path, key))
            problems += probs
            defensible[scheme], probs = _concepts(
                extra.get(key), scheme, file, lines, (*path, "defensible", key)
            )
            problems += probs
        if isinstance(iri, str) and split in SPLITS:
            out.append(GoldElement(iri, str(split), clear, defensible, file, line_of(lines, path)))
    if problems:
        raise InputError(problems)
    return out


def load_gold(folder: Path) -> list[GoldElement]:
    """Every labelled element of the gold files in a folder (``*.yaml`` but ``split.yaml`` and
    ``corpora.yaml``); an element labelled twice is an error."""
    if not folder.is_dir():
        raise InputError([Problem(folder, None, "", "no such folder of gold labels")])
    problems: list[Problem] = []
    out: list[GoldElement] = []
    seen: dict[str, GoldElement] = {}
    for file in sorted(folder.glob("*.yaml")):
        if file.name in ("split.yaml", "corpora.yaml"):
            continue
        try:
            elements = load_gold_file(file)
        except InputError as exc:
            problems += exc.problems
            continue
        for el in elements:
            if el.iri in seen:
                first = seen[el.iri]
                problems.append(
                    Problem(
                        el.file,
                        el.line,
                        "iri",
                        f"labelled twice (also {first.file.name}:{first.line})",
                    )
                )
                continue
            seen[el.iri] = el
            out.append(el)
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([Problem(folder, None, "", "no labelled elements found")])
    return out


def extra_corpora(folder: Path, root: Path) -> list[Path]:
    """The ``graph/`` folders ``corpora.yaml`` names (relative to the project root)."""
    file = folder / "corpora.yaml"
    if not file.is_file():
        return []
    data, lines = load_yaml(file)
    items = data.get("corpora") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise InputError([Problem(file, 1, "corpora", "expected a list of graph/ folders")])
    out = []
    for i, item in enumerate(items):
        path = (root / item).resolve()
        if not (path / "plans").is_dir():
            raise InputError(
                [
                    Problem(
                        file,
                        line_of(lines, ("corpora", i)),
                        f"corpora[{i}]",
                        f"{item} has no plans/ folder",
                    )
                ]
            )
        out.append(path)
    return out
