"""Check that a quote stands, verbatim, on the lines it claims (the fidelity rule).

Markup left by the text conversion (``<p>``, ``**``, ``[bookmark: …]``) and whitespace are
normalised away on both sides; then every word of the quote (punctuation at word edges ignored) must
appear in order, in at most ``MAX_PIECES`` contiguous pieces, within the stated lines.
"""

from __future__ import annotations

import re
import unicodedata

MAX_PIECES = 6

_MARKUP = re.compile(
    r"<[^>]*>|\[bookmark:[^\]]*\]|\[footnoteRef:\d+\]|\*\*|\uFFFD"
    r"|\[\^[^\]]*\]"  # markdown footnote marks: [^5]
    r"|\{:[^}]*\}"  # kramdown attributes: {: .usa-button}
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url) reads as its text
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Drop conversion markup, unify Unicode (NFC) and collapse whitespace.

    >>> normalise("<p>Hito 3</p>   [bookmark: OLE_LINK1]Seguimiento\\t y **monitoreo**")
    'Hito 3 Seguimiento y monitoreo'
    >>> normalise("the [Evidence Act](https://e/x) (2019),[^1] see data.gov")
    'the Evidence Act (2019), see data.gov'

    A conversion mark right before a parenthesis is not a link (regression: the words in the
    parentheses were read as its address and dropped):

    >>> normalise("[bookmark: _Toc1](a) Objetivo [**Ley**](https://x)")
    '(a) Objetivo Ley'
    """
    text = unicodedata.normalize("NFC", text)
    text = _MARKUP.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


_EDGE_PUNCT = "\"'.,;:()[]¿?¡!“”‘’«»-–—•·*/"


def _tokens(text: str) -> list[str]:
    """Words of the normalised text with punctuation at their edges stripped."""
    words = (w.strip(_EDGE_PUNCT) for w in normalise(text).split(" "))
    return [w for w in words if w]


def find_pieces(quote: str, haystack: str) -> list[str] | None:
    """Split ``quote`` into the fewest contiguous word runs found in order in ``haystack``.

    Returns the runs, or None when some word cannot be placed.

    >>> find_pieces("a b c", "x a b y c z")
    ['a b', 'c']
    >>> find_pieces("c a", "a b c") is None
    True
    """
    words = _tokens(quote)
    hay = " " + " ".join(_tokens(haystack)) + " "
    pieces: list[str] = []
    pos = 0
    i = 0
    while i < len(words):
        # longest run of words starting at i found at or after pos (whole-word match)
        best_j, best_at = -1, -1
        j = i + 1
        while j <= len(words):
            run = " " + " ".join(words[i:j]) + " "
            at = hay.find(run, pos)
            if at < 0:
                break
            best_j, best_at = j, at
            j += 1
        if best_j < 0:
            return None
        run = " ".join(words[i:best_j])
        pieces.append(run)
        pos = best_at + len(run) + 1
        i = best_j
    return pieces


def quote_matches(quote: str, haystack: str, max_pieces: int = MAX_PIECES) -> bool:
    """True when the quote's words stand in order in the haystack in few enough pieces.

    >>> quote_matches("Capacitar y sensibilizar", "x Capacitar  y\\n sensibilizar y")
    True
    >>> quote_matches("Ministerio de Trabajo", "la PGN y el Ministerio de Trabajo.")
    True
    """
    pieces = find_pieces(quote, haystack)
    return pieces is not None and len(pieces) <= max_pieces
