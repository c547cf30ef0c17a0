"""Rules: one class per file, registered by subclassing ``Rule``.

A rule declares its code, name, one-line summary, message template and (optionally) an
options dataclass (see ``fastapi_lint.options``); its docstring is its documentation, with the
sections listed in ``DOC_SECTIONS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from fastapi_lint.context import Context
    from fastapi_lint.findings import Finding
    from fastapi_lint.fixes import Fix, Source

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


class Rule:
    """Base class of every rule; subclasses register themselves by code."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    message: ClassVar[str]
    fix: ClassVar[str] = "none"
    default_enabled: ClassVar[bool] = True
    options: ClassVar[type | None] = None
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("code"):
            Rule.registry[cls.code] = cls

    def __init__(self, options: object | None = None) -> None:
        self.settings = options

    def check(self, context: Context) -> Iterator[Finding]:
        """Report this rule's findings for the whole project."""
        raise NotImplementedError

    def fix_for(self, finding: Finding, source: Source) -> Fix | None:
        """The fix for one of this rule's findings, if the rule has one for it (``fix``
        says whether it ever does)."""
        return None

    @classmethod
    def documentation(cls) -> str:
        """The rule's documentation, dedented."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, in code order (imports the rule modules once)."""
    if not Rule.registry:
        for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
            importlib.import_module(module.name)
    return dict(sorted(Rule.registry.items()))
