"""Fixes: each fixture pair in ``fixtures/fixes`` (a source and what ``check --fix`` makes of
it), a second run that changes nothing, ``--diff`` and ``--fix-only``, and how edits combine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fastapi_lint.cli import main
from fastapi_lint.fixes import SAFE, Edit, Fix, apply

PAIRS = Path(__file__).resolve().parent.parent / "fixtures" / "fixes"
SOURCES = sorted(p for p in PAIRS.glob("*/*.py") if not p.name.endswith(".fixed.py"))


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fix_gives_the_expected_file(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(source, "app.py")
    expected = source.with_name(f"{source.stem}.fixed.py").read_text()
    changes = expected != source.read_text()
    code = source.parent.name
    diff = run("check", "--diff", "--no-cache", "--select", code, "app.py")
    assert diff.exit_code == (1 if changes else 0), diff.stderr
    assert (diff.stdout != "") == changes
    assert Path("app.py").read_text() == source.read_text()  # --diff writes nothing
    fixed = run("check", "--fix", "--no-cache", "--select", code, "app.py")
    assert fixed.exit_code in (0, 1), fixed.stderr
    assert Path("app.py").read_text() == expected
    again = run("check", "--fix", "--no-cache", "--select", code, "app.py")
    assert "Fixed 0 findings" in again.stderr
    assert Path("app.py").read_text() == expected


def test_fix_only_reports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(PAIRS / "FAL101" / "imported.py", "app.py")
    result = run("check", "--fix-only", "--show-fixes", "--no-cache", "app.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "app.py:\n    1 x FAL101 (Use `await asyncio.sleep(...)`)\nFixed 1 finding (1 left).\n"
    )
    assert Path("app.py").read_text() == (PAIRS / "FAL101" / "imported.fixed.py").read_text()


def fix(*edits: Edit) -> Fix:
    return Fix(SAFE, "message", edits)


def test_overlapping_fixes_wait_for_the_next_pass_and_shared_edits_are_made_once() -> None:
    text = "a = 1\nb = 2\n"
    imports = Edit("import x\n", 1, 1, 1, 1)
    first = fix(Edit("A", 1, 1, 1, 2), imports)
    overlapping = fix(Edit("AA", 1, 1, 1, 6))
    second = fix(Edit("B", 2, 1, 2, 2), imports)
    new, applied = apply(text, [first, overlapping, second])
    assert applied == [first, second]
    assert new == "import x\nA = 1\nB = 2\n"


def test_two_insertions_at_one_place_are_not_ordered_by_guess() -> None:
    new, applied = apply("a\n", [fix(Edit("x", 1, 1, 1, 1)), fix(Edit("y", 1, 1, 1, 1))])
    assert (new, len(applied)) == ("xa\n", 1)
