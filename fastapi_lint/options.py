"""The base of every settings model: kebab-case keys, unknown keys and loose types rejected."""

from pydantic import BaseModel, ConfigDict


def kebab(name: str) -> str:
    return name.replace("_", "-")


class StrictModel(BaseModel):
    """Keys as written in TOML (``min-routes``); ``"12"`` is not an integer, ``1`` not a bool."""

    model_config = ConfigDict(
        alias_generator=kebab, populate_by_name=True, extra="forbid", strict=True
    )
