"""The flake8 plugin reports exactly what ``fastapi-lint check`` reports, through real flake8.

Every run is a subprocess: ``python -m flake8 --isolated`` (so no flake8 config of the repo or
the user interferes) next to ``python -m fastapi_lint check --output-format json`` on the same
paths from the same working directory. Findings are compared as sets of
``(real path, row, column, code, message)``; both sides print 1-based character columns.

flake8 does not run tree plugins on a file that does not parse (it reports E999 itself), so
FAL001 is the one code that never comes through flake8.
"""

from __future__ import annotations

import argparse
import ast
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from fastapi_lint import __version__

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SIX_CODES = {"FAL101", "FAL102", "FAL201", "FAL301", "FAL401", "FAL402"}
FLAKE8_LINE = re.compile(
    r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$"
)
TIMEOUT = 120


class Row(NamedTuple):
    path: str
    row: int
    col: int
    code: str
    message: str


# Before Python 3.12, ast.parse raises ValueError on NUL bytes, which flake8 does not catch:
# flake8 itself crashes on such files, so they are kept away from it there.
FLAKE8_CRASHERS = (
    sorted(p.name for p in FIXTURES.rglob("*.py") if b"\0" in p.read_bytes())
    if sys.version_info < (3, 12)
    else []
)


def crashes_flake8(path: str) -> bool:
    return os.path.basename(path) in FLAKE8_CRASHERS


def in_repository(cwd: Path) -> bool:
    """Whether runs there would leave a cache in this repository's tree (the cache itself is
    tested on copies, in temporary folders)."""
    return cwd.resolve().is_relative_to(REPO)


def real(cwd: Path, path: str) -> str:
    """A reported path as an absolute path with symlinks resolved."""
    return os.path.realpath(os.path.join(cwd, path))


def flake8(
    cwd: Path,
    *args: str,
    select: str = "FAL",
    stdin: str | None = None,
    python: list[str] | None = None,
) -> set[Row]:
    """The findings of ``flake8 --isolated --select SELECT ARGS``, run in ``cwd``."""
    command = [*(python or [sys.executable, "-m", "flake8"]), "--isolated", "--select", select]
    if in_repository(cwd):
        command.append("--fastapi-lint-no-cache")
    if FLAKE8_CRASHERS:
        command.append(f"--extend-exclude={','.join(FLAKE8_CRASHERS)}")
    done = subprocess.run(
        [*command, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert done.stderr == "", done.stderr
    rows = set()
    for line in done.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        assert match, f"unexpected flake8 output line: {line!r}"
        path = match["path"] if match["path"] == "stdin" else real(cwd, match["path"])
        rows.add(Row(path, int(match["row"]), int(match["col"]), match["code"], match["msg"]))
    assert done.returncode == (1 if rows else 0), done
    return rows


def cli(cwd: Path, *paths: str) -> set[Row]:
    """The findings of ``fastapi-lint check --output-format json PATHS``, run in ``cwd``."""
    no_cache = ["--no-cache"] if in_repository(cwd) else []
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fastapi_lint",
            "check",
            "--output-format",
            "json",
            *no_cache,
            *paths,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)
    assert done.returncode == (1 if findings else 0), done
    return {
        Row(
            real(cwd, item["filename"]),
            item["location"]["row"],
            item["location"]["column"],
            item["code"],
            item["message"],
        )
        for item in findings
    }


def without_syntax_errors(rows: set[Row]) -> set[Row]:
    return {row for row in rows if row.code != "FAL001"}


def show(rows: set[Row]) -> str:
    return "\n".join(f"{r.path}:{r.row}:{r.col}: {r.code} {r.message}" for r in sorted(rows))


def assert_same(through_flake8: set[Row], through_cli: set[Row]) -> None:
    assert through_flake8 == through_cli, (
        f"only flake8:\n{show(through_flake8 - through_cli)}\n"
        f"only the CLI:\n{show(through_cli - through_flake8)}"
    )


def compare(cwd: Path, *paths: str) -> set[Row]:
    """flake8's findings, checked against the CLI's (both run at once).

    Files flake8's own interpreter cannot parse (E999: syntax errors, or syntax newer than
    this Python, which the CLI still reads) get no plugin findings from flake8: they are left
    out of the comparison.
    """
    with ThreadPoolExecutor(2) as pool:
        through_flake8 = pool.submit(flake8, cwd, *paths, select="FAL,E999")
        through_cli = pool.submit(cli, cwd, *paths)
        rows = through_flake8.result()
        unparsed = {row.path for row in rows if row.code == "E999"}
        unparsed |= {row.path for row in through_cli.result() if crashes_flake8(row.path)}
        rows = {row for row in rows if row.code != "E999"}
        expected = {row for row in through_cli.result() if row.path not in unparsed}
        assert_same(rows, without_syntax_errors(expected))
    return rows


def fixture_cases() -> list:
    """(cwd, path) of every fixture linted as a whole: example app, projects, FAL* folders."""
    projects = FIXTURES / "projects"
    return [
        pytest.param(FIXTURES, "example_app", id="example_app"),
        *(
            pytest.param(projects, path.name, id=f"projects/{path.name}")
            for path in sorted(projects.glob("*/"))
            if any(path.rglob("*.py"))
        ),
        *(
            pytest.param(FIXTURES, path.name, id=path.name)
            for path in sorted(FIXTURES.glob("FAL*"))
            if path.is_dir()
        ),
    ]


def multi_module_cases() -> list:
    return [case for case in fixture_cases() if not case.id.startswith("FAL")]


def has_expectations(cwd: Path, path: str) -> bool:
    """Whether a fixture expects findings outside files this Python cannot parse itself."""
    for file in (cwd / path).rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        if "# expect:" in text:
            try:
                ast.parse(text)
            except SyntaxError:
                continue
            return True
    return False


def copy_example_app(tmp_path: Path) -> Path:
    target = tmp_path / "example_app"
    shutil.copytree(FIXTURES / "example_app", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_plugin_is_registered() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--version"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert f"fastapi-lint: {__version__}" in done.stdout, done.stdout


@pytest.mark.parametrize(("cwd", "path"), fixture_cases())
def test_flake8_reports_what_the_cli_reports(cwd: Path, path: str) -> None:
    compare(cwd, path)


def test_example_app_gives_all_six_codes_through_flake8() -> None:
    rows = flake8(FIXTURES, "example_app")
    assert {row.code for row in rows} >= SIX_CODES, show(rows)
    # The project-level findings sit in files other than the ones that cause them.
    assert {(Path(r.path).name, r.code) for r in rows} >= {
        ("legacy.py", "FAL301"),
        ("admin.py", "FAL401"),
        ("main.py", "FAL402"),
    }


def start_methods() -> list:
    available = multiprocessing.get_all_start_methods()
    return [
        pytest.param(
            method,
            id=method,
            marks=pytest.mark.skipif(method not in available, reason=f"no {method} here"),
        )
        for method in ("fork", "spawn")
    ]


def flake8_parallel(cwd: Path, path: str, method: str) -> set[Row]:
    """``flake8 -j 2 PATH`` with the given multiprocessing start method."""
    launcher = (
        f"import multiprocessing, sys; multiprocessing.set_start_method({method!r}); "
        "from flake8.main.cli import main; sys.exit(main())"
    )
    return flake8(cwd, "-j", "2", path, python=[sys.executable, "-c", launcher])


@pytest.mark.parametrize("method", start_methods())
@pytest.mark.parametrize(("cwd", "path"), multi_module_cases())
def test_parallel_jobs_give_the_same_findings(cwd: Path, path: str, method: str) -> None:
    """``-j 2``: each worker lints the project once; spawn workers re-read the options."""
    with ThreadPoolExecutor(2) as pool:
        parallel = pool.submit(flake8_parallel, cwd, path, method)
        serial = pool.submit(flake8, cwd, "-j", "1", path)
        assert bool(parallel.result()) == has_expectations(cwd, path)
        assert_same(parallel.result(), serial.result())


@pytest.mark.parametrize("method", start_methods())
def test_parallel_jobs_on_a_project_with_many_modules(tmp_path: Path, method: str) -> None:
    """flake8's ``-j`` workers are daemonic: the lint they run must not start processes."""
    package = tmp_path / "big" / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for number in range(120):
        (package / f"module{number}.py").write_text(
            "import time\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            f'@router.get("/r{number}")\nasync def r{number}() -> None:\n    time.sleep(1)\n',
            encoding="utf-8",
        )
    with ThreadPoolExecutor(2) as pool:
        parallel = pool.submit(flake8_parallel, tmp_path, "big", method)
        through_cli = pool.submit(cli, tmp_path, "big")
        assert len([r for r in parallel.result() if r.code == "FAL101"]) == 120
        assert_same(parallel.result(), through_cli.result())


def test_bad_config_stops_parallel_flake8_instead_of_hanging(tmp_path: Path) -> None:
    """A config error used to raise SystemExit inside a worker, which left the pool waiting."""
    project = copy_example_app(tmp_path)
    (project / "pyproject.toml").write_text("[tool.fastapi-lint]\nselect = 3\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "FAL", "-j", "2", "app"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "fastapi-lint: error:" in done.stderr and "select" in done.stderr, done.stderr


def test_noqa_silences_in_flake8_too(tmp_path: Path) -> None:
    project = copy_example_app(tmp_path)
    before = flake8(project.parent, project.name)
    blocking = [row for row in before if row.code == "FAL101"]
    assert len(blocking) == 1, show(before)
    source = Path(blocking[0].path)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines[blocking[0].row - 1]
    assert "# expect: FAL101" in line
    lines[blocking[0].row - 1] = line.replace("# expect: FAL101", "# noqa: FAL101")
    source.write_text("".join(lines), encoding="utf-8")
    after = compare(project.parent, project.name)
    assert after == before - set(blocking)


@pytest.mark.parametrize(
    ("cwd", "path"),
    [
        pytest.param(FIXTURES, "example_app/app/routers/items.py", id="example_app-items"),
        pytest.param(FIXTURES, "FAL101/direct_calls.py", id="FAL101-direct_calls"),
    ],
)
def test_single_file_is_linted_alone(cwd: Path, path: str) -> None:
    rows = compare(cwd, path)
    assert rows
    assert {row.path for row in rows} == {real(cwd, path)}


def test_a_file_of_a_package_is_linted_with_its_package_as_context() -> None:
    """Alone, items.py still gets its ``/api`` prefix from ``main.py`` (as pre-commit and
    editors pass single files), and reports only its own findings."""
    alone = flake8(FIXTURES, "example_app/app/routers/items.py")
    in_project = {row for row in flake8(FIXTURES, "example_app") if row.path.endswith("items.py")}
    assert alone == in_project
    assert any("/api/items" in r.message for r in alone)


def test_no_paths_lints_the_current_directory(tmp_path: Path) -> None:
    project = copy_example_app(tmp_path)
    rows = compare(project)
    assert {row.code for row in rows} >= SIX_CODES, show(rows)


def test_columns_count_characters_on_non_ascii_lines(tmp_path: Path) -> None:
    (tmp_path / "wide.py").write_text(
        "import time\n"
        "\n"
        "from fastapi import FastAPI\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        '@app.get("/a")\n'
        "async def a():\n"
        '    s = "héllo→日本"; time.sleep(1)\n'
        "    return s\n",
        encoding="utf-8",
    )
    rows = compare(tmp_path, "wide.py")
    blocking = [row for row in rows if row.code == "FAL101"]
    assert [(r.row, r.col) for r in blocking] == [(10, len('    s = "héllo→日本"; ') + 1)]


def test_syntax_errors_come_through_flake8_as_e999() -> None:
    through_cli = cli(FIXTURES, "FAL001")
    syntax = sorted(
        (r.path, r.row) for r in through_cli if r.code == "FAL001" and not crashes_flake8(r.path)
    )
    assert syntax
    rows = flake8(FIXTURES, "FAL001", select="FAL,E999")
    assert sorted((r.path, r.row) for r in rows if r.code == "E999") == syntax
    assert not any(r.code == "FAL001" for r in rows)


def test_stdin_takes_the_place_of_the_named_file(tmp_path: Path) -> None:
    """With ``--stdin-display-name`` naming a file, the buffer is linted in its place in the
    project; without one, alone, like a file outside any package."""
    path = "example_app/app/routers/items.py"
    source = (FIXTURES / path).read_text(encoding="utf-8")
    expected = cli(FIXTURES, path)
    assert any("/api/items" in r.message for r in expected)
    named = flake8(FIXTURES, "-", "--stdin-display-name", path, stdin=source)
    assert_same(named, expected)
    (tmp_path / "items.py").write_text(source, encoding="utf-8")
    alone = cli(tmp_path, "items.py")
    assert alone and not any("/api/items" in r.message for r in alone)
    anonymous = flake8(FIXTURES, "-", stdin=source)
    assert {r._replace(path="") for r in anonymous} == {r._replace(path="") for r in alone}
    assert {r.path for r in anonymous} == {"stdin"}


def test_stdin_content_wins_over_the_file_on_disk(tmp_path: Path) -> None:
    """An editor sends its buffer: lint that, not the saved file of the same name."""
    project = copy_example_app(tmp_path)
    path = "app/routers/items.py"
    buffer = (project / path).read_text(encoding="utf-8").replace("requests.get(", "len(")
    on_disk = flake8(project, path)
    from_stdin = flake8(project, "-", "--stdin-display-name", path, stdin=buffer)
    assert any(r.code == "FAL101" for r in on_disk)
    assert from_stdin == {r for r in on_disk if r.code != "FAL101"}


def test_the_plugin_keeps_the_cli_cache_unless_told_not_to(tmp_path: Path) -> None:
    """Like the CLI, the plugin reuses and keeps its cache at the project root (an editor's
    next save reanalyses only what changed), and gives the same rows with or without it."""
    cached, uncached = copy_example_app(tmp_path / "a"), copy_example_app(tmp_path / "b")
    first = flake8(cached, ".")
    assert (cached / ".fastapi_lint_cache").is_dir()
    again = flake8(cached, ".")
    without = flake8(uncached, ".", "--fastapi-lint-no-cache")
    assert not (uncached / ".fastapi_lint_cache").exists()
    assert first == again
    assert {r._replace(path="") for r in first} == {r._replace(path="") for r in without}
    assert {r.code for r in first} >= SIX_CODES


def test_stdin_with_a_syntax_error_does_not_crash() -> None:
    rows = flake8(FIXTURES, "-", select="FAL,E999", stdin="async def f(:\n    pass\n")
    assert {(r.path, r.row, r.code) for r in rows} == {("stdin", 1, "E999")}


JOINED_LINES = [
    pytest.param('    time.sleep(len("""\n    {n}\n    """))', id="string"),
    pytest.param('    time.sleep(len(f"""\n    {n}\n    """))', id="f-string"),
    pytest.param('    time.sleep(len(rb"""\n    n\n    """))', id="bytes"),
    pytest.param("    time.sleep(n) \\\n        if n else None", id="backslash"),
    pytest.param('    x = str(time.sleep(n)) + "a\\\n    b"', id="backslash-in-string"),
]


@pytest.mark.parametrize("statement", JOINED_LINES)
def test_noqa_after_lines_joined_into_one(tmp_path: Path, statement: str) -> None:
    """A comment on the last of several lines Python reads as one (a string spanning lines,
    a backslash continuation) covers all of them, as in flake8."""
    (tmp_path / "multi.py").write_text(
        "import time\n"
        "\n"
        "from fastapi import FastAPI\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        '@app.get("/a")\n'
        "async def a(n: int):\n"
        f"{statement}  # noqa: FAL101\n"
        "    return {}\n",
        encoding="utf-8",
    )
    assert "FAL101" not in {row.code for row in compare(tmp_path, "multi.py")}


@pytest.mark.parametrize(("method", "linted_up_front"), [("fork", True), ("spawn", False)])
def test_main_process_lints_once_for_forked_workers(
    monkeypatch: pytest.MonkeyPatch, method: str, linted_up_front: bool
) -> None:
    """Forked ``-j`` workers inherit the project lint done while flake8 read its options;
    other workers could not, so nothing is linted before they start."""
    from fastapi_lint.flake8_plugin import FastAPILintPlugin

    monkeypatch.setattr(multiprocessing, "get_start_method", lambda: method)
    for attribute in ("results", "paths", "stdin_name", "settings", "use_cache"):
        monkeypatch.setattr(FastAPILintPlugin, attribute, getattr(FastAPILintPlugin, attribute))
    path = str(FIXTURES / "example_app")
    options = argparse.Namespace(filenames=[path], fastapi_lint_no_cache=True)  # not in the repo
    FastAPILintPlugin.parse_options(options)
    stored = FastAPILintPlugin.results.get((path,))
    assert bool(stored) is linted_up_front
    if linted_up_front:
        codes = {finding.code for findings in stored.values() for finding in findings}
        assert len(codes) == 6


FILE_DIRECTIVES = [
    pytest.param("# flake8: noqa\n", True, id="directive"),
    pytest.param("  # FLAKE8= NOQA\n", True, id="indented-any-case"),
    pytest.param("# flake8: noqa: E501\n", True, id="with-codes"),
    pytest.param('"""\n# flake8: noqa\n"""\n', True, id="inside-a-string"),
    pytest.param("\f# flake8: noqa\r", True, id="form-feed-and-cr"),
    pytest.param("x = 1  # flake8: noqa\n", False, id="after-code"),
    pytest.param("#flake8: noqa\n", False, id="no-space"),
]


@pytest.mark.parametrize(("directive", "skips"), FILE_DIRECTIVES)
def test_file_level_flake8_noqa(tmp_path: Path, directive: str, skips: bool) -> None:
    """A line starting ``# flake8: noqa`` makes flake8 skip the file, so the CLI drops every
    finding in it too; the file is still read as context of the others (nothing is lost)."""
    (tmp_path / "helpers.py").write_text(
        f"{directive}import time\n\n\ndef pause() -> None:\n    time.sleep(1)\n",
        encoding="utf-8",
    )
    (tmp_path / "main.py").write_text(
        "import time\n"
        "\n"
        "from fastapi import FastAPI\n"
        "\n"
        "from helpers import pause\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        '@app.get("/a")\n'
        "async def a() -> None:\n"
        "    time.sleep(1)\n"
        "    pause()\n"
        "\n"
        "\n"
        "async def b() -> None:\n"
        "    time.sleep(1)\n"
        "\n"
        "\n"
        "app.add_api_route('/b', b)\n",
        encoding="utf-8",
    )
    (tmp_path / "skipped.py").write_text(
        f"import time\n\nfrom main import app\n{directive}\n\n@app.get('/c')\n"
        "async def c():\n    time.sleep(1)\n    return {'c': 1}\n",
        encoding="utf-8",
    )
    rows = compare(tmp_path, ".")
    in_main = {row.code for row in rows if row.path.endswith("main.py")}
    in_skipped = {row.code for row in rows if row.path.endswith("skipped.py")}
    assert in_main >= {"FAL101", "FAL103"}
    assert bool(in_skipped) is not skips
