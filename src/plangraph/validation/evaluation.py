"""Evaluate the tagger against a hand-labelled sample (``tests/data/eval/labels.yaml``).

Gold labels name the most specific concept that applies; a predicted concept counts as correct
when it is a gold concept or one of their broader concepts (``skos:broader``), and a gold concept
counts as found when it or a narrower concept is predicted. Precision and recall are given per
concept and in total (micro-averaged) for themes, populations and GCM objectives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plangraph.errors import InputError, PlangraphError, Problem
from plangraph.pipeline.derive.tagger import DEFAULT_THRESHOLD, LabelIndex, tag_corpus
from plangraph.pipeline.loader import Corpus
from plangraph.rdf.namespaces import concept_iri

SCHEMES = ("theme", "population", "gcm")


@dataclass
class Score:
    """Counts for one concept or one scheme."""

    tp: int = 0  # predicted and correct (a gold concept or broader than one)
    fp: int = 0  # predicted, not correct
    found: int = 0  # gold concepts found (predicted, or a narrower concept predicted)
    fn: int = 0  # gold concepts missed

    @property
    def precision(self) -> float | None:
        """Correct predictions / predictions; None when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Gold concepts found / gold concepts; None when nothing was expected."""
        return self.found / (self.found + self.fn) if self.found + self.fn else None


@dataclass
class Report:
    """Per-scheme totals and per-concept scores."""

    elements: int
    threshold: float
    totals: dict[str, Score] = field(default_factory=dict)
    concepts: dict[str, dict[str, Score]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""

        def sc(s: Score) -> dict[str, Any]:
            return {
                "tp": s.tp,
                "fp": s.fp,
                "found": s.found,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
            }

        return {
            "elements": self.elements,
            "threshold": self.threshold,
            "totals": {k: sc(v) for k, v in self.totals.items()},
            "concepts": {k: {c: sc(s) for c, s in v.items()} for k, v in self.concepts.items()},
        }


def _gold_iri(scheme: str, ident: Any) -> URIRef:
    if scheme == "gcm":
        return concept_iri("gcm", f"objective-{int(ident)}")
    return concept_iri(scheme, str(ident))


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The labelled elements of a gold file."""
    if not path.is_file():
        raise PlangraphError(f"{path} not found (the hand-labelled evaluation sample)")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    elements = data.get("elements") if isinstance(data, dict) else None
    if not isinstance(elements, list) or not elements:
        raise InputError(
            [Problem(path, None, "elements", "a list of labelled elements is expected")]
        )
    return elements


def _ancestors(vocab: Graph, concept: URIRef) -> set[URIRef]:
    out: set[URIRef] = set()
    todo = [concept]
    while todo:
        c = todo.pop()
        for b in vocab.objects(c, SKOS.broader):
            if isinstance(b, URIRef) and b not in out:
                out.add(b)
                todo.append(b)
    return out


def evaluate(
    corpus: Corpus, vocab: Graph, gold_file: Path, threshold: float = DEFAULT_THRESHOLD
) -> Report:
    """Run the tagger and compare its tags at ``threshold`` with the gold labels."""
    gold = load_gold(gold_file)
    result = tag_corpus(corpus, vocab, LabelIndex(vocab))
    report = Report(len(gold), threshold, {s: Score() for s in SCHEMES}, {s: {} for s in SCHEMES})
    problems: list[Problem] = []
    for i, item in enumerate(gold):
        iri = URIRef(str(item.get("iri", "")))
        if iri not in result.tags and not any(str(k) == str(iri) for k in result.tags):
            problems.append(
                Problem(
                    gold_file,
                    None,
                    f"elements[{i}].iri",
                    f"{iri} is not an action-level element of the plans",
                )
            )
            continue
        predicted_all = [t for t in result.tags.get(iri, []) if t.score >= threshold]
        for scheme in SCHEMES:
            key = {"theme": "themes", "population": "populations", "gcm": "gcm"}[scheme]
            gold_set = {_gold_iri(scheme, g) for g in item.get(key) or []}
            pred = {t.concept for t in predicted_all if t.scheme == scheme}
            _count(vocab, scheme, gold_set, pred, report)
    if problems:
        raise InputError(problems)
    return report


def _count(vocab: Graph, scheme: str, gold: set[URIRef], pred: set[URIRef], report: Report) -> None:
    gold_closure = set(gold)
    for g in gold:
        gold_closure |= _ancestors(vocab, g)
    pred_closure = set(pred)
    for p in pred:
        pred_closure |= _ancestors(vocab, p)
    per = report.concepts[scheme]
    total = report.totals[scheme]
    for p in pred:
        s = per.setdefault(_short(p), Score())
        if p in gold_closure:
            s.tp += 1
            total.tp += 1
        else:
            s.fp += 1
            total.fp += 1
    for g in gold:
        s = per.setdefault(_short(g), Score())
        if g in pred_closure:
            s.found += 1
            total.found += 1
        else:
            s.fn += 1
            total.fn += 1


def _short(iri: Iterable[str] | URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]
