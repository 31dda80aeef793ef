"""Freeze the dev/test split of the tag-evaluation gold set (tests/data/eval/tags/split.yaml).

The population is every action-level element (kinds action, milestone, activity, immediate_step)
of every plan in graph/plans/: all of them are labelled, so the sample is the population and the
only randomness is the split.

Rule (deterministic):

* plans in load order (``load_corpus``: sorted file names), elements in document order
  (``Plan.walk()``, depth-first), IRIs from ``plangraph.compiler.element_iris``;
* elements whose IRI appears in the old gold sample ``tests/data/eval/labels.yaml`` were used to
  tune the earlier tagger: they are never in the test split (always ``dev``);
* per plan, a fresh ``random.Random(SEED)`` draws ``test`` from the remaining (eligible) elements,
  taken in document order: ``n_test = min(round(FRACTION * n_plan_total), n_eligible)``, with
  Python's ``round`` (half to even; no plan size in use hits .5), via ``rng.sample``;
* everything else is ``dev``.

Usage (from the repository root, with an environment where ``plangraph`` is installed)::

    python tests/data/eval/draw_tag_split.py           # writes tests/data/eval/tags/split.yaml
    python tests/data/eval/draw_tag_split.py --check   # exit 1 if the file differs from a re-draw

Importing this module has no side effects (pytest imports it for doctests).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

SEED = 20261201
FRACTION = 0.4
KINDS = ("action", "milestone", "activity", "immediate_step")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OLD_GOLD = HERE / "labels.yaml"
SPLIT_FILE = HERE / "tags" / "split.yaml"

RULE = (
    "Population: every action-level element (kinds action, milestone, activity, immediate_step) "
    "of every plan, plans in load order (sorted file names), elements in document order "
    "(Plan.walk(), depth-first), IRIs from plangraph.compiler.element_iris. Elements whose IRI is "
    "in the old gold sample tests/data/eval/labels.yaml are never test (always dev). Per plan, a "
    "fresh random.Random(seed) draws test = rng.sample(eligible, n_test) from the eligible "
    "elements in document order, n_test = min(round(fraction * n_plan_total), n_eligible) "
    "(Python round); all other elements are dev. Selection logic: assign_splits() in "
    "tests/data/eval/draw_tag_split.py."
)


def assign_splits(
    elements_by_plan: dict[str, list[str]], excluded: set[str], seed: int, fraction: float
) -> dict[str, str]:
    """Assign every element IRI to ``"test"`` or ``"dev"``, stratified by plan.

    ``elements_by_plan`` maps a plan id to its element IRIs in document order (plans in load
    order; the order of the dict only affects the order of the result). For each plan a fresh
    ``random.Random(seed)`` samples ``min(round(fraction * len(iris)), n_eligible)`` test elements
    from the eligible IRIs (those not in ``excluded``), kept in document order before sampling.
    Excluded IRIs and unsampled IRIs are ``"dev"``. Pure and deterministic: the same inputs give
    the same result.

    >>> plans = {"p": ["a", "b", "c", "d", "e"], "q": ["x", "y"]}
    >>> s = assign_splits(plans, excluded={"a", "x", "y"}, seed=1, fraction=0.4)
    >>> sorted(i for i, v in s.items() if v == "test")
    ['c', 'd']
    >>> s["a"], s["x"], s["y"]
    ('dev', 'dev', 'dev')
    >>> s == assign_splits(plans, {"a", "x", "y"}, 1, 0.4)
    True
    """
    out: dict[str, str] = {}
    for iris in elements_by_plan.values():
        if len(set(iris)) != len(iris):
            raise ValueError("duplicate IRIs within a plan")
        rng = random.Random(seed)
        eligible = [iri for iri in iris if iri not in excluded]
        n_test = min(round(fraction * len(iris)), len(eligible))
        test = set(rng.sample(eligible, n_test))
        for iri in iris:
            out[iri] = "test" if iri in test else "dev"
    return out


def collect(root: Path = ROOT) -> tuple[dict[str, list[tuple[str, str]]], set[str]]:
    """Action-level elements per plan as ``(iri, kind)`` in document order; old-gold IRIs."""
    try:  # package layout after the 2026-12 restructuring (plangraph.pipeline.*)
        from plangraph.pipeline.compiler import element_iris
        from plangraph.pipeline.loader import load_corpus
    except ImportError:  # earlier layout, e.g. the stable tree
        from plangraph.compiler import element_iris  # type: ignore[no-redef]
        from plangraph.loader import load_corpus  # type: ignore[no-redef]
    from plangraph.project import Project

    corpus = load_corpus(Project.discover(root))
    by_plan: dict[str, list[tuple[str, str]]] = {}
    for plan in corpus.plans:
        iris = element_iris(plan)
        by_plan[plan.id] = [
            (str(iris[path]), el.kind.value)
            for path, el, _parent in plan.walk()
            if el.kind.value in KINDS
        ]
    old = yaml.safe_load(OLD_GOLD.read_text(encoding="utf-8"))
    excluded = {str(e["iri"]) for e in old["elements"]}
    return by_plan, excluded


def build(root: Path = ROOT) -> dict[str, Any]:
    """The content of split.yaml: parameters, rule, counts and the element list."""
    by_plan, excluded = collect(root)
    known = {iri for els in by_plan.values() for iri, _ in els}
    missing = sorted(excluded - known)
    if missing:
        raise SystemExit(f"old-gold IRIs no longer in the plans: {missing}")
    splits = assign_splits(
        {pid: [iri for iri, _ in els] for pid, els in by_plan.items()}, excluded, SEED, FRACTION
    )
    counts: dict[str, dict[str, int]] = {}
    elements: list[dict[str, Any]] = []
    for pid, els in by_plan.items():
        c = {"total": len(els), "old_gold": 0, "test": 0, "dev": 0}
        for iri, kind in els:
            c[splits[iri]] += 1
            c["old_gold"] += iri in excluded
            elements.append(
                {
                    "iri": iri,
                    "plan": pid,
                    "kind": kind,
                    "split": splits[iri],
                    "old_gold": iri in excluded,
                }
            )
        counts[pid] = c
    counts["all"] = {
        k: sum(c[k] for c in counts.values()) for k in ("total", "old_gold", "test", "dev")
    }
    return {
        "seed": SEED,
        "fraction": FRACTION,
        "kinds": list(KINDS),
        "rule": RULE,
        "script": "tests/data/eval/draw_tag_split.py",
        "counts": counts,
        "elements": elements,
    }


def dump(data: dict[str, Any]) -> str:
    """YAML text of split.yaml, with a header comment."""
    header = (
        "# Frozen dev/test split of the tag-evaluation gold set. Generated by\n"
        "# tests/data/eval/draw_tag_split.py; do not edit by hand (re-run it, or --check).\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the existing file")
    args = parser.parse_args(argv)
    text = dump(build())
    if args.check:
        if not SPLIT_FILE.is_file() or SPLIT_FILE.read_text(encoding="utf-8") != text:
            print(f"{SPLIT_FILE} differs from a re-draw", file=sys.stderr)
            return 1
        print(f"{SPLIT_FILE} matches a re-draw")
        return 0
    SPLIT_FILE.parent.mkdir(parents=True, exist_ok=True)
    SPLIT_FILE.write_text(text, encoding="utf-8")
    data = yaml.safe_load(text)
    for pid, c in data["counts"].items():
        print(
            f"{pid:45} total {c['total']:3}  old_gold {c['old_gold']:3}  "
            f"test {c['test']:3}  dev {c['dev']:3}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
