"""Content negotiation: which serialization answers a request (``Accept`` or ``format=``)."""

from __future__ import annotations

from collections.abc import Sequence

# key: (media type sent, media types accepted)
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": (SRJ, (SRJ, "application/json")),
    "xml": (SRX, (SRX, "application/xml", "text/xml")),
    "csv": ("text/csv", ("text/csv",)),
    "tsv": ("text/tab-separated-values", ("text/tab-separated-values",)),
}  # fmt: skip
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Turtle is valid N3, so a client asking for N3 gets Turtle
    "turtle": ("text/turtle", ("text/turtle", "application/x-turtle", "application/turtle",
                               "text/n3", "text/rdf+n3", "application/n3")),
    "ntriples": ("application/n-triples", ("application/n-triples", "text/plain")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json",
                                       "application/x-json+ld")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}  # fmt: skip
_FORMAT_ALIASES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml",
                "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
              "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
              "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml",
              "owl": "rdfxml", "n3": "turtle"},
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


def _named_format(fmt: str, kind: str) -> str | None:
    """The format key a ``format=`` value names (a short name, a media type, or a list of
    media types as an Accept header), or None."""
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    value = fmt.strip().lower()
    key = _FORMAT_ALIASES[kind].get(value)
    if key is not None:
        return key
    for name, (_, accepted) in table.items():
        if value in accepted:
            return name
    if "/" in value:
        try:
            return _best(value, kind)
        except NotAcceptable:
            return None
    return None


def negotiate(accept: str | None, kind: str, fmts: Sequence[str] = ()) -> str:
    """The format key for a result of ``kind`` ("results" or "graph"): the first ``format=``
    value that names one (a short name or a media type), else the best match of the Accept
    header, else the first format (SPARQL JSON, Turtle). A ``format=`` value this server
    cannot map falls back to the Accept header: clients such as SPARQLWrapper send
    ``format=n3`` or ``format=json-ld`` along with a good Accept header.

    >>> negotiate("text/csv", "results"), negotiate(None, "graph")
    ('csv', 'turtle')
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "results")
    'xml'
    >>> negotiate("application/sparql-results+json;q=0.5, text/turtle", "graph")
    'turtle'
    >>> negotiate("application/ld+json", "graph", ["json-ld", "application/ld+json,x/y"])
    'jsonld'
    >>> negotiate("text/turtle", "graph", ["pdf"])
    'turtle'
    """
    for fmt in fmts:
        key = _named_format(fmt, kind)
        if key is not None:
            return key
    try:
        return _best(accept, kind)
    except NotAcceptable as exc:
        if fmts:
            raise NotAcceptable(f"format '{fmts[-1]}' is not offered, and {exc}") from None
        raise


def _best(accept: str | None, kind: str) -> str:
    """The format that best matches an Accept header (the first one if there is none)."""
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
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
