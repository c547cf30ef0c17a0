"""Rule options: plain dataclasses whose fields say their default, bound and meaning.

``fastapi_lint.schema`` turns them into strict pydantic models when a config sets them.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any


def kebab(name: str) -> str:
    """A field's key as written in TOML: ``min_routes`` -> ``min-routes``."""
    return name.replace("_", "-")


def option(default: int, *, minimum: int, description: str) -> Any:
    """An integer option of at least ``minimum``."""
    return field(default=default, metadata={"minimum": minimum, "description": description})
