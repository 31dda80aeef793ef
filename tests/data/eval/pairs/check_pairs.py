"""Check the overlap gold set: pool.yaml, labels.yaml (and out_of_pool.yaml) against the plans.

Checks
  * pool.yaml: every pair is two action-level elements (action, milestone, activity, immediate_step)
    of different plans; IRIs exist; plan_a/plan_b/text_a/text_b match the plans; no duplicate
    (unordered) pair; split is dev|test; proposed_by names only known sources; stats agree;
  * pool.yaml is what pool.py builds today (same pairs, same split) unless --no-rebuild;
  * labels.yaml: every pool pair labelled exactly once and nothing else; label in
    overlap|related|unrelated; every overlap and every label whose note starts "close call" has a
    non-empty note;
  * out_of_pool.yaml (optional): valid pairs, valid labels, none of them in the pool.
Prints counts; exits 1 on any problem.

Usage (repository root, project virtualenv):  python tests/data/eval/pairs/check_pairs.py
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import load_corpus

from plangraph.project import Project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
KINDS = {"action", "milestone", "activity", "immediate_step"}
LABELS = {"overlap", "related", "unrelated"}
SOURCES = {"word_tfidf", "char_tfidf", "stem_jaccard", "random"}


def elements(root: Path) -> dict[str, dict]:
    out = {}
    for plan in load_corpus(Project(root)).plans:
        iris = element_iris(plan)
        for path, el, _ in plan.walk():
            out[str(iris[path])] = {
                "plan": plan.id,
                "kind": el.kind.value,
                "text": " ".join(el.text.split()),
            }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--no-rebuild", action="store_true", help="skip re-running pool.py's build")
    args = ap.parse_args()
    problems: list[str] = []
    els = elements(args.root)

    def check_pair(where: str, a: str, b: str) -> None:
        for iri in (a, b):
            if iri not in els:
                problems.append(f"{where}: unknown IRI {iri}")
            elif els[iri]["kind"] not in KINDS:
                problems.append(f"{where}: {iri} is a {els[iri]['kind']}, not action-level")
        if a in els and b in els and els[a]["plan"] == els[b]["plan"]:
            problems.append(f"{where}: both elements in plan {els[a]['plan']}")

    pool_doc = yaml.safe_load((HERE / "pool.yaml").read_text())
    pool = pool_doc["pairs"]
    keys = set()
    for i, p in enumerate(pool):
        where = f"pool.yaml pair {i}"
        check_pair(where, p["iri_a"], p["iri_b"])
        key = frozenset((p["iri_a"], p["iri_b"]))
        if key in keys:
            problems.append(f"{where}: duplicate pair")
        keys.add(key)
        for side in ("a", "b"):
            e = els.get(p[f"iri_{side}"])
            if e and (e["plan"] != p[f"plan_{side}"] or e["text"] != p[f"text_{side}"]):
                problems.append(f"{where}: plan_{side}/text_{side} differ from the plan file")
        if p["split"] not in ("dev", "test"):
            problems.append(f"{where}: bad split {p['split']!r}")
        if not p["proposed_by"] or set(p["proposed_by"]) - SOURCES:
            problems.append(f"{where}: bad proposed_by {sorted(p['proposed_by'])}")
    stats = pool_doc.get("stats", {})
    if stats.get("pairs") != len(pool):
        problems.append(f"pool.yaml: stats.pairs {stats.get('pairs')} != {len(pool)} pairs")

    if not args.no_rebuild:
        sys.path.insert(0, str(HERE))
        import pool as poolmod

        rebuilt, _ = poolmod.build(args.root, stats.get("top_k", 2))
        want = [(p["iri_a"], p["iri_b"], p["split"]) for p in rebuilt]
        have = [(p["iri_a"], p["iri_b"], p["split"]) for p in pool]
        if want != have:
            problems.append(
                "pool.yaml differs from what pool.py builds now (pairs, order or split)"
            )

    labels = yaml.safe_load((HERE / "labels.yaml").read_text())["labels"]
    seen = collections.Counter()
    by_key = {}
    for i, lab in enumerate(labels):
        where = f"labels.yaml entry {i}"
        key = frozenset((lab["iri_a"], lab["iri_b"]))
        seen[key] += 1
        by_key[key] = lab
        if key not in keys:
            problems.append(f"{where}: pair not in pool.yaml")
        check_pair(where, lab["iri_a"], lab["iri_b"])
        if lab.get("label") not in LABELS:
            problems.append(f"{where}: bad label {lab.get('label')!r}")
        note = (lab.get("note") or "").strip()
        if lab.get("label") == "overlap" and not note:
            problems.append(f"{where}: overlap without a note")
    for key, n in seen.items():
        if n > 1:
            problems.append(f"labels.yaml: pair labelled {n} times: {sorted(key)}")
    for key in keys - set(seen):
        problems.append(f"labels.yaml: pool pair not labelled: {sorted(key)}")

    oop_path = HERE / "out_of_pool.yaml"
    if oop_path.exists():
        for i, lab in enumerate(yaml.safe_load(oop_path.read_text())["out_of_pool"]):
            where = f"out_of_pool.yaml entry {i}"
            check_pair(where, lab["iri_a"], lab["iri_b"])
            if lab.get("label") not in LABELS:
                problems.append(f"{where}: bad label {lab.get('label')!r}")
            if frozenset((lab["iri_a"], lab["iri_b"])) in keys:
                problems.append(f"{where}: pair is in the pool")

    # counts
    split = {frozenset((p["iri_a"], p["iri_b"])): p for p in pool}

    def count(pred):
        return dict(
            collections.Counter(
                by_key[k]["label"] for k, p in split.items() if k in by_key and pred(p)
            )
        )

    print(f"pool pairs: {len(pool)}; labelled: {len(seen)}")
    print("all:   ", count(lambda p: True))
    for s in ("dev", "test"):
        print(f"{s}:".ljust(7), count(lambda p, s=s: p["split"] == s))
    for src in sorted(SOURCES):
        print(f"{src}:".ljust(14), count(lambda p, src=src: src in p["proposed_by"]))
    print("random-only:  ", count(lambda p: set(p["proposed_by"]) == {"random"}))
    close = sum(1 for lab in labels if (lab.get("note") or "").startswith("close call"))
    print(f"close calls: {close}")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for msg in problems[:50]:
            print("  " + msg)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
