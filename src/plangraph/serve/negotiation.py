"""Content negotiation: which serialization answers a request (``Accept`` or ``format=``)."""

from __future__ import annotations

# key: (media type sent, media types accepted)
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": (SRJ, (SRJ, "application/json")),
    "xml": (SRX, (SRX, "application/xml", "text/xml")),
    "csv": ("text/csv", ("text/csv",)),
    "tsv": ("text/tab-separated-values", ("text/tab-separated-values",)),
}  # fmt: skip
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle", ("text/turtle", "application/x-turtle")),
    "ntriples": ("application/n-triples", ("application/n-triples", "text/plain")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
_FORMAT_ALIASES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml",
                "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
              "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
              "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "owl": "rdfxml"},
}  # fmt: skip


class NotAcceptable(Exception):
    """No format the client accepts can carry this result."""


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, kind: str, fmt: str | None = None) -> str:
    """The format key for a result of ``kind`` ("results" or "graph"): the ``format`` parameter
    if given (a short name or a media type), else the best match of the Accept header, else
    the first format (SPARQL JSON, Turtle).

    >>> negotiate("text/csv", "results"), negotiate(None, "graph")
    ('csv', 'turtle')
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "results")
    'xml'
    >>> negotiate("application/sparql-results+json;q=0.5, text/turtle", "graph")
    'turtle'
    """
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if fmt:
        key = _FORMAT_ALIASES[kind].get(fmt.lower())
        if key is None:
            for name, (_, accepted) in table.items():
                if fmt.lower() in accepted:
                    key = name
        if key is None:
            raise NotAcceptable(
                f"format '{fmt}' cannot carry {'query results' if kind == 'results' else 'a graph'}"
                f" (use one of: {', '.join(table)})"
            )
        return key
    if not accept or not accept.strip():
        return next(iter(table))
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for name, (_, accepted) in table.items():
        q = 0.0
        for n, media in enumerate(accepted):
            specific = -1
            for rng, rq in ranges:
                if rng == media:
                    level = 2
                elif n > 0:  # wildcards match a format's own media type, not its aliases
                    continue
                elif rng.endswith("/*") and media.startswith(rng[:-1]):
                    level = 1
                elif rng == "*/*":
                    level = 0
                else:
                    continue
                if level > specific:
                    specific, mq = level, rq
            if specific >= 0:
                q = max(q, mq)
        if q > best_q:
            best, best_q = name, q
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) can carry "
            f"{'query results' if kind == 'results' else 'a graph'}; offered: "
            + ", ".join(t for t, _ in table.values())
        )
    return best


def media_type(kind: str, key: str) -> str:
    """The Content-Type sent for a format (with a charset for text types).

    >>> media_type("results", "csv"), media_type("graph", "jsonld")
    ('text/csv; charset=utf-8', 'application/ld+json')
    """
    media = (RESULT_FORMATS if kind == "results" else GRAPH_FORMATS)[key][0]
    return media + "; charset=utf-8" if media.startswith("text/") else media
