"""Layout profiles: declarative YAML describing a family of plan documents.

A profile names the words that mark each element kind, the table headers of fields, which
numbering scheme means which kind, which section headings hold elements, and a few switches.
The parsers contain no vocabulary of their own; everything a user may need to adapt to a new
layout is here (docs/import.md, "Layout profiles"). Profiles extend ``base`` (the shared
vocabulary) and may extend each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from plangraph.errors import InputError, Problem
from plangraph.pipeline.importer.textdoc import fold
from plangraph.pipeline.records import ElementKind, Role
from plangraph.pipeline.yamlsource import field_name, line_of, load_yaml

FieldName = Literal[
    "timeframe",
    "start",
    "end",
    "indicator",
    "responsible",
    "supporting",
    "involved",
    "accompanying",
    "coordinating",
    "funding",
]
Scheme = Literal["roman", "number", "number.number", "number.number.number", "letter"]
SplitMode = Literal["items", "sentences", "none"]
#: how an element was found: a kind label, a table column, a numbering scheme, a section
#: heading, a list introduced by a line naming its kind
Evidence = Literal["label", "column", "numbering", "section", "list"]
Take = Literal["each", "first", "joined"]

#: fields that name institutions, and the role they give
ROLE_FIELDS: dict[str, Role] = {
    "responsible": Role.RESPONSIBLE,
    "supporting": Role.SUPPORTING,
    "involved": Role.INVOLVED,
    "accompanying": Role.ACCOMPANYING,
    "coordinating": Role.COORDINATING,
    "funding": Role.FUNDING,
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberingRule(_Model):
    """Items numbered with ``scheme`` ("I." roman, "1." number, "1.1" number.number, "a)"
    letter) are elements of ``kind`` when no label or lead-in says otherwise."""

    scheme: Scheme
    kind: ElementKind


class SectionRule(_Model):
    """A heading containing one of ``phrases`` opens a section whose paragraphs and bullets are
    elements of ``kind`` (``null``: a section that holds no elements). ``take``: each paragraph
    an element, only the first, or all of them joined into one."""

    phrases: tuple[str, ...]
    kind: ElementKind | None = None
    take: Take = "each"

    @field_validator("phrases", mode="before")
    @classmethod
    def _fold(cls, value: Any) -> Any:
        return tuple(fold(str(v)) for v in value) if isinstance(value, list) else value


class Profile(_Model):
    """One layout profile (after ``extends`` is resolved)."""

    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    description: str = ""
    extends: str | None = None
    languages: tuple[str, ...] = ("es", "en")
    kinds: dict[ElementKind, tuple[str, ...]] = {}
    fields: dict[FieldName, tuple[str, ...]] = {}
    role_cues: dict[Role, tuple[str, ...]] = {}
    rank: dict[ElementKind, int] = {}
    numbering: tuple[NumberingRule, ...] = ()
    sections: tuple[SectionRule, ...] = ()
    timeframe_patterns: tuple[str, ...] = ()
    subheader_words: tuple[str, ...] = ()
    org_words: tuple[str, ...] = ()
    split: dict[ElementKind, SplitMode] = {}
    text_before: tuple[ElementKind, ...] = ()
    titled: tuple[ElementKind, ...] = ()
    mentions_in_text: Literal["auto", "always", "never"] = "auto"
    parallel_lists: bool = False
    expects: tuple[Evidence, ...] = ()

    @field_validator("timeframe_patterns")
    @classmethod
    def _regexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{pattern}' is not a regular expression: {exc}") from None
        return value

    @cached_property
    def vocab(self) -> Vocabulary:
        """The phrase tables built from this profile."""
        return Vocabulary.of(self)


_MERGE_UNION = ("kinds", "fields", "role_cues")
_MERGE_UPDATE = ("rank", "split")
_MERGE_CONCAT = (
    "numbering",
    "sections",
    "timeframe_patterns",
    "subheader_words",
    "org_words",
    "text_before",
    "titled",
)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        if key in _MERGE_UNION and isinstance(value, dict):
            merged = {k: list(v) for k, v in (parent.get(key) or {}).items()}
            for k, v in value.items():
                merged[k] = [*merged.get(k, []), *(v or [])]
            out[key] = merged
        elif key in _MERGE_UPDATE and isinstance(value, dict):
            out[key] = {**(parent.get(key) or {}), **value}
        elif key in _MERGE_CONCAT and isinstance(value, list):
            out[key] = [*(parent.get(key) or []), *value]
        else:
            out[key] = value
    return out


def bundled_names() -> list[str]:
    """Names of the bundled family profiles (``base`` excluded)."""
    folder = resources.files("plangraph.pipeline.importer") / "profiles"
    names = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")]
    return sorted(n for n in names if n != "base")


def _raw(name_or_path: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Path]:
    """The merged raw mapping of a profile and the file it came from."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or "/" in name_or_path:
        file = path
        if not file.is_file():
            raise InputError([Problem(file, None, "", "layout profile not found")])
    else:
        folder = resources.files("plangraph.pipeline.importer") / "profiles"
        candidate = folder / f"{name_or_path}.yaml"
        if not candidate.is_file():
            known = ", ".join(bundled_names())
            raise InputError(
                [
                    Problem(
                        Path(name_or_path),
                        None,
                        "",
                        f"no layout profile '{name_or_path}' ({known})",
                    )
                ]
            )
        file = Path(str(candidate))
    data, lines = load_yaml(file)
    if not isinstance(data, dict):
        raise InputError([Problem(file, 1, "", "a layout profile is a mapping")])
    parent_name = data.get("extends")
    if parent_name is None and data.get("name") != "base":
        parent_name = "base"
    if parent_name:
        if parent_name in seen:
            where = line_of(lines, ("extends",))
            raise InputError([Problem(file, where, "extends", f"cycle through '{parent_name}'")])
        parent, _ = _raw(str(parent_name), (*seen, str(data.get("name"))))
        data = _merge(parent, data)
    return data, file


def load_profile(name_or_path: str) -> Profile:
    """Load a bundled profile by name, or a profile file by path, resolving ``extends``
    (bundled profiles are read once per process)."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or "/" in name_or_path:
        return _load(name_or_path)
    return _bundled(name_or_path)


@lru_cache(maxsize=32)
def _bundled(name: str) -> Profile:
    return _load(name)


def _load(name_or_path: str) -> Profile:
    data, file = _raw(name_or_path)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        _, lines = load_yaml(file)
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(Problem(file, line_of(lines, loc), field_name(loc), msg))
        raise InputError(problems) from None


Phrase = tuple[str, ...]
_WORD = re.compile(r"[^\W\d_]+|\d+")


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, folded word) of each word of ``text`` (cached: the parsers ask often).

    >>> [w[2] for w in words("Eje1: Acción 1.1, Capacitar")]
    ['eje', '1', 'accion', '1', '1', 'capacitar']
    """
    return tuple((m.start(), m.end(), _fold_word(m.group())) for m in _WORD.finditer(text))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


@dataclass(frozen=True)
class Match:
    """A phrase found at the start of a text: what it means and where the rest begins."""

    value: str
    end: int
    words: int
    phrase: tuple[str, ...] = ()


class PhraseTable:
    """Folded phrases → a value, matched as whole words, longest first."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self._by_first: dict[str, list[tuple[Phrase, str]]] = {}
        for value, phrases in entries.items():
            for phrase in phrases:
                key = tuple(fold(phrase).split())
                if key:
                    self._by_first.setdefault(key[0], []).append((key, str(value)))
        for options in self._by_first.values():
            options.sort(key=lambda o: -len(o[0]))

    def at(self, text: str, start_word: int = 0) -> Match | None:
        """The longest phrase starting at word ``start_word`` of ``text``."""
        ws = words(text)
        if start_word >= len(ws):
            return None
        for phrase, value in self._by_first.get(ws[start_word][2], []):
            n = len(phrase)
            if tuple(w[2] for w in ws[start_word : start_word + n]) == phrase:
                return Match(value, ws[start_word + n - 1][1], n, phrase)
        return None

    def all_at(self, text: str, start_word: int = 0) -> list[Match]:
        """Every value of the longest phrase starting at word ``start_word`` (several values
        may share a phrase)."""
        first = self.at(text, start_word)
        if first is None:
            return []
        ws = words(text)
        options = self._by_first.get(ws[start_word][2], [])
        return [Match(v, first.end, first.words, p) for p, v in options if p == first.phrase]

    def phrases(self, value: str) -> set[Phrase]:
        """Every phrase meaning ``value``."""
        return {p for options in self._by_first.values() for p, v in options if v == value}

    def plural(self, match: Match) -> bool:
        """True when the matched phrase is the plural of another phrase of the same value
        ("objetivos específicos" of "objetivo específico").

        >>> table = PhraseTable({"action": ("acción", "acciones")})
        >>> table.plural(table.at("Acciones:")), table.plural(table.at("Acción 1"))
        (True, False)
        """
        same = self.phrases(match.value)
        singular = tuple(_singular(w, same) for w in match.phrase)
        return singular != match.phrase and singular in same

    def whole(self, text: str) -> str | None:
        """The value when the whole text is one phrase (punctuation ignored)."""
        m = self.at(text)
        return m.value if m and m.words == len(words(text)) else None

    def find(self, text: str) -> list[tuple[int, Match]]:
        """Every phrase in the text, as (word index, match), left to right, not overlapping."""
        out: list[tuple[int, Match]] = []
        i, n = 0, len(words(text))
        while i < n:
            m = self.at(text, i)
            if m:
                out.append((i, m))
                i += m.words
            else:
                i += 1
        return out


def _singular(word: str, known: set[Phrase]) -> str:
    vocabulary = {w for phrase in known for w in phrase}
    for cut in (2, 1):
        if (
            len(word) > cut + 2
            and word[-cut:] in ("es", "s")[2 - cut :]
            and word[:-cut] in vocabulary
        ):
            return word[:-cut]
    return word


@dataclass(frozen=True)
class Vocabulary:
    """The phrase tables of a profile."""

    kinds: PhraseTable
    fields: PhraseTable
    cues: PhraseTable
    sections: PhraseTable
    section_rules: dict[str, SectionRule]
    timeframe: tuple[re.Pattern[str], ...]
    subheaders: frozenset[str]
    org_words: frozenset[str]
    numbering: dict[str, ElementKind]

    @classmethod
    def of(cls, profile: Profile) -> Vocabulary:
        """Build the tables."""
        rules = {f"s{i}": rule for i, rule in enumerate(profile.sections)}
        return cls(
            kinds=PhraseTable({k.value: v for k, v in profile.kinds.items()}),
            fields=PhraseTable({str(k): v for k, v in profile.fields.items()}),
            cues=PhraseTable({r.value: v for r, v in profile.role_cues.items()}),
            sections=PhraseTable({key: rule.phrases for key, rule in rules.items()}),
            section_rules=rules,
            timeframe=tuple(re.compile(p) for p in profile.timeframe_patterns),
            subheaders=frozenset(fold(w) for w in profile.subheader_words),
            org_words=frozenset(fold(w) for w in profile.org_words),
            numbering={rule.scheme: rule.kind for rule in profile.numbering},
        )

    def is_timeframe(self, text: str, max_words: int = 8) -> bool:
        """A short text made of timeframe words ("6 meses", "Corto plazo", "II Semestre")."""
        folded = fold(text)
        if not folded or len(folded.split()) > max_words:
            return False
        return any(p.search(folded) for p in self.timeframe)

    def is_subheader(self, cells: list[str]) -> bool:
        """Every cell is a stakeholder category ("Gobierno", "OSC", "Otros")."""
        parts = [fold(c) for c in cells if fold(c)]
        if not parts:
            return False
        joined = " ".join(parts).split()
        return all(any(w == s or w in s.split() for s in self.subheaders) for w in joined)

    def structural(self, folded: str) -> bool:
        """True when a (folded) line starts with the profile's vocabulary: a kind, a field or
        a section heading (never furniture)."""
        return any(t.at(folded) is not None for t in (self.kinds, self.fields, self.sections))
