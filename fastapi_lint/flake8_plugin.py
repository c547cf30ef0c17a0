"""flake8 plugin: reports, for each file flake8 checks, the CLI's findings for that file.

The project-level analysis needs every module, so the paths flake8 was given are linted once
(as ``fastapi-lint check PATHS`` would lint them) and each file reads its share of the result.
Where ``-j N`` workers are forked (Linux up to Python 3.13), that lint runs in flake8's main
process as soon as the options are known, on every core, and the workers inherit it; with
other start methods each worker lints once, on the first file it checks. The lint uses the
CLI's cache at the project root, so a run after an edit (an editor's save) reanalyses only
what changed; ``--fastapi-lint-no-cache`` turns it off. Source read from
stdin (``flake8 -``, as editors send an unsaved buffer) takes the place of the file named by
``--stdin-display-name`` when there is one, and is linted on its own, as a one-module project,
otherwise.

flake8 runs tree plugins only on files that parse: for the others it reports E999 itself, so
FAL001 never comes through flake8.
"""

from __future__ import annotations

import ast
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from fastapi_lint import __version__
from fastapi_lint.cache import DIRECTORY, Cache
from fastapi_lint.cli import locate_config
from fastapi_lint.config import ConfigError, Settings, load_settings
from fastapi_lint.engine import check_modules, lint
from fastapi_lint.findings import Finding
from fastapi_lint.modules import name_modules, scan_imports
from fastapi_lint.source import summarize_parsed

STDIN = "-"


class FastAPILintPlugin:
    """The ``FAL`` checks inside flake8."""

    name = "fastapi-lint"
    version = __version__
    paths: ClassVar[list[str]] = ["."]
    stdin_name: ClassVar[str | None] = None
    settings: ClassVar[Settings | None] = None
    use_cache: ClassVar[bool] = True
    results: ClassVar[dict[tuple[str, ...], dict[str, list[Finding]]]] = {}

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @staticmethod
    def add_options(parser: Any) -> None:
        """``--fastapi-lint-no-cache``, also settable in flake8's config."""
        parser.add_option(
            "--fastapi-lint-no-cache",
            action="store_true",
            parse_from_config=True,
            help=f"fastapi-lint: neither read nor write its cache ({DIRECTORY}/ at the "
            "project root).",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        """Remember what flake8 was asked to check (that is the project) and read the config.

        The config is read here, before any file is checked, so that a bad
        ``[tool.fastapi-lint]`` stops flake8 at once with the CLI's message: raised inside a
        ``-j`` worker, ``SystemExit`` would kill the worker and leave flake8 waiting forever.
        """
        filenames = list(getattr(options, "filenames", None) or ["."])
        cls.paths = [p for p in filenames if p != STDIN]
        cls.stdin_name = None
        if STDIN in filenames:
            cls.stdin_name = getattr(options, "stdin_display_name", None) or "stdin"
        cls.results = {}
        cls.use_cache = not getattr(options, "fastapi_lint_no_cache", False)
        cls.settings = project_settings(cls.paths or [cls.stdin_name or "."])
        if cls.paths and workers_inherit_state():
            cls.findings_for(cls.paths)

    @classmethod
    def findings_for(cls, paths: list[str]) -> dict[str, list[Finding]]:
        """All findings of the project made of ``paths``, by absolute file path (memoised)."""
        key = tuple(paths)
        if key not in cls.results:
            settings = cls.settings if paths == cls.paths and cls.settings else None
            settings = settings or project_settings(paths)
            by_file: dict[str, list[Finding]] = {}
            result = lint([Path(p) for p in paths], settings, project_cache(settings))
            for finding in result.findings:
                by_file.setdefault(os.path.abspath(finding.path), []).append(finding)
            cls.results[key] = by_file
        return cls.results[key]

    def findings(self) -> list[Finding]:
        """The CLI's findings for the file being checked."""
        if self.stdin_name is not None and self.filename == self.stdin_name:
            return lint_stdin(self.tree, "".join(self.lines), self.filename)
        target = os.path.abspath(self.filename)
        if any(covers(path, target) for path in self.paths):
            return self.findings_for(self.paths).get(target, [])
        if os.path.isfile(self.filename):  # not under the given paths: lint it on its own
            return self.findings_for([self.filename]).get(target, [])
        return []

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """flake8's protocol: (row, 0-based column, "CODE message", type).

        Our columns are 1-based; flake8 adds one when it prints them.
        """
        for finding in self.findings():
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)


def workers_inherit_state() -> bool:
    """Whether this is flake8's main process and its ``-j`` workers would be forked from it."""
    process = multiprocessing.current_process()
    return process.name == "MainProcess" and multiprocessing.get_start_method() == "fork"


def covers(path: str, target: str) -> bool:
    """Whether the absolute ``target`` is ``path`` or lies under it."""
    base = os.path.abspath(path)
    return target == base or target.startswith(base.rstrip(os.sep) + os.sep)


def project_settings(paths: list[str]) -> Settings:
    """The settings the CLI would use for these paths (without command-line options)."""
    pyproject = locate_config(None, [Path(p) for p in paths] or [Path(".")])
    try:
        return load_settings(pyproject)
    except ConfigError as error:
        raise SystemExit(f"fastapi-lint: error: {error}") from error


def project_cache(settings: Settings) -> Cache | None:
    """The CLI's cache at the project root, unless ``--fastapi-lint-no-cache`` was given."""
    return Cache(settings.root or Path.cwd()) if FastAPILintPlugin.use_cache else None


def lint_stdin(tree: ast.AST, text: str, path: str) -> list[Finding]:
    """Lint source read from stdin (an editor's unsaved buffer), already parsed.

    When ``path`` names a file, the text takes its place in the project; otherwise it is a
    project of its own, its module named as the CLI names a file given alone.
    """
    assert isinstance(tree, ast.Module)
    settings = FastAPILintPlugin.settings or project_settings([path])
    if os.path.isfile(path):
        buffers = {str(Path(path)): (tree, text)}
        return lint([Path(path)], settings, project_cache(settings), buffers).findings
    if path.endswith(".py"):
        imports = scan_imports(text.encode("utf-8", "replace"))
        [(module, is_package)] = name_modules([os.path.abspath(path)], [imports])
    else:
        module, is_package = "__main__", False
    summary = summarize_parsed(tree, text, path, module, is_package)
    return check_modules([summary], [], settings)
