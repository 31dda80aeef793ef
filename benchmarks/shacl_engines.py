"""Evaluate a SHACL engine against pySHACL (the reference) before adopting it.

    .venv/bin/pip install pyrudof                 # not a dependency of plangraph
    .venv/bin/python benchmarks/shacl_engines.py [--graph build/plangraph.nt] [--json OUT]

Three checks, each engine against the same expectations:

1. the W3C SHACL core test suite (``sht_tests/core`` as pySHACL's source distribution ships it,
   fetched with ``pip download``): conforms, number of results, and the (focus node,
   constraint component) of each result against the suite's expected report;
2. plangraph's fixtures: ``tests/data/valid/plan.ttl`` must conform, and each
   ``tests/data/invalid/*.ru`` (a SPARQL Update breaking one shape) must give the same
   (focus, source shape) results as pySHACL;
3. time on a built graph (``--graph``, the union N-Triples of a build).

Engines: pySHACL (``inference="none"``, the ontology as ``ont_graph``) and pyrudof's native
engine (data and ontology merged: SHACL reads rdfs:subClassOf from the data graph).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, Namespace
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Outcome = tuple[bool, Counter[tuple[str, str]]]
"""conforms, and the multiset of (focus node, constraint component or shape) of the results."""


def _term(term: Any) -> str:
    if isinstance(term, BNode) or term is None:
        return "_"
    return str(term)


def fetch_w3c_core(into: Path) -> Path:
    """The W3C core tests from pySHACL's source distribution (pip download)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"pyshacl=={version('pyshacl')}",
            "-d",
            str(into),
        ],
        check=True,
        capture_output=True,
    )
    archive = next(into.glob("pyshacl-*.tar.gz"))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/test/resources/sht_tests/core/" in m.name]
        tar.extractall(into, members=members, filter="data")
    return next(into.glob("pyshacl-*/test/resources/sht_tests/core"))


def expected(test: Graph) -> Outcome | None:
    """The expected report of a W3C test file (None: the test expects a failure)."""
    for result in test.objects(None, MF.result):
        if result == SHT.Failure:
            return None
        conforms = bool(test.value(result, SH.conforms, default=Literal(True)).toPython())
        found: Counter[tuple[str, str]] = Counter()
        for r in test.objects(result, SH.result):
            found[
                (
                    _term(test.value(r, SH.focusNode)),
                    _term(test.value(r, SH.sourceConstraintComponent)),
                )
            ] += 1
        return conforms, found
    return None


def run_pyshacl(data: Path, shapes: Path, ontology: Path | None = None) -> tuple[Outcome, Graph]:
    from pyshacl import validate

    data_graph = Graph().parse(data)
    ont = Graph().parse(ontology) if ontology else None
    conforms, results, _text = validate(
        data_graph,
        shacl_graph=Graph().parse(shapes),
        ont_graph=ont,
        inference="none",
        allow_warnings=True,
    )
    found: Counter[tuple[str, str]] = Counter()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in results:
            continue
        found[
            (
                _term(results.value(r, SH.focusNode)),
                _term(results.value(r, SH.sourceConstraintComponent)),
            )
        ] += 1
    return (bool(conforms), found), results


def run_pyrudof(data: Path, shapes: Path, ontology: Path | None = None) -> Outcome:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    fmt = pyrudof.RDFFormat.NTriples if data.suffix == ".nt" else pyrudof.RDFFormat.Turtle
    rudof.read_data(str(data), format=fmt)
    if ontology is not None:
        rudof.read_data(str(ontology), format=pyrudof.RDFFormat.Turtle, merge=True)
    rudof.read_shacl(str(shapes))
    report = rudof.validate_shacl()
    found: Counter[tuple[str, str]] = Counter()
    for entry in report.violations:
        focus = str(entry.focus_node)
        component = str(entry.constraint_component)
        found[(_iri(focus), _iri(component, SH))] += 1
    return bool(report.conforms), found


def _iri(text: str, namespace: Namespace | None = None) -> str:
    """pyrudof prints IRIs as <…>, prefixed names (sh:ClassConstraintComponent) or _:b."""
    text = text.strip()
    if text.startswith("_:"):
        return "_"
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if namespace is not None and text.startswith("sh:"):
        return str(namespace) + text[3:]
    if namespace is not None and "#" not in text and ":" not in text:
        return str(namespace) + text
    return text


def w3c(core: Path, engines: dict[str, Callable[[Path, Path], Outcome]]) -> dict[str, Any]:
    """Run every test of the suite with every engine; count agreements with the expectation."""
    tally: dict[str, Any] = {name: {"pass": 0, "fail": [], "error": []} for name in engines}
    tests = 0
    for file in sorted(core.rglob("*.ttl")):
        if file.name == "manifest.ttl":
            continue
        try:
            test = Graph().parse(file)
        except Exception:  # a test file rdflib cannot read counts for no engine
            continue
        want = expected(test)
        if want is None:
            continue
        tests += 1
        name = str(file.relative_to(core))
        for engine, run in engines.items():
            try:
                got = run(file, file)
            except Exception as exc:
                tally[engine]["error"].append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            if (
                got[0] == want[0]
                and sum(got[1].values()) == sum(want[1].values())
                and got[1] == want[1]
            ):
                tally[engine]["pass"] += 1
            else:
                tally[engine]["fail"].append(name)
    return {"tests": tests, **tally}


def fixtures() -> dict[str, Any]:
    """plangraph's valid fixture and each invalid fixture: pyrudof's (focus, component) results
    against pySHACL's."""
    shapes = ROOT / "ontology" / "shapes" / "plangraph-shapes.ttl"
    ontology = ROOT / "ontology" / "plangraph.ttl"
    valid = Graph().parse(ROOT / "tests" / "data" / "valid" / "plan.ttl")
    out: dict[str, Any] = {"fixtures": 0, "same": 0, "same_results": 0, "differ": [], "error": []}
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ("valid", None),
            *((f.stem, f) for f in sorted((ROOT / "tests" / "data" / "invalid").glob("*.ru"))),
        ]
        for name, update in cases:
            graph = Graph()
            graph += valid
            if update is not None:
                graph.update(update.read_text(encoding="utf-8"))
            path = Path(tmp) / f"{name}.ttl"
            graph.serialize(path, format="turtle")
            out["fixtures"] += 1
            reference, _ = run_pyshacl(path, shapes, ontology)
            try:
                other = run_pyrudof(path, shapes, ontology)
            except Exception as exc:
                out["error"].append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            if other[1] == reference[1]:
                out["same_results"] += 1
            if other == reference:
                out["same"] += 1
            else:
                only_ref = reference[1] - other[1]
                only_other = other[1] - reference[1]
                out["differ"].append(
                    f"{name}: pySHACL conforms={reference[0]}, pyrudof conforms={other[0]}; "
                    f"only pySHACL {sorted(only_ref)[:3]}, only pyrudof {sorted(only_other)[:3]}"
                )
    return out


def timing(graph: Path) -> dict[str, Any]:
    shapes = ROOT / "ontology" / "shapes" / "plangraph-shapes.ttl"
    ontology = ROOT / "ontology" / "plangraph.ttl"
    out: dict[str, Any] = {"graph": str(graph), "triples": sum(1 for _ in graph.open())}
    runs: dict[str, Callable[[], Outcome]] = {
        "pyshacl": lambda: run_pyshacl(graph, shapes, ontology)[0],
        "pyrudof": lambda: run_pyrudof(graph, shapes, ontology),
    }
    found_by: dict[str, Counter[tuple[str, str]]] = {}
    for name, run in runs.items():
        start = time.perf_counter()
        try:
            conforms, found = run()
            found_by[name] = found
            out[name] = {
                "seconds": round(time.perf_counter() - start, 2),
                "conforms": conforms,
                "results": sum(found.values()),
            }
        except Exception as exc:
            out[name] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    if len(found_by) == 2:
        out["same_results"] = found_by["pyshacl"] == found_by["pyrudof"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="time both engines on this N-Triples file")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    report: dict[str, Any] = {"pyshacl": version("pyshacl")}
    try:
        report["pyrudof"] = version("pyrudof")
    except Exception:
        raise SystemExit("pyrudof is not installed: .venv/bin/pip install pyrudof") from None
    with tempfile.TemporaryDirectory() as tmp:
        core = fetch_w3c_core(Path(tmp))
        engines: dict[str, Callable[[Path, Path], Outcome]] = {
            "pyshacl": lambda d, s: run_pyshacl(d, s)[0],
            "pyrudof": run_pyrudof,
        }
        report["w3c_core"] = w3c(core, engines)
    report["fixtures"] = fixtures()
    if args.graph:
        report["timing"] = timing(args.graph)
    text = json.dumps(report, indent=1)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    suite = report["w3c_core"]
    for engine in ("pyshacl", "pyrudof"):
        r = suite[engine]
        print(
            f"W3C core: {engine} {r['pass']} of {suite['tests']} as expected, "
            f"{len(r['fail'])} differ, {len(r['error'])} errors"
        )
    fx = report["fixtures"]
    print(
        f"fixtures: pyrudof's results equal pySHACL's on {fx['same_results']} of "
        f"{fx['fixtures']}, verdict too on {fx['same']} ({len(fx['error'])} errors)"
    )
    if args.graph:
        print("timing:", json.dumps(report["timing"]))


if __name__ == "__main__":
    main()
