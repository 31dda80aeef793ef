"""Near-duplicate plan elements by text similarity on normalised Spanish.

Method (see docs/queries.md, "Near-duplicate elements"):

1. **Normalise**: fold accents (NFKD, combining marks dropped), lowercase, split on anything that
   is not a letter or digit, drop the Spanish stopwords of :data:`STOPWORDS` and one-character
   tokens. No stemming: "capacitar" and "capacitación" stay different words.
2. **Weigh**: scikit-learn's ``TfidfVectorizer`` over those tokens (smoothed idf, rows
   L2-normalised), fitted on the elements compared.
3. **Compare**: cosine similarity is the dot product of two rows. It is computed block by block
   (``X[block] @ X.T``, a sparse product) and only the ``top_k`` best neighbours per element at or
   above ``threshold`` are kept, so no dense all-pairs matrix is ever built.
4. **Explain**: each pair lists the terms both texts share, the strongest first (by their
   contribution ``w_a * w_b`` to the score).

>>> normalise("Niñas, NIÑOS y adolescentes en situación de retorno")
'ninas, ninos y adolescentes en situacion de retorno'
>>> tokens("Contar con redes de expertos para apoyar las labores consulares de protección.")
['contar', 'redes', 'expertos', 'apoyar', 'labores', 'consulares', 'proteccion']
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
[['e1', 'e2', 'consulares, contar, expertos, redes']]
>>> round(float(pairs.score[0]), 3)
1.0
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

DEFAULT_THRESHOLD = 0.7
"""Pairs scoring at least this are reported (justified in docs/queries.md from the seeds)."""
DEFAULT_TOP_K = 10
"""Neighbours kept per element before pairs are merged."""
_BLOCK_CELLS = 4_000_000
"""Upper bound on the cells of one block ``X[block] @ X.T`` (rows × elements)."""

# Function words of Spanish, accent-folded, lowercase: articles, prepositions, conjunctions,
# pronouns, forms of ser/estar/haber, and a few connectors that carry no topic. Content words
# that recur in plans ("acciones", "proteccion") are deliberately kept: idf weighs them down.
_STOPWORD_TEXT = """
    a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquellos
    aqui asi aun cada como con contra cual cuales cuando cuya cuyas cuyo cuyos de del desde
    donde dos durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta
    estan estar estas este esto estos fue fueron ha han hasta hay la las le les lo los mas me
    mediante mi mis mismo misma mismos mismas muy ni no nos nuestra nuestras nuestro nuestros o
    os otra otras otro otros para pero poco por porque que quien quienes se sea sean segun ser
    si sin sino sobre solo son su sus tal tambien tan tanto te tiene tienen toda todas todo
    todos tras tu tus u un una unas uno unos usted ya y etc ello cual mientras cuanto incluido
    incluidos incluida incluidas
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Accent-folded, lowercase text with runs of whitespace collapsed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(folded.lower().split())


def tokens(text: str) -> list[str]:
    """The content words of a text: normalised, stopwords and one-letter tokens dropped."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) > 1 and w not in STOPWORDS]


def _analyzer(text: str) -> list[str]:
    return tokens(text)


def _pairs_from_matrix(matrix: Any, threshold: float, top_k: int) -> dict[tuple[int, int], float]:
    """Best neighbours per row of a row-normalised sparse matrix, as {(i, j): score}, i < j."""
    import numpy as np

    n = matrix.shape[0]
    transposed = matrix.T.tocsc()
    block = max(1, _BLOCK_CELLS // max(n, 1))
    found: dict[tuple[int, int], float] = {}
    for start in range(0, n, block):
        sims = (matrix[start : start + block] @ transposed).tocsr()
        for offset in range(sims.shape[0]):
            i = start + offset
            lo, hi = sims.indptr[offset], sims.indptr[offset + 1]
            cols = sims.indices[lo:hi]
            vals = sims.data[lo:hi]
            keep = (cols != i) & (vals >= threshold - 1e-9)
            cols, vals = cols[keep], vals[keep]
            if len(cols) > top_k:
                best = np.argpartition(-vals, top_k - 1)[:top_k]
                cols, vals = cols[best], vals[best]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                found[key] = max(found.get(key, 0.0), round(min(float(v), 1.0), 6))
    return found


def _shared_terms(matrix: Any, names: Any, i: int, j: int, limit: int = 12) -> str:
    row_i, row_j = matrix.getrow(i), matrix.getrow(j)
    weights_i = dict(zip(row_i.indices.tolist(), row_i.data.tolist(), strict=True))
    contrib = [
        (weights_i[t] * w, str(names[t]))
        for t, w in zip(row_j.indices.tolist(), row_j.data.tolist(), strict=True)
        if t in weights_i
    ]
    contrib.sort(key=lambda c: (-c[0], c[1]))
    return ", ".join(term for _, term in contrib[:limit])


def vectorise(texts: Iterable[str]) -> tuple[Any, Any]:
    """The TF-IDF matrix (rows L2-normalised) of the texts and its vocabulary, by column."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_analyzer)
    matrix = vectorizer.fit_transform(list(texts)).tocsr()
    return matrix, vectorizer.get_feature_names_out()


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
]


def near_duplicates(
    elements: Any,
    threshold: float = DEFAULT_THRESHOLD,
    top_k: int = DEFAULT_TOP_K,
    scope: str = "all",
) -> Any:
    """Pairs of elements whose texts are near-duplicates, best first.

    ``elements`` is a DataFrame with columns ``element, plan, kind, text`` (e.g. the query
    ``reports/element-texts``). ``scope`` is ``all``, ``within`` (same plan) or ``across``
    (different plans). Returns a DataFrame with the columns of :data:`PAIR_COLUMNS`.
    """
    import pandas as pd

    if scope not in ("all", "within", "across"):
        raise ValueError(f"scope must be all, within or across, not {scope!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    frame = elements.dropna(subset=["text"]).reset_index(drop=True)
    if len(frame) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    texts = frame["text"].astype(str).tolist()
    if not any(tokens(t) for t in texts):
        return pd.DataFrame(columns=PAIR_COLUMNS)
    matrix, names = vectorise(texts)
    found = _pairs_from_matrix(matrix, threshold, top_k)
    rows = []
    plans = frame["plan"].tolist()
    for (i, j), score in found.items():
        same = plans[i] == plans[j]
        if (scope == "within" and not same) or (scope == "across" and same):
            continue
        a, b = frame.iloc[i], frame.iloc[j]
        if str(a["element"]) > str(b["element"]):
            a, b = b, a
        rows.append(
            [
                score,
                a["element"],
                a["plan"],
                a["kind"],
                a["text"],
                b["element"],
                b["plan"],
                b["kind"],
                b["text"],
                same,
                _shared_terms(matrix, names, i, j),
            ]
        )
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    if out.empty:
        return out
    return out.sort_values(
        ["score", "element_a", "element_b"], ascending=[False, True, True], ignore_index=True
    )


def best_match_scores(elements: Any) -> Any:
    """For every element with text, the score of its most similar other element (0 if none).

    Used to study the score distribution when choosing a threshold (docs/queries.md).
    """
    import numpy as np
    import pandas as pd

    frame = elements.dropna(subset=["text"]).reset_index(drop=True)
    if len(frame) < 2:
        return pd.Series([], dtype=float)
    matrix, _ = vectorise(frame["text"].astype(str).tolist())
    best = np.zeros(matrix.shape[0])
    for (i, j), score in _pairs_from_matrix(matrix, 1e-9, 1).items():
        best[i] = max(best[i], score)
        best[j] = max(best[j], score)
    return pd.Series(best, index=frame["element"], name="best_score")
