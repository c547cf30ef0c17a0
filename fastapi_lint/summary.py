"""Module summaries: the plain facts extracted from one file.

Expressions are plain tuples tagged by their first item, so a summary travels between processes
and into the cache with ``marshal`` (fast, C only). Names in expressions are already resolved:
imports are followed (``import requests as r; r.get`` is ``requests.get``), module-level
definitions are ``package.module.name``, a function's locals ``package.module.func.<locals>.x``.
Whatever the summary cannot express is ``UNKNOWN`` (``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

Expr = Any  # one of the tagged tuples below, a name list, or None

NAME = "n"  # [NAME, qualname]: a list, filled in once the whole module is known
ATTRIBUTE = "a"  # (ATTRIBUTE, value, attr): `value.attr` where value is not a plain name
CALL = "c"  # (CALL, func, args, keywords, line, col, end_line, end_col)
CONSTANT = "k"  # (CONSTANT, value): str, bytes, int, float, bool or None
SEQUENCE = "s"  # (SEQUENCE, items): a list, tuple or set display
MAPPING = "m"  # (MAPPING, keys, values): a dict display
SUBSCRIPT = "i"  # (SUBSCRIPT, value, index): mostly generic types such as Annotated[...]
UNION = "u"  # (UNION, options): `A | B`, `x or y`, `a if c else b`
JOIN = "j"  # (JOIN, parts): a string built of names and constants, `f"{BASE}/x"`, `BASE + "/x"`
AWAIT = "w"  # (AWAIT, value)
INSTANCE = "t"  # (INSTANCE, annotation): a value known only by its annotated type
PARAMETER = "p"  # (PARAMETER, function, name, annotation, default, line, col, self_class)
UNKNOWN = None

# Field positions of a call and of a parameter.
FUNC, ARGS, KEYWORDS, LINE, COL, END_LINE, END_COL = range(1, 8)
P_FUNCTION, P_NAME, P_ANNOTATION, P_DEFAULT, P_LINE, P_COL, P_SELF_CLASS = range(1, 8)

# GUARDS: a condition on a parameter that must hold where a call runs (``Function.guarded``),
# as (kind, parameter, operand, unless): `p is None` is ("none", "p", None, ()), `not
# p.startswith("x")` is ("noprefix", "p", ("x",), ()). ``unless`` holds the guards under which
# the function assigned the parameter before the test: the test is of the parameter's value
# only where each of them fails. A test of a local the function set itself is (RAN, local,
# None, ways): it holds only where one of the ``ways`` (guards) holds, each the guard of an
# assignment that can give a value passing the test. Each kind and the kind of its negation:
NEGATION = {
    "none": "some",
    "some": "none",
    "true": "false",
    "false": "true",
    "eq": "ne",
    "ne": "eq",
    "prefix": "noprefix",
    "noprefix": "prefix",
}
RAN = "ran"


def holds(test: str, value: object, operand: object) -> bool:
    """Whether a condition (``NEGATION``'s kinds) holds of a known constant."""
    if test in ("none", "some"):
        return (value is None) == (test == "none")
    if test in ("true", "false"):
        return bool(value) == (test == "true")
    if test in ("eq", "ne"):
        return (value == operand) == (test == "eq")
    starts = type(value) is str and value.startswith(operand)  # type: ignore[arg-type]
    return starts == (test == "prefix") or type(value) is not str


def name(qualname: str) -> list:
    """A name expression."""
    return [NAME, qualname]


def is_name(expr: Expr) -> bool:
    return type(expr) is list


def kind(expr: Expr) -> str | None:
    """The tag of an expression (``None`` for ``UNKNOWN``)."""
    return expr[0] if expr is not None else None


# Cadwyn's app method that includes routers (``include_router`` for every API version).
VERSIONED_INCLUDE = "generate_and_include_versioned_routers"
# Methods of an app or router that register something: routers, routes, middleware, handlers.
CALL_METHODS = frozenset(
    {
        "include_router",
        VERSIONED_INCLUDE,
        "add_api_route",
        "add_api_websocket_route",
        "add_middleware",
        "add_exception_handler",
        "add_event_handler",
        "mount",
        "host",
    }
)
REGISTERING = CALL_METHODS | {"add_task"}
# Route decorators of an app or router, also called directly: ``app.get("/p")(handler)``.
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"}
)


def may_register(call: Expr) -> bool:
    """Whether a call may register something: a method named like one of an app or router
    (or ``add_task``), a ``...Middleware`` class wrapping an app, or the decorator a route
    method returns, called on a handler. Most calls are not."""
    func = call[FUNC]
    if type(func) is list:
        last = func[1].rpartition(".")[2]
        return last in REGISTERING or last.endswith("Middleware")
    if type(func) is not tuple:
        return False
    if func[0] == ATTRIBUTE:
        return func[2] in REGISTERING
    return func[0] == CALL and method_name(func[FUNC]) in ROUTE_METHODS


def method_name(func: Expr) -> str:
    """The last name of what a call calls: ``get`` of ``app.get`` or ``self.app.get``."""
    if type(func) is list:
        return func[1].rpartition(".")[2]
    return func[2] if type(func) is tuple and func[0] == ATTRIBUTE else ""


def keyword(call: Expr, key: str) -> Expr:
    """The value passed to a call as keyword ``key``, if any."""
    for item, value in call[KEYWORDS]:
        if item == key:
            return value
    return None


NO_GUARDS: Mapping[int, tuple] = MappingProxyType({})  # of a decoded function without any


class Function:
    """A function, method or lambda and the facts rules need about it."""

    __slots__ = (
        "calls",
        "class_name",
        "col",
        "conditional",
        "decorators",
        "end_line",
        "guarded",
        "is_async",
        "is_generator",
        "line",
        "name",
        "params",
        "positional",
        "qualname",
        "returns",
        "returns_annotation",
        "yields",
    )

    def __init__(
        self,
        qualname: str,
        name: str,
        line: int,
        col: int,
        end_line: int,
        is_async: bool,
        class_name: str | None,
        params: list,
        decorators: list,
        returns_annotation: Expr,
        is_generator: bool = False,
        calls: list | None = None,
        returns: list | None = None,
        yields: list | None = None,
        positional: int = 0,
        guarded: dict[int, tuple] | None = None,
        conditional: bool = False,
    ) -> None:
        self.qualname = qualname
        self.name = name
        self.line = line
        self.col = col
        self.end_line = end_line
        self.is_async = is_async
        self.class_name = class_name
        self.params = params
        self.decorators = decorators
        self.returns_annotation = returns_annotation
        self.is_generator = is_generator
        self.calls: list[tuple[Expr, bool]] = calls if calls is not None else []
        self.returns: list = returns if returns is not None else []
        self.yields: list = yields if yields is not None else []
        self.positional = positional  # the first ``positional`` params take positional args
        # calls[i] runs only where guarded[i] holds: conditions on parameters (``GUARDS``)
        self.guarded: Mapping[int, tuple] = guarded if guarded is not None else {}
        self.conditional = conditional  # defined under an `if`: only where its test holds

    def to_data(self) -> tuple:
        """The parameters of ``__init__``, in order, lists as tuples: decoded, they take a third
        less memory (and ``from_data`` gives every function without guards one shared empty
        mapping)."""
        return (
            self.qualname,
            self.name,
            self.line,
            self.col,
            self.end_line,
            self.is_async,
            self.class_name,
            tuple(self.params),
            tuple(self.decorators),
            self.returns_annotation,
            self.is_generator,
            tuple(self.calls),
            tuple(self.returns),
            tuple(self.yields),
            self.positional,
            self.guarded or None,
            self.conditional,
        )

    @classmethod
    def from_data(cls, data: tuple) -> Function:
        function = cls(*data)
        if not function.guarded:
            function.guarded = NO_GUARDS
        return function


class Class:
    """A class: its bases and where it is defined."""

    __slots__ = ("bases", "col", "keywords", "line", "name", "qualname")

    def __init__(
        self, qualname: str, name: str, line: int, col: int, bases: list, keywords: dict
    ) -> None:
        self.qualname = qualname
        self.name = name
        self.line = line
        self.col = col
        self.bases = bases
        self.keywords = keywords

    def to_data(self) -> tuple:
        return (self.qualname, self.name, self.line, self.col, tuple(self.bases), self.keywords)

    @classmethod
    def from_data(cls, data: tuple) -> Class:
        return cls(*data)


class ModuleSummary:
    """Everything the project model needs from one file."""

    __slots__ = (
        "attribute_sets",
        "bindings",
        "called",
        "classes",
        "depended",
        "functions",
        "module",
        "module_calls",
        "noqa",
        "path",
        "registering",
        "star_imports",
        "wide_lines",
    )

    def __init__(
        self,
        path: str,
        module: str,
        functions: dict[str, Function],
        classes: dict[str, Class],
        bindings: dict[str, tuple],
        star_imports: list[str],
        module_calls: list,
        noqa: dict[int, frozenset[str] | None],
        wide_lines: dict[int, str],
        registering: list[str],
        attribute_sets: dict[str, list] | None = None,
        called: str = "",
        depended: str = "",
    ) -> None:
        self.path = path
        self.module = module
        self.functions = functions
        self.classes = classes
        self.bindings = bindings
        self.star_imports = star_imports
        self.module_calls = module_calls
        self.noqa = noqa
        self.wide_lines = wide_lines
        self.registering = registering  # the functions with a call that ``may_register``
        # attribute -> (object, value) of each ``obj.attribute = value`` whose object is not
        # the method's own ``self`` (those are bindings of the class's attributes)
        self.attribute_sets = attribute_sets if attribute_sets is not None else {}
        # the names the module calls or passes to calls, as written (``SqlRepo``, ``commit``),
        # space-separated: one string is a tenth of the memory of a list of them
        self.called = called
        self.depended = depended  # likewise, the names handed to `Depends` or `Security`

    def to_data(self) -> tuple:
        """Builtin types only, for ``marshal``."""
        return (
            self.path,
            self.module,
            [f.to_data() for f in self.functions.values()],
            [c.to_data() for c in self.classes.values()],
            self.bindings,
            self.star_imports,
            self.module_calls,
            self.noqa,
            self.wide_lines,
            self.registering,
            self.attribute_sets,
            self.called,
            self.depended,
        )

    @classmethod
    def from_data(cls, data: tuple) -> ModuleSummary:
        (
            path,
            module,
            functions,
            classes,
            bindings,
            stars,
            calls,
            noqa,
            wide,
            registers,
            sets,
            called,
            depended,
        ) = data
        return cls(
            path=path,
            module=module,
            functions={f[0]: Function.from_data(f) for f in functions},
            classes={c[0]: Class.from_data(c) for c in classes},
            bindings=bindings,
            star_imports=stars,
            module_calls=calls,
            noqa=noqa,
            wide_lines=wide,
            registering=registers,
            attribute_sets=sets,
            called=called,
            depended=depended,
        )
