"""How sure the tagger is of a tag: the features of its evidence, and the model that weighs them.

Every candidate tag comes with the facts of its evidence (:class:`Evidence`): how it was found
(a label, a named body, a resolved reference, a framework mapping), how well the label matched,
what kind of label, where in the element, how long the element is, whether the ancestors name the
concept too, how common the concept is across the corpus, how specific it is in its scheme. A
logistic model per scheme (:class:`Model`, coefficients in ``tagger-model.json`` beside this
module) turns them into a probability; a tag is asserted at or above the scheme's threshold. The
model is trained on the development split of the gold standard only (``plangraph eval --train``,
:mod:`plangraph.validation.training`); without a model file the tagger falls back to fixed scores
(:class:`plangraph.pipeline.derive.tagger.Weights`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from plangraph.errors import PlangraphError

MODEL_FILE = "tagger-model.json"


@dataclass(frozen=True)
class Evidence:
    """The facts of one candidate tag's evidence, from which its features are computed."""

    method: str  # keyword, named-body, resolved, mapped-close, mapped-related
    quality: str = "exact"  # exact, stem, gapped (label matches)
    label_kind: str = "pref"  # pref, alt, hidden
    label_words: int = 1
    acronym: bool = False
    in_cell: bool = False
    position: int = 0  # token index of the first match in the element's text
    element_words: int = 1  # content words of the element's text
    occurrences: int = 1  # matches of the concept in the element's own words
    in_ancestors: bool = False
    depth: int = 0  # broader concepts above it
    has_narrower: bool = False
    kind: str = "action"
    language: str = "es"
    source_score: float = 1.0  # for a mapping: the score of the tag it comes from
    concept: str = ""  # the concept's id (its IRI's last segment)
    label: str = ""  # the label matched, folded
    in_purpose: bool = False  # inside a purpose clause ("para …", "a fin de …", "in order to …")
    after_topic: bool = False  # right after a topic marker ("en materia de", "sobre", "on")
    candidates_in_scheme: int = 1  # candidates of the same scheme in the element


def features(e: Evidence) -> dict[str, float]:
    """The numeric features of a candidate (names are stable: the model file uses them).

    >>> f = features(Evidence("keyword", position=0, element_words=4))
    >>> f["method=keyword"], f["first_words"], round(f["log_element_words"], 2)
    (1.0, 1.0, 1.61)
    """
    out: dict[str, float] = {
        f"method={e.method}": 1.0,
        f"quality={e.quality}": 1.0,
        f"label={e.label_kind}": 1.0,
        f"kind={e.kind}": 1.0,
        f"language={e.language}": 1.0,
        "label_words=1": 1.0 if e.label_words <= 1 else 0.0,
        "label_words>=3": 1.0 if e.label_words >= 3 else 0.0,
        "acronym": float(e.acronym),
        "in_cell": float(e.in_cell),
        "first_words": 1.0 if e.position <= 2 else 0.0,
        "log_element_words": math.log1p(e.element_words),
        "log_occurrences": math.log(max(1, e.occurrences)),
        "in_ancestors": float(e.in_ancestors),
        "depth": float(e.depth),
        "has_narrower": float(e.has_narrower),
        "source_score": e.source_score,
        "relative_position": min(1.0, e.position / max(1, e.element_words)),
        "in_purpose": float(e.in_purpose),
        "after_topic": float(e.after_topic),
        "log_candidates_in_scheme": math.log(max(1, e.candidates_in_scheme)),
    }
    if e.concept:
        out[f"concept={e.concept}"] = 1.0
    if e.label:
        out[f"label_text={e.label}"] = 1.0
    return out


@dataclass(frozen=True)
class SchemeModel:
    """A logistic model of one scheme and its threshold."""

    intercept: float
    coefficients: dict[str, float]
    threshold: float

    def probability(self, feats: dict[str, float]) -> float:
        """P(clearly right | features)."""
        z = self.intercept + sum(self.coefficients.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Model:
    """The tagger's model: one logistic model per scheme, and where it came from."""

    schemes: dict[str, SchemeModel]
    about: dict[str, Any]

    def score(self, scheme: str, evidence: Evidence) -> float | None:
        """The probability of a candidate, or None when the scheme has no model."""
        model = self.schemes.get(scheme)
        return None if model is None else model.probability(features(evidence))

    def threshold(self, scheme: str) -> float | None:
        """The scheme's threshold, or None when the scheme has no model."""
        model = self.schemes.get(scheme)
        return None if model is None else model.threshold

    def to_json(self) -> str:
        """The model file's text (sorted, so retraining on the same data gives the same bytes)."""
        data = {
            "about": self.about,
            "schemes": {
                s: {
                    "intercept": round(m.intercept, 6),
                    "threshold": round(m.threshold, 4),
                    "coefficients": {k: round(v, 6) for k, v in sorted(m.coefficients.items())},
                }
                for s, m in sorted(self.schemes.items())
            },
        }
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> Model:
        """Read a model file; a broken file is an error naming it."""
        try:
            data = json.loads(text)
            schemes = {
                s: SchemeModel(
                    float(m["intercept"]),
                    {str(k): float(v) for k, v in m["coefficients"].items()},
                    float(m["threshold"]),
                )
                for s, m in data["schemes"].items()
            }
            return cls(schemes, dict(data.get("about", {})))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PlangraphError(f"{where}: not a tagger model file: {exc}") from None


def default_model_path() -> Path:
    """Where the shipped model file is."""
    return Path(str(resources.files("plangraph.pipeline.derive"))) / MODEL_FILE


def load_model(path: Path | None = None) -> Model | None:
    """The tagger's model (the shipped one by default), or None when there is none."""
    file = path or default_model_path()
    if not file.is_file():
        return None
    return Model.from_json(file.read_text(encoding="utf-8"), str(file))
