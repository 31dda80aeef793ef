"""SKOS concepts for the frameworks plans are aligned with: GCM objectives and SDG goals/targets.

The reference data lives in ``ontology/vocab/sources/`` (see the README there):

* ``gcm_objectives.tsv`` - the 23 objectives of the Global Compact for Safe, Orderly and Regular
  Migration (A/RES/73/195), read by :func:`gcm_graph`;
* ``sdg/{en,es}/global_goals.yml`` and ``global_targets.yml`` - SDG goal and target titles from
  open-sdg/sdg-translations (MIT licence), read by :func:`sdg_graph`.

Both functions are pure: they read the files, check them, and return a new :class:`rdflib.Graph`
with the same triples on every run (no blank nodes, no clock, no randomness). Malformed input
raises :class:`ReferenceDataError` (a :class:`~plangraph.errors.PlangraphError`, so commands
print it without a traceback) naming the file and the line or key at fault.

Example (run from the repository root)::

    >>> from pathlib import Path
    >>> from rdflib import RDF
    >>> from rdflib.namespace import SKOS
    >>> g = gcm_graph(Path("ontology/vocab/sources/gcm_objectives.tsv"))
    >>> len(set(g.subjects(RDF.type, SKOS.Concept)))
    23
    >>> print(g.value(GCM_NS["objective-14"], SKOS.notation))
    14
    >>> s = sdg_graph(Path("ontology/vocab/sources/sdg"))
    >>> goals = {c for c in s.subjects(RDF.type, SKOS.Concept) if (c, SKOS.broader, None) not in s}
    >>> len(goals), len(set(s.subjects(RDF.type, SKOS.Concept))) - len(goals)
    (17, 169)
    >>> print(s.value(SDG_NS["10.7"], SKOS.broader))
    http://metadata.un.org/sdg/10
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from plangraph.errors import PlangraphError

__all__ = [
    "GCM_NS",
    "GCM_SCHEME",
    "GCM_TSV_COLUMNS",
    "SDG_NS",
    "SDG_SCHEME",
    "gcm_graph",
    "sdg_graph",
]

GCM_SCHEME = URIRef("https://w3id.org/plangraph/vocab/gcm")
"""The concept scheme of the GCM objectives."""
GCM_NS = Namespace("https://w3id.org/plangraph/vocab/gcm/")
"""Namespace of the GCM objective concepts: ``GCM_NS["objective-14"]``."""
SDG_SCHEME = URIRef("https://w3id.org/plangraph/vocab/sdg")
"""The concept scheme of the SDG goals and targets."""
SDG_NS = Namespace("http://metadata.un.org/sdg/")
"""The UN's namespace for goals and targets: ``SDG_NS["10"]``, ``SDG_NS["10.7"]``."""

GCM_RESOLUTION = "A/RES/73/195"
GCM_OBJECTIVES = 23
GCM_TSV_COLUMNS = (
    "number",
    "title_en",
    "short_en",
    "title_es",
    "short_es",
    "paragraph_A_RES_73_195",
)
"""The header the GCM objectives file must have, in this order."""

_FRAMEWORK = "https://w3id.org/plangraph/vocab/framework/"
_SDG_SOURCE = URIRef("https://github.com/open-sdg/sdg-translations")
_MIT = URIRef("https://opensource.org/licenses/MIT")
_LANGS = ("en", "es")
_GCM_EN = "Global Compact for Safe, Orderly and Regular Migration"
_GCM_ES = "Pacto Mundial para la Migración Segura, Ordenada y Regular"
_NO_SPANISH_TITLE = (
    "No verified official Spanish title in the reference data: the Spanish prefLabel is the "
    "short Spanish label."
)
_SDG_CREDIT = (
    "Goal and target titles in English and Spanish from open-sdg/sdg-translations (MIT License, "
    "copyright (c) 2019 Open SDG). The concept IRIs are the UN's (http://metadata.un.org/sdg/); "
    "the goals and targets are those of A/RES/70/1."
)
_GOAL_KEY = re.compile(r"^(?P<goal>[1-9][0-9]?)-(?P<field>title|short)$")
_TARGET_KEY = re.compile(r"^(?P<goal>[1-9][0-9]?)-(?P<target>[1-9][0-9]?|[a-z])-title$")


class ReferenceDataError(PlangraphError, ValueError):
    """Broken framework reference data (GCM table, SDG titles): file, line and what is wrong."""


def _en(text: str) -> Literal:
    """An English-tagged literal."""
    return Literal(text, lang="en")


def _es(text: str) -> Literal:
    """A Spanish-tagged literal."""
    return Literal(text, lang="es")


# ---------------------------------------------------------------------------------------- GCM


def _gcm_rows(tsv_path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for the data rows of the GCM file, after checking the header.

    Blank lines are skipped; surrounding whitespace of each field is dropped.
    """
    try:
        text = tsv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{tsv_path}: cannot read: {exc}") from exc
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if not lines:
        raise ReferenceDataError(f"{tsv_path}:1: empty file, expected a header {GCM_TSV_COLUMNS}")
    header = tuple(field.strip() for field in lines[0].split("\t"))
    if header != GCM_TSV_COLUMNS:
        raise ReferenceDataError(
            f"{tsv_path}:1: header is {header}, "
            f"expected the tab-separated columns {GCM_TSV_COLUMNS}"
        )
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) != len(GCM_TSV_COLUMNS):
            raise ReferenceDataError(
                f"{tsv_path}:{number}: {len(fields)} tab-separated fields, "
                f"expected {len(GCM_TSV_COLUMNS)}"
            )
        yield number, fields


def _positive_int(value: str, tsv_path: Path, line: int, column: str) -> int:
    """Parse a positive integer field, or raise naming file, line and column."""
    if re.fullmatch(r"[0-9]+", value) is None or int(value) < 1:
        raise ReferenceDataError(
            f"{tsv_path}:{line}: {column}: {value!r} is not a positive integer"
        )
    return int(value)


def gcm_graph(tsv_path: Path) -> Graph:
    """Build the SKOS scheme of the 23 GCM objectives from ``gcm_objectives.tsv``.

    Each objective ``n`` becomes ``https://w3id.org/plangraph/vocab/gcm/objective-n`` with
    ``skos:notation "n"``, the official English title as ``skos:prefLabel@en``, the official
    Spanish title as ``skos:prefLabel@es`` (or, where the file has none, the short Spanish label,
    with a ``skos:editorialNote`` saying so), the short labels as ``skos:altLabel`` and
    ``dct:source "A/RES/73/195, paragraph N"``.

    Raises:
        ValueError: the file is unreadable or malformed (bad header, wrong number of fields,
            bad or duplicate number, empty required field, objectives missing); the message
            names the file and line.
    """
    objectives: dict[int, tuple[int, list[str]]] = {}
    for line, fields in _gcm_rows(tsv_path):
        number_text, title_en, short_en, _title_es, short_es, paragraph_text = fields
        number = _positive_int(number_text, tsv_path, line, "number")
        _positive_int(paragraph_text, tsv_path, line, GCM_TSV_COLUMNS[5])
        if number > GCM_OBJECTIVES:
            raise ReferenceDataError(
                f"{tsv_path}:{line}: number: {number} is not a GCM objective "
                f"(1 to {GCM_OBJECTIVES})"
            )
        if number in objectives:
            raise ReferenceDataError(
                f"{tsv_path}:{line}: number: objective {number} already given on line "
                f"{objectives[number][0]}"
            )
        for column, value in (
            ("title_en", title_en),
            ("short_en", short_en),
            ("short_es", short_es),
        ):
            if not value:
                raise ReferenceDataError(f"{tsv_path}:{line}: {column}: empty")
        objectives[number] = (line, fields)
    missing = sorted(set(range(1, GCM_OBJECTIVES + 1)) - set(objectives))
    if missing:
        raise ReferenceDataError(f"{tsv_path}: objectives missing: {', '.join(map(str, missing))}")

    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("gcm", GCM_NS)
    scheme = GCM_SCHEME
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, _en("GCM objectives")))
    g.add((scheme, SKOS.prefLabel, _es("Objetivos del Pacto Mundial para la Migración")))
    g.add((scheme, DCTERMS.title, _en(f"{_GCM_EN}: objectives")))
    g.add((scheme, DCTERMS.title, _es(f"{_GCM_ES}: objetivos")))
    g.add((scheme, DCTERMS.source, Literal(GCM_RESOLUTION)))
    g.add((scheme, RDFS.seeAlso, URIRef(_FRAMEWORK + "gcm")))
    for number in sorted(objectives):
        _line, fields = objectives[number]
        _n, title_en, short_en, title_es, short_es, paragraph = fields
        concept = GCM_NS[f"objective-{number}"]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, concept))
        g.add((concept, SKOS.notation, Literal(str(number))))
        g.add((concept, SKOS.prefLabel, _en(title_en)))
        g.add((concept, SKOS.altLabel, _en(short_en)))
        if title_es:
            g.add((concept, SKOS.prefLabel, _es(title_es)))
            g.add((concept, SKOS.altLabel, _es(short_es)))
        else:
            g.add((concept, SKOS.prefLabel, _es(short_es)))
            g.add((concept, SKOS.editorialNote, _en(_NO_SPANISH_TITLE)))
        g.add(
            (
                concept,
                SKOS.definition,
                _en(
                    f"Objective {number} of the {_GCM_EN} ({GCM_RESOLUTION}); its commitments "
                    f"and actions are set out in paragraph {paragraph}."
                ),
            )
        )
        g.add(
            (
                concept,
                SKOS.definition,
                _es(
                    f"Objetivo {number} del {_GCM_ES} ({GCM_RESOLUTION}); sus compromisos y "
                    f"acciones figuran en el párrafo {paragraph}."
                ),
            )
        )
        g.add((concept, DCTERMS.source, Literal(f"{GCM_RESOLUTION}, paragraph {paragraph}")))
    return g


# ---------------------------------------------------------------------------------------- SDG


def _yaml_entries(path: Path) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line, key, text)`` for each entry of a flat YAML mapping of strings.

    The YAML is composed, not loaded, so that line numbers survive and duplicate keys are caught.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else f"{path}"
        raise ReferenceDataError(f"{where}: not valid YAML: {exc}") from exc
    if root is None:
        raise ReferenceDataError(f"{path}: empty file, expected a mapping of keys to titles")
    if not isinstance(root, yaml.MappingNode):
        raise ReferenceDataError(
            f"{path}:{root.start_mark.line + 1}: expected a mapping of keys to titles"
        )
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise ReferenceDataError(f"{path}:{line}: a key must be a plain string")
        key = str(key_node.value)
        if key in seen:
            raise ReferenceDataError(
                f"{path}:{line}: key {key!r} already given on line {seen[key]}"
            )
        seen[key] = line
        if not isinstance(value_node, yaml.ScalarNode):
            raise ReferenceDataError(f"{path}:{line}: key {key!r}: the value must be a string")
        value = " ".join(str(value_node.value).split())
        if not value:
            raise ReferenceDataError(f"{path}:{line}: key {key!r}: empty value")
        yield line, key, value


def _read_goals(path: Path) -> dict[int, dict[str, tuple[int, str]]]:
    """Goal number -> field ('title' / 'short') -> (line, text), from a global_goals.yml."""
    goals: dict[int, dict[str, tuple[int, str]]] = {}
    for line, key, value in _yaml_entries(path):
        m = _GOAL_KEY.match(key)
        if m is None:
            raise ReferenceDataError(
                f"{path}:{line}: unexpected key {key!r} (expected '<goal>-title' or "
                f"'<goal>-short', e.g. '10-title')"
            )
        goals.setdefault(int(m["goal"]), {})[m["field"]] = (line, value)
    for goal, fields in goals.items():
        if "title" not in fields:
            first = min(entry_line for entry_line, _ in fields.values())
            raise ReferenceDataError(f"{path}:{first}: goal {goal} has no key '{goal}-title'")
    return goals


def _read_targets(path: Path) -> dict[str, tuple[int, int, str]]:
    """Target code ('10.7', '1.a') -> (goal, line, title), from a global_targets.yml."""
    targets: dict[str, tuple[int, int, str]] = {}
    for line, key, value in _yaml_entries(path):
        m = _TARGET_KEY.match(key)
        if m is None:
            raise ReferenceDataError(
                f"{path}:{line}: unexpected key {key!r} (expected '<goal>-<target>-title', "
                f"e.g. '10-7-title' or '1-a-title')"
            )
        targets[f"{m['goal']}.{m['target']}"] = (int(m["goal"]), line, value)
    return targets


def _target_sort_key(code: str) -> tuple[int, int, int | str]:
    """Order targets as the UN does: numbered targets before lettered ones within a goal."""
    goal, target = code.split(".")
    return (int(goal), 0, int(target)) if target.isdigit() else (int(goal), 1, target)


def sdg_graph(sdg_dir: Path) -> Graph:
    """Build the SKOS scheme of the 17 SDGs and their targets from open-sdg/sdg-translations files.

    Reads ``{en,es}/global_goals.yml`` (keys ``10-title``, ``10-short``) and
    ``{en,es}/global_targets.yml`` (keys ``10-7-title``, ``1-a-title``) under ``sdg_dir``.
    Goals and targets keep the UN's IRIs (``http://metadata.un.org/sdg/10``,
    ``http://metadata.un.org/sdg/10.7``) and get ``skos:notation`` ("10", "10.7"),
    ``skos:prefLabel`` in English and Spanish (a goal's short title where there is one, else its
    full title; a target's full title), the full title as ``skos:definition``, and
    ``skos:broader``/``skos:narrower`` between target and goal.

    Raises:
        ValueError: a file is missing, unreadable or malformed, a goal or target lacks its
            English or Spanish title, or a target's goal is unknown; the message names the file
            and the line or key.
    """
    goals: dict[str, dict[int, dict[str, tuple[int, str]]]] = {}
    targets: dict[str, dict[str, tuple[int, int, str]]] = {}
    for lang in _LANGS:
        goals[lang] = _read_goals(sdg_dir / lang / "global_goals.yml")
        targets[lang] = _read_targets(sdg_dir / lang / "global_targets.yml")

    # Every goal and target needs both languages; every target needs its goal.
    for lang, other in (("en", "es"), ("es", "en")):
        missing_goals = sorted(set(goals[other]) - set(goals[lang]))
        if missing_goals:
            goal = missing_goals[0]
            raise ReferenceDataError(
                f"{sdg_dir / lang / 'global_goals.yml'}: key '{goal}-title' missing "
                f"(goal {goal} is in {other}/global_goals.yml)"
            )
        missing_targets = sorted(set(targets[other]) - set(targets[lang]), key=_target_sort_key)
        if missing_targets:
            code = missing_targets[0]
            raise ReferenceDataError(
                f"{sdg_dir / lang / 'global_targets.yml'}: key "
                f"'{code.replace('.', '-')}-title' missing (target {code} is in "
                f"{other}/global_targets.yml)"
            )
        for code, (goal, line, _title) in targets[lang].items():
            if goal not in goals[lang]:
                raise ReferenceDataError(
                    f"{sdg_dir / lang / 'global_targets.yml'}:{line}: target {code}: goal {goal} "
                    f"is not in {lang}/global_goals.yml"
                )

    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("sdg", SDG_NS)
    scheme = SDG_SCHEME
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, _en("Sustainable Development Goals and targets")))
    g.add((scheme, SKOS.prefLabel, _es("Objetivos y metas de Desarrollo Sostenible")))
    g.add(
        (scheme, DCTERMS.title, _en("2030 Agenda for Sustainable Development: goals and targets"))
    )
    g.add(
        (scheme, DCTERMS.title, _es("Agenda 2030 para el Desarrollo Sostenible: objetivos y metas"))
    )
    g.add((scheme, DCTERMS.source, _SDG_SOURCE))
    g.add((scheme, DCTERMS.license, _MIT))
    g.add((scheme, DCTERMS.rights, Literal("Copyright (c) 2019 Open SDG (MIT License)")))
    g.add((scheme, RDFS.comment, _en(_SDG_CREDIT)))
    g.add((scheme, RDFS.seeAlso, URIRef(_FRAMEWORK + "agenda-2030")))

    for goal in sorted(goals["en"]):
        concept = SDG_NS[str(goal)]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, concept))
        g.add((concept, SKOS.notation, Literal(str(goal))))
        for lang in _LANGS:
            fields = goals[lang][goal]
            title = fields["title"][1]
            label = fields["short"][1] if "short" in fields else title
            g.add((concept, SKOS.prefLabel, Literal(label, lang=lang)))
            g.add((concept, SKOS.definition, Literal(title, lang=lang)))
        g.add((concept, SKOS.altLabel, _en(f"SDG {goal}")))
        g.add((concept, SKOS.altLabel, _es(f"ODS {goal}")))

    for code in sorted(targets["en"], key=_target_sort_key):
        goal = targets["en"][code][0]
        concept = SDG_NS[code]
        parent = SDG_NS[str(goal)]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.notation, Literal(code)))
        g.add((concept, SKOS.broader, parent))
        g.add((parent, SKOS.narrower, concept))
        for lang in _LANGS:
            title = targets[lang][code][2]
            g.add((concept, SKOS.prefLabel, Literal(title, lang=lang)))
            g.add((concept, SKOS.definition, Literal(title, lang=lang)))
        g.add((concept, SKOS.altLabel, _en(f"SDG target {code}")))
        g.add((concept, SKOS.altLabel, _es(f"meta {code} de los ODS")))
    return g
