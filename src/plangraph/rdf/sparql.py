r"""Checking SPARQL queries before evaluation, and writing SPARQL terms safely.

pyoxigraph has no public query parser and no switch to turn federation off: it evaluates
``SERVICE`` clauses (outbound HTTP to a URL the client chose), and a query nested a few
thousand levels deep overflows the parser's stack and kills the process. So every query given
as text (the endpoint, and ``PlanGraph.sparql``) goes through :func:`analyse`, which

- finds the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) and refuses SPARQL
  Update (:class:`UpdateRefused`);
- refuses anything Oxigraph could read as ``SERVICE`` (:class:`ServiceRefused`), failing closed;
- bounds nesting and the number of operators (:class:`QueryTooComplex`);
- returns the **text to evaluate** (:attr:`QueryInfo.text`): the query rewritten so that
  Oxigraph's grammar cannot split it into tokens other than the ones checked here.

Why a rewrite and not only a check: a tokenizer and the engine's parser can disagree on where a
token ends. Oxigraph's parser (a PEG over characters) matches keywords without a word boundary
(``true.SERVICE``, ``trueSERVICE`` and ``serviceType:x`` all contain a SERVICE clause) and
reads ``<`` after an operand as "less than", so ``FILTER(1<2).SERVICE:#>`` is a comparison, a
SERVICE clause and a comment to Oxigraph, but one IRI ``<2).SERVICE:#>`` to a tokenizer. The
rewrite removes every such ambiguity, so the check and the engine see the same tokens:

- comments are blanked (the positions of everything else stay);
- the body of every IRI is written with ``\uXXXX`` escapes for every character but
  ``[A-Za-z0-9:/._~%-]`` (the engine decodes them inside ``<…>`` to the same IRI). Read as
  code after a "less than", such a body can hold no ``)``, ``{``, ``}``, ``#``, quote or
  space, so it cannot leave the expression it stands in, open a string or start a comment.

On that text the checks are simple and fail closed: every word (keyword, prefixed name, number,
language tag) that contains ``service`` in any case is refused, wherever it stands; strings,
IRIs and variables are the only tokens that may contain it. Oxigraph (0.4.9 to 0.5.x) decodes
``\u`` escapes only inside IRIs and strings, never in the query text as a whole
(:func:`engine_decodes_escapes` checks it; ``\u0053ERVICE`` in code is a syntax error).

The second half writes RDF terms into SPARQL text (:func:`iri_ref`, :func:`literal`,
:func:`term`) for the ``VALUES`` clauses of queries sent to remote stores: IRIs are validated,
never "escaped" into something else, and literals use SPARQL's escape sequences.

>>> analyse("PREFIX pg: <https://w3id.org/plangraph/ontology#> SELECT * { ?s a pg:Plan }").text
'PREFIX pg: <https://w3id.org/plangraph/ontology\\u0023> SELECT * { ?s a pg:Plan }'
>>> analyse("SELECT * { ?s ?p true.SERVICE <http://127.0.0.1:1/> { } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
plangraph.rdf.sparql.ServiceRefused: SERVICE (federated query) is disabled...
>>> literal('say "hi"\n')
'"say \\"hi\\"\\n"'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
MAX_NESTING = 128
"""Deepest nesting of ``(``, ``{`` and ``[`` in a query. Oxigraph's parser overflows an 8 MB
stack from about 3,000 levels (1,000 nested ``EXISTS { FILTER( … ) }``); no real query needs
more than a few dozen."""
MAX_OPERATORS = 2000
"""Most operators in a query (brackets, ``.``, ``;``, ``||``, ``/``, ``UNION``, ``OPTIONAL``,
``MINUS``, ``BIND``, ``FILTER``…). Each can add a level to the query's algebra tree, and a
chain of about 2,500 ``MINUS`` or ``BIND`` (12,000 ``||``) overflows the engine's stack even
without nesting; a 2 kB query has about 150."""
_OPERATOR_PUNCT = frozenset(
    ["(", "{", "[", ".", ";", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*",
     "/", "|", "^", "!", "?"]
)  # fmt: skip
_OPERATOR_WORDS = frozenset(
    ["UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "EXISTS", "NOT", "IN",
     "SELECT", "LATERAL", "VALUES", "SERVICE", "AS"]
)  # fmt: skip
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")


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


class QueryTooComplex(SparqlRequestError):
    """A query nested deeper than :data:`MAX_NESTING` or with more than
    :data:`MAX_OPERATORS` operators."""


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
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r"""
    (?P<ws>[\ \t\r\n]+)
  | (?P<oddspace>\s)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:''|')?(?:[^'\\]|\\.))*'''
             | \"\"\"(?:(?:\"\"|\")?(?:[^\"\\]|\\.))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|"""
    + _UCHAR
    + r""")*>)
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
_IRI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:/._~%-")
_BLANK = frozenset(("ws", "oddspace", "comment"))


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset.

    >>> line_column("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _scan(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Every piece of the text, whitespace and comments included."""
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup or "punct"
        if kind == "unterminated":
            line, column = line_column(text, pos)
            raise QuerySyntaxError("unterminated string", line, column)
        yield kind, m
        pos = m.end()


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, without whitespace and comments.

    >>> [t.text for t in tokenize('SELECT ?x { ?x <http://e/#a> "}#" } # done')]
    ['SELECT', '?x', '{', '?x', '<http://e/#a>', '"}#"', '}']
    """
    for kind, m in _scan(text):
        if kind not in _BLANK:
            yield Token(kind, m.group(), m.start())


def decode_escapes(text: str) -> str:
    r"""The text with SPARQL's ``\uXXXX`` and ``\UXXXXXXXX`` codepoint escapes decoded
    (escapes of surrogates or past U+10FFFF are left as written).

    >>> decode_escapes(r"http://e/\u0041")
    'http://e/A'
    """

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _ESCAPE.sub(char, text)


def _escaped_iri(token: str) -> str:
    r"""An IRI token with every character outside ``[A-Za-z0-9:/._~%-]`` written as a
    ``\u`` escape (the same IRI to the engine).

    >>> _escaped_iri("<http://e/a#b>")
    '<http://e/a\\u0023b>'
    """
    out = []
    for c in decode_escapes(token[1:-1]):
        if c in _IRI_SAFE:
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(f"\\U{ord(c):08X}")
    return "<" + "".join(out) + ">"


@dataclass(frozen=True)
class QueryInfo:
    """What the endpoint needs to know about a query before running it."""

    form: str
    """SELECT, ASK, CONSTRUCT or DESCRIBE (UNKNOWN: the engine reports the error)."""
    has_dataset: bool
    """The query names its own dataset (FROM / FROM NAMED)."""
    text: str
    """The text to evaluate: the query with comments blanked and IRIs escaped, so the engine
    reads the tokens that were checked. Newlines stay where they were."""
    deterministic: bool = True
    """Evaluating the query twice over the same data gives the same answer: it calls none of
    NOW, RAND, UUID, STRUUID."""


_VOLATILE = frozenset(("NOW", "RAND", "UUID", "STRUUID"))


def _refuse_service(word: str) -> ServiceRefused:
    return ServiceRefused(
        "SERVICE (federated query) is disabled on this endpoint: it never contacts other hosts"
        + ("" if word.upper() == "SERVICE" else f" ('{word}' could be read as SERVICE)")
    )


def analyse(query: str, *, allow_service: bool = False) -> QueryInfo:
    """Check a query and find its form; raise a :class:`SparqlRequestError` to refuse it.
    Evaluate :attr:`QueryInfo.text`, not the query as given.

    >>> analyse("ASK { ?s ?p 'SERVICE' }").form
    'ASK'
    >>> analyse("DROP ALL")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.rdf.sparql.UpdateRefused: this endpoint is read-only: SPARQL Update (DROP) ...
    >>> analyse("SELECT * { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.rdf.sparql.QueryTooComplex: the query is nested deeper than 128 levels...
    """
    check_service = not allow_service and "service" in query.lower()
    out: list[str] = []
    head: list[tuple[str, str]] = []  # the tokens up to the query form
    form = ""
    has_dataset = volatile = False
    depth = deepest = operators = 0
    match, pos, end = _TOKEN.match, 0, len(query)
    while pos < end:
        m = match(query, pos)
        assert m is not None  # the last alternative matches any character
        kind, piece, pos = m.lastgroup, m.group(), m.end()
        if kind == "ws" or kind == "string" or kind == "var":
            out.append(piece)
            continue
        if kind == "comment" or kind == "oddspace":  # Oxigraph's space is " \t\r\n" only
            out.append(" " * len(piece))
            continue
        if kind == "iri":
            out.append(_escaped_iri(piece))
        elif kind == "unterminated":
            line, column = line_column(query, m.start())
            raise QuerySyntaxError("unterminated string", line, column)
        else:
            out.append(piece)
        if not form:
            head.append((kind or "", piece))
            form = _form(head)
        if kind == "punct":
            if piece in _OPERATOR_PUNCT:
                operators += 1
                if piece in _OPEN:
                    depth += 1
                    deepest = max(deepest, depth)
            elif piece in _CLOSE:
                depth = max(depth - 1, 0)
        elif kind == "word":
            upper = piece.upper()
            if upper in _OPERATOR_WORDS:
                operators += 1
            elif upper in UPDATE_KEYWORDS:
                raise UpdateRefused(
                    f"this endpoint is read-only: SPARQL Update ({upper}) is not accepted"
                )
            elif upper == "FROM":
                has_dataset = True
            elif upper in _VOLATILE:
                volatile = True
        if check_service and kind != "iri" and "service" in piece.lower():
            raise _refuse_service(piece)
    if deepest > MAX_NESTING:
        raise QueryTooComplex(
            f"the query is nested deeper than {MAX_NESTING} levels of (), {{}} and []"
        )
    if operators > MAX_OPERATORS:
        raise QueryTooComplex(
            f"the query has more than {MAX_OPERATORS} operators; split it into smaller queries"
        )
    if not form:
        if not head:
            raise QuerySyntaxError("empty query: expected SELECT, ASK, CONSTRUCT or DESCRIBE", 1, 1)
        form = "UNKNOWN"
    return QueryInfo(form, has_dataset, "".join(out), not volatile)


def original_position(query: str, line: int, column: int) -> tuple[int, int]:
    """Where a position of :attr:`QueryInfo.text` (as the engine reports errors) is in the
    query as written: the lines are the same, the columns move back past escaped IRIs.

    >>> original_position("SELECT * { <http://e/#> ?p }", 1, 34)
    (1, 29)
    """
    grown = 0
    for kind, m in _scan(query):
        start_line, start_col = line_column(query, m.start())
        if start_line < line or kind != "iri":
            if start_line > line:
                break
            continue
        if start_col + grown >= column:
            break
        extra = len(_escaped_iri(m.group())) - len(m.group())
        if column < start_col + grown + len(m.group()) + extra:
            return line, start_col  # inside the IRI: its first character
        grown += extra
    return line, column - grown


_ENGINE_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def engine_syntax_error(query: str, exc: SyntaxError) -> SparqlRequestError:
    """The engine's syntax error for :attr:`QueryInfo.text` ("error at 3:13: expected …"),
    placed in the query as written.

    >>> engine_syntax_error("ASK { <http://e/#> ( }", SyntaxError("error at 1:27: expected ..."))
    QuerySyntaxError('syntax error at line 1, column 22: expected ...')
    """
    m = _ENGINE_ERROR.match(str(exc))
    if m is None:
        return SparqlRequestError(f"syntax error: {exc}")
    line, column = original_position(query, int(m.group(1)), int(m.group(2)))
    return QuerySyntaxError(m.group(3), line, column)


@cache
def engine_decodes_escapes() -> bool:
    r"""Whether the installed Oxigraph decodes ``\u`` escapes in the whole query text before
    parsing (SPARQL 1.1 allows it; 0.4.9 to 0.5.x do not). :func:`analyse` relies on it not
    doing so: the endpoint refuses to start otherwise."""
    from pyoxigraph import Store

    try:
        Store().query("ASK { \\u003Fs ?p ?o }")
    except SyntaxError:
        return False
    return True


def _form(tokens: list[tuple[str, str]]) -> str:
    """The first keyword after the prologue (BASE and PREFIX declarations): SELECT, ASK,
    CONSTRUCT, DESCRIBE, UNKNOWN (the parser then reports the error in its own words), or ""
    while the prologue may go on."""
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        upper = text.upper() if kind == "word" else ""
        if upper == "BASE":
            i += 2
        elif upper == "PREFIX":
            i += 3
        else:
            return upper if upper in QUERY_FORMS else "UNKNOWN"
    return ""


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
