"""Validate the tag-evaluation label files in tests/data/eval/tags/ (see GUIDELINES.md).

Every ``tests/data/eval/tags/*.yaml`` except ``split.yaml`` is a label file for one plan. Checks:

* header: ``plan`` (an existing plan), ``labelled_by``, ``date``, ``guidelines``, ``elements``;
* every element: ``iri`` is an action-level element of that plan (``element_iris``), listed once,
  in document order; ``kind`` and ``text`` equal the plan file's; ``split`` equals split.yaml's;
* ``themes`` / ``populations``: concept ids (last IRI segment) that exist in
  ontology/vocab/themes.ttl / populations.ttl; ``gcm``: integers 1-23; no duplicates;
* ``defensible``: a mapping with the same three lists, disjoint from the clear lists;
* no list holds a concept together with one of its broader concepts (skos:broader, transitive),
  and no defensible concept is a broader concept of a clear one (it is implied already);
* ``note``: a non-empty string;
* completeness: every action-level element of the plan is labelled (``--allow-partial`` turns
  missing elements into warnings, for work in progress).

Usage, from the repository root with plangraph installed::

    python tests/data/eval/check_tag_labels.py [--allow-partial] [FILE ...]

Exit status 1 if any problem is found. Importing this module has no side effects.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TAGS = HERE / "tags"
SPLIT_FILE = TAGS / "split.yaml"
KINDS = ("action", "milestone", "activity", "immediate_step")
SCHEMES = {"themes": "themes.ttl", "populations": "populations.ttl"}
HEADER = ("plan", "labelled_by", "date", "guidelines", "elements")
ELEMENT_KEYS = (
    "iri",
    "kind",
    "split",
    "text",
    "themes",
    "populations",
    "gcm",
    "defensible",
    "note",
)


def broader_closure(broader: dict[str, set[str]]) -> dict[str, set[str]]:
    """Transitive closure of a concept -> direct broader concepts map.

    >>> sorted(broader_closure({"a": {"b"}, "b": {"c"}, "c": set()})["a"])
    ['b', 'c']
    """
    out: dict[str, set[str]] = {}
    for concept in broader:
        seen: set[str] = set()
        todo = list(broader.get(concept, ()))
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo.extend(broader.get(b, ()))
        out[concept] = seen
    return out


def load_scheme(file: Path) -> dict[str, set[str]]:
    """Concept id -> transitive broader concept ids, for every skos:Concept of a vocabulary file."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SKOS

    g = Graph()
    g.parse(file)
    ids = {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, SKOS.Concept)}
    direct: dict[str, set[str]] = {c: set() for c in ids}
    for c, b in g.subject_objects(SKOS.broader):
        direct.setdefault(str(c).rsplit("/", 1)[1], set()).add(str(b).rsplit("/", 1)[1])
    return broader_closure(direct)


def check_concepts(
    where: str, clear: list[Any], defensible: list[Any], closure: dict[str, set[str]]
) -> list[str]:
    """Problems of one scheme's clear and defensible lists (concept ids).

    >>> cl = {"a": {"b"}, "b": set(), "c": set()}
    >>> check_concepts("x", ["a"], ["c"], cl)
    []
    >>> check_concepts("x", ["a", "b"], [], cl)
    ["x: clear lists 'a' with its broader concept 'b'"]
    >>> check_concepts("x", ["a"], ["b"], cl)
    ["x: defensible 'b' is a broader concept of clear 'a' (already implied)"]
    >>> check_concepts("x", ["b"], ["a", "zz"], cl)
    ["x: unknown concept 'zz'"]
    """
    problems: list[str] = []
    for tier, values in (("clear", clear), ("defensible", defensible)):
        if not isinstance(values, list):
            problems.append(f"{where}: {tier} is not a list")
            continue
        if len(set(map(str, values))) != len(values):
            problems.append(f"{where}: {tier} has duplicates")
        for v in values:
            if not isinstance(v, str) or v not in closure:
                problems.append(f"{where}: unknown concept {v!r}")
        known = [v for v in values if isinstance(v, str) and v in closure]
        for v in known:
            for b in sorted(closure[v] & set(known)):
                problems.append(f"{where}: {tier} lists {v!r} with its broader concept {b!r}")
    if isinstance(clear, list) and isinstance(defensible, list):
        for v in sorted(set(map(str, clear)) & set(map(str, defensible))):
            problems.append(f"{where}: {v!r} is both clear and defensible")
        for c in clear:
            for d in defensible:
                if c in closure and d in closure.get(c, set()):
                    problems.append(
                        f"{where}: defensible {d!r} is a broader concept of clear {c!r} "
                        "(already implied)"
                    )
    return problems


def check_gcm(where: str, clear: list[Any], defensible: list[Any]) -> list[str]:
    """Problems of the GCM lists.

    >>> check_gcm("x", [7, 21], [3])
    []
    >>> check_gcm("x", [0, "7", True], [7, 7])
    ['x: gcm value 0 is not an integer 1-23', "x: gcm value '7' is not an integer 1-23", \
'x: gcm value True is not an integer 1-23', 'x: defensible gcm has duplicates']
    """
    problems: list[str] = []
    for tier, values in (("clear", clear), ("defensible", defensible)):
        if not isinstance(values, list):
            problems.append(f"{where}: {tier} gcm is not a list")
            continue
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 23:
                problems.append(f"{where}: gcm value {v!r} is not an integer 1-23")
        if len(set(map(repr, values))) != len(values):
            prefix = "" if tier == "clear" else "defensible "
            problems.append(f"{where}: {prefix}gcm has duplicates")
    if isinstance(clear, list) and isinstance(defensible, list):
        for v in sorted(set(clear) & set(defensible), key=repr):
            problems.append(f"{where}: gcm {v!r} is both clear and defensible")
    return problems



def check_element_labels(where: str, el: dict, schemes: dict) -> list[str]:
    """The problems of one labelled element's concepts, defensible lists and note."""
    problems: list[str] = []
    dfs = el.get("defensible")
    if not isinstance(dfs, dict) or set(dfs) != {"themes", "populations", "gcm"}:
        problems.append(f"{where}: defensible must map exactly themes, populations, gcm")
        dfs = {}
    for scheme, closure in schemes.items():
        problems += check_concepts(
            f"{where} {scheme}", el.get(scheme, []), dfs.get(scheme, []), closure
        )
    problems += check_gcm(where, el.get("gcm", []), dfs.get("gcm", []))
    note = el.get("note")
    if not isinstance(note, str) or not note.strip():
        problems.append(f"{where}: note is empty")
    return problems

def check_keys(where: str, el: dict) -> list[str]:
    """An element entry has exactly the keys of ELEMENT_KEYS."""
    missing = [f"{where}: missing key {key!r}" for key in ELEMENT_KEYS if key not in el]
    extra = [f"{where}: unexpected key {key!r}" for key in sorted(set(el) - set(ELEMENT_KEYS))]
    return missing + extra


def plan_elements(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Plan id -> action-level elements as (iri, kind, text), in document order."""
    try:  # package layout after the 2026-12 restructuring (plangraph.pipeline.*)
        from plangraph.pipeline.compiler import element_iris
        from plangraph.pipeline.loader import load_corpus
    except ImportError:  # earlier layout, e.g. the stable tree
        from plangraph.compiler import element_iris  # type: ignore[no-redef]
        from plangraph.loader import load_corpus  # type: ignore[no-redef]
    from plangraph.project import Project

    corpus = load_corpus(Project.discover(root))
    out: dict[str, list[tuple[str, str, str]]] = {}
    for plan in corpus.plans:
        iris = element_iris(plan)
        out[plan.id] = [
            (str(iris[path]), el.kind.value, el.text)
            for path, el, _parent in plan.walk()
            if el.kind.value in KINDS
        ]
    return out


def check_file(
    file: Path,
    plans: dict[str, list[tuple[str, str, str]]],
    split: dict[str, tuple[str, str]],
    schemes: dict[str, dict[str, set[str]]],
    allow_partial: bool = False,
) -> tuple[list[str], list[str]]:
    """(problems, warnings) of one label file."""
    problems: list[str] = []
    warnings: list[str] = []
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{file.name}: not valid YAML: {exc}"], []
    if not isinstance(data, dict):
        return [f"{file.name}: not a mapping"], []
    for key in HEADER:
        if key not in data:
            problems.append(f"{file.name}: missing top-level key {key!r}")
    for key in sorted(set(data) - set(HEADER)):
        problems.append(f"{file.name}: unexpected top-level key {key!r}")
    pid = data.get("plan")
    if pid not in plans:
        return [*problems, f"{file.name}: unknown plan {pid!r}"], warnings
    if file.stem != pid:
        problems.append(f"{file.name}: file name should be {pid}.yaml")
    truth = {iri: (kind, text) for iri, kind, text in plans[pid]}
    order = {iri: i for i, (iri, _, _) in enumerate(plans[pid])}
    elements = data.get("elements") or []
    if not isinstance(elements, list):
        return [*problems, f"{file.name}: elements is not a list"], warnings
    seen: list[str] = []
    for n, el in enumerate(elements, 1):
        where = f"{file.name} element {n}"
        if not isinstance(el, dict):
            problems.append(f"{where}: not a mapping")
            continue
        problems += check_keys(where, el)
        iri = str(el.get("iri"))
        where = f"{file.name} element {n} ({iri.rsplit('/', 1)[-1]})"
        if iri not in truth:
            problems.append(f"{where}: IRI is not an action-level element of {pid}: {iri}")
        else:
            kind, text = truth[iri]
            if el.get("kind") != kind:
                problems.append(f"{where}: kind {el.get('kind')!r} != plan file's {kind!r}")
            if el.get("text") != text:
                problems.append(f"{where}: text differs from the plan file")
            if iri in seen:
                problems.append(f"{where}: IRI listed twice")
            seen.append(iri)
        if iri not in split:
            problems.append(f"{where}: IRI not in split.yaml")
        else:
            split_plan, split_value = split[iri]
            if split_plan != pid:
                problems.append(f"{where}: split.yaml gives plan {split_plan!r}")
            if el.get("split") != split_value:
                problems.append(
                    f"{where}: split {el.get('split')!r} != split.yaml's {split_value!r}"
                )
        problems += check_element_labels(where, el, schemes)
    known = [i for i in seen if i in order]
    if known != sorted(known, key=order.__getitem__):
        problems.append(f"{file.name}: elements are not in document order")
    missing = [iri for iri in order if iri not in set(seen)]
    if missing:
        msg = f"{file.name}: {len(missing)} action-level element(s) of {pid} not labelled"
        (warnings if allow_partial else problems).append(msg)
    return problems, warnings


def label_files(paths: Iterable[Path] | None = None) -> list[Path]:
    """The label files to check: the given ones, or every tags/*.yaml but split.yaml."""
    if paths:
        return [Path(p) for p in paths]
    return sorted(p for p in TAGS.glob("*.yaml") if p.name != SPLIT_FILE.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="label files (default: all)")
    parser.add_argument("--allow-partial", action="store_true", help="missing elements warn")
    args = parser.parse_args(argv)
    plans = plan_elements(ROOT)
    split_data = yaml.safe_load(SPLIT_FILE.read_text(encoding="utf-8"))
    split = {str(e["iri"]): (str(e["plan"]), str(e["split"])) for e in split_data["elements"]}
    schemes = {s: load_scheme(ROOT / "ontology" / "vocab" / f) for s, f in SCHEMES.items()}
    files = label_files(args.files)
    if not files:
        print("no label files found", file=sys.stderr)
        return 1
    n_problems = 0
    for file in files:
        problems, warnings = check_file(file, plans, split, schemes, args.allow_partial)
        for w in warnings:
            print(f"warning: {w}")
        for p in problems:
            print(f"error: {p}")
        n_problems += len(problems)
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        els = [e for e in data.get("elements") or [] if isinstance(e, dict)]
        counts = {
            s: sum(len(e.get(s) or []) for e in els) for s in ("themes", "populations", "gcm")
        }
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(
            f"{file.name}: {len(els)} elements; clear labels: themes {counts['themes']}, "
            f"populations {counts['populations']}, gcm {counts['gcm']}; {status}"
        )
    return 1 if n_problems else 0


if __name__ == "__main__":
    sys.exit(main())
