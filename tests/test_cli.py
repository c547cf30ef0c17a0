"""The ``fastapi-lint`` command line: exit codes, rule selection, output formats, rule docs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import importtime

from fastapi_lint import __version__, engine
from fastapi_lint.cli import main
from fastapi_lint.config import Settings
from fastapi_lint.docs import rule_url
from fastapi_lint.findings import Finding
from fastapi_lint.reporters import full, github, underline
from fastapi_lint.rules import all_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

BLOCKING_APP = """\
import time
from fastapi import FastAPI
app = FastAPI()

@app.get("/items")
async def items() -> dict:
    time.sleep(1)
    return {}
"""
# (code, row, col) of every finding in BLOCKING_APP, in output order.
BLOCKING_FINDINGS = [("FAL401", 3, 7), ("FAL201", 6, 1), ("FAL101", 7, 5)]

CLEAN_APP = """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"])


class Item(BaseModel):
    name: str


@app.get("/items/{name}")
def item(name: str) -> Item:
    return Item(name=name)
"""

RUFF_JSON_KEYS = {
    "cell",
    "code",
    "end_location",
    "filename",
    "fix",
    "location",
    "message",
    "noqa_row",
    "url",
}
GITHUB_LINE = re.compile(
    r"::error title=fastapi-lint \((?P<code>FAL\d{3})\),file=(?P<file>[^,]+),"
    r"line=(?P<line>\d+),col=(?P<col>\d+),endLine=\d+,endColumn=\d+"
    r"::(?P=file):(?P=line):(?P=col): (?P=code) .+"
)


def run(*args: str) -> Result:
    """Invoke the CLI in-process; unexpected exceptions fail the test with their traceback."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def located(output: str) -> list[tuple[str, int, int]]:
    """(code, row, col) of every concise finding line in ``output``."""
    pattern = re.compile(r"^[^:\n]+:(\d+):(\d+): (FAL\d{3}) ", re.MULTILINE)
    return [(code, int(row), int(col)) for row, col, code in pattern.findall(output)]


def codes(output: str) -> list[str]:
    return [code for code, _, _ in located(output)]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder that is also the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"fastapi-lint {__version__}\n"


def test_python_dash_m_runs_the_cli(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    command = [sys.executable, "-m", "fastapi_lint", "check", "app.py"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 1
    assert codes(completed.stdout) == ["FAL401", "FAL201", "FAL101"]
    assert completed.stdout.endswith("Found 3 errors.\n")


def test_clean_file_passes(project: Path) -> None:
    write(project / "app.py", CLEAN_APP)
    result = run("check", "app.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"
    assert result.stderr == ""


def test_findings_exit_1_in_concise_format(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "app.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert located(result.stdout) == BLOCKING_FINDINGS
    assert all(line.startswith("app.py:") for line in lines[:-1])
    assert "`time.sleep`" in lines[2]
    assert lines[-1] == "Found 3 errors."
    assert len(lines) == 4


def test_one_finding_says_error_in_singular(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "--select", "FAL101", "app.py")
    assert result.stdout.splitlines()[-1] == "Found 1 error."


def test_default_path_is_the_current_directory(project: Path) -> None:
    write(project / "pkg" / "app.py", BLOCKING_APP)
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"pkg{os.sep}app.py:3:7: FAL401 ")


def test_paths_outside_the_cwd_are_printed_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = write(tmp_path / "elsewhere" / "app.py", BLOCKING_APP)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    result = run("check", str(app))
    assert result.stdout.startswith(f"{app}:3:7: FAL401 ")


def test_exit_zero_keeps_findings_but_exits_0(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "--exit-zero", "app.py")
    assert result.exit_code == 0
    assert codes(result.stdout) == ["FAL401", "FAL201", "FAL101"]


def test_missing_path_is_an_error(project: Path) -> None:
    result = run("check", "missing.py")
    assert result.exit_code == 2
    assert result.stderr == "fastapi-lint: error: missing.py: no such file or directory\n"


def test_missing_path_beside_a_linted_file_lets_findings_decide(project: Path) -> None:
    write(project / "app.py", CLEAN_APP)
    result = run("check", "app.py", "missing.py")
    assert result.exit_code == 0
    assert result.stderr == "fastapi-lint: error: missing.py: no such file or directory\n"
    assert result.stdout == "All checks passed!\n"


def test_folder_without_python_files_warns(project: Path) -> None:
    write(project / "notes.txt", "hello\n")
    result = run("check", ".")
    assert result.exit_code == 0
    assert result.stderr == "fastapi-lint: warning: no Python files found under the given paths\n"


def test_non_python_file_is_skipped_with_a_warning(project: Path) -> None:
    write(project / "notes.txt", "hello\n")
    write(project / "app.py", CLEAN_APP)
    result = run("check", "notes.txt", "app.py")
    assert result.exit_code == 0
    assert result.stderr == "fastapi-lint: warning: notes.txt: not a Python file, skipped\n"


def test_unknown_option_is_a_usage_error(project: Path) -> None:
    result = run("check", "--output-format", "xml", ".")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--select", "FAL101"], ["FAL101"]),
        (["--select", "FAL1,FAL4"], ["FAL401", "FAL101"]),
        (["--select", "FAL1", "--select", "FAL2"], ["FAL201", "FAL101"]),
        (["--ignore", "FAL4"], ["FAL201", "FAL101"]),
        (["--ignore", "FAL101,FAL201"], ["FAL401"]),
        (["--select", "FAL", "--ignore", "FAL1"], ["FAL401", "FAL201"]),
        (["--select", "FAL1", "--extend-select", "FAL401"], ["FAL401", "FAL101"]),
        (["--ignore", "FAL1", "--select", "FAL101"], ["FAL101"]),
        (["--select", "ALL", "--ignore", "FAL2,FAL4"], ["FAL101"]),
    ],
)
def test_command_line_selection(project: Path, options: list[str], expected: list[str]) -> None:
    write(project / "app.py", BLOCKING_APP)
    assert codes(run("check", *options, "app.py").stdout) == expected


CONFIGURED_SELECTION = [
    ('select = ["FAL1"]', [], ["FAL101"]),
    ('select = ["FAL1"]', ["--select", "FAL4"], ["FAL401"]),
    ('select = ["FAL1"]\nextend-select = ["FAL2"]', ["--select", "FAL4"], ["FAL401"]),
    ('select = ["FAL1"]', ["--extend-select", "FAL401"], ["FAL401", "FAL101"]),
    ('extend-select = ["FAL4"]\nselect = ["FAL1"]', [], ["FAL401", "FAL101"]),
    ('ignore = ["FAL101"]', ["--ignore", "FAL201"], ["FAL401"]),
    ('ignore = ["FAL101"]', ["--extend-select", "FAL4"], ["FAL401", "FAL201"]),
]


@pytest.mark.parametrize(("config", "options", "expected"), CONFIGURED_SELECTION)
def test_command_line_selection_over_config(
    project: Path, config: str, options: list[str], expected: list[str]
) -> None:
    write(project / "pyproject.toml", f"[tool.fastapi-lint]\n{config}\n")
    write(project / "app.py", BLOCKING_APP)
    assert codes(run("check", *options, "app.py").stdout) == expected


def test_unknown_code_on_the_command_line_warns(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "--select", "FAL999,FAL1", "--ignore", "XYZ", "app.py")
    assert result.exit_code == 1
    assert codes(result.stdout) == ["FAL101"]
    assert result.stderr.splitlines() == [
        "fastapi-lint: warning: --select: unknown rule code or prefix 'FAL999'",
        "fastapi-lint: warning: --ignore: unknown rule code or prefix 'XYZ'",
    ]


def test_unknown_code_in_config_warns_naming_file_and_key(project: Path) -> None:
    pyproject = write(
        project / "pyproject.toml",
        '[tool.fastapi-lint]\nselect = ["ALL"]\nignore = ["FAL9"]\n'
        'per-file-ignores = {"app.py" = ["E501"]}\n',
    )
    write(project / "app.py", CLEAN_APP)
    result = run("check", "app.py")
    assert result.exit_code == 0
    prefix = f"fastapi-lint: warning: {pyproject.resolve()}: [tool.fastapi-lint]"
    assert result.stderr.splitlines() == [
        f"{prefix} ignore: unknown rule code or prefix 'FAL9'",
        f"{prefix} per-file-ignores.app.py: unknown rule code or prefix 'E501'",
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("app.py", ["FAL401", "FAL201"]),
        ("api/*.py", ["FAL401", "FAL201"]),
        ("other.py", ["FAL401", "FAL201", "FAL101"]),
    ],
)
def test_per_file_ignores(project: Path, pattern: str, expected: list[str]) -> None:
    write(
        project / "pyproject.toml",
        f'[tool.fastapi-lint.per-file-ignores]\n"{pattern}" = ["FAL1"]\n',
    )
    write(project / "api" / "app.py", BLOCKING_APP)
    assert codes(run("check", ".").stdout) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("  # noqa", ["FAL401", "FAL201"]),
        ("  # noqa: FAL101", ["FAL401", "FAL201"]),
        ("  # noqa: FAL201, FAL101", ["FAL401", "FAL201"]),
        ("  # noqa: FAL999", ["FAL401", "FAL201", "FAL101"]),
        ("  # noqa: FAL201", ["FAL401", "FAL201", "FAL101"]),
    ],
)
def test_noqa(project: Path, comment: str, expected: list[str]) -> None:
    write(project / "app.py", BLOCKING_APP.replace("time.sleep(1)", f"time.sleep(1){comment}"))
    assert codes(run("check", "app.py").stdout) == expected


def test_per_file_ignores_do_not_depend_on_how_the_path_is_spelled(project: Path) -> None:
    write(
        project / "pyproject.toml", '[tool.fastapi-lint.per-file-ignores]\n"api/*.py" = ["FAL1"]\n'
    )
    write(project / "api" / "app.py", BLOCKING_APP)
    assert codes(run("check", str(project.resolve())).stdout) == ["FAL401", "FAL201"]


def test_noqa_after_a_form_feed_line(project: Path) -> None:
    source = BLOCKING_APP.replace("\n\n@app", "\n\f\n@app").replace(
        "time.sleep(1)", "time.sleep(1)  # noqa: FAL101"
    )
    write(project / "app.py", source)
    assert codes(run("check", "app.py").stdout) == ["FAL401", "FAL201"]


def test_json_output_has_ruffs_shape(project: Path) -> None:
    app = write(project / "app.py", BLOCKING_APP)
    result = run("check", "--output-format", "json", "app.py")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [set(item) for item in findings] == [RUFF_JSON_KEYS] * 3
    assert [(f["code"], f["location"]["row"], f["location"]["column"]) for f in findings] == (
        BLOCKING_FINDINGS
    )
    blocking = findings[2]
    assert blocking == {
        "cell": None,
        "code": "FAL101",
        "end_location": {"column": 18, "row": 7},
        "filename": str(app.resolve()),
        "fix": {
            "applicability": "safe",
            "edits": [
                {
                    "content": "await asyncio.sleep",
                    "end_location": {"column": 15, "row": 7},
                    "location": {"column": 5, "row": 7},
                },
                {
                    "content": "import asyncio\n",
                    "end_location": {"column": 1, "row": 3},
                    "location": {"column": 1, "row": 3},
                },
            ],
            "message": "Use `await asyncio.sleep(...)`",
        },
        "location": {"column": 5, "row": 7},
        "message": blocking["message"],
        "noqa_row": 7,
        "url": rule_url("FAL101"),
    }
    assert findings[0]["fix"] is None  # FAL401: no fix
    assert "`time.sleep`" in blocking["message"]
    assert result.stdout.startswith('[\n  {\n    "cell": null,\n')


def test_json_output_without_findings_is_an_empty_list(project: Path) -> None:
    write(project / "app.py", CLEAN_APP)
    result = run("check", "--output-format", "json", "app.py")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"


def test_github_output(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "--output-format", "github", "app.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    matches = [GITHUB_LINE.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert [(m["code"], int(m["line"]), int(m["col"])) for m in matches] == BLOCKING_FINDINGS
    assert lines[2].startswith(
        "::error title=fastapi-lint (FAL101),file=app.py,line=7,col=5,endLine=7,endColumn=18::"
        "app.py:7:5: FAL101 "
    )


def test_github_output_escapes_messages_and_properties() -> None:
    finding = Finding("FAL101", "100% slow\r\nreally", "/tmp/a,b:c.py", 2, 3, 2, 9)
    assert github([finding], Settings()) == (
        "::error title=fastapi-lint (FAL101),file=/tmp/a%2Cb%3Ac.py,line=2,col=3,endLine=2,"
        "endColumn=9::/tmp/a,b:c.py:2:3: FAL101 100%25 slow%0D%0Areally\n"
    )


def test_full_output_shows_the_source_line_and_carets(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    result = run("check", "--output-format", "full", "--select", "FAL101,FAL401", "app.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert located(lines[0]) == [("FAL401", 3, 7)]
    assert lines[1:4] == ["3 | app = FastAPI()", "  |       ^^^^^^^^^", ""]
    assert located(lines[4]) == [("FAL101", 7, 5)]
    assert lines[5:] == [
        "7 |     time.sleep(1)",
        "  |     ^^^^^^^^^^^^^",
        "= fix (safe): Use `await asyncio.sleep(...)`",
        "",
        "Found 2 errors.",
    ]


def test_full_output_carets_count_characters_not_bytes(project: Path) -> None:
    source = BLOCKING_APP.replace("    time.sleep(1)", '    label = "héllo wörld"; time.sleep(1)')
    write(project / "app.py", source)
    result = run("check", "--output-format", "full", "--select", "FAL101", "app.py")
    source_line, caret_line = result.stdout.splitlines()[1:3]
    assert source_line == '7 |     label = "héllo wörld"; time.sleep(1)'
    start = caret_line.index("^")
    assert source_line[start : caret_line.rindex("^") + 1] == "time.sleep(1)"


def test_full_output_pads_wide_characters_and_keeps_tabs() -> None:
    assert underline('\t"日本"; f()', 8, 11) == "\t        ^^^"


def test_full_output_tolerates_missing_files_and_lines(tmp_path: Path) -> None:
    short = write(tmp_path / "short.py", "x = 1\n")
    findings = [
        Finding("FAL101", "gone", str(tmp_path / "gone.py"), 3, 1, 3, 4),
        Finding("FAL101", "past the end", str(short), 9, 1, 9, 4),
    ]
    lines = full(findings, Settings()).splitlines()
    assert lines[1] == ""
    assert lines[2].endswith(":9:1: FAL101 past the end")
    assert lines[3:] == ["", "Found 2 errors."]


def test_full_output_without_findings(project: Path) -> None:
    write(project / "app.py", CLEAN_APP)
    assert run("check", "--output-format", "full", "app.py").stdout == "All checks passed!\n"


# Two apps without CORS: FAL401 is counted twice, so it sorts before FAL101.
TWO_APPS = BLOCKING_APP + "admin = FastAPI()\n"


def test_statistics(project: Path) -> None:
    write(project / "app.py", TWO_APPS)
    result = run("check", "--statistics", "app.py")
    assert result.exit_code == 1
    assert result.stdout == (
        "    2\tFAL401\tmissing-cors\n"
        "    1\tFAL101\tblocking-call\n"
        "    1\tFAL201\tmissing-response-model\n"
    )


def test_statistics_as_json(project: Path) -> None:
    write(project / "app.py", TWO_APPS)
    result = run("check", "--statistics", "--output-format", "json", "app.py")
    assert json.loads(result.stdout) == [
        {"code": "FAL401", "name": "missing-cors", "count": 2},
        {"code": "FAL101", "name": "blocking-call", "count": 1},
        {"code": "FAL201", "name": "missing-response-model", "count": 1},
    ]


def test_no_cache_writes_no_cache_and_finds_the_same(project: Path) -> None:
    write(project / "app.py", BLOCKING_APP)
    uncached = run("check", "--no-cache", "app.py").stdout
    assert not (project / ".fastapi_lint_cache").exists()
    assert run("check", "app.py").stdout == uncached
    assert (project / ".fastapi_lint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github"])
def test_check_writes_nothing_into_the_linted_tree_but_its_cache(
    project: Path, output_format: str
) -> None:
    write(project / "pyproject.toml", '[tool.fastapi-lint]\nselect = ["FAL"]\n')
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "app.py", BLOCKING_APP)
    before = sorted(project.rglob("*"))
    result = run("check", "--output-format", output_format, "--statistics", "pkg")
    assert result.exit_code == 1
    result = run("check", "--output-format", output_format, "pkg")
    assert result.exit_code == 1
    cache = project / ".fastapi_lint_cache"
    assert [p for p in sorted(project.rglob("*")) if cache not in (p, *p.parents)] == before


def test_rule_documentation() -> None:
    result = run("rule", "FAL101")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "# blocking-call (FAL101)\n\nBlocking call on the event loop.\n\n"
        "Fix is sometimes available.\n\n## What it does\n"
    )
    headings = re.findall(r"^## (.+)$", result.stdout, re.MULTILINE)
    assert headings[:4] == ["What it does", "Why is this bad?", "Example", "Use instead"]
    assert "Fix" in headings
    assert "## Options" not in result.stdout
    assert "\n\nFix is not available.\n\n" in run("rule", "FAL301").stdout


def test_rule_documentation_lists_options() -> None:
    result = run("rule", "fal301")
    assert result.exit_code == 0
    assert result.stdout.startswith("# single-file-router (FAL301)\n")
    options = result.stdout.split("## Options\n", 1)[1]
    assert "`[tool.fastapi-lint.single-file-router]`" in options
    assert "- `min-routes` (default 12): Endpoints in one module before it is reported" in options
    assert "- `min-resources` (default 3): " in options


def test_unknown_rule_is_an_error() -> None:
    result = run("rule", "FAL999")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("fastapi-lint: error: unknown rule code 'FAL999'")


def test_rules_lists_every_rule_aligned() -> None:
    result = run("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rules = all_rules()
    assert [line.split()[0] for line in lines] == list(rules)
    name_columns = {line.index(rule.name) for line, rule in zip(lines, rules.values(), strict=True)}
    summary_columns = {
        line.index(rule.summary) for line, rule in zip(lines, rules.values(), strict=True)
    }
    assert len(name_columns) == 1
    assert len(summary_columns) == 1


def test_rules_as_json() -> None:
    result = run("rules", "--output-format", "json")
    listing = json.loads(result.stdout)
    assert [item["code"] for item in listing] == list(all_rules())
    assert all(set(item) == {"code", "name", "summary", "fix", "default"} for item in listing)
    blocking = next(item for item in listing if item["code"] == "FAL101")
    assert blocking == {
        "code": "FAL101",
        "name": "blocking-call",
        "summary": "Blocking call on the event loop",
        "fix": "sometimes",
        "default": True,
    }


def test_findings_at_one_place_come_in_the_same_order_every_run(project: Path) -> None:
    """Findings sharing file, line, column and code are ordered by message, whatever the
    hash seed of the process (sets of findings used to decide their order)."""
    paths = ["/a", "/b", "/c", "/d", "/e"]
    decorators = "".join(f'@app.get("{path}")\n' for path in paths)
    write(
        project / "app.py",
        f"from fastapi import FastAPI\n\napp = FastAPI()\n\n\n{decorators}"
        "def many():\n    return {}\n",
    )
    outputs = outputs_over_hash_seeds(project, "app.py")
    assert len(outputs) == 1
    routes = re.findall(r"FAL201 Route `GET (/\w)`", outputs.pop())
    assert routes == paths


def outputs_over_hash_seeds(cwd: Path, *paths: str, seeds: int = 6) -> set[str]:
    """The distinct outputs of ``check --no-cache`` run in processes with different hash seeds."""
    outputs = set()
    for seed in range(seeds):
        environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
        command = [sys.executable, "-m", "fastapi_lint", "check", "--no-cache", *paths]
        done = subprocess.run(
            command, capture_output=True, text=True, env=environment, cwd=cwd, check=False
        )
        outputs.add(done.stdout)
    return outputs


def test_a_choice_between_values_is_the_same_every_run(project: Path) -> None:
    """Where a name can hold one of several things (found on lnbits and argilla), the finding
    names the same one whatever the hash seed: the endpoint a route gets, so the line of the
    finding, the client class a sink is named after, and the router whose prefix a route gets
    when the router including it can be one of several."""
    write(
        project / "app.py",
        """\
import os
import time

import redis
from fastapi import APIRouter, FastAPI
from redis.cluster import RedisCluster

app = FastAPI()
CLUSTER = os.environ.get("CLUSTER")
cache = RedisCluster() if CLUSTER else redis.Redis()
queue = redis.Redis() if CLUSTER else RedisCluster()


def render() -> str:
    with open("page.html") as page:
        return page.read()


def add_page(path: str, public: bool) -> None:
    async def serve_public() -> str:
        return render()

    async def serve_private() -> str:
        return render()

    app.add_api_route(path, serve_public if public else serve_private, methods=["GET"])


@app.get("/cache")
async def ping_cache() -> None:
    cache.ping()


@app.get("/queue")
async def ping_queue() -> None:
    queue.ping()


v1 = APIRouter(prefix="/v1")
v2 = APIRouter(prefix="/v2")
v3 = APIRouter(prefix="/v3")
items = APIRouter()
target = v1
if os.environ.get("V2"):
    target = v2
if os.environ.get("V3"):
    target = v3
target.include_router(items)
app.include_router(v1)
app.include_router(v2)
app.include_router(v3)


@items.get("/items")
async def list_items() -> None:
    time.sleep(1)
""",
    )
    outputs = outputs_over_hash_seeds(project, "--select", "FAL1", "app.py", seeds=8)
    assert len(outputs) == 1, outputs
    assert re.findall(r"^app.py:\d+:\d+: (FAL10\d)", outputs.pop(), re.MULTILINE) == [
        "FAL103",
        "FAL103",  # the endpoint not chosen is an async function, on a loop all the same
        "FAL102",
        "FAL102",
        "FAL101",
    ]


def test_version_from_the_launcher_matches_the_command_line() -> None:
    """``fastapi-lint --version`` is answered before click is even imported."""
    done, imported = importtime(None, "--version")
    assert (done.returncode, done.stdout) == (0, run("--version").stdout)
    assert "click" not in imported


def test_a_file_of_a_package_is_checked_with_the_rest_of_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit passes only changed files: ``users.py`` alone still gets its session
    from ``database.py`` and its ``/api`` prefix from ``main.py``; ``items.py``'s findings and a
    broken module it was not asked about are not reported."""
    project = tmp_path / "example_app"
    shutil.copytree(FIXTURES / "example_app", project)
    write(project / "app" / "broken.py", "def oops(:\n")
    monkeypatch.chdir(project)
    result = run("check", "--no-cache", "app/routers/users.py")
    assert result.exit_code == 1, result.output
    assert codes(result.stdout) == ["FAL102"]
    assert "GET /api/users/{user_id}" in result.stdout
    assert result.stderr == ""
    whole = run("check", "--no-cache", ".")
    users = [line for line in whole.stdout.splitlines() if line.startswith("app/routers/users.py")]
    assert users == result.stdout.splitlines()[:-1]


def test_a_folder_without_init_inside_a_package_is_still_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``routers/`` without ``__init__.py`` (a namespace portion) inside ``app``: the file
    given alone is named ``app.routers.users`` and linted with ``app`` as context."""
    project = tmp_path / "example_app"
    shutil.copytree(FIXTURES / "example_app", project)
    (project / "app" / "routers" / "__init__.py").unlink()
    (project / "pyproject.toml").write_text("[project]\nname = 'example'\n", encoding="utf-8")
    monkeypatch.chdir(project)
    alone = run("check", "--no-cache", "app/routers/users.py")
    assert codes(alone.stdout) == ["FAL102"]
    assert "GET /api/users/{user_id}" in alone.stdout


def test_a_file_outside_packages_reads_its_folder_only_inside_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``main.py`` given alone in a folder without ``__init__.py``: its sibling ``helpers.py``
    is context once a ``pyproject.toml`` marks the folder as a project; a file in a folder
    that no project marks (``/tmp``) is linted alone, never with the whole folder."""
    write(tmp_path / "helpers.py", "import time\n\n\ndef pause() -> None:\n    time.sleep(1)\n")
    write(
        tmp_path / "main.py",
        "from fastapi import FastAPI\n\nfrom helpers import pause\n\napp = FastAPI()\n\n\n"
        '@app.get("/")\nasync def index() -> None:\n    pause()\n',
    )
    monkeypatch.chdir(tmp_path)
    assert "FAL103" not in codes(run("check", "--no-cache", "main.py").stdout)
    write(tmp_path / "pyproject.toml", "[project]\nname = 'flat'\n")
    assert "FAL103" in codes(run("check", "--no-cache", "main.py").stdout)


def test_a_file_given_from_outside_its_project_is_analysed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``../example_app/app/routers/users.py`` from a sibling folder: the context package is
    found by absolute path, and the given file is not analysed a second time as context."""
    shutil.copytree(FIXTURES / "example_app", tmp_path / "example_app")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    analysed: list[str] = []
    check_modules = engine.check_modules

    def recording(summaries: list, *args: object, **kwargs: object) -> list[Finding]:
        analysed.extend(summary.module for summary in summaries)
        return check_modules(summaries, *args, **kwargs)

    monkeypatch.setattr(engine, "check_modules", recording)
    result = run("check", "--no-cache", "../example_app/app/routers/users.py")
    assert codes(result.stdout) == ["FAL102"], result.stdout
    assert "GET /api/users/{user_id}" in result.stdout
    assert sorted(analysed) == sorted(set(analysed))
    assert {"app.main", "app.routers.users"} <= set(analysed)
    assert not any("@" in module for module in analysed)


SEVERAL_FILES_WITH_FINDINGS = {
    "example_app",
    "bigger_app",
    "service_layers",
    "helper_cycle",
    "flat_layout",
    "root_main",
    "shared_entry",
}


@pytest.mark.parametrize(
    "project_dir",
    [
        FIXTURES / "example_app",
        FIXTURES / "projects" / "bigger_app",
        FIXTURES / "projects" / "service_layers",
        FIXTURES / "projects" / "helper_cycle",
        FIXTURES / "projects" / "flat_layout",
        FIXTURES / "projects" / "root_main",
        FIXTURES / "projects" / "shared_entry",
        FIXTURES / "projects" / "virtual_dispatch",
        FIXTURES / "projects" / "route_forms",
        FIXTURES / "projects" / "namespace_in_package",
        FIXTURES / "projects" / "namespace_backend",
        FIXTURES / "projects" / "build_package",
        FIXTURES / "projects" / "build_namespace",
    ],
    ids=lambda path: path.name,
)
def test_each_file_alone_reports_what_the_project_run_reports_for_it(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every message, cross-module chains and their ``file:line`` steps included, is the same
    when its file is given alone (as pre-commit does) as in the run over the whole project,
    whose root holds a ``pyproject.toml``: in packages, beside them (``main.py`` including the
    routers of a package) and in folders without ``__init__.py``."""
    project = tmp_path / project_dir.name
    shutil.copytree(project_dir, project)
    (project / "pyproject.toml").write_text("[project]\nname = 'example'\n", encoding="utf-8")
    monkeypatch.chdir(project)
    whole = run("check", "--no-cache", ".").stdout.splitlines()[:-1]
    files = sorted({line.split(":", 1)[0] for line in whole})
    assert len(files) >= (3 if project_dir.name in SEVERAL_FILES_WITH_FINDINGS else 1)
    for file in files:
        alone = run("check", "--no-cache", file).stdout.splitlines()[:-1]
        assert alone == [line for line in whole if line.startswith(f"{file}:")], file


def test_the_same_findings_whatever_folder_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A namespace layout (no ``__init__.py`` anywhere) whose modules import each other as
    ``app.*`` from ``backend/``: ``check .``, ``check backend`` and ``check backend/app`` name
    its modules alike, so each reports the same findings for ``backend/app``, the cross-module
    ones included. ``tests/app/`` mirrors the package, a second ``app`` folder no import names."""
    project = tmp_path / "namespace_backend"
    shutil.copytree(FIXTURES / "projects" / "namespace_backend", project)
    monkeypatch.chdir(project)
    runs = [run("check", "--no-cache", path).stdout.splitlines()[:-1] for path in (".", "backend")]
    runs.append(run("check", "--no-cache", "backend/app").stdout.splitlines()[:-1])
    assert runs[0] == runs[1] == runs[2]
    assert any("FAL103" in line and "services/stock.py:5" in line for line in runs[0])


def test_only_the_command_line_keeps_the_analysis_after_a_run() -> None:
    """The CLI exits right after a run and keeps its analysis rather than free it; a library
    caller (the flake8 plugin) gets findings only, the analysis freed inside ``lint``."""
    settings = Settings()
    app = [FIXTURES / "example_app"]
    assert engine.lint(app, settings).analysis == []
    kept = engine.lint(app, settings, keep_analysis=True).analysis
    assert len(kept) == 1
    assert "app.main" in kept[0].project.modules
