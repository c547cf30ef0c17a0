"""The ``fastapi-lint`` command: replay an unchanged run, else load the command line."""

from __future__ import annotations

import sys

from fastapi_lint import replay


def main() -> None:
    """Entry point of the console script and of ``python -m fastapi_lint``."""
    argv = sys.argv[1:]
    code = replay.replay(argv)
    if code is not None:
        sys.stdout.flush()
        raise SystemExit(code)
    replay.ARGV = argv
    from fastapi_lint.cli import main as command_line

    command_line(prog_name="fastapi-lint")
