"""Grow the labelled pair set with two new pools, each with its split frozen BEFORE labelling.

Deterministic: same plans and code in, byte-identical pools out. Written 2026-12-01 after the
near-duplicate method of plangraph.analysis.similarity was built (commit f8aefa4), so one
proposer of each pool is that method: recall measured on these pools is biased upwards (a pair
the method proposed is more likely to be found by it). Precision is not biased that way.

Pools
-----
``fds/``: pairs of action-level elements (action, milestone) of the two English plans of
tests/data/corpora/us-fds-2021 (2020 x 2021) and of them with the Guatemalan open-government
plan gt-ogp-nap6-2023-2025 (English x Spanish). Proposers:

* ``word_tfidf`` (English x English only): pool.py's word TF-IDF over folded tokens (an English
  function-word list), each element's best partner in the other FDS plan;
* ``concept_cosine``: cosine of the asserted theme and population concepts (plain idf, the
  built graph's ``reports/element-concepts``), each element's best partner in the other family
  member (2020 x 2021; FDS x OGP);
* ``method``: every pair plangraph's near-duplicate search reports at its default threshold
  between these plans (scope across, action-level, on the seeds + FDS graphs in one store);
* ``random``: 30 pairs drawn from all pairs of both families, ``random.Random(20261205)``.

``seeds-method/``: cross-plan pairs of action-level elements of the five seed plans that the
near-duplicate search scores at 0.2 or more and that the first pool (../pool.yaml) does not hold
(``method``), plus 20 random cross-plan pairs not in the first pool (``random``).

Split: ``random.Random(seed).sample(range(n), round(0.4 n))`` over the pool in canonical order
(sorted by iri_a, iri_b) is ``test`` (seeds 20261206 for fds, 20261207 for seeds-method).

The labelling sheet (``--sheet``): both pools together, provenance and scores stripped,
shuffled with ``random.Random(11)``, each pair with the two texts and each element's parent's
heading (or the parent's first 40 words), read only to resolve elliptical wording.

Usage (repository root, project virtualenv)::

    python tests/data/eval/pairs/grow.py --sheet /tmp/sheet.yaml
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from plangraph.analysis import similarity
from plangraph.analysis.api import PlanGraph
from plangraph.analysis.backends import EmbeddedBackend
from plangraph.pipeline.build import build
from plangraph.pipeline.iris import element_iris
from plangraph.pipeline.loader import load_corpus
from plangraph.project import Project
from plangraph.rdf.store import load_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
FDS_GRAPH = ROOT / "tests" / "data" / "corpora" / "us-fds-2021" / "graph"
KINDS = {"action", "milestone", "activity", "immediate_step"}
OGP = "gt-ogp-nap6-2023-2025"
FDS = ("us-fds-2020-action-plan", "us-fds-2021-action-plan")
SEED_RANDOM_FDS, SEED_SPLIT_FDS = 20261205, 20261206
SEED_RANDOM_ES, SEED_SPLIT_ES = 20261208, 20261207
SEED_SHEET = 11
EN_STOP = set(
    """a about above after all also an and any are as at be been being between both but by can
    could did do does during each for from had has have if in into is it its may more most must
    no not of on or other our over per same shall should so some such than that the their them
    then there these they this those through to under until up upon us via was we were what
    when where whether which while who will with within would""".split()
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def content_tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", fold(text)) if t not in EN_STOP]


def collect(project: Project) -> dict[str, dict]:
    out = {}
    for plan in load_corpus(project).plans:
        iris = element_iris(plan)
        for path, el, parent in plan.walk():
            if el.kind.value not in KINDS:
                continue
            hint = ""
            if parent is not None:
                title = getattr(parent, "title", None)
                hint = " ".join((title or " ".join(parent.text.split()[:40])).split())
            out[str(iris[path])] = {
                "plan": plan.id,
                "kind": el.kind.value,
                "text": " ".join(el.text.split()),
                "parent": hint,
            }
    return out


def merged_graph(tmp: Path) -> PlanGraph:
    seeds = build(Project(ROOT), out_dir=tmp / "seeds").outputs["nquads"]
    fds = build(Project(ROOT, FDS_GRAPH), out_dir=tmp / "fds").outputs["nquads"]
    merged = tmp / "merged.nq"
    merged.write_text(seeds.read_text() + fds.read_text())
    return PlanGraph(EmbeddedBackend(load_store(merged)))


def best_partner(els, candidates, score) -> set[tuple[str, str]]:
    out = set()
    for a in els:
        scored = [(score(a, b), b) for b in candidates(a)]
        scored = [(s, b) for s, b in scored if s > 0]
        if scored:
            s, b = max(scored, key=lambda x: (x[0], x[1]))
            out.add(tuple(sorted((a, b))))
    return out


def split(keys: list[tuple[str, str]], seed: int) -> dict[tuple[str, str], str]:
    test = set(random.Random(seed).sample(range(len(keys)), round(0.4 * len(keys))))
    return {k: ("test" if i in test else "dev") for i, k in enumerate(keys)}


def write_pool(folder: Path, header: str, prov: dict, els: dict, seed: int, corpora=None):
    keys = sorted(prov)
    splits = split(keys, seed)
    pairs = []
    for a, b in keys:
        pairs.append(
            {
                "iri_a": a,
                "iri_b": b,
                "plan_a": els[a]["plan"],
                "plan_b": els[b]["plan"],
                "text_a": els[a]["text"],
                "text_b": els[b]["text"],
                "proposed_by": sorted(prov[(a, b)]),
                "split": splits[(a, b)],
            }
        )
    folder.mkdir(exist_ok=True)
    stats = {"pairs": len(pairs), "test": sum(p["split"] == "test" for p in pairs)}
    for name in sorted({n for p in prov.values() for n in p}):
        stats[f"by_{name}"] = sum(1 for p in prov.values() if name in p)
    doc = {"stats": stats, "pairs": pairs}
    (folder / "pool.yaml").write_text(
        header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    )
    if corpora:
        (folder / "corpora.yaml").write_text(
            "# graph/ folders (from the project root) whose plans these pairs name\n"
            + yaml.safe_dump({"corpora": corpora}, sort_keys=False)
        )
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheet", type=Path, help="write the blind labelling sheet here")
    args = ap.parse_args()
    els = collect(Project(ROOT))
    els.update(collect(Project(ROOT, FDS_GRAPH)))
    tmp = Path(tempfile.mkdtemp())
    try:
        pg = merged_graph(tmp)
        elements, taggings = pg.similarity_input()
        elements = elements[elements.action_level.astype(bool)]
        concepts = pg.query("reports/element-concepts")
        reported = similarity.near_duplicates(
            elements, scope="across", taggings=taggings, top_k=50, threshold=0.2
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    plan_of = {iri: e["plan"] for iri, e in els.items()}

    # -- fds pool ------------------------------------------------------------------------
    fds_els = [i for i in els if plan_of[i] in FDS]
    ogp_els = [i for i in els if plan_of[i] == OGP]
    prov: dict[tuple[str, str], set[str]] = defaultdict(set)
    texts = [els[i]["text"] for i in fds_els]
    x = TfidfVectorizer(analyzer=content_tokens).fit_transform(texts)
    sim = (x @ x.T).toarray()
    index = {iri: n for n, iri in enumerate(fds_els)}

    def other_fds(a):
        return [b for b in fds_els if plan_of[b] != plan_of[a]]

    for key in best_partner(fds_els, other_fds, lambda a, b: sim[index[a], index[b]]):
        prov[key].add("word_tfidf")
    cc = concepts[concepts.scheme.isin(["theme", "population"])]
    sets = cc.groupby("element").concept.apply(set).to_dict()
    n_all = len(elements)
    df = defaultdict(int)
    for s in sets.values():
        for c in s:
            df[c] += 1
    idf = {c: math.log((1 + n_all) / (1 + k)) + 1 for c, k in df.items()}

    def ccos(a, b):
        sa, sb = sets.get(a, set()), sets.get(b, set())
        if not sa or not sb:
            return 0.0
        num = sum(idf[c] ** 2 for c in sa & sb)
        na = math.sqrt(sum(idf[c] ** 2 for c in sa))
        nb = math.sqrt(sum(idf[c] ** 2 for c in sb))
        return num / (na * nb)

    for key in best_partner(fds_els, other_fds, ccos):
        prov[key].add("concept_cosine")
    for key in best_partner(fds_els, lambda a: ogp_els, ccos):
        prov[key].add("concept_cosine")
    for key in best_partner(ogp_els, lambda a: fds_els, ccos):
        prov[key].add("concept_cosine")
    family = set(FDS) | {OGP}
    at_default = reported[reported.score >= similarity.DEFAULT_THRESHOLD - 1e-9]
    for a, b in zip(at_default.element_a, at_default.element_b, strict=True):
        pa, pb = plan_of.get(a), plan_of.get(b)
        if pa in family and pb in family and (pa in FDS or pb in FDS):
            prov[tuple(sorted((a, b)))].add("method")
    every = sorted(
        {tuple(sorted((a, b))) for a in fds_els for b in other_fds(a)}
        | {tuple(sorted((a, b))) for a in fds_els for b in ogp_els}
    )
    for key in random.Random(SEED_RANDOM_FDS).sample(every, 30):
        prov[key].add("random")
    fds_pairs = write_pool(
        HERE / "fds",
        "# Pool of pairs of the FDS 2020 and 2021 plans and of them with the OGP plan; built by\n"
        "# ../grow.py (see its docstring). proposed_by is provenance only, never shown while\n"
        "# labelling. split frozen by random.Random(20261206) before labelling.\n",
        prov,
        els,
        SEED_SPLIT_FDS,
        ["tests/data/corpora/us-fds-2021/graph"],
    )

    # -- seeds-method pool -----------------------------------------------------------------
    first = yaml.safe_load((HERE / "pool.yaml").read_text())["pairs"]
    in_first = {frozenset((p["iri_a"], p["iri_b"])) for p in first}
    seeds = {p for p in els if plan_of[p] not in FDS}
    prov2: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b in zip(reported.element_a, reported.element_b, strict=True):
        if a in seeds and b in seeds and frozenset((a, b)) not in in_first:
            prov2[tuple(sorted((a, b)))].add("method")
    seed_list = sorted(seeds)
    every2 = [
        (a, b)
        for i, a in enumerate(seed_list)
        for b in seed_list[i + 1 :]
        if plan_of[a] != plan_of[b] and frozenset((a, b)) not in in_first
    ]
    for key in random.Random(SEED_RANDOM_ES).sample(every2, 20):
        prov2[key].add("random")
    es_pairs = write_pool(
        HERE / "seeds-method",
        "# Pool of cross-plan pairs of the seed plans proposed by the near-duplicate search (score\n"
        "# >= 0.2, not in ../pool.yaml) plus random pairs; built by ../grow.py. proposed_by is\n"
        "# provenance only. split frozen by random.Random(20261207) before labelling.\n",
        prov2,
        els,
        SEED_SPLIT_ES,
    )
    print(f"fds: {len(fds_pairs)} pairs; seeds-method: {len(es_pairs)} pairs")
    if args.sheet:
        sheet = []
        for p in fds_pairs + es_pairs:
            sheet.append(
                {
                    "iri_a": p["iri_a"],
                    "iri_b": p["iri_b"],
                    "text_a": p["text_a"],
                    "parent_a": els[p["iri_a"]]["parent"],
                    "text_b": p["text_b"],
                    "parent_b": els[p["iri_b"]]["parent"],
                }
            )
        random.Random(SEED_SHEET).shuffle(sheet)
        for n, p in enumerate(sheet, 1):
            p["n"] = n
        args.sheet.write_text(yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True, width=100))


if __name__ == "__main__":
    main()
