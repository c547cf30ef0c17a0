"""Every fixture states its expected findings inline; the linter must match them exactly.

``fixtures/<CODE>/*.py`` are linted one file at a time with only that code selected, each
copied alone into an empty folder (in place, the files beside it would be its context);
``fixtures/projects/<name>/`` and ``fixtures/example_app/`` are linted as whole projects with
every rule on. A line ``x()  # expect: FAL101 "text"`` expects a FAL101 finding on that line
whose message contains ``text``. Then each ``# expect:`` becomes ``# noqa:`` and the same run
must be silent.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fastapi_lint.config import Settings, defaults_for_rules
from fastapi_lint.engine import lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(?P<body>.*)$")
ITEM = re.compile(r'(?P<code>FAL\d{3})(?:\s+"(?P<text>[^"]*)")?')


def expectations(root: Path) -> dict[tuple[str, int, str], list[str]]:
    """(relative file, line, code) -> message fragments, from every ``# expect:`` comment."""
    expected: dict[tuple[str, int, str], list[str]] = {}
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    for file in files:
        relative = file.name if root.is_file() else file.relative_to(root).as_posix()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for item in ITEM.finditer(match.group("body")):
                    key = (relative, number, item.group("code"))
                    expected.setdefault(key, []).append(item.group("text") or "")
    return expected


def run(root: Path, select: list[str]) -> dict[tuple[str, int, str], str]:
    settings = Settings(select=select, rule_options=defaults_for_rules())
    result = lint([root], settings)
    assert not result.errors, result.errors
    found = {}
    for finding in result.findings:
        path = Path(finding.path).resolve()
        relative = path.name if root.is_file() else path.relative_to(root.resolve()).as_posix()
        found[(relative, finding.line, finding.code)] = finding.message
    return found


def cases() -> list:
    single = [
        pytest.param(path, [path.parent.name], id=f"{path.parent.name}/{path.name}")
        for path in sorted(FIXTURES.glob("FAL*/*.py"))
    ]
    projects = [
        pytest.param(path, ["FAL"], id=f"projects/{path.name}")
        for path in sorted((FIXTURES / "projects").iterdir())
        if path.is_dir() and path.name[0] != "."  # not a cache an older run left there
    ]
    return [*single, *projects, pytest.param(FIXTURES / "example_app", ["FAL"], id="example_app")]


@pytest.mark.parametrize(("root", "select"), cases())
def test_fixture_findings_match_expectations(root: Path, select: list[str], tmp_path: Path) -> None:
    expected = expectations(root)
    if root.is_file():
        root = Path(shutil.copy(root, tmp_path / root.name))
    found = run(root, select)
    assert sorted(found) == sorted(expected), "\n".join(
        f"{k}: {v}" for k, v in sorted(found.items())
    )
    for key, fragments in expected.items():
        for fragment in fragments:
            assert fragment in found[key], f"{key}: {found[key]!r} lacks {fragment!r}"


@pytest.mark.parametrize(("root", "select"), cases())
def test_fixture_is_silent_with_noqa(root: Path, select: list[str], tmp_path: Path) -> None:
    copy = tmp_path / root.name
    if root.is_file():
        shutil.copy(root, copy)
    else:
        shutil.copytree(root, copy)
    files = [copy] if copy.is_file() else list(copy.rglob("*.py"))
    for file in files:
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"#\s*expect:\s*(.*)$", noqa_comment, text, flags=re.MULTILINE)
        file.write_text(text, encoding="utf-8")
    assert run(copy, select) == {}


def noqa_comment(match: re.Match[str]) -> str:
    codes = [item.group("code") for item in ITEM.finditer(match.group(1))]
    return f"# noqa: {', '.join(codes)}"


def test_every_rule_has_a_fixture_folder() -> None:
    from fastapi_lint.rules import all_rules

    missing = [code for code in all_rules() if not list((FIXTURES / code).glob("*.py"))]
    assert missing == []
