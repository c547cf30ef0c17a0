"""A lint run: discover files, summarise each, link the project, run the rules, filter."""

from __future__ import annotations

import ast
import fnmatch
import gc
import marshal
import os
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import NamedTuple

from fastapi_lint.cache import Cache, blake2b, key
from fastapi_lint.config import Settings
from fastapi_lint.context import Context
from fastapi_lint.discovery import discover
from fastapi_lint.findings import Finding
from fastapi_lint.project import Project
from fastapi_lint.replay import EXISTS, Stamp, ancestors, stamps
from fastapi_lint.reporters import display_path
from fastapi_lint.rules import all_rules
from fastapi_lint.source import (
    WHOLE_FILE,
    ReadProblem,
    SyntaxProblem,
    analyse,
    summarize_parsed,
)
from fastapi_lint.summary import ModuleSummary


@dataclass
class LintResult:
    """Findings of a run, plus the files that could not be linted."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    # the files, folders and ignore files discovery read, stamped before any was read
    watched: list[str] = field(default_factory=list)
    stamps: list[Stamp] = field(default_factory=list)
    # the run's summaries and models, when asked for: a process that exits next can then skip
    # freeing them object by object (a fifth of a second on a large project)
    analysis: list[Context] = field(default_factory=list)

    def to_data(self) -> tuple:
        findings = [astuple(finding) for finding in self.findings]
        return (findings, self.errors, self.warnings, self.files)

    @classmethod
    def from_data(cls, data: tuple) -> LintResult:
        findings, errors, warnings, files = data
        return cls([Finding(*item) for item in findings], errors, warnings, files)


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
    for given, root in roots.items():
        if (absolute == given or absolute.startswith(given.rstrip(os.sep) + os.sep)) and (
            best is None or len(given) > len(best[0])
        ):
            best = (given, root)
    return best[1] if best else file.parent


PARALLEL_THRESHOLD = 48
SHARES_PER_WORKER = 4  # a batch holds 1 / (workers * this) of the bytes left
MAX_BATCH = 32  # files in one batch at most
FILES, RUNS, DIGESTS = "files", "runs", "digests"
SETTLED_NS = 2_000_000_000  # a file's stamp is trusted once it is this old
MAX_DIGESTS = 100_000  # digests kept across runs at most


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


Job = tuple[str, str, bool, "str | None", str]  # path, module, is_package, cache root, entry


def encode(outcome: ModuleSummary | SyntaxProblem) -> bytes:
    """An analysed file as ``marshal`` bytes: how it travels from workers and sits in the cache."""
    if isinstance(outcome, ModuleSummary):
        return marshal.dumps(("m", outcome.to_data()))
    return marshal.dumps(("s", outcome.to_data()))


def decode(data: bytes) -> ModuleSummary | SyntaxProblem:
    tag, value = marshal.loads(data)
    return ModuleSummary.from_data(value) if tag == "m" else SyntaxProblem(*value)


def analyse_job(job: Job) -> bytes | ReadProblem:
    """Worker side: analyse one file, keep it in the cache, send it back as bytes."""
    path, module, is_package, cache_root, entry = job
    outcome = analyse_safely(path, module, is_package)
    if isinstance(outcome, ReadProblem):
        return outcome
    try:
        data = encode(outcome)
    except (ValueError, RecursionError) as error:  # nested deeper than marshal goes
        return ReadProblem(path, f"cannot analyse: {internal_error(error)}")
    if cache_root is not None:
        Cache(Path(cache_root)).write(FILES, entry, data)
    return data


def in_daemon() -> bool:
    """Whether this is a daemonic process (flake8's ``-j`` workers), which cannot start any."""
    import multiprocessing

    return multiprocessing.current_process().daemon


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def summarise_files(
    jobs: list[Job], cache: Cache | None
) -> list[ModuleSummary | SyntaxProblem | ReadProblem]:
    """Analyse every file not in the cache, in a process pool when there are many."""
    outcomes: list[ModuleSummary | SyntaxProblem | ReadProblem | None] = [None] * len(jobs)
    if cache is not None:
        for index, job in enumerate(jobs):
            data = cache.read(FILES, job[4])
            if data is not None:
                with suppress(EOFError, ValueError, TypeError):  # corrupt: analysed again
                    outcomes[index] = decode(data)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    workers = worker_count()
    if len(todo) < PARALLEL_THRESHOLD or workers < 2 or in_daemon():
        for index in todo:
            outcomes[index] = received(analyse_job(jobs[index]))
        return outcomes  # type: ignore[return-value]
    from concurrent.futures import ProcessPoolExecutor, as_completed  # 40 ms: only when used

    with ProcessPoolExecutor(workers, initializer=gc.disable) as pool:
        batches = {
            pool.submit(analyse_batch, [jobs[i] for i in batch]): batch
            for batch in batches_by_size(todo, jobs, workers)
        }
        for done in as_completed(batches):  # decoded while the workers go on
            for index, result in zip(batches[done], done.result(), strict=True):
                outcomes[index] = received(result)
    return outcomes  # type: ignore[return-value]


def batches_by_size(todo: list[int], jobs: list[Job], workers: int) -> list[list[int]]:
    """The files to analyse in batches, largest files first, each batch a share of the bytes
    still left (down to a floor): the first results come back early, and batches shrink towards
    the end, so the workers finish together."""
    sizes = {index: file_size(jobs[index][0]) for index in todo}
    left = sum(sizes.values())
    smallest = left // (workers * SHARES_PER_WORKER * 8)
    batches: list[list[int]] = []
    batch: list[int] = []
    filled = 0
    for index in sorted(todo, key=sizes.__getitem__, reverse=True):
        batch.append(index)
        filled += sizes[index]
        share = max(left // (workers * SHARES_PER_WORKER), smallest)
        if filled >= share or len(batch) == MAX_BATCH:
            batches.append(batch)
            left -= filled
            batch, filled = [], 0
    if batch:
        batches.append(batch)
    return batches


def analyse_batch(batch: list[Job]) -> list[bytes | ReadProblem]:
    """Worker side: analyse a batch of files."""
    return [analyse_job(job) for job in batch]


def received(result: bytes | ReadProblem) -> ModuleSummary | SyntaxProblem | ReadProblem:
    """A worker's answer as the run uses it."""
    return decode(result) if isinstance(result, bytes) else result


def file_size(path: str) -> int:
    """Bytes in a file (0 when it cannot be read: its analysis will say why)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def plan_jobs(
    files: list[Path],
    paths: list[Path],
    cache: Cache | None,
    context: list[Path] = (),
    file_stamps: list[Stamp] | None = None,
) -> list[Job]:
    """Module names for the files and, with a cache, each file's entry in it: its path, name
    and a digest of its bytes (so a file touched, or checked out again in CI, still hits).

    A file inside a ``context`` package is named from that package's folder, like its
    neighbours, even when it was given on its own. ``file_stamps`` (the files' stamps, taken
    before they are read) spare reading the files that have not changed since the last run.
    """
    namer = ModuleNamer()
    roots = roots_for(paths)
    packages = [(os.path.join(os.path.abspath(c), ""), c) for c in context]
    root = str(cache.root) if cache is not None else None
    absolutes = [os.path.abspath(file) for file in files]
    if cache is None:
        digests: list[str | None] = [None] * len(files)
    else:
        digests = file_digests(absolutes, file_stamps or [None] * len(files), cache)
    jobs: list[Job] = []
    for file, absolute, file_digest in zip(files, absolutes, digests, strict=True):
        named_from = next((c for prefix, c in packages if absolute.startswith(prefix)), None)
        module, is_package = namer.name(file, named_from or root_of(file, roots))
        entry = key(str(file), module, is_package, file_digest) if cache is not None else ""
        jobs.append((str(file), module, is_package, root, entry))
    return jobs


def file_digests(names: list[str], file_stamps: list[Stamp], cache: Cache) -> list[str | None]:
    """Digests of the bytes of files (by absolute path). A file whose stamp is the one it had
    when a run hashed it is not read again; a file changed within ``SETTLED_NS`` of its stamp
    is hashed every time, as it could change again without its stamp showing it (clocks have a
    resolution)."""
    known: dict = {}
    data = cache.read(DIGESTS, DIGESTS)
    if data is not None:
        with suppress(EOFError, ValueError, TypeError):
            loaded = marshal.loads(data)
            known = loaded if type(loaded) is dict else {}
    settled = time.time_ns() - SETTLED_NS
    found: list[str | None] = []
    learned = False
    for name, stamp in zip(names, file_stamps, strict=True):
        entry = known.get(name)
        if stamp is not None and type(entry) is tuple and len(entry) == 2 and entry[0] == stamp:
            found.append(entry[1])
            continue
        value = digest(name)
        found.append(value)
        if type(stamp) is tuple and value is not None and max(stamp[:2]) < settled:
            known[name] = (stamp, value)
            learned = True
    if learned:
        if len(known) > MAX_DIGESTS:  # mostly files of long ago: keep this run's only
            kept = set(names)
            known = {name: entry for name, entry in known.items() if name in kept}
        cache.write(DIGESTS, DIGESTS, marshal.dumps(known))
    return found


def digest(path: str) -> str | None:
    """A digest of a file's bytes; None when it cannot be read (its analysis says why)."""
    try:
        with open(path, "rb") as handle:
            return blake2b(handle.read(), digest_size=16).hexdigest()
    except (OSError, ValueError):
        return None


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
    """Whether a ``# noqa`` comment on the finding's line covers its code, or one on its own
    line (``# flake8: noqa``) the whole file."""
    if WHOLE_FILE in noqa:
        return True
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


Buffers = dict[str, tuple[ast.Module, str]]  # path as discovered -> (tree, text) to use instead


def lint(
    paths: list[Path],
    settings: Settings,
    cache: Cache | None = None,
    buffers: Buffers | None = None,
    keep_analysis: bool = False,
) -> LintResult:
    """Lint the given files and folders as one project (``cache``: reuse and keep results;
    ``buffers``: files whose unsaved text an editor sent, parsed already: the cache then serves
    the other files only; ``keep_analysis``: hand the analysis back instead of freeing it)."""
    with gc_paused():
        result = lint_project(paths, settings, cache, buffers or {})
        if not keep_analysis:
            result.analysis.clear()  # freed now, before the collector runs again
        return result


PROJECT_MARKERS = ("pyproject.toml", ".git")


class Surroundings(NamedTuple):
    """What a file given alone is linted with (absolute folders)."""

    naming: str | None  # the folder context modules outside packages are named from
    whole: str | None  # read whole: the file's outermost package, or its folder outside them
    beside: list[str]  # only the modules directly in these: the folders above, to the project
    climbed: list[str]  # the folders whose markers decided it (watched by a replay)


def surroundings(file: Path) -> Surroundings:
    """The modules around a file given alone: those it imports and those that import it.

    In a package, the rest of its outermost package; folders without ``__init__.py`` inside it
    (namespace portions, common for ``routers/``) do not end it. Inside a project (the folder
    of the nearest ``pyproject.toml`` or ``.git``), also the modules directly in each folder
    above, up to the project's, such as a ``main.py`` including the package's routers; and for
    a file outside packages, everything under its own folder (a file of ``/tmp`` outside any
    project reads nothing else).
    """
    folder = os.path.dirname(os.path.abspath(file))
    package = project = None
    climbed = []
    for directory in ancestors(folder):
        climbed.append(directory)
        if os.path.isfile(os.path.join(directory, "__init__.py")):
            package = directory
        if any(os.path.exists(os.path.join(directory, m)) for m in PROJECT_MARKERS):
            project = directory
            break
    if project is None:
        return Surroundings(package, package, [], climbed)
    whole = package or folder
    beside = []
    if whole != project:
        for directory in ancestors(os.path.dirname(whole)):
            beside.append(directory)
            if directory == project:
                break
    return Surroundings(package or project, whole, beside, climbed)


def context_roots(paths: list[Path]) -> tuple[list[Path], list[Path], list[Path], list[str]]:
    """The surroundings of the files given alone, where the given folders do not cover them:
    the folders to name context modules from, those to read whole, those to read the modules
    directly in; and the markers that decided them, as paths a replay watches.

    Folders given define the project; a file given alone is linted with its surroundings as
    context (the module that includes its router, the one defining the session it gets), the
    way pre-commit and editors pass single files. Findings are still reported for the given
    paths only.
    """
    walked = [os.path.join(os.path.abspath(p), "") for p in paths if os.path.isdir(p)]

    def listed(folders: set[str | None]) -> list[Path]:
        # named as typed, so messages naming context files read like those naming given ones
        return [
            Path(display_path(folder))
            for folder in sorted(f for f in folders if f is not None)
            if not any(os.path.join(folder, "").startswith(w) for w in walked)
        ]

    naming: set[str | None] = set()
    whole: set[str | None] = set()
    beside: set[str | None] = set()
    climbed: set[str] = set()
    for path in paths:
        if not os.path.isdir(path):
            around = surroundings(path)
            naming.add(around.naming)
            whole.add(around.whole)
            beside.update(around.beside)
            climbed.update(around.climbed)
    # a pyproject.toml above a target is watched already, as a configuration it could read
    markers = [
        EXISTS + os.path.join(folder, name)
        for folder in sorted(climbed)
        for name in (".git", "__init__.py")
    ]
    return listed(naming), listed(whole), listed(beside), markers


def lint_project(
    paths: list[Path], settings: Settings, cache: Cache | None, buffers: Buffers
) -> LintResult:
    """The run itself (see ``lint``)."""
    exclude = settings.exclude + settings.extend_exclude
    if cache is not None:  # before discovery stamps folders: creating it changes its parent
        cache.create()
    base = settings.root or Path.cwd()
    found = discover(paths, exclude, settings.respect_gitignore, base)
    targets = {str(file) for file in found.files}
    naming, whole, beside, markers = context_roots(paths)
    around = discover(whole, exclude, settings.respect_gitignore, base)
    nearby = discover(beside, exclude, settings.respect_gitignore, base, shallow=True)
    known = {os.path.abspath(file) for file in found.files}
    context = []
    for file in [*around.files, *nearby.files]:
        absolute = os.path.abspath(file)
        if absolute not in known:
            known.add(absolute)
            context.append(file)
    files = [*found.files, *context]
    watched = [str(file) for file in files] + found.watched + around.watched + nearby.watched
    watched += markers
    watched_stamps = stamps(watched) if cache is not None else []
    jobs = plan_jobs(files, paths, cache, naming, watched_stamps[: len(files)])
    entries = [job[4] for job in jobs]
    run = key(settings.fingerprint(), entries, len(found.files), found.errors, found.warnings)
    whole_run_cached = cache is not None and not buffers  # a buffer is not what is on disk
    if whole_run_cached:
        data = cache.read(RUNS, run)
        if data is not None:
            try:
                result = LintResult.from_data(marshal.loads(data))
            except (EOFError, ValueError, TypeError):
                pass  # a corrupt entry: the run goes on and rewrites it
            else:
                result.watched, result.stamps = watched, watched_stamps
                return result
    result = LintResult(errors=found.errors, warnings=found.warnings)
    result.watched, result.stamps = watched, watched_stamps
    summaries: list[ModuleSummary] = []
    problems: list[SyntaxProblem] = []  # of the given files: context modules that fail are left out
    unreadable = False
    on_disk = [job for job in jobs if job[0] not in buffers]
    for outcome in [*summarise_files(on_disk, cache), *summarise_buffers(jobs, buffers)]:
        if isinstance(outcome, ModuleSummary):
            summaries.append(outcome)
        elif outcome.path not in targets:
            continue
        elif isinstance(outcome, SyntaxProblem):
            problems.append(outcome)
        else:
            unreadable = True
            result.errors.append(f"{outcome.path}: {outcome.message}")
    linted = [summary for summary in summaries if summary.path in targets]
    result.files = len(linted) + len(problems)
    findings = check_modules(
        summaries, problems, settings, result.errors, result.analysis, frozenset(targets)
    )
    result.findings = [finding for finding in findings if finding.path in targets]
    result.warnings += unknown_noqa_codes([*linted, *problems])
    if whole_run_cached and not unreadable:
        cache.write(RUNS, run, marshal.dumps(result.to_data()))
    return result


def summarise_buffers(jobs: list[Job], buffers: Buffers) -> list[ModuleSummary]:
    """Summaries of the files given as editor buffers, under their planned module names."""
    summaries = []
    for path, module, is_package, _, _ in jobs:
        if path in buffers:
            tree, text = buffers[path]
            summaries.append(summarize_parsed(tree, text, path, module, is_package))
    return summaries


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
    keep: list[Context] | None = None,
    reported: frozenset[str] | None = None,
) -> list[Finding]:
    """Run the enabled rules over summarised modules; drop what config and ``# noqa`` silence.

    A rule that crashes is reported in ``errors`` (when given, else the crash propagates); the
    other rules still run. ``keep`` receives the analysis, for a caller that wants it kept;
    ``reported`` names the files whose findings are wanted, where rules can skip the others.
    """
    # in one order however the files were given, so that where two definitions of a name or
    # two entry points could explain a finding, a file given alone picks what its project picks
    summaries = sorted(summaries, key=lambda summary: os.path.abspath(summary.path))
    context = Context(Project(summaries), settings, problems, reported)
    if keep is not None:
        keep.append(context)
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
