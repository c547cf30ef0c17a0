"""A lint run: discover files, summarise each, link the project, run the rules, filter."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_lint.config import Settings
from fastapi_lint.context import Context
from fastapi_lint.discovery import discover
from fastapi_lint.findings import Finding
from fastapi_lint.project import Project
from fastapi_lint.rules import all_rules
from fastapi_lint.source import ReadProblem, SyntaxProblem, analyse
from fastapi_lint.summary import ModuleSummary


@dataclass
class LintResult:
    """Findings of a run, plus the files that could not be linted."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0


class ModuleNamer:
    """Dotted module names from the file system, as Python would import them."""

    def __init__(self) -> None:
        self._is_package: dict[str, bool] = {}
        self.used: set[str] = set()

    def is_package_dir(self, directory: str) -> bool:
        known = self._is_package.get(directory)
        if known is None:
            known = os.path.isfile(os.path.join(directory, "__init__.py"))
            self._is_package[directory] = known
        return known

    def name(self, path: Path, root: Path) -> tuple[str, bool]:
        """``(module, is_package)``; outside packages, names are relative to the root's parent."""
        absolute = os.path.abspath(path)
        directory, filename = os.path.split(absolute)
        is_package = filename == "__init__.py"
        parts = [] if is_package else [filename[:-3]]
        if self.is_package_dir(directory):
            while self.is_package_dir(directory):
                directory, name = os.path.split(directory)
                parts.insert(0, name)
        else:
            base = os.path.dirname(os.path.abspath(root))
            relative = os.path.relpath(directory, base)
            if not relative.startswith(".."):
                parts[:0] = [p for p in relative.split(os.sep) if p not in ("", ".")]
        module = ".".join(part.replace(".", "_") for part in parts) or "__main__"
        unique, counter = module, 1
        while unique in self.used:
            counter += 1
            unique = f"{module}@{counter}"
        self.used.add(unique)
        return unique, is_package


def roots_for(paths: list[Path]) -> dict[str, Path]:
    """The lint root each given path stands for (a file's root is its folder)."""
    return {
        os.path.abspath(path): (path if path.is_dir() else path.parent.absolute()) for path in paths
    }


def root_of(file: Path, roots: dict[str, Path]) -> Path:
    absolute = os.path.abspath(file)
    best = None
    for key, root in roots.items():
        if (absolute == key or absolute.startswith(key.rstrip(os.sep) + os.sep)) and (
            best is None or len(key) > len(best[0])
        ):
            best = (key, root)
    return best[1] if best else file.parent


def summarise_files(files: list[Path], paths: list[Path]) -> list:
    """Analyse every file: a summary, a syntax problem or a read problem each."""
    namer = ModuleNamer()
    roots = roots_for(paths)
    results = []
    for file in files:
        module, is_package = namer.name(file, root_of(file, roots))
        results.append(analyse(str(file), module, is_package))
    return results


def spellings(path: str, root: Path | None) -> list[str]:
    """A file's path as patterns may name it: relative to the config's folder, absolute, name."""
    absolute = Path(os.path.abspath(path))
    names = [absolute.as_posix(), absolute.name, Path(path).as_posix()]
    if root is not None and absolute.is_relative_to(root):
        names.insert(0, absolute.relative_to(root).as_posix())
    return names


def per_file_ignored(path: str, code: str, settings: Settings) -> bool:
    """Whether ``per-file-ignores`` silences ``code`` in ``path``."""
    names = spellings(path, settings.root)
    for pattern, codes in settings.per_file_ignores.items():
        if any(fnmatch.fnmatchcase(name, pattern) for name in names) and any(
            code.startswith(c) or c == "ALL" for c in codes
        ):
            return True
    return False


def silenced(finding: Finding, noqa: dict[int, frozenset[str] | None]) -> bool:
    """Whether a ``# noqa`` comment on the finding's line covers its code."""
    if finding.line not in noqa:
        return False
    codes = noqa[finding.line]
    return codes is None or finding.code in codes


def lint(paths: list[Path], settings: Settings) -> LintResult:
    """Lint the given files and folders as one project."""
    exclude = settings.exclude + settings.extend_exclude
    found = discover(paths, exclude, settings.respect_gitignore, settings.root)
    result = LintResult(errors=found.errors, warnings=found.warnings)
    summaries: list[ModuleSummary] = []
    problems: list[SyntaxProblem] = []
    for outcome in summarise_files(found.files, paths):
        if isinstance(outcome, ModuleSummary):
            summaries.append(outcome)
        elif isinstance(outcome, SyntaxProblem):
            problems.append(outcome)
        else:
            assert isinstance(outcome, ReadProblem)
            result.errors.append(f"{outcome.path}: {outcome.message}")
    result.files = len(summaries) + len(problems)
    context = Context(Project(summaries), settings, problems)
    noqa = {outcome.path: outcome.noqa for outcome in [*summaries, *problems]}
    findings: set[Finding] = set()
    for code, rule_class in all_rules().items():
        if not settings.enabled(code):
            continue
        rule = rule_class(settings.options_for(rule_class.name))
        for finding in rule.check(context):
            if per_file_ignored(finding.path, code, settings):
                continue
            if silenced(finding, noqa.get(finding.path, {})):
                continue
            findings.add(finding)
    result.findings = sorted(findings, key=lambda f: f.sort_key)
    return result
