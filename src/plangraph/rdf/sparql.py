"""Checking SPARQL requests before evaluation, and writing SPARQL terms safely.

The endpoint is read-only and never contacts other hosts. pyoxigraph has no public query parser
and evaluates ``SERVICE`` clauses (outbound HTTP chosen by the client), so every query goes
through :func:`analyse` first: a tokenizer that knows SPARQL's strings, IRIs, comments, variables
and prefixed names (so a keyword inside a string or an IRI is not a keyword) finds

- the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``);
- any SPARQL Update keyword → :class:`UpdateRefused`;
- any token the parser could read as the ``SERVICE`` keyword → :class:`ServiceRefused`.

The check fails closed. Oxigraph reads ``SERVICE:x {…}`` and even ``serviceType:x {…}`` (a
prefixed name of the prefix ``Type:``) as a ``SERVICE`` clause, so every name that *starts* with
``service`` is refused, not only the bare keyword. The text is checked twice, as written and
with ``\\uXXXX``/``\\UXXXXXXXX`` escapes decoded (SPARQL allows them anywhere in a query).

The second half writes RDF terms into SPARQL text (:func:`iri_ref`, :func:`literal`,
:func:`term`) for the ``VALUES`` clauses of queries sent to remote stores: IRIs are validated,
never "escaped" into something else, and literals use SPARQL's escape sequences.

>>> analyse("PREFIX pg: <https://w3id.org/plangraph/ontology#> SELECT * { ?s a pg:Plan }").form
'SELECT'
>>> analyse("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
plangraph.rdf.sparql.ServiceRefused: SERVICE (federated query) is disabled on this endpoint...
>>> literal('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class SparqlRequestError(Exception):
    """A request the endpoint refuses before evaluation; ``status`` is the HTTP status."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuerySyntaxError(SparqlRequestError):
    """The query cannot be read; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"syntax error at line {line}, column {column}: {message}")
        self.line = line
        self.column = column
        self.detail = message


class UpdateRefused(SparqlRequestError):
    """A SPARQL Update on the read-only endpoint."""

    status = 403


class ServiceRefused(SparqlRequestError):
    """A query with a SERVICE clause (or something the parser may read as one)."""


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is iri, string, var, word, langtag, number or punct."""

    kind: str
    text: str
    start: int


_NAME_START = (
    "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"0-9\-.\u00b7\u0300-\u036f\u203f-\u2040"
# PN_LOCAL_ESC: a backslash before one of these is part of a prefixed name, so "ex:a\#b" holds
# no comment and "ex:a\'" opens no string.
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:''|')?(?:[^'\\]|\\.))*'''
             | \"\"\"(?:(?:\"\"|\")?(?:[^\"\\]|\\.))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][0-9"""
    + _NAME_START
    + r"""\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>(?:["""
    + _NAME_START
    + r"""](?:["""
    + _NAME_CHAR
    + r"""])*)?:(?:["""
    + _NAME_CHAR
    + r""":%]|"""
    + _LOCAL_ESC
    + r""")*|["""
    + _NAME_START
    + r"""](?:["""
    + _NAME_CHAR
    + r"""])*)
  | (?P<unterminated>'''|\"\"\"|'|")
  | (?P<punct>\^\^|&&|\|\||<=|>=|!=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset.

    >>> line_column("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, without whitespace and comments.

    >>> [t.text for t in tokenize('SELECT ?x { ?x <http://e/#a> "}#" } # done')]
    ['SELECT', '?x', '{', '?x', '<http://e/#a>', '"}#"', '}']
    """
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup or "punct"
        if kind == "unterminated":
            line, column = line_column(text, pos)
            raise QuerySyntaxError("unterminated string", line, column)
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group(), pos)
        pos = m.end()


def decode_escapes(text: str) -> str:
    r"""The text with SPARQL's ``\uXXXX`` and ``\UXXXXXXXX`` codepoint escapes decoded.

    >>> decode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _ESCAPE.sub(char, text)


@dataclass(frozen=True)
class QueryInfo:
    """What the endpoint needs to know about a query before running it."""

    form: str
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    has_dataset: bool
    """The query names its own dataset (FROM / FROM NAMED)."""


def _check_tokens(tokens: list[Token]) -> None:
    for tok in tokens:
        if tok.kind != "word":
            continue
        upper = tok.text.upper()
        if upper.startswith("SERVICE"):
            raise ServiceRefused(
                "SERVICE (federated query) is disabled on this endpoint: "
                "it never contacts other hosts"
            )
        if upper in UPDATE_KEYWORDS:
            raise UpdateRefused(
                f"this endpoint is read-only: SPARQL Update ({upper}) is not accepted"
            )


def analyse(query: str) -> QueryInfo:
    """Check a query and find its form; raise a :class:`SparqlRequestError` to refuse it.

    >>> analyse("ASK { ?s ?p 'SERVICE' }").form
    'ASK'
    >>> analyse("DROP ALL")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.rdf.sparql.UpdateRefused: this endpoint is read-only: SPARQL Update (DROP) ...
    """
    tokens = list(tokenize(query))
    _check_tokens(tokens)
    decoded = decode_escapes(query)
    if decoded != query:
        # If only the decoded text fails to tokenize, the parser judges the rest.
        with contextlib.suppress(QuerySyntaxError):
            _check_tokens(list(tokenize(decoded)))
    words = [t.text.upper() for t in tokens if t.kind == "word"]
    form = _form(tokens)
    return QueryInfo(form, "FROM" in words)


def _form(tokens: list[Token]) -> str:
    """The first keyword after the prologue (BASE and PREFIX declarations): SELECT, ASK,
    CONSTRUCT, DESCRIBE, or UNKNOWN (the parser then reports the error in its own words)."""
    i = 0
    while i < len(tokens):
        upper = tokens[i].text.upper() if tokens[i].kind == "word" else ""
        if upper == "BASE":
            i += 2
        elif upper == "PREFIX":
            i += 3
        else:
            return upper if upper in QUERY_FORMS else "UNKNOWN"
    raise QuerySyntaxError("empty query: expected SELECT, ASK, CONSTRUCT or DESCRIBE", 1, 1)


# --- writing terms -----------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ECHAR_RE = re.compile(r'[\\"\n\r\t\b\f]')


def iri_ref(iri: str) -> str:
    """An absolute IRI as a SPARQL IRIREF. Characters SPARQL cannot hold in an IRI (space,
    ``<>"{}|^`\\``, controls) are refused, never rewritten, so the term means what was asked.

    >>> iri_ref("https://w3id.org/plangraph/plan/x")
    '<https://w3id.org/plangraph/plan/x>'
    >>> iri_ref("http://e/> } ; DROP ALL ; #")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: not an IRI SPARQL can hold (space or one of <>"{}|^`\\ or a control character): ...
    """
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(
            'not an IRI SPARQL can hold (space or one of <>"{}|^`\\ or a control character): '
            f"{iri!r}"
        )
    if not _SCHEME.match(iri):
        raise ValueError(f"not an absolute IRI (no scheme): {iri!r}")
    return f"<{iri}>"


def literal(value: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in SPARQL syntax: a double-quoted string with escape sequences, then a
    language tag or a datatype.

    >>> literal("6 meses", language="es")
    '"6 meses"@es'
    >>> literal("2020", datatype="http://www.w3.org/2001/XMLSchema#gYear")
    '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    body = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group()], value) + '"'
    if language is not None:
        if not _LANG.match(language):
            raise ValueError(f"not a language tag: {language!r}")
        return f"{body}@{language}"
    if datatype is not None and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"{body}^^{iri_ref(datatype)}"
    return body


def term(value: Any) -> str:
    """A pyoxigraph NamedNode or Literal in SPARQL syntax (blank nodes cannot be bound).

    >>> from pyoxigraph import Literal, NamedNode
    >>> term(NamedNode("http://e/a")), term(Literal("x", language="en"))
    ('<http://e/a>', '"x"@en')
    """
    from pyoxigraph import Literal, NamedNode

    if isinstance(value, NamedNode):
        return iri_ref(value.value)
    if isinstance(value, Literal):
        return literal(
            value.value,
            language=value.language,
            datatype=None if value.language else value.datatype.value,
        )
    raise ValueError(f"only IRIs and literals can be bound, not {value!r}")
