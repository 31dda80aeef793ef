"""Candidate pool of cross-plan element pairs for the near-duplicate (overlap) gold set.

Deterministic: same plans in, byte-identical pool.yaml out.

What it does
------------
1. Loads the corpus (``load_corpus(Project(root))``, plans in load order) and collects every
   action-level element (kinds action, milestone, activity, immediate_step) in document order
   (``plan.walk()``); its IRI comes from ``plangraph.compiler.element_iris``.
2. Text used by the baselines = the element's own text (whitespace collapsed); if that text has fewer
   than 6 words (elliptical, e.g. "Validar la guía"), the direct parent's text is appended.
3. Folding: NFKD, combining marks dropped, lower-cased; tokens = runs of ``[a-z0-9]``.
4. Three simple, independent representations (scikit-learn 1.9, fitted on the 248 element texts):
   (a) ``word_tfidf``: TfidfVectorizer over folded word tokens, the STOP list below removed, cosine;
   (b) ``char_tfidf``: TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5)) over folded text, cosine;
   (c) ``stem_jaccard``: Jaccard of the sets of folded "stems" = first 5 letters of words of >= 4
       letters that are not in STOP.
5. For each element and each representation: its top-K partners among elements of OTHER plans
   (score descending, ties by document order; zero scores never proposed). K = 2: the brief asked
   for K = 3, reduced to K = 2 for all representations if the pool exceeded ~900 pairs; with K = 3
   the pool was 1177 pairs (1123 from the baselines + 54 random-only), with K = 2 it is 871.
6. Pool = union of these unordered pairs, plus 60 random cross-plan pairs drawn with
   ``random.Random(20261201).sample(all_cross_plan_pairs, 60)`` (all pairs listed in canonical order)
   to estimate what the baselines miss. A random pair that a baseline also proposed is kept once
   and carries both provenances.
7. Split: ``random.Random(20261202).sample(range(n), round(0.4 * n))`` over the pool in canonical order
   gives ``split: test``; the rest is ``dev``.

Canonical order: elements are numbered by (plan load order, document order); a pair is written with
the lower-numbered element as ``a``; pairs are sorted by (index_a, index_b).

``proposed_by`` is provenance only (which baseline proposed the pair, score, rank of b among a's
partners and of a among b's, 1-based, null when not in the top K). Labels were made from a copy with
provenance stripped, shuffled with ``random.Random(7)`` (``--sheet PATH`` writes that copy).

Usage (from the repository root, with the project's virtualenv):
    python tests/data/eval/pairs/pool.py                 # writes tests/data/eval/pairs/pool.yaml
    python tests/data/eval/pairs/pool.py --sheet /tmp/sheet.yaml
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import yaml
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import load_corpus
from sklearn.feature_extraction.text import TfidfVectorizer

from plangraph.project import Project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
KINDS = {"action", "milestone", "activity", "immediate_step"}
SHORT = 6  # texts with fewer words get the parent's text appended
RANDOM_PAIRS = 60
SEED_RANDOM, SEED_SPLIT, SEED_SHEET = 20261201, 20261202, 7
TEST_FRACTION = 0.4

# Short Spanish stop-word list (already folded: no accents, lower case).
STOP = set(
    [
        "a",
        "al",
        "algo",
        "algun",
        "alguna",
        "algunas",
        "alguno",
        "algunos",
        "ante",
        "antes",
        "aquel",
        "aquella",
        "aquellas",
        "aquellos",
        "asi",
        "aun",
        "bajo",
        "bien",
        "cada",
        "como",
        "con",
        "contra",
        "cual",
        "cuales",
        "cuando",
        "de",
        "del",
        "desde",
        "donde",
        "dos",
        "durante",
        "e",
        "el",
        "ella",
        "ellas",
        "ellos",
        "en",
        "entre",
        "era",
        "es",
        "esa",
        "esas",
        "ese",
        "eso",
        "esos",
        "esta",
        "estado",
        "estan",
        "estar",
        "estas",
        "este",
        "esto",
        "estos",
        "fue",
        "fueron",
        "ha",
        "han",
        "hasta",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "mas",
        "me",
        "mediante",
        "mi",
        "mismo",
        "misma",
        "mismos",
        "mismas",
        "muy",
        "ni",
        "no",
        "nos",
        "o",
        "otra",
        "otras",
        "otro",
        "otros",
        "para",
        "pero",
        "poco",
        "por",
        "porque",
        "puede",
        "pueden",
        "que",
        "quien",
        "se",
        "sea",
        "sean",
        "segun",
        "ser",
        "si",
        "sin",
        "sino",
        "sobre",
        "su",
        "sus",
        "tal",
        "tambien",
        "tanto",
        "te",
        "todo",
        "toda",
        "todos",
        "todas",
        "tras",
        "tu",
        "un",
        "una",
        "unas",
        "uno",
        "unos",
        "y",
        "ya",
        "etc",
        "cual",
        "cuales",
        "dicho",
        "dicha",
        "dichos",
        "dichas",
        "aquel",
        "cuya",
        "cuyo",
        "cuyos",
        "cuyas",
    ]
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOP]


def stems(text: str) -> set[str]:
    return {t[:5] for t in content_tokens(text) if len(t) >= 4 and t.isalpha()}


def norm(text: str) -> str:
    return " ".join(text.split())


def collect(root: Path) -> list[dict]:
    corpus = load_corpus(Project(root))
    out = []
    for plan in corpus.plans:
        iris = element_iris(plan)
        for path, el, parent in plan.walk():
            if el.kind.value not in KINDS:
                continue
            own = norm(el.text)
            ptext = norm(parent.text) if parent is not None else ""
            rep = own + " " + ptext if len(own.split()) < SHORT and ptext else own
            out.append(
                {
                    "i": len(out),
                    "iri": str(iris[path]),
                    "plan": plan.id,
                    "kind": el.kind.value,
                    "text": own,
                    "parent": ptext,
                    "rep": rep,
                }
            )
    return out


def similarity_matrices(els: list[dict]) -> dict[str, np.ndarray]:
    texts = [e["rep"] for e in els]
    word = TfidfVectorizer(analyzer=content_tokens, lowercase=False)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, lowercase=False
    )
    mats = {}
    for name, vec in (("word_tfidf", word), ("char_tfidf", char)):
        x = vec.fit_transform(texts)
        mats[name] = (x @ x.T).toarray()  # rows are l2-normalised: dot product = cosine
    st = [stems(t) for t in texts]
    n = len(els)
    jac = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            u = len(st[i] | st[j])
            jac[i, j] = jac[j, i] = len(st[i] & st[j]) / u if u else 0.0
    mats["stem_jaccard"] = jac
    return mats


def top_partners(els, sim, k):
    """{i: [j1, j2, ...]} top-k partners of i in other plans, score desc then index asc, score > 0."""
    out = {}
    for e in els:
        i = e["i"]
        cands = [f["i"] for f in els if f["plan"] != e["plan"] and sim[i, f["i"]] > 0]
        cands.sort(key=lambda j: (-sim[i, j], j))
        out[i] = cands[:k]
    return out


def build(root: Path, k: int) -> tuple[list[dict], dict]:
    els = collect(root)
    mats = similarity_matrices(els)
    prov: dict[tuple[int, int], dict] = {}
    for name, sim in mats.items():
        tops = top_partners(els, sim, k)
        for i, js in tops.items():
            for rank, j in enumerate(js, 1):
                a, b = min(i, j), max(i, j)
                d = prov.setdefault((a, b), {}).setdefault(
                    name, {"score": round(float(sim[a, b]), 4), "rank_a": None, "rank_b": None}
                )
                d["rank_a" if i == a else "rank_b"] = rank
    baseline_keys = set(prov)
    all_cross = [
        (a["i"], b["i"]) for a in els for b in els if a["i"] < b["i"] and a["plan"] != b["plan"]
    ]
    drawn = random.Random(SEED_RANDOM).sample(all_cross, RANDOM_PAIRS)
    for n, key in enumerate(drawn, 1):
        prov.setdefault(key, {})["random"] = {"draw": n}
    keys = sorted(prov)
    test = set(random.Random(SEED_SPLIT).sample(range(len(keys)), round(TEST_FRACTION * len(keys))))
    pairs = []
    for n, (a, b) in enumerate(keys):
        ea, eb = els[a], els[b]
        pairs.append(
            {
                "iri_a": ea["iri"],
                "iri_b": eb["iri"],
                "plan_a": ea["plan"],
                "plan_b": eb["plan"],
                "kind_a": ea["kind"],
                "kind_b": eb["kind"],
                "text_a": ea["text"],
                "text_b": eb["text"],
                "parent_a": ea["parent"],
                "parent_b": eb["parent"],
                "proposed_by": prov[(a, b)],
                "split": "test" if n in test else "dev",
            }
        )
    stats = {
        "elements": len(els),
        "cross_plan_pairs": len(all_cross),
        "baseline_pairs": len(baseline_keys),
        "random_in_baseline": sum(1 for key in drawn if key in baseline_keys),
        "pairs": len(pairs),
    }
    for name in mats:
        stats[f"by_{name}"] = sum(1 for p in pairs if name in p["proposed_by"])
    stats["by_random"] = RANDOM_PAIRS
    stats["test"] = len(test)
    stats["dev"] = len(pairs) - len(test)
    return pairs, stats


HEADER = """\
# Candidate pool of cross-plan element pairs for the overlap gold set (labels in labels.yaml).
# Built by pool.py (see its docstring; deterministic). Elements: action-level (action, milestone,
# activity, immediate_step). Baselines: word_tfidf, char_tfidf (char_wb 3-5), stem_jaccard; each
# element's top-{k} partners in other plans per baseline, plus {nrand} random cross-plan pairs
# (random.Random({seed_r})). proposed_by is provenance only (score; rank_a = rank of b among a's
# partners, rank_b = rank of a among b's; null = not in top {k}); it was not shown while labelling.
# split: test for round(0.4 n) pairs drawn with random.Random({seed_s}), dev for the rest.
# parent_a / parent_b: the direct parent's text (read only to resolve elliptical wording).
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--root", type=Path, default=ROOT, help="repository root (plans in graph/plans)"
    )
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "pool.yaml")
    ap.add_argument(
        "--sheet", type=Path, help="also write the score-free shuffled labelling copy here"
    )
    ap.add_argument("--dry-run", action="store_true", help="print the stats only")
    args = ap.parse_args()
    pairs, stats = build(args.root, args.top_k)
    stats["top_k"] = args.top_k
    print(yaml.safe_dump(stats, sort_keys=False), end="")
    if args.dry_run:
        return
    doc = {"stats": stats, "pairs": pairs}
    head = HEADER.format(k=args.top_k, nrand=RANDOM_PAIRS, seed_r=SEED_RANDOM, seed_s=SEED_SPLIT)
    args.out.write_text(head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
    if args.sheet:
        sheet = [
            {
                k: p[k]
                for k in (
                    "iri_a",
                    "iri_b",
                    "plan_a",
                    "plan_b",
                    "text_a",
                    "text_b",
                    "parent_a",
                    "parent_b",
                )
            }
            for p in pairs
        ]
        random.Random(SEED_SHEET).shuffle(sheet)
        for n, p in enumerate(sheet, 1):
            p["n"] = n
        args.sheet.write_text(yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True, width=100))


if __name__ == "__main__":
    main()
