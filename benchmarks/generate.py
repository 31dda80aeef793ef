"""Generate a synthetic plangraph project of a given size, for the scale benchmarks.

    python benchmarks/generate.py --size 100 --out /tmp/pg-100     # ~100k triples of plan data
    plangraph --root /tmp/pg-100 build

Each generated plan follows one of the five seed layouts (docs/plan-format.md, graph/plans/):

- ``workshop``: general objective → results → actions (timeframes in months, involved and
  accompanying institutions);
- ``matrix``: general objective → specific objectives → actions → immediate steps (short /
  medium / long term, responsible);
- ``liaison``: general objective → axes → specific objective + strategic lines → results →
  actions ("Continuo", "Por definir", semesters; per-year schedule cells);
- ``congress``: SWOT, vision, mission, strategic objective → operational objectives → products
  and targets → actions → activities;
- ``ogp``: commitments → problem, causes, solution, results, milestones (start/end dates,
  responsible and supporting institutions, expected results) and modifications.

Texts are drawn from the seeds' vocabulary: a word Markov chain per family of kinds, trained on the
seed plans' element texts, so sentences vary and no element is a seed element copied whole.
Institutions come from ``graph/institutions.yaml`` with the roles each layout uses. Every plan has
its own source text, written from its elements, so the loader's fidelity check passes: each quote
stands on the lines it names (some texts are wrapped over two lines or split by a page break,
some lines carry conversion markup, as in the seeds' sources).

``--size S`` asks for about S thousand triples of plan data (the ontology, vocabularies and
institutions add about 9,400 more): S = 1000 gives about a million. The count is estimated while
generating (the same triples the compiler writes) and checked by the benchmark after the build.
Output is deterministic for a seed, and plan i is the same at every size (a size is a prefix of a
larger one).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(os.environ.get("PLANGRAPH_BENCH_TEMPLATE") or Path(__file__).resolve().parents[1])
LAYOUTS = ("workshop", "matrix", "liaison", "congress", "ogp")
PLAN_GRAPHS = "https://w3id.org/plangraph/graph/plan/"

FAMILIES: dict[str, str] = {
    "general_objective": "objective",
    "strategic_objective": "objective",
    "specific_objective": "objective",
    "operational_objective": "objective",
    "objective": "objective",
    "vision": "objective",
    "mission": "objective",
    "axis": "line",
    "strategic_line": "line",
    "commitment": "line",
    "result": "result",
    "product": "result",
    "target": "result",
    "action": "action",
    "activity": "action",
    "immediate_step": "action",
    "milestone": "action",
    "strength": "diagnosis",
    "weakness": "diagnosis",
    "opportunity": "diagnosis",
    "threat": "diagnosis",
    "problem": "narrative",
    "cause": "narrative",
    "solution": "narrative",
    "modification": "narrative",
}

WORKSHOP_TIMEFRAMES = (
    "1 mes",
    "2 meses",
    "3 meses",
    "4 meses",
    "5 meses",
    "6 meses",
    "8 meses",
    "12 meses",
    "18 meses",
    "Campaña permanente",
    "12 meses – actualización permanente",
)
MATRIX_TIMEFRAMES = ("Corto plazo", "Mediano plazo", "Largo plazo")
LIAISON_TIMEFRAMES = (
    "Continuo",
    "Continuo",
    "Por definir",
    "Dos veces al año",
    "Continuo\nDos veces al año",
    "II Semestre\nI Semestre",
    "II Semestre\nContinuo\nI semestre",
    "Continuo\nI Trimestre",
    "II Semestre",
)
SCHEDULE_TEXTS = (
    "I Semestre",
    "II Semestre",
    "Continuo",
    "Por definir",
    "I Trimestre",
    "Dos veces al año",
)
CONGRESS_TIMEFRAMES = ("Año 2010", "Año 2011", "Permanente", "Anual", "Por definir")
MONTHS = (
    "Enero",
    "Febrero",
    "Marzo",
    "Abril",
    "Mayo",
    "Junio",
    "Julio",
    "Agosto",
    "Septiembre",
    "Octubre",
    "Noviembre",
    "Diciembre",
)
POPULATION_MODIFIERS = (
    "en tránsito",
    "retornados",
    "en comunidades de origen",
    "con necesidad de protección internacional",
    "no acompañados o separados",
    "en zonas fronterizas",
    "en condición de vulnerabilidad",
)
CITE_TEMPLATES = (
    "Ley de {x}",
    "Política Nacional de {x}",
    "Plan Nacional de {x}",
    "Acuerdo Gubernativo {n}-{y}",
    "Acuerdo Ministerial {n}-{y}",
    "Decreto {n}-{y}",
    "Protocolo de {x}",
)
CITE_TOPICS = (
    "Migración",
    "Protección Integral de la Niñez y Adolescencia",
    "Datos Abiertos",
    "Seguridad Alimentaria y Nutricional",
    "Empleo Digno",
    "Atención al Migrante",
    "Prevención de la Violencia",
    "Gobierno Digital",
    "Retorno y Reintegración",
)
NOTES = (
    "The cell is read as belonging to this row only.",
    "Generated element; the layout follows the seed plan of the same kind.",
    "The timeframe cell is shared with the row above.",
    "The responsible cell names the body by its acronym.",
    "Numbering restarts here in the document.",
    "The text continues after a page break.",
)
MARKUP = ("<p>{}</p>", "**{}**", "[bookmark: OLE_LINK{n}]{}", "{}", "{}", "{}", "{}", "{}")
_ROMAN_TEXT = (
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII XXIV "
    "XXV XXVI XXVII XXVIII XXIX XXX"
)
ROMAN = [r for r in _ROMAN_TEXT.split(" ") if r]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
TITLES = {
    "workshop": (
        "Trabajo en grupo #{n} - GUATEMALA ELABORACIÓN DE UN PLAN DE ACCIÓN POR PAÍS",
        "Plan de acción por país para la protección de la niñez migrante",
    ),
    "matrix": ("MATRIZ SOBRE (RE)INTEGRACIÓN", "MATRIZ DE ACCIONES PARA EL RETORNO Y LA ACOGIDA"),
    "liaison": (
        "Plan Estratégico para la Red de Funcionarios de Enlace en Materia de Protección de "
        "Niñas, Niños y Adolescentes Migrantes {start}-{end}",
        "Plan de Trabajo Regional de Protección Consular {start}-{end}",
    ),
    "congress": ("PLAN ESTRATEGICO {start}-{end}", "PLAN OPERATIVO DE LA COMISIÓN {start}-{end}"),
    "ogp": (
        "{n}to. Plan de Acción Nacional de Gobierno Abierto {start}-{end}",
        "Plan de Acción de Gobierno Abierto {start}-{end}",
    ),
}
_MARKUP_RE = re.compile(r"<[^>]*>|\[bookmark:[^\]]*\]|\[footnoteRef:\d+\]|\*\*|\uFFFD")


def _clean(text: str) -> str:
    return " ".join(_MARKUP_RE.sub(" ", text).split())


# ---------------------------------------------------------------------------- vocabulary


class TextModel:
    """Word Markov chains (order 2 with order-1 jumps) per family of kinds, from the seeds."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        self.seen: set[str] = set()
        self.order2: dict[str, dict[tuple[str, str], list[str]]] = {}
        self.order1: dict[str, dict[str, list[str]]] = {}
        self.lengths: dict[str, list[int]] = {}
        for family, items in sorted(texts.items()):
            o2: dict[tuple[str, str], list[str]] = defaultdict(list)
            o1: dict[str, list[str]] = defaultdict(list)
            for text in items:
                self.seen.add(text)
                words = ["^", "^", *text.split(), "$"]
                for a, b, c in zip(words, words[1:], words[2:], strict=False):
                    o2[(a, b)].append(c)
                    o1[b].append(c)
            self.order2[family] = dict(o2)
            self.order1[family] = dict(o1)
            self.lengths[family] = sorted(len(t.split()) for t in items)

    def sentence(self, rng: random.Random, family: str, max_words: int | None = None) -> str:
        """A new sentence of the family (never a seed text verbatim)."""
        o2, o1 = self.order2[family], self.order1[family]
        limit = max_words or 2 * rng.choice(self.lengths[family]) + 4
        for _ in range(20):
            out: list[str] = []
            a, b = "^", "^"
            while len(out) < limit:
                nexts = o1.get(b) if (b != "^" and rng.random() < 0.18) else o2.get((a, b))
                if not nexts:
                    nexts = o1.get(b) or ["$"]
                word = rng.choice(nexts)
                if word == "$":
                    break
                out.append(word)
                a, b = b, word
            text = " ".join(out)
            if len(out) >= 2 and text not in self.seen:
                return text
        return text + " " + rng.choice(o1["^"])


@dataclass(frozen=True)
class InstitutionPick:
    """An institution of the authority file and the ways a document may name it."""

    id: str
    names: tuple[str, ...]
    country: str | None
    type: str


@dataclass
class Vocabulary:
    """Everything drawn from the seeds: text model, institutions, populations, citations."""

    model: TextModel
    institutions: list[InstitutionPick]
    populations: list[str]
    cites: list[str]
    titles: list[str]

    def institutions_for(self, country: str | None) -> list[InstitutionPick]:
        """Institutions a plan of this country would name (national ones of the country plus
        regional, international and generic ones)."""
        return [i for i in self.institutions if i.country in (None, country)]


def _walk(elements: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for el in elements:
        yield el
        yield from _walk(el.get("children", []))


def load_vocabulary(root: Path = ROOT) -> Vocabulary:
    """Build the word pools from the seed plans and the authority file of a project."""
    texts: dict[str, list[str]] = defaultdict(list)
    populations: list[str] = []
    cites: list[str] = []
    titles: list[str] = []
    for file in sorted((root / "graph" / "plans").glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        plan = data["plan"]
        titles.append(_clean(plan["title"]))
        populations += [_clean(q["text"]).rstrip(",.") for q in plan.get("populations", [])]
        cites += [_clean(q["text"]) for q in plan.get("cites", [])]
        for el in _walk(data["elements"]):
            texts[FAMILIES[el["kind"]]].append(_clean(el["text"]))
    raw = yaml.load(
        (root / "graph" / "institutions.yaml").read_text(encoding="utf-8"),
        Loader=yaml.CSafeLoader,
    )
    institutions = []
    for inst in raw["institutions"]:
        if inst["type"] == "programme":
            continue  # programmes never take part in plans (the loader refuses them)
        names = (inst["name"], *inst.get("acronyms", []), *inst.get("aliases", []))
        institutions.append(
            InstitutionPick(
                inst["id"], tuple(_clean(n) for n in names), inst.get("country"), inst["type"]
            )
        )
    return Vocabulary(TextModel(dict(texts)), institutions, populations, cites, titles)


# ---------------------------------------------------------------------------- source document


class Document:
    """The source text of one generated plan, written line by line as elements are placed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.page_header = ""

    def blank(self) -> None:
        self.lines.append("")

    def put(self, text: str, prefix: str = "") -> int:
        """Write one line (with a label prefix and, sometimes, conversion markup); its number."""
        self.lines.append(prefix + self._markup(text))
        return len(self.lines)

    def _markup(self, text: str) -> str:
        form = self.rng.choice(MARKUP)
        marked = form.replace("{n}", str(self.rng.randint(1, 400))).replace("{}", text, 1)
        if "[bookmark:" in form and text.startswith("("):
            # '[bookmark: …](…)' reads as a markdown link (the fidelity rule takes its text)
            return text
        return marked

    def text(self, text: str, prefix: str = "") -> str:
        """Write an element's text: one line, two lines, or two pieces split by a page break.
        Returns the line specification for the plan file."""
        words = text.split()
        r = self.rng.random()
        if len(words) >= 16 and r < 0.12:
            cut = self.rng.randint(4, len(words) - 4)
            a = self.put(" ".join(words[:cut]), prefix)
            b = self.put(" ".join(words[cut:]))
            return f"{a}-{b}"
        if len(words) >= 12 and r < 0.16:
            cut = self.rng.randint(3, len(words) - 3)
            a = self.put(" ".join(words[:cut]), prefix)
            self.blank()
            self.lines.append(self.page_header)
            self.blank()
            c = self.put(" ".join(words[cut:]))
            return f"{a}, {c}"
        return str(self.put(text, prefix))

    def multi(self, parts: Sequence[str], prefix: str = "") -> str:
        """Several short cells one per line (a timeframe cell of several entries)."""
        first = self.put(parts[0], prefix)
        for part in parts[1:]:
            self.put(part, "\t")
        last = len(self.lines)
        return str(first) if first == last else f"{first}-{last}"


def lines_value(spec: str) -> int | str:
    """A line specification as the plan files write it (an int for a single line)."""
    return int(spec) if spec.isdigit() else spec


# ---------------------------------------------------------------------------- plan builder


class PlanBuilder:
    """Generates one plan: its elements, its source document and its plan-file data."""

    def __init__(self, vocab: Vocabulary, rng: random.Random, plan_id: str, layout: str) -> None:
        self.v = vocab
        self.rng = rng
        self.id = plan_id
        self.layout = layout
        self.doc = Document(rng)
        self.country: str | None = "GT" if layout != "matrix" and layout != "liaison" else None
        self.pool = vocab.institutions_for(self.country or "GT")

    # -- pieces ----------------------------------------------------------------------------

    def say(self, kind: str, max_words: int | None = None) -> str:
        return self.v.model.sentence(self.rng, FAMILIES[kind], max_words)

    def element(
        self, kind: str, label: str = "", code: str | None = None, max_words: int | None = None
    ) -> dict[str, Any]:
        text = self.say(kind, max_words)
        el: dict[str, Any] = {"kind": kind}
        if code is not None:
            el["code"] = code
        el["text"] = text
        el["lines"] = lines_value(self.doc.text(text, label))
        if self.rng.random() < 0.25:
            el["note"] = self.rng.choice(NOTES)
        return el

    def mention(self, inst: InstitutionPick) -> str:
        names = inst.names
        r = self.rng.random()
        if len(names) > 1 and r < 0.35:
            return self.rng.choice(names[1:])
        return names[0]

    def institutions(
        self, el: dict[str, Any], roles: Sequence[str], label: str = "Responsable: "
    ) -> None:
        """Name institutions on one line of the source, one entry per (institution, role)."""
        if not roles:
            return
        picks = self.rng.sample(self.pool, min(len(roles), len(self.pool)))
        mentions = [self.mention(p) for p in picks]
        line = self.doc.put(", ".join(mentions), label)
        el["institutions"] = [
            {"id": p.id, "role": role, "text": m, "lines": line}
            for p, m, role in zip(picks, mentions, roles, strict=False)
        ]

    def timeframe(self, el: dict[str, Any], text: str, label: str = "\t") -> None:
        el["timeframe"] = text
        el["timeframe_lines"] = lines_value(self.doc.multi(text.split("\n"), label))

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    # -- plan metadata -----------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        rng, doc = self.rng, self.doc
        start = rng.randint(2009, 2024)
        end = start + rng.randint(2, 5)
        title = (
            rng.choice(TITLES[self.layout])
            .replace("{n}", str(rng.randint(1, 9)))
            .replace("{start}", str(start))
            .replace("{end}", str(end))
        )
        doc.page_header = title.upper()[:60]
        doc.put("")
        meta: dict[str, Any] = {"id": self.id, "title": title, "title_lines": doc.put(title)}
        meta["source"] = f"{self.id}.txt"
        issuers = rng.sample(self.pool, rng.randint(1, 3))
        meta["issuer"] = [i.id for i in issuers]
        issuer_text = ", ".join(i.names[0] for i in issuers)
        meta["issuer_text"] = issuer_text
        meta["issuer_lines"] = doc.put(issuer_text)
        if self.country:
            meta["country"] = self.country
        else:
            meta["region"] = "CRM"
        if self.layout != "workshop" and self.layout != "matrix":
            meta["period"] = {"start": str(start), "end": str(end)}
            if self.layout == "ogp":
                meta["period"] = {"start": f"{start}-06-30", "end": f"{end}-06-30"}
            period_text = rng.choice(
                (f"{start}-{end}", f"Temporalidad: ({start}-{end})", f"Periodo {start} - {end}")
            )
            meta["period_text"] = period_text
            meta["period_lines"] = doc.put(period_text)
        meta["status"] = rng.choice(("draft", "adopted", "updated", "unknown"))
        if rng.random() < 0.4:
            version = (
                f"BORRADOR / VERSION {rng.randint(1, 28)} DE {rng.choice(MONTHS).upper()} {start}"
            )
            meta["version"] = version
            meta["version_lines"] = doc.put(version)
        meta["language"] = "es"
        meta["note"] = f"Synthetic plan in the {self.layout} layout, generated for benchmarks."
        doc.blank()
        pops = []
        for _ in range(rng.randint(1, 6)):
            text = rng.choice(self.v.populations)
            if rng.random() < 0.5:
                text = f"{text} {rng.choice(POPULATION_MODIFIERS)}"
            pops.append({"text": text, "lines": doc.put(text + ".", "Población meta: ")})
        meta["populations"] = pops
        cites = []
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.4:
                text = rng.choice(self.v.cites)
            else:
                text = (
                    rng.choice(CITE_TEMPLATES)
                    .replace("{x}", rng.choice(CITE_TOPICS))
                    .replace("{n}", str(rng.randint(1, 400)))
                    .replace("{y}", str(rng.randint(1990, 2024)))
                )
            cites.append({"text": text, "lines": doc.put(text, "En el marco de la ")})
        if cites:
            meta["cites"] = cites
        doc.blank()
        return meta

    # -- layouts -----------------------------------------------------------------------------

    def workshop(self) -> list[dict[str, Any]]:
        goal = self.element("general_objective", "Objetivo del plan de acción: ")
        results = []
        for r in range(1, self.between(2, 5) + 1):
            self.doc.blank()
            res = self.element("result", f"\tResultado {r}: ", str(r))
            actions = []
            for a in range(1, self.between(2, 6) + 1):
                act = self.element("action", f"\tAcción {r}.{a} ", f"{r}.{a}")
                self.timeframe(act, self.rng.choice(WORKSHOP_TIMEFRAMES))
                roles = ["involved"] * self.between(1, 3) + ["accompanying"] * self.between(0, 2)
                self.institutions(act, roles, "\t")
                actions.append(act)
            res["children"] = actions
            results.append(res)
        goal["children"] = results
        return [goal]

    def matrix(self) -> list[dict[str, Any]]:
        goal = self.element("general_objective", "Objetivo General\t")
        objectives = []
        for _ in range(self.between(2, 4)):
            obj = self.element("specific_objective", "\t")
            actions = []
            for _ in range(self.between(3, 8)):
                act = self.element("action", "\t")
                steps = []
                for _ in range(self.between(1, 4)):
                    step = self.element("immediate_step", "\t")
                    self.timeframe(step, self.rng.choice(MATRIX_TIMEFRAMES))
                    if self.rng.random() < 0.3:
                        self.institutions(step, ["responsible"], "\t")
                    steps.append(step)
                act["children"] = steps
                actions.append(act)
            obj["children"] = actions
            objectives.append(obj)
        goal["children"] = objectives
        return [goal]

    def liaison(self, start: int, end: int) -> list[dict[str, Any]]:
        goal = self.element("general_objective", "Objetivo general: ")
        axes = []
        line_no = 0
        years = [str(y) for y in range(start, end + 1)]
        for x in range(1, self.between(4, 6) + 1):
            self.doc.blank()
            axis = self.element("axis", f"Eje{x}: ", str(x))
            children = [self.element("specific_objective", f"{x}. ", str(x))]
            for _ in range(self.between(2, 4)):
                line_no += 1
                code = ROMAN[(line_no - 1) % len(ROMAN)]
                sline = self.element("strategic_line", f"\t{code}. ", code)
                results = []
                for r in range(1, self.between(1, 3) + 1):
                    res = self.element("result", f"\t{r}. ", str(r))
                    actions = []
                    for a in range(1, self.between(1, 5) + 1):
                        act = self.element("action", f"{r}.{a}. ", f"{r}.{a}")
                        if self.rng.random() < 0.7:
                            self.timeframe(act, self.rng.choice(LIAISON_TIMEFRAMES))
                        if self.rng.random() < 0.35:
                            entries = []
                            for year in years[: self.between(2, len(years))]:
                                text = self.rng.choice(SCHEDULE_TEXTS)
                                entries.append(
                                    {
                                        "period": year,
                                        "text": text,
                                        "lines": self.doc.put(text, "\t"),
                                    }
                                )
                            act["schedule"] = entries
                        if self.rng.random() < 0.15:
                            roles = self.rng.choice(
                                (["responsible"], ["involved", "involved"], ["supporting"])
                            )
                            self.institutions(act, roles, "\t")
                        actions.append(act)
                    res["children"] = actions
                    results.append(res)
                sline["children"] = results
                children.append(sline)
            axis["children"] = children
            axes.append(axis)
        goal["children"] = axes
        return [goal]

    def congress(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        self.doc.put("Diagnóstico")
        for kind, label in (
            ("strength", "Fortalezas: "),
            ("weakness", "Debilidades: "),
            ("opportunity", "Oportunidades: "),
            ("threat", "Amenazas: "),
        ):
            for _ in range(self.between(3, 5)):
                out.append(self.element(kind, label, max_words=8))
        out.append(self.element("vision", "VISIÓN: "))
        out.append(self.element("mission", "MISIÓN: "))
        strategic = self.element("strategic_objective", "OBJETIVO ESTRATÉGICO: ")
        operational = []
        for o in range(1, self.between(3, 5) + 1):
            op = self.element("operational_objective", f"{o}. ", f"{o}.")
            children = []
            for _ in range(self.between(1, 3)):
                prod = self.element("product", "PRODUCTO\t")
                sub: list[dict[str, Any]] = []
                if self.rng.random() < 0.3:
                    sub.append(self.element("product", "\t"))
                if self.rng.random() < 0.3:
                    target = self.element("target", "META\t", max_words=4)
                    target["children"] = [self.congress_action()]
                    sub.append(target)
                for _ in range(self.between(0, 2)):
                    sub.append(self.congress_action())
                if sub:
                    prod["children"] = sub
                children.append(prod)
            for _ in range(self.between(0, 2)):
                children.append(self.congress_action())
            op["children"] = children
            operational.append(op)
        strategic["children"] = operational
        out.append(strategic)
        return out

    def congress_action(self) -> dict[str, Any]:
        act = self.element("action", "ACCIÓN\t")
        activities = []
        for _ in range(self.between(2, 5)):
            activity = self.element("activity", "\t")
            if self.rng.random() < 0.6:
                self.institutions(activity, ["involved"] * self.between(1, 3), "\t")
            if self.rng.random() < 0.1:
                self.timeframe(activity, self.rng.choice(CONGRESS_TIMEFRAMES))
            activities.append(activity)
        act["children"] = activities
        return act

    def ogp(self, start: int, end: int) -> list[dict[str, Any]]:
        out = []
        for c in range(1, self.between(4, 8) + 1):
            self.doc.blank()
            com = self.element("commitment", f"Compromiso {c}: ", str(c))
            self.institutions(
                com,
                ["involved"] * self.between(1, 4),
                "Organizaciones de Sociedad Civil y otros actores: ",
            )
            children = [self.element("problem", "¿Cuál es el problema que aborda el compromiso? ")]
            for i in range(self.between(2, 4)):
                children.append(self.element("cause", f"{LETTERS[i]}) ", LETTERS[i]))
            children.append(self.element("solution", "¿Cuál es la solución propuesta? "))
            for i in range(self.between(2, 4)):
                children.append(self.element("result", f"{LETTERS[i]}. ", LETTERS[i]))
            for m in range(1, self.between(3, 5) + 1):
                ms = self.element("milestone", f"{m}\t", str(m))
                self.dates(ms, start, end)
                self.institutions(ms, ["responsible"], "\t")
                supporting: dict[str, Any] = {}
                self.institutions(supporting, ["supporting"] * self.between(4, 14), "\t")
                ms["institutions"] = ms["institutions"] + supporting["institutions"]
                ms["children"] = [
                    self.element("result", f"{LETTERS[i]}. ", LETTERS[i])
                    for i in range(self.between(1, 3))
                ]
                if self.rng.random() < 0.05:
                    text = self.say("result", 30)
                    ms["indicators"] = [{"text": text, "lines": self.doc.put(text, "Indicador: ")}]
                children.append(ms)
            for i in range(self.between(2, 4)):
                children.append(self.element("modification", f"{ROMAN[i]}. ", ROMAN[i]))
            com["children"] = children
            out.append(com)
        return out

    def dates(self, el: dict[str, Any], start: int, end: int) -> None:
        rng = self.rng
        first = rng.choice(
            (f"{rng.choice(MONTHS)} {start}", f"Junio {start}", f"30.6.{start}", f"Julio {start}")
        )
        last = rng.choice(
            (
                f"Junio {end}",
                f"30.6.{end}",
                f"Enero {start + 1} Junio {end}",
                f"{rng.choice(MONTHS)} {end}",
            )
        )
        line = self.doc.put(f"{first}\t{last}", "\t")
        el["start"], el["start_lines"] = first, line
        el["end"], el["end_lines"] = last, line

    def build(self) -> tuple[dict[str, Any], str]:
        meta = self.meta()
        period = meta.get("period") or {"start": "2018", "end": "2022"}
        start, end = int(period["start"][:4]), int(period["end"][:4])
        if self.layout == "workshop":
            elements = self.workshop()
        elif self.layout == "matrix":
            elements = self.matrix()
        elif self.layout == "liaison":
            elements = self.liaison(start, end)
        elif self.layout == "congress":
            elements = self.congress()
        else:
            elements = self.ogp(start, end)
        return {"plan": meta, "elements": elements}, "\n".join(self.doc.lines) + "\n"


# ---------------------------------------------------------------------------- size estimate


def _provenance(lines: Any) -> int:
    return 9 + 4 * len(str(lines).split(","))


def estimate_triples(plan: dict[str, Any]) -> int:
    """The number of triples the compiler writes for a plan file (mirrors the compiler)."""
    meta = plan["plan"]
    n = 6 + _provenance(meta["title_lines"]) + 3 + len(meta.get("issuer", []))
    n += sum(
        1
        for k in ("issuer_text", "country", "region", "period_text", "version", "note")
        if k in meta
    )
    if "period" in meta:
        n += 2 + 2 * 3
    for key in ("populations", "cites"):
        n += sum(3 + _provenance(q["lines"]) for q in meta.get(key, []))
    for el in _walk(plan["elements"]):
        n += 6 + _provenance(el["lines"])
        n += sum(1 for k in ("code", "title", "timeframe", "start", "end", "note") if k in el)
        n += 4 * len(el.get("schedule", []))
        n += sum(3 + _provenance(q["lines"]) for q in el.get("indicators", []))
        n += 6 * len(el.get("institutions", []))
    return n


# ---------------------------------------------------------------------------- project


@dataclass
class Generated:
    """What a generation wrote."""

    root: Path
    plans: int = 0
    elements: int = 0
    estimated_triples: int = 0
    by_layout: dict[str, int] = field(default_factory=dict)


def plan_rng(seed: int, index: int) -> random.Random:
    """The random stream of plan ``index`` (independent of how many plans are generated)."""
    return random.Random(seed * 1_000_003 + index)


def generate(
    out: Path,
    size: int = 10,
    seed: int = 0,
    plans: int | None = None,
    template: Path = ROOT,
) -> Generated:
    """Write a complete project under ``out``: ontology/, queries/, graph/institutions.yaml, the
    seed sources the authority file cites, and the generated plans with their sources.

    ``size`` is in thousands of triples of plan data; ``plans`` (if given) fixes the number of
    plans instead. Layouts rotate (plan i has layout ``LAYOUTS[i % 5]``).
    """
    vocab = load_vocabulary(template)
    for name in ("ontology", "queries"):
        shutil.copytree(template / name, out / name, dirs_exist_ok=True)
    sources = out / "graph" / "sources"
    plans_dir = out / "graph" / "plans"
    plans_dir.mkdir(parents=True, exist_ok=True)
    sources.mkdir(parents=True, exist_ok=True)
    for src in sorted((template / "graph" / "sources").glob("*.txt")):
        shutil.copyfile(src, sources / src.name)
    shutil.copyfile(template / "graph" / "institutions.yaml", out / "graph" / "institutions.yaml")
    result = Generated(out)
    budget = size * 1000
    i = 0
    while (plans is not None and i < plans) or (
        plans is None and result.estimated_triples < budget
    ):
        layout = LAYOUTS[i % len(LAYOUTS)]
        plan_id = f"gen-{layout}-{i:05d}"
        data, text = PlanBuilder(vocab, plan_rng(seed, i), plan_id, layout).build()
        (sources / f"{plan_id}.txt").write_text(text, encoding="utf-8")
        body = yaml.dump(
            data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100_000
        )
        (plans_dir / f"{plan_id}.yaml").write_text(body, encoding="utf-8")
        result.plans += 1
        result.elements += sum(1 for _ in _walk(data["elements"]))
        result.estimated_triples += estimate_triples(data)
        result.by_layout[layout] = result.by_layout.get(layout, 0) + 1
        i += 1
    return result


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: write a generated project."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10, help="thousands of plan triples")
    parser.add_argument("--plans", type=int, default=None, help="exact number of plans instead")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="project directory to write")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    res = generate(args.out, args.size, args.seed, args.plans)
    print(
        f"{res.plans} plans ({', '.join(f'{k} {v}' for k, v in res.by_layout.items())}), "
        f"{res.elements} elements, ~{res.estimated_triples} plan triples in {res.root}"
    )


if __name__ == "__main__":
    main()
