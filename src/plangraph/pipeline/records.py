"""Typed records for plan files and the institution authority file.

These pydantic models are the schema of ``graph/plans/*.yaml`` and ``graph/institutions.yaml``
(documented in docs/plan-format.md and docs/institutions-format.md). They check the shape of one
file; cross-file checks (institution ids, line ranges against the source) are the loader's job.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class ElementKind(StrEnum):
    """The kinds of plan element; each maps to an OWL class in ontology/plangraph.ttl."""

    AXIS = "axis"
    COMMITMENT = "commitment"
    GENERAL_OBJECTIVE = "general_objective"
    STRATEGIC_OBJECTIVE = "strategic_objective"
    SPECIFIC_OBJECTIVE = "specific_objective"
    OPERATIONAL_OBJECTIVE = "operational_objective"
    OBJECTIVE = "objective"
    STRATEGIC_LINE = "strategic_line"
    RESULT = "result"
    PRODUCT = "product"
    TARGET = "target"
    ACTION = "action"
    MILESTONE = "milestone"
    ACTIVITY = "activity"
    IMMEDIATE_STEP = "immediate_step"
    STRENGTH = "strength"
    WEAKNESS = "weakness"
    OPPORTUNITY = "opportunity"
    THREAT = "threat"
    VISION = "vision"
    MISSION = "mission"
    PROBLEM = "problem"
    CAUSE = "cause"
    SOLUTION = "solution"
    MODIFICATION = "modification"

    @property
    def class_name(self) -> str:
        """The OWL class local name, e.g. ``ImmediateStep``."""
        return "".join(part.capitalize() for part in self.value.split("_"))

    @property
    def segment(self) -> str:
        """The IRI path segment, e.g. ``immediate-step``."""
        return self.value.replace("_", "-")


class Role(StrEnum):
    """Roles an institution plays in an element (concepts of ontology/vocab/roles.ttl)."""

    RESPONSIBLE = "responsible"
    COORDINATING = "coordinating"
    SUPPORTING = "supporting"
    ACCOMPANYING = "accompanying"
    FUNDING = "funding"
    INVOLVED = "involved"
    ISSUER = "issuer"


class Status(StrEnum):
    """Adoption status of a plan."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    UPDATED = "updated"
    UNKNOWN = "unknown"


class InstitutionType(StrEnum):
    """Organisation types (concepts of ontology/vocab/organisation-types.ttl)."""

    MINISTRY = "ministry"
    SECRETARIAT = "secretariat"
    COMMISSION = "commission"
    COUNCIL = "council"
    PUBLIC_AGENCY = "public_agency"
    JUDICIARY = "judiciary"
    LEGISLATURE = "legislature"
    OMBUDSMAN = "ombudsman"
    LOCAL_GOVERNMENT = "local_government"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    FOREIGN_GOVERNMENT = "foreign_government"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    PRIVATE_SECTOR = "private_sector"
    COLLABORATION = "collaboration"
    PROGRAMME = "programme"
    OTHER = "other"


class AgentScope(StrEnum):
    """What a generic agent with a public function stands for (concepts of
    ontology/vocab/agent-scopes.ttl)."""

    MEMBER_STATES = "member-states"
    """The bodies of its function in the member countries of its plan's region."""


def _one_or_many(value: Any) -> Any:
    """A single value or a list, as a list (``function: education`` or ``function: [a, b]``)."""
    return [value] if isinstance(value, str) else value


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def parse_lines(value: Any) -> tuple[tuple[int, int], ...]:
    """Parse a line specification into inclusive 1-based ranges.

    >>> parse_lines(31)
    ((31, 31),)
    >>> parse_lines("49, 56-57")
    ((49, 49), (56, 57))
    """
    if isinstance(value, bool):
        raise ValueError("a line number or range like '31-33' is expected")
    if isinstance(value, int):
        parts = [str(value)]
    elif isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, tuple) and all(isinstance(r, tuple) for r in value):
        return value
    else:
        raise ValueError("a line number or range like '31-33' is expected")
    ranges: list[tuple[int, int]] = []
    for part in parts:
        m = _RANGE.match(part)
        if not m:
            raise ValueError(f"'{part.strip()}' is not a line number or range like '31-33'")
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else start
        if start < 1 or end < start:
            raise ValueError(f"'{part.strip()}' is not a valid range (1-based, start <= end)")
        ranges.append((start, end))
    return tuple(ranges)


Lines = Annotated[tuple[tuple[int, int], ...], BeforeValidator(parse_lines)]
Text = Annotated[str, Field(min_length=1)]


def format_lines(ranges: tuple[tuple[int, int], ...]) -> str:
    """Render ranges back to the file notation.

    >>> format_lines(((49, 49), (56, 57)))
    '49, 56-57'
    """
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


class Record(BaseModel):
    """Base: unknown fields are errors, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Quote(Record):
    """A verbatim passage of the source and the lines it stands on."""

    text: Text
    lines: Lines
    note: str | None = None


class InstitutionRef(Record):
    """An institution named in an element, with its role and the verbatim mention."""

    id: Annotated[str, Field(pattern=SLUG)]
    role: Role
    text: Text
    lines: Lines | None = None
    note: str | None = None


class PlanInstitutionRef(InstitutionRef):
    """A participation the plan states for all its action-level elements (e.g. "the actions of
    this document are a commitment of the Commission"): ``text`` is the statement, verbatim, and
    ``lines`` (required) where it stands. It applies to every action-level element that names
    no participation of its own in that role."""

    lines: Lines


class PlanLink(Record):
    """Where a document says that a plan replaces another, or is replaced by another.

    ``id`` is the other plan's id: a plan of the corpus, or a plan the corpus does not hold, in
    which case ``title`` (the other plan's name as the document prints it, standing at ``lines``)
    is required."""

    id: Annotated[str, Field(pattern=SLUG)]
    title: str | None = None
    text: Text
    lines: Lines
    note: str | None = None


class ScheduleEntry(Record):
    """A per-period timeframe cell, e.g. period '2018', text 'II Semestre'."""

    period: Text
    text: Text
    lines: Lines | None = None


class Tags(Record):
    """Curated tags of an element: they add to the tagger's, and ``not`` removes derived ones
    (``theme/<id>``, ``population/<id>``, ``gcm/<n>``, ``sdg/<goal.target>``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    themes: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    gcm: tuple[int, ...] = ()
    sdg: tuple[str, ...] = ()
    not_: tuple[str, ...] = Field(default=(), alias="not")


class Element(Record):
    """One element of a plan's hierarchy (axis, objective, result, action, ...)."""

    kind: ElementKind
    code: str | None = None
    title: str | None = None
    text: Text
    lines: Lines
    timeframe: str | None = None
    timeframe_lines: Lines | None = None
    start: str | None = None
    start_lines: Lines | None = None
    end: str | None = None
    end_lines: Lines | None = None
    schedule: tuple[ScheduleEntry, ...] = ()
    institutions: tuple[InstitutionRef, ...] = ()
    indicators: tuple[Quote, ...] = ()
    children: tuple[Element, ...] = ()
    tags: Tags | None = None
    note: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Period(Record):
    """A plan's period as ISO year, year-month or date."""

    start: Annotated[str, Field(pattern=_DATE)] | None = None
    end: Annotated[str, Field(pattern=_DATE)] | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("start", "end")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 4:
            try:  # 2017-02-30 and 2017-13 match the pattern but are no dates
                datetime.date.fromisoformat(value if len(value) == 10 else value + "-01")
            except ValueError as exc:
                raise ValueError(f"'{value}' is not a date ({exc})") from None
        return value


class PlanMeta(Record):
    """Plan-level metadata."""

    id: Annotated[str, Field(pattern=SLUG)]
    title: Text
    title_lines: Lines
    source: Text
    issuer: tuple[Annotated[str, Field(pattern=SLUG)], ...] = ()
    issuer_text: str | None = None
    issuer_lines: Lines | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    region: str | None = None
    period: Period | None = None
    period_text: str | None = None
    period_lines: Lines | None = None
    status: Status
    version: str | None = None
    version_lines: Lines | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "es"
    note: str | None = None
    populations: tuple[Quote, ...] = ()
    cites: tuple[Quote, ...] = ()
    institutions: tuple[PlanInstitutionRef, ...] = ()
    timeframe: tuple[Quote, ...] = ()
    """Timing the document states once for all its actions (docs/plan-format.md)."""
    replaces: tuple[PlanLink, ...] = ()
    replaced_by: tuple[PlanLink, ...] = ()


class PlanFile(Record):
    """A whole plan file: metadata and the top-level elements."""

    plan: PlanMeta
    elements: tuple[Element, ...] = Field(min_length=1)


class Mention(Record):
    """Where a document names an institution."""

    source: Text
    lines: Lines


class Institution(Record):
    """One canonical institution of the authority file."""

    id: Annotated[str, Field(pattern=SLUG)]
    name: Text
    name_en: str | None = None
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    type: InstitutionType
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    parent: Annotated[str, Field(pattern=SLUG)] | None = None
    members: tuple[Annotated[str, Field(pattern=SLUG)], ...] = ()
    generic: bool = False
    serves: tuple[Annotated[str, Field(pattern=SLUG)], ...] = ()
    function: Annotated[
        tuple[Annotated[str, Field(pattern=SLUG)], ...], BeforeValidator(_one_or_many)
    ] = ()
    """Public functions (ids of ontology/vocab/public-functions.ttl): a body's portfolio, or the
    one function of the bodies a generic agent names."""
    scope: AgentScope | None = None
    """For a generic agent with a function: which bodies of that function it stands for."""
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] | None = None
    mentions: tuple[Mention, ...] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _function_and_scope(self) -> Institution:
        if self.function and self.type is InstitutionType.PROGRAMME:
            raise ValueError(
                "a programme has no public function (give it to the body that runs it)"
            )
        if self.generic and len(self.function) > 1:
            raise ValueError(
                "a generic agent names the bodies of one function: give it one `function` (one "
                "entry per function, as for 'Ministerios de Desarrollo, Economía y de Trabajo')"
            )
        if self.scope is not None:
            if not self.generic:
                raise ValueError("`scope` is for generic agents (generic: true)")
            if not self.function:
                raise ValueError("`scope` needs the `function` of the bodies the agent stands for")
            if self.scope is AgentScope.MEMBER_STATES and self.country:
                raise ValueError(
                    "a generic agent standing for the bodies of the member states has no `country`"
                )
        return self

    @property
    def is_programme(self) -> bool:
        """A public programme or service (named in plans, never a participant)."""
        return self.type is InstitutionType.PROGRAMME


class InstitutionsFile(Record):
    """The authority file."""

    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "es"
    institutions: tuple[Institution, ...]
