"""``make eval-import``: import every bundled source (and the PDF/Word renderings in
``tests/pipeline/importer/data/``) into a scratch project and compare each draft with the curated
plan. Prints one row per document; ``--json`` for machine-readable output.

    python -m plangraph.pipeline.importer.evalrun [--root DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from plangraph.errors import PlangraphError
from plangraph.pipeline.importer.align import line_map
from plangraph.pipeline.importer.evaluate import Scores, compare
from plangraph.pipeline.importer.run import ImportOptions, import_document
from plangraph.pipeline.loader import load_corpus
from plangraph.pipeline.records import PlanFile
from plangraph.project import Project

RENDERINGS = Path("tests/pipeline/importer/data/renderings")
COLUMNS = [
    "document", "profile", "curated", "drafted", "recall", "precision", "codes", "timeframes",
    "mentions found", "mentions resolved", "seconds", "check",
]  # fmt: skip


def scratch(root: Path, into: Path) -> Project:
    """A project with the real ontology, authority file and sources, and no plans."""
    shutil.copytree(root / "ontology", into / "ontology")
    (into / "graph" / "plans").mkdir(parents=True)
    shutil.copytree(root / "graph" / "sources", into / "graph" / "sources")
    shutil.copy2(root / "graph" / "institutions.yaml", into / "graph" / "institutions.yaml")
    return Project(into)


def evaluate_one(
    project: Project,
    document: Path,
    curated_file: Path,
    name: str,
    plan_id: str,
    layout: str = "auto",
) -> Scores:
    """Import one document into ``project`` and score the draft against ``curated_file``."""
    curated = PlanFile.model_validate(yaml.safe_load(curated_file.read_text(encoding="utf-8")))
    result = import_document(
        project, ImportOptions(document, plan_id=plan_id, layout=layout, force=True)
    )
    written = result.written["plan"]
    draft = PlanFile.model_validate(yaml.safe_load(written.read_text(encoding="utf-8")))
    mapper = None
    if document.suffix != ".txt":
        original = (project.sources_dir / curated.plan.source).read_text(encoding="utf-8")
        mapper = line_map(result.converted.text, original)
    scores = compare(name, draft, curated, mapper, result.draft.proposals)
    scores.seconds = result.seconds
    scores.profile = result.profile
    try:
        load_corpus(project, [written])
        scores.passes_check = True
    except PlangraphError:
        scores.passes_check = False
    return scores


def cold_authority(project: Project, source: str) -> int:
    """Make the project's authority file one that has not seen ``source``: bodies named only
    there are removed (with references to them), and every other body keeps its canonical
    names and acronyms but loses its aliases (spellings collected from the documents).
    Returns how many bodies were removed."""
    data = yaml.safe_load(project.institutions_file.read_text(encoding="utf-8"))
    entries = data["institutions"]
    gone = {e["id"] for e in entries if all(m["source"] == source for m in e.get("mentions", []))}
    kept = []
    for e in entries:
        if e["id"] in gone:
            continue
        e.pop("aliases", None)
        if e.get("parent") in gone:
            e["parent"] = None
        e["members"] = [m for m in e.get("members", []) if m not in gone]
        kept.append(e)
    project.institutions_file.write_text(
        yaml.safe_dump({"institutions": kept}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return len(gone)


def documents(root: Path) -> list[tuple[Path, Path, str]]:
    """(document, curated plan file, name) for each bundled source and rendering."""
    plans = {}
    for plan_file in sorted((root / "graph" / "plans").glob("*.yaml")):
        data = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        plans[data["plan"]["source"]] = plan_file
    out = [(root / "graph" / "sources" / src, pf, src) for src, pf in plans.items()]
    folder = root / RENDERINGS
    if folder.is_dir():
        for rendering in sorted(folder.iterdir()):
            if rendering.suffix in (".pdf", ".docx"):
                source = f"{rendering.stem}.txt"
                if source in plans:
                    out.append((rendering, plans[source], rendering.name))
    return out


UNSEEN = Path("tests/pipeline/importer/data/us-fds-2021")
UNSEEN_PAGES = ["index.md", "agency-actions.md", "community-and-shared-actions.md"]


def unseen(root: Path, into: Path) -> list[Scores]:
    """The English plan whose layout no profile was written for (U.S. Federal Data Strategy
    2021 Action Plan): its three Markdown pages joined, imported with ``auto`` and with the
    profile a person wrote after reading it, scored against its curated plan with its own
    authority file. Empty when the corpus is not there."""
    corpus = root / UNSEEN
    if not corpus.is_dir():
        return []
    project = into / "unseen"
    shutil.copytree(root / "ontology", project / "ontology")
    (project / "graph" / "plans").mkdir(parents=True)
    shutil.copytree(corpus / "graph" / "sources", project / "graph" / "sources")
    shutil.copy2(corpus / "graph" / "institutions.yaml", project / "graph" / "institutions.yaml")
    document = into / "fds-2021-action-plan.md"
    document.write_text(
        "".join((corpus / "originals" / p).read_text(encoding="utf-8") for p in UNSEEN_PAGES),
        encoding="utf-8",
    )
    curated = corpus / "graph" / "plans" / "us-fds-2021-action-plan.yaml"
    out = []
    for layout, label in (("auto", "auto"), (str(corpus / "fds-2021-profile.yaml"), "+person")):
        scores = evaluate_one(
            Project(project), document, curated, f"us-fds-2021.md ({label})", "fds", layout
        )
        out.append(scores)
    return out


def table(rows: list[dict[str, object]]) -> str:
    """Rows as a Markdown table."""

    def fmt(v: object) -> str:
        if v is None:
            return "–"
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(fmt(r[c]) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list curated elements not matched")
    parser.add_argument(
        "--cold-authority",
        action="store_true",
        help="score each bundled source against an authority file that has not seen it",
    )
    args = parser.parse_args(argv)
    root = Project.discover(args.root).root
    rows = []
    with tempfile.TemporaryDirectory(prefix="plangraph-eval-") as tmp:
        if args.cold_authority:
            for i, (document, curated, name) in enumerate(documents(root)):
                if document.suffix != ".txt":
                    continue
                project = scratch(root, Path(tmp) / f"cold-{i}")
                removed = cold_authority(project, document.name)
                scores = evaluate_one(project, document, curated, name, f"cold-{i}")
                rows.append({**scores.as_row(), "bodies removed": removed})
            columns = ["document", "bodies removed", "mentions found", "mentions resolved"]
            print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
            for r in rows:
                print("| " + " | ".join(f"{r[c]}" for c in columns) + " |")
            return 0
        project = scratch(root, Path(tmp))
        for i, (document, curated, name) in enumerate(documents(root)):
            print(f"… {name}", file=sys.stderr)
            scores = evaluate_one(project, document, curated, name, f"eval-{i}")
            rows.append(scores.as_row())
            if args.misses:
                for miss in scores.misses:
                    print(f"   missed {miss}", file=sys.stderr)
        extra = unseen(root, Path(tmp))
        rows += [s.as_row() for s in extra]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(table(rows))
        if extra:
            print(
                "\nThe last rows are an English plan of a layout no bundled profile was written "
                "for; '+person' uses the profile a person added after reading it "
                f"({UNSEEN}/fds-2021-profile.yaml). See docs/import.md."
            )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
