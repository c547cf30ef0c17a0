"""Validation of ``[tool.fastapi-lint]`` with pydantic: imported only when a table is set.

Keys are kebab-case as in TOML; unknown keys and loose types (``"12"`` for an integer, ``1``
for a boolean) are errors, reported on one line naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model

from fastapi_lint.config import ConfigError, Settings
from fastapi_lint.options import kebab
from fastapi_lint.rules import all_rules

Code = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class StrictModel(BaseModel):
    """The base of every settings model."""

    model_config = ConfigDict(
        alias_generator=kebab, populate_by_name=True, extra="forbid", strict=True
    )


class SettingsTable(StrictModel):
    """The keys of ``[tool.fastapi-lint]`` besides rule sections (see ``config.Settings``)."""

    select: list[Code] = Field(default_factory=lambda: ["FAL"])
    extend_select: list[Code] = Field(default_factory=list)
    ignore: list[Code] = Field(default_factory=list)
    per_file_ignores: dict[str, list[Code]] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=lambda: list(Settings().exclude))
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
    follow_memoised: bool = Field(
        default=False,
        description=(
            "Follow calls into memoised functions (functools.cache, lru_cache, cachetools, "
            "async_lru): by default their body, which runs once per set of arguments, is not."
        ),
    )
    fixable: list[Code] = Field(
        default_factory=lambda: ["ALL"],
        description="Codes or prefixes whose fixes --fix may apply.",
    )
    unfixable: list[Code] = Field(
        default_factory=list, description="Codes or prefixes whose fixes are never applied."
    )
    extend_safe_fixes: list[Code] = Field(
        default_factory=list, description="Codes or prefixes whose unsafe fixes count as safe."
    )
    extend_unsafe_fixes: list[Code] = Field(
        default_factory=list, description="Codes or prefixes whose safe fixes count as unsafe."
    )
    report_startup: bool = Field(
        default=False,
        description=(
            "Report blocking calls in code that only runs at startup or shutdown (the lifespan, "
            "startup and shutdown handlers, what they await): by default they stall no request."
        ),
    )


def options_model(options: type) -> type[BaseModel]:
    """A strict model of a rule's options dataclass, named like it (for error messages)."""
    types = typing.get_type_hints(options)
    fields: dict[str, Any] = {
        item.name: (
            types[item.name],
            Field(
                item.default,
                ge=item.metadata.get("minimum"),
                description=item.metadata.get("description"),
            ),
        )
        for item in dataclasses.fields(options)
    }
    return create_model(options.__name__, __base__=StrictModel, **fields)


def rule_sections_model() -> type[BaseModel]:
    """A model with one optional section per rule that has options, keyed by rule name."""
    fields: dict[str, Any] = {}
    for rule in all_rules().values():
        if rule.options is not None:
            model = options_model(rule.options)
            fields[rule.name.replace("-", "_")] = (model, Field(default_factory=model))
    return create_model("RuleOptions", __base__=StrictModel, **fields)


def describe(error: ValidationError, path: Path) -> str:
    """The first validation error as one line naming file and key."""
    detail = error.errors()[0]
    key = ".".join(str(part) for part in detail["loc"])
    if detail["type"] == "extra_forbidden":
        return f"{path}: [tool.fastapi-lint] unknown key '{key}'"
    expected = detail["msg"][0].lower() + detail["msg"][1:]
    return f"{path}: [tool.fastapi-lint] invalid value for '{key}': {expected}"


def validate(table: dict[str, Any], path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(settings, rule options)`` from a ``[tool.fastapi-lint]`` table, or ``ConfigError``.

    Settings come by field name, rule options by rule name as their options dataclasses.
    """
    rules = {rule.name: rule for rule in all_rules().values() if rule.options is not None}
    sections = {key: value for key, value in table.items() if key in rules}
    plain = {key: value for key, value in table.items() if key not in rules}
    try:
        settings = SettingsTable.model_validate(plain)
        options = rule_sections_model().model_validate(sections)
    except ValidationError as error:
        raise ConfigError(describe(error, path)) from error
    by_rule = {
        name: rule.options(**getattr(options, name.replace("-", "_")).model_dump())
        for name, rule in rules.items()
    }
    return settings.model_dump(), by_rule
