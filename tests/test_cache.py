"""The cache changes how fast a run is, never what it finds."""

import json
import marshal
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import importtime

from fastapi_lint import engine
from fastapi_lint.cache import Cache
from fastapi_lint.config import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CACHE = ".fastapi_lint_cache"
PROJECTS = [
    FIXTURES / "example_app",
    *sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir() and p.name[0] != "."),
]


def check(cwd: Path, *args: str) -> list[tuple]:
    """``fastapi-lint check --output-format json ARGS`` in ``cwd``: the findings, compared whole."""
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_lint", "check", "--output-format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return [
        (f["filename"], f["location"]["row"], f["location"]["column"], f["code"], f["message"])
        for f in json.loads(done.stdout)
    ]


def copy(project: Path, tmp_path: Path) -> Path:
    target = tmp_path / project.name
    shutil.copytree(project, target, ignore=shutil.ignore_patterns("__pycache__", CACHE))
    return target


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_cached_and_uncached_runs_agree(project: Path, tmp_path: Path) -> None:
    root = copy(project, tmp_path)
    uncached = check(root, "--no-cache", ".")
    assert not (root / CACHE).exists()
    assert check(root, ".") == uncached  # writes the cache
    assert (root / CACHE / "runs").is_dir()
    assert check(root, ".") == uncached  # reads it


def test_editing_one_module_updates_findings_in_modules_that_use_it(tmp_path: Path) -> None:
    root = copy(FIXTURES / "projects" / "bigger_app", tmp_path)
    before = check(root, ".")
    assert any(f[3] == "FAL102" and f[0].endswith("users.py") for f in before)
    database = root / "app" / "database.py"
    text = database.read_text(encoding="utf-8")
    database.write_text(
        text.replace(
            "DbSession = Annotated[Session, Depends(get_db)]",
            "DbSession = Annotated[AsyncSession, Depends(get_async_db)]",
        ),
        encoding="utf-8",
    )
    after = check(root, ".")
    assert after == check(root, "--no-cache", ".")
    assert not any(f[3] == "FAL102" for f in after)
    assert len(after) == len(before) - 1


def test_a_corrupt_cache_is_survived_and_rewritten(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    expected = check(root, ".")
    entries = [p for p in (root / CACHE).rglob("*") if p.is_file() and p.parent.name != CACHE]
    assert entries
    for index, entry in enumerate(entries):
        entry.write_bytes(b"" if index % 2 else b"\x00garbage")
    assert check(root, ".") == expected
    assert all(entry.stat().st_size > 16 for entry in entries if entry.exists())
    assert check(root, ".") == expected


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    root = copy(FIXTURES / "projects" / "service_layers", tmp_path)
    expected = check(root, "--no-cache", ".")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: check(root, "."), range(4)))
    assert results == [expected] * 4
    assert not [p for p in (root / CACHE).rglob(".tmp-*")]
    assert check(root, ".") == expected


def test_clean_removes_the_cache(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    check(root, ".")
    assert (root / CACHE).is_dir()
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_lint", "clean"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"Removed {root / CACHE}")
    assert not (root / CACHE).exists()


def concise(cwd: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_lint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_an_unchanged_run_is_replayed_and_any_change_runs_again(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    first = concise(root, ".")
    assert first[0] == 1 and "FAL102" in first[1]
    assert list((root / CACHE / "replays").iterdir())
    assert concise(root, ".") == first  # replayed
    items = root / "app" / "routers" / "items.py"
    items.write_text(items.read_text().replace("requests.get(", "httpx.get("), encoding="utf-8")
    edited = concise(root, ".")
    assert edited == concise(root, "--no-cache", ".")
    assert "requests.get" not in edited[1] and "httpx.get" in edited[1]
    (root / "pyproject.toml").write_text('[tool.fastapi-lint]\nignore = ["FAL1"]\n')
    configured = concise(root, ".")
    assert configured == concise(root, "--no-cache", ".")
    assert "FAL101" not in configured[1] and "FAL201" in configured[1]
    (root / "app" / "extra.py").write_text("import time\n", encoding="utf-8")
    assert concise(root, "--statistics", ".") == concise(root, "--no-cache", "--statistics", ".")


def test_runs_that_warn_are_not_replayed(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    code, stdout, stderr = concise(root, "--select", "FAL999,FAL4", ".")
    assert "unknown rule code or prefix 'FAL999'" in stderr
    assert not (root / CACHE / "replays").exists()
    assert concise(root, "--select", "FAL999,FAL4", ".") == (code, stdout, stderr)


def test_a_replayed_run_notices_its_config_file_changing(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    settings = tmp_path / "settings.toml"
    settings.write_text('[tool.fastapi-lint]\nselect = ["FAL1"]\n', encoding="utf-8")
    first = concise(root, "--config", str(settings), ".")
    assert concise(root, "--config", str(settings), ".") == first
    settings.write_text('[tool.fastapi-lint]\nselect = ["FAL4"]\n', encoding="utf-8")
    changed = concise(root, "--config", str(settings), ".")
    assert changed == concise(root, "--no-cache", "--config", str(settings), ".")
    assert "FAL401" in changed[1] and "FAL101" not in changed[1]


def test_a_replayed_run_loads_no_command_line_library_nor_analyser(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    first = concise(root, ".")

    def imported(*args: str) -> set[str]:
        return importtime(root, "check", *args)[1]

    heavy = {"click", "fastapi_lint.discovery", "fastapi_lint.project"}
    assert not (heavy | {"pydantic"}) & imported(".")
    assert heavy <= imported("--no-cache", ".")
    assert concise(root, ".") == first


@pytest.mark.parametrize(
    "change",
    ["new file deep down", "file removed", "new gitignore", "gitignore edited", "folder renamed"],
)
def test_replay_notices_what_discovery_would_find_differently(tmp_path: Path, change: str) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    (root / ".git").mkdir()
    (root / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    routers = root / "app" / "routers"
    first = concise(root, ".")
    assert concise(root, ".") == first
    if change == "new file deep down":
        (routers / "extra.py").write_text(
            "import time\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/x")\nasync def x() -> None:\n    time.sleep(1)\n',
            encoding="utf-8",
        )
    elif change == "file removed":
        (routers / "items.py").unlink()
    elif change == "new gitignore":
        (routers / ".gitignore").write_text("items.py\n", encoding="utf-8")
    elif change == "gitignore edited":
        (root / ".gitignore").write_text("scratch/\nitems.py\n", encoding="utf-8")
    else:
        routers.rename(root / "app" / "scratch")
    after = concise(root, ".")
    assert after != first
    assert after == concise(root, "--no-cache", ".")


def test_changes_outside_what_is_linted_keep_the_replay(tmp_path: Path) -> None:
    root = copy(FIXTURES / "example_app", tmp_path)
    (root / ".git").mkdir()
    (root / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (root / "scratch").mkdir()
    first = concise(root, ".")
    replays = root / CACHE / "replays"
    recorded = {path.name: path.stat().st_mtime_ns for path in replays.iterdir()}
    (root / "scratch" / "new.py").write_text("import requests\n", encoding="utf-8")
    assert concise(root, ".") == first
    assert {path.name: path.stat().st_mtime_ns for path in replays.iterdir()} == recorded


def test_git_activity_above_the_linted_folder_keeps_the_replay(tmp_path: Path) -> None:
    """Above the folder linted, only ``.gitignore`` files and whether ``.git`` exists matter:
    git writing inside ``.git`` (as during the commit a pre-commit hook runs in) does not."""
    root = copy(FIXTURES / "example_app", tmp_path)
    (root / ".git").mkdir()
    first = concise(root, "app")
    replays = root / CACHE / "replays"
    recorded = {path.name: path.stat().st_mtime_ns for path in replays.iterdir()}
    (root / ".git" / "index.lock").write_text("", encoding="utf-8")
    (root / "notes.txt").write_text("", encoding="utf-8")
    assert concise(root, "app") == first
    assert {path.name: path.stat().st_mtime_ns for path in replays.iterdir()} == recorded
    (root / ".gitignore").write_text("legacy.py\n", encoding="utf-8")
    ignoring = concise(root, "app")
    assert ignoring != first and "legacy.py" not in ignoring[1]
    assert ignoring == concise(root, "--no-cache", "app")


@pytest.mark.parametrize("marker", [".git", "__init__.py"])
def test_replay_of_a_file_given_alone_notices_its_surroundings_change(
    tmp_path: Path, marker: str
) -> None:
    """What a file given alone is linted with depends on the folders above it: a ``.git``
    making its folder a project (its neighbours become context), an ``__init__.py`` making the
    folder above its package part of the package. Either appearing after a run makes the next
    run lint again, not replay."""
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    folder = tmp_path / "pkg" / "sub" if marker == "__init__.py" else tmp_path
    (tmp_path / "pkg" / "helpers.py").write_text(
        "import time\n\n\ndef pause() -> None:\n    time.sleep(1)\n", encoding="utf-8"
    )
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "main.py").write_text(
        "from fastapi import FastAPI\n\nfrom pkg.helpers import pause\n\napp = FastAPI()\n\n\n"
        '@app.get("/")\nasync def index() -> None:\n    pause()\n',
        encoding="utf-8",
    )
    given = str((folder / "main.py").relative_to(tmp_path))
    first = concise(tmp_path, given)
    assert "FAL103" not in first[1]
    assert concise(tmp_path, given) == first
    if marker == ".git":
        (tmp_path / ".git").mkdir()
    else:
        (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    after = concise(tmp_path, given)
    assert after == concise(tmp_path, "--no-cache", given)
    assert "FAL103" in after[1]


def test_entries_follow_file_contents_not_times(tmp_path: Path) -> None:
    """A fresh checkout (new modification times, same bytes), as in CI with a restored cache,
    reuses every entry; changed bytes make one new entry."""
    root = copy(FIXTURES / "projects" / "bigger_app", tmp_path)
    first = check(root, ".")
    entries = root / CACHE / "files"
    before = set(entries.iterdir())
    later = time.time() + 100
    for path in root.rglob("*.py"):
        os.utime(path, (later, later))
    assert check(root, ".") == first
    assert set(entries.iterdir()) == before
    module = sorted(p for p in root.rglob("*.py") if CACHE not in p.parts)[0]
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert check(root, ".") == check(root, "--no-cache", ".")
    assert len(set(entries.iterdir()) - before) == 1


def test_a_single_file_run_notices_its_package_changing(tmp_path: Path) -> None:
    """The package around a given file is part of what its run read: editing ``database.py``
    to hand out async sessions clears the finding in ``users.py`` even when only ``users.py``
    is checked, replayed or not."""
    root = copy(FIXTURES / "example_app", tmp_path)
    first = concise(root, "app/routers/users.py")
    assert "FAL102" in first[1]
    assert concise(root, "app/routers/users.py") == first
    database = root / "app" / "database.py"
    text = database.read_text(encoding="utf-8")
    text = text.replace("Annotated[Session,", "Annotated[AsyncSession,")
    text = text.replace("db = SessionLocal()", "db = AsyncSession()")
    text = text.replace(
        "from fastapi import Depends\n",
        "from fastapi import Depends\nfrom sqlalchemy.ext.asyncio import AsyncSession\n",
    )
    database.write_text(text, encoding="utf-8")
    after = concise(root, "app/routers/users.py")
    assert "FAL102" not in after[1]
    assert after == concise(root, "--no-cache", "app/routers/users.py")


def test_files_unchanged_since_the_last_run_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file keeps its digest while its stamp holds; a rewrite shows in its change time even
    with its size and modification time put back, and a broken index is ignored."""
    root = copy(FIXTURES / "example_app", tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setattr(engine, "SETTLED_NS", -(10**15))  # every stamp counts as settled
    hashed: list[str] = []
    read = engine.read_facts
    monkeypatch.setattr(
        engine, "read_facts", lambda path: hashed.append(Path(path).name) or read(path)
    )

    def run(cached: bool = True) -> list[tuple]:
        result = engine.lint([Path(".")], Settings(), Cache(root) if cached else None)
        return [(f.path, f.line, f.code, f.message) for f in result.findings]

    first = run()
    assert "items.py" in hashed and len(hashed) > 5
    hashed.clear()
    assert run() == first
    assert hashed == []

    items = root / "app" / "routers" / "items.py"
    before = items.stat()
    time.sleep(0.05)  # the change time moves on, whatever the clock's resolution
    items.write_text(items.read_text().replace("requests.get(", "requests.put("))
    os.utime(items, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert items.stat().st_size == before.st_size
    changed = run()
    assert hashed == ["items.py"]
    assert any("requests.put" in f[3] for f in changed)
    assert changed == run(cached=False)

    index = root / CACHE / "digests" / "digests"
    for broken in (b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({str(items): (1, 2, 3)})):
        index.write_bytes(broken)
        hashed.clear()
        assert run() == changed
        assert "items.py" in hashed


def test_cache_entries_hold_for_one_libcst_release_only() -> None:
    """libcst reads the files this Python cannot: another release may read them otherwise."""
    from fastapi_lint import cache

    release = cache.libcst_release()
    assert release.startswith("libcst-") and release.endswith(".dist-info")
    assert release in cache.environment()


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cache:
    """A copy of the example app as the current folder, and a cache that keeps what it
    decodes, as the language server's does."""
    shutil.copytree(FIXTURES / "example_app", tmp_path / "example_app")
    monkeypatch.chdir(tmp_path)
    return Cache(tmp_path, keep_decoded=True)


APP = [Path("example_app")]
ITEMS = Path("example_app") / "app" / "routers" / "items.py"


def test_a_cache_that_keeps_decoded_summaries_reads_only_what_changed(
    kept: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = engine.lint(APP, Settings(), kept).findings
    reads: list[str] = []
    analysed: list[str] = []
    monkeypatch.setattr(kept, "read", lambda kind, name: reads.append(kind))
    real_analyse = engine.analyse_job
    monkeypatch.setattr(
        engine, "analyse_job", lambda job: analysed.append(job[0]) or real_analyse(job)
    )
    again = engine.lint(APP, Settings(), kept).findings
    assert again == first and analysed == []
    assert engine.FILES not in reads
    ITEMS.write_text(ITEMS.read_text().replace("requests.get(", "fetch("))
    changed = engine.lint(APP, Settings(), kept).findings
    assert analysed == [str(ITEMS)]
    assert {f.code for f in first} - {f.code for f in changed} == {"FAL101"}


def test_module_names_are_kept_while_files_and_imports_stay_the_same(
    kept: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = engine.name_modules
    monkeypatch.setattr(engine, "name_modules", lambda *args: calls.append(1) or real(*args))
    first = engine.lint(APP, Settings(), kept).findings
    ITEMS.write_text(ITEMS.read_text() + "\nX = 1\n")  # the same imports
    assert engine.lint(APP, Settings(), kept).findings == first
    assert len(calls) == 1
    ITEMS.write_text("import os\n" + ITEMS.read_text())
    engine.lint(APP, Settings(), kept)
    assert len(calls) == 2
