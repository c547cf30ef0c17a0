"""Settings from ``[tool.fastapi-lint]`` in ``pyproject.toml``.

``Settings`` is a plain dataclass, so a run without a ``[tool.fastapi-lint]`` table never
imports pydantic (a tenth of a second); a table is validated by the pydantic models of
``fastapi_lint.schema``.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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

# default excludes a package may be named: such a folder is walked when it is source code
# (see ``discovery.source_folder``); a user's own patterns always prune
YIELDING_EXCLUDE = ("_build", "build", "dist", "venv")


class ConfigError(Exception):
    """A configuration problem, worded for the user on one line."""


@dataclass
class Settings:
    """Everything that shapes a lint run (``schema.SettingsTable`` validates what users write)."""

    select: list[str] = field(default_factory=lambda: ["FAL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    blocking_calls: dict[str, str] = field(default_factory=dict)
    sync_db_calls: dict[str, str] = field(default_factory=dict)
    sync_db_types: list[str] = field(default_factory=list)
    async_db_types: list[str] = field(default_factory=list)
    offload_wrappers: list[str] = field(default_factory=list)
    safe_functions: list[str] = field(default_factory=list)
    follow_memoised: bool = False  # also follow calls into memoised functions
    report_startup: bool = False  # also report code that only runs at startup or shutdown
    fixable: list[str] = field(default_factory=lambda: ["ALL"])
    unfixable: list[str] = field(default_factory=list)
    extend_safe_fixes: list[str] = field(default_factory=list)
    extend_unsafe_fixes: list[str] = field(default_factory=list)
    rule_options: dict[str, Any] = field(default_factory=dict)  # rule name -> its options
    root: Path | None = None  # the folder of the pyproject.toml read, if any

    def enabled(self, code: str) -> bool:
        """Whether a rule code is on: the most specific matching prefix decides."""
        selected = max(
            (len(p) for p in [*self.select, *self.extend_select] if matches(p, code)), default=-1
        )
        ignored = max((len(p) for p in self.ignore if matches(p, code)), default=-1)
        return selected >= 0 and selected > ignored

    def may_fix(self, code: str) -> bool:
        """Whether ``--fix`` may apply a rule's fixes (``fixable`` / ``unfixable``, the most
        specific matching prefix deciding)."""
        return most_specific(code, self.fixable) > most_specific(code, self.unfixable)

    def applicability(self, code: str, offered: str) -> str:
        """A fix's applicability once ``extend-safe-fixes`` and ``extend-unsafe-fixes`` have
        had their say (the most specific matching prefix deciding, unsafe on a tie)."""
        safe = most_specific(code, self.extend_safe_fixes)
        unsafe = most_specific(code, self.extend_unsafe_fixes)
        if unsafe >= 0 and unsafe >= safe:
            return "unsafe"
        return "safe" if safe >= 0 else offered

    def excludes(self) -> tuple[list[str], list[str]]:
        """``(patterns that prune, default patterns that give way to source code)``: the
        default excludes that name packages yield unless the user set ``exclude``."""
        yielding = []
        if self.exclude == list(DEFAULT_EXCLUDE):
            yielding = [pattern for pattern in self.exclude if pattern in YIELDING_EXCLUDE]
        pruning = [pattern for pattern in self.exclude if pattern not in yielding]
        return pruning + self.extend_exclude, yielding

    def options_for(self, rule_name: str) -> Any:
        return self.rule_options.get(rule_name)

    def fingerprint(self) -> str:
        """Everything in the settings that can change findings, as text."""
        options = {name: asdict(value) for name, value in sorted(self.rule_options.items())}
        plain = {key: value for key, value in asdict(self).items() if key != "rule_options"}
        return repr((plain, options))


def matches(prefix: str, code: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def most_specific(code: str, prefixes: list[str]) -> int:
    """The length of the longest prefix matching ``code`` (-1: none)."""
    return max((len(p) for p in prefixes if matches(p, code)), default=-1)


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
    settings = Settings(rule_options=defaults_for_rules(), root=path.parent.absolute())
    if not table:
        return settings
    from fastapi_lint.schema import validate  # pydantic: only for a table to validate

    plain, options = validate(table, path)
    for key, value in plain.items():
        setattr(settings, key, value)
    settings.rule_options.update(options)
    return settings


def defaults_for_rules() -> dict[str, Any]:
    """Each rule's options, as their defaults, by rule name."""
    return {rule.name: rule.options() for rule in all_rules().values() if rule.options is not None}
