"""``plangraph report`` on the seed graph: files, offline page, links to the sources, the answer
to "who else works on this?", and the page driven in headless Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from plangraph.analysis.api import open as open_dataset
from plangraph.cli.main import main
from tests.helpers import ROOT, seeds_dataset

FIGURES = [
    "heatmap-theme",
    "heatmap-population",
    "heatmap-gcm",
    "heatmap-institution",
    "network-institutions",
    "network-plans",
    "timeline",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds built into a temporary directory and the report written by the CLI."""
    tmp = tmp_path_factory.mktemp("report")
    nquads = seeds_dataset()
    out = tmp / "report"
    cli = CliRunner().invoke(
        main,
        ["--root", str(ROOT), "report", "--data", str(nquads), "--out", str(out)],
    )
    assert cli.exit_code == 0, cli.output
    return {"nquads": nquads, "out": out, "stdout": cli.stdout}


@pytest.fixture(scope="module")
def index_html(built: dict[str, Any]) -> str:
    return (built["out"] / "index.html").read_text(encoding="utf-8")


class Tables(HTMLParser):
    """The tables of a page: id → rows, each row a list of cell texts; and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.sections: set[str] = set()
        self.links: list[str] = []
        self._table: str | None = None
        self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._cell is not None:
            self._cell.append(" ")
        if tag == "section" and a.get("id"):
            self.sections.add(str(a["id"]))
        if tag == "table" and a.get("id"):
            self._table = str(a["id"])
            self.tables[self._table] = []
        if tag == "tbody":
            self._in_body = True
        if tag == "tr" and self._table and self._in_body:
            self._row = []
        if tag == "td" and self._row is not None:
            self._cell = []
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._table and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        if tag == "tbody":
            self._in_body = False
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def parsed(index_html: str) -> Tables:
    parser = Tables()
    parser.feed(index_html)
    return parser


def plan_tags(index_html: str) -> dict[str, str]:
    """Plan id → its tag (P1…), read from the page's legend."""
    legend = re.search(r'<table class="legend">(.*?)</table>', index_html, re.S)
    assert legend
    return dict(
        (pid, tag)
        for tag, pid in re.findall(
            r">(P\d+)</span></td><td>.*?<span class=[\"']id[\"']>([a-z0-9-]+)</span>",
            legend.group(1),
        )
    )


def test_cli_prints_the_report_path_and_writes_every_file(built: dict[str, Any]) -> None:
    out = built["out"]
    assert built["stdout"].strip().splitlines()[-1].endswith("index.html")
    assert (out / "index.html").is_file() and (out / "sources.html").is_file()
    for name in FIGURES:
        for ext in ("png", "svg"):
            path = out / "figures" / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > 1000, path
    assert (out / "figures" / "timeline.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (out / "figures" / "heatmap-gcm.svg").read_bytes()[:2000]


def test_shown_path_is_relative_below_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plangraph.cli.common import shown as _shown

    monkeypatch.chdir(tmp_path)
    assert _shown(tmp_path / "build" / "report" / "index.html") == "build/report/index.html"


def test_page_is_self_contained(index_html: str) -> None:
    assert "<style>" in index_html and "<script>" in index_html
    assert not re.search(r"<link[^>]+stylesheet", index_html)
    assert not re.search(r"<script[^>]+src=", index_html)
    assert not re.search(r'(src|href)="(https?:)?//', index_html)
    assert 'id="report-data"' in index_html


def test_rows_link_to_source_lines_that_exist(built: dict[str, Any], parsed: Tables) -> None:
    sources = (built["out"] / "sources.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<div class="ln" id="([^"]+)"', sources))
    targets = [h.split("#", 1)[1] for h in parsed.links if h.startswith("sources.html#")]
    assert len(targets) > 100
    for target in targets:
        m = re.match(r"^(.+?)-L(\d+)(?:-L(\d+))?$", target)
        if m is None:  # a link to the whole file
            assert f'<section id="{target}">' in sources
            continue
        for line in {m.group(2), m.group(3) or m.group(2)}:
            assert f"{m.group(1)}-L{line}" in anchors, target


def test_quotes_shown_are_the_words_at_the_linked_lines(
    built: dict[str, Any], index_html: str
) -> None:
    """The first rows of a gap table: the quote shown stands in the source at its lines."""
    from html import unescape

    from plangraph.text.fidelity import quote_matches

    table = re.search(r'id="gap-no-responsible">(.*?)</table>', index_html, re.S)
    assert table
    pairs = re.findall(
        r'<span class="quote">([^<]*)</span> <a class="src" href="sources.html#([^"]+)"',
        table.group(1),
    )
    assert pairs
    for quote, target in pairs[:20]:
        m = re.match(r"^(.+?)-L(\d+)(?:-L(\d+))?$", target)
        assert m
        lines = (ROOT / "graph" / "sources" / m.group(1)).read_text(encoding="utf-8").splitlines()
        first, last = int(m.group(2)), int(m.group(3) or m.group(2))
        words = unescape(quote).rstrip("…").split()[:8]
        assert quote_matches(" ".join(words), "\n".join(lines[first - 1 : last])), (quote, target)


def test_institutions_in_more_than_one_plan_answers_who_else(
    index_html: str, parsed: Tables
) -> None:
    """Read from the report alone: CONAMIGUA takes part in two plans, the ones whose plan files
    name it."""
    in_plans = set()
    for path in sorted((ROOT / "graph" / "plans").glob("*.yaml")):
        if re.search(r"^\s*-?\s*id: gt-conamigua\s*$", path.read_text(encoding="utf-8"), re.M):
            in_plans.add(yaml.safe_load(path.read_text(encoding="utf-8"))["plan"]["id"])
    assert len(in_plans) >= 2
    assert "institutions-multi" in parsed.sections
    rows = [r for r in parsed.tables["inst-multi"] if re.search(r"\bgt-conamigua\b(?!-)", r[0])]
    assert len(rows) == 1, rows
    row = rows[0]
    tags = plan_tags(index_html)
    assert int(row[2]) == len(in_plans)
    for plan_id in in_plans:
        assert re.search(rf"\b{tags[plan_id]}\b", row[4]), (plan_id, row[4])


def test_populations_no_action_serves_come_from_the_graph(
    built: dict[str, Any], parsed: Tables
) -> None:
    assert "gap-populations" in parsed.sections
    expected = open_dataset(built["nquads"]).gaps("declared-population-unserved").to_dict("records")
    table = parsed.tables.get("gap-populations", [])
    assert len(table) == len(expected)
    shown = " ".join(" ".join(r) for r in table)
    for row in expected:
        assert " ".join(str(row["declared_text"]).split())[:30] in shown


def test_every_section_of_the_brief_is_there(parsed: Tables) -> None:
    for sid in [
        "plans",
        "institutions-multi",
        "shared-concepts",
        "near-duplicates",
        "gap-no-responsible",
        "gap-no-timeframe",
        "gap-results-without-actions",
        "gap-populations",
        "gap-gcm",
        "gap-themes",
        "heat-theme",
        "heat-population",
        "heat-gcm",
        "heat-institution",
        "coordination",
        "plan-network",
        "timeline",
    ]:
        assert sid in parsed.sections, sid
    assert len(parsed.tables["heat-gcm"]) == 23


# --------------------------------------------------------------------------------------------
# In the browser


def test_report_in_chromium_network_filters_sorting(
    browser: Any, built: dict[str, Any], tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((built["out"] / "index.html").as_uri())
    nodes = page.locator("#coord-net svg circle.node")
    all_nodes = nodes.count()
    assert all_nodes > 0
    assert page.locator("#plan-net svg circle.node").count() > 1
    options = page.locator("#coord-plan option").evaluate_all("os => os.map(o => o.value)")
    counts = []
    for value in options[1:]:
        page.select_option("#coord-plan", value)
        counts.append(nodes.count())
    assert any(0 < c < all_nodes for c in counts), counts
    page.select_option("#coord-plan", "")
    page.select_option("#coord-role", "responsible")
    assert 0 < nodes.count() < all_nodes
    page.select_option("#coord-role", "")
    # clicking an institution lists its elements with links to their lines
    nodes.first.click()
    assert page.locator("#coord-side a.src").count() > 0
    # sorting a table by clicking its header
    header = page.locator("#inst-multi thead th").nth(2)
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    first = page.locator("#inst-multi tbody tr").first.locator("td").nth(2).inner_text()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    top = page.locator("#inst-multi tbody tr").first.locator("td").nth(2).inner_text()
    assert int(top) >= int(first)
    # filtering a table as one types
    total = page.locator("#inst-multi tbody tr").count()
    page.fill('input[data-filter-for="inst-multi"]', "gt-conamigua")
    assert 0 < page.locator("#inst-multi tbody tr:visible").count() < total
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert not errors, errors
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    context.close()


def test_sources_page_highlights_the_linked_lines(browser: Any, built: dict[str, Any]) -> None:
    page = browser.new_page()
    sources = built["out"] / "sources.html"
    name = sorted((ROOT / "graph" / "sources").glob("0*.txt"))[0].name
    page.goto(f"{sources.as_uri()}#{name}-L3-L5")
    assert page.locator(".ln.hl").count() == 3
    page.close()


@pytest.mark.parametrize("name", ["/etc/hostname", "../../../../../../etc/hostname"])
def test_report_reads_no_source_outside_the_sources_folder(tmp_path: Path, name: str) -> None:
    """Regression (audit, like issue 15 item 5): ``report --data`` took a plan's source file
    name from the data and read any path it named into the published page."""
    first = "003_9dd6e71f0977ae37.txt"
    text = seeds_dataset().read_text(encoding="utf-8")
    assert f"/source/{first}>" in text
    data = tmp_path / "hostile.nq"
    data.write_text(text.replace(f"/source/{first}", f"/source/{name}"), encoding="utf-8")
    out = tmp_path / "report"
    cli = CliRunner().invoke(
        main, ["--root", str(ROOT), "report", "--data", str(data), "--out", str(out)]
    )
    assert cli.exit_code == 2, cli.output
    assert "is outside" in cli.output and "Traceback" not in cli.output
    assert not out.exists() or not any(out.iterdir())  # nothing half-written
