"""Replaying an earlier run's output when nothing it depended on has changed.

A ``check`` records, in the cache, what it printed and what it depended on: the command line,
the working directory, every ``pyproject.toml`` that could have been its configuration (present
or not), and the size and modification time of every file it linted. The next identical command
re-runs discovery only (no parsing, no analyser, not even the command-line and settings
libraries) and prints the same output when all of that still holds.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

from fastapi_lint.cache import DIRECTORY, Cache, key
from fastapi_lint.discovery import discover

REPLAYS = "replays"
ARGV: list[str] | None = None  # the command line being served, set by the launcher


def stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def config_state(
    targets: list[str], config: str | None
) -> list[tuple[str, tuple[int, int] | None]]:
    """The configuration read (``--config`` may name any file) and every ``pyproject.toml``
    above the targets and the working directory that could become it, with their stamps."""
    states = [(config, stamp(config))] if config is not None else []
    seen = set()
    for start in [*targets, os.getcwd()]:
        directory = os.path.abspath(start)
        while True:
            candidate = os.path.join(directory, "pyproject.toml")
            if candidate not in seen:
                seen.add(candidate)
                states.append((candidate, stamp(candidate)))
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return states


def manifest(files: list[Path]) -> list[tuple[str, tuple[int, int] | None]]:
    return [(str(file), stamp(str(file))) for file in files]


def cache_above(directory: str) -> Cache | None:
    """The nearest cache folder at or above ``directory``."""
    while True:
        if os.path.isdir(os.path.join(directory, DIRECTORY)):
            return Cache(Path(directory))
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def replay(argv: list[str]) -> int | None:
    """Print the recorded output of this very command and return its exit code, if valid."""
    if not argv or argv[0] != "check" or "--no-cache" in argv:
        return None
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    cache = cache_above(cwd)
    data = cache.read(REPLAYS, key(argv, cwd)) if cache is not None else None
    if data is None:
        return None
    try:
        targets, config, exclude, gitignore, root, configs, files, output, code = marshal.loads(
            data
        )
    except (EOFError, ValueError, TypeError):
        return None
    if config_state(targets, config) != configs:
        return None
    found = discover([Path(t) for t in targets], exclude, gitignore, Path(root))
    if found.errors or found.warnings or manifest(found.files) != files:
        return None
    sys.stdout.write(output)
    return code


def record(
    cache: Cache,
    targets: list[Path],
    config: Path | None,
    exclude: list[str],
    respect_gitignore: bool,
    root: Path,
    files: list[Path],
    output: str,
    code: int,
) -> None:
    """Keep what a clean run printed, and everything that depended on, for ``replay``."""
    if ARGV is None:
        return
    names = [str(target) for target in targets]
    config_name = os.path.abspath(config) if config is not None else None
    entry = (
        names,
        config_name,
        exclude,
        respect_gitignore,
        str(root),
        config_state(names, config_name),
        manifest(files),
        output,
        code,
    )
    cache.write(REPLAYS, key(ARGV, os.getcwd()), marshal.dumps(entry))
