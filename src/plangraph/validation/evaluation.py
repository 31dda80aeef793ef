"""Evaluate the tagger against the gold standard, per split, language and scheme.

What counts (tests/data/eval/GUIDELINES.md §2, §6):

- **strict precision**: asserted tags that are a clear gold concept or broader than one, over
  all asserted tags;
- **lenient precision**: the same with the defensible concepts counted as right too;
- **recall**: clear gold concepts found (asserted, or a narrower concept asserted), over clear
  gold concepts.

Only the tagger's own output counts: curated ``tags:`` of plan files are left out. Rules,
weights and thresholds are chosen on the ``dev`` split; ``test`` is reported, never tuned on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from plangraph.errors import InputError, Problem
from plangraph.pipeline.build import load_inputs
from plangraph.pipeline.derive.corpus import tag_corpus
from plangraph.pipeline.derive.labels import LabelIndex
from plangraph.pipeline.derive.names import NameIndex
from plangraph.pipeline.derive.scoring import Model, load_model
from plangraph.pipeline.derive.tagger import DEFAULT_WEIGHTS, Tag, Tagger, Weights
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus, load_corpus
from plangraph.project import Project
from plangraph.validation.gold import GoldElement, extra_corpora, load_gold

SCHEMES = ("theme", "population", "gcm")


@dataclass
class Score:
    """Counts of one scheme (or one concept) on a set of elements."""

    predicted: int = 0
    strict: int = 0  # predicted and clearly right
    lenient: int = 0  # predicted and right or defensible
    gold: int = 0  # clear gold concepts
    found: int = 0  # clear gold concepts found

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.predicted += other.predicted
        self.strict += other.strict
        self.lenient += other.lenient
        self.gold += other.gold
        self.found += other.found

    @property
    def precision(self) -> float | None:
        """Strict precision (None when nothing was predicted)."""
        return self.strict / self.predicted if self.predicted else None

    @property
    def lenient_precision(self) -> float | None:
        """Lenient precision (None when nothing was predicted)."""
        return self.lenient / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """Recall of clear gold concepts (None when there were none)."""
        return self.found / self.gold if self.gold else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts and figures."""
        return {
            "predicted": self.predicted,
            "strict": self.strict,
            "lenient": self.lenient,
            "gold": self.gold,
            "found": self.found,
            "precision": self.precision,
            "lenient_precision": self.lenient_precision,
            "recall": self.recall,
        }


@dataclass
class Group:
    """The scores of one split and language: per scheme, and per concept for the confusions."""

    elements: int = 0
    schemes: dict[str, Score] = field(default_factory=lambda: {s: Score() for s in SCHEMES})
    false_positives: dict[str, Counter[str]] = field(
        default_factory=lambda: {s: Counter() for s in SCHEMES}
    )
    misses: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in SCHEMES})
    confused_with: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {s: Counter() for s in SCHEMES}
    )
    """(wrongly predicted, a clear gold concept of the same element) pairs, per scheme."""


@dataclass(frozen=True)
class Outcome:
    """What the tagger got right and wrong on one element (for error analysis)."""

    iri: str
    split: str
    wrong: dict[str, list[str]]
    missed: dict[str, list[str]]
    text: str = ""


@dataclass
class Evaluation:
    """Scores by (split, language), and each element's outcome."""

    weights: Weights
    model: Model | None = None
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def group(self, split: str, language: str | None = None) -> Group:
        """One split's scores, for one language or all together."""
        keys = [k for k in self.groups if k[0] == split and (language is None or k[1] == language)]
        out = Group()
        for key in keys:
            g = self.groups[key]
            out.elements += g.elements
            for scheme in SCHEMES:
                out.schemes[scheme].add(g.schemes[scheme])
                out.false_positives[scheme].update(g.false_positives[scheme])
                out.misses[scheme].update(g.misses[scheme])
                out.confused_with[scheme].update(g.confused_with[scheme])
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: per split, per language and all languages, per scheme."""
        thresholds = (
            {s: m.threshold for s, m in self.model.schemes.items()}
            if self.model is not None
            else {s: self.weights.threshold for s in SCHEMES}
        )
        out: dict[str, Any] = {"thresholds": thresholds, "splits": {}}
        languages = sorted({lang for _, lang in self.groups})
        for split in sorted({s for s, _ in self.groups}):
            entry: dict[str, Any] = {}
            for language in [None, *languages]:
                g = self.group(split, language)
                entry[language or "all"] = {
                    "elements": g.elements,
                    **{s: g.schemes[s].to_dict() for s in SCHEMES},
                }
            out["splits"][split] = entry
        return out


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def score_element(
    gold: GoldElement,
    predicted: Mapping[str, frozenset[URIRef]],
    broader: Mapping[URIRef, frozenset[URIRef]],
    group: Group,
) -> Outcome:
    """Add one element's outcome to a group, and return it."""
    group.elements += 1
    wrong: dict[str, list[str]] = {}
    missed: dict[str, list[str]] = {}
    for scheme in SCHEMES:
        pred = predicted.get(scheme, frozenset())
        clear = gold.clear[scheme]
        ok_strict = set(clear).union(*(broader.get(c, frozenset()) for c in clear))
        defensible = set(gold.defensible[scheme])
        ok_lenient = (
            ok_strict | defensible | set().union(*(broader.get(c, frozenset()) for c in defensible))
        )
        s = group.schemes[scheme]
        s.predicted += len(pred)
        for c in pred:
            if c in ok_strict:
                s.strict += 1
            else:
                wrong.setdefault(scheme, []).append(_short(c))
                group.false_positives[scheme][_short(c)] += 1
                for g in clear:
                    group.confused_with[scheme][(_short(c), _short(g))] += 1
            if c in ok_lenient:
                s.lenient += 1
        s.gold += len(clear)
        for g in clear:
            if g in pred or any(g in broader.get(p, frozenset()) for p in pred):
                s.found += 1
            else:
                missed.setdefault(scheme, []).append(_short(g))
                group.misses[scheme][_short(g)] += 1
    return Outcome(gold.iri, gold.split, wrong, missed)


@dataclass(frozen=True)
class Prediction:
    """The tagger's output for one element: its language, asserted concepts per scheme, and
    every tag with its evidence."""

    language: str
    asserted: dict[str, frozenset[URIRef]]
    tags: tuple[Tag, ...]
    text: str


def predictions(
    corpora: Sequence[Corpus],
    vocab: Graph,
    weights: Weights = DEFAULT_WEIGHTS,
    model: Model | None = None,
) -> dict[str, Prediction]:
    """The tags of every action-level element (curated tags left out), by element IRI."""
    labels = LabelIndex(vocab)
    out: dict[str, Prediction] = {}
    for corpus in corpora:
        tagger = Tagger(labels, NameIndex(corpus.institutions), weights, model)
        result = tag_corpus(corpus, vocab, weights, curated=False, tagger=tagger)
        for plan in corpus.plans:
            language = plan.record.plan.language.split("-")[0]
            iris = element_iris(plan)
            for path, el, _parent in plan.walk():
                iri = iris[path]
                tags = tuple(result.tags.get(iri, ()))
                by_scheme: dict[str, set[URIRef]] = {s: set() for s in SCHEMES}
                for tag in tags:
                    if tag.asserted and tag.scheme in by_scheme:
                        by_scheme[tag.scheme].add(tag.concept)
                out[str(iri)] = Prediction(
                    language, {s: frozenset(v) for s, v in by_scheme.items()}, tags, el.text
                )
    return out


def evaluate(
    gold: Sequence[GoldElement],
    corpora: Sequence[Corpus],
    vocab: Graph,
    weights: Weights = DEFAULT_WEIGHTS,
    splits: Sequence[str] = ("dev", "test"),
    model: Model | bool | None = True,
) -> Evaluation:
    """Score the tagger's asserted tags against the gold elements of the given splits. A gold
    element that no corpus has, or a gold concept the vocabularies do not know, is an error."""
    labels = LabelIndex(vocab)
    known = set(labels.scheme_of)
    problems = []
    for el in gold:
        for scheme in SCHEMES:
            for c in el.clear[scheme] | el.defensible[scheme]:
                if c not in known:
                    problems.append(Problem(el.file, el.line, scheme, f"unknown concept {c}"))
    chosen = load_model() if model is True else (model or None)
    pred = predictions(corpora, vocab, weights, chosen)
    for el in gold:
        if el.iri not in pred:
            problems.append(Problem(el.file, el.line, "iri", f"no such element: {el.iri}"))
    if problems:
        raise InputError(problems)
    evaluation = Evaluation(weights, chosen)
    for el in gold:
        if el.split not in splits:
            continue
        p = pred[el.iri]
        group = evaluation.groups.setdefault((el.split, p.language), Group())
        outcome = score_element(el, p.asserted, labels.broader, group)
        evidence = {_short(t.concept): f"{t.method}: {t.matched}" for t in p.tags}
        wrong = {
            scheme: [f"{c} ({evidence.get(c, '?')})" for c in items]
            for scheme, items in outcome.wrong.items()
        }
        evaluation.outcomes.append(Outcome(el.iri, el.split, wrong, outcome.missed, p.text))
    return evaluation


def gold_folder(root: Path) -> Path:
    """The default gold folder of a project."""
    return root / "tests" / "data" / "eval" / "tags"


def gold_and_corpora(
    project: Project, gold_dir: Path | None = None, progress: Callable[[str], None] | None = None
) -> tuple[list[GoldElement], list[Corpus], Graph]:
    """The gold elements, the corpora they label (the project's and those ``corpora.yaml``
    names) and the vocabularies."""
    say = progress or (lambda _m: None)
    folder = gold_dir or gold_folder(project.root)
    gold = load_gold(folder)
    say(f"{len(gold)} labelled elements in {folder}")
    corpora = [load_corpus(project)]
    for graph in extra_corpora(folder, project.root):
        corpora.append(load_corpus(Project(project.root, graph)))
    say("tagging " + ", ".join(f"{len(c.plans)} plan(s)" for c in corpora))
    return gold, corpora, load_inputs(project).vocabularies


def run_evaluation(
    project: Project,
    gold_dir: Path | None = None,
    splits: Sequence[str] = ("dev", "test"),
    progress: Callable[[str], None] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    model: Model | bool | None = True,
) -> Evaluation:
    """Load the gold files, the project's corpus and the corpora they name, and evaluate."""
    gold, corpora, vocab = gold_and_corpora(project, gold_dir, progress)
    return evaluate(gold, corpora, vocab, weights, splits, model)
