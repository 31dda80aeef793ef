"""Bad input: a clear message naming the file, exit code 2, and nothing written."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli.main import main
from plangraph.project import Project

from .conftest import FORMATS, snapshot


def _run(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project.root), "import", *args])
    return result.exit_code, result.output


def _stdout(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project.root), "import", *args])
    return result.exit_code, result.stdout


def _zip(path: Path, member: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(member, "<x/>")
    return path


BAD = {
    "encrypted PDF": (lambda tmp: FORMATS / "encrypted.pdf", "needs a password"),
    "image-only PDF": (lambda tmp: FORMATS / "scanned.pdf", "needs OCR"),
    "empty file": (lambda tmp: FORMATS / "empty.txt", "the document is empty"),
    "old Word format": (lambda tmp: FORMATS / "old-word.doc", "save it as .docx"),
    "binary file": (
        lambda tmp: _write(tmp / "data.bin", b"\x00\x01\x02" * 100),
        "unsupported format",
    ),
    "ZIP that is no Office file": (
        lambda tmp: _zip(tmp / "archive.zip", "notes.txt"),
        "unsupported format",
    ),
    "PDF named .docx": (
        lambda tmp: _copy(FORMATS / "plan.pdf", tmp / "plan.docx"),
        None,  # read by its content: a PDF is imported as a PDF
    ),
    "only whitespace": (lambda tmp: _write(tmp / "blank.txt", b" \n\t\n"), "empty"),
    "missing file": (lambda tmp: tmp / "nowhere.pdf", "file not found"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _copy(src: Path, dst: Path) -> Path:
    shutil.copy2(src, dst)
    return dst


@pytest.mark.parametrize("case", [c for c, (_, msg) in BAD.items() if msg])
def test_bad_input_exits_2_names_the_file_and_writes_nothing(
    project: Project, tmp_path: Path, case: str
) -> None:
    make, message = BAD[case]
    path = make(tmp_path)
    before = snapshot(project.root)
    code, output = _run(project, str(path), "--id", "bad-input")
    assert code == 2, output
    assert message is not None and message in output
    assert str(path) in output.replace("\n", "")
    assert "nothing was written" in output
    assert "Traceback" not in output
    assert snapshot(project.root) == before


def test_content_decides_the_format(project: Project, tmp_path: Path) -> None:
    make, _ = BAD["PDF named .docx"]
    code, output = _stdout(project, str(make(tmp_path)), "--id", "by-content", "--format", "json")
    assert code == 0, output
    assert json.loads(output)["format"] == "pdf"


def test_existing_id_is_refused_then_replaced_with_force_keeping_a_backup(
    project: Project,
) -> None:
    code, output = _run(project, str(FORMATS / "plan.txt"), "--id", "prueba")
    assert code == 0, output
    plan = project.plans_dir / "prueba.yaml"
    first = plan.read_bytes()
    before = snapshot(project.root)
    code, output = _run(project, str(FORMATS / "plan.md"), "--id", "prueba")
    assert code == 2
    assert "exists already" in output and "--force" in output
    assert snapshot(project.root) == before
    code, output = _run(project, str(FORMATS / "plan.md"), "--id", "prueba", "--force")
    assert code == 0, output
    backups = sorted(project.plans_dir.glob("prueba.yaml.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == first
    assert len(list(project.sources_dir.glob("prueba.txt.*.bak"))) == 1
    assert plan.read_bytes() != first
    # a backup is never read as a plan file
    code, output = _run(project, str(FORMATS / "plan.md"), "--id", "prueba", "--force")
    result = CliRunner().invoke(main, ["--root", str(project.root), "check"])
    assert result.exit_code == 0, result.output
    assert "1 plan file(s)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Not A Slug"], "is not a plan id"),
        (["--layout", "no-such-layout"], "no layout profile 'no-such-layout'"),
        (["--layout", "missing/profile.yaml"], "layout profile not found"),
        (["--country", "Guatemala"], "not an ISO 3166-1 alpha-2 code"),
    ],
)
def test_bad_options_exit_2(project: Project, args: list[str], message: str) -> None:
    before = snapshot(project.root)
    code, output = _run(project, str(FORMATS / "plan.txt"), *args)
    assert code == 2
    assert message in output
    assert snapshot(project.root) == before


def test_a_broken_profile_names_its_file_and_line(project: Project, tmp_path: Path) -> None:
    profile = tmp_path / "mine.yaml"
    profile.write_text(
        "name: mine\nextends: base\nnumbering:\n  - {scheme: hexadecimal, kind: action}\n"
    )
    code, output = _run(project, str(FORMATS / "plan.txt"), "--layout", str(profile))
    assert code == 2
    assert f"{profile}:4" in output.replace("\n", "")
    assert "numbering[0].scheme" in output
