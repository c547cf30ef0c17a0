"""The project model: module summaries linked into one namespace, with value inference.

``infer`` answers "what can this expression be?" with a set of ``Value``: a project function or
class, an instance of a class (project or third-party), a module, a third-party name of unknown
kind, a bound method of a third-party instance, a session factory, or the hooks a third-party
method may call back. ``callees`` answers "which project functions does this call run?" for
every analysis. Everything is memoised; a question that meets itself is answered as a fixed
point, so no answer depends on the order questions are asked in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar
from zlib import crc32

from fastapi_lint.knowledge.blocking import BLOCKING_SINKS
from fastapi_lint.knowledge.databases import SYNC_DB_SINKS
from fastapi_lint.knowledge.types import (
    ATTRIBUTE_TYPES,
    CANONICAL_NAMES,
    CLASS_BASES,
    MEMOISERS,
    OFFLOADS,
    RETURN_TYPES,
    SESSION_FACTORIES,
)
from fastapi_lint.summary import (
    ARGS,
    ATTRIBUTE,
    AWAIT,
    CALL,
    CONSTANT,
    FUNC,
    INSTANCE,
    JOIN,
    MAPPING,
    NAME,
    P_ANNOTATION,
    P_DEFAULT,
    P_NAME,
    P_SELF_CLASS,
    PARAMETER,
    SEQUENCE,
    SUBSCRIPT,
    UNION,
    Class,
    Expr,
    Function,
    ModuleSummary,
    keyword,
    kind,
)

DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
OPTIONAL = frozenset(
    {"typing.Optional", "typing.Union", "typing_extensions.Optional", "typing_extensions.Union"}
)
ITERATORS = frozenset(
    f"{module}.{name}"
    for module in ("typing", "collections.abc", "typing_extensions")
    for name in ("Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator")
)
PASSTHROUGH = frozenset(
    {
        "contextlib.contextmanager",
        "contextlib.asynccontextmanager",
        "functools.lru_cache",
        "functools.cache",
    }
)
EMPTY: frozenset = frozenset()
MAX_DEPTH = 120
MAX_OVERRIDES = 16  # implementations a call dispatches to at most
MAX_ROUNDS = 20  # recomputations of a cycle's head before its answer is taken as it is
UNSET = 1 << 30  # a frame that used no open question
KNOWN_NAMES = frozenset([*BLOCKING_SINKS, *SYNC_DB_SINKS, *RETURN_TYPES, *CANONICAL_NAMES])
KNOWN_CLASSES = frozenset(
    [
        *(name[:-2] for name in KNOWN_NAMES if name.endswith(".*")),
        *RETURN_TYPES.values(),
        *CLASS_BASES,
        *(base for bases in CLASS_BASES.values() for base in bases),
    ]
)


class Callee(NamedTuple):
    """A project function that calling something may run, and how the call reaches it."""

    function: str
    # DIRECT, INIT (a class is called), CALL_METHOD (an instance is called) or HOOK (a
    # third-party method a project class inherits, which may call the class's overrides)
    how: str


DIRECT, INIT, CALL_METHOD, HOOK = "direct", "__init__", "__call__", "hook"


class Value(NamedTuple):
    """One thing an expression can evaluate to."""

    kind: str  # function | class | instance | module | external | method | factory | hooks
    name: str
    attr: str = ""  # a method's name; EXACT for an instance of this very class

    def __hash__(self) -> int:
        """The same in every process (``str`` hashes change with ``PYTHONHASHSEED``), so sets
        of values iterate in one order and a choice among them (the endpoint a route gets,
        the sink a call hits, the chain a message names) is the same in every run."""
        return crc32(f"{self.kind} {self.name} {self.attr}".encode())


EXACT = "exact"  # an instance built by calling its class, not one known by its type only
HOLDERS = frozenset({"class", "instance"})
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})
TYPE_VARS = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})
TYPES = frozenset({"builtins.type", "typing.Type", "typing_extensions.Type"})
PROPERTIES = frozenset({"property", "cached_property", "hybrid_property"})


TEST_MARKERS = ("test_", "conftest")
EXAMPLE_FOLDERS = frozenset({"docs", "docs_src", "example", "examples"})


def is_example_module(path: str) -> bool:
    """A module under a ``docs``, ``docs_src``, ``examples`` or ``example`` folder: an app
    there illustrates a feature, no team deploys it as it is."""
    return any(part in EXAMPLE_FOLDERS for part in path.replace("\\", "/").split("/")[:-1])


def is_test_module(path: str) -> bool:
    """A test module: ``test_*.py``, ``*_test.py``, ``conftest.py`` or any module under a
    ``tests``/``test`` folder. Its apps and async functions serve a test client or runner."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return (
        name.startswith(TEST_MARKERS)
        or name.endswith("_test.py")
        or any(p in ("tests", "test") for p in parts[:-1])
    )


def items_of(display: Expr) -> tuple:
    """The values of a dict display, the items of a list, tuple or set display."""
    tag = kind(display)
    if tag == MAPPING:
        return display[2]
    return display[1] if tag == SEQUENCE else ()


def canonical(name: str) -> str:
    """The one name the knowledge tables use for a third-party object."""
    return CANONICAL_NAMES.get(name, name)


def looks_like_class(name: str) -> bool:
    """A known third-party class, or a name capitalised like one (``Session``, not ``DEBUG``)."""
    last = name.rsplit(".", 1)[-1]
    return (last[:1].isupper() and not last.isupper()) or name in KNOWN_CLASSES


T = TypeVar("T")


def first_definitions(known: dict[str, T], found: dict[str, T]) -> dict[str, T]:
    """The entries of ``found`` whose names ``known`` lacks: the first definition wins."""
    if known.keys().isdisjoint(found):
        return found
    return {name: entry for name, entry in found.items() if name not in known}


class Project:
    """All module summaries of one lint run, linked."""

    def __init__(self, summaries: list[ModuleSummary]) -> None:
        self.modules: dict[str, ModuleSummary] = {}
        self.functions: dict[str, Function] = {}
        self.classes: dict[str, Class] = {}
        self.bindings: dict[str, tuple[Expr, ...]] = {}
        self.module_of: dict[str, ModuleSummary] = {}
        self.attribute_sets: dict[str, list[tuple[Expr, Expr]]] = {}
        for summary in summaries:  # merged a module at a time: one project holds 100k names
            self.modules.setdefault(summary.module, summary)
            for attr, sets in summary.attribute_sets.items():
                self.attribute_sets.setdefault(attr, []).extend(sets)
            functions = first_definitions(self.functions, summary.functions)
            classes = first_definitions(self.classes, summary.classes)
            self.functions.update(functions)
            self.classes.update(classes)
            for defined in (functions, classes):
                self.module_of.update(
                    first_definitions(self.module_of, dict.fromkeys(defined, summary))
                )
            if self.bindings.keys().isdisjoint(summary.bindings):
                self.bindings.update(summary.bindings)  # the summary's lists: nothing edits them
            else:  # a module summarised twice (given under two roots): its values add up
                for qualname, values in summary.bindings.items():
                    self.bindings[qualname] = (*self.bindings.get(qualname, ()), *values)
        self.packages = {
            module.rsplit(".", depth)[0]
            for module in self.modules
            for depth in range(1, module.count(".") + 1)
        }
        self._names: dict[str, frozenset[Value]] = {}
        self._exprs: dict[int, frozenset[Value]] = {}
        self._types: dict[int, frozenset[Value]] = {}
        self._mro: dict[str, list[str]] = {}
        self._callees: dict[frozenset[Value], tuple[Callee, ...]] = {}
        self._overrides: dict[tuple[str, str], frozenset[Value]] = {}
        self._subclasses: dict[str, list[str]] | None = None
        self._called_names: set[str] | None = None
        self._called_outside_depends: set[str] | None = None
        self._hooks: dict[str, list[str]] = {}
        self._methods: dict[str, list[Function]] | None = None
        self._depth = 0
        # open questions, for answers that do not depend on the order they are asked in
        self._open: dict[tuple[int, object], int] = {}  # (table, key) -> its frame
        self._lowest: list[int] = []  # per frame: the lowest open frame its answer used
        self._guesses: dict[tuple[int, object], frozenset] = {}  # of cycle heads, so far
        self._provisional: dict[tuple[int, object], tuple[frozenset, int]] = {}
        self._answers: dict[frozenset, frozenset] = {}

    def label(self, qualname: str) -> str:
        """A name for messages: ``Class.method`` or ``function`` for project code."""
        summary = self.module_of.get(qualname)
        if summary is not None:
            qualname = qualname[len(summary.module) + 1 :]
            return qualname.replace(".<locals>", "")
        return ".".join(qualname.split(".")[-2:])

    # -- names -----------------------------------------------------------------------------

    def resolve(self, qualname: str) -> frozenset[Value]:
        """What a qualified name can be."""
        known = self._names.get(qualname)  # most lookups: inlined, they dominate the run
        if known is not None:
            return known
        if qualname in self.functions or qualname in self.classes:  # a leaf: no cycle
            known = self._names[qualname] = self.shared(self.member(qualname))
            return known
        return self.memoised(self._names, qualname, self._resolve, qualname)

    def memoised(
        self, table: dict, key: object, compute: Callable[[Any], set], argument: object
    ) -> frozenset:
        """Memoise an inference step, whatever order the questions come in.

        A question that meets itself (``a = b; b = a; b = f``) is answered as a fixed point:
        the question that opened the cycle is computed again from its last answer until that
        answer holds, and what was computed inside the cycle is kept only once it has settled.
        A chain deeper than ``MAX_DEPTH`` (generated code: ``x2 = x1; x3 = x2; ...``) resolves
        to unknown instead of recursing on.
        """
        known = table.get(key)
        if known is not None:
            return known
        question = (id(table), key)
        lowest = self._lowest
        frame = self._open.get(question)
        if frame is not None:  # a cycle: answer with the guess so far
            if lowest[-1] > frame:
                lowest[-1] = frame
            return self._guesses.get(question, EMPTY)
        provisional = self._provisional.get(question) if self._provisional else None
        if provisional is not None:
            answer, needs = provisional
            if lowest and lowest[-1] > needs:
                lowest[-1] = needs
            return answer
        if self._depth >= MAX_DEPTH:
            return EMPTY
        frame = len(lowest)
        self._open[question] = frame
        lowest.append(UNSET)
        self._depth += 1
        try:
            answer = self.shared(compute(argument))
            needs = lowest[-1]
            if needs == frame:  # the head of a cycle: computed again until its answer holds
                answer = self._settle(question, partial(compute, argument), answer, frame)
                needs = lowest[-1]
        finally:
            self._depth -= 1
            lowest.pop()
            del self._open[question]
        if needs < frame:  # depends on a question still open below: kept until it settles
            self._provisional[question] = (answer, needs)
            if lowest[-1] > needs:
                lowest[-1] = needs
        else:
            table[key] = answer
        return answer

    def shared(self, found: set) -> frozenset:
        """An answer as a frozenset shared by every question with that answer: most answers
        are empty or one of a few thousand sets, and a project asks ~100k questions."""
        if not found:
            return EMPTY
        frozen = frozenset(found)
        return self._answers.setdefault(frozen, frozen)

    def _settle(
        self,
        question: tuple[int, object],
        compute: Callable[[], set],
        answer: frozenset,
        frame: int,
    ) -> frozenset:
        """The answer of a question that met itself, from successive guesses. What was
        computed inside the cycle from an older guess is dropped each round."""
        lowest = self._lowest
        guesses = self._guesses
        for _ in range(MAX_ROUNDS):
            if answer == guesses.get(question, EMPTY) or lowest[-1] != frame:
                break
            guesses[question] = answer
            self._provisional.clear()
            lowest[-1] = UNSET
            answer = self.shared(compute())
        guesses.pop(question, None)
        if lowest[-1] == frame:
            self._provisional.clear()
        return answer

    def _resolve(self, qualname: str) -> set[Value]:
        member = self.member(qualname)
        if member is not None:
            return member
        if "." not in qualname:
            return {Value("external", canonical(qualname))}
        prefix, attr = qualname.rsplit(".", 1)
        result: set[Value] = set()
        for value in self.resolve(prefix):
            result |= self.attribute(value, attr)
        return result

    def member(self, qualname: str) -> set[Value] | None:
        """A definition of the project with exactly this name, if there is one."""
        if qualname in self.functions:
            return {Value("function", qualname)}
        if qualname in self.classes:
            return {Value("class", qualname)}
        if qualname in self.bindings:
            result: set[Value] = set()
            for expr in self.bindings[qualname]:
                result |= self.infer(expr)
            return result
        if qualname in self.modules or qualname in self.packages:
            return {Value("module", qualname)}
        return None

    def attribute(self, value: Value, attr: str) -> set[Value]:
        """What ``value.attr`` can be."""
        kind, name = value.kind, value.name
        if kind == "module":
            if name in self.modules or name in self.packages:
                found = self.member(f"{name}.{attr}")
                if found is not None:
                    return found
                for star in getattr(self.modules.get(name), "star_imports", ()):
                    found = self.member(f"{star}.{attr}")
                    if found:
                        return found
                return set()
            return {Value("external", canonical(f"{name}.{attr}"))}
        if kind == "external":
            return self.external_attribute(f"{name}.{attr}")
        if kind in ("class", "instance"):
            exact = value.attr == EXACT
            found = self.class_attribute(name, attr, instance=kind == "instance", exact=exact)
            return found | self.assigned(name, attr) if attr in self.attribute_sets else found
        if kind == "factory":
            return self.class_attribute(name, attr, instance=True)
        return set()

    def assigned(self, class_name: str, attr: str) -> set[Value]:
        """What ``obj.attr = value`` statements store on a class or its instances, outside the
        class's own methods' ``self``: ``cls._client = Client()``, ``app.state.db = ...``."""
        result: set[Value] = set()
        owners = self.mro(class_name)
        for target, value in self.attribute_sets[attr]:
            if any(v.name in owners for v in self.infer(target) if v.kind in HOLDERS):
                result |= self.infer(value)
        return result

    def external_attribute(self, qualname: str) -> set[Value]:
        """A third-party name, plus the instance it holds when the knowledge base says
        (``SQLModel.metadata``, ``fastapi_sqlalchemy.db.session``)."""
        qualname = canonical(qualname)
        typed = ATTRIBUTE_TYPES.get(qualname)
        if typed:
            return {Value("external", qualname), Value("instance", typed)}
        return {Value("external", qualname)}

    def class_attribute(
        self, class_name: str, attr: str, instance: bool, exact: bool = False
    ) -> set[Value]:
        """An attribute looked up along a class's bases, project classes first. On an instance
        whose class is known only by its type (``repo: Repo``, ``self``), a method may be any
        override in the project's subclasses of that type (virtual dispatch), and a property
        read gives what its getter returns."""
        found = self._class_attribute(class_name, attr, instance)
        if instance and class_name in self.classes and any(v.kind == "method" for v in found):
            found.add(Value("hooks", class_name))  # the third-party method may call them back
        if instance:
            if not exact and class_name in self.classes:
                found |= self.overrides(class_name, attr)
            for value in [v for v in found if v.kind == "function" and self.is_property(v.name)]:
                found.discard(value)
                found |= self.returned(value.name)
        return found

    def _class_attribute(self, class_name: str, attr: str, instance: bool) -> set[Value]:
        for owner in self.mro(class_name):
            if owner in self.classes:
                found = self.member(f"{owner}.{attr}")
                if found:
                    return found
                continue
            if not instance:
                return self.external_attribute(f"{owner}.{attr}")
            result = {Value("method", owner, attr)}
            for base in self.mro(owner):
                typed = ATTRIBUTE_TYPES.get(f"{base}.{attr}") or ATTRIBUTE_TYPES.get(f"{base}.*")
                if typed:
                    result.add(Value("instance", typed))
                    break
            return result
        return set()

    def overrides(self, class_name: str, attr: str) -> frozenset[Value]:
        """The methods named ``attr`` that instances of the project's subclasses of a class run
        in its place. Subclasses the project instantiates or injects are preferred."""
        key = (class_name, attr)
        known = self._overrides.get(key)
        if known is None:
            by_class: dict[str, str] = {}
            for implementation in self.implementations(class_name):
                for owner in self.mro(implementation):
                    if owner == class_name:
                        break
                    if f"{owner}.{attr}" in self.functions:
                        by_class[implementation] = f"{owner}.{attr}"
                        break
            used = self.called_names()
            preferred = [f for c, f in by_class.items() if c.rpartition(".")[2] in used]
            chosen = preferred or list(by_class.values())
            if len(set(chosen)) > MAX_OVERRIDES:  # a plugin point: which one runs is config
                chosen = []
            known = self._overrides[key] = self.shared({Value("function", f) for f in chosen})
        return known

    def implementations(self, class_name: str) -> list[str]:
        """The project classes below a class (a ``Protocol`` too: only the classes that
        subclass it, as a structural match would take every class with a ``get`` for one)."""
        if self._subclasses is None:
            self._subclasses = {}
            for qualname in self.classes:
                for base in self.mro(qualname)[1:]:
                    self._subclasses.setdefault(base, []).append(qualname)
        return self._subclasses.get(class_name, [])

    def called_names(self) -> set[str]:
        """Names the project calls or passes to a call, as written: the classes it
        instantiates or injects (``SqlRepo(session)``, ``Depends(SqlRepo)``), the methods it
        calls itself, among others."""
        if self._called_names is None:
            depended = " ".join(summary.depended for summary in self.modules.values())
            self._called_names = self.called_outside_depends() | set(depended.split())
        return self._called_names

    def called_outside_depends(self) -> set[str]:
        """``called_names`` but for the names only handed to ``Depends`` or ``Security``:
        what the project's own code runs or hands on, not FastAPI."""
        if self._called_outside_depends is None:
            names = " ".join(summary.called for summary in self.modules.values())
            self._called_outside_depends = set(names.split())
        return self._called_outside_depends

    def hooks(self, class_name: str) -> list[str]:
        """The methods a project class defines for a third-party base to call back: public,
        not properties, and never called by the project itself (``save_token`` of an OAuth
        server class, which the library's ``create_token_response`` calls). None for a
        ``Thread`` or ``Process`` subclass, whose methods the base runs in another thread."""
        known = self._hooks.get(class_name)
        if known is None:
            called = self.called_names()
            known = []
            for owner in self.mro(class_name):
                if owner in OFFLOADS:  # a Thread subclass's run() runs in its own thread
                    known = []
                    break
                if owner not in self.classes:
                    continue
                for method in self.methods().get(owner, ()):
                    qualname = f"{owner}.{method.name}"  # a setter's getter: the property
                    public = not method.name.startswith("_")
                    if public and method.name not in called and not self.is_property(qualname):
                        known.append(qualname)
            self._hooks[class_name] = known
        return known

    def methods(self) -> dict[str, list[Function]]:
        """The methods each project class defines itself, by class."""
        if self._methods is None:
            self._methods = {}
            for function in self.functions.values():
                if function.class_name:
                    self._methods.setdefault(function.class_name, []).append(function)
        return self._methods

    def is_memoised(self, qualname: str) -> bool:
        """Whether a function's results are memoised (``@lru_cache``, ``@cached(...)``)."""
        for decorator in self.functions[qualname].decorators:
            written = decorator[FUNC] if kind(decorator) == CALL else decorator
            if any(v.kind == "external" and v.name in MEMOISERS for v in self.infer(written)):
                return True
        return False

    def is_property(self, qualname: str) -> bool:
        """Whether a method is read as an attribute: ``@property``, ``@cached_property``."""
        return any(
            type(decorator) is list and decorator[1].rpartition(".")[2] in PROPERTIES
            for decorator in self.functions[qualname].decorators
        )

    def mro(self, class_name: str) -> list[str]:
        """The class and its bases, depth first; third-party bases from the knowledge tables."""
        known = self._mro.get(class_name)
        if known is not None:
            return known
        if self._depth >= MAX_DEPTH:
            return [class_name]
        self._depth += 1
        try:
            return self._compute_mro(class_name)
        finally:
            self._depth -= 1

    def _compute_mro(self, class_name: str) -> list[str]:
        self._mro[class_name] = [class_name]
        order = [class_name]
        if class_name in self.classes:
            bases = []
            for base in self.classes[class_name].bases:
                if kind(base) == SUBSCRIPT:  # a generic base: Base[A, B]
                    base = base[1]
                for value in self.infer(base):
                    if value.kind in ("class", "external"):
                        bases.append(value.name)
        else:
            bases = list(CLASS_BASES.get(class_name, ()))
        seen = {class_name}
        for base in bases:
            for name in self.mro(base):
                if name not in seen:
                    seen.add(name)
                    order.append(name)
        self._mro[class_name] = order
        return order

    def is_subclass(self, class_name: str, bases: frozenset[str]) -> bool:
        """Whether the class or one of its bases is in ``bases``."""
        return any(name in bases for name in self.mro(class_name))

    # -- what calls run ------------------------------------------------------------------

    def runs(self, value: Value) -> list[Callee]:
        """The project functions that calling ``value`` runs: the function itself, a class's
        ``__init__``, an instance's ``__call__``. Every analysis asks this, not its own rules."""
        kind = value.kind
        if kind == "function":
            return [Callee(value.name, DIRECT)]
        if kind == "hooks":
            return [Callee(hook, HOOK) for hook in self.hooks(value.name)]
        if kind == "class":  # builds an instance of this very class
            found = self.class_attribute(value.name, INIT, instance=True, exact=True)
            return [Callee(v.name, INIT) for v in found if v.kind == "function"]
        if kind == "instance":
            exact = value.attr == EXACT
            found = self.class_attribute(value.name, CALL_METHOD, instance=True, exact=exact)
            return [Callee(v.name, CALL_METHOD) for v in found if v.kind == "function"]
        return []

    def callees(self, expr: Expr) -> tuple[Callee, ...]:
        """The project functions calling ``expr`` may run (``expr``: what is called, such as
        a call's function or the target of ``Depends``), each once."""
        return self.callees_of(self.infer(expr))

    def callees_of(self, values: frozenset[Value]) -> tuple[Callee, ...]:
        """The project functions calling something that can be any of ``values`` runs."""
        known = self._callees.get(values)  # answers are shared: a few thousand keys at most
        if known is None:
            found: dict[str, Callee] = {}
            for value in values:
                for callee in self.runs(value):
                    found.setdefault(callee.function, callee)
            known = self._callees[values] = tuple(found.values())
        return known

    # -- expressions -------------------------------------------------------------------

    def infer(self, expr: Expr) -> frozenset[Value]:
        """What an expression can evaluate to (memoised by identity: pass summary nodes)."""
        if expr is None:
            return EMPTY
        if type(expr) is list:  # a name, the most common expression: resolve()'s memo inlined
            known = self._names.get(expr[1])
            return known if known is not None else self.resolve(expr[1])
        known = self._exprs.get(id(expr))
        if known is not None:
            return known
        return self.memoised(self._exprs, id(expr), self._infer, expr)

    def _infer(self, expr: Expr) -> set[Value]:
        tag = expr[0]
        result: set[Value] = set()
        if tag == CALL:
            for value in self.infer(expr[FUNC]):
                result |= self.call_result(value, expr)
        elif tag == ATTRIBUTE:
            for value in self.infer(expr[1]):
                result |= self.attribute(value, expr[2])
        elif tag == AWAIT:
            result |= self.infer(expr[1])
        elif tag == UNION:
            for option in expr[1]:
                result |= self.infer(option)
        elif tag == INSTANCE:
            result |= self.instances(expr[1])
        elif tag == PARAMETER:
            result |= self.parameter_values(expr)
        elif tag == SUBSCRIPT:
            for value in self.infer(expr[1]):
                if value.kind == "instance":
                    typed = ATTRIBUTE_TYPES.get(f"{value.name}.*")
                    if typed:
                        result.add(Value("instance", typed))
            if type(expr[1]) is list:  # HANDLERS[name]: any value of the dict it is bound to
                for display in self.bindings.get(expr[1][1], ()):
                    for item in items_of(display):
                        result |= self.infer(item)
        return result

    def call_result(self, value: Value, call: Expr) -> set[Value]:
        """What calling ``value`` returns."""
        kind, name = value.kind, value.name
        if kind == "class":
            return {Value("instance", name, EXACT)}
        if kind == "function":
            return set(self.returned(name)) | self.generic_result(name, call)
        if kind == "factory":
            return {Value("instance", name)}
        if kind == "external":
            if name in PASSTHROUGH and call[ARGS]:
                return set(self.infer(call[ARGS][0]))
            if name in CASTS and call[ARGS]:
                return set(self.instances(call[ARGS][0]))
            if name in SESSION_FACTORIES:
                produced = self.instances(keyword(call, "class_"))
                names = {v.name for v in produced} or {SESSION_FACTORIES[name]}
                return {Value("factory", n) for n in names}
            if name in RETURN_TYPES:
                return {Value("instance", RETURN_TYPES[name])}
            if looks_like_class(name):
                return {Value("instance", name)}
            return set()
        if kind == "method":
            for owner in self.mro(name):
                returned = RETURN_TYPES.get(f"{owner}.{value.attr}")
                if returned:
                    return {Value("instance", returned)}
            return set()
        if kind == "instance":
            result: set[Value] = set()
            for target in self.class_attribute(name, "__call__", instance=True):
                result |= self.call_result(target, call)
            return result
        return set()

    def returned(self, qualname: str) -> frozenset[Value]:
        """What calling a project function gives (for a coroutine: what awaiting it gives)."""
        function = self.functions[qualname]
        if function.returns_annotation is not None:
            typed = self.instances(function.returns_annotation)
            if typed:
                return typed
        if function.is_generator:  # iterated, or entered as a @contextmanager
            return self.provided(qualname)
        result: set[Value] = set()
        for expr in function.returns:
            result |= self.infer(expr)
        return frozenset(result)

    def generic_result(self, qualname: str, call: Expr) -> set[Value]:
        """What a function returns when its return type is a type variable that a parameter
        binds: ``def require(self, kind: type[T]) -> T`` called with a class gives an
        instance of it, ``def first(x: T) -> T`` what it is given."""
        function = self.functions[qualname]
        returned = function.returns_annotation
        if type(returned) is not list or not self.is_type_var(returned):
            return set()
        params = function.params
        result: set[Value] = set()
        for index, param in enumerate(params[self.unpassed(function) :]):
            annotation = param[P_ANNOTATION]
            wrapped = kind(annotation) == SUBSCRIPT and self.generic(annotation) & TYPES
            variable = annotation[2][0] if wrapped else annotation
            if type(variable) is not list or variable[1] != returned[1]:
                continue
            args = call[ARGS]
            arg = args[index] if index < len(args) else keyword(call, param[P_NAME])
            for value in self.infer(arg):
                if not wrapped:
                    result.add(value)
                elif value.kind in ("class", "external"):
                    result.add(Value("instance", value.name))
        return result

    def is_type_var(self, annotation: Expr) -> bool:
        """Whether a name is bound to ``TypeVar(...)``."""
        return any(
            kind(expr) == CALL and self.generic((SUBSCRIPT, expr[FUNC], ())) & TYPE_VARS
            for expr in self.bindings.get(annotation[1], ())
        )

    def unpassed(self, function: Function) -> int:
        """The leading parameters a call does not pass: a method's ``self``, a
        ``@classmethod``'s class (1), or none (0)."""
        params = function.params
        if not params:
            return 0
        classmethod = any(
            type(d) is list and d[1] == "builtins.classmethod" for d in function.decorators
        )
        return 1 if params[0][P_SELF_CLASS] or classmethod else 0

    def provided(self, qualname: str) -> frozenset[Value]:
        """What a dependency function provides: what it yields, or else what it returns."""
        function = self.functions[qualname]
        if not function.is_generator:
            return self.returned(qualname)
        result: set[Value] = set()
        for expr in function.yields:
            result |= self.infer(expr)
        if not result and function.returns_annotation is not None:
            result |= self.instances(function.returns_annotation, iterated=True)
        return frozenset(result)

    # -- types and dependencies ------------------------------------------------------------

    def instances(self, annotation: Expr, iterated: bool = False) -> frozenset[Value]:
        """Instances of the type an annotation names (``Annotated``, ``Optional``, aliases)."""
        if annotation is None:
            return EMPTY
        key = id(annotation) * 2 + iterated
        return self.memoised(self._types, key, self._instances, (annotation, iterated))

    def _instances(self, question: tuple[Expr, bool]) -> set[Value]:
        annotation, iterated = question
        tag = annotation[0]
        result: set[Value] = set()
        if tag == UNION:
            for option in annotation[1]:
                result |= self.instances(option, iterated)
        elif tag == SUBSCRIPT:
            generic = self.generic(annotation)
            if generic & ANNOTATED:
                result |= self.instances(annotation[2][0], iterated)
            elif generic & OPTIONAL:
                for option in annotation[2]:
                    result |= self.instances(option, iterated)
            elif iterated and generic & ITERATORS:
                result |= self.instances(annotation[2][0])
        elif tag == NAME and not iterated:
            qualname = annotation[1]
            if qualname in self.bindings:
                for expr in self.bindings[qualname]:
                    if expr is not None and expr[0] in (SUBSCRIPT, UNION, NAME):
                        result |= self.instances(expr)
                return result
            for value in self.resolve(qualname):
                if value.kind in ("class", "external"):
                    result.add(Value("instance", value.name))
        return result

    def generic(self, subscript: Expr) -> set[str]:
        """The third-party names the head of ``X[...]`` can be (``typing.Annotated``...)."""
        return {v.name for v in self.infer(subscript[1]) if v.kind == "external"}

    def alias_target(self, annotation: Expr) -> Expr:
        """What a name stands for when it is a type alias bound once (``SessionDep = ...``,
        also ``SessionDep: TypeAlias = ...`` or ``: Final``)."""
        if type(annotation) is not list:
            return None
        bound = self.bindings.get(annotation[1], ())
        # not the annotation of `X: TypeAlias = ...`, which only says what X is
        candidates = [c for c in bound if kind(c) != INSTANCE]
        if len(candidates) == 1 and kind(candidates[0]) in (SUBSCRIPT, NAME):
            return candidates[0]
        return None

    def annotated_metadata(self, annotation: Expr) -> list[Expr]:
        """The metadata of an ``Annotated[T, ...]`` annotation, following aliases."""
        seen: set[int] = set()
        while annotation is not None and id(annotation) not in seen:
            seen.add(id(annotation))
            if annotation[0] == SUBSCRIPT:
                generic = self.generic(annotation)
                if generic & ANNOTATED:
                    return list(annotation[2][1:])
                if generic & OPTIONAL:
                    return [m for option in annotation[2] for m in self.annotated_metadata(option)]
                return []
            annotation = self.alias_target(annotation)
        return []

    def dependency(self, param: Expr) -> Expr:
        """The ``Depends(...)``/``Security(...)`` call that provides a parameter, if any."""
        for expr in [param[P_DEFAULT], *self.annotated_metadata(param[P_ANNOTATION])]:
            if expr is not None and expr[0] == CALL and self.is_depends(expr):
                return expr
        return None

    def is_depends(self, call: Expr) -> bool:
        """Whether a call is ``Depends(...)`` or ``Security(...)``."""
        return any(v.kind == "external" and v.name in DEPENDS for v in self.infer(call[FUNC]))

    def dependency_target(self, depends: Expr, param: Expr) -> Expr:
        """What a ``Depends`` call runs: its first argument, or the annotation for ``Depends()``."""
        target = depends[ARGS][0] if depends[ARGS] else keyword(depends, "dependency")
        if target is None and param is not None:
            return self.annotated_type(param[P_ANNOTATION])
        return target

    def annotated_type(self, annotation: Expr) -> Expr:
        """``T`` of ``Annotated[T, ...]`` (following aliases), or the annotation itself."""
        seen: set[int] = set()
        while annotation is not None and id(annotation) not in seen:
            seen.add(id(annotation))
            if annotation[0] == SUBSCRIPT:
                if self.generic(annotation) & ANNOTATED:
                    annotation = annotation[2][0]
                    continue
                return annotation
            target = self.alias_target(annotation)
            if target is None:
                return annotation
            annotation = target
        return annotation

    def dependency_values(self, target: Expr | None) -> set[Value]:
        """What a dependency provides to the parameter that declares it: an instance of a
        class, else what the function it runs yields or returns."""
        result: set[Value] = set()
        for value in self.infer(target):
            if value.kind == "class":
                result.add(Value("instance", value.name, EXACT))
                continue
            for callee in self.runs(value):
                result |= self.provided(callee.function)
        return result

    def parameter_values(self, param: Expr) -> set[Value]:
        """What a parameter holds: ``self``, what its dependency provides, or its annotation."""
        if param[P_SELF_CLASS]:
            return {Value("instance", param[P_SELF_CLASS])}
        depends = self.dependency(param)
        if depends is not None:
            provided = self.dependency_values(self.dependency_target(depends, param))
            if provided:
                return provided
        return set(self.instances(param[P_ANNOTATION]))

    # -- literals --------------------------------------------------------------------------

    def literal(self, expr: Expr, depth: int = 0) -> object:
        """The Python value of a constant expression, following names; ``None`` if unknown."""
        if expr is None or depth > 20:
            return None
        tag = expr[0]
        if tag == CONSTANT:
            return expr[1]
        if tag == SEQUENCE:
            return [self.literal(item, depth + 1) for item in expr[1]]
        if tag == JOIN:
            parts = [self.literal(part, depth + 1) for part in expr[1]]
            return "".join(parts) if all(type(p) is str for p in parts) else None
        if tag == NAME:
            qualname = expr[1]
            values = self.bindings.get(qualname)
            if values is None and "." in qualname:
                owner, attr = qualname.rsplit(".", 1)
                for value in self.resolve(owner):
                    if value.kind == "instance" and value.name in self.classes:
                        values = self.bindings.get(f"{value.name}.{attr}")
            values = [v for v in values or () if v is None or v[0] != INSTANCE]
            if len(values) == 1:
                return self.literal(values[0], depth + 1)
        return None

    def text(self, expr: Expr) -> str | None:
        """The string an expression spells; in a string built at run time (``f"/{TENANT}/x"``)
        each part that cannot be known is kept as a placeholder (``/{TENANT}/x``), so two such
        paths differ where their known parts do."""
        value = self.literal(expr)
        if type(value) is str:
            return value
        if kind(expr) != JOIN:
            return None
        parts = []
        for part in expr[1]:
            known = self.text(part)
            if known is None:
                written = part[1].rpartition(".")[2] if type(part) is list else "..."
                known = f"{{{written}}}"
            parts.append(known)
        return "".join(parts)
