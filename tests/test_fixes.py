"""Fixes: each fixture pair in ``fixtures/fixes`` (a source and what ``check --fix`` makes of
it), a second run that changes nothing, ``--diff`` and ``--fix-only``, and how edits combine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fastapi_lint.cli import main
from fastapi_lint.fixes import SAFE, UNSAFE, Edit, Fix, apply
from fastapi_lint.rules import all_rules

PAIRS = Path(__file__).resolve().parent.parent / "fixtures" / "fixes"
SOURCES = sorted(p for p in PAIRS.glob("*/*.py") if p.stem.count(".") == 0)
WITH_UNSAFE = [p for p in SOURCES if p.with_name(f"{p.stem}.unsafe.py").exists()]


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


@pytest.mark.parametrize("source", WITH_UNSAFE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_unsafe_fixes_give_the_expected_file(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(source, "app.py")
    expected = source.with_name(f"{source.stem}.unsafe.py").read_text()
    assert expected != source.read_text()
    options = ["--no-cache", "--unsafe-fixes", "--select", source.parent.name, "app.py"]
    diff = run("check", "--diff", *options)
    assert diff.exit_code == 1, diff.stderr
    fixed = run("check", "--fix", *options)
    assert fixed.exit_code in (0, 1), fixed.stderr
    assert Path("app.py").read_text() == expected
    again = run("check", "--fix", *options)
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


def test_json_output_carries_each_fix_in_ruffs_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(PAIRS / "FAL101" / "threadpool.py", "app.py")
    report = json.loads(run("check", "--no-cache", "--output-format", "json", "app.py").stdout)
    fixes = [
        Fix(
            item["fix"]["applicability"],
            item["fix"]["message"],
            tuple(
                Edit(
                    edit["content"],
                    edit["location"]["row"],
                    edit["location"]["column"],
                    edit["end_location"]["row"],
                    edit["end_location"]["column"],
                )
                for edit in item["fix"]["edits"]
            ),
        )
        for item in report
        if item["fix"] is not None
    ]
    assert {fix.applicability for fix in fixes} == {UNSAFE}
    assert len(fixes) == 3  # os.remove, os.path.exists, shutil.rmtree; not the open() calls
    text, applied = apply(Path("app.py").read_text(), fixes)
    assert len(applied) == 3
    assert text == (PAIRS / "FAL101" / "threadpool.unsafe.py").read_text()


@pytest.mark.parametrize(
    ("table", "applicability"),
    [("", {UNSAFE}), ('extend-safe-fixes = ["FAL1"]', {SAFE}), ('unfixable = ["FAL101"]', set())],
)
def test_json_output_shows_fixes_as_the_fix_settings_make_them(
    table: str, applicability: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text(f"[tool.fastapi-lint]\n{table}\n")
    shutil.copy(PAIRS / "FAL101" / "threadpool.py", "app.py")
    report = json.loads(run("check", "--no-cache", "--output-format", "json", "app.py").stdout)
    assert report
    assert {item["fix"]["applicability"] for item in report if item["fix"]} == applicability


@pytest.mark.parametrize("code", list(all_rules()))
def test_rule_page_documents_its_fix_or_why_there_is_none(code: str) -> None:
    rule = all_rules()[code]
    section = rule.documentation().split("## Fix\n", 1)
    assert len(section) == 2 and section[1].strip()
    assert section[1].startswith("None:") == (rule.fix == "none")


@pytest.mark.parametrize(
    ("table", "source", "options", "result"),
    [
        ('unfixable = ["FAL1"]', "imported", [], "imported.py"),
        ('fixable = ["FAL102"]', "imported", [], "imported.py"),
        ('fixable = ["FAL"]\nunfixable = ["FAL10"]', "imported", ["--unsafe-fixes"], "imported.py"),
        ('extend-safe-fixes = ["FAL101"]', "threadpool", [], "threadpool.unsafe.py"),
        ('extend-unsafe-fixes = ["FAL101"]', "imported", [], "imported.py"),
        ('extend-unsafe-fixes = ["FAL101"]', "imported", ["--unsafe-fixes"], "imported.fixed.py"),
    ],
)
def test_fix_settings_decide_what_is_applied(
    table: str,
    source: str,
    options: list[str],
    result: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text(f"[tool.fastapi-lint]\n{table}\n")
    shutil.copy(PAIRS / "FAL101" / f"{source}.py", "app.py")
    fixed = run("check", "--fix", "--no-cache", *options, "app.py")
    assert fixed.exit_code in (0, 1), fixed.stderr
    assert "warning" not in fixed.stderr
    assert Path("app.py").read_text() == (PAIRS / "FAL101" / result).read_text()


def test_a_form_feed_does_not_shift_the_lines_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python ends lines only at CR and LF; ``str.splitlines`` also at form feeds."""
    monkeypatch.chdir(tmp_path)
    source = (PAIRS / "FAL101" / "imported.py").read_text()
    Path("app.py").write_text(source.replace("import time\n", "import time  # \x0c page\n"))
    fixed = run("check", "--fix", "--no-cache", "app.py")
    assert fixed.exit_code in (0, 1), fixed.stderr
    expected = (PAIRS / "FAL101" / "imported.fixed.py").read_text()
    assert Path("app.py").read_text() == expected.replace(
        "import time\n", "import time  # \x0c page\n"
    )


def test_an_added_import_ends_its_line_as_the_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = (PAIRS / "FAL101" / "threadpool.py").read_bytes().replace(b"\n", b"\r\n")
    Path("app.py").write_bytes(source)
    fixed = run("check", "--fix", "--unsafe-fixes", "--no-cache", "app.py")
    assert fixed.exit_code in (0, 1), fixed.stderr
    expected = (PAIRS / "FAL101" / "threadpool.unsafe.py").read_bytes()
    assert Path("app.py").read_bytes() == expected.replace(b"\n", b"\r\n")


def test_an_insertion_where_another_edit_starts_waits_for_the_next_pass() -> None:
    replaced = fix(Edit("B", 1, 1, 1, 2))
    inserted = fix(Edit("x", 1, 1, 1, 1))
    after = fix(Edit("y", 1, 2, 1, 2))
    assert apply("a\n", [replaced, inserted, after]) == ("By\n", [replaced, after])
    assert apply("a\n", [inserted, replaced, after]) == ("xay\n", [inserted, after])
