"""``[tool.fastapi-lint]``: where it is found, what it changes, and how its errors read."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import importtime

from fastapi_lint.cli import main
from fastapi_lint.config import (
    DEFAULT_EXCLUDE,
    Settings,
    defaults_for_rules,
    find_pyproject,
    load_settings,
)

BLOCKING_APP = """\
import time
from fastapi import FastAPI
app = FastAPI()

@app.get("/items")
async def items() -> dict:
    time.sleep(1)
    return {}
"""

TWO_RESOURCES_APP = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Out(BaseModel):
    ok: bool


@app.get("/items")
def items() -> Out:
    return Out(ok=True)


@app.get("/users")
def users() -> Out:
    return Out(ok=True)
"""

CUSTOM_BLOCKING_APP = """\
import mylib
from fastapi import FastAPI

app = FastAPI()


@app.get("/report")
async def report() -> dict:
    mylib.crunch()
    return {}
"""


def run(*args: str) -> Result:
    """Invoke the CLI in-process; unexpected exceptions fail the test with their traceback."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def codes(output: str) -> list[str]:
    return re.findall(r"^\S+:\d+:\d+: (FAL\d{3}) ", output, re.MULTILINE)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a blocking app, which is also the current directory."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "app.py", BLOCKING_APP)
    return tmp_path


def configure(project: Path, body: str) -> Path:
    return write(project / "pyproject.toml", f"[tool.fastapi-lint]\n{body}\n")


def assert_config_error(result: Result, path: Path, key: str) -> None:
    """Exit 2 and a single stderr line naming the file and the key."""
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"fastapi-lint: error: {path}: ")
    assert key in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('selectt = ["FAL1"]', "'selectt'"),
        ('select = "FAL1"', "'select'"),
        ("respect-gitignore = 'maybe'", "'respect-gitignore'"),
        ('per-file-ignores = {"app.py" = "FAL1"}', "'per-file-ignores.app.py'"),
        ('blocking-calls = {"mylib.crunch" = 1}', "'blocking-calls.mylib.crunch'"),
        (
            "[tool.fastapi-lint.single-file-router]\nmin-routes = 'x'",
            "'single-file-router.min-routes'",
        ),
        ("[tool.fastapi-lint.single-file-router]\nmin-route = 3", "'single-file-router.min-route'"),
        (
            "[tool.fastapi-lint.single-file-router]\nmin-resources = 1",
            "'single-file-router.min-resources'",
        ),
    ],
)
def test_invalid_setting_is_one_line_naming_file_and_key(
    project: Path, body: str, key: str
) -> None:
    pyproject = configure(project, body)
    assert_config_error(run("check", "app.py"), pyproject.resolve(), key)


def test_table_that_is_not_a_table(project: Path) -> None:
    pyproject = write(project / "pyproject.toml", "[tool]\nfastapi-lint = 3\n")
    assert_config_error(run("check", "app.py"), pyproject.resolve(), "[tool.fastapi-lint]")


def test_invalid_toml_given_with_config_option(project: Path) -> None:
    configure(project, "select = FAL1")
    result = run("check", "--config", "pyproject.toml", "app.py")
    assert_config_error(result, Path("pyproject.toml"), "invalid TOML")
    assert "line 2" in result.stderr


def test_invalid_toml_found_by_discovery(project: Path) -> None:
    pyproject = configure(project, "select = FAL1")
    assert_config_error(run("check", "app.py"), pyproject.resolve(), "invalid TOML")


def test_missing_config_file(project: Path) -> None:
    result = run("check", "--config", "missing.toml", "app.py")
    assert_config_error(result, Path("missing.toml"), "cannot read")


def test_config_is_found_above_the_first_path(project: Path) -> None:
    write(project / "service" / "api" / "app.py", BLOCKING_APP)
    configure(project / "service", 'select = ["FAL101"]')
    result = run("check", "service/api")
    assert codes(result.stdout) == ["FAL101"]


def test_config_falls_back_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = write(tmp_path / "elsewhere" / "app.py", BLOCKING_APP)
    configure(tmp_path / "cwd", 'select = ["FAL101"]')
    monkeypatch.chdir(tmp_path / "cwd")
    assert codes(run("check", str(app)).stdout) == ["FAL101"]


def test_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    configure(project, 'select = ["FAL401"]')
    write(project / "sub" / "pyproject.toml", "[project]\nname = 'sub'\n")
    write(project / "sub" / "app.py", BLOCKING_APP)
    assert find_pyproject(project / "sub" / "app.py") == (project / "pyproject.toml").resolve()
    assert codes(run("check", "sub").stdout) == ["FAL401"]


def test_no_config_anywhere(tmp_path: Path) -> None:
    assert find_pyproject(tmp_path) is None


def test_config_option_wins_over_discovery(project: Path) -> None:
    configure(project, 'select = ["FAL101"]')
    other = configure(project / "other", 'select = ["FAL201"]')
    assert codes(run("check", "--config", str(other), "app.py").stdout) == ["FAL201"]


def test_config_option_without_the_table_means_defaults(project: Path) -> None:
    configure(project, 'select = ["FAL101"]')
    plain = write(project / "plain" / "pyproject.toml", "[project]\nname = 'x'\n")
    result = run("check", "--config", str(plain), "app.py")
    assert codes(result.stdout) == ["FAL401", "FAL201", "FAL101"]


def test_load_settings_reads_kebab_case_keys(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml",
        "[tool.fastapi-lint]\n"
        'extend-select = ["FAL3"]\n'
        'per-file-ignores = {"tests/*" = ["FAL401"]}\n'
        'extend-exclude = ["legacy"]\n'
        "[tool.fastapi-lint.single-file-router]\n"
        "min-routes = 4\n",
    )
    settings = load_settings(pyproject)
    assert settings.select == ["FAL"]
    assert settings.extend_select == ["FAL3"]
    assert settings.per_file_ignores == {"tests/*": ["FAL401"]}
    assert settings.extend_exclude == ["legacy"]
    assert settings.exclude == list(DEFAULT_EXCLUDE)
    options = settings.options_for("single-file-router")
    assert options is not None
    assert dataclasses.asdict(options) == {"min_routes": 4, "min_resources": 3}


def test_rule_options_change_what_is_reported(project: Path) -> None:
    write(project / "app.py", TWO_RESOURCES_APP)
    assert codes(run("check", "--select", "FAL301", "app.py").stdout) == []
    configure(project, "[tool.fastapi-lint.single-file-router]\nmin-routes = 2\nmin-resources = 2")
    result = run("check", "--select", "FAL301", "app.py")
    assert codes(result.stdout) == ["FAL301"]
    assert "(/items, /users)" in result.stdout


def test_blocking_calls_extend_the_knowledge_base(project: Path) -> None:
    write(project / "app.py", CUSTOM_BLOCKING_APP)
    assert codes(run("check", "--select", "FAL101", "app.py").stdout) == []
    configure(project, 'blocking-calls = {"mylib.crunch" = "crunches numbers on the thread"}')
    result = run("check", "--select", "FAL101", "app.py")
    assert codes(result.stdout) == ["FAL101"]
    assert "`mylib.crunch`" in result.stdout
    assert "crunches numbers on the thread" in result.stdout


def test_extend_exclude_skips_folders(project: Path) -> None:
    write(project / "legacy" / "old.py", BLOCKING_APP)
    write(project / ".venv" / "lib.py", BLOCKING_APP)
    assert run("check", ".").stdout.count("old.py:") == 3
    configure(project, 'extend-exclude = ["legacy"]')
    output = run("check", ".").stdout
    assert "old.py" not in output
    assert ".venv" not in output
    assert output.count("app.py:") == 3


def test_pydantic_is_loaded_only_to_validate_a_config_table(project: Path) -> None:
    def imported(*args: str) -> set[str]:
        return importtime(project, "check", *args, "app.py")[1]

    assert "pydantic" not in imported("--no-cache")
    configure(project, 'ignore = ["FAL2"]')
    assert "pydantic" in imported("--no-cache")
    assert "pydantic" in imported("--output-format", "json")


def test_the_validating_model_has_every_setting_and_its_default() -> None:
    """``config.Settings`` (what a run uses) and ``schema.SettingsTable`` (what validates a
    table) list the same keys with the same defaults."""
    from fastapi_lint.schema import SettingsTable

    defaults = dataclasses.asdict(Settings())
    del defaults["rule_options"], defaults["root"]
    assert SettingsTable().model_dump() == defaults


def test_an_empty_table_gives_the_defaults_and_roots_the_project(project: Path) -> None:
    pyproject = configure(project, "")
    settings = load_settings(pyproject)
    assert settings.root == project
    assert settings == Settings(rule_options=defaults_for_rules(), root=project)
