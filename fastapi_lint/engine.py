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

from fastapi_lint.cache import Cache, blake2b, key
from fastapi_lint.config import Settings
from fastapi_lint.context import Context
from fastapi_lint.discovery import Discovery, discover, regular_file
from fastapi_lint.findings import Finding
from fastapi_lint.modules import (
    Imports,
    claimed_folders,
    context_roots,
    name_modules,
    read_imports,
    scan_imports,
)
from fastapi_lint.project import Project
from fastapi_lint.replay import Stamp, stamps
from fastapi_lint.reporters import display_path
from fastapi_lint.rules import all_rules
from fastapi_lint.source import (
    WHOLE_FILE,
    ReadProblem,
    SyntaxProblem,
    analyse,
    analyse_text,
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


PARALLEL_THRESHOLD = 48
# how the pool's workers start (None: the platform's default): a process with threads of its
# own, such as the language server, must not fork them from a thread
POOL_START: str | None = None
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
    kept = cache.decoded if cache is not None else None
    if cache is not None:
        for index, job in enumerate(jobs):
            if kept is not None and job[4] in kept:
                outcomes[index] = kept[job[4]]  # type: ignore[assignment]
                continue
            data = cache.read(FILES, job[4])
            if data is not None:
                with suppress(EOFError, ValueError, TypeError):  # corrupt: analysed again
                    outcomes[index] = decode(data)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    workers = worker_count()
    if len(todo) < PARALLEL_THRESHOLD or workers < 2 or in_daemon():
        for index in todo:
            outcomes[index] = received(analyse_job(jobs[index]))
    else:
        summarise_in_pool(jobs, todo, outcomes, workers)
    if kept is not None:  # this run's entries only: older versions of files are let go
        kept.clear()
        for job, outcome in zip(jobs, outcomes, strict=True):
            if not isinstance(outcome, ReadProblem):
                kept[job[4]] = outcome
    return outcomes  # type: ignore[return-value]


def summarise_in_pool(
    jobs: list[Job],
    todo: list[int],
    outcomes: list[ModuleSummary | SyntaxProblem | ReadProblem | None],
    workers: int,
) -> None:
    """Analyse the files ``todo`` names in a process pool, into ``outcomes``."""
    import multiprocessing  # 40 ms with the pool: only when used
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context(POOL_START)
    with ProcessPoolExecutor(workers, context, initializer=gc.disable) as pool:
        batches = {
            pool.submit(analyse_batch, [jobs[i] for i in batch]): batch
            for batch in batches_by_size(todo, jobs, workers)
        }
        for done in as_completed(batches):  # decoded while the workers go on
            for index, result in zip(batches[done], done.result(), strict=True):
                outcomes[index] = received(result)


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


# what a run reads of each file (by absolute path) before analysing any: a digest of its
# bytes (with a cache) and its imports (``modules.scan_imports``)
Facts = dict[str, tuple["str | None", Imports]]


def plan_jobs(files: list[Path], facts: Facts, cache: Cache | None) -> list[Job]:
    """Module names for the files (``modules.name_modules``: from the file system and the
    imports the files make, whatever paths were given) and, with a cache, each file's entry in
    it: its path, name and a digest of its bytes (so a file touched, or checked out again in
    CI, still hits)."""
    absolutes = [os.path.abspath(file) for file in files]
    names = module_names(absolutes, [facts[absolute][1] for absolute in absolutes], cache)
    root = str(cache.root) if cache is not None else None
    jobs: list[Job] = []
    for file, absolute, (module, is_package) in zip(files, absolutes, names, strict=True):
        entry = key(str(file), module, is_package, facts[absolute][0]) if cache is not None else ""
        jobs.append((str(file), module, is_package, root, entry))
    return jobs


def module_names(
    files: list[str], imports: list[Imports], cache: Cache | None
) -> list[tuple[str, bool]]:
    """``modules.name_modules``; in a process that keeps decoded summaries, the names of its
    last run when the same files make the same imports (it drops that cache when folders or
    configs change, which the names also depend on)."""
    if cache is None or cache.decoded is None:
        return name_modules(files, imports)
    key = (files, imports)
    if cache.names is not None and cache.names[0] == key:
        return cache.names[1]
    names = name_modules(files, imports)
    cache.names = (key, names)
    return names


def file_facts(
    names: list[str], file_stamps: list[Stamp], cache: Cache | None, buffers: dict[str, str]
) -> Facts:
    """Digests and imports of files (by absolute path; ``buffers``, texts by absolute path,
    are scanned instead of their files). With a cache, a file whose stamp is the one it had
    when a run read it is not read again: its digest and imports are kept in the cache's
    digest table; a file changed within ``SETTLED_NS`` of its stamp is read every time, as it
    could change again without its stamp showing it (clocks have a resolution)."""
    facts: Facts = {}
    if cache is None:
        for name in names:
            text = buffers.get(name)
            if text is not None:
                facts[name] = (None, scan_imports(text.encode("utf-8", "replace")))
            else:
                facts[name] = (None, read_imports(name))
        return facts
    known: dict = {}
    data = cache.read(DIGESTS, DIGESTS)
    if data is not None:
        with suppress(EOFError, ValueError, TypeError):
            loaded = marshal.loads(data)
            known = loaded if type(loaded) is dict else {}
    settled = time.time_ns() - SETTLED_NS
    learned = False
    for name, stamp in zip(names, file_stamps, strict=True):
        entry = known.get(name)
        stored = stored_imports(entry[2]) if type(entry) is tuple and len(entry) == 3 else None
        if stamp is not None and stored is not None and entry[0] == stamp:
            value, imports = entry[1], stored
        else:
            value, imports = read_facts(name)
            if type(stamp) is tuple and value is not None and max(stamp[:2]) < settled:
                known[name] = (stamp, value, tuple(imports))
                learned = True
        text = buffers.get(name)
        if text is not None:
            imports = scan_imports(text.encode("utf-8", "replace"))
        facts[name] = (value, imports)
    if learned:
        if len(known) > MAX_DIGESTS:  # mostly files of long ago: keep this run's only
            kept = set(names)
            known = {name: entry for name, entry in known.items() if name in kept}
        cache.write(DIGESTS, DIGESTS, marshal.dumps(known))
    return facts


def stored_imports(value: object) -> Imports | None:
    """Imports as the digest table keeps them, if that is what ``value`` is."""
    if type(value) is tuple and len(value) == 2 and all(type(v) is tuple for v in value):
        return Imports(*value)
    return None


def read_facts(path: str) -> tuple[str | None, Imports]:
    """A digest of a file's bytes and its imports; no digest when it cannot be read (its
    analysis says why)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None, Imports()
    return blake2b(data, digest_size=16).hexdigest(), scan_imports(data)


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


# path as discovered -> (its tree, or None to parse it here; its text): to use instead of the file
Buffers = dict[str, tuple["ast.Module | None", str]]


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


def lint_project(
    paths: list[Path], settings: Settings, cache: Cache | None, buffers: Buffers
) -> LintResult:
    """The run itself (see ``lint``)."""
    exclude, yielding = settings.excludes()
    if cache is not None:  # before discovery stamps folders: creating it changes its parent
        cache.create()
    base = settings.root or Path.cwd()

    def discovered(paths: list[Path], shallow: bool = False) -> Discovery:
        return discover(paths, exclude, settings.respect_gitignore, base, shallow, yielding)

    texts = {os.path.abspath(path): text for path, (_, text) in buffers.items()}
    found = discovered(paths)
    given = [os.path.abspath(path) for path in paths if path.suffix == ".py" and regular_file(path)]
    given_imports = {name: found[1] for name, found in file_facts(given, [], None, texts).items()}
    whole, beside, markers = context_roots(paths, given_imports)
    around = discovered([Path(display_path(folder)) for folder in whole])
    nearby = discovered([Path(display_path(folder)) for folder in beside], shallow=True)
    known = {os.path.abspath(file) for file in found.files}
    context = []
    for file in [*around.files, *nearby.files]:
        absolute = os.path.abspath(file)
        if absolute not in known:
            known.add(absolute)
            context.append(file)
    watched = found.watched + around.watched + nearby.watched + markers
    stamp_of: dict[str, Stamp] = {}
    facts: Facts = {}

    def read(new: list[Path]) -> None:
        """Stamp files (before reading them), then take their digests and imports."""
        names = [str(file) for file in new]
        new_stamps = stamps(names) if cache is not None else [None] * len(names)
        stamp_of.update(zip(names, new_stamps, strict=True))
        facts.update(file_facts([os.path.abspath(n) for n in names], new_stamps, cache, texts))

    read([*found.files, *context])
    # folders a default exclude held back, walked once the project imports modules from them
    for discovery, into in ((found, found.files), (around, context)):
        deferred = discovery.deferred
        while deferred:
            claimed = claimed_folders(deferred, {name: fact[1] for name, fact in facts.items()})
            if not claimed:
                break
            more = discovered([Path(folder) for folder in claimed])
            new = [file for file in more.files if os.path.abspath(file) not in known]
            known.update(os.path.abspath(file) for file in new)
            into.extend(new)
            if discovery is found:
                found.errors += more.errors
                found.warnings += more.warnings
            watched += more.watched
            read(new)
            deferred = more.deferred
    files = [*found.files, *context]
    targets = {str(file) for file in found.files}
    watched = [str(file) for file in files] + watched
    watched_stamps = []
    if cache is not None:
        watched_stamps = [stamp_of[str(file)] for file in files] + stamps(watched[len(files) :])
    jobs = plan_jobs(files, facts, cache)
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


def summarise_buffers(jobs: list[Job], buffers: Buffers) -> list[ModuleSummary | SyntaxProblem]:
    """Summaries of the files given as editor buffers, under their planned module names (a
    buffer without its tree is parsed here: it may not parse)."""
    summaries: list[ModuleSummary | SyntaxProblem] = []
    for path, module, is_package, _, _ in jobs:
        if path in buffers:
            tree, text = buffers[path]
            if tree is None:
                summaries.append(analyse_text(text, path, module, is_package))
            else:
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
