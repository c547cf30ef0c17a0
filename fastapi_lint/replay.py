"""Replaying an earlier run's output when nothing it depended on has changed.

A ``check`` records, in the cache, what it printed and what it depended on: the command line,
the working directory, every ``pyproject.toml`` that could have been its configuration (present
or not), and the stamps (size, modification and change times) of every file it linted, every
folder discovery listed and every ``.gitignore`` it consulted. A folder's stamps change when an
entry is added, removed or renamed in it, so equal stamps mean discovery would find the same
files. The next identical command compares stamps and prints the same output when they all
hold: no discovery, no parsing, not even the command-line and settings libraries (this module
and ``cache`` import nothing beyond ``os``).
"""

from __future__ import annotations

import marshal
import os
import sys

from fastapi_lint.cache import DIRECTORY, Cache, key

TYPE_CHECKING = False  # typing itself is not imported: a replay loads only what it needs
if TYPE_CHECKING:
    from collections.abc import Iterator

REPLAYS = "replays"
ARGV: list[str] | None = None  # the command line being served, set by the launcher


Stamp = tuple[int, int, int] | bool | None
EXISTS = "?"  # the prefix of a watched path whose presence alone matters


def stamp(path: str) -> Stamp:
    """Size, modification and change times of a path (None when missing); for a path marked
    ``EXISTS``, whether it exists."""
    if path.startswith(EXISTS):
        return os.path.lexists(path[1:])
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size)


def config_state(targets: list[str], config: str | None) -> list[tuple[str, Stamp]]:
    """The configuration read (``--config`` may name any file) and every ``pyproject.toml``
    above the targets and the working directory that could become it, with their stamps."""
    states = [(config, stamp(config))] if config is not None else []
    seen = set()
    for start in [*targets, os.getcwd()]:
        for directory in ancestors(os.path.abspath(start)):
            candidate = os.path.join(directory, "pyproject.toml")
            if candidate not in seen:
                seen.add(candidate)
                states.append((candidate, stamp(candidate)))
    return states


def stamps(paths: list[str]) -> list[Stamp]:
    return [stamp(path) for path in paths]


def ancestors(directory: str) -> Iterator[str]:
    """``directory`` (absolute) and each folder above it, up to the file system's root."""
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


def cache_above(directory: str) -> Cache | None:
    """The nearest cache folder at or above ``directory``."""
    for folder in ancestors(directory):
        if os.path.isdir(os.path.join(folder, DIRECTORY)):
            return Cache(folder)
    return None


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
        targets, config, configs, paths, recorded, output, code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if config_state(targets, config) != configs or stamps(paths) != recorded:
        return None
    sys.stdout.write(output)
    return code


def record(
    cache: Cache,
    targets: list[os.PathLike[str]],
    config: os.PathLike[str] | None,
    watched: list[str],
    watched_stamps: list[Stamp],
    output: str,
    code: int,
) -> None:
    """Keep what a clean run printed, and everything it depended on (``watched``: the files
    linted, the folders listed and the ignore files read, stamped before the run read them),
    for ``replay``."""
    if ARGV is None:
        return
    names = [str(target) for target in targets]
    config_name = os.path.abspath(config) if config is not None else None
    configs = config_state(names, config_name)
    entry = (names, config_name, configs, watched, watched_stamps, output, code)
    cache.write(REPLAYS, key(ARGV, os.getcwd()), marshal.dumps(entry))
