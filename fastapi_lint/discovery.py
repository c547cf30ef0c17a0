"""Finding the Python files to lint: default excludes, user excludes and ``.gitignore``."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_lint.replay import EXISTS


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob (``*``, ``?``, ``[...]``, ``**``) as a regex on ``/`` paths."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(slots=True)
class IgnoreRule:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool
    anchored: bool


@dataclass(slots=True)
class GitIgnore:
    """The rules of one ``.gitignore``, matched against paths relative to its folder."""

    rules: list[IgnoreRule] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> GitIgnore:
        try:
            return cls.parse(path.read_text(encoding="utf-8", errors="replace").split("\n"))
        except OSError:
            return cls()

    @classmethod
    def parse(cls, lines: list[str]) -> GitIgnore:
        ignore = cls()
        for raw in lines:
            line = raw.rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            if line:
                rule = IgnoreRule(glob_to_regex(line), negated, directory_only, anchored)
                ignore.rules.append(rule)
        return ignore

    def ignored(self, relative: str, is_dir: bool) -> bool | None:
        """True/False when a rule decides, None when none applies."""
        verdict = None
        name = relative.rsplit("/", 1)[-1]
        for rule in self.rules:
            if rule.directory_only and not is_dir:
                continue
            target = relative if rule.anchored else name
            if rule.regex.match(target):
                verdict = not rule.negated
        return verdict


@dataclass(slots=True)
class Discovery:
    """Python files found under the given paths, and the problems met.

    ``watched``: the folders listed and the ignore files consulted, and (prefixed with
    ``EXISTS``) the paths whose mere presence matters, like ``.git`` above the given folder.
    While none of them and none of the files changes (see ``replay.stamp``), discovery would
    find the same files.
    """

    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    watched: list[str] = field(default_factory=list)
    # folders only a default exclude (``build``, ``dist``...) pruned, that nothing shows to be
    # source or output: walked after all if the project imports modules from them
    deferred: list[str] = field(default_factory=list)


class Excluder:
    """The exclude globs, compiled once: a name, a path as given, or a path below the root."""

    def __init__(self, patterns: list[str], root: Path | None) -> None:
        joined = "|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)
        self.match = re.compile(joined).match if patterns else None
        self.root = os.path.join(os.path.abspath(root), "") if root is not None else None

    def __call__(self, path: str, name: str, absolute: str) -> bool:
        match = self.match
        if match is None:
            return False
        if match(name) or match(path.replace(os.sep, "/")):
            return True
        root = self.root
        if root is not None and absolute.startswith(root):
            return match(absolute[len(root) :].replace(os.sep, "/")) is not None
        return False


def discover(
    paths: list[Path],
    exclude: list[str],
    respect_gitignore: bool,
    root: Path | None = None,
    shallow: bool = False,
    yielding: list[str] | None = None,
) -> Discovery:
    """Walk the paths (``shallow``: only the files directly in each folder); explicit files
    are always linted if they are Python files. ``exclude`` prunes; ``yielding`` (the default
    excludes named like packages: ``build``, ``dist``...) prunes folders that are not source
    code (see ``source_folder``)."""
    found = Discovery()
    seen: set[str] = set()
    for path in paths:
        problem = unusable(path)
        if problem is not None:
            found.errors.append(f"{path}: {problem}")
        elif os.path.isdir(path):
            walk(path, exclude, respect_gitignore, root, found, seen, shallow, yielding or [])
        elif not regular_file(path):
            found.errors.append(f"{path}: not a regular file")
        elif path.suffix == ".py":
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                found.files.append(path)
        else:
            found.warnings.append(f"{path}: not a Python file, skipped")
    return found


def unusable(path: Path) -> str | None:
    """Why a path given on the command line cannot be linted, or None when it can."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return "no such file or directory"
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if error.errno == errno.ENOENT:
            return "broken symbolic link"
        return f"cannot read: {error.strerror or error}"
    return None


def regular_file(path: Path | str) -> bool:
    """Whether ``path`` is a regular file (following links); never raises.

    Anything else named ``*.py`` (a FIFO, a socket, a device) would block or never end when read.
    """
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def gitignores_above(directory: Path, watched: list[str]) -> list[tuple[Path, GitIgnore]]:
    """The ``.gitignore`` files of the enclosing folders, up to the repository root."""
    result = []
    current = directory.absolute()
    for parent in [current, *current.parents]:
        candidate = parent / ".gitignore"
        if parent != current:
            watched += [str(candidate), EXISTS + str(parent / ".git")]
            if regular_file(candidate):
                result.append((parent, GitIgnore.read(candidate)))
        if os.path.lexists(parent / ".git"):
            break
    return list(reversed(result))


def walk(
    top: Path,
    exclude: list[str],
    respect_gitignore: bool,
    root: Path | None,
    found: Discovery,
    seen: set[str],
    shallow: bool = False,
    yielding: list[str] = (),  # type: ignore[assignment]
) -> None:
    """Collect ``.py`` files under ``top`` (``shallow``: in it), pruning excluded and ignored
    folders.

    Works on strings and ``os.scandir`` entries: a project of thousands of files is walked in
    milliseconds, which is most of what a run with a warm cache does.
    """
    excluder = Excluder(exclude, root)
    may_be_source = Excluder(list(yielding), None)
    inherited = gitignores_above(top, found.watched) if respect_gitignore else []
    ignore_bases = [(os.path.join(str(base), ""), rules) for base, rules in inherited]
    visited: set[tuple[int, int]] = set()
    stack: list[tuple[str, list[tuple[str, GitIgnore]]]] = [(str(top), ignore_bases)]
    while stack:
        directory, ignores = stack.pop()
        try:
            info = os.stat(directory)
        except OSError as error:
            found.errors.append(f"{directory}: cannot read: {error.strerror or error}")
            continue
        if (info.st_dev, info.st_ino) in visited:
            continue
        visited.add((info.st_dev, info.st_ino))
        found.watched.append(directory)
        absolute_directory = os.path.abspath(directory)
        gitignore = os.path.join(directory, ".gitignore")
        if respect_gitignore:
            found.watched.append(gitignore)
            if regular_file(gitignore):
                rules = GitIgnore.read(Path(gitignore))
                ignores = [*ignores, (os.path.join(absolute_directory, ""), rules)]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            found.errors.append(f"{directory}: cannot read: {error.strerror or error}")
            continue
        subdirectories = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: reported below when it is named like a module
                is_dir = False
            if not is_dir and not name.endswith(".py"):
                continue
            absolute = os.path.join(absolute_directory, name)
            if excluder(entry.path, name, absolute) or ignored(absolute, is_dir, ignores):
                continue
            if is_dir and may_be_source(entry.path, name, absolute):
                verdict = source_folder(absolute, absolute_directory)
                if verdict is None:
                    found.deferred.append(entry.path)
                if not verdict:
                    continue
            if is_dir:
                if not shallow:
                    subdirectories.append((entry.path, ignores))
            elif absolute not in seen:
                seen.add(absolute)
                if is_regular(entry):
                    found.files.append(Path(entry.path))
                    continue
                path = Path(entry.path)
                problem = unusable(path) or "not a regular file"
                if problem.startswith("cannot read"):
                    found.errors.append(f"{path}: {problem}")
                else:
                    found.warnings.append(f"{path}: {problem}, skipped")
        stack.extend(reversed(subdirectories))


SETUPTOOLS_OUTPUT = ("lib.", "bdist.", "temp.")  # build/lib.linux-x86_64-cpython-311, ...


def source_folder(folder: str, parent: str) -> bool | None:
    """Whether a folder named like a default exclude (``build``, ``dist``, ``venv``) is source
    code: True when it holds an ``__init__.py``, or sits in a package (``parent`` holds one)
    and does not look like output; False when it looks like output: a virtualenv
    (``pyvenv.cfg``, or ``lib``/``Lib`` folders as older virtualenvs make them) or setuptools'
    build folder (``build/lib``, ``build/lib.<platform>``, ``build/bdist.<platform>``, whose
    packages are copies); None when nothing tells (``discover`` defers it)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    if "pyvenv.cfg" in names:
        return False
    if "__init__.py" in names:
        return True
    if any(name in ("lib", "Lib", "lib64") or name.startswith(SETUPTOOLS_OUTPUT) for name in names):
        return False
    if os.path.isfile(os.path.join(parent, "__init__.py")):
        return True
    return None


def is_regular(entry: os.DirEntry) -> bool:
    """A regular file, following links (a FIFO named ``x.py`` would block a read forever)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def ignored(absolute: str, is_dir: bool, ignores: list[tuple[str, GitIgnore]]) -> bool:
    """The verdict of the deepest ``.gitignore`` that has one (bases end with a separator)."""
    verdict = False
    for base, rules in ignores:
        if absolute.startswith(base):
            decided = rules.ignored(absolute[len(base) :].replace(os.sep, "/"), is_dir)
            if decided is not None:
                verdict = decided
    return verdict
