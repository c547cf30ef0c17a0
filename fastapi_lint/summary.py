"""Module summaries: the plain, picklable facts extracted from one file.

Names in expressions are already resolved to qualified names: imports are followed
(``import requests as r; r.get`` is ``requests.get``), module-level definitions are
``package.module.name``, and a function's locals are ``package.module.func.<locals>.name``.
Whatever the summary cannot express is ``UNKNOWN``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Expr:
    """A simplified expression; identity-compared so it can key memo tables cheaply."""

    __slots__ = ()


@dataclass(eq=False, slots=True)
class Name(Expr):
    """A qualified name: an import target, a module-level definition or a local binding."""

    qualname: str


@dataclass(eq=False, slots=True)
class Attribute(Expr):
    """``value.attr`` where ``value`` is not a plain name."""

    value: Expr
    attr: str


@dataclass(eq=False, slots=True)
class Call(Expr):
    """A call with its position in the file."""

    func: Expr
    args: tuple[Expr, ...]
    keywords: tuple[tuple[str | None, Expr], ...]
    line: int
    col: int
    end_line: int
    end_col: int

    def keyword(self, name: str) -> Expr | None:
        """The value passed as keyword ``name``, if any."""
        for key, value in self.keywords:
            if key == name:
                return value
        return None


@dataclass(eq=False, slots=True)
class Constant(Expr):
    """A literal: str, bytes, int, float, bool or None."""

    value: object


@dataclass(eq=False, slots=True)
class Sequence(Expr):
    """A list, tuple or set display."""

    items: tuple[Expr, ...]


@dataclass(eq=False, slots=True)
class Mapping(Expr):
    """A dict display."""

    keys: tuple[Expr, ...]
    values: tuple[Expr, ...]


@dataclass(eq=False, slots=True)
class Subscript(Expr):
    """``value[index, ...]``, mostly generic types such as ``Annotated[...]``."""

    value: Expr
    index: tuple[Expr, ...]


@dataclass(eq=False, slots=True)
class Union(Expr):
    """``A | B`` in a type annotation."""

    options: tuple[Expr, ...]


@dataclass(eq=False, slots=True)
class Await(Expr):
    """``await value``."""

    value: Expr


@dataclass(eq=False, slots=True)
class InstanceOf(Expr):
    """A value known only by its annotated type."""

    annotation: Expr


@dataclass(eq=False, slots=True)
class Parameter(Expr):
    """A function parameter; ``self_class`` is set for ``self`` of a method."""

    function: str
    name: str
    annotation: Expr | None
    default: Expr | None
    line: int
    col: int
    self_class: str | None = None


class _Unknown(Expr):
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(slots=True)
class CallSite:
    """A call made by a function, and whether its result is awaited."""

    call: Call
    awaited: bool


@dataclass(slots=True)
class Function:
    """A function, method or lambda and the facts rules need about it."""

    qualname: str
    name: str
    line: int
    col: int
    end_line: int
    is_async: bool
    is_generator: bool
    class_name: str | None
    params: list[Parameter]
    decorators: list[Expr]
    returns_annotation: Expr | None
    calls: list[CallSite] = field(default_factory=list)
    returns: list[Expr] = field(default_factory=list)
    yields: list[Expr] = field(default_factory=list)


@dataclass(slots=True)
class Class:
    """A class: its bases and where it is defined."""

    qualname: str
    name: str
    line: int
    col: int
    bases: list[Expr]
    keywords: dict[str, Expr]


@dataclass(slots=True)
class ModuleSummary:
    """Everything the project model needs from one file."""

    path: str
    module: str
    functions: dict[str, Function]
    classes: dict[str, Class]
    bindings: dict[str, list[Expr]]
    star_imports: list[str]
    module_calls: list[CallSite]
    noqa: dict[int, frozenset[str] | None]
    wide_lines: dict[int, str]
