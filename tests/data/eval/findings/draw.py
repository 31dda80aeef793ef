"""Draw the labelled sample of findings, deterministically.

Usage (from the project root)::

    .venv/bin/plangraph findings --on 2026-12-01 --limit 0 --format json > /tmp/findings-all.json
    .venv/bin/python tests/data/eval/findings/draw.py /tmp/findings-all.json [SEED]

Prints one line per sampled finding, ``<id>\t<sample>``, in order: the top 20 of the ranked list
(``top``), then a random sample of 40 of the rest (``random``), drawn with
``random.Random(SEED).sample(rest, 40)`` over the rest in rank order (all of the rest when fewer
than 40 remain). SEED: 20261201 for the first round (``labels-dev.yaml``), 20261202 for the second
(``labels.yaml``).
"""

from __future__ import annotations

import json
import random
import sys

SEED = 20261201
TOP = 20
RANDOM = 40


def draw(findings: list[dict], seed: int = SEED) -> list[tuple[str, str]]:
    ids = [f["id"] for f in findings]  # rank order, as printed
    top, rest = ids[:TOP], ids[TOP:]
    sample = random.Random(seed).sample(rest, min(RANDOM, len(rest)))
    return [(i, "top") for i in top] + [(i, "random") for i in sample]


def main(path: str, seed: int = SEED) -> None:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if isinstance(data, dict):  # tolerate a wrapper object
        data = data.get("findings", data)
    for fid, sample in draw(data, seed):
        print(f"{fid}\t{sample}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: draw.py FINDINGS.json [SEED]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else SEED)
