"""Helpers shared by the test modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def importtime(cwd: Path | None, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``python -X importtime -m fastapi_lint ARGS`` in ``cwd``: the run (which must end with
    0 or 1), and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "fastapi_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done, {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
