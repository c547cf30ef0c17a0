"""The pre-commit hook (``.pre-commit-hooks.yaml``), run for real with ``pre-commit try-repo``.

``try-repo`` clones the hook repository at a commit and pip-installs it into a fresh
environment (needs PyPI, or a configured mirror, for click and pydantic). A local path is
cloned at HEAD plus tracked changes only: untracked files, such as a new module or the hook
manifest before it is added, would be missing. So the hook repository tried here is a
snapshot of the working tree (every file git does not ignore) committed in a temporary
repository: it tests exactly what is on disk, whatever has been committed or staged.

``try-repo`` always installs into a temporary store of its own (it ignores the cache in
``PRE_COMMIT_HOME``, which here only receives the log), so each run installs afresh; pip's own
cache keeps that quick. The two runs below go in parallel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / ".pre-commit-hooks.yaml"
TIMEOUT = 600

CLEAN = """\
import asyncio

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example"])


class Status(BaseModel):
    status: str


@app.get("/wait")
async def wait() -> Status:
    await asyncio.sleep(1)
    return Status(status="ok")
"""
# The same app with the event loop blocked: FAL101 is its only finding.
BAD = CLEAN.replace("import asyncio", "import time").replace(
    "await asyncio.sleep(1)", "time.sleep(1)"
)


def environment(home: Path) -> dict[str, str]:
    """A clean environment: no git or pre-commit state of an enclosing hook, no user config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "SKIP"
    }
    return env | {
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "fastapi-lint tests",
        "GIT_AUTHOR_EMAIL": "tests@fastapi-lint.invalid",
        "GIT_COMMITTER_NAME": "fastapi-lint tests",
        "GIT_COMMITTER_EMAIL": "tests@fastapi-lint.invalid",
    }


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def snapshot(target: Path, env: dict[str, str]) -> Path:
    """The working tree's files that git does not ignore, committed in a new repository."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if listed.returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout: {listed.stderr.strip()}")
    target.mkdir()
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, env, "init", "-q")
    git(target, env, "add", "-A")
    git(target, env, "commit", "-q", "--no-verify", "-m", "working tree of fastapi-lint")
    return target


def try_repo(hook_repo: Path, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "fastapi-lint"]
    return subprocess.run(
        [*command, "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_manifest_declares_the_hook() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "fastapi-lint"
    assert hook["entry"] == "fastapi-lint check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert "python" in [*hook["types"], *hook["types_or"]]
    raw = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert raw[0]["name"] and raw[0]["description"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """``pre-commit try-repo`` on a project with a blocking route and on a clean one."""
    base = tmp_path_factory.mktemp("pre-commit")
    env = environment(base / "home")
    hook_repo = snapshot(base / "hook-repo", env)
    projects = {"bad": ("bad.py", BAD), "clean": ("clean.py", CLEAN)}
    for name, (filename, source) in projects.items():
        (base / name).mkdir()
        (base / name / filename).write_text(source, encoding="utf-8")
        git(base / name, env, "init", "-q")
        git(base / name, env, "add", filename)
    with ThreadPoolExecutor(len(projects)) as pool:
        futures = {name: pool.submit(try_repo, hook_repo, base / name, env) for name in projects}
        return {name: future.result() for name, future in futures.items()}


def describe(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"


@pytest.mark.slow
def test_hook_fails_on_a_blocking_call(runs: dict[str, subprocess.CompletedProcess]) -> None:
    done = runs["bad"]
    assert done.returncode == 1, describe(done)
    assert "- hook id: fastapi-lint" in done.stdout, describe(done)
    assert "Failed" in done.stdout, describe(done)
    assert "bad.py:17:5: FAL101 Blocking call `time.sleep`" in done.stdout, describe(done)


@pytest.mark.slow
def test_hook_passes_on_a_clean_file(runs: dict[str, subprocess.CompletedProcess]) -> None:
    done = runs["clean"]
    assert done.returncode == 0, describe(done)
    assert "Passed" in done.stdout, describe(done)
    assert "FAL" not in done.stdout, describe(done)
