"""The installed standard library, its own test suite included, linted as one project.

Thousands of real files of every vintage: no exception, no error, every file accounted for, and
a bounded time. The test suite holds files that are invalid on purpose (bad encodings, Python 2
syntax): those must come out as FAL001, and only files that really do not parse may.
"""

from __future__ import annotations

import ast
import os
import sysconfig
import time
import warnings
from pathlib import Path

import pytest

from fastapi_lint.config import Settings, defaults_for_rules
from fastapi_lint.engine import lint
from fastapi_lint.reporters import source_lines

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SETTINGS = Settings(
    select=["ALL"],
    exclude=["site-packages"],  # third-party packages, not the standard library
    respect_gitignore=False,
    rule_options=defaults_for_rules(),
)
TIME_LIMIT = 300


def stdlib_files() -> set[str]:
    files = set()
    for directory, subdirectories, names in os.walk(STDLIB, followlinks=True):
        subdirectories[:] = [d for d in subdirectories if d != "site-packages"]
        files.update(os.path.join(directory, n) for n in names if n.endswith(".py"))
    return files


def parses(path: str) -> bool:
    """Whether this Python parses the file (as bytes, so its coding cookie applies)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(Path(path).read_bytes(), filename="<stdlib>")
        except (SyntaxError, ValueError):
            return False
    return True


@pytest.mark.slow
def test_the_standard_library_lints_without_error(record_property) -> None:  # type: ignore[no-untyped-def]
    expected = stdlib_files()
    assert len(expected) > 1000, STDLIB
    start = time.perf_counter()
    result = lint([STDLIB], SETTINGS)
    elapsed = time.perf_counter() - start
    record_property("seconds", round(elapsed, 1))
    print(f"\n{len(expected)} standard library files in {elapsed:.1f} s")

    assert result.errors == []
    assert result.warnings == []
    assert result.files == len(expected)
    unparsable = {f.path for f in result.findings if f.code == "FAL001"}
    assert unparsable <= expected
    assert [path for path in sorted(unparsable) if parses(path)] == []
    for finding in result.findings:
        lines = source_lines(finding.path)
        assert 1 <= finding.line <= max(len(lines), 1), finding
        assert 1 <= finding.col <= len(lines[finding.line - 1]) + 1, finding
    assert elapsed < TIME_LIMIT, f"the standard library took {elapsed:.0f} s"
