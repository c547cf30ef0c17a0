"""flake8 plugin: reports, for each file flake8 checks, the CLI's findings for that file.

The project-level analysis needs every module, so the first file a flake8 process checks
triggers one lint of the paths flake8 was given (as the CLI would lint them); later files read
the stored result.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from fastapi_lint import __version__
from fastapi_lint.config import ConfigError, Settings, find_pyproject, load_settings
from fastapi_lint.engine import lint
from fastapi_lint.findings import Finding


class FastAPILintPlugin:
    """The ``FAL`` checks inside flake8."""

    name = "fastapi-lint"
    version = __version__
    paths: ClassVar[list[str]] = ["."]
    results: ClassVar[dict[tuple[str, ...], dict[str, list[Finding]]]] = {}

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.tree = tree
        self.filename = filename

    @classmethod
    def parse_options(cls, options: Any) -> None:
        """Remember what flake8 was asked to check: that is the project."""
        cls.paths = list(getattr(options, "filenames", None) or ["."])

    @classmethod
    def findings_for(cls, paths: list[str]) -> dict[str, list[Finding]]:
        """All findings of the project made of ``paths``, by absolute file path (memoised)."""
        key = tuple(paths)
        if key not in cls.results:
            by_file: dict[str, list[Finding]] = {}
            for finding in lint([Path(p) for p in paths], project_settings(paths)).findings:
                by_file.setdefault(os.path.abspath(finding.path), []).append(finding)
            cls.results[key] = by_file
        return cls.results[key]

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """flake8's protocol: (row, 0-based column, "CODE message", type)."""
        target = os.path.abspath(self.filename)
        paths = [p for p in self.paths if p != "-"]
        covered = any(
            target == os.path.abspath(p)
            or target.startswith(os.path.abspath(p).rstrip(os.sep) + os.sep)
            for p in paths
        )
        if not covered and os.path.isfile(self.filename):
            paths = [self.filename]
        if not paths or not os.path.isfile(self.filename):
            return
        for finding in self.findings_for(paths).get(target, []):
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)


def project_settings(paths: list[str]) -> Settings:
    """The settings the CLI would use for these paths."""
    start = Path(paths[0]) if paths else Path.cwd()
    try:
        return load_settings(find_pyproject(start))
    except ConfigError as error:
        raise SystemExit(f"fastapi-lint: error: {error}") from error
