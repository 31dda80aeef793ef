"""Validate tests/data/eval/tags/us-fds.yaml, the gold labels of the two English FDS plans.

``us-fds.yaml`` holds both plans of the fixture corpus tests/data/corpora/us-fds-2021/ in one file and
carries its own split (seed 20261203), so ``check_tag_labels.py`` (one plan per file, split.yaml) cannot
check it. This script does the same checks for this file:

* header: ``split`` (``seed``, ``rule``, ``counts``), ``plans``, ``labelled_by``, ``date``,
  ``guidelines``, ``elements``;
* split: recomputed from the seed (per plan, IRIs in document order, ``random.Random(seed).shuffle``
  with a fresh generator per plan, first ``ceil(n/2)`` test, the rest dev) and compared with every
  element's ``split`` and with ``counts``;
* every element: ``iri`` is an action-level element of one of the plans (``element_iris``), listed
  once, plans in the order of ``plans``, elements in document order; ``kind`` and ``text`` equal the
  plan file's (verbatim);
* concepts, broader/narrower rules, GCM range, disjoint clear/defensible and non-empty note: the
  functions of ``check_tag_labels.py``;
* completeness: every action-level element of both plans is labelled.

Usage, from the repository root with plangraph installed::

    python tests/data/eval/tags/check_us_fds.py [FILE]

Exit status 1 if any problem is found.
"""

from __future__ import annotations

import math
import random
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
EVAL = HERE.parent
CORPUS_GRAPH = ROOT / "tests" / "data" / "corpora" / "us-fds-2021" / "graph"
DEFAULT_FILE = HERE / "us-fds.yaml"
HEADER = ("split", "plans", "labelled_by", "date", "guidelines", "elements")

sys.path.insert(0, str(EVAL))
from check_tag_labels import (  # noqa: E402
    KINDS,
    SCHEMES,
    check_element_labels,
    check_keys,
    load_scheme,
)


def plan_elements() -> dict[str, list[tuple[str, str, str]]]:
    """Plan id -> action-level elements (iri, kind, text) of the FDS fixture, in document order."""
    from plangraph.pipeline.compiler import element_iris
    from plangraph.pipeline.loader import load_corpus
    from plangraph.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "ontology").symlink_to(ROOT / "ontology")
        (root / "graph").symlink_to(CORPUS_GRAPH)
        corpus = load_corpus(Project(root))
        out: dict[str, list[tuple[str, str, str]]] = {}
        for plan in corpus.plans:
            iris = element_iris(plan)
            out[plan.id] = [
                (str(iris[path]), el.kind.value, el.text)
                for path, el, _parent in plan.walk()
                if el.kind.value in KINDS
            ]
    return out


def draw_split(iris: list[str], seed: int) -> dict[str, str]:
    """IRI -> 'test' / 'dev': shuffle with a fresh Random(seed), first half (rounded up) test."""
    shuffled = list(iris)
    random.Random(seed).shuffle(shuffled)
    n_test = math.ceil(len(shuffled) / 2)
    return {iri: ("test" if i < n_test else "dev") for i, iri in enumerate(shuffled)}


def check(file: Path) -> list[str]:
    problems: list[str] = []
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return [f"{file.name}: not a mapping"]
    for key in HEADER:
        if key not in data:
            problems.append(f"{file.name}: missing top-level key {key!r}")
    for key in sorted(set(data) - set(HEADER)):
        problems.append(f"{file.name}: unexpected top-level key {key!r}")
    plans = plan_elements()
    plan_ids = data.get("plans") or []
    for pid in plan_ids:
        if pid not in plans:
            problems.append(f"{file.name}: unknown plan {pid!r}")
    if sorted(plan_ids) != sorted(plans):
        problems.append(f"{file.name}: plans {plan_ids} != corpus plans {sorted(plans)}")
    split_hdr = data.get("split") or {}
    seed = split_hdr.get("seed")
    if not isinstance(seed, int) or not split_hdr.get("rule"):
        problems.append(f"{file.name}: split needs an integer seed and a rule")
        return problems
    truth: dict[str, tuple[str, str, str]] = {}
    expected_order: list[str] = []
    expected_split: dict[str, str] = {}
    for pid in plan_ids:
        if pid not in plans:
            continue
        els = plans[pid]
        sp = draw_split([iri for iri, _, _ in els], seed)
        expected_split.update(sp)
        n_test = sum(1 for v in sp.values() if v == "test")
        want = {"total": len(els), "test": n_test, "dev": len(els) - n_test}
        if (split_hdr.get("counts") or {}).get(pid) != want:
            problems.append(f"{file.name}: split counts for {pid} should be {want}")
        for iri, kind, text in els:
            truth[iri] = (pid, kind, text)
            expected_order.append(iri)
    schemes = {s: load_scheme(ROOT / "ontology" / "vocab" / f) for s, f in SCHEMES.items()}
    seen: list[str] = []
    for n, el in enumerate(data.get("elements") or [], 1):
        where = f"{file.name} element {n}"
        if not isinstance(el, dict):
            problems.append(f"{where}: not a mapping")
            continue
        problems += check_keys(where, el)
        iri = str(el.get("iri"))
        where = f"{file.name} element {n} ({'/'.join(iri.rsplit('/', 2)[-2:])})"
        if iri not in truth:
            problems.append(f"{where}: IRI is not an action-level element of the plans: {iri}")
        else:
            _pid, kind, text = truth[iri]
            if el.get("kind") != kind:
                problems.append(f"{where}: kind {el.get('kind')!r} != plan file's {kind!r}")
            if el.get("text") != text:
                problems.append(f"{where}: text differs from the plan file")
            if iri in seen:
                problems.append(f"{where}: IRI listed twice")
            seen.append(iri)
            if el.get("split") != expected_split[iri]:
                problems.append(
                    f"{where}: split {el.get('split')!r} != drawn {expected_split[iri]!r}"
                )
        problems += check_element_labels(where, el, schemes)
    index = {iri: i for i, iri in enumerate(expected_order)}
    known = [i for i in seen if i in index]
    if known != sorted(known, key=index.__getitem__):
        problems.append(f"{file.name}: elements are not in document order (plans in 'plans' order)")
    missing = [iri for iri in expected_order if iri not in set(seen)]
    if missing:
        problems.append(f"{file.name}: {len(missing)} action-level element(s) not labelled")
    return problems


def summary(file: Path) -> str:
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    els = [e for e in data.get("elements") or [] if isinstance(e, dict)]
    lines = []
    for subset, name in ((els, "all"), ([e for e in els if e.get("split") == "test"], "test")):
        clear = {s: sum(len(e.get(s) or []) for e in subset) for s in ("themes", "populations", "gcm")}
        dfs = {
            s: sum(len((e.get("defensible") or {}).get(s) or []) for e in subset)
            for s in ("themes", "populations", "gcm")
        }
        lines.append(
            f"  {name}: {len(subset)} elements; clear themes {clear['themes']}, populations "
            f"{clear['populations']}, gcm {clear['gcm']}; defensible themes {dfs['themes']}, "
            f"populations {dfs['populations']}, gcm {dfs['gcm']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    file = Path(args[0]) if args else DEFAULT_FILE
    problems = check(file)
    for p in problems:
        print(f"error: {p}")
    print(f"{file.name}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    print(summary(file))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
