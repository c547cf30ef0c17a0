"""The ``fastapi-lint`` command: ``--version`` and replays of unchanged runs answered at once,
else the command line is loaded."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from fastapi_lint import __version__, replay


def main() -> None:
    """Entry point of the console script and of ``python -m fastapi_lint``."""
    argv = sys.argv[1:]
    if argv == ["--version"]:  # what click's version option prints, without loading click
        print(f"fastapi-lint {__version__}")
        return
    code = replay.replay(argv)
    if code is not None:
        sys.stdout.flush()
        raise SystemExit(code)
    replay.ARGV = argv
    # One run per process, building millions of acyclic objects that are never freed (see
    # exit_at_once): the cyclic collector could only spend time walking them.
    gc.disable()
    from fastapi_lint.cli import main as command_line

    try:
        command_line(prog_name="fastapi-lint")
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            exit_at_once(done.code or 0)
        raise


def exit_at_once(code: int) -> None:
    """End the process without freeing the run's objects one by one, which on a large project
    takes longer than printing the results: output is flushed, nothing else is pending."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone away, as `| head` does
            stream.flush()
    os._exit(code)
