"""Words of plan text for matching, shared by the tagger and the similarity search: accent and
case folding, lemmas (simplemma, Spanish and English), stop words, acronyms kept as printed, and
the spans that are names.

A :class:`Token` keeps where it stands in the text (so evidence quotes the plan's own words) and
a ``key`` to compare on: the folded lemma of an ordinary word ("funcionarias" → "funcionario"),
or the word exactly as printed for an acronym ("CoST", "CRM"), so an acronym never matches an
ordinary word ("Costa" is not "CoST") and is never lemmatised or stemmed. Its ``stem`` (Snowball,
of the lemma) joins a verb and its noun ("capacitar", "capacitación" → "capacit").

>>> [t.key for t in tokenize("Capacitar a funcionarias consulares de la CRM", "es")]
['capacitar', 'a', 'funcionario', 'consular', 'de', 'el', 'CRM']
>>> [t.key for t in tokenize("Costa Rica", "es")], [t.key for t in tokenize("CoST", "es")]
(['costa', 'rico'], ['CoST'])
>>> [t.key for t in tokenize("Agencies publish data inventories", "en")]
['agency', 'publish', 'data', 'inventory']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

LANGUAGES = ("es", "en")
"""Languages plangraph lemmatises; text in any other language is folded but not lemmatised."""

_STOP = {
    "es": """
    a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquellos
    aqui asi aun cada como con contra cual cuales cuando cuya cuyas cuyo cuyos de del desde
    donde dos durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta
    estan estar estas este esto estos fue fueron ha han hasta hay la las le les lo los mas me
    mediante mi mis mismo misma mismos mismas muy ni no nos nuestra nuestras nuestro nuestros o
    os otra otras otro otros para pero poco por porque que quien quienes se sea sean segun ser
    si sin sino sobre solo son su sus tal tambien tan tanto te tiene tienen toda todas todo
    todos tras tu tus u un una unas uno unos usted ya y etc ello mientras cuanto incluido
    incluidos incluida incluidas
    """,
    "en": """
    a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing down during each either etc few for from
    further had has have having he her here hers him his how i if in into is it its itself
    may might more most must my no nor not of off on once only or other our ours out over own
    per same shall she should so some such than that the their theirs them then there these
    they this those through to too under until up upon us very via was we were what when where
    whether which while who whom whose why will with within without would you your
    """,
}
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(t.split()) for lang, t in _STOP.items()}
"""Function words per language, folded (no accents, lowercase)."""

# Words that head the name of a body, programme, place or document when they begin a run of
# capitalised words ("Comisión de Migrantes", "Centro de Documentación", "Programa Mano a Mano").
NAME_HEADS = frozenset(
    """
    comision comite consejo centro centros direccion ministerio secretaria programa programas
    oficina instituto mesa red unidad procuraduria defensoria departamento sistema registro
    coordinadora conferencia congreso organizacion organismo fondo agencia fiscalia
    observatorio plataforma alianza asociacion fundacion universidad tribunal corte gobierno
    municipalidad superintendencia viceministerio gabinete junta foro grupo estrategia politica
    ley plan
    committee commission council office department agency center centre program programme
    network bureau institute ministry secretariat administration service board foundation
    university court fund group alliance association platform observatory act order
    """.split()
)
_CONNECTORS = frozenset("de del la las los el y e para en a of the and for on to".split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """One word of a text: where it stands, and the key it is compared on."""

    text: str
    start: int
    end: int
    key: str
    acronym: bool = False
    stem: str = ""

    @property
    def capitalised(self) -> bool:
        """Begins with a capital letter (a name, an acronym, or the start of a sentence)."""
        return self.text[:1].isupper()


def fold(text: str) -> str:
    """Accents stripped (NFKD, combining marks dropped) and case folded.

    >>> fold("Protección CONSULAR de Niñas")
    'proteccion consular de ninas'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The folded lemma of a lowercase word (simplemma's dictionary for es/en; the folded word
    itself for other languages and unknown words).

    >>> lemma("capacitaciones", "es"), lemma("milestones", "en")
    ('capacitacion', 'milestone')
    """
    if language in LANGUAGES and not word.isdigit():
        import simplemma  # its dictionaries load on first use, not at import

        return fold(simplemma.lemmatize(word, lang=language))
    return fold(word)


# Spanish derivational endings (on folded lemmas), longest first: a verb and the nouns made from
# it share what is left ("capacitar", "capacitacion" -> "capacit"; "fortalecer",
# "fortalecimiento" -> "fortalec"; "mapear", "mapeo" -> "mape"). Only stripped when at least
# five letters remain, so short words keep their meaning ("comun" is not "comunidad").
_ES_ENDINGS = (
    "amiento",
    "imiento",
    "aciones",
    "iciones",
    "acion",
    "icion",
    "cion",
    "sion",
    "ar",
    "er",
    "ir",
    "o",
)


@lru_cache(maxsize=200_000)
def stem(key: str, language: str) -> str:
    """The stem a word is compared on when labels may match across derivations: Spanish by
    :data:`_ES_ENDINGS`, English by the Snowball stemmer, other languages the key itself.

    >>> stem("capacitacion", "es") == stem("capacitar", "es")
    True
    >>> stem("comunicacion", "es") == stem("comunidad", "es"), stem("inventory", "en")
    (False, 'inventori')
    """
    if key.isdigit():
        return key
    if language == "es":
        for ending in _ES_ENDINGS:
            if key.endswith(ending) and len(key) - len(ending) >= 5:
                return key[: -len(ending)]
        return key
    stemmer = _stemmer(language)
    return stemmer.stemWord(key) if stemmer is not None else key


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    if language != "en":
        return None
    import snowballstemmer  # small, but only the tagger and similarity need it

    return snowballstemmer.stemmer("english")


def _is_acronym(word: str) -> bool:
    upper = sum(1 for c in word if c.isupper())
    return upper >= 2 and (word.isupper() or not word[1:].islower())


def tokenize(text: str, language: str) -> list[Token]:
    """The words of ``text`` with their positions and keys. Acronyms keep their printed form,
    except inside a run of three or more all-capital words (a heading in capitals), which is
    read as ordinary words."""
    matches = list(_WORD.finditer(text))
    # capitalised words among the first i (a prefix sum: how many of the five around a word)
    before = [0]
    for m in matches:
        word = m.group()
        before.append(before[-1] + (word.isupper() and len(word) > 1))
    n = len(matches)
    out = []
    for i, m in enumerate(matches):
        word = m.group()
        run = before[min(n, i + 3)] - before[max(0, i - 2)]
        if _is_acronym(word) and run < 3:
            out.append(Token(word, m.start(), m.end(), word, acronym=True, stem=word))
        else:
            key = lemma(word.lower(), language)
            out.append(Token(word, m.start(), m.end(), key, stem=stem(key, language)))
    return out


def content_keys(text: str, language: str) -> list[str]:
    """The keys of the content words of a text (stop words and one-letter words dropped).

    >>> content_keys("Contar con las redes de expertos consulares", "es")
    ['contar', 'red', 'experto', 'consular']
    """
    stop = STOP_WORDS.get(language, frozenset())
    return [t.key for t in tokenize(text, language) if len(t.key) > 1 and t.key not in stop]


def name_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges [i, j) that are names of bodies, programmes or documents: a capitalised
    word from :data:`NAME_HEADS`, not the first word of the text, followed by capitalised words
    or acronyms (connectors such as "de", "of the" allowed between them), at least two words.

    >>> toks = tokenize("Apoyar al Centro de Documentación y a la Comisión de Migrantes", "es")
    >>> [" ".join(t.text for t in toks[i:j]) for i, j in name_spans(toks)]
    ['Centro de Documentación', 'Comisión de Migrantes']
    >>> name_spans(tokenize("Protección Consular de la niñez", "es"))
    []
    """
    spans = []
    i = 1
    while i < len(tokens):
        head = tokens[i]
        if not (head.capitalised and fold(head.text) in NAME_HEADS):
            i += 1
            continue
        j = i + 1
        last = i
        while j < len(tokens):
            tok = tokens[j]
            if tok.capitalised:
                if j > last + 1 and fold(tok.text) in NAME_HEADS:
                    break  # "… y a la Comisión …": another name begins
                last = j
            elif fold(tok.text) not in _CONNECTORS:
                break
            j += 1
        if last > i:
            spans.append((i, last + 1))
        i = max(
            last + 1, j if j > last + 1 and j < len(tokens) and tokens[j].capitalised else last + 1
        )
    return spans
