"""A lint run: discover files, summarise each, link the project, run the rules, filter."""

from __future__ import annotations

import fnmatch
import gc
import marshal
import multiprocessing
import os
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
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
        os.path.abspath(path): (path if os.path.isdir(path) else path.parent.absolute())
        for path in paths
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


PARALLEL_THRESHOLD = 48


def internal_error(error: BaseException) -> str:
    """A crash of the analyser, on one line, for the user to report."""
    detail = " ".join(str(error).split())
    kind = type(error).__name__
    return f"internal error: {kind}{': ' if detail else ''}{detail} (please report this bug)"


def analyse_safely(
    path: str, module: str, is_package: bool
) -> ModuleSummary | SyntaxProblem | ReadProblem:
    """``analyse``, with a crash on one file reported as that file's error, not the run's end.

    The compiler's warnings about the linted code (``SyntaxWarning: invalid escape sequence``
    on Python 3.12+) would reach stderr as noise: they are not this run's to print.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            return analyse(path, module, is_package)
    except Exception as error:
        return ReadProblem(path, f"cannot analyse: {internal_error(error)}")


def analyse_to_data(job: tuple[str, str, bool]) -> bytes | SyntaxProblem | ReadProblem:
    """Worker side: a summary as ``marshal`` bytes (fast to send), or the problem met."""
    outcome = analyse_safely(*job)
    if isinstance(outcome, ModuleSummary):
        try:
            return marshal.dumps(outcome.to_data())
        except (ValueError, RecursionError) as error:  # nested deeper than marshal goes
            return ReadProblem(outcome.path, f"cannot analyse: {internal_error(error)}")
    return outcome


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def summarise_files(
    files: list[Path], paths: list[Path]
) -> list[ModuleSummary | SyntaxProblem | ReadProblem]:
    """Analyse every file, in a process pool when there are many and several cores."""
    namer = ModuleNamer()
    roots = roots_for(paths)
    jobs = []
    for file in files:
        module, is_package = namer.name(file, root_of(file, roots))
        jobs.append((str(file), module, is_package))
    workers = worker_count()
    in_daemon = multiprocessing.current_process().daemon  # flake8 -j workers cannot fork
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2 or in_daemon:
        return [analyse_safely(*job) for job in jobs]
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=gc.disable) as pool:
        results = list(pool.map(analyse_to_data, jobs, chunksize=chunk))
    return [
        ModuleSummary.from_data(marshal.loads(r)) if isinstance(r, bytes) else r for r in results
    ]


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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a run builds millions of acyclic tuples, and
    collecting them generation by generation costs a third of the run."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint(paths: list[Path], settings: Settings) -> LintResult:
    """Lint the given files and folders as one project."""
    with gc_paused():
        return lint_project(paths, settings)


def lint_project(paths: list[Path], settings: Settings) -> LintResult:
    """The run itself (see ``lint``)."""
    exclude = settings.exclude + settings.extend_exclude
    found = discover(paths, exclude, settings.respect_gitignore, settings.root or Path.cwd())
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
    result.findings = check_modules(summaries, problems, settings, result.errors)
    result.warnings += unknown_noqa_codes([*summaries, *problems])
    return result


def unknown_noqa_codes(outcomes: list[ModuleSummary | SyntaxProblem]) -> list[str]:
    """Warnings for ``# noqa: FAL...`` codes that name no rule: they silence nothing."""
    known = all_rules()
    found = []
    for outcome in sorted(outcomes, key=lambda o: o.path):
        for line, codes in sorted(outcome.noqa.items()):
            for code in sorted(codes or ()):
                if code.startswith("FAL") and code not in known:
                    found.append(f"{outcome.path}:{line}: unknown rule code '{code}' in # noqa")
    return found


def check_modules(
    summaries: list[ModuleSummary],
    problems: list[SyntaxProblem],
    settings: Settings,
    errors: list[str] | None = None,
) -> list[Finding]:
    """Run the enabled rules over summarised modules; drop what config and ``# noqa`` silence.

    A rule that crashes is reported in ``errors`` (when given, else the crash propagates); the
    other rules still run.
    """
    context = Context(Project(summaries), settings, problems)
    noqa = {outcome.path: outcome.noqa for outcome in [*summaries, *problems]}
    findings: set[Finding] = set()
    for code, rule_class in all_rules().items():
        if not settings.enabled(code):
            continue
        rule = rule_class(settings.options_for(rule_class.name))
        try:
            for finding in rule.check(context):
                if per_file_ignored(finding.path, code, settings):
                    continue
                if silenced(finding, noqa.get(finding.path, {})):
                    continue
                findings.add(finding)
        except Exception as error:
            if errors is None:
                raise
            errors.append(f"{code} ({rule_class.name}) stopped early: {internal_error(error)}")
    return sorted(findings, key=lambda f: f.sort_key)
