"""Train the tagger's model on the development split of the gold standard (never the test split).

For each scheme, every candidate the tagger finds in a dev element's own words becomes a row: its
evidence's features (:func:`plangraph.pipeline.derive.scoring.features`) and whether the concept
is clearly right for the element (a clear gold label, or broader than one). A logistic
regression (scikit-learn) is fitted per scheme. The threshold is chosen on out-of-fold
predictions (folds grouped by plan, so it is chosen as for a plan the model has not seen), to
maximise F1 over all clear labels of the fold (candidates the tagger never proposed count as
missed). GCM objectives are trained after themes and populations, because some of their candidates
are mapped from the asserted ones.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef

from plangraph._version import __version__
from plangraph.pipeline.derive.corpus import tag_corpus
from plangraph.pipeline.derive.labels import LabelIndex
from plangraph.pipeline.derive.names import NameIndex
from plangraph.pipeline.derive.scoring import Model, SchemeModel, features
from plangraph.pipeline.derive.tagger import Tag, Tagger
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import Corpus
from plangraph.validation.gold import GoldElement

SCHEME_ORDER = ("theme", "population", "gcm")
C = 1.0
"""Inverse regularisation strength of the logistic regressions."""


@dataclass(frozen=True)
class Row:
    """One candidate tag of a dev element: features, whether it is right, its plan."""

    features: dict[str, float]
    right: bool
    plan: str
    element: str
    recalls: frozenset[URIRef] = frozenset()
    """The clear gold labels this candidate would recall (itself, or broader than it)."""


def _right(
    concept: URIRef, gold: GoldElement, scheme: str, broader: Mapping[URIRef, frozenset[URIRef]]
) -> bool:
    clear = gold.clear[scheme]
    return concept in clear or any(concept in broader.get(c, frozenset()) for c in clear)


def _tags(
    corpora: Sequence[Corpus], vocab: Graph, model: Model | None
) -> dict[str, tuple[str, list[Tag]]]:
    """Every action-level element's tags (curated tags left out), with the element's plan."""
    labels = LabelIndex(vocab)
    out: dict[str, tuple[str, list[Tag]]] = {}
    for corpus in corpora:
        tagger = Tagger(labels, NameIndex(corpus.institutions), model=model)
        result = tag_corpus(corpus, vocab, curated=False, tagger=tagger)
        for plan in corpus.plans:
            iris = element_iris(plan)
            for path, _el, _parent in plan.walk():
                iri = iris[path]
                if iri in result.tags:
                    out[str(iri)] = (plan.id, result.tags[iri])
    return out


def rows(
    gold: Sequence[GoldElement],
    tags: Mapping[str, tuple[str, list[Tag]]],
    scheme: str,
    broader: Mapping[URIRef, frozenset[URIRef]],
) -> list[Row]:
    """The candidates of one scheme in the gold elements, as training rows."""
    out = []
    for el in gold:
        plan, found = tags.get(el.iri, ("", []))
        for tag in found:
            if tag.scheme != scheme or tag.evidence is None or tag.method == "inherited":
                continue
            recalls = frozenset(
                g
                for g in el.clear[scheme]
                if g == tag.concept or g in broader.get(tag.concept, frozenset())
            )
            right = _right(tag.concept, el, scheme, broader)
            out.append(Row(features(tag.evidence), right, plan, el.iri, recalls))
    return out


def _fit(data: Sequence[Row]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([r.features for r in data])
    y = [int(r.right) for r in data]
    if len(set(y)) < 2:
        raise ValueError("the training rows have one class only")
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(x, y)
    return vec, clf


def choose_threshold(data: Sequence[Row], gold_total: int) -> tuple[float, dict[str, float]]:
    """The threshold maximising F1 on out-of-fold probabilities (folds grouped by plan), and
    the precision, recall and F1 it gives. ``gold_total`` counts every clear label of the
    scheme (recall's denominator)."""
    plans = sorted({r.plan for r in data})
    probs: list[tuple[float, Row]] = []
    for held in plans:
        train = [r for r in data if r.plan != held]
        test = [r for r in data if r.plan == held]
        if not test:
            continue
        try:
            vec, clf = _fit(train)
        except ValueError:
            continue
        p = clf.predict_proba(vec.transform([r.features for r in test]))[:, 1]
        probs += [(float(pi), r) for pi, r in zip(p, test, strict=True)]
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    for t in [i / 100 for i in range(5, 96)]:
        predicted = [r for p, r in probs if p >= t]
        tp = sum(1 for r in predicted if r.right)
        found = {(r.element, g) for r in predicted for g in r.recalls}
        precision = tp / len(predicted) if predicted else 0.0
        recall = len(found) / gold_total if gold_total else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[1]["f1"]:
            best = (t, {"precision": precision, "recall": recall, "f1": f1})
    return best


def train(
    gold: Sequence[GoldElement],
    corpora: Sequence[Corpus],
    vocab: Graph,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Fit the model on the dev elements of ``gold`` (test elements are refused)."""
    say = progress or (lambda _m: None)
    dev = [g for g in gold if g.split == "dev"]
    if len(dev) != len(gold):
        raise ValueError("the model is trained on the dev split only")
    broader = LabelIndex(vocab).broader
    schemes: dict[str, SchemeModel] = {}
    about: dict[str, Any] = {
        "trained_on": "dev split of tests/data/eval/tags (the test split is never used)",
        "date": _dt.date.today().isoformat(),
        "plangraph": __version__,
        "elements": len(dev),
        "regularisation_C": C,
        "cross_validation": {},
    }
    for scheme in SCHEME_ORDER:
        # candidates of this scheme with the schemes trained so far (GCM mappings need them)
        model = Model(dict(schemes), about) if schemes else None
        tags = _tags(corpora, vocab, model)
        data = rows(dev, tags, scheme, broader)
        gold_total = sum(len(g.clear[scheme]) for g in dev)
        if not data or gold_total == 0:
            continue
        threshold, figures = choose_threshold(data, gold_total)
        vec, clf = _fit(data)
        names = vec.get_feature_names_out()
        coefficients = {str(n): float(c) for n, c in zip(names, clf.coef_[0], strict=True)}
        schemes[scheme] = SchemeModel(float(clf.intercept_[0]), coefficients, threshold)
        about["cross_validation"][scheme] = {
            "rows": len(data),
            "right": sum(r.right for r in data),
            "threshold": threshold,
            **{k: round(v, 3) for k, v in figures.items()},
        }
        say(f"{scheme}: {len(data)} candidates, threshold {threshold} (grouped CV {figures})")
    return Model(schemes, about)
