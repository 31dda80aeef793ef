"""Near-duplicate plan elements: two commitments, usually of different plans, that do
substantially the same work for the same people, found from their words and their concepts.

Method (docs/queries.md, "Near-duplicate elements", says why each choice was made):

1. **Words** (the text signal). Each element's text is tokenised and lemmatised in its plan's
   language (:mod:`plangraph.text.words`: Spanish and English lemmas, acronyms as printed), and
   each content word is reduced to its derivational stem, so "capacitar" and "capacitación", or
   "sensibilizar" and "sensibilización", are one term. Function words are dropped, and so are the
   words of :data:`PLAN_WORDS`: the vocabulary every action plan uses to say that something
   will be done ("fortalecer", "promover", "implementar", "diseño", "acciones"…), which says
   nothing about *what*. Terms are weighed by TF-IDF over the elements compared, with the idf
   raised to :data:`TERM_IDF_POWER` so that a rare, specific word counts far more than a word
   every plan of the corpus uses ("migrante", "niñez"). Rows are L2-normalised; the text score of
   a pair is the cosine of its rows. Terms carry their language, so texts in two languages share
   no term.
2. **Concepts** (the concept signal). The themes and populations the tagger gives each element
   (``reports/element-taggings``; weights in :mod:`plangraph.analysis.signals`): asserted
   ones (found in the element's own words) weigh their tagging score;
   concepts found only in the words of the element's ancestors (method ``inherited``, score at
   least :data:`INHERITED_MIN_SCORE`, i.e. the parent and the grandparent) weigh
   :data:`INHERITED_WEIGHT`: they say what an elliptical step ("Diseñar campañas de
   sensibilización") is about. Each concept's broader concepts are added at
   :data:`BROADER_WEIGHT` of its weight, so "returned youth" meets "returned children" half-way.
   Concepts are weighed by their idf over the elements compared, raised to
   :data:`CONCEPT_IDF_POWER`: a concept many elements carry (training, coordination, migrant
   children) weighs little, a specific one (stigma and discrimination) much. The concept score is
   the cosine of those vectors. Concepts do not depend on the language, so they link a Spanish
   and an English plan.
3. **One score**: ``TEXT_WEIGHT × text + (1 − TEXT_WEIGHT) × concepts`` when both signals exist for
   the pair. The concept score is first shrunk by how much the pair shares
   (:data:`CONCEPT_EVIDENCE`: one shared concept is thin evidence, however rare). When the two
   texts are in different languages there is no text score, and the pair scores its concept
   score scaled so that concepts alone must agree as much as they must for a same-language pair
   to be kept on concepts alone (:data:`CONCEPT_ONLY_THRESHOLD`). When either element has no
   concept (results, which are not tagged) the pair scores its text score. A verbatim repeat
   (the same content words, plan vocabulary included) scores 1 whatever its ancestors say. The
   weights were set on the DEV pairs of ``tests/data/eval/pairs/`` and
   :data:`DEFAULT_THRESHOLD` was chosen there (:mod:`plangraph.validation.pairs`); the test
   pairs were only measured.
4. **Pairs**: the score matrix is computed in blocks of rows (``_BLOCK_CELLS`` cells at most), and
   each element keeps its ``top_k`` best partners at or above the threshold.
5. **Explain**: every pair lists the terms both texts share (strongest first, by their share of
   the text score) and the concepts both carry (strongest first, by their share of the concept
   score, as the last segment of the concept's IRI).

>>> import pandas as pd
>>> els = pd.DataFrame({
...     "element": ["e1", "e2", "e3"],
...     "plan": ["p1", "p1", "p2"],
...     "kind": ["result", "result", "action"],
...     "text": ["Contar con redes de expertos consulares.",
...              "Contar con las redes de expertos consulares",
...              "Publicar datos abiertos de retorno."]})
>>> pairs = near_duplicates(els)
>>> pairs[["element_a", "element_b", "shared_terms"]].values.tolist()
[['e1', 'e2', 'consular, experto, red']]
>>> round(float(pairs.score[0]), 3)
1.0
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from plangraph.analysis.signals import (
    concept_sets,
    plan_stop_stems,
    short_concept,
    term_keys,
)

DEFAULT_THRESHOLD = 0.30
"""Pairs scoring at least this are reported: the threshold with the best recall at a precision
of at least 0.7 on the DEV pairs (docs/queries.md; :func:`plangraph.validation.pairs`)."""
DEFAULT_TOP_K = 10
"""Neighbours kept per element before pairs are merged."""
TEXT_WEIGHT = 0.5
"""Share of the text score in the combined score (the rest is the concept score)."""
TERM_IDF_POWER = 2.0
"""Exponent of the terms' idf: 2 makes a rare word count much more than a common one."""
CONCEPT_IDF_POWER = 2.0
"""Exponent of the concepts' idf."""
CONCEPT_EVIDENCE = 1.0
"""Shrinks the concept score of pairs that share little: it is multiplied by ``m / (m + 1)``,
``m`` the shared concept weight (1 for one shared asserted concept), so one shared concept
keeps half of its cosine, three keep three quarters."""
CONCEPT_ONLY_THRESHOLD = 0.48
"""Where the concept score *alone* reaches the precision the combined score has at
:data:`DEFAULT_THRESHOLD` (the same rule on the same DEV pairs). A pair in two languages has
no text score, so it scores ``concept × DEFAULT_THRESHOLD / CONCEPT_ONLY_THRESHOLD``: its
concepts must agree as much as a same-language pair's concepts must to be kept on concepts
alone."""
_BLOCK_CELLS = 4_000_000
"""Upper bound on the cells of one block of the score matrix (rows × elements)."""

# -- vectors ----------------------------------------------------------------------------------


@dataclass
class Vectors:
    """Row-normalised term and concept matrices of the elements compared."""

    terms: Any  # scipy.sparse csr, elements × terms
    term_names: list[str]
    concepts: Any  # scipy.sparse csr, elements × concepts
    concept_names: list[str]
    has_terms: Any  # numpy bool per element
    has_concepts: Any
    language: list[str]
    evidence: Any = None  # scipy.sparse csr, elements × concepts: the raw concept weights
    wording: Any = None  # numpy int per element: equal codes = the same content words (-1: none)


def _idf_matrix(
    rows: list[dict[str, float]], power: float, normalise: bool = True
) -> tuple[Any, list[str]]:
    """Rows of weights → L2-normalised weight × idf**power matrix and its column names (with
    ``normalise=False``: the weights as they are)."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # comes with sklearn

    names = sorted({k for row in rows for k in row})
    index = {k: i for i, k in enumerate(names)}
    n = len(rows)
    df = Counter(k for row in rows for k in row)
    idf = {k: (math.log((1 + n) / (1 + df[k])) + 1.0) ** power for k in names}
    data, cols, ptr = [], [], [0]
    for row in rows:
        if normalise:
            vals = {index[k]: w * idf[k] for k, w in row.items() if w > 0}
            norm = math.sqrt(sum(v * v for v in vals.values()))
        else:
            vals = {index[k]: w for k, w in row.items() if w > 0}
            norm = 1.0
        for col in sorted(vals):
            cols.append(col)
            data.append(vals[col] / norm)
        ptr.append(len(cols))
    matrix = csr_matrix(
        (np.asarray(data, dtype=float), np.asarray(cols, dtype=np.int64), np.asarray(ptr)),
        shape=(n, max(len(names), 1)),
    )
    return matrix, names


def vectorise(
    texts: Sequence[str],
    languages: Sequence[str],
    concepts: Sequence[dict[str, float]] | None = None,
) -> tuple[Vectors, dict[str, str]]:
    """The term and concept matrices of the elements, and the word shown for each term."""
    import numpy as np

    term_rows: list[dict[str, float]] = []
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    wordings: dict[tuple[str, ...], int] = {}
    wording = []
    for text, language in zip(texts, languages, strict=True):
        keys = term_keys(text, language)
        # every content word, plan vocabulary included: equal for a verbatim repeat only
        content = tuple(sorted(key for _, key in keys))
        wording.append(wordings.setdefault((language, *content), len(wordings)) if content else -1)
        counts: Counter[str] = Counter()
        stop = plan_stop_stems(language)
        for stem, key in keys:
            if stem in stop:
                continue
            term = f"{language}:{stem}"
            counts[term] += 1
            shown[term][key] += 1
        # sublinear term frequency: a word said twice is not twice the topic
        term_rows.append({t: 1.0 + math.log(c) for t, c in counts.items()})
    terms, term_names = _idf_matrix(term_rows, TERM_IDF_POWER)
    concept_rows = list(concepts) if concepts is not None else [{} for _ in texts]
    concept_matrix, concept_names = _idf_matrix(concept_rows, CONCEPT_IDF_POWER)
    evidence, _ = _idf_matrix(concept_rows, 0.0, normalise=False)
    words = {t: c.most_common(1)[0][0] for t, c in shown.items()}
    vectors = Vectors(
        terms,
        term_names,
        concept_matrix,
        concept_names,
        np.asarray([bool(r) for r in term_rows]),
        np.asarray([bool(r) for r in concept_rows]),
        list(languages),
        evidence,
        np.asarray(wording),
    )
    return vectors, words


def _combine(text: Any, concept: Any, same_language: Any, both_concepts: Any, repeat: Any) -> Any:
    """The combined score from dense blocks of text and concept scores (see the module doc;
    :func:`_pair_score` is the same for one pair)."""
    import numpy as np

    combined = TEXT_WEIGHT * text + (1.0 - TEXT_WEIGHT) * concept
    out = np.where(both_concepts, combined, text)
    out = np.where(repeat, 1.0, out)  # the same content words: a repeat, whatever else
    across = concept * (DEFAULT_THRESHOLD / CONCEPT_ONLY_THRESHOLD)
    return np.where(same_language, out, np.where(both_concepts, across, 0.0))


def _evidence_factor(shared: Any) -> Any:
    """How much of the concept cosine a pair keeps, from the concepts it shares (the sum of
    the products of their weights): ``m / (m + CONCEPT_EVIDENCE)``."""
    if CONCEPT_EVIDENCE <= 0:
        return 1.0
    return shared / (shared + CONCEPT_EVIDENCE)


def _block_scores(vectors: Vectors, start: int, stop: int, lang_codes: Any) -> Any:
    import numpy as np

    text = (vectors.terms[start:stop] @ vectors.terms.T).toarray()
    concept = (vectors.concepts[start:stop] @ vectors.concepts.T).toarray()
    shared = (vectors.evidence[start:stop] @ vectors.evidence.T).toarray()
    concept = concept * _evidence_factor(shared)
    same = lang_codes[start:stop, None] == lang_codes[None, :]
    both = vectors.has_concepts[start:stop, None] & vectors.has_concepts[None, :]
    codes = vectors.wording
    repeat = (codes[start:stop, None] == codes[None, :]) & (codes[start:stop, None] >= 0)
    return np.clip(_combine(text, concept, same, both, repeat), 0.0, 1.0)


def _language_codes(languages: Sequence[str]) -> Any:
    import numpy as np

    codes = {lang: i for i, lang in enumerate(sorted(set(languages)))}
    return np.asarray([codes[lang] for lang in languages])


def _pairs(
    vectors: Vectors, threshold: float, top_k: int, keep: Any = None
) -> dict[tuple[int, int], float]:
    """Best partners per element at or above the threshold, as {(i, j): score}, i < j.
    ``keep(i, cols)`` may mask the candidate columns of row ``i``."""
    import numpy as np

    n = vectors.terms.shape[0]
    codes = _language_codes(vectors.language)
    block = max(1, _BLOCK_CELLS // max(n, 1))
    found: dict[tuple[int, int], float] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = _block_scores(vectors, start, stop, codes)
        for offset in range(stop - start):
            i = start + offset
            row = scores[offset]
            mask = row >= threshold - 1e-9
            mask[i] = False
            if keep is not None:
                mask &= keep(i)
            cols = np.flatnonzero(mask)
            vals = row[cols]
            if len(cols) > top_k:
                best = np.argpartition(-vals, top_k - 1)[:top_k]
                cols, vals = cols[best], vals[best]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                found[key] = max(found.get(key, 0.0), round(float(v), 6))
    return found


def _products(matrix: Any, i: int, j: int) -> list[tuple[float, int]]:
    """(product of the values, column) where rows ``i`` and ``j`` of a CSR matrix both have a
    value (read from the CSR arrays: no row matrix is built; rows are short)."""
    lo_i, hi_i = matrix.indptr[i], matrix.indptr[i + 1]
    lo_j, hi_j = matrix.indptr[j], matrix.indptr[j + 1]
    cols_i, vals_i = matrix.indices[lo_i:hi_i].tolist(), matrix.data[lo_i:hi_i].tolist()
    cols_j, vals_j = matrix.indices[lo_j:hi_j].tolist(), matrix.data[lo_j:hi_j].tolist()
    row_i = dict(zip(cols_i, vals_i, strict=True))
    return [(row_i[c] * v, c) for c, v in zip(cols_j, vals_j, strict=True) if c in row_i]


def _shared(matrix: Any, names: Sequence[str], i: int, j: int, limit: int) -> list[str]:
    contrib = sorted((-p, names[c]) for p, c in _products(matrix, i, j))
    return [name for _, name in contrib[:limit]]


def _dot(matrix: Any, i: int, j: int) -> float:
    return float(sum(p for p, _ in _products(matrix, i, j)))


def _pair_score(vectors: Vectors, i: int, j: int) -> tuple[float, float, float]:
    """(score, text score, concept score) of one pair."""
    text = _dot(vectors.terms, i, j)
    concept = _dot(vectors.concepts, i, j)
    shared = _dot(vectors.evidence, i, j)
    concept *= float(_evidence_factor(shared))
    same = vectors.language[i] == vectors.language[j]
    both = bool(vectors.has_concepts[i] and vectors.has_concepts[j])
    repeat = bool(vectors.wording[i] == vectors.wording[j] and vectors.wording[i] >= 0)
    if repeat:
        score = 1.0
    elif not same:
        score = concept * (DEFAULT_THRESHOLD / CONCEPT_ONLY_THRESHOLD) if both else 0.0
    else:
        score = TEXT_WEIGHT * text + (1.0 - TEXT_WEIGHT) * concept if both else text
    return min(max(score, 0.0), 1.0), text, concept


PAIR_COLUMNS = [
    "score",
    "element_a",
    "plan_a",
    "kind_a",
    "text_a",
    "element_b",
    "plan_b",
    "kind_b",
    "text_b",
    "same_plan",
    "shared_terms",
    "shared_concepts",
    "text_score",
    "concept_score",
]
"""Columns of :func:`near_duplicates`: the pair, its combined score, and why (the words both
texts share, the concepts both elements carry, the score of each signal)."""


@dataclass
class Prepared:
    """The elements compared and their vectors (see :func:`prepare`)."""

    frame: Any
    vectors: Vectors
    words: dict[str, str]

    def index(self) -> dict[str, int]:
        """Row of each element IRI."""
        return {str(e): i for i, e in enumerate(self.frame["element"].tolist())}


def prepare(elements: Any, taggings: Any = None) -> Prepared:
    """Vectors of the elements (a DataFrame with ``element, plan, kind, text`` and optionally
    ``language``; missing languages are Spanish) and of their concepts (rows of
    ``reports/element-taggings``; ``None``: no concept signal)."""
    frame = elements.dropna(subset=["text"]).reset_index(drop=True)
    if "language" in frame.columns:
        languages = [
            str(v).split("-")[0].lower() if isinstance(v, str) and v else "es"
            for v in frame["language"].tolist()
        ]
    else:
        languages = ["es"] * len(frame)
    concepts = None
    if taggings is not None:
        sets = concept_sets(taggings)
        concepts = [sets.weights.get(str(e), {}) for e in frame["element"].tolist()]
    vectors, words = vectorise(frame["text"].astype(str).tolist(), languages, concepts)
    return Prepared(frame, vectors, words)


def _explain(prepared: Prepared, i: int, j: int) -> tuple[str, str]:
    v = prepared.vectors
    terms = _shared(v.terms, v.term_names, i, j, 12)
    concepts = _shared(v.concepts, v.concept_names, i, j, 8)
    shown = ", ".join(prepared.words.get(t, t.split(":", 1)[-1]) for t in terms)
    return shown, ", ".join(short_concept(c) for c in concepts)


def _row(prepared: Prepared, columns: dict[str, list[Any]], i: int, j: int) -> list[Any]:
    element = columns["element"]
    if str(element[i]) > str(element[j]):
        i, j = j, i
    score, text, concept = _pair_score(prepared.vectors, i, j)
    terms, concepts = _explain(prepared, i, j)
    plan, kind, words = columns["plan"], columns["kind"], columns["text"]
    return [
        round(score, 6),
        element[i],
        plan[i],
        kind[i],
        words[i],
        element[j],
        plan[j],
        kind[j],
        words[j],
        plan[i] == plan[j],
        terms,
        concepts,
        round(text, 6),
        round(concept, 6),
    ]


def _lineage(iris: Sequence[str]) -> dict[int, list[int]]:
    """For each element, the rows of its ancestors and descendants among ``iris``: plangraph's
    element IRIs follow the hierarchy (``…/result-1/action-1.2`` stands under ``…/result-1``).
    An element restating its own parent is not a near-duplicate of it.

    >>> _lineage(["p/r-1", "p/r-1/a-1", "p/r-2", "p/r-1/a-1/s-1"])
    {1: [0, 3], 0: [1, 3], 3: [1, 0]}
    """
    row = {iri: i for i, iri in enumerate(iris)}
    out: dict[int, list[int]] = {}
    for i, iri in enumerate(iris):
        parts = iri.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            j = row.get("/".join(parts[:cut]))
            if j is not None and j != i:
                out.setdefault(i, []).append(j)
                out.setdefault(j, []).append(i)
    return out


def near_duplicates(
    elements: Any,
    threshold: float = DEFAULT_THRESHOLD,
    top_k: int = DEFAULT_TOP_K,
    scope: str = "all",
    taggings: Any = None,
) -> Any:
    """Pairs of elements that are near-duplicates, best first.

    ``elements`` is a DataFrame with columns ``element, plan, kind, text`` and optionally
    ``language`` (e.g. the query ``reports/element-texts`` joined with
    ``reports/plan-languages``); ``taggings`` the rows of ``reports/element-taggings`` (without
    them the score is the text score alone). ``scope`` is ``all``, ``within`` (same plan) or
    ``across`` (different plans). Returns a DataFrame with the columns of
    :data:`PAIR_COLUMNS`.
    """
    import pandas as pd

    if scope not in ("all", "within", "across"):
        raise ValueError(f"scope must be all, within or across, not {scope!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    frame = elements.dropna(subset=["text"])
    if len(frame) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    prepared = prepare(frame, taggings)
    if not prepared.vectors.has_terms.any() and not prepared.vectors.has_concepts.any():
        return pd.DataFrame(columns=PAIR_COLUMNS)
    import numpy as np

    plans = np.asarray([str(p) for p in prepared.frame["plan"].tolist()])
    lineage = _lineage([str(e) for e in prepared.frame["element"].tolist()])

    def keep(i: int) -> Any:
        mask = np.ones(len(plans), dtype=bool)
        if scope != "all":
            same = plans == plans[i]
            mask = same if scope == "within" else ~same
        mask[lineage.get(i, [])] = False
        return mask

    found = _pairs(prepared.vectors, threshold, top_k, keep)
    columns = {c: prepared.frame[c].tolist() for c in ("element", "plan", "kind", "text")}
    rows = [_row(prepared, columns, i, j) for i, j in found]
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    if out.empty:
        return out
    return out.sort_values(
        ["score", "element_a", "element_b"], ascending=[False, True, True], ignore_index=True
    )


def score_pairs(prepared: Prepared, pairs: Iterable[tuple[str, str]]) -> Any:
    """The score, text score and concept score of given pairs of element IRIs (a DataFrame
    with ``element_a, element_b, score, text_score, concept_score, shared_terms,
    shared_concepts``; pairs with an element not compared score 0)."""
    import pandas as pd

    index = prepared.index()
    rows = []
    for a, b in pairs:
        i, j = index.get(a), index.get(b)
        if i is None or j is None:
            rows.append([a, b, 0.0, 0.0, 0.0, "", ""])
            continue
        score, text, concept = _pair_score(prepared.vectors, i, j)
        terms, concepts = _explain(prepared, i, j)
        rows.append([a, b, score, text, concept, terms, concepts])
    columns = [
        "element_a",
        "element_b",
        "score",
        "text_score",
        "concept_score",
        "shared_terms",
        "shared_concepts",
    ]
    return pd.DataFrame(rows, columns=columns)


def best_match_scores(elements: Any, taggings: Any = None) -> Any:
    """For every element with text, the score of its most similar other element (0 if none).

    Used to study the score distribution when choosing a threshold (docs/queries.md).
    """
    import numpy as np
    import pandas as pd

    frame = elements.dropna(subset=["text"]).reset_index(drop=True)
    if len(frame) < 2:
        return pd.Series([], dtype=float)
    prepared = prepare(frame, taggings)
    best = np.zeros(len(frame))
    for (i, j), score in _pairs(prepared.vectors, 1e-9, 1).items():
        best[i] = max(best[i], score)
        best[j] = max(best[j], score)
    return pd.Series(best, index=frame["element"], name="best_score")
