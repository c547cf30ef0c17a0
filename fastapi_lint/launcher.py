"""The ``fastapi-lint`` command: ``--version`` and replays of unchanged runs answered at once,
else the command line is loaded."""

from __future__ import annotations

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
    from fastapi_lint.cli import main as command_line

    command_line(prog_name="fastapi-lint")
