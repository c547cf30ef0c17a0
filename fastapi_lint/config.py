"""Settings from ``[tool.fastapi-lint]`` in ``pyproject.toml``, validated by pydantic."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)

from fastapi_lint.options import StrictModel, kebab
from fastapi_lint.rules import all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    ".fastapi_lint_cache",
)


class ConfigError(Exception):
    """A configuration problem, worded for the user on one line."""


Code = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Settings(StrictModel):
    """Everything that shapes a lint run."""

    select: list[Code] = Field(default_factory=lambda: ["FAL"])
    extend_select: list[Code] = Field(default_factory=list)
    ignore: list[Code] = Field(default_factory=list)
    per_file_ignores: dict[str, list[Code]] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = Field(default_factory=list)
    respect_gitignore: bool = True
    blocking_calls: dict[str, str] = Field(
        default_factory=dict,
        description="Extra blocking calls: qualified name (or Class.method) -> why it blocks.",
    )
    sync_db_calls: dict[str, str] = Field(
        default_factory=dict,
        description="Extra sync database calls: qualified name (or Class.*) -> why it blocks.",
    )
    sync_db_types: list[str] = Field(
        default_factory=list,
        description="Classes whose every method talks to a database synchronously.",
    )
    async_db_types: list[str] = Field(
        default_factory=list,
        description="Classes that are never sync database access (async sessions, clients).",
    )
    offload_wrappers: list[str] = Field(
        default_factory=list,
        description="Calls that run the callable they are given in a worker thread or process.",
    )
    safe_functions: list[str] = Field(
        default_factory=list,
        description="Project functions that are fine to call from the event loop.",
    )
    rule_options: dict[str, BaseModel] = Field(default_factory=dict, exclude=True)
    root: Path | None = Field(default=None, exclude=True)

    def enabled(self, code: str) -> bool:
        """Whether a rule code is on: the most specific matching prefix decides."""
        selected = max(
            (len(p) for p in [*self.select, *self.extend_select] if matches(p, code)), default=-1
        )
        ignored = max((len(p) for p in self.ignore if matches(p, code)), default=-1)
        return selected >= 0 and selected > ignored

    def options_for(self, rule_name: str) -> BaseModel | None:
        return self.rule_options.get(rule_name)


def matches(prefix: str, code: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def rule_options_model() -> type[BaseModel]:
    """A model with one optional section per rule that has options, keyed by rule name."""
    fields: dict[str, Any] = {}
    for rule in all_rules().values():
        if rule.options is not None:
            fields[rule.name.replace("-", "_")] = (
                rule.options,
                Field(default_factory=rule.options),
            )
    return create_model("RuleOptions", __base__=StrictModel, **fields)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.fastapi-lint]`` table (or broken), upwards."""
    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return candidate  # unreadable or broken: load_settings says so
            tool = data.get("tool", {})
            if not isinstance(tool, dict) or "fastapi-lint" in tool:
                return candidate
    return None


def describe(error: ValidationError, path: Path) -> str:
    """The first validation error as one line naming file and key."""
    detail = error.errors()[0]
    key = ".".join(str(part) for part in detail["loc"])
    if detail["type"] == "extra_forbidden":
        return f"{path}: [tool.fastapi-lint] unknown key '{key}'"
    expected = detail["msg"][0].lower() + detail["msg"][1:]
    return f"{path}: [tool.fastapi-lint] invalid value for '{key}': {expected}"


def load_settings(path: Path | None) -> Settings:
    """Settings from a ``pyproject.toml`` (or defaults when ``path`` is None)."""
    if path is None:
        return Settings(rule_options=defaults_for_rules())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not valid UTF-8: {error.reason}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    table = tool.get("fastapi-lint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.fastapi-lint] must be a table")
    names = {rule.name for rule in all_rules().values() if rule.options is not None}
    sections = {key: table[key] for key in table if key in names}
    plain = {key: value for key, value in table.items() if key not in names}
    try:
        settings = Settings.model_validate(plain)
        options = rule_options_model().model_validate(sections)
    except ValidationError as error:
        raise ConfigError(describe(error, path)) from error
    settings.root = path.parent.absolute()
    settings.rule_options = {
        kebab(name): getattr(options, name) for name in type(options).model_fields
    }
    return settings


def defaults_for_rules() -> dict[str, BaseModel]:
    options = rule_options_model()()
    return {kebab(name): getattr(options, name) for name in type(options).model_fields}
