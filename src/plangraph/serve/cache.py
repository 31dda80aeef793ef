"""Answering repeated requests cheaply. The dataset does not change while it is served, so a
deterministic query (no NOW, RAND, UUID, STRUUID) asked the same way gets the same answer:

- **HTTP validators.** Its answer carries a weak ``ETag`` computed from the dataset's hash and
  the request (query, dataset parameters, format, base IRI), never from the answer, and
  ``Cache-Control: no-cache`` (a cache may keep it but must ask again). A GET or HEAD with a
  matching ``If-None-Match`` is answered 304 at once, without evaluating anything. The tag
  changes with the data file, the plangraph version and the pyoxigraph version.
- **A result cache** (:class:`ResultCache`, off unless ``--cache-mb`` is given): answers kept
  in the server process, least recently used first out, within a byte budget; a hit costs no
  worker at all.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from pathlib import Path

from plangraph.serve.jobs import Job, Reply


def dataset_id(data_file: Path) -> str:
    """The hash of the served data file, with the versions that shape the answers."""
    import pyoxigraph

    from plangraph._version import __version__

    digest = hashlib.blake2b(digest_size=16)
    with data_file.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    digest.update(f"plangraph {__version__} pyoxigraph {pyoxigraph.__version__}".encode())
    return digest.hexdigest()


def etag(dataset: str, job: Job) -> str:
    """A weak entity tag of the answer to ``job`` over the dataset ``dataset``.

    >>> etag("d1", Job("sparql", query="ASK {}")) == etag("d1", Job("sparql", query="ASK {}"))
    True
    >>> etag("d1", Job("sparql", query="ASK {}")) == etag("d2", Job("sparql", query="ASK {}"))
    False
    """
    digest = hashlib.blake2b(dataset.encode(), digest_size=16)
    digest.update(pickle.dumps(job.key(), protocol=pickle.HIGHEST_PROTOCOL))
    return f'W/"{digest.hexdigest()}"'


def validators(tag: str) -> tuple[tuple[str, str], ...]:
    """The headers that go with a validated answer."""
    return (("ETag", tag), ("Cache-Control", "no-cache"), ("Vary", "Accept"))


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``tag`` (weak comparison, RFC 9110).

    >>> matches('"abc", W/"def"', 'W/"def"'), matches("*", 'W/"x"'), matches(None, 'W/"x"')
    (True, True, False)
    """
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == opaque for t in if_none_match.split(","))


class ResultCache:
    """Answers by entity tag, within ``max_bytes`` (least recently used out first); an answer
    larger than an eighth of the budget is not kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, Reply] = OrderedDict()

    def get(self, tag: str) -> Reply | None:
        reply = self._entries.get(tag)
        if reply is None:
            self.misses += 1
            return None
        self._entries.move_to_end(tag)
        self.hits += 1
        return reply

    def put(self, tag: str, reply: Reply) -> None:
        cost = len(reply.body) + 256
        if reply.status != 200 or cost > self.max_bytes // 8 or tag in self._entries:
            return
        self._entries[tag] = reply
        self.size += cost
        while self.size > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self.size -= len(old.body) + 256
