"""Turn one parsed module into a ``ModuleSummary`` in a single walk of its tree.

Python decides whether a name is local per scope, not per line, so names are resolved once the
whole module has been walked: each ``Name`` is created unresolved and filled in at the end.
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict
from sys import intern
from typing import Any

from fastapi_lint.summary import (
    ATTRIBUTE,
    AWAIT,
    CALL,
    CONSTANT,
    INSTANCE,
    JOIN,
    MAPPING,
    NAME,
    NEGATION,
    P_NAME,
    PARAMETER,
    RAN,
    SEQUENCE,
    SUBSCRIPT,
    UNION,
    UNKNOWN,
    Class,
    Expr,
    Function,
    ModuleSummary,
    holds,
    kind,
    may_register,
    name,
)

BUILTIN_NAMES = frozenset(dir(builtins))
MAX_STRING = 2000
MAX_ITEMS = 200
MAX_DEPTH = 60
MAX_PARTS = 12
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCALAR_FIELDS = frozenset({"ctx", "id", "attr", "arg", "name", "names", "level", "module"})
LEAVES = (ast.Constant, ast.Name, ast.Pass, ast.Break, ast.Continue)
EXITS = (ast.Return, ast.Raise)  # an `if` body ending so: what follows runs where it is false
# values worth keeping when stored on an object: those that can be an object of the project
OBJECTS = frozenset({CALL, NAME, ATTRIBUTE, AWAIT, UNION, SUBSCRIPT})
DEPENDS = frozenset({"Depends", "Security"})  # what they are handed, FastAPI calls
ACCESSORS = frozenset({"setter", "deleter"})  # @prop.setter: not the getter read as prop
# expressions that are never None
DISPLAYS = frozenset(
    {ast.List, ast.Tuple, ast.Set, ast.Dict, ast.JoinedStr, *COMPREHENSIONS, ast.Lambda}
)
RECORDED = frozenset({ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Lambda})


def child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of an ``ast`` node type that can hold other nodes."""
    return tuple(f for f in node_type._fields if f not in SCALAR_FIELDS)


FIELDS: dict[type, tuple[str, ...]] = defaultdict(tuple)
for _type in vars(ast).values():
    if isinstance(_type, type) and issubclass(_type, ast.AST):
        FIELDS[_type] = child_fields(_type)


class Scope:
    """Names bound in one module, class or function body."""

    __slots__ = ("aliases", "free", "globals", "kind", "locals", "owner", "parent", "prefix")

    def __init__(self, kind: str, prefix: str, parent: Scope | None) -> None:
        self.kind = kind
        self.prefix = prefix
        self.parent = parent
        self.locals: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.globals: set[str] = set()
        self.free: set[str] = set()
        self.owner: str | None = None


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module named by ``from <level dots><target> import ...`` inside ``module``."""
    if level == 0:
        return target or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: max(len(parts) - (level - 1), 0)]
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base


def constant(value: object) -> Expr:
    """The summary form of a literal: long strings and ``...`` are not worth keeping."""
    if isinstance(value, (str, bytes)) and len(value) > MAX_STRING:
        return UNKNOWN
    if value is ... or isinstance(value, complex):
        return (CONSTANT, None)
    return (CONSTANT, value)


class Summarizer:
    """Builds the summary of one module."""

    def __init__(self, path: str, module: str, is_package: bool) -> None:
        self.path = path
        self.module = module
        self.is_package = is_package
        self.functions: dict[str, Function] = {}
        self.classes: dict[str, Class] = {}
        self.bindings: dict[str, list[Expr]] = defaultdict(list)
        self.attribute_sets: dict[str, list[tuple[Expr, Expr]]] = defaultdict(list)
        self.called: set[str] = set()
        self.depended: set[str] = set()  # names handed to `Depends(...)` or `Security(...)`
        self.star_imports: list[str] = []
        self.module_calls: list[tuple[Expr, bool]] = []
        self.converted_calls: dict[int, Expr] = {}
        self.lambdas: dict[int, str] = {}
        self.lambda_bodies: list[tuple[ast.Lambda, Scope, Scope, Function]] = []
        self.pending: list[tuple[list, Scope, str, str]] = []
        self.references: dict[tuple[str, Scope, str], list] = {}
        self.kept: list[ast.AST] = []
        self.self_names: dict[int, str] = {}
        self.recording = True
        self.guards: list[tuple] = []  # what must hold where the statements being read run
        # the names assigned so far in the function being read, each with the guard of each of
        # its assignments (an empty guard: assigned whatever the call site passes) and what it
        # assigned when that is known (``assigned_value``)
        self.assigned: dict[str, list[tuple[tuple, tuple | None]]] = {}
        self.conditions = 0  # `if` statements around the statement being read, in its function
        self.loops = 0  # loops around it, in its function: a later assignment may run first
        self.nonlocals: set[str] = set()  # names nested functions assign (``nonlocal``)

    def run(self, tree: ast.Module, noqa: dict, wide_lines: dict) -> ModuleSummary:
        """Summarise ``tree``."""
        scope = Scope("module", self.module, None)
        self.block(tree.body, scope, None)
        while self.lambda_bodies:
            self.lambda_body(*self.lambda_bodies.pop())
        for alias, target in scope.aliases.items():
            self.bindings[f"{self.module}.{alias}"].append(name(target))
        found: dict[tuple[str, Scope], str] = {}  # most names are met many times in a scope
        for ref, where, identifier, tail in self.pending:
            resolved = found.get((identifier, where))
            if resolved is None:
                resolved = found[identifier, where] = intern(self.lookup(identifier, where))
            ref[1] = intern(resolved + tail) if tail else resolved
        registering = [
            qualname
            for qualname, function in self.functions.items()
            if any(may_register(call) for call, _ in function.calls)
        ]
        return ModuleSummary(
            path=self.path,
            module=self.module,
            functions=self.functions,
            classes=self.classes,
            # names interned: the names that read them hold the same strings, one copy each
            bindings={intern(key): tuple(values) for key, values in self.bindings.items()},
            star_imports=self.star_imports,
            module_calls=self.module_calls,
            noqa=noqa,
            wide_lines=wide_lines,
            registering=registering,
            attribute_sets={attr: tuple(sets) for attr, sets in self.attribute_sets.items()},
            called=" ".join(sorted(self.called)),
            depended=" ".join(sorted(self.depended)),
        )

    # -- names -----------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> str:
        """The qualified name ``name`` refers to from ``scope`` (once every scope is known)."""
        current: Scope | None = scope
        while current is not None:
            if current.kind == "class" and current is not scope:
                current = current.parent
                continue
            if name in current.aliases:
                return current.aliases[name]
            if name in current.globals:
                while current.parent is not None:
                    current = current.parent
                continue
            if name in current.locals and name not in current.free:
                return f"{current.prefix}.{name}"
            current = current.parent
        if name in BUILTIN_NAMES:
            return f"builtins.{name}"
        return f"{self.module}.{name}"

    def reference(self, identifier: str, scope: Scope, tail: str = "") -> list:
        """A name resolved when the module is done: ``identifier`` seen from ``scope``. The
        same name seen from the same scope resolves alike, so its uses share one reference
        (a third of a project's names: the memory of the rest, and the work of resolving it)."""
        key = (identifier, scope, tail)
        ref = self.references.get(key)
        if ref is None:
            ref = self.references[key] = [NAME, ""]
            self.pending.append((ref, scope, identifier, tail))
        return ref

    def declare(self, name: str, scope: Scope, value: tuple | None = None) -> None:
        self.assigned.setdefault(name, []).append((tuple(self.guards), value))
        if name not in scope.globals:
            scope.locals.add(name)

    def bind(self, target: ast.AST, value: Expr, scope: Scope) -> None:
        """Record that ``target`` now holds ``value``."""
        if isinstance(target, ast.Name):
            if target.id in scope.globals:
                self.bindings[f"{self.module}.{target.id}"].append(value)
            else:
                self.bindings[f"{scope.prefix}.{target.id}"].append(value)
        elif isinstance(target, ast.Attribute):
            if (
                isinstance(target.value, ast.Name)
                and scope.owner is not None
                and target.value.id == self.self_names.get(id(scope))
            ):
                self.bindings[f"{scope.owner}.{target.attr}"].append(value)
            elif kind(value) in OBJECTS:  # not `response.status_code = 200`
                owner = self.convert(target.value, scope)
                self.attribute_sets[target.attr].append((owner, value))

    def imports(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    scope.aliases[top] = top
            return
        base = resolve_relative(self.module, self.is_package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(base)
            else:
                full = f"{base}.{alias.name}" if base else alias.name
                scope.aliases[alias.asname or alias.name] = full

    # -- expressions -------------------------------------------------------------------

    def convert(self, node: ast.AST | None, scope: Scope, depth: int = 0) -> Expr:
        """The summary form of an expression that does not run where it is written (an
        annotation), or was recorded already: ``record`` that records nothing."""
        recording, self.recording = self.recording, False
        try:
            return self.record(node, scope, None, depth)
        finally:
            self.recording = recording

    def record(
        self,
        node: Any,
        scope: Scope,
        function: Function | None,
        depth: int = 0,
        awaited: bool = False,
    ) -> Expr:
        """The summary form of an expression, recording on the way the calls, yields, lambdas
        and bound names inside it, so each node is visited once (a call is converted once: the
        same tuple wherever it is used). Nodes deeper than ``MAX_DEPTH`` are only scanned,
        without recursion."""
        node_type = type(node)
        if node_type is ast.Name:
            return self.reference(node.id, scope)
        if node_type is ast.Constant:
            return constant(node.value)
        if node is None:
            return UNKNOWN
        if node_type is ast.Call:
            known = self.converted_calls.get(id(node))
            if known is not None:
                return known
        if depth > MAX_DEPTH:
            if self.recording:
                self.scan(node, scope, function, deep=True)
            return UNKNOWN
        if node_type is ast.Call:
            call = self.record_call(node, scope, function, depth + 1, awaited)
            self.converted_calls[id(node)] = call
            return call
        return self._record(node, node_type, scope, function, depth + 1)

    def _record(
        self, node: Any, node_type: type, scope: Scope, function: Function | None, depth: int
    ) -> Expr:
        if node_type is ast.Attribute:
            attrs = []
            base = node
            while type(base) is ast.Attribute:
                attrs.append(base.attr)
                base = base.value
            if type(base) is ast.Name:
                return self.reference(base.id, scope, "." + ".".join(reversed(attrs)))
            return (ATTRIBUTE, self.record(node.value, scope, function, depth), node.attr)
        if node_type is ast.Await:
            return (AWAIT, self.record(node.value, scope, function, depth, awaited=True))
        if node_type is ast.List or node_type is ast.Tuple or node_type is ast.Set:
            return (SEQUENCE, self.record_items(node.elts, scope, function, depth))
        if node_type is ast.Dict:
            keys, values = [], []
            for key, value in zip(node.keys[:MAX_ITEMS], node.values[:MAX_ITEMS], strict=True):
                keys.append(self.record(key, scope, function, depth))
                values.append(self.record(value, scope, function, depth))
            self.scan_rest(node.keys, scope, function, depth)
            self.scan_rest(node.values, scope, function, depth)
            return (MAPPING, tuple(keys), tuple(values))
        if node_type is ast.Subscript:
            index = node.slice
            value = self.record(node.value, scope, function, depth)
            items = index.elts if type(index) is ast.Tuple else [index]
            converted = tuple(
                [
                    self.annotation(e, scope, depth)
                    if type(e) is ast.Constant
                    else self.record(e, scope, function, depth)
                    for e in items[:MAX_ITEMS]
                ]
            )
            self.scan_rest(items, scope, function, depth)
            return (SUBSCRIPT, value, converted)
        if node_type is ast.JoinedStr or (node_type is ast.BinOp and type(node.op) is ast.Add):
            parts = self.string_parts(node, scope)
            if parts is not None:
                return (JOIN, parts)
        if node_type is ast.BinOp and type(node.op) is ast.BitOr:
            left = self.record(node.left, scope, function, depth)
            return (UNION, (left, self.record(node.right, scope, function, depth)))
        if node_type is ast.IfExp:
            holds, fails = [], []
            if self.recording:
                self.scan(node.test, scope, function, depth=depth)
                holds, fails = self.tested(node.test, function, scope)
            mark = len(self.guards)
            self.guards += holds
            body = self.record(node.body, scope, function, depth)
            self.guards[mark:] = fails
            orelse = self.record(node.orelse, scope, function, depth)
            del self.guards[mark:]
            return (UNION, (body, orelse))
        if node_type is ast.BoolOp:
            return (UNION, self.record_items(node.values, scope, function, depth))
        if node_type is ast.NamedExpr:
            value = self.record(node.value, scope, function, depth)
            if self.recording:
                self.declare(node.target.id, scope)
                self.bind(node.target, value, scope)
            return value
        if node_type is ast.Lambda:
            if self.recording:
                for default in node.args.defaults:
                    self.record(default, scope, function, depth)
            return name(self.lambda_function(node, scope))
        if not self.recording:
            return UNKNOWN
        if node_type is ast.Yield or node_type is ast.YieldFrom:
            value = node.value
            recorded = self.record(value, scope, function, depth)
            if function is not None:
                function.is_generator = True
                if node_type is ast.Yield and value is not None:
                    function.yields.append(recorded)
            return UNKNOWN
        self.scan(node, scope, function, depth=depth)
        return UNKNOWN

    def string_parts(self, node: Any, scope: Scope) -> tuple | None:
        """The parts of a string built from names and constants only (an f-string or a sum
        with a constant holding a ``/``, up to ``MAX_PARTS`` parts), else None: router
        prefixes and paths are made of such strings (log messages mostly are not)."""
        pending = [node]
        parts: list[Expr] = []
        has_path = False
        while pending:
            current = pending.pop()
            node_type = type(current)
            if node_type is ast.JoinedStr:
                pending.extend(reversed(current.values))
            elif node_type is ast.BinOp and type(current.op) is ast.Add:
                pending += [current.right, current.left]
            elif node_type is ast.FormattedValue and current.format_spec is None:
                pending.append(current.value)
            elif node_type is ast.Constant and type(current.value) is str:
                parts.append(constant(current.value))
                has_path = has_path or "/" in current.value
            elif node_type is ast.Name or (node_type is ast.Attribute and plain_attribute(current)):
                parts.append(self.convert(current, scope))
            else:
                return None
            if len(parts) > MAX_PARTS:
                return None
        return tuple(parts) if has_path else None

    def record_call(
        self, node: ast.Call, scope: Scope, function: Function | None, depth: int, awaited: bool
    ) -> Expr:
        """A call's summary form, recorded after the calls it makes first (its function and
        arguments), so a function's calls are listed in the order they run."""
        func = self.record(node.func, scope, function, depth)
        called = self.called  # names called or passed, as written: `SqlRepo`, `commit`
        func_type = type(node.func)
        if func_type is ast.Attribute:
            called.add(node.func.attr)
            if node.func.attr in DEPENDS:
                called = self.depended
        elif func_type is ast.Name:
            called.add(node.func.id)
            if node.func.id in DEPENDS:
                called = self.depended
        args = []
        for arg in node.args[:MAX_ITEMS]:
            if type(arg) is ast.Name:  # the most common argument, converted here
                called.add(arg.id)
                args.append(self.reference(arg.id, scope))
            elif type(arg) is ast.Starred:
                if self.recording:
                    self.scan(arg, scope, function, depth=depth)
                args.append(UNKNOWN)
            else:
                if type(arg) is ast.Attribute:  # a bound method handed over: `self.on_click`
                    called.add(arg.attr)
                args.append(self.record(arg, scope, function, depth))
        keywords = []
        for item in node.keywords[:MAX_ITEMS]:
            value_type = type(item.value)
            if value_type is ast.Name:
                called.add(item.value.id)
            elif value_type is ast.Attribute:
                called.add(item.value.attr)
            keywords.append((item.arg, self.record(item.value, scope, function, depth)))
        if len(node.args) > MAX_ITEMS or len(node.keywords) > MAX_ITEMS:  # generated code
            self.scan_rest(node.args, scope, function, depth)
            self.scan_rest([item.value for item in node.keywords], scope, function, depth)
        call = (
            CALL,
            func,
            tuple(args),
            tuple(keywords),
            node.lineno,
            node.col_offset,
            node.end_lineno or node.lineno,
            node.end_col_offset or node.col_offset,
        )
        if self.recording:
            calls = function.calls if function is not None else self.module_calls
            calls.append((call, awaited))
            if self.guards and function is not None:
                function.guarded[len(calls) - 1] = tuple(self.guards)
        return call

    def record_items(
        self, items: list, scope: Scope, function: Function | None, depth: int
    ) -> tuple:
        """The first ``MAX_ITEMS`` items converted and recorded, the rest scanned."""
        converted = tuple([self.record(item, scope, function, depth) for item in items[:MAX_ITEMS]])
        if len(items) > MAX_ITEMS:
            self.scan_rest(items, scope, function, depth)
        return converted

    def scan_rest(self, items: list, scope: Scope, function: Function | None, depth: int) -> None:
        """Scan the items past the first ``MAX_ITEMS``, which the summary does not keep."""
        if len(items) > MAX_ITEMS and self.recording:
            for extra in items[MAX_ITEMS:]:
                self.scan(extra, scope, function, depth=depth)

    def annotation(self, node: Any, scope: Scope, depth: int = 0) -> Expr:
        """Like ``convert``, but a string is parsed as the annotation it spells."""
        if type(node) is ast.Constant and isinstance(node.value, str):
            text = node.value.strip()
            if len(text) < 300:
                try:
                    parsed = ast.parse(text, mode="eval").body
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    return UNKNOWN
                self.kept.append(parsed)
                return self.convert(parsed, scope, depth)
        return self.convert(node, scope, depth)

    def scan(
        self,
        node: Any,
        scope: Scope,
        function: Function | None,
        deep: bool = False,
        depth: int = 0,
    ) -> None:
        """Record the calls, yields, lambdas and bound names inside an expression, without
        recursion when ``deep``; else what ``record`` converts is handed to it, at ``depth``
        (the depth of the expression being recorded: it bounds the recursion)."""
        if node is None:
            return
        calls = function.calls if function is not None else self.module_calls
        awaited: set[int] = set()
        stack = [node]
        while stack:
            current: Any = stack.pop()
            kind = type(current)
            if kind is ast.Name:
                if type(current.ctx) is not ast.Load:
                    self.declare(current.id, scope)
                continue
            if kind is ast.Constant:
                continue
            if kind is ast.Attribute:
                stack.append(current.value)
                continue
            if not deep and kind in RECORDED:
                self.record(current, scope, function, depth)
                continue
            if kind is ast.Call:
                calls.append((self.convert(current, scope), id(current) in awaited))
                if self.guards and function is not None:
                    function.guarded[len(calls) - 1] = tuple(self.guards)
                stack.append(current.func)
                stack.extend(current.args)
                stack.extend([k.value for k in current.keywords])
                continue
            if kind is ast.Await:
                awaited.add(id(current.value))
            elif kind is ast.Yield or kind is ast.YieldFrom:
                if function is not None:
                    function.is_generator = True
                    value = current.value
                    if kind is ast.Yield and value is not None:
                        function.yields.append(self.convert(value, scope))
            elif kind is ast.Lambda:
                self.lambda_function(current, scope)
                stack.extend(current.args.defaults)
                continue
            elif kind is ast.NamedExpr:
                target = current.target
                self.declare(target.id, scope)
                self.bind(target, self.convert(current.value, scope), scope)
            elif kind in COMPREHENSIONS:
                for generator in current.generators:
                    stack.append(generator.iter)
                    stack.extend(generator.ifs)
                for field in ("elt", "key", "value"):
                    child = getattr(current, field, None)
                    if child is not None:
                        stack.append(child)
                continue
            for field in FIELDS[kind]:
                child = getattr(current, field)
                if type(child) is list:
                    stack.extend(child)
                elif child is not None:
                    stack.append(child)

    # -- statements ----------------------------------------------------------------------

    def block(self, body: list[Any], scope: Scope, function: Function | None) -> None:
        """Summarise the statements of one scope (the guards an early ``return`` or ``raise``
        adds hold until the block ends)."""
        mark = len(self.guards)
        self.statements(body, scope, function)
        del self.guards[mark:]

    def statements(self, body: list[Any], scope: Scope, function: Function | None) -> None:
        for node in body:
            kind = type(node)
            if kind is ast.Expr:
                if type(node.value) in RECORDED:  # a call, mostly: scanning would hand it over
                    self.record(node.value, scope, function)
                elif type(node.value) is not ast.Constant:  # a docstring
                    self.scan(node.value, scope, function)
            elif kind is ast.Assign:
                assert isinstance(node, ast.Assign)
                value = self.record(node.value, scope, function)
                for target in node.targets:
                    if type(target) is ast.Name:
                        self.declare(target.id, scope, self.assigned_value(node.value, function))
                    else:
                        self.scan(target, scope, function)
                    self.bind(target, value, scope)
            elif kind is ast.Return:
                value = node.value
                returned = self.record(value, scope, function)
                if function is not None and value is not None:
                    function.returns.append(returned)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self.declare(node.name, scope)
                self.function(node, scope, function)
            elif kind is ast.ClassDef:
                self.declare(node.name, scope)
                self.class_(node, scope, function)
            elif kind is ast.If:
                holds, fails = self.scan_test(node.test, scope, function)
                mark = len(self.guards)
                self.guards += holds
                self.conditions += 1
                self.block(node.body, scope, function)
                self.guards[mark:] = fails
                self.block(node.orelse, scope, function)
                self.conditions -= 1
                del self.guards[mark:]
                if fails and type(node.body[-1]) in EXITS:  # `if not x: return`: x from here on
                    self.guards += fails
            elif kind is ast.While:
                self.loops += 1
                self.scan(node.test, scope, function)
                self.block(node.body, scope, function)
                self.block(node.orelse, scope, function)
                self.loops -= 1
            elif kind is ast.AnnAssign:
                assert isinstance(node, ast.AnnAssign)
                value = self.record(node.value, scope, function)
                if type(node.target) is ast.Name and node.value is not None:
                    self.declare(node.target.id, scope, self.assigned_value(node.value, function))
                else:
                    self.scan(node.target, scope, function)
                if node.value is not None:
                    self.bind(node.target, value, scope)
                self.bind(node.target, (INSTANCE, self.annotation(node.annotation, scope)), scope)
            elif kind is ast.With or kind is ast.AsyncWith:
                for item in node.items:
                    manager = self.record(item.context_expr, scope, function)
                    if item.optional_vars is not None:
                        self.scan(item.optional_vars, scope, function)
                        self.bind(item.optional_vars, manager, scope)
                self.block(node.body, scope, function)
            elif kind is ast.For or kind is ast.AsyncFor:
                self.scan(node.target, scope, function)
                self.scan(node.iter, scope, function)
                self.loops += 1
                self.block(node.body, scope, function)
                self.block(node.orelse, scope, function)
                self.loops -= 1
            elif kind is ast.Try or type(node).__name__ == "TryStar":
                self.block(node.body, scope, function)
                for handler in node.handlers:
                    if handler.name:
                        self.declare(handler.name, scope)
                    self.scan(handler.type, scope, function)
                    self.block(handler.body, scope, function)
                self.block(node.orelse, scope, function)
                self.block(node.finalbody, scope, function)
            elif kind is ast.Import or kind is ast.ImportFrom:
                self.imports(node, scope)
            elif kind is ast.Global:
                if scope.kind != "module":
                    scope.globals.update(node.names)
            elif kind is ast.Nonlocal:
                scope.free.update(node.names)
                self.nonlocals.update(node.names)
            elif kind is ast.Match:
                self.scan(node.subject, scope, function)
                for case in node.cases:
                    self.captures(case.pattern, scope)
                    self.scan(case.guard, scope, function)
                    self.block(case.body, scope, function)
            elif type(node).__name__ == "TypeAlias":
                self.declare(node.name.id, scope)
                self.bind(node.name, self.annotation(node.value, scope), scope)
            elif kind not in LEAVES:
                self.scan(node, scope, function)

    def tested(
        self, test: Any, function: Function | None, scope: Scope
    ) -> tuple[list[tuple], list[tuple]]:
        """What an ``if`` test says about the function's parameters, directly or through
        locals it set from them: the conditions that hold where it is true (each part of an
        ``and``), and the one that holds where it is false (a test of a single condition)."""
        if function is None or not function.params:
            return [], []
        params = {param[P_NAME] for param in function.params}
        parts = test.values if type(test) is ast.BoolOp and type(test.op) is ast.And else [test]
        holds = []
        negated = None
        for part in parts:
            found = condition(part)
            if found is None:
                continue
            test_kind, subject, operand = found
            if subject in params:
                unless = self.unless(subject)
                if unless is not None:
                    holds.append((*found, unless))
                    negated = (NEGATION[test_kind], subject, operand, unless)
            elif self.decidable(subject, scope):
                passed = self.ways_to_pass(test_kind, subject, operand)
                if passed is not None:
                    holds.append(passed)
                negated = self.ways_to_pass(NEGATION[test_kind], subject, operand)
        if len(parts) == 1 and negated is not None:
            return holds, [negated]
        return holds, []

    def unless(self, param: str) -> tuple | None:
        """The guards of a parameter's assignments so far, when each has one (a test of the
        parameter is of the call site's value where they all fail), else None."""
        earlier = tuple(guard for guard, _ in self.assigned.get(param, ()))
        return earlier if all(earlier) else None

    def decidable(self, local: str, scope: Scope) -> bool:
        """Whether the call site can decide a test of a local: assigned in this function
        only, and not in a loop around the test (where a later assignment may run first)."""
        return (
            not self.loops
            and local in self.assigned
            and local not in scope.globals
            and local not in scope.free
            and local not in self.nonlocals
        )

    def ways_to_pass(self, test_kind: str, local: str, operand: object) -> tuple | None:
        """A test of a local as a condition (``RAN``): one of the assignments that can give a
        value passing it must have run. None when one of them runs whatever the call site
        passes, so the test decides nothing the call site knows."""
        ways = []
        for guard, value in self.assigned[local]:
            if value is None:  # anything
                way = guard
            elif value[0] == CONSTANT:
                if not holds(test_kind, value[1], operand):
                    continue
                way = guard
            elif value[0] == SEQUENCE:  # a display: not None
                if test_kind == "none":
                    continue
                way = guard
            else:  # a parameter's value, copied
                _, param, unless = value
                way = (*guard, (test_kind, param, operand, unless))
            if not way:
                return None
            ways.append(way)
        return (RAN, local, None, tuple(ways))

    def assigned_value(self, node: Any, function: Function | None) -> tuple | None:
        """What an assignment gives, as far as tests of it go: (CONSTANT, value), (SEQUENCE,)
        for a display (never None), (PARAMETER, name, unless) for a copy of a parameter whose
        value is the call site's, or None."""
        node_type = type(node)
        if node_type is ast.Constant:
            return (CONSTANT, node.value)
        if node_type in DISPLAYS:
            return (SEQUENCE,)
        if node_type is not ast.Name or function is None:
            return None
        if not any(param[P_NAME] == node.id for param in function.params):
            return None
        unless = self.unless(node.id)
        return (PARAMETER, node.id, unless) if unless is not None else None

    def scan_test(
        self, test: Any, scope: Scope, function: Function | None
    ) -> tuple[list[tuple], list[tuple]]:
        """Scan an ``if`` test and say what it tests (``tested``): in ``a and f()``, ``f()``
        runs only where ``a`` holds."""
        if type(test) is not ast.BoolOp or type(test.op) is not ast.And:
            self.scan(test, scope, function)
            return self.tested(test, function, scope)
        mark = len(self.guards)
        for part in test.values:
            self.scan(part, scope, function)
            self.guards += self.tested(part, function, scope)[0]
        holds = self.guards[mark:]
        del self.guards[mark:]
        return holds, []

    def captures(self, pattern: ast.AST, scope: Scope) -> None:
        """Names bound by a ``match`` pattern."""
        for node in ast.walk(pattern):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                self.declare(name, scope)

    def function(self, node: Any, scope: Scope, parent: Function | None) -> None:
        """Summarise a ``def``/``async def`` and its body."""
        decorators = [self.record(d, scope, parent) for d in node.decorator_list]
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            self.record(default, scope, parent)
        decorator_names = {decorator_name(d) for d in node.decorator_list}
        qualname = intern(f"{scope.prefix}.{node.name}")  # also what names that call it hold
        accessor = decorator_names & ACCESSORS
        if accessor and qualname in self.functions:  # keep the property's getter under its name
            qualname = f"{qualname}.{accessor.pop()}"
        inner = Scope("function", f"{qualname}.<locals>", scope)
        class_name = scope.owner if scope.kind == "class" else None
        method = class_name is not None and "staticmethod" not in decorator_names
        is_classmethod = method and "classmethod" in decorator_names
        self_class = class_name if method and not is_classmethod else None
        params = self.parameters(node.args, qualname, scope, inner, self_class)
        if is_classmethod and params:
            self.bindings[f"{inner.prefix}.{params[0][2]}"] = [name(class_name)]
        if self_class and params:
            inner.owner = class_name
            self.self_names[id(inner)] = params[0][2]
        function = Function(
            qualname=qualname,
            name=node.name,
            line=node.lineno,
            col=node.col_offset,
            end_line=node.end_lineno or node.lineno,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            class_name=class_name,
            params=params,
            decorators=decorators,
            returns_annotation=self.annotation(node.returns, scope) if node.returns else None,
            positional=len(node.args.posonlyargs) + len(node.args.args),
            conditional=self.conditions > 0,
        )
        self.functions[qualname] = function
        outer = self.guards, self.assigned, self.conditions, self.loops
        self.guards, self.assigned, self.conditions, self.loops = [], {}, 0, 0
        self.block(node.body, inner, function)
        self.guards, self.assigned, self.conditions, self.loops = outer

    def parameters(
        self,
        args: ast.arguments,
        qualname: str,
        outer: Scope,
        inner: Scope,
        self_class: str | None = None,
    ) -> list:
        """The parameters of a function, bound in its own scope; the first may be ``self``."""
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += args.defaults
        pairs = list(zip(positional, defaults, strict=True))
        pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
        params = []
        for index, (arg, default) in enumerate(pairs):
            param = (
                PARAMETER,
                qualname,
                arg.arg,
                self.annotation(arg.annotation, outer) if arg.annotation else None,
                self.convert(default, outer) if default is not None else None,
                arg.lineno,
                arg.col_offset,
                self_class if index == 0 and positional else None,
            )
            params.append(param)
            inner.locals.add(arg.arg)
            self.bindings[f"{inner.prefix}.{arg.arg}"].append(param)
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                inner.locals.add(arg.arg)
        return params

    def lambda_function(self, node: ast.Lambda, scope: Scope) -> str:
        """Summarise a lambda as a function of its own; its body runs only when called.

        The body is queued, not walked here, so lambdas nested hundreds deep cost no recursion.
        """
        known = self.lambdas.get(id(node))
        if known is not None:
            return known
        qualname = f"{scope.prefix}.<lambda>@{node.lineno}:{node.col_offset}"
        self.lambdas[id(node)] = qualname
        inner = Scope("function", f"{qualname}.<locals>", scope)
        function = Function(
            qualname=qualname,
            name="<lambda>",
            line=node.lineno,
            col=node.col_offset,
            end_line=node.end_lineno or node.lineno,
            is_async=False,
            class_name=None,
            params=[],
            decorators=[],
            returns_annotation=None,
        )
        self.functions[qualname] = function
        self.lambda_bodies.append((node, scope, inner, function))
        return qualname

    def lambda_body(self, node: ast.Lambda, scope: Scope, inner: Scope, function: Function) -> None:
        function.params = self.parameters(node.args, function.qualname, scope, inner)
        function.positional = len(node.args.posonlyargs) + len(node.args.args)
        outer = self.guards, self.assigned
        self.guards, self.assigned = [], {}
        function.returns.append(self.record(node.body, inner, function))
        self.guards, self.assigned = outer

    def class_(self, node: ast.ClassDef, scope: Scope, parent: Function | None) -> None:
        """Summarise a class: bases, class-level bindings and methods."""
        for decorator in node.decorator_list:
            self.scan(decorator, scope, parent)
        bases = [self.record(b, scope, parent) for b in node.bases]
        keywords = {k.arg: self.record(k.value, scope, parent) for k in node.keywords}
        qualname = intern(f"{scope.prefix}.{node.name}")
        self.classes[qualname] = Class(
            qualname=qualname,
            name=node.name,
            line=node.lineno,
            col=node.col_offset,
            bases=bases,
            keywords={k: v for k, v in keywords.items() if k},
        )
        inner = Scope("class", qualname, scope)
        inner.owner = qualname
        self.block(node.body, inner, parent)


def condition(test: Any) -> tuple | None:
    """A test of one name that a call site can decide when the name is a parameter or a
    local set from one: ``p is None``, ``p is not None``, ``p``, ``not p``, ``p == "x"``,
    ``p != 3``, ``p.startswith("x")`` (``GUARDS``)."""
    negated = type(test) is ast.UnaryOp and type(test.op) is ast.Not
    atom = test.operand if negated else test
    found: tuple | None = None
    atom_type = type(atom)
    if atom_type is ast.Name:
        found = ("true", atom.id, None)
    elif atom_type is ast.Compare and len(atom.ops) == 1 and type(atom.left) is ast.Name:
        subject, op, other = atom.left.id, type(atom.ops[0]), atom.comparators[0]
        if type(other) is ast.Constant:
            value = other.value
            if value is None and op in (ast.Is, ast.IsNot):
                found = ("none" if op is ast.Is else "some", subject, None)
            elif type(value) in (str, int, bool) and op in (ast.Eq, ast.NotEq):
                found = ("eq" if op is ast.Eq else "ne", subject, value)
    elif atom_type is ast.Call and type(atom.func) is ast.Attribute:
        owner = atom.func.value
        if atom.func.attr == "startswith" and type(owner) is ast.Name:
            prefixes = literal_strings(atom.args[0]) if len(atom.args) == 1 else None
            if prefixes:
                found = ("prefix", owner.id, prefixes)
    if found is None or not negated:
        return found
    return (NEGATION[found[0]], found[1], found[2])


def literal_strings(node: Any) -> tuple[str, ...] | None:
    """``"x"`` or ``("x", "y")`` as a tuple of strings."""
    items = node.elts if type(node) is ast.Tuple else [node]
    if all(type(item) is ast.Constant and type(item.value) is str for item in items):
        return tuple(item.value for item in items)
    return None


def plain_attribute(node: ast.Attribute) -> bool:
    """Whether an attribute chain ends in a plain name: ``settings.api.prefix``."""
    base: ast.AST = node
    while type(base) is ast.Attribute:
        base = base.value
    return type(base) is ast.Name


def decorator_name(node: ast.AST) -> str:
    """The last name of a decorator expression: ``staticmethod``, ``get`` in ``@app.get(...)``."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def summarize(
    tree: ast.Module, path: str, module: str, is_package: bool, noqa: dict, wide_lines: dict
) -> ModuleSummary:
    """The summary of one parsed module."""
    return Summarizer(path, module, is_package).run(tree, noqa, wide_lines)
